"""Issue 11: the optional individual-then-consensus mode. Members answer on their own,
privately, until an owner opens the consensus step; then everyone's answers are side by
side, an editor records the agreed answer, the summary reads it and shows the spread, and
the owner's exports carry the individual answers."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from inclusion.assessments.answers import save_answer
from inclusion.assessments.consensus import Spread, open_consensus, set_individual_answer
from inclusion.assessments.exceptions import AssessmentError
from inclusion.assessments.models import Answer, Assessment, IndividualAnswer
from inclusion.assessments.rounds import start_assessment
from inclusion.organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, member_of


def url(name, assessment, *args):
    with translation.override("en"):
        return reverse(f"assessments:{name}", args=[assessment.public_id, *args])


@pytest.fixture
def named(org_a):
    """``named(first, last, role)``: a member of A with a name that pages show."""

    def make(first, last="", role=Role.EDITOR):
        user = member_of(org_a, role)
        user.first_name, user.last_name = first, last
        user.save()
        return user

    return make


@pytest.fixture
def individual(org_a, owner_a):
    assessment, _token = start_assessment(
        title="Reception", organisation_kind="authority", organisation=org_a, user=owner_a, answering_mode="individual"
    )
    return assessment


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# Choosing the mode ---------------------------------------------------------------------------


def test_an_owner_starts_a_round_answered_individually(owner_a_client, org_a):
    response = owner_a_client.post(
        "/en/assessments/",
        {
            "title": "Reception",
            "organisation_kind": "authority",
            "organisation": org_a.pk,
            "answering_mode": "individual",
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get(title="Reception").answering_mode == "individual"


def test_the_default_is_answering_together(owner_a_client, org_a):
    owner_a_client.post(
        "/en/assessments/", {"title": "Reception", "organisation_kind": "authority", "organisation": org_a.pk}
    )
    assert Assessment.objects.get(title="Reception").answering_mode == "together"


def test_an_editor_is_not_offered_the_individual_mode(editor_a_client, org_a):
    assert 'name="answering_mode"' not in editor_a_client.get("/en/assessments/").content.decode()
    editor_a_client.post(
        "/en/assessments/",
        {
            "title": "Reception",
            "organisation_kind": "authority",
            "organisation": org_a.pk,
            "answering_mode": "individual",
        },
    )
    assert Assessment.objects.get(title="Reception").answering_mode == "together"


def test_an_owner_elsewhere_cannot_choose_it_for_an_organisation_they_only_edit(editor_a, org_a):
    member_of_other = OrganisationFactory(name="Own", slug="own")
    MembershipFactory(user=editor_a, organisation=member_of_other, role=Role.OWNER)
    response = _client(editor_a).post(
        "/en/assessments/",
        {
            "title": "Reception",
            "organisation_kind": "authority",
            "organisation": org_a.pk,
            "answering_mode": "individual",
        },
    )
    assert response.status_code == 200
    assert "Only an owner of the organisation can choose the individual mode." in response.content.decode()
    assert 'value="Reception"' in response.content.decode()  # what was typed is kept
    assert not Assessment.objects.exists()


def test_without_an_organisation_there_is_no_choice(client):
    page = client.get("/en/assessments/").content.decode()
    assert 'name="answering_mode"' not in page


def test_the_owner_chooses_the_mode_of_the_next_round_and_answers_are_not_copied(org_a, owner_a, editor_a):
    first, _token = start_assessment(title="R", organisation_kind="authority", organisation=org_a, user=owner_a)
    save_answer(first, "a1.c1", "yes", "", owner_a)

    response = _client(editor_a).post(url("new_round", first), {"answering_mode": "individual"})
    second = Assessment.objects.get(previous=first)
    assert response.status_code == 302 and second.answering_mode == "together"  # an editor's choice is ignored
    second.delete()
    first.closed = False
    first.save()

    _client(owner_a).post(url("new_round", first), {"answering_mode": "individual"})
    second = Assessment.objects.get(previous=first)
    assert second.answering_mode == "individual"
    assert not second.answers.exists()  # each member answers afresh


# Privacy before the consensus step -----------------------------------------------------------


def test_members_answer_into_their_own_private_answers(individual, named, owner_a):
    anna, ben = named("Anna"), named("Ben")
    _client(anna).post(
        url("save_answer", individual), {"item": "a1.c1", "value": "yes", "comment": "Anna's reason", "version": "0"}
    )
    response = _client(ben).post(
        url("area", individual, 1),
        {"answer-a1.c1": "no", "comment-a1.c1": "Ben's reason", "note": "", "note_version": "0"},
    )

    assert response.status_code == 302
    assert not Answer.objects.exists()
    assert set(IndividualAnswer.objects.values_list("member__first_name", "item_id", "value")) == {
        ("Anna", "a1.c1", "yes"),
        ("Ben", "a1.c1", "no"),
    }
    # Each sees only their own on the area page; the owner sees neither.
    anna_page = _client(anna).get(url("area", individual, 1)).content.decode()
    assert "Anna&#x27;s reason" in anna_page and "Ben&#x27;s reason" not in anna_page
    owner_page = _client(owner_a).get(url("area", individual, 1)).content.decode()
    assert "Anna&#x27;s reason" not in owner_page and "Ben&#x27;s reason" not in owner_page
    assert "1 of" in _client(anna).get(url("area", individual, 1)).content.decode()


def test_the_owner_sees_how_much_each_member_answered_not_what(individual, named, owner_a):
    anna = named("Anna")
    set_individual_answer(individual, "a1.c1", "partly", "Anna's reason", anna)
    set_individual_answer(individual, "a1.c2", "no", "", anna)

    page = _client(owner_a).get(url("consensus", individual)).content.decode()

    assert "Anna" in page and "2 of" in page
    assert "Anna&#x27;s reason" not in page and "Partly" not in page


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_nobody_opens_the_side_by_side_page_before_the_step(individual, named, role):
    set_individual_answer(individual, "a1.c1", "yes", "secret reason", named("Anna"))
    response = _client(named("Someone", role=role)).get(url("consensus_area", individual, 1))
    assert response.status_code == 403
    assert "secret reason" not in response.content.decode()


def test_before_the_step_summary_and_exports_show_no_individual_answer(individual, named, owner_a):
    set_individual_answer(individual, "a1.c1", "yes", "secret reason", named("Anna"))
    owner = _client(owner_a)
    assert "secret reason" not in owner.get(url("summary", individual)).content.decode()
    for fmt in ("json", "csv"):
        assert "secret reason" not in owner.get(url("export", individual, fmt)).content.decode()


# The consensus step ------------------------------------------------------------------------


def test_only_an_owner_opens_the_consensus_step(individual, editor_a, owner_a):
    assert _client(editor_a).post(url("consensus_open", individual)).status_code == 403
    individual.refresh_from_db()
    assert individual.consensus_opened_at is None

    response = _client(owner_a).post(url("consensus_open", individual))
    individual.refresh_from_db()
    assert response.status_code == 302 and individual.consensus_opened_at is not None


def test_after_the_step_members_answer_no_longer_individually(individual, named):
    anna = named("Anna")
    open_consensus(individual)
    with pytest.raises(AssessmentError):
        set_individual_answer(individual, "a1.c1", "yes", "", anna)


def test_the_consensus_page_shows_everyone_side_by_side_with_the_spread(individual, named, viewer_a):
    anna, ben, cleo = named("Anna"), named("Ben"), named("Cleo")
    set_individual_answer(individual, "a1.c1", "yes", "Anna's reason", anna)
    set_individual_answer(individual, "a1.c1", "yes", "", ben)
    set_individual_answer(individual, "a1.c1", "no", "Cleo's reason", cleo)
    set_individual_answer(individual, "a1.c2", "partly", "", anna)
    set_individual_answer(individual, "a1.c2", "partly", "", ben)
    open_consensus(individual)

    page = _client(viewer_a).get(url("consensus_area", individual, 1)).content.decode()

    assert "split: 2 Yes, 1 No" in page
    assert "all agree: Partly" in page
    for text in ("Anna", "Ben", "Cleo", "Anna&#x27;s reason", "Cleo&#x27;s reason"):
        assert text in page
    assert 'name="value"' not in page  # a viewer reads, records nothing


def test_an_editor_records_the_agreed_answer_without_javascript(individual, named, editor_a):
    set_individual_answer(individual, "a1.c1", "yes", "", named("Anna"))
    open_consensus(individual)

    response = _client(editor_a).post(
        url("consensus_area", individual, 1),
        {"item": "a1.c1", "value": "partly", "comment": "We agreed", "version": "0"},
    )

    assert response.status_code == 302 and response.headers["Location"].endswith("#a1.c1")
    answer = Answer.objects.get(assessment=individual, item_id="a1.c1")
    assert (answer.value, answer.comment, answer.updated_by) == ("partly", "We agreed", editor_a)


def test_an_editor_records_the_agreed_answer_with_htmx(individual, editor_a):
    open_consensus(individual)
    response = _client(editor_a).post(
        url("consensus_area", individual, 1),
        {"item": "a1.c1", "value": "yes", "comment": "", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section class="consensus-item" id="a1.c1"') and "Recorded: Yes" in body
    assert 'name="version" value="1"' in body


@pytest.mark.parametrize("htmx", [True, False])
def test_a_stale_agreed_answer_is_refused_with_theirs(individual, named, editor_a, htmx):
    open_consensus(individual)
    colleague = named("Dace", "Ozola")
    save_answer(individual, "a1.c1", "no", "Dace's view", colleague, base_version=0)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = _client(editor_a).post(
        url("consensus_area", individual, 1),
        {"item": "a1.c1", "value": "yes", "comment": "Mine", "version": "0"},
        **headers,
    )

    body = response.content.decode()
    assert response.status_code == (409 if htmx else 200)
    assert "Dace Ozola answered “No”" in body
    assert "Replace theirs with mine" in body and ">Mine</textarea>" in body
    assert 'name="version" value="1"' in body  # the next save deliberately replaces theirs
    assert Answer.objects.get(assessment=individual, item_id="a1.c1").value == "no"


def test_a_viewer_cannot_record_an_agreed_answer(individual, viewer_a):
    open_consensus(individual)
    response = _client(viewer_a).post(
        url("consensus_area", individual, 1), {"item": "a1.c1", "value": "yes", "version": "0"}
    )
    assert response.status_code == 403 and not Answer.objects.exists()


def test_a_round_answered_together_has_no_consensus_pages(assessment_a, owner_a):
    client = _client(owner_a)
    assert client.get(url("consensus", assessment_a)).status_code == 404
    assert client.get(url("consensus_area", assessment_a, 1)).status_code == 404
    assert client.post(url("consensus_open", assessment_a)).status_code == 404


def test_the_summary_reads_the_agreed_answers_and_shows_the_spread(individual, named, owner_a):
    anna, ben = named("Anna"), named("Ben")
    set_individual_answer(individual, "a1.c1", "yes", "", anna)
    set_individual_answer(individual, "a1.c1", "no", "", ben)
    set_individual_answer(individual, "a1.c2", "yes", "", anna)
    set_individual_answer(individual, "a1.c2", "yes", "", ben)
    open_consensus(individual)
    save_answer(individual, "a1.c1", "partly", "", owner_a)

    page = _client(owner_a).get(url("summary", individual)).content.decode()

    assert "1 of" in page  # one agreed answer
    assert "How much the team disagreed" in page
    spread = page.split('id="spread-title"')[1]
    assert "<td>2</td><td>1</td><td>50%</td>" in spread  # key area 1: 2 compared, 1 different


def test_spread_labels():
    assert Spread.of(["yes", "yes"]).label == "all agree: Yes"
    assert Spread.of(["no", "yes", "partly", "yes", "yes", "partly"]).label == "split: 3 Yes, 2 Partly, 1 No"
    assert Spread.of([]).label == "no answers yet"
    assert Spread.of(["yes", "no"]).majority is None and Spread.of(["no", "yes", "no"]).majority == "no"


# Exports -----------------------------------------------------------------------------------


@pytest.fixture
def opened(individual, named):
    set_individual_answer(individual, "a1.c1", "yes", "Anna's reason", named("Anna"))
    set_individual_answer(individual, "a1.c1", "no", "", named("Ben"))
    open_consensus(individual)
    return individual


def test_the_owner_exports_the_individual_answers(opened, owner_a):
    client = _client(owner_a)
    with translation.override("en"):
        export = lambda fmt: client.get(reverse("assessments:export", args=[opened.public_id, fmt]))  # noqa: E731
        data = json.loads(export("json").content)
        assert data["individual_answers"] == [
            {"member": "Anna", "item": "a1.c1", "value": "yes", "comment": "Anna's reason"},
            {"member": "Ben", "item": "a1.c1", "value": "no", "comment": ""},
        ]
        rows = list(csv.reader(io.StringIO(export("csv").content.decode("utf-8-sig"))))
        assert rows[0][-4:] == ["Answer: Anna", "Comment: Anna", "Answer: Ben", "Comment: Ben"]
        first = next(row for row in rows if row[2] == "a1.c1")
        assert first[-4:] == ["Yes", "Anna's reason", "No", ""]
        workbook = load_workbook(io.BytesIO(export("xlsx").content), read_only=True)
        sheet = workbook[workbook.sheetnames[-1]]
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert values[0] == ["Key area", "Item ID", "Checklist item", "Member", "Answer", "Comment"]
        assert [row[3:] for row in values[1:]] == [["Anna", "Yes", "Anna's reason"], ["Ben", "No", None]]


@pytest.mark.parametrize("persona", ["editor_a", "viewer_a"])
def test_editors_and_viewers_do_not_get_the_individual_answers(opened, persona, request):
    client = _client(request.getfixturevalue(persona))
    with translation.override("en"):
        for fmt in ("json", "csv", "xlsx"):
            response = client.get(reverse("assessments:export", args=[opened.public_id, fmt]))
            assert response.status_code == 200
            assert b"Anna" not in response.content, fmt
            if fmt == "xlsx":
                sheets = load_workbook(io.BytesIO(response.content), read_only=True).sheetnames
                assert sheets == ["Checklist", "Action plan", "Evidence"]


def test_an_owners_export_with_individual_answers_imports(opened, owner_a):
    client = _client(owner_a)
    with translation.override("en"):
        exported = client.get(reverse("assessments:export", args=[opened.public_id, "json"])).content
        response = client.post(reverse("assessments:import"), {"file": io.BytesIO(exported), "organisation": ""})
    assert response.status_code in (200, 302), response.content[:500]
    assert Assessment.objects.filter(title="Reception").count() == 2


# Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("members", [2, 8])
def test_the_consensus_page_runs_the_same_queries_whatever_the_number_of_members(
    individual, org_a, owner_a, edition, members, django_assert_num_queries
):
    from inclusion.assessments.answers import applicable_items

    for number in range(members):
        user = member_of(org_a, Role.EDITOR)
        for item in applicable_items(edition.areas[0], individual.organisation_kind):
            set_individual_answer(individual, item.id, ["yes", "no"][number % 2], f"reason {number}", user)
    open_consensus(individual)
    client = _client(owner_a)
    with django_assert_num_queries(7):
        response = client.get(url("consensus_area", individual, 1))
    assert response.status_code == 200


def test_a_member_who_left_still_shows_by_name(individual, org_a, named, owner_a):
    anna = named("Anna")
    set_individual_answer(individual, "a1.c1", "yes", "", anna)
    org_a.memberships.filter(user=anna).delete()
    open_consensus(individual)
    assert "Anna" in _client(owner_a).get(url("consensus_area", individual, 1)).content.decode()


def test_an_anonymous_visitor_gives_no_individual_answer(individual):
    with pytest.raises(AssessmentError):
        set_individual_answer(individual, "a1.c1", "yes", "", AnonymousUser())
