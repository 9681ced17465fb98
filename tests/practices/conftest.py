import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from inclusion.handbook.services import get_handbook, import_content
from inclusion.organisations.models import Membership, Organisation, Role
from inclusion.practices import handbook_examples, ratings, submissions
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def handbook_in_db(db):
    handbook = get_handbook()
    import_content(handbook)
    handbook_examples.import_handbook_practices(handbook)


@pytest.fixture
def criteria():
    return get_handbook().edition("en").criteria.criteria


def make_member(organisation, role, email=None):
    user = UserFactory(**({"email": email} if email else {}))
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
def second_editor_a(org_a):
    return make_member(org_a, Role.EDITOR, "second@a.example")


@pytest.fixture
def viewer_a(org_a):
    return make_member(org_a, Role.VIEWER, "viewer@a.example")


@pytest.fixture
def owner_b(org_b):
    return make_member(org_b, Role.OWNER, "owner@b.example")


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    TOTP.activate(user, generate_totp_secret())  # moderators must use two-factor sign-in
    return user


def practice_content(title="Language café", **changes):
    content = {
        "title": {"en": title},
        "organisation_name": {"en": "Riga Welcome"},
        "city": {"en": "Riga"},
        "text": {"en": "Weekly **conversation** evenings with neighbours."},
        "countries": ["LV"],
        "success_factor": "a5.sf3",
        "organisation_type": "authority",
        "target_groups": ["refugees", "host_community"],
        "links": ["https://example.org/cafe"],
        "scores": {},
        "evidence": {},
    }
    content.update(changes)
    return content


def all_scores(criteria, value):
    return {indicator.id: value for criterion in criteria for indicator in criterion.indicators}


@pytest.fixture
def draft_a(org_a, editor_a):
    return submissions.create_practice(org_a, practice_content(), editor_a)


@pytest.fixture
def submitted_a(draft_a, editor_a, criteria):
    ratings.save_rating(draft_a, editor_a, criteria, all_scores(criteria, "2"), {"k1.q1": "Survey 2024"})
    submissions.submit_for_review(draft_a, editor_a)
    draft_a.refresh_from_db()
    return draft_a


@pytest.fixture
def draft_b(org_b, owner_b):
    return submissions.create_practice(
        org_b, practice_content("Secret of B", text={"en": "B's private draft text"}), owner_b
    )
