"""Issue 13: kiosk mode on a shared tablet — device codes, the sync endpoint, the pages."""

import datetime
import json
import uuid

import pytest
from django.core.cache import cache

from inclusion.core.tokens import hash_token
from inclusion.feedback import kiosks, surveys
from inclusion.feedback.models import KioskDevice, Response, SurveyAnswer

from .conftest import make_survey, questions_by_bank_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(survey, editor_a):
    return kiosks.create_device(survey, "Waiting room", editor_a)


def _item(survey, key=None, language="en", **answers):
    questions = questions_by_bank_id(survey)
    values = answers or {"q.respect": "yes", "q.satisfaction": "4"}
    return {
        "key": str(key or uuid.uuid4()),
        "language": language,
        "answers": {f"q{questions[bank_id].pk}": value for bank_id, value in values.items()},
    }


def _sync(client, survey, code, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        f"/s/{survey.token}/kiosk/sync/",
        data,
        content_type=headers.pop("content_type", "application/json"),
        headers={"Authorization": f"Kiosk {code}", **headers},
    )


def test_a_device_code_is_stored_hashed_and_shown_once(editor_a_client, survey):
    url = f"/en/feedback/{survey.organisation.slug}/{survey.pk}/kiosks/"
    response = editor_a_client.post(url, {"name": "Reception desk"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    device = KioskDevice.objects.get()
    code = response.content.decode().split("<code>")[1].split("</code>")[0]
    assert device.code_hash == hash_token(code) and code not in device.code_hash
    listing = editor_a_client.get(url).content.decode()
    assert "Reception desk" in listing and code not in listing


def test_the_list_shows_the_last_sync_and_revoking_stops_the_device(client, editor_a_client, survey, device):
    _device, code = device
    assert _sync(client, survey, code, {"responses": [_item(survey)]}).status_code == 200
    url = f"/en/feedback/{survey.organisation.slug}/{survey.pk}/kiosks/"
    listing = editor_a_client.get(url).content.decode()
    assert "never" not in listing
    response = editor_a_client.post(f"{url}{_device.pk}/revoke/")
    assert response.status_code == 302
    refused = _sync(client, survey, code, {"responses": [_item(survey)]})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "revoked"
    # In the tablet's language (the survey's first, Latvian, without Accept-Language).
    assert "atsaukts" in refused.json()["error"]["message"]
    assert Response.objects.count() == 1


def test_each_key_is_stored_once_however_often_it_is_sent(client, survey, device):
    _device, code = device
    items = [_item(survey) for _n in range(3)]
    first = _sync(client, survey, code, {"responses": items[:2]})
    assert first.status_code == 200
    assert sorted(first.json()["stored"]) == sorted(item["key"] for item in items[:2])
    again = _sync(client, survey, code, {"responses": items})
    assert again.json()["stored"] == [items[2]["key"]]
    assert sorted(again.json()["duplicates"]) == sorted(item["key"] for item in items[:2])
    assert Response.objects.count() == 3
    assert set(Response.objects.values_list("submission_key", flat=True)) == {uuid.UUID(i["key"]) for i in items}
    respect = questions_by_bank_id(survey)["q.respect"]
    assert SurveyAnswer.objects.filter(question=respect, choice="yes").count() == 3
    _device.refresh_from_db()
    assert _device.last_sync_at is not None


def test_the_same_key_twice_in_one_batch_is_stored_once(client, survey, device):
    _device, code = device
    item = _item(survey)
    response = _sync(client, survey, code, {"responses": [item, item]})
    assert response.json() == {"stored": [item["key"]], "duplicates": [item["key"]], "rejected": []}
    assert Response.objects.count() == 1


def test_invalid_items_are_rejected_one_by_one_and_the_rest_is_stored(client, survey, device):
    _device, code = device
    good = _item(survey, language="uk")
    bad_choice = _item(survey, **{"q.satisfaction": "9"})
    empty = {**_item(survey), "answers": {}}
    wrong_type = {**_item(survey), "answers": {"q1": {"nested": True}}}
    no_language = _item(survey, language="de")
    not_a_key = {**_item(survey), "key": "not-a-uuid"}
    response = _sync(client, survey, code, {"responses": [good, bad_choice, empty, wrong_type, no_language, not_a_key]})
    assert response.status_code == 200
    body = response.json()
    assert body["stored"] == [good["key"]]
    assert [entry["error"] for entry in body["rejected"]] == ["invalid"] * 4 + ["invalid_key"]
    assert list(Response.objects.values_list("language", flat=True)) == ["uk"]


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", '{"responses": 3}', "null", b"\xff\xfe"],
)
def test_malformed_requests_answer_4xx_json_never_500(client, survey, device, body):
    _device, code = device
    response = _sync(client, survey, code, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert response.json()["error"]["message"]
    assert not Response.objects.exists()


def test_a_list_of_junk_items_rejects_each_one(client, survey, device):
    _device, code = device
    response = _sync(client, survey, code, {"responses": [1, "x", None, [], {"key": 5}]})
    assert response.status_code == 200
    assert len(response.json()["rejected"]) == 5


def test_too_large_a_batch_is_refused(client, survey, device):
    _device, code = device
    response = _sync(client, survey, code, {"responses": [_item(survey)] * (kiosks.MAX_BATCH + 1)})
    assert response.status_code == 400 and response.json()["error"]["code"] == "too_large"


def test_an_unknown_or_missing_code_is_refused(client, survey, device, org_a):
    other_survey = make_survey(org_a, title="Language class")
    _device, code = device
    for token, code_sent in ((survey.token, "AAAA-BBBB-CCCC"), (survey.token, ""), (other_survey.token, code)):
        response = client.post(
            f"/s/{token}/kiosk/sync/",
            json.dumps({"responses": [_item(survey)]}),
            content_type="application/json",
            headers={"Authorization": f"Kiosk {code_sent}"},
        )
        assert response.status_code == 401 and response.json()["error"]["code"] == "unknown_device"
    assert not Response.objects.exists()


def test_the_code_may_be_typed_in_lower_case_and_without_dashes(client, survey, device):
    _device, code = device
    response = _sync(client, survey, code.replace("-", " ").lower(), {"responses": [_item(survey)]})
    assert response.status_code == 200 and len(response.json()["stored"]) == 1


def test_a_closed_survey_refuses_with_a_clear_message(client, survey, device):
    _device, code = device
    survey.closes_on = surveys.today() - datetime.timedelta(days=1)
    survey.save()
    response = _sync(client, survey, code, {"responses": [_item(survey)]})
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "closed"
    assert not Response.objects.exists()


def test_the_message_follows_the_tablet_language(client, survey, device):
    _device, code = device
    survey.closes_on = surveys.today() - datetime.timedelta(days=1)
    survey.save()
    english = _sync(client, survey, code, {"responses": []}, **{"Accept-Language": "en"}).json()
    assert english["error"]["message"] == "The survey is closed. The answers stay saved on the tablet."


def test_cross_site_and_non_json_requests_are_refused(client, survey, device):
    _device, code = device
    body = {"responses": [_item(survey)]}
    assert _sync(client, survey, code, body, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert _sync(client, survey, code, body, Origin="https://evil.example").status_code == 403
    form = client.post(f"/s/{survey.token}/kiosk/sync/", {"responses": "x"}, headers={"Authorization": f"Kiosk {code}"})
    assert form.status_code == 415 and form.json()["error"]["code"] == "unsupported_media_type"
    assert client.get(f"/s/{survey.token}/kiosk/sync/").status_code == 405
    assert not Response.objects.exists()
    same_origin = _sync(client, survey, code, body, Origin="http://testserver", **{"Sec-Fetch-Site": "same-origin"})
    assert same_origin.status_code == 200


def test_sync_requests_are_rate_limited_per_network(client, settings, survey, device):
    _device, code = device
    settings.KIOSK_SYNC_RATE_LIMIT = (2, 600)
    cache.clear()
    assert _sync(client, survey, code, {"responses": []}).status_code == 200
    assert _sync(client, survey, code, {"responses": []}).status_code == 200
    refused = _sync(client, survey, code, {"responses": [_item(survey)]})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_requests"
    assert not Response.objects.exists()


def test_suppression_is_unaffected_the_reply_holds_no_counts(client, viewer_a_client, survey, device):
    _device, code = device
    body = _sync(client, survey, code, {"responses": [_item(survey) for _n in range(3)]}).json()
    assert set(body) == {"stored", "duplicates", "rejected"}
    detail = viewer_a_client.get(f"/en/feedback/{survey.organisation.slug}/{survey.pk}/").content.decode()
    assert "Fewer than 5 responses." in detail


def test_kiosk_pages_set_no_cookie_and_store_nothing_about_the_tablet(client, survey, device):
    _device, code = device
    for path in ("", "en/", "sw.js", "manifest.webmanifest"):
        response = client.get(f"/s/{survey.token}/kiosk/{path}", HTTP_USER_AGENT="Tablet/1.0")
        assert response.status_code == 200, path
        assert response.cookies == {}, path
    response = _sync(client, survey, code, {"responses": [_item(survey)]}, **{"User-Agent": "Tablet/1.0"})
    assert response.cookies == {}
    assert client.cookies == {}
    stored = Response.objects.get()
    assert {f.name for f in Response._meta.get_fields()} == {"id", "survey", "language", "submitted_on",
                                                            "submission_key", "channel", "answers"}  # fmt: skip
    assert stored.channel == "kiosk"
    assert stored.language == "en"


def test_the_service_worker_is_served_with_the_kiosk_scope(client, survey):
    response = client.get(f"/s/{survey.token}/kiosk/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == f"/s/{survey.token}/kiosk/"
    manifest = json.loads(client.get(f"/s/{survey.token}/kiosk/manifest.webmanifest").content)
    assert manifest["start_url"] == manifest["scope"] == f"/s/{survey.token}/kiosk/"


def test_the_start_page_lists_every_language_to_cache(client, survey):
    page = client.get(f"/s/{survey.token}/kiosk/").content.decode()
    for code in survey.languages:
        assert f"/s/{survey.token}/kiosk/{code}/" in page
    # Without JavaScript the kiosk form posts as the plain respondent form does.
    form = client.get(f"/s/{survey.token}/kiosk/ar/").content.decode()
    assert f'action="/s/{survey.token}/ar/"' in form and 'dir="rtl"' in form


def test_the_kiosk_pages_of_an_unknown_survey_are_404(client):
    for path in ("", "en/", "sw.js", "manifest.webmanifest"):
        assert client.get(f"/s/nonexistent/kiosk/{path}").status_code == 404
    assert client.post("/s/nonexistent/kiosk/sync/", "{}", content_type="application/json").status_code == 404


def test_a_sync_batch_runs_the_same_few_queries_whatever_its_size(client, survey, device):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _device, code = device
    counts = []
    for size in (2, 40):
        items = [_item(survey, language=("en", "uk", "ar")[n % 3]) for n in range(size)]
        with CaptureQueriesContext(connection) as captured:
            response = _sync(client, survey, code, {"responses": [*items, items[0]]})
        assert len(response.json()["stored"]) == size and len(response.json()["duplicates"]) == 1
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 12


def test_outsiders_cannot_make_or_revoke_codes(outsider, signed_in, survey, device):
    _device, _code = device
    other = signed_in(outsider)
    url = f"/en/feedback/{survey.organisation.slug}/{survey.pk}/kiosks/"
    assert other.post(url, {"name": "x"}).status_code == 404
    assert other.post(f"{url}{_device.pk}/revoke/").status_code == 404
    _device.refresh_from_db()
    assert _device.revoked_at is None and KioskDevice.objects.count() == 1
