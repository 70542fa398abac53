"""Passwords never shown: the one masking of every database URL, and the scrubbing of messages.

A URL's user info runs to the last `@` before the host, so `postgresql://auditor:PASS@WORD@host/db`
(an unencoded `@` in the password) is read as user `auditor`, password `PASS@WORD`, host `host`,
and shown as `postgresql://auditor:***@host/db`. `password=` and `sslpassword=` query values are
masked too. Every password seen, and PGPASSWORD's value, is remembered so that a driver's message
quoting it is scrubbed before anyone sees it (casecheck's stderr passes through scrub()).
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

MASK = "***"
MIN_SCRUBBED = 3  # shorter "passwords" would blank ordinary words out of messages
_SEEN: set[str] = set()
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:ssl)?password=)([^&#]*)")


def _remember(secret: str | None) -> None:
    if secret:
        _SEEN.add(secret)
        _SEEN.add(unquote(secret))


def _split(text: str):
    """(scheme://, user info or None, the rest from the host on) of a URL, else None."""
    head, sep, rest = text.partition("://")
    if not sep:
        return None
    end = len(rest)
    for stop in ("/", "?", "#"):
        # the host ends at the first / ? # after the user info: look past any in the password
        i = rest.find(stop, rest.rfind("@") + 1 if "@" in rest else 0)
        if i != -1:
            end = min(end, i)
    at = rest.rfind("@", 0, end)
    if at == -1:
        return head + sep, None, rest
    return head + sep, rest[:at], rest[at + 1:]


def mask_url(text: str) -> str:
    """text with a URL's password and password query values masked (and remembered)."""
    text = str(text)
    parts = _split(text)
    if parts is None:
        return text
    scheme, userinfo, rest = parts
    if userinfo is not None and ":" in userinfo:
        user, _, password = userinfo.partition(":")
        _remember(password)
        userinfo = f"{user}:{MASK}"
    for m in _QUERY_PASSWORD.finditer(rest):
        _remember(m.group(2))
    rest = _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, rest)
    return scheme + (f"{userinfo}@" if userinfo is not None else "") + rest


def connectable_url(text: str) -> str:
    """The URL as a driver should read it: an `@` in the password percent-encoded."""
    parts = _split(str(text))
    if parts is None or parts[1] is None or ":" not in parts[1]:
        return str(text)
    scheme, userinfo, rest = parts
    user, _, password = userinfo.partition(":")
    _remember(password)
    return f"{scheme}{user}:{password.replace('@', '%40')}@{rest}"


def scrub(message: str) -> str:
    """message with every password seen (and PGPASSWORD's value) replaced by ***."""
    secrets = set(_SEEN)
    env = os.environ.get("PGPASSWORD")
    if env:
        secrets.add(env)
    for s in sorted((s for s in secrets if len(s) >= MIN_SCRUBBED), key=len, reverse=True):
        message = message.replace(s, MASK)
    return message


def remember_urls(args) -> None:
    """Every URL on the command line: its passwords are known before any message is written."""
    for a in args:
        if isinstance(a, str) and "://" in a:
            mask_url(a)
