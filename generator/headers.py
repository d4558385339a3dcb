"""What an HTTP header name may be: a token of RFC 9110 (``tchar``), so that no CR, LF, space or
colon can reach a request an SDK sends. The descriptions' header names (``load/headers.py``) and
the settings' (``request_id_headers``) are checked against it."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""RFC 9110 5.6.2: ``token = 1*tchar``."""


def is_header_name(name: object) -> bool:
    return isinstance(name, str) and TOKEN.fullmatch(name) is not None
