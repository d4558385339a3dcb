"""The SDK's logging, turned on by an environment variable.

The SDK logs to the logger named after its package (``logging.getLogger("<package>")``),
which, like any library's, prints nothing unless the program configures logging. Setting
``<PACKAGE>_LOG`` (the package name in capitals, e.g. ``SHOP_LOG`` for ``shop``) to
``info`` or ``debug`` turns it on without touching the program: a handler writing to
standard error is added to that logger, at that level, with this format::

    2024-05-01 12:00:00,123 shop INFO GET https://api.example.com/v1/orders attempt 1: 200 in 84 ms (request id req_123)

At ``info``: one line per attempt of each request (method, URL without its query string,
attempt, status or failure, elapsed time, request id). At ``debug`` also the request
headers, credentials replaced by ``[redacted]``, and the values the SDK tolerated in a
response. Never a credential, nor a body at ``info``.
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["FORMAT", "configure_from_environment"]

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_PACKAGE = __name__.split(".")[0]


def configure_from_environment() -> None:
    """Add the standard-error handler to the SDK's logger when ``<PACKAGE>_LOG`` asks for it (once)."""
    level = _LEVELS.get(os.environ.get(_PACKAGE.upper() + "_LOG", "").strip().lower())
    if level is None:
        return
    logger = logging.getLogger(_PACKAGE)
    if not any(getattr(handler, "_from_environment", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        setattr(handler, "_from_environment", True)
        logger.addHandler(handler)
    logger.setLevel(level)


configure_from_environment()
