"""Where sdkgen finds its own files: the Jinja templates and the SDK runtime they copy.

In a source checkout (and an editable install) they are ``templates/`` beside the
``generator`` package. A built wheel carries the same folder as package data, at
``generator/_templates`` (``pyproject.toml`` maps it there), so an installed sdkgen needs
no checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED = PACKAGE_DIR / "_templates"
_CHECKOUT = PACKAGE_DIR.parent / "templates"


def templates_dir() -> Path:
    """The templates folder of this sdkgen: the installed copy if there is one, else the checkout's."""
    return _INSTALLED if _INSTALLED.is_dir() else _CHECKOUT


TEMPLATES = templates_dir()
RUNTIME = TEMPLATES / "runtime"
