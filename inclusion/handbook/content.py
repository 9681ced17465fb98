"""The handbook as data: YAML files per language, validated into immutable objects.

The files in ``content/<language>/`` are the single source of truth (see docs/content.md).
``load_handbook`` validates every file against the schema below, then checks what a
schema cannot: IDs that belong to their area, references that resolve, and that every
language has the same IDs with the same language-independent fields. Every problem is
reported with the file, the item ID and what is wrong.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

AREA_NUMBERS = range(1, 7)
AREA_IDS = [f"a{number}" for number in AREA_NUMBERS]
# An action-plan step that belongs to no key area.
FREE_ACTION_AREA = "a0"
# The edition whose language-independent fields (applies_to, criteria, countries…) every
# other edition must repeat exactly (checked on load), so any code that needs only those
# fields reads them from this one.
REFERENCE_LANGUAGE = "en"
FILE_NAMES = ["front", *(f"a{n}" for n in AREA_NUMBERS), "summary", "criteria", "glossary"]

AppliesTo = Literal["all", "authority", "not_ngo"]
OrganisationType = Literal[
    "authority",
    "ngo",
    "refugee_led",
    "faith",
    "education",
    "business",
    "international",
    "partnership",
    "other",
]
TargetGroup = Literal[
    "refugees",
    "asylum_seekers",
    "women",
    "children",
    "youth",
    "unaccompanied_minors",
    "families",
    "lgbtiq",
    "disabled",
    "elderly",
    "host_community",
    "professionals",
]
Text = Annotated[str, Field(min_length=1)]


class _ContentLoader(yaml.SafeLoader):
    """YAML without the 1.1 booleans yes/no/on/off: the country code NO is Norway, not False."""


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ContentLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _check_url(value: str) -> str:
    if not re.match(r"^https?://\S+$", value):
        raise ValueError(f"link {value!r} must be an http:// or https:// address")
    return value


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Section(Node):
    id: Annotated[str, Field(pattern=r"^intro\.[a-z0-9-]+$")]
    title: Text
    body: Text


class Foreword(Node):
    title: Text
    body: Text
    signature: Text


class Endorsement(Node):
    text: Text
    author: Text
    role: Text


class Endorsements(Node):
    title: Text
    quotes: list[Endorsement]


class Front(Node):
    title: Text
    subtitle: Text
    publisher: Text
    year: int
    foreword: Foreword
    sections: list[Section]
    endorsements: Endorsements | None = None  # the quotations at the end of the handbook


class Benefit(Node):
    id: Annotated[str, Field(pattern=r"^a[1-6]\.b[1-9][0-9]*$")]
    text: Text


class SuccessFactor(Node):
    id: Annotated[str, Field(pattern=r"^a[1-6]\.sf[1-9][0-9]*$")]
    name: Text
    description: Text
    editorial: bool = False  # the description is the project's, not the handbook's


class ChecklistItem(Node):
    id: Annotated[str, Field(pattern=r"^a[1-6]\.c[1-9][0-9]*$")]
    text: Text
    applies_to: AppliesTo = "all"

    @property
    def number(self) -> int:
        """The item's number within its area, as printed in the handbook."""
        return int(self.id.rsplit(".c", 1)[1])


class ChecklistGroup(Node):
    id: Annotated[str, Field(pattern=r"^a[1-6]\.g[1-9][0-9]*$")]
    title: Text
    editorial: bool = False  # the title is the project's, not the handbook's
    intro: str = ""  # e.g. area 4's local-authority checklist has its own lead paragraph
    items: Annotated[list[ChecklistItem], Field(min_length=1)]


class Checklist(Node):
    intro: str = ""
    groups: Annotated[list[ChecklistGroup], Field(min_length=1)]


class ExamplePractice(Node):
    """A good-practice example in the handbook; the library's records are practices.models.Practice."""

    id: Annotated[str, Field(pattern=r"^a[1-6]\.p[1-9][0-9]*$")]
    title: Text
    editorial: bool = False  # the title is the project's, not the handbook's
    organisation: str = ""
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = []
    city: str = ""
    success_factor: Annotated[str, Field(pattern=r"^a[1-6]\.sf[1-9][0-9]*$")]
    organisation_type: OrganisationType = "other"
    target_groups: list[TargetGroup] = []
    text: Text
    links: list[str] = []

    @field_validator("links")
    @classmethod
    def links_are_web_addresses(cls, links: list[str]) -> list[str]:
        return [_check_url(link) for link in links]


