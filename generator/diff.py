"""``sdkgen diff``: what changed for SDK users between two versions of the specs, and the next version.

Both versions are read into the IR; each becomes a *surface*: every name a user touches
(sub-clients, methods and their parameters, models and their fields, enum values, errors,
WebSocket channels, their ``connect()`` parameters, send methods and received messages),
with its type, whether it is required, and its documentation. Comparing the two surfaces
gives changes judged from the user's side:

- **breaking**: something removed; a new required parameter or request field; a parameter or
  request field that became required; a type that accepts less in a request, or gives
  something else in a response; an enum value removed from a request; a message no longer
  received;
- **additive**: something new that existing code need not use (a method, an optional parameter,
  a response field, an enum value, a message); a type that accepts more in a request or is
  narrower in a response;
- **cosmetic**: documentation only.

The suggested version bump follows semver, with 0.x versions moving one place down (a breaking
change bumps the minor version, anything else the patch version).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from typing_extensions import assert_never

from generator import ir
from generator.errors import Location, SpecError
from generator.typerefs import references, type_references

Severity = Literal["breaking", "additive", "cosmetic"]
Direction = Literal["request", "response", "both"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "additive", "cosmetic")


@dataclass(frozen=True)
class Item:
    """One name of the surface."""

    kind: str
    """What it is, as the report says it: ``method``, ``parameter``, ``field``, ``enum value``..."""
    type: str = ""
    required: bool = False
    direction: Direction = "both"
    """Whether users give it (request), read it (response), or both."""
    doc: str = ""
    owner: str = ""
    """The path of what it belongs to (a parameter's method): what comes and goes with it is not reported."""


@dataclass(frozen=True)
class Change:
    severity: Severity
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass
class Report:
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)

    def of(self, severity: Severity) -> list[Change]:
        return [change for change in self.changes if change.severity == severity]

    @property
    def bump(self) -> Literal["major", "minor", "patch", "none"]:
        found = {change.severity for change in self.changes}
        pre_1_0 = self.old_version.split(".")[0] in ("0", "")
        if "breaking" in found:
            return "minor" if pre_1_0 else "major"
        if "additive" in found:
            return "patch" if pre_1_0 else "minor"
        return "patch" if found else "none"

    @property
    def suggested_version(self) -> str:
        parts = [
            int(part) if part.isdigit() else 0 for part in (self.old_version.split("-")[0].split(".") + ["0"] * 3)[:3]
        ]
        bump = self.bump
        if bump == "major":
            return f"{parts[0] + 1}.0.0"
        if bump == "minor":
            return f"{parts[0]}.{parts[1] + 1}.0"
        if bump == "patch":
            return f"{parts[0]}.{parts[1]}.{parts[2] + 1}"
        return self.old_version


# --------------------------------------------------------------------------------------
# The surface of an SDK
# --------------------------------------------------------------------------------------


def surface(api: ir.Api) -> dict[str, Item]:
    """Every name of the SDK an IR gives, keyed by a path a user recognises (``configs.list_configs(page_size)``)."""
    directions = _directions(api)
    items: dict[str, Item] = {}
    for group in api.groups:
        if group.path:
            items[f"client {'.'.join(group.path)}"] = Item("sub-client", doc=group.description or "")
    for endpoint in api.endpoints:
        name = ".".join((*endpoint.group, endpoint.py_name))
        returns = _type(api, endpoint.response.type) if endpoint.response.type is not None else "None"
        doc = "\n".join(filter(None, (endpoint.summary, endpoint.description)))
        method = f"method {name}"
        items[method] = Item("method", returns, direction="response", doc=doc)
        for param in (*endpoint.path_params, *endpoint.query_params, *endpoint.header_params, *endpoint.cookie_params):
            items[f"{method}({param.py_name})"] = _parameter(api, param, method)
        if endpoint.body is not None and endpoint.body.fields:
            for body_field in endpoint.body.fields:
                items[f"method {name}({body_field.py_name})"] = Item(
                    "parameter",
                    _type(api, body_field.type),
                    body_field.required,
                    "request",
                    body_field.description or "",
                )
        elif endpoint.body is not None:
            items[f"method {name}(request)"] = Item(
                "parameter",
                _type(api, endpoint.body.type),
                endpoint.body.required,
                "request",
                endpoint.body.description or "",
            )
        for error in endpoint.errors:
            items[f"error {'.'.join(endpoint.group[:1])}.{error.class_name}"] = Item(
                "error class", direction="response"
            )
    for typedef in api.types:
        _type_items(api, typedef, directions.get(typedef.id, "both"), items)
    for channel in api.channels:
        path = f"channel {'.'.join(channel.group)}"
        items[path] = Item("WebSocket channel", doc=channel.description or "")
        for param in (*channel.path_params, *channel.query_params, *channel.header_params):
            items[f"{path}.connect({param.py_name})"] = _parameter(api, param, path)
        for message in channel.publish:
            items[f"{path}.{message.send_method}"] = Item(
                "send method", _type(api, message.type), direction="request", doc=message.description or "", owner=path
            )
            if message.request_method is not None:
                items[f"{path}.{message.request_method}"] = Item(
                    "request method", _type(api, message.type), direction="request", owner=path
                )
        for message in channel.subscribe:
            items[f"{path} receives {_type(api, message.type)}"] = Item(
                "received message", direction="response", owner=path
            )
    for export in api.extensions.exports:
        items[f"export {'.'.join(filter(None, (api.package, export.package)))}.{export.name}"] = Item(
            "hand-written name"
        )
    for mixin in api.extensions.mixins:
        classes = f"{mixin.module}.{mixin.sync_class}, {mixin.async_class}"
        items[f"client {'.'.join(mixin.group)} methods from {classes}"] = Item("hand-written methods")
    return items


