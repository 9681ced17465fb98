"""The JSON API: public content per language, token-scoped organisation data, one error shape."""

import pytest
from django.utils import timezone

from inclusion.api.models import AccessToken
from inclusion.core.tokens import hash_token
from inclusion.handbook.services import get_handbook

from .conftest import bearer


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/{language}/areas/{number}" in schema.json()["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn." not in docs


@pytest.mark.parametrize("language", ["lv", "en"])
def test_public_content_per_language(client, handbook, language):
    edition = handbook.edition(language)
    areas = client.get(f"/api/v1/{language}/areas").json()
    assert [area["title"] for area in areas] == [area.title for area in edition.areas]
    area = client.get(f"/api/v1/{language}/areas/4").json()
    items = [item["id"] for group in area["checklist"] for item in group["items"]]
    assert items == [f"a4.c{n}" for n in range(1, 20)]
    assert area["checklist"][2]["items"][0]["applies_to"] == "authority"
    criteria = client.get(f"/api/v1/{language}/assessment-table").json()
    assert sum(len(q["indicators"]) for c in criteria for q in c["questions"]) == 34
    assert len(client.get(f"/api/v1/{language}/glossary").json()) == 19
    assert len(client.get(f"/api/v1/{language}/summary-checklist").json()) == 13


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/de/areas", 400, "invalid_request"),
        ("/api/v1/en/areas/7", 400, "invalid_request"),
        ("/api/v1/en/areas/x", 400, "invalid_request"),
        ("/api/v1/en/nothing", 404, "not_found"),
        ("/api/v1/assessments", 401, "unauthorized"),
    ],
)
def test_errors_have_one_json_shape(client, db, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_token_reads_its_organisations_assessments(client, token_a, assessment_a):
    listing = client.get("/api/v1/assessments", headers=bearer(token_a)).json()
    assert listing["count"] == 1
    assert listing["items"][0]["id"] == str(assessment_a.public_id)
    detail = client.get(f"/api/v1/assessments/{assessment_a.public_id}", headers=bearer(token_a)).json()
    assert {a["item"]: a["value"] for a in detail["answers"]} == {"a1.c1": "yes", "a1.c2": "no"}
    assert detail["notes"] == [{"area": "a1", "text": "<p>note</p>", "version": 1}]
    summary = client.get(f"/api/v1/assessments/{assessment_a.public_id}/summary", headers=bearer(token_a)).json()
    assert summary["areas"][0] == {
        "area": "a1", "reading": "improve", "score": 50, "answered": 2, "total": 10, "gaps": ["a1.c2"],
    }  # fmt: skip
    assert client.get("/api/v1/organisation", headers=bearer(token_a)).json()["slug"] == "org-a"


def test_token_of_a_gets_404_on_b(client, token_a, assessment_b):
    for suffix in ["", "/summary", "/actions"]:
        response = client.get(f"/api/v1/assessments/{assessment_b.public_id}{suffix}", headers=bearer(token_a))
        assert response.status_code == 404
        assert "secret" not in response.content.decode()
    assert client.get("/api/v1/assessments", headers=bearer(token_a)).json()["count"] == 0


def test_pagination_and_filters(client, content, org_a, token_a):
    from inclusion.assessments.rounds import start_assessment

    for number in range(7):
        start_assessment(title=f"Team {number}", organisation_kind="ngo", organisation=org_a)
    page = client.get("/api/v1/assessments?page_size=3&page=3", headers=bearer(token_a)).json()
    assert (page["count"], page["page"], page["pages"], len(page["items"])) == (7, 3, 3, 1)
    assert client.get("/api/v1/assessments?title=team 4", headers=bearer(token_a)).json()["count"] == 1
    assert client.get("/api/v1/assessments?page=0", headers=bearer(token_a)).status_code == 400


def test_tokens_are_hashed_at_rest_and_revocable(client, org_a, token_a):
    record = AccessToken.objects.get()
    assert token_a not in str(AccessToken.objects.values().get())
    assert record.token_hash == hash_token(token_a)
    assert client.get("/api/v1/organisation", headers=bearer(token_a)).status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None
    record.revoked_at = timezone.now()
    record.save()
    assert client.get("/api/v1/organisation", headers=bearer(token_a)).status_code == 401
    assert client.get("/api/v1/organisation", headers=bearer("itk_guess")).status_code == 401


def test_owner_creates_and_revokes_tokens_in_the_interface(client, org_a):
    from django.contrib.auth import get_user_model

    from inclusion.organisations.models import Membership

    owner = get_user_model().objects.create_user(username="o", email="o@a.example", password="x" * 20)
    viewer = get_user_model().objects.create_user(username="v", email="v@a.example", password="x" * 20)
    Membership.objects.create(user=owner, organisation=org_a, role="owner")
    Membership.objects.create(user=viewer, organisation=org_a, role="viewer")
    client.force_login(viewer)
    assert client.get("/en/organisations/org-a/api-tokens/").status_code == 403
    client.force_login(owner)
    response = client.post("/en/organisations/org-a/api-tokens/", {"name": "Dashboard"})
    body = response.content.decode()
    assert "shown only once" in body
    record = AccessToken.objects.get()
    token = body.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert hash_token(token) == record.token_hash
    client.post(f"/en/organisations/org-a/api-tokens/{record.pk}/revoke/")
    record.refresh_from_db()
    assert record.revoked_at is not None
    outsider = get_user_model().objects.create_user(username="x", email="x@b.example", password="x" * 20)
    client.force_login(outsider)
    assert client.get("/en/organisations/org-a/api-tokens/").status_code == 404


def test_absurd_numbers_are_a_400_not_a_500(client, token_a):
    # Found by schemathesis: an OFFSET or integer beyond SQLite's 64 bits crashed the query.
    for query in ["page=375597752376314852318117888", "round_number=99999999999999999999999"]:
        response = client.get(f"/api/v1/assessments?{query}", headers=bearer(token_a))
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_request"


def test_public_practice_library(client, content):
    from inclusion.practices.handbook_examples import import_handbook_practices

    import_handbook_practices(get_handbook())
    page = client.get("/api/v1/lv/practices?area=a4&page_size=5").json()
    assert page["count"] == 12 and len(page["items"]) == 5
    first = page["items"][0]
    assert first["area"] == "a4" and first["handbook_id"].startswith("a4.p")
    detail = client.get(f"/api/v1/en/practices/{first['id']}").json()
    assert detail["handbook_id"] == first["handbook_id"]
    assert client.get("/api/v1/en/practices/999999").status_code == 404
    assert client.get("/api/v1/en/practices?q=begli").json()["count"] > 0  # diacritics ignored


def test_practice_ratings_and_survey_results_are_scoped_to_the_token(client, content, org_a, org_b, token_a):
    import datetime

    from inclusion.feedback import surveys as feedback
    from inclusion.practices.ratings import save_rating
    from inclusion.practices.submissions import create_practice
    from tests.practices.conftest import practice_content

    criteria = get_handbook().edition("en").criteria.criteria
    ours = create_practice(org_a, practice_content("Ours"), None)
    save_rating(ours, None, criteria, {"k1.q1.i1": "2"}, {}, consensus=True)
    create_practice(org_b, practice_content("Theirs"), None)
    today = datetime.date.today()
    theirs = feedback.create_survey(
        organisation=org_b, user=None, title="B survey", languages=["en"], opens_on=today,
        closes_on=today, bank_ids=["q.satisfaction"],
    )  # fmt: skip
    mine = feedback.create_survey(
        organisation=org_a, user=None, title="A survey", languages=["en"], opens_on=today,
        closes_on=today, bank_ids=["q.satisfaction"],
    )  # fmt: skip

    own = client.get("/api/v1/practices", headers=bearer(token_a)).json()
    assert [p["title"]["en"] for p in own] == ["Ours"]
    assert own[0]["ratings"][0]["consensus"] is True
    assert own[0]["ratings"][0]["criteria"][0] == {
        "id": "k1",
        "score": 100,
        "threshold": 66,
        "points": 2,
        "applicable": 1,
    }
    surveys = client.get("/api/v1/surveys", headers=bearer(token_a)).json()
    assert [s["title"] for s in surveys] == ["A survey"]
    assert client.get(f"/api/v1/surveys/{mine.pk}/results", headers=bearer(token_a)).json()["total"] == 0
    assert client.get(f"/api/v1/surveys/{theirs.pk}/results", headers=bearer(token_a)).status_code == 404
