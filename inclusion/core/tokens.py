"""Secrets handed out in links and headers: made here, stored only as their hash.

Private assessment links, invitation links, share links and API tokens all follow one rule:
the clear value is shown once and never stored, so a database leak reveals no secret.
"""

import hashlib
import secrets


def new_token(prefix: str = "") -> str:
    """A fresh URL-safe secret (256 bits), with an optional recognisable prefix."""
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 of a secret, the only form in which it is stored."""
    return hashlib.sha256(token.encode()).hexdigest()
