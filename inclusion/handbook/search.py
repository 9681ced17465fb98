"""Search across one edition of the handbook, blind to case and diacritics.

The whole handbook is a few hundred kilobytes, so the index is a list of small documents
held in memory per language and content version: fast, identical on SQLite and
PostgreSQL, and rebuilt automatically when the content changes.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from .content import Edition
from .services import get_handbook, render_markdown

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_RADIUS = 90


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case text without diacritics: 'Bēgļi' and 'begli' fold to the same string."""
    return "".join(_fold_char(char) for char in text)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Fold text and remember, for each folded character, where it came from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def query_terms(query: str) -> list[str]:
    return re.findall(r"\w{2,}", fold(query))[:MAX_TERMS]


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    context: str
    text: str
    folded_title: str
    folded_text: str
    positions: tuple[int, ...]


@dataclass(frozen=True)
class Hit:
    document: Document
    score: int
    snippet: SafeString


@dataclass(frozen=True)
class SearchResult:
    query: str
    terms: list[str]
    hits: list[Hit]
    problem: str = ""  # "empty", "too_long", "no_terms" when the query cannot be searched


def _plain(markdown_text: str) -> str:
    return html.unescape(strip_tags(render_markdown(markdown_text))).strip()


def _document(url: str, title: str, context: str, text: str) -> Document:
    text = re.sub(r"\s+", " ", text).strip()
    folded_text, positions = fold_with_positions(text)
    return Document(url, title, context, text, fold(title), folded_text, tuple(positions))


def _documents(edition: Edition) -> list[Document]:
    docs: list[Document] = []
    front = edition.front
    docs.append(
        _document(
            reverse("handbook:foreword"),
            front.foreword.title,
            front.title,
            _plain(front.foreword.body) + " " + front.foreword.signature,
        )
    )
    introduction = reverse("handbook:introduction")
    for section in front.sections:
        docs.append(_document(f"{introduction}#{section.id}", section.title, front.title, _plain(section.body)))
    for area in edition.areas:
        url = reverse("handbook:area", args=[area.number])
        context = f"{area.number}. {area.title}"
        docs.append(_document(f"{url}#why", area.title, context, area.lead + " " + _plain(area.intro)))
        for benefit in area.benefits:
            docs.append(_document(f"{url}#{benefit.id}", benefit.text, context, ""))
        for factor in area.success_factors:
            docs.append(_document(f"{url}#{factor.id}", factor.name, context, _plain(factor.description)))
        for group in area.checklist.groups:
            for item in group.items:
                docs.append(_document(f"{url}#{item.id}", item.text, f"{context} · {group.title}", ""))
        for practice in area.practices:
            docs.append(
                _document(
                    f"{url}#{practice.id}",
                    practice.title,
                    context,
                    " ".join([practice.organisation, practice.city, _plain(practice.text)]),
                )
            )
        for resource in area.resources:
            docs.append(
                _document(
                    f"{url}#{resource.id}", resource.title, context, " ".join([resource.authors, resource.summary])
                )
            )
    summary_url = reverse("handbook:summary")
    for item in edition.summary.items:
        docs.append(_document(f"{summary_url}#{item.id}", item.text, edition.summary.title, ""))
    criteria_url = reverse("handbook:criteria")
    for criterion in edition.criteria.criteria:
        for question in criterion.questions:
            docs.append(
                _document(
                    f"{criteria_url}#{question.id}",
                    question.text,
                    criterion.title,
                    " ".join(indicator.text for indicator in question.indicators),
                )
            )
    glossary_url = reverse("handbook:glossary")
    for term in edition.glossary.terms:
        docs.append(_document(f"{glossary_url}#{term.id}", term.term, edition.glossary.title, _plain(term.definition)))
    return docs


@lru_cache(maxsize=8)
def _index(language: str, version: str) -> list[Document]:
    with translation.override(language):
        return _documents(get_handbook().edition(language))


def _match_spans(folded: str, positions: tuple[int, ...] | list[int], terms: list[str]) -> list[tuple[int, int]]:
    """Where each term occurs, as (start, end) in the original text."""
    return sorted(
        (positions[match.start()], positions[match.end() - 1] + 1)
        for term in terms
        for match in re.finditer(re.escape(term), folded)
    )


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """text[start:end] escaped, with the spans inside it wrapped in <mark>."""
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    return "".join(pieces)


def _snippet(document: Document, terms: list[str]) -> SafeString:
    """A window of the text around the first match, every match wrapped in <mark>."""
    text = document.text
    if not text:
        return mark_safe("")
    spans = _match_spans(document.folded_text, document.positions, terms)
    centre = spans[0][0] if spans else 0
    start = max(0, centre - SNIPPET_RADIUS)
    end = min(len(text), centre + SNIPPET_RADIUS * 2)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        last_space = text.rfind(" ", start, end)
        end = last_space if last_space > centre else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + _mark(text, spans, start, end) + suffix)  # noqa: S308 - _mark escapes


def search(language: str, query: str, limit: int = 100) -> SearchResult:
    """Documents containing every term of the query, best first."""
    query = (query or "").strip()
    if not query:
        return SearchResult(query, [], [], problem="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return SearchResult(query[:MAX_QUERY_LENGTH], [], [], problem="too_long")
    terms = query_terms(query)
    if not terms:
        return SearchResult(query, [], [], problem="no_terms")
    phrase = " ".join(terms)
    hits: list[Hit] = []
    for document in _index(language, get_handbook().version):
        haystack = document.folded_title + " " + document.folded_text
        if not all(term in haystack for term in terms):
            continue
        score = sum(5 * document.folded_title.count(term) + document.folded_text.count(term) for term in terms)
        if len(terms) > 1 and phrase in haystack:
            score += 10
        hits.append(Hit(document, score, _snippet(document, terms)))
    hits.sort(key=lambda hit: -hit.score)
    return SearchResult(query, terms, hits[:limit])


def highlight(text: str, terms: list[str]) -> SafeString:
    """Text with every query term marked, for result titles."""
    folded, positions = fold_with_positions(text)
    return mark_safe(_mark(text, _match_spans(folded, positions, terms), 0, len(text)))  # noqa: S308 - _mark escapes
