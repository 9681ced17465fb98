"""Limiting abuse without identifying anyone: counts per network, kept only in the cache.

A limit counts the requests from one network (IPv4 /24, IPv6 /48) under a name such as
"feedback". The network is stored only as a hash salted with a random value that lives in
the cache and changes every day, so nothing on disk can tell which network sent what, and
yesterday's counts cannot be matched to today's.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_address(request) -> str:
    """The address a limit counts. Behind the one reverse proxy of a production set-up
    (SECURE_PROXY_SSL_HEADER is set then), the proxy appends the real client last."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def network_of(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: limits a whole café or office
    Wi-Fi together, which is fairer than per address and as hard to dodge."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _daily_salt(name: str) -> str:
    key = f"{name}:salt:{timezone.localdate().isoformat()}"
    cache.add(key, secrets.token_hex(16), timeout=2 * 86400)
    return cache.get(key) or ""


def allow(name: str, address: str, limit: int, window: int) -> bool:
    """Count one request from this address's network under ``name``; False once more than
    ``limit`` came within ``window`` seconds."""
    digest = hashlib.sha256(f"{_daily_salt(name)}|{network_of(address)}".encode()).hexdigest()[:32]
    key = f"{name}:rate:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit
