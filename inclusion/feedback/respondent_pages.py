"""How every respondent page is rendered: in the respondent's language and direction, from
the light templates of feedback/respond/, with headers that keep it out of search engines
and referrers. The organisation's preview renders through here too, so it shows exactly
what respondents see."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from .bank import RESPONDENT_LANGUAGES


def respondent_page(request, template, survey, language, context=None, status=200):
    """``context`` may give ``alternates`` ((code, name) of the languages to switch to);
    by default the survey's languages."""
    with translation.override(language):
        base = {
            "survey": survey,
            "language": language,
            "direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
            "alternates": [(code, RESPONDENT_LANGUAGES[code]) for code in survey.languages] if survey else [],
        }
        response = render(request, template, {**base, **(context or {})}, status=status)
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
