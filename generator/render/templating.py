"""The Jinja environment: templates live in ``templates/`` at the repository root.

Templates only loop and branch over view data computed in Python; they never see raw
spec text (descriptions arrive already escaped, see :mod:`generator.render.text`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
RUNTIME = TEMPLATES / "runtime"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_template(template: str, /, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def runtime_files() -> dict[str, str]:
    """The static runtime files, by path relative to ``templates/runtime``."""
    return {
        path.relative_to(RUNTIME).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(RUNTIME.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".pyi", ".typed")
    }
