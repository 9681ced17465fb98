import pytest
from django.contrib.auth import get_user_model

from inclusion.assessments.answers import applicable_items, save_answer
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment
from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Membership, Organisation, Role


@pytest.fixture(autouse=True)
def handbook_in_db(db):
    import_content(get_handbook())


@pytest.fixture
def edition():
    return get_handbook().edition("en")


def make_member(organisation, role, email):
    user = get_user_model().objects.create_user(username=email, email=email, password="x-long-password-1")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def org_a(db):
    return Organisation.objects.create(name="Riga Welcome", slug="riga-welcome", kind="authority")


@pytest.fixture
def org_b(db):
    return Organisation.objects.create(name="Other City", slug="other-city", kind="ngo")


@pytest.fixture
def editor_a(org_a):
    return make_member(org_a, Role.EDITOR, "editor@a.example")


@pytest.fixture
def viewer_a(org_a):
    return make_member(org_a, Role.VIEWER, "viewer@a.example")


@pytest.fixture
def member_b(org_b):
    return make_member(org_b, Role.OWNER, "owner@b.example")


@pytest.fixture
def assessment_a(org_a, editor_a):
    assessment, _token = start_assessment(
        title="Reception", organisation_kind="authority", organisation=org_a, user=editor_a
    )
    return assessment


@pytest.fixture
def assessment_b(org_b, member_b):
    assessment, _token = start_assessment(
        title="Secret of B", organisation_kind="ngo", organisation=org_b, user=member_b
    )
    save_answer(assessment, "a1.c1", "no", "B's private comment", member_b)
    save_note(assessment, "a1", "<p>B's private note</p>", 0, member_b)
    return assessment


def answer_everything(assessment, edition, value="yes"):
    for area in edition.areas:
        for item in applicable_items(area, assessment.organisation_kind):
            save_answer(assessment, item.id, value, "")