class Resource(Node):
    id: Annotated[str, Field(pattern=r"^a[1-6]\.r[1-9][0-9]*$")]
    authors: str = ""
    title: Text
    year: int | None = None
    url: str | None = None
    summary: str = ""

    @field_validator("url")
    @classmethod
    def url_is_web_address(cls, url: str | None) -> str | None:
        return _check_url(url) if url else None


class Area(Node):
    id: Annotated[str, Field(pattern=r"^a[1-6]$")]
    number: Annotated[int, Field(ge=1, le=6)]
    title: Text
    lead: Text
    intro: Text
    benefits: list[Benefit]
    success_factors: Annotated[list[SuccessFactor], Field(min_length=1)]
    checklist: Checklist
    practices: list[ExamplePractice]
    resources: list[Resource]

    @property
    def checklist_items(self) -> list[ChecklistItem]:
        return [item for group in self.checklist.groups for item in group.items]

    def practices_by_success_factor(self) -> list[tuple[SuccessFactor, list[ExamplePractice]]]:
        """Practices under the success factor they illustrate, as the handbook lists them."""
        return [
            (factor, [practice for practice in self.practices if practice.success_factor == factor.id])
            for factor in self.success_factors
            if any(practice.success_factor == factor.id for practice in self.practices)
        ]


class SummaryItem(Node):
    id: Annotated[str, Field(pattern=r"^s[1-9][0-9]*$")]
    text: Text
    areas: Annotated[list[Annotated[str, Field(pattern=r"^a[1-6]$")]], Field(min_length=1)]


class SummaryChecklist(Node):
    """The handbook's summary checklist (not an assessment's compiled summary)."""

    title: Text
    intro: str = ""
    editorial: bool = False  # the title and intro are the project's, not the handbook's
    items: list[SummaryItem]


class Indicator(Node):
    id: Annotated[str, Field(pattern=r"^k[1-9]\.q[1-9][0-9]*\.i[1-9][0-9]*$")]
    text: Text


class CriterionQuestion(Node):
    """A key question of the assessment table (not a feedback survey's question)."""

    id: Annotated[str, Field(pattern=r"^k[1-9]\.q[1-9][0-9]*$")]
    text: Text
    indicators: Annotated[list[Indicator], Field(min_length=1)]


class Criterion(Node):
    id: Annotated[str, Field(pattern=r"^k[1-9]$")]
    title: Text
    description: str = ""
    threshold: Annotated[int, Field(ge=0, le=100)] = 66
    questions: Annotated[list[CriterionQuestion], Field(min_length=1)]

    @property
    def indicators(self) -> list[Indicator]:
        return [indicator for question in self.questions for indicator in question.indicators]


class Thresholds(Node):
    """Where the criterion thresholds and the result bands come from (they are not in the handbook)."""

    editorial: bool = False
    note: Text
    source: str = ""


class Criteria(Node):
    title: Text
    intro: str = ""
    thresholds: Thresholds | None = None
    criteria: list[Criterion]


class Term(Node):
    id: Annotated[str, Field(pattern=r"^g\.[a-z0-9-]+$")]
    term: Text
    definition: Text


class Glossary(Node):
    title: Text
    terms: list[Term]


SCHEMAS: dict[str, type[Node]] = {
    "front": Front,
    **{f"a{n}": Area for n in AREA_NUMBERS},
    "summary": SummaryChecklist,
    "criteria": Criteria,
    "glossary": Glossary,
}

# Fields that carry no language and so must be equal in every edition.
LANGUAGE_INDEPENDENT_FIELDS = (
    "number",
    "applies_to",
    "countries",
    "links",
    "url",
    "year",
    "success_factor",
    "organisation_type",
    "target_groups",
    "areas",
    "threshold",
    "editorial",
)


