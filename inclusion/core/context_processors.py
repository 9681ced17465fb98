from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


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
                "url": translate_url(path, code),
                "current": code == language,
            }
        )
    return {
        "language_direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
        "language_alternates": alternates,
    }
