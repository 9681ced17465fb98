"""English as written in Europe: day before month, 24-hour clock."""

DATE_FORMAT = "j F Y"  # 27 November 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 27/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-27, what <input type="date"> sends
    "%d/%m/%Y",  # 27/11/2026
    "%d/%m/%y",  # 27/11/26
    "%d %B %Y",  # 27 November 2026
    "%d %b %Y",  # 27 Nov 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
