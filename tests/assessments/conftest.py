"""Self-assessments of the root personas' organisations: A's (started by its editor, empty)
and B's (with an answer and a note that must never show outside B)."""

import pytest

from inclusion.assessments.answers import applicable_items, save_answer
from inclusion.assessments.notes import save_note
from inclusion.assessments.rounds import start_assessment


@pytest.fixture(autouse=True)
def handbook_in_db(content):
    """Answers refer to the handbook's items in the database."""


@pytest.fixture
def assessment_a(org_a, editor_a):
    assessment, _token = start_assessment(
        title="Reception", organisation_kind="authority", organisation=org_a, user=editor_a
    )
    return assessment


@pytest.fixture
def assessment_b(org_b, owner_b):
    assessment, _token = start_assessment(
        title="Secret of B", organisation_kind="ngo", organisation=org_b, user=owner_b
    )
    save_answer(assessment, "a1.c1", "no", "B's private comment", owner_b)
    save_note(assessment, "a1", "<p>B's private note</p>", 0, owner_b)
    return assessment


def answer_everything(assessment, edition, value="yes"):
    for area in edition.areas:
        for item in applicable_items(area, assessment.organisation_kind):
            save_answer(assessment, item.id, value, "")
