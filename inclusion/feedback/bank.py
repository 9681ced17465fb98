"""The question bank: template questions kept as data in content/feedback/<language>.yaml.

Like the handbook, each language has its own file with the same question IDs and the same
language-independent fields, so wording can be corrected without touching stored answers
(answers point at a question row, which points at a bank ID).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

# The languages every respondent page speaks, with their own names for the switcher.
RESPONDENT_LANGUAGES = {
    "lv": "Latviešu",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "fa": "فارسی",
}
BANK_KINDS = {"scale", "single", "multiple", "yesno", "text"}
LANGUAGE_INDEPENDENT = ("id", "kind", "area", "success_factor")


@dataclass(frozen=True)
class BankOption:
    id: str
    text: dict[str, str]


@dataclass(frozen=True)
class BankQuestion:
    id: str
    kind: str
    area: str
    success_factor: str
    text: dict[str, str]  # language -> wording
    options: tuple[BankOption, ...] = field(default_factory=tuple)


class BankError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def bank_directory() -> Path:
    return Path(settings.CONTENT_DIR) / "feedback"


def _read(path: Path, problems: list[str]) -> list[dict]:
    if not path.exists():
        problems.append(f"{path.name}: the file is missing")
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    questions = data.get("questions")
    if not isinstance(questions, list):
        problems.append(f"{path.name}: 'questions' must be a list")
        return []
    for question in questions:
        qid = question.get("id", "?")
        for name in (*LANGUAGE_INDEPENDENT, "text"):
            if not isinstance(question.get(name), str) or not question[name].strip():
                problems.append(f"{path.name}: {qid}: '{name}' is missing or empty")
        if question.get("kind") not in BANK_KINDS:
            problems.append(f"{path.name}: {qid}: unknown kind {question.get('kind')!r}")
        options = question.get("options") or []
        if question.get("kind") in {"single", "multiple"} and not options:
            problems.append(f"{path.name}: {qid}: a choice question needs options")
        for option in options:
            if not str(option.get("id", "")).startswith(f"{qid}.") or not str(option.get("text", "")).strip():
                problems.append(f"{path.name}: {qid}: option {option.get('id')!r} needs an ID under {qid}. and a text")
    return questions


def validate_bank(directory: Path, handbook_entries: dict | None = None) -> list[str]:
    """Every problem with the bank files, naming the file and the question ID."""
    problems: list[str] = []
    files = {language: _read(directory / f"{language}.yaml", problems) for language in RESPONDENT_LANGUAGES}
    reference = files["en"]
    shape = [
        (tuple(q.get(n) for n in LANGUAGE_INDEPENDENT), [o.get("id") for o in q.get("options") or []])
        for q in reference
    ]
    if len({q.get("id") for q in reference}) != len(reference):
        problems.append("en.yaml: a question ID is used twice")
    for language, questions in files.items():
        ours = [
            (tuple(q.get(n) for n in LANGUAGE_INDEPENDENT), [o.get("id") for o in q.get("options") or []])
            for q in questions
        ]
        if ours != shape:
            missing = {s[0][0] for s in shape} - {s[0][0] for s in ours}
            extra = {s[0][0] for s in ours} - {s[0][0] for s in shape}
            detail = f" (missing {sorted(missing)}, extra {sorted(extra)})" if missing or extra else ""
            problems.append(
                f"{language}.yaml: the IDs, kinds, areas, success factors or options differ from en.yaml{detail}"
            )
    if handbook_entries is not None:
        for question in reference:
            for name in ("area", "success_factor"):
                if question.get(name) not in handbook_entries:
                    problems.append(
                        f"en.yaml: {question.get('id')}: {name} {question.get(name)!r} is not a handbook ID"
                    )
            if str(question.get("success_factor", "")).split(".")[0] != question.get("area"):
                problems.append(f"en.yaml: {question.get('id')}: the success factor is not in its area")
    return problems


@cache
def _load(directory: Path) -> dict[str, BankQuestion]:
    problems = validate_bank(directory)
    if problems:
        raise BankError(problems)
    files = {language: _read(directory / f"{language}.yaml", []) for language in RESPONDENT_LANGUAGES}
    bank = {}
    for index, question in enumerate(files["en"]):
        options = tuple(
            BankOption(option["id"], {lang: files[lang][index]["options"][k]["text"] for lang in files})
            for k, option in enumerate(question.get("options") or [])
        )
        bank[question["id"]] = BankQuestion(
            id=question["id"],
            kind=question["kind"],
            area=question["area"],
            success_factor=question["success_factor"],
            text={lang: files[lang][index]["text"] for lang in files},
            options=options,
        )
    return bank


def get_question_bank() -> dict[str, BankQuestion]:
    """Bank questions by ID, in the files' order; loaded and validated once per process."""
    return _load(bank_directory())
