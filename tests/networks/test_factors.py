"""The success-factor heatmap (issue 14): each round's success factors scored from their
checklist items as key areas are, kept right by a full and an incremental refresh, shown on
the coordinator's dashboard and in the report for the organisations sharing their summary
now, and nobody else."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from inclusion.assessments.answers import applicable_items, save_answer
from inclusion.assessments.models import Answer, Assessment
from inclusion.handbook.services import get_handbook
from inclusion.networks.aggregates import refresh, scored_factors
from inclusion.networks.models import NetworkMember, RefreshState, RoundAreaScore, RoundFactorScore, Sharing
from inclusion.organisations.models import OrganisationKind
from inclusion.practices.library import gap_factor
from tests.factories import OrganisationFactory

from .conftest import answer_round


def _items_of(factor: str, kind: str = OrganisationKind.AUTHORITY) -> list[str]:
    edition = get_handbook().reference_edition
    return [item.id for area in edition.areas for item in applicable_items(area, kind) if gap_factor(item.id) == factor]


def _factor_scores(assessment) -> dict[str, tuple]:
    return {row.factor: (row.score, row.reading) for row in RoundFactorScore.objects.filter(assessment=assessment)}


def _factors_section(page: str) -> str:
    return page.split('id="factors-title"')[1].split('id="progress-title"')[0]


def _dashboard(client, network, query=""):
    response = client.get(reverse("networks:dashboard", args=[network.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


# --- the aggregate ---


def test_a_success_factor_is_scored_from_its_checklist_items(content):
    organisation = OrganisationFactory(kind=OrganisationKind.AUTHORITY)
    assessment = Assessment.objects.create(
        organisation=organisation, title="Round", organisation_kind=organisation.kind, content_version="test"
    )
    needs = _items_of("a1.sf2")
    assert needs == ["a1.c1", "a1.c3"]
    Answer.objects.create(assessment=assessment, item_id="a1.c1", value="yes")
    Answer.objects.create(assessment=assessment, item_id="a1.c3", value="partly")
    Answer.objects.create(assessment=assessment, item_id="a1.c10", value="no")  # a1.sf1's only item
    Answer.objects.create(assessment=assessment, item_id="a1.c4", value="na")  # one of a1.sf3's items
    refresh()
    scores = _factor_scores(assessment)
    assert scores["a1.sf2"] == (75, "improve")
    assert scores["a1.sf1"] == (0, "rethink")
    assert scores["a1.sf3"] == (None, "not_started")
    assert "a1.sf5" not in scores  # no checklist item is about it
    assert set(scores) == set(scored_factors(get_handbook().reference_edition))  # all 24 apply to authorities
    assert RoundFactorScore.objects.filter(assessment=assessment, latest=True).count() == len(scores)


def test_a_factor_none_of_whose_items_applies_to_the_kind_gets_no_row(add_member):
    organisation = add_member(kind=OrganisationKind.NGO)
    refresh()
    scored = set(_factor_scores(organisation.assessments.get()))
    everything = set(scored_factors(get_handbook().reference_edition))
    assert scored < everything
    assert all(_items_of(factor, OrganisationKind.NGO) == [] for factor in everything - scored)


def test_an_incremental_refresh_updates_the_factor_scores(add_member):
    organisation = add_member(values="no")
    refresh()
    assessment = organisation.assessments.get()
    assert _factor_scores(assessment)["a1.sf2"] == (0, "rethink")
    save_answer(assessment, "a1.c1", "yes")
    result = refresh()
    assert result.rounds == 1
    assert _factor_scores(assessment)["a1.sf2"] == (50, "improve")


def test_a_full_refresh_and_an_incremental_one_agree(add_member):
    first = add_member(values={"a1": "partly", "a2": "no"})
    answer_round(first, "yes")
    add_member(values={"a3": "na", "a4": "partly"}, kind=OrganisationKind.EDUCATION)
    refresh()
    save_answer(first.assessments.order_by("pk").first(), "a1.c1", "no")
    refresh()
    columns = ("assessment_id", "organisation_id", "factor", "score", "reading", "latest")
    incremental = sorted(RoundFactorScore.objects.values_list(*columns))
    refresh(full=True)
    assert sorted(RoundFactorScore.objects.values_list(*columns)) == incremental


def test_the_latest_factor_scores_move_back_when_the_round_is_deleted(add_member):
    organisation = add_member(values="no")
    newer = answer_round(organisation, "yes")
    refresh()
    assert RoundFactorScore.objects.get(organisation=organisation, latest=True, factor="a1.sf2").reading == (
        "comprehensive"
    )
    newer_pk = newer.pk
    newer.delete()
    refresh()
    assert not RoundFactorScore.objects.filter(assessment_id=newer_pk).exists()
    assert RoundFactorScore.objects.get(organisation=organisation, latest=True, factor="a1.sf2").reading == "rethink"


def test_a_round_moved_out_of_its_organisation_drops_its_factor_rows(add_member):
    organisation = add_member()
    refresh()
    assessment = organisation.assessments.get()
    Assessment.objects.filter(pk=assessment.pk).update(organisation=None, private_token_hash="0" * 64)
    refresh(full=True)
    assert not RoundFactorScore.objects.filter(assessment=assessment).exists()
    assert not RoundAreaScore.objects.filter(assessment=assessment).exists()


def test_rounds_scored_before_the_factor_table_are_scored_again_without_a_watermark(add_member):
    """What migration 0003 relies on: clearing the watermark rescores every round."""
    organisation = add_member(values="no")
    refresh()
    RoundFactorScore.objects.all().delete()
    Assessment.objects.update(updated_at=timezone.now() - timedelta(hours=1))  # outside the overlap
    refresh()
    assert not RoundFactorScore.objects.exists()  # nothing changed since the watermark
    RefreshState.objects.update(watermark=None)
    refresh()
    assert _factor_scores(organisation.assessments.get())["a1.sf2"] == (0, "rethink")
    assert RoundFactorScore.objects.filter(organisation=organisation, latest=True).exists()


# --- the dashboard ---


def test_the_dashboard_shows_the_factor_readings(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, {"a1": "no"}, name="Cēsis Youth", kind=OrganisationKind.AUTHORITY)
    refresh()
    section = _factors_section(_dashboard(coordinator_client, network))
    row = section.split("Cēsis Youth")[1].split("</tr>")[0]
    factors = scored_factors(get_handbook().reference_edition)
    in_a1 = len([factor for factor in factors if factor.startswith("a1.")])
    assert row.count("Rethink") == in_a1 == 4
    assert row.count("Comprehensive") == len(factors) - in_a1 == 20
    assert row.count("<td>") == 24


def test_the_factor_columns_are_labelled_for_everyone(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, name="Cēsis Youth")
    refresh()
    section = _factors_section(_dashboard(coordinator_client, network))
    assert 'tabindex="0" role="region" aria-labelledby="factors-title"' in section
    assert '<th scope="colgroup" colspan="4">1. ' in section
    assert (
        '<abbr title="Needs assessment based on multiple sources" aria-hidden="true">1.2</abbr>'
        '<span class="visually-hidden">1.2 Needs assessment based on multiple sources</span>'
    ) in section
    assert "<dt>1.2</dt><dd>Needs assessment based on multiple sources</dd>" in section
    assert "1.5" not in section  # no checklist item is about it


def test_a_factor_that_does_not_apply_to_the_kind_says_so(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, name="Cēsis Youth", kind=OrganisationKind.NGO)
    refresh()
    row = _factors_section(_dashboard(coordinator_client, network)).split("Cēsis Youth")[1].split("</tr>")[0]
    assert row.count("Not applicable") == 2 and row.count("Comprehensive") == 22


@pytest.mark.parametrize(
    ("sharing", "named"),
    [(Sharing.NOTHING, False), (Sharing.AGGREGATES, False), (Sharing.SUMMARY, True), (Sharing.SURVEY, True)],
)
def test_the_factor_heatmap_lists_only_organisations_sharing_their_summary(
    coordinator_client, network, add_member, sharing, named
):
    add_member(Sharing.SUMMARY, name="Always Shown")
    add_member(sharing, name="Talsi Welcome Centre")
    refresh()
    section = _factors_section(_dashboard(coordinator_client, network))
    assert "Always Shown" in section
    assert ("Talsi Welcome Centre" in section) is named


def test_an_organisation_that_leaves_disappears_from_the_next_factor_heatmap(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, name="Always Shown")
    organisation = add_member(Sharing.SUMMARY, name="Ogre Library")
    refresh()
    assert "Ogre Library" in _factors_section(_dashboard(coordinator_client, network))
    NetworkMember.objects.filter(organisation=organisation).delete()
    assert "Ogre Library" not in _factors_section(_dashboard(coordinator_client, network))


def test_the_factor_heatmap_follows_the_filters_and_the_page(coordinator_client, network, add_member, monkeypatch):
    from inclusion.networks import dashboard

    monkeypatch.setattr(dashboard, "HEATMAP_PAGE_SIZE", 2)
    for name in ("Aizpute", "Bauska", "Cēsis"):
        add_member(Sharing.SUMMARY, name=f"{name} School", kind=OrganisationKind.EDUCATION)
    add_member(Sharing.SUMMARY, name="Dobele NGO")
    refresh()
    section = _factors_section(_dashboard(coordinator_client, network, "?kind=education&page=2"))
    assert "Cēsis School" in section
    assert "Aizpute School" not in section and "Bauska School" not in section and "Dobele NGO" not in section


# --- the report ---


@pytest.mark.parametrize(
    ("language", "sheet", "header", "reading"),
    [
        ("en", "Success factors", "1.2 Needs assessment based on multiple sources", "Rethink 0%"),
        ("lv", "Veiksmes faktori", "1.2 Vajadzību novērtējums, pamatojoties uz vairākiem avotiem", "Pārdomāt 0%"),
    ],
)
def test_the_xlsx_report_has_a_success_factor_sheet(
    coordinator_client, network, add_member, language, sheet, header, reading
):
    add_member(Sharing.SUMMARY, {"a1": "no"}, name="Sigulda Centre", kind=OrganisationKind.AUTHORITY, region="Vidzeme")
    add_member(Sharing.AGGREGATES, name="Hidden Aggregates Org")
    add_member(Sharing.NOTHING, name="Hidden Nothing Org")
    refresh()
    url = reverse("networks:report", args=[network.slug, "xlsx"]).replace("/en/", f"/{language}/")
    workbook = load_workbook(io.BytesIO(coordinator_client.get(url).content))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    assert len(rows) == 2
    titles, sigulda = rows
    assert len(titles) == 3 + 24
    assert header in titles
    assert (sigulda[0], sigulda[2]) == ("Sigulda Centre", "Vidzeme")
    assert sigulda[titles.index(header)] == reading


def test_the_pdf_report_has_the_success_factors(coordinator_client, network, add_member):
    add_member(Sharing.SUMMARY, {"a1": "no"}, name="Sigulda Centre", kind=OrganisationKind.AUTHORITY)
    add_member(Sharing.AGGREGATES, name="Hidden Aggregates Org")
    refresh()
    response = coordinator_client.get(reverse("networks:report", args=[network.slug, "pdf"]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    factors = text.split("Success factors")[-1]
    assert "1.2 Needs assessment based on multiple sources" in " ".join(factors.split())
    assert "Sigulda Centre" in factors and "Rethink" in factors
    assert "Hidden Aggregates Org" not in text
