"""Signing in as a person does, and computing authenticator-app codes (RFC 6238) independently."""

import base64
import hashlib
import hmac
import re
import struct
import time

from ..factories import PASSWORD

LINK = re.compile(r"http://testserver(/\S+)")
LABEL_FOR = re.compile(r'<label for="([^"]+)"')
INPUT = re.compile(r"<(?:input|select|textarea)\b[^>]*>")


def sign_in(client, user, language="en", password=PASSWORD):
    response = client.post(f"/{language}/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()
    return response


def reauthenticate(client, language="en"):
    """allauth asks for the password again before two-factor settings change."""
    response = client.post(f"/{language}/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def totp_code(secret: str, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def unlabelled_fields(body: str) -> list[str]:
    """Form controls a person cannot identify: visible, with no <label for=…> (or a label around them)."""
    labelled = set(LABEL_FOR.findall(body))
    problems = []
    for tag in INPUT.findall(body):
        if re.search(r'type="(hidden|submit|button)"', tag):
            continue
        field_id = re.search(r'\bid="([^"]+)"', tag)
        if field_id is None or field_id.group(1) not in labelled:
            problems.append(tag)
    return problems
