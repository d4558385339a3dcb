"""Reads stay inside the specs: every file a description names must resolve (symlinks followed)
inside the folder that bounds it.

The bound is the specs folder, or for loose description files the folder of the description
(the closest common folder of several). Remote references are never fetched: only relative file
references (and the ``$id`` of a loaded schema) are read at all, see :mod:`generator.load.refs`.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import Location, SpecError


def bound_of(root: Path, files: tuple[str, ...], specs_folder: bool) -> Path:
    """The folder reads are confined to: ``root`` for a specs folder, else the closest common
    folder of the description ``files`` (relative to ``root``)."""
    if specs_folder or not files:
        return root.resolve()
    return Path(os.path.commonpath([str((root / file).resolve().parent) for file in files]))


def confined(bound: Path, path: Path, shown: str, where: Location) -> Path:
    """``path`` with symlinks resolved; a SpecError at ``where`` when that is outside ``bound``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(bound):
        raise SpecError(
            f"{shown!r} is outside {bound} (where it leads, symlinks followed); sdkgen reads only files there",
            where,
        )
    return resolved
