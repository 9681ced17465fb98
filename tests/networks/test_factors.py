"""The success-factor heatmap (issue 14): each round's success factors scored from their
checklist items as key areas are, kept right by a full and an incremental refresh, shown on
the coordinator's dashboard and in the report for the organisations sharing their summary
now, and nobody else."""

from datetime import timedelta

from django.utils import timezone

from inclusion.assessments.answers import applicable_items, save_answer
from inclusion.assessments.models import Answer, Assessment
from inclusion.handbook.services import get_handbook
from inclusion.networks.aggregates import refresh, scored_factors
from inclusion.networks.models import RefreshState, RoundAreaScore, RoundFactorScore
from inclusion.organisations.models import OrganisationKind
from inclusion.practices.library import gap_factor
from tests.factories import OrganisationFactory

from .conftest import answer_round


def _items_of(factor: str, kind: str = OrganisationKind.AUTHORITY) -> list[str]:
    edition = get_handbook().reference_edition
    return [item.id for area in edition.areas for item in applicable_items(area, kind) if gap_factor(item.id) == factor]


def _factor_scores(assessment) -> dict[str, tuple]:
    return {row.factor: (row.score, row.reading) for row in RoundFactorScore.objects.filter(assessment=assessment)}


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