def _parameter(api: ir.Api, param: ir.Parameter, owner: str) -> Item:
    default = f" = {param.default!r}" if param.has_default else ""
    return Item("parameter", _type(api, param.type) + default, param.required, "request", _doc(param), owner)


def _doc(documented: ir.Parameter | ir.Field) -> str:
    """What the docs say of a parameter or field: its description and example."""
    example = f"\nexample: {documented.example!r}" if documented.has_example else ""
    return (documented.description or "") + example


def _type_items(api: ir.Api, typedef: ir.TypeDef, direction: Direction, items: dict[str, Item]) -> None:
    path = f"type {'.'.join((*typedef.module, typedef.py_name))}"
    if isinstance(typedef, ir.ObjectType):
        items[path] = Item("model", direction=direction, doc=typedef.description or "")
        for model_field in typedef.fields:
            required = model_field.required and not (model_field.read_only or model_field.write_only)
            items[f"{path}.{model_field.attribute}"] = Item(
                "field", _type(api, model_field.type), required, direction, _doc(model_field), path
            )
    elif isinstance(typedef, ir.EnumType):
        items[path] = Item("enum", typedef.base, direction=direction, doc=typedef.description or "")
        for value in typedef.values:
            items[f"{path} = {value.value!r}"] = Item(
                "enum value", direction=direction, doc=value.description or "", owner=path
            )
    elif isinstance(typedef, ir.UnionType):
        members = " | ".join(_type(api, member) for member in typedef.members)
        items[path] = Item("union", members, direction=direction, doc=typedef.description or "")
    elif isinstance(typedef, ir.AliasType):
        items[path] = Item("type alias", _type(api, typedef.target), direction=direction, doc=typedef.description or "")
    else:
        assert_never(typedef)


def _type(api: ir.Api, ref: ir.TypeRef) -> str:
    """A type as users read it in the SDK: ``list[Voice]``, ``Optional[str]``..."""
    match ref:
        case ir.Primitive(name=name):
            return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "any": "Any"}.get(
                name, "bytes"
            )
        case ir.Named(id=type_id):
            return api.type_by_id(type_id).py_name
        case ir.ListOf(item=item):
            return f"list[{_type(api, item)}]"
        case ir.MapOf(value=value):
            return f"dict[str, {_type(api, value)}]"
        case ir.Nullable(inner=inner):
            return f"Optional[{_type(api, inner)}]"
        case ir.LiteralOf(value=value):
            return f"Literal[{value!r}]"
        case ir.UnionOf(members=members):
            return f"Union[{', '.join(_type(api, member) for member in members)}]"
        case _:
            assert_never(ref)


def _directions(api: ir.Api) -> dict[str, Direction]:
    """For each named type, whether it is given (in requests), read (in responses), or both."""
    request: set[str] = set()
    response: set[str] = set()
    for endpoint in api.endpoints:
        for param in (*endpoint.path_params, *endpoint.query_params, *endpoint.header_params, *endpoint.cookie_params):
            request |= references(param.type)
        if endpoint.body is not None:
            request |= references(endpoint.body.type)
            for body_field in endpoint.body.fields:
                request |= references(body_field.type)
        response |= references(endpoint.response.type)
        for error in endpoint.errors:
            response |= references(error.type)
    for channel in api.channels:
        for param in (*channel.path_params, *channel.query_params, *channel.header_params):
            request |= references(param.type)
        for message in channel.publish:
            request |= references(message.type)
        for message in channel.subscribe:
            response |= references(message.type)
    request, response = _closure(api, request), _closure(api, response)
    found: dict[str, Direction] = {}
    for typedef in api.types:
        given, read = typedef.id in request, typedef.id in response
        found[typedef.id] = "both" if given == read else "request" if given else "response"
    return found


