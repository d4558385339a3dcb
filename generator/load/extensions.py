"""Reading ``specs/extensions/``: hand-written Python that becomes part of the SDK.

Every ``.py`` file below the folder is a module of the package at the same path
(``extensions/empathic_voice/chat/audio.py`` is ``<package>.empathic_voice.chat.audio``).
``extensions.yaml`` beside them says what the generated code does with them: which names
package ``__init__`` files re-export, which classes generated clients inherit, which
optional dependencies the distribution offers. Normalise checks what it refers to.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Location, SpecError
from generator.load.confine import confined
from generator.load.documents import Document, parse

FOLDER = "extensions"
MANIFEST = "extensions.yaml"


@dataclass(frozen=True)
class ExtensionFile:
    file: str
    """Path relative to the specs folder, in posix form."""
    module: str
    """Dotted module path below the package."""
    text: str
    classes: frozenset[str]
    """The classes and other names the module defines at top level (for checking references)."""


@dataclass(frozen=True)
class LoadedExtensions:
    files: tuple[ExtensionFile, ...] = ()
    manifest: Document | None = None


def load_extensions(specs_dir: Path) -> LoadedExtensions:
    folder = specs_dir / FOLDER
    if not folder.is_dir():
        return LoadedExtensions()
    files = tuple(_read(folder, path) for path in sorted(folder.rglob("*.py")) if "__pycache__" not in path.parts)
    manifest_path = folder / MANIFEST
    manifest = None
    if manifest_path.is_file():
        shown = f"{FOLDER}/{MANIFEST}"
        manifest = parse(shown, confined(specs_dir.resolve(), manifest_path, shown, Location(shown)).read_text("utf-8"))
    return LoadedExtensions(files, manifest)


def _read(folder: Path, path: Path) -> ExtensionFile:
    relative = path.relative_to(folder)
    file = f"{FOLDER}/{relative.as_posix()}"
    parts = relative.with_suffix("").parts
    if path.name == "__init__.py":
        raise SpecError(
            f"the generator writes every package's __init__.py; declare what {relative.parent.as_posix() or 'the package'}"
            f" re-exports under 'exports' in {FOLDER}/{MANIFEST} instead",
            Location(file),
        )
    if not all(part.isidentifier() for part in parts):
        raise SpecError("an extension module's path must be made of Python identifiers", Location(file))
    text = confined(folder.parent.resolve(), path, file, Location(file)).read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=file)
    except SyntaxError as error:
        raise SpecError(f"not valid Python: {error.msg}", Location(file, "", error.lineno)) from None
    return ExtensionFile(file, ".".join(parts), text, _top_level_names(tree))


def _top_level_names(tree: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return frozenset(names)
