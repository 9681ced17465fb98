"""The video scripts: scenes of text taken from the script files and the handbook content.

A script file (content/video/<lang>.yaml) lists the scenes of each video. Text in it is
either the script's own (a plain string) or a reference into the handbook content:
``{ref: intro.two-way-process, line: 1, sentence: 1}`` or ``{ref: a1, field: title}``.
Resolving a script gives :class:`Scene` objects holding nothing but text, so the drawing
and the captions never look at the content files themselves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content import Edition

VIDEOS = ("explainer", "promo")
KINDS = {"title", "statement", "areas", "area", "readings", "criteria", "steps", "address"}

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"„“(]?[A-ZĀČĒĢĪĶĻŅŠŪŽ0-9])")
_FOOTNOTE = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


class ScriptError(Exception):
    """A script that cannot be resolved against the content (says which scene and why)."""


@dataclass(frozen=True)
class Scene:
    id: str
    kind: str
    heading: str = ""
    text: str = ""
    items: tuple[str, ...] = ()  # factors, readings, criteria, steps or area titles
    label: str = ""  # "Key area 1", "Step"… : the small line above the heading
    number: int = 0  # the area's number (area scenes)
    example: str = ""  # a good-practice sentence (area scenes)
    example_label: str = ""  # "Good practice: Lublin"
    footer: str = ""  # the platform's address
    say: str = ""  # what the narrator says and the caption shows

    @property
    def area_id(self) -> str:
        return f"a{self.number}" if self.number else ""


@dataclass(frozen=True)
class Video:
    name: str  # explainer | promo
    language: str
    scenes: tuple[Scene, ...] = field(default_factory=tuple)


def load_script(path: Path) -> dict:
    with path.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def script_version(script_dir: Path, content_version: str) -> str:
    """A short hash of the content version and every script file: the videos' names carry it,
    so that they are rebuilt exactly when the content or a script changes."""
    digest = hashlib.sha256(content_version.encode())
    for path in sorted(script_dir.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def plain(text: str) -> str:
    """Markdown line → the plain words a scene shows: no list marker, quote, emphasis,
    footnote mark or link target; a trailing ";" or ":" of a list item dropped."""
    text = text.strip()
    text = re.sub(r"^(?:[-*>]\s+|\d{1,2}\.\s+(?=\*\*))", "", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "")
    text = _FOOTNOTE.sub("", text)
    text = text.strip()
    if text.endswith((";", ":")):
        text = text[:-1].rstrip()
    return text


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _body_lines(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.strip()]


def resolve_text(value, edition: Edition, where: str) -> str:
    """A script string, or the content text a reference points at."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, dict) or "ref" not in value:
        raise ScriptError(f"{where}: expected text or {{ref: …}}, got {value!r}")
    ref = value["ref"]
    if ref in ("front.title", "front.subtitle"):
        return plain(getattr(edition.front, ref.split(".")[1]))
    entry = edition.entries.get(ref)
    if entry is None:
        raise ScriptError(f"{where}: no content with the ID {ref!r} in {edition.language}")
    node = entry.node
    if "field" in value:
        text = getattr(node, value["field"], None)
        if not isinstance(text, str):
            raise ScriptError(f"{where}: {ref} has no text field {value['field']!r}")
        return plain(text)
    body = getattr(node, "body", None) or getattr(node, "text", None)
    if not isinstance(body, str):
        raise ScriptError(f"{where}: {ref} has no body to take lines from")
    lines = _body_lines(body)
    number = int(value.get("line", 1))
    if not 1 <= number <= len(lines):
        raise ScriptError(f"{where}: {ref} has {len(lines)} lines, not line {number}")
    line = plain(lines[number - 1])
    if "sentence" not in value:
        return line
    parts = sentences(line)
    index = int(value["sentence"])
    if not 1 <= index <= len(parts):
        raise ScriptError(f"{where}: line {number} of {ref} has {len(parts)} sentences, not {index}")
    return parts[index - 1]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(*parts: str) -> str:
    """Sentences to speak one after another, each ending in a full stop."""
    spoken = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        spoken.append(part if part[-1] in ".!?…" else part + ".")
    return " ".join(spoken)


