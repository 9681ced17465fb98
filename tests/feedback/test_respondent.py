"""Respondent pages: anonymous, cookie-free, in six languages, rate limited per network."""

import datetime
import gettext
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from inclusion.core import ratelimit
from inclusion.feedback import surveys
from inclusion.feedback.bank import RESPONDENT_LANGUAGES
from inclusion.feedback.models import Response, SurveyAnswer
from inclusion.feedback.responses import allow_submission
from inclusion.feedback.surveys import add_own_question
from inclusion.feedback.surveys import today as surveys_today

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # CSRF checks on, as in production: the respondent form must work without a token.
    return Client(enforce_csrf_checks=True)


def _answers(survey, **overrides):
    questions = questions_by_bank_id(survey)
    data = {
        f"q{questions['q.satisfaction'].pk}": "4",
        f"q{questions['q.respect'].pk}": "yes",
        f"q{questions['q.barriers'].pk}": ["q.barriers.language", "q.barriers.waiting"],
        f"q{questions['q.improve'].pk}": "Longer opening hours, please.",
    }
    data.update(overrides)
    return data


def test_entry_link_opens_the_survey_in_the_browser_language_if_offered(client, survey):
    response = client.get(f"/s/{survey.token}/", headers={"accept-language": "de-DE,uk;q=0.8,en;q=0.5"})
    assert (response.status_code, response.headers["Location"]) == (302, f"/s/{survey.token}/uk/")
    response = client.get(f"/s/{survey.token}/", headers={"accept-language": "de"})
    assert response.headers["Location"] == f"/s/{survey.token}/lv/"


@pytest.mark.parametrize(
    ("language", "direction", "phrase"),
    [
        ("lv", "ltr", "Sūtīt manas atbildes"),
        ("en", "ltr", "Send my answers"),
        ("uk", "ltr", "Надіслати мої відповіді"),
        ("ru", "ltr", "Отправить мои ответы"),
        ("ar", "rtl", "أرسل إجاباتي"),
        ("fa", "rtl", "پاسخ‌هایم را بفرست"),
    ],
)
def test_survey_page_speaks_the_chosen_language_and_sets_no_cookie(client, survey, language, direction, phrase):
    response = client.get(f"/s/{survey.token}/{language}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert phrase in page
    assert "Set-Cookie" not in response.headers
    assert response.cookies == {}
    assert response.headers["Content-Language"] == language
    satisfaction = questions_by_bank_id(survey)["q.satisfaction"]
    assert f'name="q{satisfaction.pk}" value="5"' in page
    # Every language the survey offers is one tap away, in its own name.
    for code, name in RESPONDENT_LANGUAGES.items():
        assert f'href="/s/{survey.token}/{code}/" lang="{code}" hreflang="{code}"' in page
        assert name in page
    assert "csrfmiddlewaretoken" not in page


def test_submission_stores_nothing_that_identifies_the_respondent(client, survey):
    response = client.post(
        f"/s/{survey.token}/ar/",
        _answers(survey),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Cheap phone)",
        HTTP_COOKIE="tracker=abc",
    )
    assert (response.status_code, response.headers["Location"]) == (302, f"/s/{survey.token}/ar/thanks/")
    assert "Set-Cookie" not in response.headers

    stored = Response.objects.get()
    # Issue 10 adds the one-time submission key: random (uuid4), nothing about the respondent;
    # issue 13 the channel (web or paper), counted in results only through the suppression rule.
    assert [field.name for field in Response._meta.concrete_fields] == [
        "id", "survey", "language", "submitted_on", "submission_key", "channel",
    ]  # fmt: skip
    assert stored.channel == "web"
    assert [field.name for field in SurveyAnswer._meta.concrete_fields] == [
        "id", "response", "question", "choice", "text", "reviewed",
    ]  # fmt: skip
    assert (stored.language, stored.submitted_on) == ("ar", surveys.today())
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    rows = sorted((a.question.bank_id, a.choice, a.text) for a in SurveyAnswer.objects.select_related("question"))
    assert rows == [
        ("q.barriers", "q.barriers.language", ""),
        ("q.barriers", "q.barriers.waiting", ""),
        ("q.improve", "", "Longer opening hours, please."),
        ("q.respect", "yes", ""),
        ("q.satisfaction", "4", ""),
    ]
    everything = repr(list(Response.objects.values())) + repr(list(SurveyAnswer.objects.values()))
    for trace in ("203.0.113", "Cheap phone", "tracker", "abc"):
        assert trace not in everything
    # The cache holds a salted hash of the network, never the address itself.
    assert not any("203.0.113" in str(key) or "203.0.113" in str(value) for key, value in cache._cache.items())

    thanks = client.get(response.headers["Location"])
    assert "شكرًا لك" in thanks.content.decode()
    assert "Set-Cookie" not in thanks.headers


