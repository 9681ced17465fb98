"""Issue 14: coordinators see the survey results of the organisations that share them with
the network now, through the suppression rule, exactly as the organisation's readers see
them; nothing of anyone else, and 404 for everyone who is not a coordinator."""

import pytest
from django.urls import reverse

from inclusion.feedback.results import summary_table
from inclusion.networks.membership import leave, set_sharing
from inclusion.networks.models import Coordinator, MemberStatus, NetworkMember, Sharing
from inclusion.networks.shared_surveys import ORGANISATIONS_PER_PAGE
from inclusion.organisations.models import Role
from tests.factories import NetworkFactory, OrganisationFactory, member_of

from .conftest import add_responses

COMMENT = "The woman at the desk knew my name"


def _list_url(network):
    return reverse("networks:surveys", args=[network.slug])


def _survey_url(network, survey_id):
    return reverse("networks:survey_results", args=[network.slug, survey_id])


def _list(client, network, query=""):
    response = client.get(_list_url(network) + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def sharing_org(add_member, add_survey):
    """A member sharing its survey results, with a survey of 6 responses and a reviewed comment."""
    organisation = add_member(Sharing.SURVEY, name="Talsi Welcome Centre")
    survey = add_survey(organisation, "Reception desk survey", 6, comment=COMMENT)
    return organisation, survey


# --- what is shown: only SURVEY, only active members, only this network ----------------------


@pytest.mark.parametrize(
    ("sharing", "shown"),
    [(Sharing.NOTHING, False), (Sharing.AGGREGATES, False), (Sharing.SUMMARY, False), (Sharing.SURVEY, True)],
)
def test_only_organisations_sharing_their_survey_results_are_shown(
    coordinator_client, network, add_member, add_survey, sharing, shown
):
    organisation = add_member(sharing, name="Cēsis Youth")
    survey = add_survey(organisation, "Cēsis youth survey", 6)

    page = _list(coordinator_client, network)
    results = coordinator_client.get(_survey_url(network, survey.pk))

    assert ("Cēsis Youth" in page) is shown
    assert ("Cēsis youth survey" in page) is shown
    assert results.status_code == (200 if shown else 404)
    assert ("Cēsis youth survey" in results.content.decode()) is shown


@pytest.mark.parametrize("status", [MemberStatus.INVITED, MemberStatus.REQUESTED])
def test_an_organisation_not_yet_a_member_is_not_shown(coordinator_client, network, add_survey, status):
    organisation = OrganisationFactory(name="Invited Centre", slug="invited-centre")
    NetworkMember.objects.create(network=network, organisation=organisation, status=status, sharing=Sharing.SURVEY)
    survey = add_survey(organisation, "Invited survey", 6)

    assert "Invited Centre" not in _list(coordinator_client, network)
    assert coordinator_client.get(_survey_url(network, survey.pk)).status_code == 404


def test_another_networks_shared_surveys_are_not_shown(coordinator_client, network, add_member, add_survey):
    other = NetworkFactory(name="Other network", slug="other-network")
    organisation = add_member(Sharing.SURVEY, name="Elsewhere Centre", to=other)
    survey = add_survey(organisation, "Elsewhere survey", 6)

    assert "Elsewhere Centre" not in _list(coordinator_client, network)
    assert coordinator_client.get(_survey_url(network, survey.pk)).status_code == 404


def test_an_organisation_without_surveys_is_listed_as_such(coordinator_client, network, add_member):
    add_member(Sharing.SURVEY, name="Quiet Centre")

    page = _list(coordinator_client, network)

    assert "Quiet Centre" in page and "No surveys yet." in page


def test_the_dashboard_links_to_the_shared_survey_results(coordinator_client, network):
    page = coordinator_client.get(reverse("networks:dashboard", args=[network.slug])).content.decode()

    assert f'href="{_list_url(network)}"' in page


# --- suppression -------------------------------------------------------------------------------


def test_four_responses_read_fewer_than_five_and_show_no_answers(coordinator_client, network, add_member, add_survey):
    organisation = add_member(Sharing.SURVEY, name="Small Centre")
    survey = add_survey(organisation, "Small survey", 4, satisfaction="2")

    page = _list(coordinator_client, network)
    row = page.split("Small survey")[1].split("</tr>")[0]
    results = coordinator_client.get(_survey_url(network, survey.pk))

    assert "fewer than 5" in row and ">4<" not in row
    assert results.context["results"].total is None
    assert all(result.answered is None for result in results.context["results"].questions)
    assert "Fewer than 5 responses" in results.content.decode()


def test_five_responses_are_counted_and_shown(coordinator_client, network, add_member, add_survey):
    organisation = add_member(Sharing.SURVEY, name="Five Centre")
    survey = add_survey(organisation, "Five survey", 5, satisfaction="2")

    row = _list(coordinator_client, network).split("Five survey")[1].split("</tr>")[0]
    results = coordinator_client.get(_survey_url(network, survey.pk))

    assert ">5<" in row and "fewer than 5" not in row
    assert results.context["results"].total == 5
    assert "5 responses." in results.content.decode()
    satisfaction = next(
        r for r in results.context["results"].questions if r.presented.question.bank_id == "q.satisfaction"
    )
    assert satisfaction.answered == 5 and satisfaction.mean == 2.0


def test_a_survey_without_responses_reads_zero(coordinator_client, network, add_member, add_survey):
    organisation = add_member(Sharing.SURVEY, name="New Centre")
    add_survey(organisation, "New survey", 0)

    row = _list(coordinator_client, network).split("New survey")[1].split("</tr>")[0]

    assert ">0<" in row


def test_the_results_are_those_the_organisations_readers_see(coordinator_client, network, sharing_org, signed_in):
    organisation, survey = sharing_org
    add_responses(survey, 3, satisfaction="1")  # 9 responses: the 1s (3) are hidden, with a complement
    viewer = signed_in(member_of(organisation, Role.VIEWER))

    theirs = viewer.get(reverse("feedback:results", args=[organisation.slug, survey.pk]))
    ours = coordinator_client.get(_survey_url(network, survey.pk))

    assert theirs.status_code == ours.status_code == 200
    assert summary_table(ours.context["results"], "").rows == summary_table(theirs.context["results"], "").rows
    counts = [row[2] for row in summary_table(ours.context["results"], "").rows]
    assert not any(isinstance(count, int) and 0 < count < 5 for count in counts)


def test_written_answers_stay_with_the_organisation(coordinator_client, network, sharing_org, signed_in):
    organisation, survey = sharing_org
    viewer = signed_in(member_of(organisation, Role.VIEWER))
    # Seeded: the organisation's own reader sees the reviewed comment.
    assert COMMENT in viewer.get(reverse("feedback:results", args=[organisation.slug, survey.pk])).content.decode()

    page = coordinator_client.get(_survey_url(network, survey.pk)).content.decode()

    assert COMMENT not in page
    assert "Answers per person (CSV)" not in page and "Mark reviewed" not in page
    assert reverse("feedback:export", args=[organisation.slug, survey.pk, "csv"]) not in page


def test_right_to_left_titles_are_isolated(coordinator_client, network, add_member, add_survey):
    organisation = add_member(Sharing.SURVEY, name="مركز الترحيب")
    survey = add_survey(organisation, "استطلاع الاستقبال", 6)

    page = _list(coordinator_client, network)
    results = coordinator_client.get(_survey_url(network, survey.pk)).content.decode()

    assert '<bdi dir="auto">مركز الترحيب</bdi>' in page
    assert 'dir="auto">استطلاع الاستقبال</a>' in page
    assert '<bdi dir="auto">استطلاع الاستقبال</bdi>' in results


# --- leaving and withdrawing take effect at once ---------------------------------------------


def test_leaving_hides_the_surveys_at_once(coordinator_client, network, sharing_org):
    organisation, survey = sharing_org
    assert coordinator_client.get(_survey_url(network, survey.pk)).status_code == 200

    leave(NetworkMember.objects.get(network=network, organisation=organisation), None)

    assert "Talsi Welcome Centre" not in _list(coordinator_client, network)
    assert coordinator_client.get(_survey_url(network, survey.pk)).status_code == 404


@pytest.mark.parametrize("less", [Sharing.SUMMARY, Sharing.AGGREGATES, Sharing.NOTHING])
def test_withdrawing_hides_the_surveys_at_once_and_sharing_again_shows_them(
    coordinator_client, network, sharing_org, less
):
    organisation, survey = sharing_org
    member = NetworkMember.objects.get(network=network, organisation=organisation)

    set_sharing(member, less, None)
    hidden_list = _list(coordinator_client, network)
    hidden = coordinator_client.get(_survey_url(network, survey.pk)).status_code
    set_sharing(member, Sharing.SURVEY, None)

    assert "Talsi Welcome Centre" not in hidden_list and hidden == 404
    assert "Talsi Welcome Centre" in _list(coordinator_client, network)
    assert coordinator_client.get(_survey_url(network, survey.pk)).status_code == 200


# --- who may see it ----------------------------------------------------------------------------


@pytest.fixture
def others(network, sharing_org):
    """Everyone who is not a coordinator of the network, signed in where they have an account."""
    organisation, _survey = sharing_org
    elsewhere = NetworkFactory(name="Other network", slug="other-network")
    other_coordinator = member_of(OrganisationFactory(slug="other-body"), Role.OWNER)
    Coordinator.objects.create(network=elsewhere, user=other_coordinator)
    return {
        "anonymous": None,
        "owner of the sharing organisation": member_of(organisation, Role.OWNER),
        "viewer of the sharing organisation": member_of(organisation, Role.VIEWER),
        "coordinator of another network": other_coordinator,
        "outsider": member_of(OrganisationFactory(slug="riga-welcome"), Role.OWNER),
    }


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "owner of the sharing organisation",
        "viewer of the sharing organisation",
        "coordinator of another network",
        "outsider",
    ],
)
def test_everyone_but_the_coordinators_gets_404(client, network, sharing_org, others, who):
    _organisation, survey = sharing_org
    if others[who] is not None:
        client.force_login(others[who])

    for url in (_list_url(network), _survey_url(network, survey.pk)):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 404, (who, url)
            assert "Reception desk survey" not in response.content.decode()
            assert "Talsi Welcome Centre" not in response.content.decode()


