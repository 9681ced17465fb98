"""Practices of the root personas' organisations: A's draft and submitted practice, B's
private draft."""

import pytest

from inclusion.organisations.models import Role
from inclusion.practices.handbook_examples import import_handbook_practices
from inclusion.practices.ratings import save_rating
from inclusion.practices.submissions import create_practice, submit_for_review
from tests.factories import indicator_scores as all_scores
from tests.factories import member_of


@pytest.fixture(autouse=True)
def handbook_in_db(content, handbook):
    import_handbook_practices(handbook)


@pytest.fixture
def second_editor_a(org_a):
    return member_of(org_a, Role.EDITOR, "second@a.example")


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


@pytest.fixture
def draft_a(org_a, editor_a):
    return create_practice(org_a, practice_content(), editor_a)


@pytest.fixture
def submitted_a(draft_a, editor_a, criteria):
    save_rating(draft_a, editor_a, criteria, all_scores(criteria, "2"), {"k1.q1": "Survey 2024"})
    submit_for_review(draft_a, editor_a)
    draft_a.refresh_from_db()
    return draft_a


@pytest.fixture
def draft_b(org_b, owner_b):
    return create_practice(org_b, practice_content("Secret of B", text={"en": "B's private draft text"}), owner_b)
