"""Write the rendered tree atomically, or compare it with what is on disk."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Things that appear in an output tree without being generated (installs, caches).
IGNORED_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", "build", "dist"}
IGNORED_SUFFIXES = (".pyc", ".egg-info")


def _is_ignored(relative: Path) -> bool:
    return any(part in IGNORED_PARTS or part.endswith(IGNORED_SUFFIXES) for part in relative.parts)


MANIFEST = ".sdkgen-manifest"
"""The file, inside the output folder, listing the files sdkgen wrote there (one posix path a line)."""
_MANIFEST_HEADER = (
    "# The files sdkgen generated in this folder: `sdkgen generate` replaces exactly these, and refuses\n"
    "# to run while the folder holds others (unless --force). Folders starting with '.' are never touched.\n"
)


def _is_kept(relative: Path) -> bool:
    """A top-level entry starting with '.' (``.git``, ``.venv``...) is the user's, except the manifest."""
    return relative.parts[0].startswith(".") and relative.as_posix() != MANIFEST


def read_tree(root: Path) -> dict[str, str]:
    """The generated-looking files under ``root`` as ``{posix relative path: text}``."""
    if not root.is_dir():
        return {}
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _is_ignored(relative) and not _is_kept(relative):
            files[relative.as_posix()] = path.read_text(encoding="utf-8")
    return files


def with_manifest(files: dict[str, str]) -> dict[str, str]:
    """``files`` and the manifest listing them (sorted: the same files give the same manifest)."""
    listed = sorted(path for path in files if path != MANIFEST)
    return {**files, MANIFEST: _MANIFEST_HEADER + "".join(f"{path}\n" for path in listed)}


def _manifest(out: Path) -> set[str] | None:
    """The files an earlier run listed in ``out``'s manifest, or None when there is none."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return set()
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def _staging_prefix(out: Path, kind: str) -> str:
    return f".{out.name}-{kind}-"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_staging(out: Path) -> None:
    """Remove the staging and backup folders an interrupted run left beside ``out``.

    A folder of a process still running is left alone. A dot-entry of the output folder (``.git``)
    that an interrupted swap had moved into one is moved back first, so nothing of the user's is lost.
    """
    if not out.parent.is_dir():
        return
    for kind in ("old", "new"):  # a backup first: it is the output folder when the swap stopped half-way
        for folder in sorted(out.parent.glob(_staging_prefix(out, kind) + "*")):
            pid_text = folder.name[len(_staging_prefix(out, kind)) :].split("-", 1)[0]
            if not pid_text.isdigit() or not folder.is_dir() or _process_alive(int(pid_text)):
                continue
            if kind == "old" and not out.exists():
                os.rename(folder, out)
                continue
            if kind == "new" and out.is_dir():
                for entry in sorted(folder.iterdir()):
                    if _is_kept(Path(entry.name)) and not (out / entry.name).exists():
                        os.rename(entry, out / entry.name)
            shutil.rmtree(folder, ignore_errors=True)


SWAP_LOCK = threading.Lock()
"""Held while :func:`write_tree` swaps the new tree in: ``sdkgen`` waits for it on Ctrl-C, so an
interrupted run leaves the output folder either as it was or as written (then only staging
folders, which the next run removes)."""


def write_tree(
    files: dict[str, str], out: Path, prepare: Callable[[Path, list[str]], dict[str, str]] | None = None
) -> dict[str, str]:
    """Replace ``out`` with exactly ``files``; on any failure ``out`` is left as it was.

    The tree is written into a temporary sibling folder first and swapped in with renames; the
    entries of ``out`` whose names start with '.' (``.git``, ``.venv``; not the manifest) are moved
    into it first, so they stay as they are. Staging folders of interrupted runs are removed first
    (:func:`clean_staging`). ``prepare`` may change files there before the swap (the formatter,
    which so reads and writes the files in place rather than in a folder of its own): it returns
    the new text of those it changed. The files as written are returned.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(out, 'new')}{os.getpid()}-", dir=out.parent))
    backup = out.parent / f"{_staging_prefix(out, 'old')}{os.getpid()}"
    written = dict(files)
    kept: list[str] = []
    try:
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        if prepare is not None:
            written.update(prepare(staging, list(files)))
        with SWAP_LOCK:
            if out.exists():
                kept = sorted(entry.name for entry in out.iterdir() if _is_kept(Path(entry.name)))
                for name in kept:
                    os.rename(out / name, staging / name)
                os.rename(out, backup)
            try:
                os.rename(staging, out)
            except BaseException:
                if backup.exists():
                    os.rename(backup, out)
                raise
    except BaseException:
        for name in kept:  # the swap did not happen: the user's entries go back where they were
            if (staging / name).exists() and not (out / name).exists():
                os.rename(staging / name, out / name)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
    return written


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
                actual[path].splitlines(),
                expected[path].splitlines(),
                f"on disk/{path}",
                f"from specs/{path}",
                lineterm="",
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


GENERATED_MARK = "# This file was generated by sdkgen"
"""How every generated Python file starts (the header the renderer writes)."""


def foreign_files(out: Path, files: dict[str, str]) -> list[str]:
    """The files in ``out`` that sdkgen did not write there (posix paths, sorted).

    What it wrote is what the manifest lists. A folder without one (written by an sdkgen before
    manifests) counts as sdkgen's when it holds a generated package (``src/<package>/__init__.py``
    with the generated-file header); then its files that carry that header or that this run
    writes again are sdkgen's. Entries starting with '.' at the top (``.git``) and installs and
    caches (``__pycache__``, ``*.egg-info``...) are never counted.
    """
    if not out.is_dir():
        return []
    present = [
        relative
        for relative in (
            path.relative_to(out) for path in sorted(out.rglob("*")) if path.is_file() or path.is_symlink()
        )
        if not _is_ignored(relative) and not _is_kept(relative) and relative.as_posix() != MANIFEST
    ]
    listed = _manifest(out)
    if listed is None:
        if not any(_has_mark(init) for init in sorted(out.glob("src/*/__init__.py"))):
            return [relative.as_posix() for relative in present]
        return [
            relative.as_posix()
            for relative in present
            if relative.as_posix() not in files and not _has_mark(out / relative)
        ]
    return [relative.as_posix() for relative in present if relative.as_posix() not in listed]


def _has_mark(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as file:
            return file.readline().startswith(GENERATED_MARK)
    except (OSError, UnicodeDecodeError):
        return False


def check_replaceable(out: Path, files: dict[str, str], force: bool = False) -> None:
    """Refuse to replace a folder holding files sdkgen did not write (unless ``force``):
    ``generate`` swaps the output folder whole, keeping only its entries starting with '.'."""
    from generator.errors import Location, SpecError

    if out.exists() and not out.is_dir():
        raise SpecError("the output folder is a file", Location(str(out)))
    if force:
        return
    foreign = foreign_files(out, files)
    if foreign:
        shown = ", ".join(foreign[:10]) + (f" and {len(foreign) - 10} more" if len(foreign) > 10 else "")
        raise SpecError(
            f"the output folder holds {len(foreign)} file{'s' if len(foreign) != 1 else ''} sdkgen did not write "
            f"({shown}); generate replaces the folder, so move them out (folders starting with '.' are kept), "
            "choose another folder, or pass --force to replace them",
            Location(str(out)),
        )
