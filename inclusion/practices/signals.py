from django.dispatch import Signal

library_scope = Signal()
"""Sent by the library page with ``request``. Apps above practices (a network's own
collection: ``?network=<slug>``) narrow the library this way, without practices importing
them: each receiver returns None (its parameter is not in the query) or a
``library.LibraryScope``; it raises Http404 for a scope the reader may not see."""
