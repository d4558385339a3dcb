"""What an HTTP header name may be: a token of RFC 9110 (``tchar``), so that no CR, LF, space or
colon can reach a request an SDK sends. The descriptions' header names are checked against it
(``load/headers.py`` says which are not; the readers leave out what they name), as are the
settings' (``request_id_headers``, refused) and cookie parameters' names (``normalise/openapi.py``),
which RFC 6265 makes the same kind of token."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""RFC 9110 5.6.2: ``token = 1*tchar``."""


def is_header_name(name: object) -> bool:
    return isinstance(name, str) and TOKEN.fullmatch(name) is not None


def is_cookie_name(name: object) -> bool:
    """RFC 6265 4.2.1: ``cookie-name = token`` (RFC 2616's, the same characters as RFC 9110's): no ``=``,
    ``;``, ``,``, space or control character, so that a name can neither end its pair nor start another."""
    return is_header_name(name)


def not_a_token(name: str) -> str:
    """Why the header name ``name`` cannot be sent (for a message)."""
    shown = name if len(name) <= 60 else name[:50] + "..."
    return f"the header name {shown!r} is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~ only)"
