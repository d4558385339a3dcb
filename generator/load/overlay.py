"""Applying Overlay documents (OpenAPI Overlay 1.0/1.1) to a parsed description.

Targets use the JSONPath subset of :mod:`generator.load.jsonpath`. ``update`` merges
recursively as Overlay 1.1 spells out (and 1.0 intends): objects merge, arrays
concatenate, primitives replace; a non-array value is appended to a selected array.
A ``null`` in an update leaves an existing object or array alone. ``remove: true``
removes the selected nodes. An action whose target selects nothing is a warning.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from generator.errors import Location, SpecError, warn
from generator.load import jsonpath
from generator.load.documents import Document, parse

_VERSION = re.compile(r"^1\.[01]\.\d+$")


def read_overlay(root: Path, file: str) -> Document:
    """Read and check the overlay at ``file`` (relative to ``root``)."""
    try:
        text = (root / file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read overlay: {exc}", Location(file)) from None
    overlay = parse(file, text)
    data = overlay.data
    if not isinstance(data, dict) or not isinstance(data.get("overlay"), str):
        raise SpecError("not an overlay: no 'overlay' version", overlay.location(""))
    if not _VERSION.match(data["overlay"]):
        raise SpecError(
            f"unsupported overlay version {data['overlay']!r} (1.0.x or 1.1.x)", overlay.location("/overlay")
        )
    info = data.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) or "version" not in info:
        raise SpecError("'info' must have a 'title' and a 'version'", overlay.location("/info"))
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecError("'actions' must be a non-empty list", overlay.location("/actions"))
    for index, action in enumerate(actions):
        where = overlay.location(f"/actions/{index}")
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise SpecError("an action must be a mapping with a 'target' string", where)
        if not isinstance(action.get("remove", False), bool):
            raise SpecError("'remove' must be true or false", overlay.location(f"/actions/{index}/remove"))
        if "update" not in action and not action.get("remove"):
            raise SpecError("an action needs 'update' or 'remove: true'", where)
    return overlay


def apply_overlay(overlay: Document, document: Document) -> None:
    """Apply every action of ``overlay`` to ``document.data``, in order, in place."""
    for index, action in enumerate(overlay.data["actions"]):
        pointer = f"/actions/{index}"
        try:
            segments = jsonpath.parse(action["target"])
        except jsonpath.JsonPathError as exc:
            raise SpecError(
                f"unsupported JSONPath {action['target']!r}: {exc}", overlay.location(f"{pointer}/target")
            ) from None
        matches = jsonpath.select(document.data, segments)
        if not matches:
            warn(
                f"overlay action {index} (target {action['target']!r}) matches nothing in {document.file}",
                overlay.location(pointer),
            )
        elif action.get("remove"):
            _remove(matches, overlay.location(pointer))
        else:
            for match in matches:
                _update(match, action["update"], overlay.location(f"{pointer}/update"))


def _remove(matches: list[jsonpath.Match], where: Location) -> None:
    # Remove list items from the highest index down so earlier indices stay valid.
    ordered = sorted(matches, key=lambda m: m.key if isinstance(m.key, int) else -1, reverse=True)
    for match in ordered:
        if match.parent is None:
            raise SpecError("cannot remove the whole document", where)
        del match.parent[match.key]


def _update(match: jsonpath.Match, update: Any, where: Location) -> None:
    target = match.value
    if isinstance(target, dict):
        if not isinstance(update, dict):
            raise SpecError("the target is an object, so 'update' must be an object", where)
        _merge(target, update, where)
    elif isinstance(target, list):
        if isinstance(update, list):
            target.extend(copy.deepcopy(update))
        else:
            target.append(copy.deepcopy(update))
    elif match.parent is None or isinstance(update, (dict, list)):
        raise SpecError("the target is a primitive value, so 'update' must be one too", where)
    else:
        match.parent[match.key] = update


def _merge(target: dict[str, Any], update: dict[str, Any], where: Location) -> None:
    for key, value in update.items():
        current = target.get(key)
        if key not in target:
            target[key] = copy.deepcopy(value)
        elif isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value, where)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        elif isinstance(current, (dict, list)) and value is None:
            continue
        elif isinstance(current, (dict, list)) or isinstance(value, (dict, list)):
            raise SpecError(f"cannot merge {_kind(value)} into {_kind(current)} at {key!r}", where)
        else:
            target[key] = value


def _kind(value: Any) -> str:
    return "an object" if isinstance(value, dict) else "an array" if isinstance(value, list) else "a primitive"
