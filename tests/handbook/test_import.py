"""Importing content into the database: idempotent, updates in place, retires, never deletes."""

import pytest
import yaml

from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import import_content

pytestmark = pytest.mark.django_db


def test_import_creates_every_item_once(handbook):
    report = import_content(handbook)
    assert report.created == len(handbook.edition("lv").entries)
    assert HandbookItem.objects.filter(kind="checklist_item").count() == 80
    assert HandbookItem.objects.filter(kind="indicator").count() == 34
    item = HandbookItem.objects.get(key="a4.c15")
    assert item.attributes["applies_to"] == "authority"
    assert item.label["lv"] == handbook.edition("lv").entries["a4.c15"].label
    assert item.label["en"] == handbook.edition("en").entries["a4.c15"].label


def test_second_import_changes_nothing(handbook):
    import_content(handbook)
    before = list(HandbookItem.objects.order_by("key").values())
    report = import_content(handbook)
    assert (report.created, report.updated, report.retired, report.restored) == (0, 0, 0, 0)
    assert report.unchanged == len(before)
    assert list(HandbookItem.objects.order_by("key").values()) == before


def test_changed_text_updates_the_same_row(handbook, content_copy, load_copy):
    import_content(handbook)
    row_id = HandbookItem.objects.get(key="a1.c1").pk
    path = content_copy / "en" / "a1.yaml"
    data = yaml.safe_load(path.read_text())
    data["checklist"]["groups"][0]["items"][0]["text"] = "Reworded item"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    report = import_content(load_copy(content_copy))

    assert (report.created, report.updated) == (0, 1)
    item = HandbookItem.objects.get(key="a1.c1")
    assert item.pk == row_id
    assert item.label["en"] == "Reworded item"


def _remove_glossary_term(content_dir, term_id):
    for language in ("lv", "en"):
        path = content_dir / language / "glossary.yaml"
        data = yaml.safe_load(path.read_text())
        data["terms"] = [term for term in data["terms"] if term["id"] != term_id]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_removed_item_is_retired_not_deleted_and_can_return(handbook, content_copy, load_copy):
    import_content(handbook)
    term_id = handbook.edition("en").glossary.terms[0].id
    old_label = HandbookItem.objects.get(key=term_id).label
    _remove_glossary_term(content_copy, term_id)

    report = import_content(load_copy(content_copy))

    assert report.retired == 1
    retired = HandbookItem.objects.get(key=term_id)
    assert retired.is_retired
    assert retired.label == old_label  # old records that cite it keep its text

    report = import_content(handbook)
    assert report.restored == 1
    assert not HandbookItem.objects.get(key=term_id).is_retired
