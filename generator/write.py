"""Write the rendered tree atomically, or compare it with what is on disk."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Things that appear in an output tree without being generated (installs, caches).
IGNORED_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", "build", "dist"}
IGNORED_SUFFIXES = (".pyc", ".egg-info")


def _is_ignored(relative: Path) -> bool:
    return any(part in IGNORED_PARTS or part.endswith(IGNORED_SUFFIXES) for part in relative.parts)


def read_tree(root: Path) -> dict[str, str]:
    """The generated-looking files under ``root`` as ``{posix relative path: text}``."""
    if not root.is_dir():
        return {}
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _is_ignored(relative):
            files[relative.as_posix()] = path.read_text(encoding="utf-8")
    return files


def write_tree(files: dict[str, str], out: Path) -> None:
    """Replace ``out`` with exactly ``files``; on any failure ``out`` is left as it was.

    The tree is written into a temporary sibling folder first and swapped in with renames.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    backup = out.parent / f".{out.name}-old-{os.getpid()}"
    try:
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        if out.exists():
            os.rename(out, backup)
        try:
            os.rename(staging, out)
        except BaseException:
            if backup.exists():
                os.rename(backup, out)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)


@dataclass(frozen=True)
class Drift:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def summary(self, expected: dict[str, str], actual: dict[str, str], max_diff_lines: int = 40) -> str:
        lines: list[str] = []
        for label, paths in (("new", self.added), ("deleted", self.removed), ("changed", self.changed)):
            lines.extend(f"  {label}: {path}" for path in paths)
        for path in self.changed[:3]:
            diff = difflib.unified_diff(
                actual[path].splitlines(), expected[path].splitlines(), f"on disk/{path}", f"from specs/{path}", lineterm=""
            )
            shown = list(diff)
            lines.extend("    " + line for line in shown[:max_diff_lines])
            if len(shown) > max_diff_lines:
                lines.append(f"    ... {len(shown) - max_diff_lines} more diff lines")
        return "\n".join(lines)


def compare_tree(files: dict[str, str], out: Path) -> Drift:
    """What differs between the freshly rendered ``files`` and the tree at ``out``."""
    actual = read_tree(out)
    return Drift(
        added=tuple(sorted(set(files) - set(actual))),
        removed=tuple(sorted(set(actual) - set(files))),
        changed=tuple(sorted(path for path in set(files) & set(actual) if files[path] != actual[path])),
    )