def test_a_coordinator_of_another_network_cannot_reach_it_through_their_own(client, network, sharing_org, others):
    _organisation, survey = sharing_org
    client.force_login(others["coordinator of another network"])

    assert client.get(_survey_url(network, survey.pk).replace(network.slug, "other-network")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/en/networks/lv-network/surveys/0/",
        "/en/networks/lv-network/surveys/999999/",
        "/en/networks/lv-network/surveys/99999999999999999999999/",
        "/en/networks/lv-network/surveys/abc/",
        "/en/networks/lv-network/surveys/-1/",
        "/en/networks/no-such-network/surveys/",
    ],
)
def test_bad_ids_are_404_not_500(coordinator_client, sharing_org, path):
    assert coordinator_client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", ""])
def test_a_bad_page_number_shows_a_page(coordinator_client, network, sharing_org, page):
    assert "Talsi Welcome Centre" in _list(coordinator_client, network, f"?page={page}")


# --- bounded: paginated, a constant number of queries ------------------------------------------


def _sharing_organisations(network, count, add_survey, surveys_each=1, responses=0):
    for number in range(count):
        organisation = OrganisationFactory(name=f"Sharing {number:03}", slug=f"sharing-{number}")
        NetworkMember.objects.create(
            network=network, organisation=organisation, status=MemberStatus.ACTIVE, sharing=Sharing.SURVEY
        )
        for index in range(surveys_each):
            add_survey(organisation, f"Survey {number:03}-{index}", responses)