class ContentError(Exception):
    """The content files are not valid; ``problems`` lists each one for a person to fix."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Handbook content is not valid:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Entry:
    """One addressable piece of content: what the database and search refer to by ID."""

    id: str
    kind: str
    area: str | None
    parent: str | None
    position: int
    label: str
    node: Node


@dataclass
class Edition:
    """The whole handbook in one language."""

    language: str
    front: Front
    areas: list[Area]
    summary: SummaryChecklist
    criteria: Criteria
    glossary: Glossary

    def area(self, number: int) -> Area:
        return self.areas[number - 1]

    @cached_property
    def entries(self) -> dict[str, Entry]:
        return {entry.id: entry for entry in self._walk()}

    def _walk(self) -> Iterator[Entry]:
        for position, section in enumerate(self.front.sections):
            yield Entry(section.id, "intro_section", None, None, position, section.title, section)
        for area in self.areas:
            yield Entry(area.id, "area", area.id, None, area.number, area.title, area)
            for position, benefit in enumerate(area.benefits):
                yield Entry(benefit.id, "benefit", area.id, area.id, position, benefit.text, benefit)
            for position, factor in enumerate(area.success_factors):
                yield Entry(factor.id, "success_factor", area.id, area.id, position, factor.name, factor)
            item_position = 0
            for position, group in enumerate(area.checklist.groups):
                yield Entry(group.id, "checklist_group", area.id, area.id, position, group.title, group)
                for item in group.items:
                    yield Entry(item.id, "checklist_item", area.id, group.id, item_position, item.text, item)
                    item_position += 1
            for position, practice in enumerate(area.practices):
                yield Entry(
                    practice.id, "practice", area.id, practice.success_factor, position, practice.title, practice
                )
            for position, resource in enumerate(area.resources):
                yield Entry(resource.id, "resource", area.id, area.id, position, resource.title, resource)
        for position, item in enumerate(self.summary.items):
            yield Entry(item.id, "summary_item", None, None, position, item.text, item)
        for position, criterion in enumerate(self.criteria.criteria):
            yield Entry(criterion.id, "criterion", None, None, position, criterion.title, criterion)
            indicator_position = 0
            for q_position, question in enumerate(criterion.questions):
                yield Entry(question.id, "question", None, criterion.id, q_position, question.text, question)
                for indicator in question.indicators:
                    yield Entry(
                        indicator.id, "indicator", None, question.id, indicator_position, indicator.text, indicator
                    )
                    indicator_position += 1
        for position, term in enumerate(self.glossary.terms):
            yield Entry(term.id, "glossary_term", None, None, position, term.term, term)


@dataclass
class Handbook:
    """Every edition, plus the version of the files they came from."""

    editions: dict[str, Edition]
    version: str
    problems: list[str] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return list(self.editions)

    def edition(self, language: str) -> Edition:
        return self.editions.get(language) or next(iter(self.editions.values()))

    @property
    def reference_edition(self) -> Edition:
        """The edition to read language-independent fields from (see REFERENCE_LANGUAGE)."""
        return self.edition(REFERENCE_LANGUAGE)


def content_version(content_dir: Path) -> str:
    """A short hash of every content file: changes whenever any text or field changes."""
    digest = hashlib.sha256()
    for path in sorted(content_dir.glob("*/*.yaml")):
        digest.update(str(path.relative_to(content_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _item_id_at(data: Any, location: tuple) -> str | None:
    """The ID of the deepest item on the path to a validation error, to name it."""
    found = data.get("id") if isinstance(data, dict) else None
    for step in location:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found = data["id"]
    return found


def _describe(path: Path, item_id: str | None, problem: str) -> str:
    return f"{path}: {item_id}: {problem}" if item_id else f"{path}: {problem}"


def _load_file(path: Path, name: str, problems: list[str]) -> Node | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ContentLoader)  # noqa: S506 - a SafeLoader subclass
    except FileNotFoundError:
        problems.append(f"{path}: the file is missing")
        return None
    except yaml.YAMLError as error:
        problems.append(f"{path}: not valid YAML: {error}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path}: expected a mapping at the top of the file")
        return None
    try:
        return SCHEMAS[name].model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(step) for step in detail["loc"])
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(_describe(path, _item_id_at(data, detail["loc"]), f"{where}: {message}"))
        return None


def _check_edition(edition: Edition, content_dir: Path, problems: list[str]) -> None:
    """Rules across one language's files: numbering, ownership and references."""
    base = content_dir / edition.language
    seen: dict[str, str] = {}
    for entry in edition._walk():
        if entry.id in seen:
            problems.append(_describe(base, entry.id, f"ID is used twice ({seen[entry.id]} and {entry.kind})"))
        seen[entry.id] = entry.kind
    for index, area in enumerate(edition.areas, start=1):
        path = base / f"a{index}.yaml"
        if area.id != f"a{index}" or area.number != index:
            problems.append(_describe(path, area.id, f"this file must hold area a{index} with number {index}"))
        factor_ids = {factor.id for factor in area.success_factors}
        owned = [
            *area.benefits,
            *area.success_factors,
            *area.checklist.groups,
            *area.checklist_items,
            *area.practices,
            *area.resources,
        ]
        for node in owned:
            if not node.id.startswith(f"a{index}."):
                problems.append(_describe(path, node.id, f"belongs to another area than a{index}"))
        for practice in area.practices:
            if practice.success_factor not in factor_ids:
                problems.append(
                    _describe(
                        path,
                        practice.id,
                        f"success_factor {practice.success_factor} is not a success factor of a{index}",
                    )
                )
        expected = [f"a{index}.c{n}" for n in range(1, len(area.checklist_items) + 1)]
        actual = [item.id for item in area.checklist_items]
        if actual != expected:
            problems.append(
                _describe(path, area.id, f"checklist items must be numbered {expected[0]}… in reading order")
            )
    for criterion in edition.criteria.criteria:
        for question in criterion.questions:
            if not question.id.startswith(criterion.id + "."):
                problems.append(_describe(base / "criteria.yaml", question.id, f"is not a question of {criterion.id}"))
            for indicator in question.indicators:
                if not indicator.id.startswith(question.id + "."):
                    problems.append(
                        _describe(base / "criteria.yaml", indicator.id, f"is not an indicator of {question.id}")
                    )


