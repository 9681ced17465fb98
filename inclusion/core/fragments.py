"""Rendered parts of pages, kept so that the next reader is served without the work.

Two tiers: the worker's own memory (no query, a few seconds) in front of the shared cache
(``default``: the database's or Redis, shared by every worker and machine). Keys carry
whatever the fragment depends on (a round's revision, the aggregates' refresh time, a
network's membership changes), so a change shows at once; ``seconds`` bounds what keys
cannot carry (e.g. a newly published practice), plus at most LOCAL_SECONDS in a worker.

A fragment is shared by every reader of the same variant, so it never holds a reader's own
CSRF token: forms inside it carry CSRF_PLACEHOLDER, which ``with_csrf_token`` replaces on
every request.
"""

from __future__ import annotations

from django.core.cache import cache, caches
from django.middleware.csrf import get_token

LOCAL = "local"  # settings.CACHES: this worker's memory
LOCAL_SECONDS = 10
CSRF_PLACEHOLDER = "__fragment_csrf_token__"


def cached_fragment(key: str, render, seconds: int):
    """The fragment stored under ``key``, or ``render()``'s, stored in both tiers."""
    local = caches[LOCAL]
    fragment = local.get(key)
    if fragment is not None:
        return fragment
    fragment = cache.get(key)
    if fragment is None:
        fragment = render()
        cache.set(key, fragment, seconds)
    local.set(key, fragment, min(seconds, LOCAL_SECONDS))
    return fragment


def with_csrf_token(request, fragment: str) -> str:
    """The fragment with the reader's own CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER in fragment:
        return fragment.replace(CSRF_PLACEHOLDER, str(get_token(request)))
    return fragment


def clear() -> None:
    """Forget every fragment in this worker (the shared tier is cleared with the cache)."""
    caches[LOCAL].clear()
