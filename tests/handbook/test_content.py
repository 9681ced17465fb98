"""The content files: schema, counts from the seed README, and agreement between languages."""

import pytest
import yaml

from inclusion.handbook.content import ContentError

from ..conftest import LANGUAGES

# Counts read from ../shared/seed/README.md.
CHECKLIST_ITEMS = {1: 10, 2: 15, 3: 17, 4: 19, 5: 9, 6: 10}
RESOURCES = {1: 5, 2: 10, 3: 7, 4: 6, 5: 6, 6: 8}
CRITERIA_SHAPE = {"k1": (3, 11), "k2": (4, 9), "k3": (1, 6), "k4": (2, 4), "k5": (2, 4)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_content_counts_match_the_handbook(handbook, language):
    edition = handbook.edition(language)
    assert [len(area.checklist_items) for area in edition.areas] == [CHECKLIST_ITEMS[n] for n in range(1, 7)]
    assert [len(area.resources) for area in edition.areas] == [RESOURCES[n] for n in range(1, 7)]
    assert sum(len(area.practices) for area in edition.areas) == 62
    assert len(edition.summary.items) == 13
    assert len(edition.glossary.terms) == 19
    shape = {c.id: (len(c.questions), len(c.indicators)) for c in edition.criteria.criteria}
    assert shape == CRITERIA_SHAPE
    assert len(edition.front.sections) >= 10


def test_area_4_has_a_local_authority_checklist(handbook):
    area = handbook.edition("en").area(4)
    service_providers = [item.id for group in area.checklist.groups[:2] for item in group.items]
    authorities = area.checklist.groups[2]
    assert service_providers == [f"a4.c{n}" for n in range(1, 15)]
    assert authorities.id == "a4.g3"
    assert [item.id for item in authorities.items] == [f"a4.c{n}" for n in range(15, 20)]
    assert {item.applies_to for item in authorities.items} == {"authority"}


def test_every_language_has_the_same_ids(handbook):
    reference = set(handbook.edition(LANGUAGES[0]).entries)
    for language in LANGUAGES[1:]:
        assert set(handbook.edition(language).entries) == reference


def test_practices_reference_their_own_areas_success_factors(handbook):
    for area in handbook.edition("lv").areas:
        factor_ids = {factor.id for factor in area.success_factors}
        assert {practice.success_factor for practice in area.practices} <= factor_ids


def test_latvian_text_has_its_diacritics(handbook):
    """The OCR lost diacritics; the restored text uses them, and the OCR's stand-ins are gone."""
    edition = handbook.edition("lv")
    text = " ".join(entry.label for entry in edition.entries.values())
    assert "bēgļu" in text
    assert "begļu" not in text and "béglu" not in text
    assert "$" not in text and "§" not in text


def test_content_version_changes_with_the_files(content_copy, load_copy, handbook):
    assert load_copy(content_copy).version == handbook.version
    path = content_copy / "en" / "glossary.yaml"
    path.write_text(path.read_text().replace("title:", "title: Changed", 1))
    assert load_copy(content_copy).version != handbook.version


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_invalid_value_names_file_item_and_problem(content_copy, load_copy):
    def break_item(data):
        data["checklist"]["groups"][0]["items"][1]["applies_to"] = "everyone"

    _edit(content_copy / "en" / "a2.yaml", break_item)
    with pytest.raises(ContentError) as error:
        load_copy(content_copy)
    [problem] = error.value.problems
    assert problem.startswith(f"{content_copy / 'en' / 'a2.yaml'}: a2.c2: ")
    assert "applies_to" in problem and "'all', 'authority' or 'not_ngo'" in problem


def test_missing_id_in_one_language_is_reported(content_copy, load_copy):
    def drop_last_term(data):
        data["terms"].pop()

    _edit(content_copy / "en" / "glossary.yaml", drop_last_term)
    with pytest.raises(ContentError) as error:
        load_copy(content_copy)
    assert any("missing here but present in lv" in problem for problem in error.value.problems)


def test_language_independent_fields_must_agree(content_copy, load_copy):
    def change_threshold(data):
        data["criteria"][0]["threshold"] = 50

    _edit(content_copy / "en" / "criteria.yaml", change_threshold)
    with pytest.raises(ContentError) as error:
        load_copy(content_copy)
    [problem] = error.value.problems
    assert "k1: language-independent fields differ from lv" in problem


def test_non_web_links_are_rejected(content_copy, load_copy):
    def bad_link(data):
        data["practices"][0]["links"] = ["javascript:alert(1)"]

    _edit(content_copy / "lv" / "a1.yaml", bad_link)
    with pytest.raises(ContentError) as error:
        load_copy(content_copy)
    assert any("a1.p1" in problem and "http:// or https://" in problem for problem in error.value.problems)


def test_broken_yaml_and_missing_files_are_reported(content_copy, load_copy):
    (content_copy / "lv" / "summary.yaml").write_text("items: [unclosed")
    (content_copy / "en" / "a6.yaml").unlink()
    with pytest.raises(ContentError) as error:
        load_copy(content_copy)
    problems = "\n".join(error.value.problems)
    assert f"{content_copy / 'lv' / 'summary.yaml'}: not valid YAML" in problems
    assert f"{content_copy / 'en' / 'a6.yaml'}: the file is missing" in problems


def test_unknown_fields_are_rejected(content_copy, load_copy):
    def typo(data):
        data["terms"][0]["defintion"] = "typo"

    _edit(content_copy / "lv" / "glossary.yaml", typo)
    with pytest.raises(ContentError) as error:
        load_copy(content_copy)
    assert any("defintion: Extra inputs are not permitted" in problem for problem in error.value.problems)


def test_norway_is_not_a_boolean(handbook):
    """YAML 1.1 reads NO as false; the loader keeps country codes as text."""
    countries = {code for area in handbook.edition("en").areas for p in area.practices for code in p.countries}
    assert all(isinstance(code, str) and len(code) == 2 for code in countries)


def test_every_id_fits_the_database_column(handbook):
    """SQLite ignores VARCHAR lengths; PostgreSQL does not. Catch a long ID before it ships."""
    from inclusion.handbook.models import HandbookItem

    limit = HandbookItem._meta.get_field("key").max_length
    too_long = [item_id for item_id in handbook.edition("lv").entries if len(item_id) > limit]
    assert too_long == []
