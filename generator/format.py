"""Format rendered Python with ruff's formatter, so templates need not care about layout.

ruff formats in black's style; it replaced black here because black took 3.3 s of a
4.2 s regeneration of the Hume SDK, ruff 0.03 s for the same files (README, design notes).
All files go through one ruff process, formatting a folder in place: ``sdkgen generate``
formats the staging folder it writes the tree into (each file is written once), and
:func:`format_sources` a temporary folder, for callers that keep the tree in memory.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from ruff import find_ruff_bin  # type: ignore[import-untyped]

from generator.errors import SpecError

LINE_LENGTH = 120
TARGET_VERSION = "py39"
_PARSE_ERROR = re.compile(r"Failed to parse (?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)")


def format_sources(sources: dict[str, str], line_length: int = LINE_LENGTH) -> dict[str, str]:
    """Format each Python source (keyed by a relative posix path); same keys in the result."""
    if not sources:
        return {}
    with tempfile.TemporaryDirectory(prefix="sdkgen-format-") as folder:
        root = Path(folder)
        for relative, text in sources.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        return format_folder(root, list(sources), line_length)


def format_folder(root: Path, relatives: list[str], line_length: int = LINE_LENGTH) -> dict[str, str]:
    """Format the Python files of the tree at ``root`` in place; the text of each of ``relatives``."""
    python = [relative for relative in relatives if relative.endswith((".py", ".pyi"))]
    if not python:
        return {}
    command = [
        find_ruff_bin(),
        "format",
        "--isolated",
        "--no-cache",
        f"--line-length={line_length}",
        f"--target-version={TARGET_VERSION}",
        "--",
        *python,  # only these: ruff would also lay out the Python blocks of Markdown files
    ]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SpecError(_describe_failure(result.stdout + result.stderr, root))
    return {relative: (root / relative).read_text(encoding="utf-8") for relative in python}


def _describe_failure(output: str, root: Path) -> str:
    """A rendered file that does not parse is a generator bug: say which file and where."""
    found = _PARSE_ERROR.search(output)
    if found is None:
        return f"formatting the rendered code failed: {output.strip()}"
    path = Path(found["path"])
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return f"rendered code does not parse: {shown}:{found['line']}:{found['column']}: {found['message']}"


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Format every ``.py``/``.pyi`` file; other files pass through unchanged."""
    python = {path: text for path, text in files.items() if path.endswith((".py", ".pyi"))}
    formatted = format_sources(python)
    return {path: formatted.get(path, text) for path, text in files.items()}