def resolve_scene(raw: dict, edition: Edition, labels: dict, address: str) -> Scene:
    where = f"{edition.language}:{raw.get('id', '?')}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ScriptError(f"{where}: unknown scene kind {kind!r}")
    heading = resolve_text(raw.get("heading"), edition, where)
    text = resolve_text(raw.get("text"), edition, where)
    say = resolve_text(raw.get("say"), edition, where)
    common = {"id": raw["id"], "kind": kind}

    if kind == "title":
        title = resolve_text(raw.get("title"), edition, where)
        subtitle = resolve_text(raw.get("subtitle"), edition, where)
        return Scene(**common, heading=title, text=subtitle, footer=address, say=_join(title, say))
    if kind == "statement":
        return Scene(**common, heading=heading, text=text, say=say or _join(heading, text))
    if kind == "areas":
        titles = tuple(plain(area.title) for area in edition.areas)
        return Scene(**common, heading=heading, items=titles, say=say or _join(heading, *titles))
    if kind == "area":
        area_id = raw.get("area", "")
        area = next((a for a in edition.areas if a.id == area_id), None)
        if area is None:
            raise ScriptError(f"{where}: no key area {area_id!r}")
        factors_by_id = {factor.id: factor for factor in area.success_factors}
        factors = []
        for factor_id in raw.get("factors", []):
            if factor_id not in factors_by_id:
                raise ScriptError(f"{where}: {area_id} has no success factor {factor_id!r}")
            factors.append(plain(factors_by_id[factor_id].name))
        practice = next((p for p in area.practices if p.id == raw.get("practice")), None)
        if practice is None:
            raise ScriptError(f"{where}: {area_id} has no practice {raw.get('practice')!r}")
        example = sentences(plain(_body_lines(practice.text)[0]))[0]
        place = practice.city or practice.organisation
        label = labels["area"].format(number=area.number)
        return Scene(
            **common,
            heading=plain(area.title),
            text=plain(area.lead),
            items=tuple(factors),
            label=label,
            number=area.number,
            example=example,
            example_label=labels["example"].format(place=place),
            # The example is shown, not read: the narration keeps to the area's own words.
            say=say
            or _join(f"{label}: {plain(area.title)}", plain(area.lead), f"{labels['factors']}: {', '.join(factors)}"),
        )
    if kind == "readings":
        lines = tuple(_capitalised(resolve_text(line, edition, where)) for line in raw.get("lines", []))
        return Scene(**common, heading=heading, items=lines, say=say or _join(heading, *lines))
    if kind == "criteria":
        titles = tuple(plain(criterion.title) for criterion in edition.criteria.criteria)
        return Scene(
            **common,
            heading=heading,
            text=text,
            items=titles,
            label=labels["criteria_count"],
            say=say or _join(heading, ", ".join(titles)),
        )
    if kind == "steps":
        steps = tuple(resolve_text(step, edition, where) for step in raw.get("steps", []))
        return Scene(**common, heading=heading, items=steps, label=labels["step"], say=say or _join(heading, *steps))
    # address
    return Scene(**common, heading=heading, footer=address, say=say or _join(heading))


def resolve_video(script: dict, name: str, edition: Edition) -> Video:
    if name not in VIDEOS:
        raise ScriptError(f"no video called {name!r}")
    labels = script.get("labels", {})
    address = str(script.get("address", "")).strip()
    scenes = tuple(resolve_scene(raw, edition, labels, address) for raw in script.get(name, []))
    if not scenes:
        raise ScriptError(f"{edition.language}: the script has no scenes for {name}")
    return Video(name=name, language=edition.language, scenes=scenes)


def structure(script: dict) -> list:
    """What must be the same in every language: scene IDs, kinds, areas and references."""

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shape(item) for item in value]
        return "text" if isinstance(value, str) else value

    return [
        {
            key: (shape(value) if key not in ("id", "kind", "area", "factors", "practice") else value)
            for key, value in scene.items()
        }
        for name in VIDEOS
        for scene in script.get(name, [])
    ]
