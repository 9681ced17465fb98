"""Search across one edition of the handbook, blind to case, diacritics and word endings.

The whole handbook is a few hundred kilobytes, so the index is a list of small documents
held in memory per language and content version: fast, identical on SQLite and
PostgreSQL, and rebuilt automatically when the content changes.

Words are compared folded (no case, no diacritics) and by stem (``stemming``): a query
word matches a word of the text that is the same word, starts with it, or shares its stem
("tulks" and "tulki" find "tulkus" and "tulkošanas", "policy" finds "policies").
Documents with every query word in exactly the form typed come first. When nothing
matches, the result suggests shorter forms and similar words of the handbook that do.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from .content import Edition
from .services import get_handbook, render_markdown
from .stemming import match_key, stem

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_RADIUS = 90
# A stem shorter than this matches only words with the same stem, not every word that
# starts with it ("dati" → "dat" must not find "datora").
STEM_PREFIX_MIN = 4
MAX_SUGGESTIONS = 5
WORD = re.compile(r"\w+")


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


def _words(text: str, folded: str | None = None, positions: list[int] | None = None) -> list[tuple[str, int, int]]:
    """Every word of text, folded, with its (start, end) in the original text."""
    if folded is None or positions is None:
        folded, positions = fold_with_positions(text)
    return [
        (match.group(), positions[match.start()], positions[match.end() - 1] + 1) for match in WORD.finditer(folded)
    ]


def word_matches(word: str, word_stem: str, term: str, term_stem: str, language: str) -> bool:
    """Whether a folded word of the text is a form of a folded query term."""
    if word.startswith(term) or word_stem == term_stem:
        return True
    if len(term_stem) >= STEM_PREFIX_MIN and word.startswith(term_stem):
        return True
    return match_key(word_stem, language) == match_key(term_stem, language)


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    context: str
    text: str
    folded_title: str
    folded_text: str
    positions: tuple[int, ...]
    title_words: Counter = field(default_factory=Counter, compare=False)
    text_words: Counter = field(default_factory=Counter, compare=False)
    spans: tuple[tuple[str, int, int], ...] = ()  # every word of text, folded, and where it stands
    vocabulary: frozenset[str] = frozenset()  # every folded word of title and text


@dataclass(frozen=True)
class Index:
    documents: list[Document]
    stems: dict[str, str]  # every folded word of the edition → its stem
    spellings: dict[str, str]  # every folded word → its most frequent spelling in the text


@dataclass(frozen=True)
class Hit:
    document: Document
    score: int
    snippet: SafeString
    exact: bool = False  # every query word occurs in exactly the form typed


@dataclass(frozen=True)
class SearchResult:
    query: str
    terms: list[str]
    hits: list[Hit]
    problem: str = ""  # "empty", "too_long", "no_terms" when the query cannot be searched
    suggestions: list[str] = field(default_factory=list)  # other queries that find something


def _plain(markdown_text: str) -> str:
    return html.unescape(strip_tags(render_markdown(markdown_text))).strip()


def _document(url: str, title: str, context: str, text: str) -> Document:
    text = re.sub(r"\s+", " ", text).strip()
    folded_text, positions = fold_with_positions(text)
    spans = tuple(_words(text, folded_text, positions))
    return Document(
        url,
        title,
        context,
        text,
        fold(title),
        folded_text,
        tuple(positions),
        title_words=Counter(WORD.findall(fold(title))),
        text_words=Counter(word for word, _, _ in spans),
        spans=spans,
        vocabulary=frozenset(WORD.findall(fold(title))) | frozenset(word for word, _, _ in spans),
    )


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
    if front.endorsements:
        docs.extend(
            _document(f"{reverse('handbook:contents')}#endorsements", front.endorsements.title, front.title, text)
            for text in (f"{quote.text} {quote.author}, {quote.role}" for quote in front.endorsements.quotes)
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
def _index(language: str, version: str) -> Index:
    with translation.override(language):
        documents = _documents(get_handbook().edition(language))
    spellings: dict[str, Counter] = {}
    for document in documents:
        for text, spans in ((document.title, _words(document.title)), (document.text, document.spans)):
            for word, start, end in spans:
                spellings.setdefault(word, Counter())[text[start:end]] += 1
    return Index(
        documents=documents,
        stems={word: stem(word, language) for word in spellings},
        spellings={word: counts.most_common(1)[0][0] for word, counts in spellings.items()},
    )


def _forms(index: Index, term: str, language: str) -> frozenset[str]:
    """Every folded word of the edition that is a form of the term."""
    term_stem = stem(term, language)
    return frozenset(
        word for word, word_stem in index.stems.items() if word_matches(word, word_stem, term, term_stem, language)
    )


def _match_spans(document: Document, forms: frozenset[str]) -> list[tuple[int, int]]:
    """Where the words in forms stand, as (start, end) in the original text."""
    return [(start, end) for word, start, end in document.spans if word in forms]


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


def _snippet(document: Document, forms: frozenset[str]) -> SafeString:
    """A window of the text around the first match, every match wrapped in <mark>."""
    text = document.text
    if not text:
        return mark_safe("")
    spans = _match_spans(document, forms)
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


def _hits(index: Index, terms: list[str], term_forms: list[frozenset[str]]) -> list[Hit]:
    phrase = " ".join(terms)
    all_forms = frozenset().union(*term_forms)
    hits: list[Hit] = []
    for document in index.documents:
        score, exact = 0, True
        for term, forms in zip(terms, term_forms, strict=True):
            found = forms & document.vocabulary
            if not found:
                break
            exact = exact and term in found
            for word in found:
                weight = 3 if word == term else 1
                score += weight * (5 * document.title_words[word] + document.text_words[word])
        else:
            if len(terms) > 1 and phrase in document.folded_title + " " + document.folded_text:
                score += 10
            hits.append(Hit(document, score, _snippet(document, all_forms), exact))
    hits.sort(key=lambda hit: (not hit.exact, -hit.score))
    return hits


def _suggestions(index: Index, terms: list[str], term_forms: list[frozenset[str]], language: str) -> list[str]:
    """Queries close to one that found nothing which do find something, best first."""
    spelled = [index.spellings.get(term, term) for term in terms]
    alternatives: list[list[str]] = []
    for position, (term, forms) in enumerate(zip(terms, term_forms, strict=True)):
        if forms:
            continue
        # A shorter form: the stem, then shorter, while it is a word start in the handbook.
        shorter = stem(term, language)
        while len(shorter) > STEM_PREFIX_MIN and not any(word.startswith(shorter) for word in index.stems):
            shorter = shorter[:-1]
        # Related words first: spelled alike (a typo, or a diacritic typed wrongly).
        words = [index.spellings[word] for word in difflib.get_close_matches(term, index.stems, n=3, cutoff=0.75)]
        if shorter != term and any(word.startswith(shorter) for word in index.stems):
            words.append(shorter)
        alternatives += [[*spelled[:position], word, *spelled[position + 1 :]] for word in words]
    if len(terms) > 1:
        # Every word is in the handbook but not together, or some are not: each word alone.
        alternatives += [[word] for word, forms in zip(spelled, term_forms, strict=True) if forms]
    suggestions: list[str] = []
    for alternative in alternatives:
        query = " ".join(alternative)
        if query not in suggestions and search(language, query, suggest=False).hits:
            suggestions.append(query)
        if len(suggestions) == MAX_SUGGESTIONS:
            break
    return suggestions


def search(language: str, query: str, limit: int = 100, suggest: bool = True) -> SearchResult:
    """Documents containing a form of every word of the query, best first."""
    query = (query or "").strip()
    if not query:
        return SearchResult(query, [], [], problem="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return SearchResult(query[:MAX_QUERY_LENGTH], [], [], problem="too_long")
    terms = query_terms(query)
    if not terms:
        return SearchResult(query, [], [], problem="no_terms")
    index = _index(language, get_handbook().version)
    term_forms = [_forms(index, term, language) for term in terms]
    hits = _hits(index, terms, term_forms)
    suggestions = _suggestions(index, terms, term_forms, language) if suggest and not hits else []
    return SearchResult(query, terms, hits[:limit], suggestions=suggestions)


def highlight(text: str, terms: list[str], language: str | None = None) -> SafeString:
    """Text with every form of every query term marked, for result titles."""
    language = language or translation.get_language() or ""
    term_stems = [(term, stem(term, language)) for term in terms]
    spans = [
        (start, end)
        for word, start, end in _words(text)
        if any(word_matches(word, stem(word, language), term, term_stem, language) for term, term_stem in term_stems)
    ]
    return mark_safe(_mark(text, spans, 0, len(text)))  # noqa: S308 - _mark escapes
