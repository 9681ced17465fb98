"""Which two-letter codes are countries: CLDR's territories (through babel), without the
groupings and private-use codes CLDR lists beside them (EU, UN, "Unknown Region" ZZ…)."""

import re
from functools import cache

from babel import Locale

NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@cache
def country_codes() -> frozenset[str]:
    territories = Locale.parse("en").territories
    return frozenset(code for code in territories if re.fullmatch(r"[A-Z]{2}", code) and code not in NOT_COUNTRIES)


def is_country_code(code: str) -> bool:
    return code.upper() in country_codes()
