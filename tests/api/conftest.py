import pytest

from inclusion.api.models import AccessToken
from inclusion.assessments.answers import save_answer
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Organisation


@pytest.fixture
def content(db):
    import_content(get_handbook())


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(name="A", slug="org-a", kind="authority")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(name="B", slug="org-b", kind="ngo")


@pytest.fixture
def token_a(org_a):
    _record, token = AccessToken.issue(org_a, None, "test")
    return token


@pytest.fixture
def assessment_b(content, org_b):
    assessment, _ = start_assessment(title="B only", organisation_kind="ngo", organisation=org_b)
    save_answer(assessment, "a1.c1", "no", "secret comment of B")
    return assessment


@pytest.fixture
def assessment_a(content, org_a):
    assessment, _ = start_assessment(title="A round", organisation_kind="authority", organisation=org_a)
    save_answer(assessment, "a1.c1", "yes", "done")
    save_answer(assessment, "a1.c2", "no")
    save_note(assessment, "a1", "<p>note</p>", 0)
    return assessment


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