def _closure(api: ir.Api, roots: set[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        type_id = stack.pop()
        if type_id in seen:
            continue
        seen.add(type_id)
        stack.extend(type_references(api.type_by_id(type_id)) - seen)
    return seen


# --------------------------------------------------------------------------------------
# Comparing two surfaces
# --------------------------------------------------------------------------------------


def compare(old: ir.Api, new: ir.Api) -> Report:
    before, after = surface(old), surface(new)
    report = Report(old.version, new.version)
    for path in sorted(before.keys() | after.keys()):
        was, now = before.get(path), after.get(path)
        if now is None:
            assert was is not None
            if was.owner not in before or was.owner in after:  # a removed method's parameters go without saying
                report.changes.append(Change(_removed(was), path, f"{was.kind} removed"))
        elif was is None:
            if now.owner not in after or now.owner in before:
                report.changes.append(Change(_added(now), path, f"new {'required ' if now.required else ''}{now.kind}"))
        else:
            report.changes.extend(Change(severity, path, what) for severity, what in _changed(was, now))
    report.changes.sort(key=lambda change: (SEVERITIES.index(change.severity), change.path))
    return report


def _removed(item: Item) -> Severity:
    if item.kind == "enum value" and item.direction == "response":
        return "additive"  # values the server stops sending: code that checks for them still runs
    return "breaking"


def _added(item: Item) -> Severity:
    if item.required and item.direction != "response":
        return "breaking"  # users must now give it
    return "additive"


def _changed(was: Item, now: Item) -> list[tuple[Severity, str]]:
    changes: list[tuple[Severity, str]] = []
    if was.type != now.type:
        changes.append((_type_change(was, now), f"type {was.type} -> {now.type}"))
    if was.required != now.required:
        if now.required:
            severity: Severity = "breaking" if now.direction != "response" else "additive"
            changes.append((severity, "now required"))
        else:
            changes.append(("breaking" if now.direction != "request" else "additive", "now optional"))
    if was.doc != now.doc:
        changes.append(("cosmetic", "documentation changed"))
    return changes


def _type_change(was: Item, now: Item) -> Severity:
    """A request type may only widen, a response type only narrow."""
    if now.direction == "request":
        return "additive" if _widens(was.type, now.type) else "breaking"
    if now.direction == "response":
        return "additive" if _widens(now.type, was.type) else "breaking"
    return "breaking"


def _widens(narrow: str, wide: str) -> bool:
    """Whether every value of type ``narrow`` is a value of type ``wide`` (by their written forms)."""
    if wide in (f"Optional[{narrow}]", "Any") or (narrow, wide) == ("int", "float"):
        return True
    if wide.startswith("Union[") and wide.endswith("]"):
        return narrow in {member.strip() for member in wide[len("Union[") : -1].split(",")}
    return False


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------

_TITLES = {"breaking": "Breaking changes", "additive": "Additions", "cosmetic": "Documentation"}


def format_text(report: Report) -> str:
    lines: list[str] = []
    for severity in SEVERITIES:
        changes = report.of(severity)
        if changes:
            lines.append(f"{_TITLES[severity]} ({len(changes)}):")
            lines += [f"  - {change}" for change in changes]
    if not report.changes:
        lines.append("No change to the SDK's surface.")
    lines.append(f"suggested version: {report.suggested_version} (from {report.old_version})")
    lines.append(f"suggested bump: {report.bump}")
    return "\n".join(lines) + "\n"


def format_markdown(report: Report, package: str) -> str:
    lines = [f"## {package} {report.suggested_version}", ""]
    for severity in SEVERITIES:
        changes = report.of(severity)
        if changes:
            lines += [f"### {_TITLES[severity]}", ""]
            lines += [f"- `{change.path}`: {change.what}" for change in changes]
            lines.append("")
    if not report.changes:
        lines += ["No change to the SDK's surface.", ""]
    lines.append(f"suggested bump: {report.bump}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# The specs folder at a git revision
# --------------------------------------------------------------------------------------


@contextmanager
def specs_at_revision(revision: str, specs_dir: Path) -> Iterator[Path]:
    """A temporary copy of ``specs_dir`` as it is at ``revision`` of its git repository."""
    folder = specs_dir.resolve()
    try:
        top = _git(folder, "rev-parse", "--show-toplevel").strip()
    except SpecError:
        raise SpecError(f"{specs_dir} is not in a git repository", Location(str(specs_dir))) from None
    relative = folder.relative_to(Path(top)).as_posix()
    with tempfile.TemporaryDirectory(prefix="sdkgen-diff-") as temporary:
        archive = Path(temporary) / "specs.tar"
        _git(Path(top), "archive", "--format=tar", f"--output={archive}", revision, "--", relative or ".")
        with tarfile.open(archive) as tar:
            if hasattr(tarfile, "data_filter"):  # no links or paths out of the folder (Python 3.10.12+)
                tar.extractall(temporary, filter="data")
            else:
                tar.extractall(temporary)
        os.remove(archive)
        yield Path(temporary) / relative


def _git(cwd: Path, *arguments: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise SpecError("--from-git needs git on the PATH", Location(str(cwd)))
    result = subprocess.run([git, *arguments], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
        raise SpecError(f"git {arguments[0]}: {message}", Location(str(cwd)))
    return result.stdout
