"""Learning from each other: a self-assessment summary suggests practices for its shortfalls."""

from django.core.cache import cache
from django.utils import timezone

from inclusion.assessments.answers import save_answer
from inclusion.assessments.rounds import start_assessment
from inclusion.assessments.summary import compile_summary
from inclusion.core import fragments
from inclusion.handbook.services import get_handbook
from inclusion.practices.library import gap_factor, suggested_practices
from inclusion.practices.models import Practice


def _assessment(org, user, answers):
    assessment, _token = start_assessment(title="Reception", organisation_kind="authority", organisation=org, user=user)
    for item_id, value in answers.items():
        save_answer(assessment, item_id, value)
    return assessment


def _summary(assessment):
    return compile_summary(assessment, get_handbook().edition("en"))


def test_every_gap_maps_to_a_success_factor_of_its_own_area_or_none():
    edition = get_handbook().edition("en")
    mapped = 0
    for area in edition.areas:
        factors = {factor.id for factor in area.success_factors}
        for item in area.checklist_items:
            factor = gap_factor(item.id)
            assert factor == "" or factor in factors
            mapped += bool(factor)
    assert mapped > len([i for a in edition.areas for i in a.checklist_items]) // 2


def test_only_areas_that_fall_short_get_suggestions(org_a, editor_a):
    edition = get_handbook().edition("en")
    answers = {item.id: "yes" for item in edition.area(1).checklist_items}
    answers.update({item.id: "no" for item in edition.area(2).checklist_items[:2]})
    suggestions = suggested_practices(_summary(_assessment(org_a, editor_a, answers)).shortfalls)
    assert set(suggestions) == {"a2"}
    assert len(suggestions["a2"]) == 3
    assert all(practice.area == "a2" for practice in suggestions["a2"])


def test_practices_of_the_gaps_success_factors_come_first(org_a, editor_a):
    edition = get_handbook().edition("en")
    illustrated = set(Practice.objects.filter(area="a4").values_list("success_factor", flat=True)) - {"a4.sf1"}
    item = next(i for i in edition.area(4).checklist_items if gap_factor(i.id) in illustrated)
    factor = gap_factor(item.id)
    suggestions = suggested_practices(_summary(_assessment(org_a, editor_a, {item.id: "partly"})).shortfalls)
    first = suggestions["a4"][0]
    assert first.success_factor == factor
    assert first.is_for_gap


def test_summary_page_links_to_suggested_practices(client, org_a, editor_a):
    edition = get_handbook().edition("en")
    assessment = _assessment(org_a, editor_a, {edition.area(3).checklist_items[0].id: "no"})
    client.force_login(editor_a)
    body = client.get(f"/en/assessments/{assessment.public_id}/summary/").content.decode()
    suggested = suggested_practices(_summary(assessment).shortfalls)["a3"]
    assert "Learn from others" in body
    for practice in suggested:
        assert f'href="/en/practices/{practice.pk}/"' in body
    assert 'href="/en/practices/?area=a3"' in body
    assert body.count("Learn from others") == 1


def test_summary_query_count_does_not_grow_with_practices(client, django_assert_num_queries, org_a, editor_a):
    edition = get_handbook().edition("en")
    answers = {item.id: "partly" for area in edition.areas for item in area.checklist_items[:1]}
    assessment = _assessment(org_a, editor_a, answers)
    client.force_login(editor_a)
    url = f"/en/assessments/{assessment.public_id}/summary/"
    client.get(url)
    cache.clear()  # the page as rendered, not from the summary cache (assessments.summary)
    fragments.clear()
    # 9 with the networks' benchmarks panel.
    with django_assert_num_queries(9) as small:
        client.get(url)
    now = timezone.now()
    Practice.objects.bulk_create(
        Practice(is_published=True, published_at=now, title={"en": f"P{n}"}, area=f"a{n % 6 + 1}", success_factor="")
        for n in range(300)
    )
    cache.clear()
    fragments.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("Learn from others") == 6


def test_suggestions_take_plain_shortfalls_and_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        suggestions = suggested_practices({"a2": [], "a5": ["a5.c1"]})
    assert set(suggestions) == {"a2", "a5"}
    assert all(practice.area == area for area, practices in suggestions.items() for practice in practices)
    assert len(suggestions["a2"]) == 3
    with django_assert_num_queries(0):
        assert suggested_practices({}) == {}
