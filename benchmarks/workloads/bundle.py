"""Bundle an OpenAPI document and the files its ``$ref``s reach into one self-contained JSON file.

Only used to feed openapi-python-client (which does not follow references into other files) the
same facts sdkgen reads. A reference to another file's ``#/components/<kind>/<name>`` becomes a
component of the bundle (renamed on a clash); any other cross-file reference is inlined. Needs
PyYAML (run it with the sdkgen venv's Python).

    python bundle.py SPEC.yaml OUT.json
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml


def _pointer(document: Any, pointer: str) -> Any:
    node = document
    for part in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


class Bundler:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.documents: dict[Path, Any] = {}
        self.bundle = copy.deepcopy(self._load(self.root))
        self.hoisted: dict[tuple[Path, str], str] = {}  # (file, pointer) -> local pointer in the bundle
        self.added: dict[str, dict[str, Any]] = {}  # components from other files, merged in at the end

    def _load(self, path: Path) -> Any:
        if path not in self.documents:
            self.documents[path] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return self.documents[path]

    def run(self) -> Any:
        self.bundle = self._walk(self.bundle, self.root)
        components = self.bundle.setdefault("components", {})
        for kind, entries in self.added.items():
            components.setdefault(kind, {}).update(entries)
        return self.bundle

    def _walk(self, node: Any, base: Path) -> Any:
        if isinstance(node, list):
            return [self._walk(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            rewritten = self._ref(ref, base)
            if not isinstance(rewritten, str):  # inlined
                return rewritten
            node = {**node, "$ref": rewritten}
        return {key: (value if key == "$ref" else self._walk(value, base)) for key, value in node.items()}

    def _ref(self, ref: str, base: Path) -> Any:
        file_part, _, pointer = ref.partition("#")
        target = (base.parent / file_part).resolve() if file_part else base
        if target == self.root:
            return "#" + pointer
        key = (target, pointer)
        if key in self.hoisted:
            return "#" + self.hoisted[key]
        parts = pointer.strip("/").split("/")
        value = _pointer(self._load(target), pointer)
        if len(parts) == 3 and parts[0] == "components":
            kind, name = parts[1], parts[2]
            taken = self.bundle.get("components", {}).get(kind, {})
            section = self.added.setdefault(kind, {})
            unique, n = name, 1
            while unique in section or unique in taken:
                n += 1
                unique = f"{name}{n}"
            section[unique] = {}  # reserve before walking, for cycles
            self.hoisted[key] = f"/components/{kind}/{unique}"
            section[unique] = self._walk(copy.deepcopy(value), target)
            return "#" + self.hoisted[key]
        return self._walk(copy.deepcopy(value), target)


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.write_text(json.dumps(Bundler(source).run(), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
