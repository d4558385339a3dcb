"""Format rendered Python files with black, so templates need not care about layout."""

from __future__ import annotations

import black

from generator.errors import SpecError

LINE_LENGTH = 120
_MODE = black.Mode(line_length=LINE_LENGTH, target_versions={black.TargetVersion.PY39})


def format_python(path: str, source: str) -> str:
    """Return ``source`` formatted; a syntax error here is a generator bug, reported with the path."""
    try:
        return black.format_str(source, mode=_MODE)
    except black.InvalidInput as exc:
        raise SpecError(f"rendered code does not parse: {exc}", None) from exc


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every ``.py``/``.pyi`` file; other files pass through unchanged."""
    return {
        path: format_python(path, text) if path.endswith((".py", ".pyi")) else text
        for path, text in files.items()
    }