def test_the_list_is_paginated(coordinator_client, network, add_survey):
    _sharing_organisations(network, ORGANISATIONS_PER_PAGE + 1, add_survey)

    first = coordinator_client.get(_list_url(network))
    second = _list(coordinator_client, network, "?page=2")

    assert len(first.context["organisations"]) == ORGANISATIONS_PER_PAGE
    assert f"Sharing {ORGANISATIONS_PER_PAGE:03}" in second and "Sharing 000" not in second
    assert 'rel="next"' in first.content.decode()


# session, user, network, count, page of organisations, their surveys with response counts
LIST_QUERIES = 6


@pytest.mark.parametrize(("organisations", "surveys_each"), [(5, 1), (20, 3)])
def test_the_list_runs_a_constant_number_of_queries(
    coordinator_client, network, add_survey, django_assert_num_queries, organisations, surveys_each
):
    _sharing_organisations(network, organisations, add_survey, surveys_each, responses=2)
    add_responses(NetworkMember.objects.first().organisation.surveys.first(), 5)

    with django_assert_num_queries(LIST_QUERIES):
        response = coordinator_client.get(_list_url(network))

    assert len(response.context["organisations"]) == organisations
    assert sum(len(entry.surveys) for entry in response.context["organisations"]) == organisations * surveys_each


# session, user, network, the survey (with its organisation's sharing), its questions, then the
# results' aggregates: newest response, per language and channel, per day, per answer, people
# per multiple-choice question, scale answers per day.
RESULTS_QUERIES = 11


@pytest.mark.parametrize("responses", [5, 20])
def test_a_surveys_results_run_a_constant_number_of_queries(
    coordinator_client, network, add_member, add_survey, django_assert_num_queries, responses
):
    organisation = add_member(Sharing.SURVEY)
    survey = add_survey(organisation, "Counted survey", responses, comment=COMMENT)

    with django_assert_num_queries(RESULTS_QUERIES):
        response = coordinator_client.get(_survey_url(network, survey.pk))

    assert response.context["results"].total == responses
