"""The run record, which makes a regeneration with nothing changed nearly free.

It is kept in a ``.sdkgen-cache`` folder beside the output folder (never committed): a
fingerprint of every input (specs, the generator's own code and templates, the versions of
the libraries that shape the output) and a digest of the tree those inputs produced. When
both still match, ``generate`` and ``check`` are done without loading a spec: this path
imports nothing heavier than :mod:`hashlib`.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from generator.resources import PACKAGE_DIR, TEMPLATES

CACHE_DIR = ".sdkgen-cache"
_RECORD = "last-run.json"
_GENERATOR_DIR = PACKAGE_DIR
_TEMPLATES_DIR = TEMPLATES
_VERSIONED = ("ruff", "jinja2", "pyyaml", "openapi-spec-validator", "jsonschema")
_SKIPPED_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", "build", "dist"}
_SKIPPED_SUFFIXES = (".pyc", ".egg-info")


def cache_dir(out: Path) -> Path:
    return out.resolve().parent / CACHE_DIR


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED_PARTS and not d.endswith(_SKIPPED_SUFFIXES))
        found.extend(Path(dirpath, name) for name in sorted(filenames) if not name.endswith(_SKIPPED_SUFFIXES))
    return found


def _digest_tree(root: Path, digest: hashlib._Hash) -> None:
    """Feed every file under ``root`` to ``digest``, in the order :func:`files_digest` uses."""
    for relative, path in sorted((path.relative_to(root).as_posix(), path) for path in _files(root)):
        digest.update(relative.encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")


def _versions() -> str:
    versions = []
    for name in _VERSIONED:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return ";".join(versions)


def input_fingerprint(specs_dir: Path) -> str:
    """Digest of everything the output depends on."""
    digest = hashlib.sha256(_versions().encode())
    for label, root in (("specs", specs_dir), ("generator", _GENERATOR_DIR), ("templates", _TEMPLATES_DIR)):
        digest.update(f"\0{label}\0".encode())
        _digest_tree(root, digest)
    return digest.hexdigest()


def output_digest(out: Path) -> str:
    digest = hashlib.sha256()
    _digest_tree(out, digest)
    return digest.hexdigest()


def files_digest(files: dict[str, str]) -> str:
    """The digest :func:`output_digest` gives once ``files`` are written."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0")
        digest.update(files[path].encode("utf-8") + b"\0")
    return digest.hexdigest()


def is_current(specs_dir: Path, out: Path) -> bool:
    """True when ``out`` holds what the current inputs produced in an earlier run."""
    try:
        record = json.loads((cache_dir(out) / _RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict):
        return False
    return bool(record.get("inputs") == input_fingerprint(specs_dir) and record.get("output") == output_digest(out))


def remember(specs_dir: Path, out: Path, files: dict[str, str]) -> None:
    """Record that the current inputs produce ``files``, now written at ``out``."""
    folder = cache_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    record = {"inputs": input_fingerprint(specs_dir), "output": files_digest(files)}
    (folder / _RECORD).write_text(json.dumps(record), encoding="utf-8")
