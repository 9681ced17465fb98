"""The one Markdown renderer and HTML sanitiser: the handbook's content and people's notes
both go through here (markdown-it for the syntax, nh3 for safety)."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

_content = MarkdownIt("commonmark", {"typographer": False}).enable("table")
# Typed text: a single line break is kept as a break, as people mean it in a text box.
_typed = MarkdownIt("commonmark", {"typographer": False, "breaks": True})

# The subset kept in people's own text (notes): paragraphs, line breaks, lists, bold, links.
TEXT_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}


def sanitise(fragment: str, tags: set[str] | None = None) -> str:
    """HTML with anything that could run removed (scripts, handlers, styles); ``tags``
    narrows what is kept (default: nh3's safe set)."""
    if tags is None:
        return nh3.clean(fragment or "", link_rel="noopener noreferrer")
    attributes = {"a": {"href"}} if "a" in tags else {}
    return nh3.clean(fragment or "", tags=tags, attributes=attributes, link_rel="noopener noreferrer")


def markdown_to_html(text: str) -> str:
    """Content Markdown (the handbook's files) as safe HTML."""
    return sanitise(_content.render(text or ""))


def typed_text_to_html(text: str) -> str:
    """Text typed into a box (paragraphs, "- " lists, **bold**; older HTML passes through
    the same sanitiser) as safe HTML in the small ``TEXT_TAGS`` subset."""
    return sanitise(_typed.render(text or ""), TEXT_TAGS).strip()


def typed_text_to_plain(text: str) -> str:
    """The same text for a spreadsheet cell: no markup, one line per line, paragraph and list
    item, list items as "- "."""
    rendered = typed_text_to_html(text)
    rendered = re.sub(r"(?i)<li>", "- ", rendered)
    rendered = re.sub(r"(?i)<br\s*/?>|</p>|</li>", "\n", rendered)
    plain = html.unescape(nh3.clean(rendered, tags=set()))
    return re.sub(r"\s*\n\s*", "\n", plain).strip()
