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

import hashlib

from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

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


def cached_page(request, key: str, render, seconds: int) -> HttpResponse:
    """A whole page (its layout too) from the two tiers, for pages that every reader of the
    same variant sees alike: ``key`` names the variant (e.g. a round's revision and the
    reader's role); the address, host, language and what the site's menu shows for this
    reader are added here. ``render()`` returns the page's response, its forms carrying
    CSRF_PLACEHOLDER. A reader with messages waiting gets the page rendered, with them."""

    def page() -> str:
        return render().content.decode()

    if get_messages(request):
        return HttpResponse(with_csrf_token(request, page()))
    user = request.user
    variant = "|".join(
        (
            key,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language(),
            str(int(user.is_authenticated)),
            str(int(user.is_staff)),
        )
    )
    page_key = "page:" + hashlib.sha256(variant.encode()).hexdigest()
    return HttpResponse(with_csrf_token(request, cached_fragment(page_key, page, seconds)))


def clear() -> None:
    """Forget every fragment in this worker (the shared tier is cleared with the cache)."""
    caches[LOCAL].clear()
