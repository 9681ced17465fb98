from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

# The same path always maps to the same translated path; resolving it costs more than the rest
# of a cached handbook page, so remember recent answers.
_translated_url = lru_cache(maxsize=2048)(translate_url)


def site(request):
    """What every page needs: the language, its direction and the language switcher."""
    language = get_language()
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        alternates.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": _translated_url(path, code),
                "current": code == language,
            }
        )
    return {
        "language_direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
        "language_alternates": alternates,
    }