def test_empty_or_tampered_submission_is_refused_in_the_respondent_language(client, survey):
    response = client.post(f"/s/{survey.token}/uk/", {})
    assert response.status_code == 400
    assert "Будь ласка, дайте відповідь хоча б на одне питання." in response.content.decode()

    satisfaction = questions_by_bank_id(survey)["q.satisfaction"]
    improve = questions_by_bank_id(survey)["q.improve"]
    response = client.post(f"/s/{survey.token}/ru/", {f"q{satisfaction.pk}": "9", f"q{improve.pk}": "Мой текст"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Пожалуйста, выберите один из показанных ответов." in page
    assert "Мой текст</textarea>" in page  # what was typed is kept
    assert f'href="#q{satisfaction.pk}"' in page
    assert Response.objects.count() == 0
    assert "Set-Cookie" not in response.headers


def test_a_language_is_offered_only_when_every_text_is_written_in_it(client, org_a):
    """Issue 13: a Latvian question must never appear on the Farsi/Arabic page instead."""
    survey = make_survey(org_a, languages=("lv", "en", "ar"), bank_ids=[])
    question = add_own_question(
        survey, "single", {"lv": "Vai jūs atnāktu vēlreiz?", "ar": "هل ستعود مرة أخرى؟"},
        [{"lv": "Jā", "ar": "نعم"}, {"lv": "Varbūt"}],
    )  # fmt: skip
    # English lacks the question, Arabic one answer: both send the respondent to the entry,
    # which picks a complete language; none shows Latvian text in its place.
    for code in ("en", "ar"):
        response = client.get(f"/s/{survey.token}/{code}/")
        assert response.status_code == 302 and response.url == f"/s/{survey.token}/"
    entry = client.get(f"/s/{survey.token}/", headers={"accept-language": "ar, en;q=0.8"})
    assert entry.url == f"/s/{survey.token}/lv/"
    latvian = client.get(f"/s/{survey.token}/lv/").content.decode()
    assert "Vai jūs atnāktu vēlreiz?" in latvian
    assert 'hreflang="ar"' not in latvian and 'hreflang="en"' not in latvian  # only complete languages offered
    assert client.post(f"/s/{survey.token}/ar/", {f"q{question.pk}": "o2"}).status_code == 302
    assert not SurveyAnswer.objects.exists()

    question.options[1]["text"]["ar"] = "ربما"
    question.save()
    arabic = client.get(f"/s/{survey.token}/ar/").content.decode()
    assert "هل ستعود مرة أخرى؟" in arabic and "ربما" in arabic and "Varbūt" not in arabic
    assert client.post(f"/s/{survey.token}/ar/", {f"q{question.pk}": "o2"}).status_code == 302
    assert SurveyAnswer.objects.get().choice == "o2"


def test_a_survey_complete_in_no_language_cannot_be_answered(client, org_a):
    survey = make_survey(org_a, languages=("lv", "en"), bank_ids=[])
    add_own_question(survey, "text", {"lv": "Kas jāmaina?"}, [])
    survey.languages = ["en"]
    survey.save()
    response = client.get(f"/s/{survey.token}/")
    assert response.status_code == 200 and "not open yet" in response.content.decode()


def test_language_the_survey_does_not_offer_is_not_found(client, org_a):
    survey = make_survey(org_a, languages=("lv", "en"))
    response = client.get(f"/s/{survey.token}/fa/")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers
    response = client.get("/s/no-such-survey/en/")
    assert response.status_code == 404
    assert "Survey not found" in response.content.decode()
    assert "Set-Cookie" not in response.headers


def test_closed_and_future_surveys_say_so_politely_and_store_nothing(client, org_a):
    today = surveys_today()
    closed = make_survey(org_a, opens_on=today - datetime.timedelta(days=30),
                         closes_on=today - datetime.timedelta(days=1))  # fmt: skip
    future = make_survey(org_a, opens_on=today + datetime.timedelta(days=3),
                         closes_on=today + datetime.timedelta(days=30))  # fmt: skip
    page = client.get(f"/s/{closed.token}/en/").content.decode()
    assert "This survey closed on" in page and "Thank you for wanting to help." in page
    assert "<form" not in page
    page = client.get(f"/s/{future.token}/uk/").content.decode()
    assert "Це опитування ще не відкрите." in page
    response = client.post(f"/s/{closed.token}/en/", _answers(closed))
    assert response.status_code == 410
    assert Response.objects.count() == 0


def test_rate_limit_counts_per_network_and_answers_politely(client, survey, settings):
    settings.FEEDBACK_RATE_LIMIT = (2, 600)
    url = f"/s/{survey.token}/en/"
    assert client.post(url, _answers(survey), REMOTE_ADDR="198.51.100.10").status_code == 302
    assert client.post(url, _answers(survey), REMOTE_ADDR="198.51.100.200").status_code == 302
    limited = client.post(url, _answers(survey), REMOTE_ADDR="198.51.100.11")  # same /24
    assert limited.status_code == 429
    assert "Please try again in a few minutes." in limited.content.decode()
    assert "Set-Cookie" not in limited.headers
    assert client.post(url, _answers(survey), REMOTE_ADDR="198.51.101.10").status_code == 302  # next /24
    # IPv6: one /48 shares a limit.
    assert client.post(url, _answers(survey), REMOTE_ADDR="2001:db8:1:1::1").status_code == 302
    assert client.post(url, _answers(survey), REMOTE_ADDR="2001:db8:1:ffff::2").status_code == 302
    assert client.post(url, _answers(survey), REMOTE_ADDR="2001:db8:1:abcd::3").status_code == 429
    assert client.post(url, _answers(survey), REMOTE_ADDR="2001:db8:2::1").status_code == 302
    assert Response.objects.count() == 6


def test_rate_limit_salt_lives_only_in_the_cache_and_changes_daily():
    allow_submission("192.0.2.1")
    salts = {key: value for key, value in cache._cache.items() if "feedback:salt:" in key}
    assert len(salts) == 1
    assert f"feedback:salt:{surveys.today().isoformat()}" in next(iter(salts))
    assert ratelimit.network_of("192.0.2.99") == "192.0.2.0/24"
    assert ratelimit.network_of("2001:db8:5:6::1") == "2001:db8:5::/48"
    assert ratelimit.network_of("::ffff:192.0.2.4") == "192.0.2.0/24"
    assert ratelimit.network_of("not an address") == "unknown"


def test_you_said_we_did_is_public_once_published(client, survey):
    url = f"/s/{survey.token}/uk/changes/"
    assert client.get(url).status_code == 404
    surveys.publish_changes(survey, {"lv": "Pagarinājām darba laiku.", "uk": "Ми подовжили години роботи."}, True)
    page = client.get(url).content.decode()
    assert "Ми подовжили години роботи." in page
    assert "Ви сказали, ми зробили" in page
    assert f'href="/s/{survey.token}/uk/changes/"' in client.get(f"/s/{survey.token}/uk/").content.decode()
    # Not written in English: no English page with the Latvian text in its place, no link to it.
    assert client.get(f"/s/{survey.token}/en/changes/").status_code == 404
    assert "/en/changes/" not in client.get(f"/s/{survey.token}/en/").content.decode()
    assert 'hreflang="en"' not in page and 'hreflang="lv"' in page  # switch only to written languages


def test_every_respondent_string_is_translated_into_every_respondent_language():
    locale = Path(surveys.__file__).resolve().parent / "locale"

    def respondent_ids(code):
        with (locale / code / "LC_MESSAGES" / "django.mo").open("rb") as file:
            catalog = gettext.GNUTranslations(file)._catalog
        return {
            key for key, value in catalog.items() if isinstance(key, str) and key.startswith("respondent\x04") and value
        }

    expected = respondent_ids("lv")
    assert len(expected) >= 30
    for code in ("uk", "ru", "ar", "fa"):
        assert respondent_ids(code) == expected, code
