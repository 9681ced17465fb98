"""Latvian: Django's formats, with the full stop that ends a Latvian numeric date."""

SHORT_DATE_FORMAT = "d.m.Y."  # 27.11.2026.
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-27, what <input type="date"> sends
    "%d.%m.%Y.",  # 27.11.2026.
    "%d.%m.%Y",  # 27.11.2026
    "%d.%m.%y",  # 27.11.26
]
