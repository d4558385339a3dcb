"""Format rendered Python files with black, so templates need not care about layout."""

from __future__ import annotations

import black

from generator.cache import FormatCache
from generator.errors import SpecError

LINE_LENGTH = 120
_MODE = black.Mode(line_length=LINE_LENGTH, target_versions={black.TargetVersion.PY39})


def format_python(path: str, source: str) -> str:
    """Return ``source`` formatted; a syntax error here is a generator bug, reported with the path."""
    try:
        return black.format_str(source, mode=_MODE)
    except black.InvalidInput as exc:
        raise SpecError(f"rendered code does not parse: {exc}", None) from exc


def format_files(files: dict[str, str], cache: FormatCache | None = None) -> dict[str, str]:
    """Format every ``.py``/``.pyi`` file; other files pass through unchanged."""
    cache = cache or FormatCache(None)
    formatted = {}
    for path, text in files.items():
        if not path.endswith((".py", ".pyi")):
            formatted[path] = text
            continue
        result = cache.get(text)
        if result is None:
            result = format_python(path, text)
            cache.put(text, result)
        formatted[path] = result
    return formatted
