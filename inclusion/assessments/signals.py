from django.dispatch import Signal

summary_panels = Signal()
"""Sent by the summary page of a self-assessment that belongs to an organisation, with
``assessment``, ``summary`` (the CompiledSummary) and ``request``. Apps above assessments
(the networks' benchmarks) add a section to the page this way, without assessments
importing them: each receiver returns ``{"template": str, "context": dict, "order": int}``
or None."""
