"""Date and number formats per interface language (settings.FORMAT_MODULE_PATH).

Only what differs from Django's own locale formats is set here: Django's English formats are
American (11/27/2026), which reads as nonsense to a European reader; Latvian short dates end
with a full stop (27.11.2026.) as Latvian typography has them.
"""
