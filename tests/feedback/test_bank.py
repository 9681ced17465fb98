"""The question bank files: same IDs and fields in every language, tied to real handbook IDs."""

import shutil

import yaml
from django.conf import settings

from inclusion.feedback.bank import RESPONDENT_LANGUAGES, bank_directory, get_question_bank, validate_bank
from inclusion.handbook.services import get_handbook


def test_bank_files_agree_across_languages_and_cite_real_handbook_ids():
    entries = get_handbook().edition("en").entries
    assert validate_bank(bank_directory(), entries) == []


def test_bank_has_every_question_in_every_respondent_language():
    bank = get_question_bank()
    assert list(bank) == [
        "q.satisfaction", "q.respect", "q.information", "q.language", "q.barriers", "q.improve", "q.comment",
    ]  # fmt: skip
    for question in bank.values():
        assert set(question.text) == set(RESPONDENT_LANGUAGES)
        assert all(text.strip() for text in question.text.values())
        for option in question.options:
            assert set(option.text) == set(RESPONDENT_LANGUAGES)
    # The translations are real translations, not copies of the English.
    for code in ("lv", "uk", "ru", "ar", "fa"):
        assert bank["q.information"].text[code] != bank["q.information"].text["en"]


def test_bank_ties_information_question_to_area_1_information_success_factor():
    question = get_question_bank()["q.information"]
    assert (question.area, question.success_factor) == ("a1", "a1.sf4")
    name = get_handbook().edition("en").entries["a1.sf4"].label
    assert "information" in name.lower()


def test_bank_validation_names_the_file_and_the_problem(tmp_path):
    target = tmp_path / "feedback"
    shutil.copytree(settings.CONTENT_DIR / "feedback", target)
    data = yaml.safe_load((target / "fa.yaml").read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["id"] != "q.respect"]
    (target / "fa.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    data = yaml.safe_load((target / "uk.yaml").read_text(encoding="utf-8"))
    data["questions"][0]["area"] = "a2"
    data["questions"][1]["text"] = ""
    (target / "uk.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    problems = validate_bank(target)

    assert problems == [
        "uk.yaml: q.respect: 'text' is missing or empty",
        "uk.yaml: the IDs, kinds, areas, success factors or options differ from en.yaml",
        "fa.yaml: the IDs, kinds, areas, success factors or options differ from en.yaml"
        " (missing ['q.respect'], extra [])",
    ]