def _independent_fields(node: Node) -> dict[str, Any]:
    return {name: getattr(node, name) for name in LANGUAGE_INDEPENDENT_FIELDS if name in type(node).model_fields}


def _check_languages_agree(editions: dict[str, Edition], content_dir: Path, problems: list[str]) -> None:
    reference_language, reference = next(iter(editions.items()))
    for language, edition in editions.items():
        if language == reference_language:
            continue
        base = content_dir / language
        ids, reference_ids = set(edition.entries), set(reference.entries)
        for missing in sorted(reference_ids - ids):
            problems.append(_describe(base, missing, f"missing here but present in {reference_language}"))
        for extra in sorted(ids - reference_ids):
            problems.append(_describe(base, extra, f"present here but missing in {reference_language}"))
        for item_id in sorted(ids & reference_ids):
            mine, theirs = edition.entries[item_id], reference.entries[item_id]
            if _independent_fields(mine.node) != _independent_fields(theirs.node):
                problems.append(
                    _describe(
                        base,
                        item_id,
                        f"language-independent fields differ from {reference_language}: "
                        f"{_independent_fields(mine.node)} != {_independent_fields(theirs.node)}",
                    )
                )
            if mine.kind != "glossary_term" and (mine.parent, mine.position) != (theirs.parent, theirs.position):
                problems.append(_describe(base, item_id, f"stands in another place than in {reference_language}"))


def load_handbook(content_dir: Path, languages: list[str]) -> Handbook:
    """Load and validate every edition; raise ContentError listing every problem found."""
    problems: list[str] = []
    editions: dict[str, Edition] = {}
    for language in languages:
        nodes = {name: _load_file(content_dir / language / f"{name}.yaml", name, problems) for name in FILE_NAMES}
        if any(node is None for node in nodes.values()):
            continue
        edition = Edition(
            language=language,
            front=nodes["front"],
            areas=[nodes[f"a{n}"] for n in AREA_NUMBERS],
            summary=nodes["summary"],
            criteria=nodes["criteria"],
            glossary=nodes["glossary"],
        )
        _check_edition(edition, content_dir, problems)
        editions[language] = edition
    if not problems and len(editions) > 1:
        _check_languages_agree(editions, content_dir, problems)
    if problems:
        raise ContentError(problems)
    return Handbook(editions=editions, version=content_version(content_dir))
