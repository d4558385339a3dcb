"""The WebSocket descriptions in specs/asyncapi/ cover the upstream WebSocket APIs.

The most complete upstream description of Hume's WebSocket APIs is the ``channel:`` blocks of
Hume's Fern definition (``shared/upstream/fern-definition``) and the types they use. For every
such channel this checks that ``specs/asyncapi/`` has a channel on the same server and address,
with:

- every path parameter (channel ``parameters``);
- every query parameter, with its type, enum values and default, in the channel binding
  ``bindings.ws.query``; an ``api_key`` query parameter is covered by an ``httpApiKey`` security
  scheme of the server in the query;
- every header, covered by an ``httpApiKey`` security scheme of the server in that header (or
  ``bindings.ws.headers``);
- every message the client publishes, as a message of a ``send`` operation on the channel, and
  every message the server sends, as a message of a ``receive`` operation (a message matches an
  upstream type by its name or by the name of the component its payload refers to);
- every property of every such message, recursively through the types it uses: same name,
  compatible type (string, integer, number, boolean, array, map, enum values, literal ``const``),
  and the same required/optional status. ``$ref``s are followed across files, into
  ``specs/openapi/`` too.

Where we deliberately differ from upstream, the difference is listed in ``EXCEPTIONS`` with the
reason; an exception that no longer matches a difference fails the test, so the table stays
current. This test reads YAML only; it does not import the generator.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs_shared
from tests.yaml_nodes import Node, load, pointer_get

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
ASYNCAPI_DIR = SPECS / "asyncapi"
UPSTREAM = Path(__file__).resolve().parents[1].parent / "shared" / "upstream"
FERN_DIR = UPSTREAM / "fern-definition"

# Deliberate differences from upstream: "<where> [<problem>]" -> reason. <where> is either
# "<server>:<path> <what>" for a channel's parameters and messages, or "<package>/<Type>.<property>"
# for a property of an upstream type, wherever the type is used (<package> is the type's folder in
# the Fern definition). The failure messages print the exact keys.
_EMPTY_TOKEN = (
    "upstream declares an empty-string default; an empty token is the same as none, so no "
    "default is declared and the parameter is left out unless given"
)
_REQUIRED_NULLABLE = (
    "Hume's OpenAPI document, which specs/openapi/tts.yaml follows, marks it required and "
    "nullable: the server always sends it, null when there is no value"
)
EXCEPTIONS: dict[str, str] = {
    "evi:/chat query access_token [default]": _EMPTY_TOKEN,
    "evi:/chat/{chat_id}/connect query access_token [default]": _EMPTY_TOKEN,
    "tts:/stream/input query access_token [default]": _EMPTY_TOKEN,
    "empathic-voice/ToolCallMessage.type [optional]": (
        "Hume's OpenAPI document, which specs/openapi/empathic-voice.yaml follows, requires it; "
        "it is the tag that tells received messages apart, so the server always sends it"
    ),
    "tts/Snippet.transcribed_text [optional]": _REQUIRED_NULLABLE,
    "tts/Snippet.utterance_index [optional]": _REQUIRED_NULLABLE,
    "tts/SnippetAudioChunk.transcribed_text [optional]": _REQUIRED_NULLABLE,
    "tts/SnippetAudioChunk.utterance_index [optional]": _REQUIRED_NULLABLE,
    "expression-measurement/stream/StreamFace.prob_threshold [default]": (
        "upstream's default of 3 is not a valid probability threshold (0 to 1; the batch API "
        "documents 0.99 for the same setting); no default is declared, so the server's applies"
    ),
    "expression-measurement/stream/StreamFace.min_face_size [default]": (
        "upstream's default of 3 pixels repeats the fps_pred default of the same type, and the "
        "batch API documents no default for the same setting; none is declared, so the "
        "server's applies"
    ),
}

# ---------------------------------------------------------------------------------------------
# YAML documents and $ref resolution
# ---------------------------------------------------------------------------------------------


def schema_types(node: Node) -> set[str]:
    value = node.value
    if not isinstance(value, dict):
        return set()
    t = value.get("type")
    if isinstance(t, list):
        return set(t)
    if isinstance(t, str):
        return {t}
    if "const" in value:
        return {type_of_json(value["const"])}
    if "enum" in value:
        return {type_of_json(v) for v in value["enum"] if v is not None}
    if "properties" in value or "additionalProperties" in value:
        return {"object"}
    return set()


def type_of_json(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if v is None:
        return "null"
    return "object"


def union_members(node: Node) -> list[Node]:
    """The alternatives of a oneOf/anyOf schema, without ``null``; [] when it is no union."""
    value = node.value
    for key in ("oneOf", "anyOf"):
        if isinstance(value, dict) and key in value:
            out = []
            for i, _ in enumerate(value[key]):
                member = node.child(key, i).resolve()
                if schema_types(member) == {"null"}:
                    continue
                out.append(member)
            return out
    return []


def unwrap_nullable(node: Node) -> Node:
    """``oneOf: [X, {type: null}]`` is X (Fern's optional<X> may be written so)."""
    node = node.resolve()
    members = union_members(node)
    if len(members) == 1:
        return unwrap_nullable(members[0])
    return node


def object_parts(node: Node) -> list[Node]:
    """The node and its allOf parts, resolved, recursively."""
    node = node.resolve()
    parts = [node]
    value = node.value
    if isinstance(value, dict):
        for i, _ in enumerate(value.get("allOf", [])):
            parts.extend(object_parts(node.child("allOf", i)))
    return parts


def properties(node: Node) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for part in object_parts(node):
        for name in (part.value or {}).get("properties", {}) or {}:
            out.setdefault(name, part.child("properties", name))
    return out


def required(node: Node) -> set[str]:
    out: set[str] = set()
    for part in object_parts(node):
        out.update((part.value or {}).get("required", []) or [])
    return out


def enum_values(node: Node) -> set[str] | None:
    value = node.resolve().value
    if not isinstance(value, dict):
        return None
    if "const" in value:
        return {str(value["const"])}
    if "enum" in value:
        return {str(v) for v in value["enum"] if v is not None}
    return None


# ---------------------------------------------------------------------------------------------
# Fern definitions
# ---------------------------------------------------------------------------------------------

FERN_STRING = {"string", "uuid", "datetime", "date", "base64"}
FERN_INTEGER = {"integer", "long", "uint", "uint64"}
FERN_NUMBER = {"double", "float"}


@dataclass(frozen=True)
class FernRef:
    """A named Fern type: the file that defines it and its name."""

    file: Path
    name: str

    @property
    def definition(self) -> Any:
        return load(self.file).get("types", {})[self.name]


def fern_lookup(name: str, file: Path) -> FernRef:
    if "." in name:
        alias, _, name = name.partition(".")
        imports = load(file).get("imports", {}) or {}
        file = (file.parent / imports[alias]).resolve()
    if name not in (load(file).get("types", {}) or {}):
        raise AssertionError(f"Fern type {name} not found in {file}")
    return FernRef(file, name)


def split_generic(expr: str) -> tuple[str, list[str]] | None:
    """``map<string, list<X>>`` -> ("map", ["string", "list<X>"])."""
    m = re.fullmatch(r"(\w+)<(.*)>", expr.strip())
    if not m:
        return None
    args, depth, cur = [], 0, ""
    for ch in m.group(2):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += ch
    args.append(cur.strip())
    return m.group(1), args


def fern_optional(expr: str) -> tuple[bool, str]:
    """Whether a Fern type expression is optional, and the type inside."""
    g = split_generic(expr)
    if g and g[0] in ("optional", "nullable"):
        _, inner = fern_optional(g[1][0])
        return True, inner
    return False, expr.strip()


def fern_type_expr(spec: Any) -> str:
    """The type expression of a property/parameter spec (a string or a mapping with ``type``)."""
    if isinstance(spec, str):
        return spec
    expr = spec["type"]
    assert isinstance(expr, str), spec
    return expr


# ---------------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------------


@dataclass
class Problems:
    found: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, code: str, detail: str, trail: str = "") -> None:
        if trail and trail != where:
            detail += f" (at {trail})"
        self.found.setdefault(f"{where} [{code}]", detail)


def fern_package(file: Path) -> str:
    """The folder of a Fern file, relative to the definition root: names a type's package."""
    return file.parent.relative_to(FERN_DIR.resolve()).as_posix()


def check_type(
    expr: str,
    fern_file: Path,
    ours: Node,
    where: str,
    trail: str,
    problems: Problems,
    seen: frozenset[tuple[FernRef, Node]],
) -> None:
    """Check that our schema ``ours`` covers the Fern type expression ``expr``.

    ``where`` keys the problems found (see EXCEPTIONS); ``trail`` is the path from the channel,
    for the messages.
    """
    _, expr = fern_optional(expr)
    ours = unwrap_nullable(ours)
    types = schema_types(ours)
    generic = split_generic(expr)

    if generic and generic[0] == "literal":
        literal = generic[1][0].strip().strip("\"'")
        values = enum_values(ours)
        if values != {literal}:
            problems.add(where, "literal", f"expected const {literal!r}, found {values}", trail)
        return
    if generic and generic[0] in ("list", "set"):
        if "array" not in types:
            problems.add(
                where,
                "kind",
                f"expected an array, found {sorted(types) or 'no type'}",
                trail,
            )
            return
        items = ours.child("items")
        check_type(generic[1][0], fern_file, items, where + "[]", trail + "[]", problems, seen)
        return
    if generic and generic[0] == "map":
        if "object" not in types:
            problems.add(
                where,
                "kind",
                f"expected an object (map), found {sorted(types) or 'no type'}",
                trail,
            )
            return
        value_expr = generic[1][1]
        extra = ours.value.get("additionalProperties", True)
        if value_expr == "unknown":
            if extra is False:
                problems.add(
                    where,
                    "kind",
                    "expected a map of any values, found additionalProperties: false",
                    trail,
                )
            return
        if not isinstance(extra, dict):
            problems.add(
                where,
                "kind",
                f"expected a map of {value_expr}, found additionalProperties: {extra}",
                trail,
            )
            return
        map_values = ours.child("additionalProperties")
        check_type(value_expr, fern_file, map_values, where + "{}", trail + "{}", problems, seen)
        return
    if expr == "unknown":
        return
    if expr in FERN_STRING | FERN_INTEGER | FERN_NUMBER | {"boolean", "file"}:
        if expr in FERN_STRING or expr == "file":
            expected = "string"
        elif expr in FERN_INTEGER:
            expected = "integer"
        elif expr in FERN_NUMBER:
            expected = "number"
        else:
            expected = "boolean"
        if expected not in types:
            problems.add(
                where,
                "kind",
                f"expected {expected} ({expr}), found {sorted(types) or 'no type'}",
                trail,
            )
        return

    ref = fern_lookup(expr, fern_file)
    key = (ref, ours)
    if key in seen:
        return
    seen = seen | {key}
    definition = ref.definition
    if isinstance(definition, str):
        check_type(definition, ref.file, ours, where, trail, problems, seen)
        return
    if "enum" in definition:
        wanted = {str(v["value"] if isinstance(v, dict) else v) for v in definition["enum"]}
        values = enum_values(ours)
        if values is None:
            problems.add(
                where,
                "enum",
                f"expected enum {sorted(wanted)} ({ref.name}), found no enum",
                trail,
            )
        elif wanted - values:
            problems.add(
                where,
                "enum",
                f"missing enum values {sorted(wanted - values)} ({ref.name})",
                trail,
            )
        return
    if "union" in definition:
        check_union(definition, ref, ours, where, trail, problems, seen)
        return
    if "properties" in definition or "extends" in definition:
        check_object(ref, ours, where, trail, problems, seen)
        return
    if "type" in definition:
        check_type(definition["type"], ref.file, ours, where, trail, problems, seen)
        return
    raise AssertionError(f"unsupported Fern type definition {ref.name}: {definition}")


def fern_properties(ref: FernRef) -> dict[str, tuple[Any, FernRef]]:
    """Properties of a Fern object type, with the type that declares each (for ``extends``)."""
    definition = ref.definition
    out: dict[str, tuple[Any, FernRef]] = {}
    extends = definition.get("extends") or []
    for parent in [extends] if isinstance(extends, str) else extends:
        out.update(fern_properties(fern_lookup(parent, ref.file)))
    for name, spec in (definition.get("properties") or {}).items():
        out[name] = (spec, ref)
    return out


def check_object(
    ref: FernRef,
    ours: Node,
    where: str,
    trail: str,
    problems: Problems,
    seen: frozenset[tuple[FernRef, Node]],
) -> None:
    if "object" not in schema_types(ours) and not properties(ours):
        found = sorted(schema_types(ours)) or "no type"
        problems.add(where, "kind", f"expected an object ({ref.name}), found {found}", trail)
        return
    ours_props = properties(ours)
    ours_required = required(ours)
    for name, (spec, owner) in fern_properties(ref).items():
        prop_where = f"{fern_package(owner.file)}/{owner.name}.{name}"
        prop_trail = f"{trail}.{name}"
        if name not in ours_props:
            problems.add(prop_where, "missing", f"property {name!r} is missing", prop_trail)
            continue
        expr = fern_type_expr(spec)
        optional, _ = fern_optional(expr)
        if not optional and name not in ours_required:
            problems.add(prop_where, "required", "required upstream, optional here", prop_trail)
        if optional and name in ours_required:
            problems.add(prop_where, "optional", "optional upstream, required here", prop_trail)
        check_default(spec, ours_props[name], prop_where, prop_trail, problems)
        check_type(expr, owner.file, ours_props[name], prop_where, prop_trail, problems, seen)


def check_union(
    definition: dict[str, Any],
    ref: FernRef,
    ours: Node,
    where: str,
    trail: str,
    problems: Problems,
    seen: frozenset[tuple[FernRef, Node]],
) -> None:
    union = definition["union"]
    if isinstance(union, dict):  # discriminated: {tag: Type or {type: Type}}
        members = [fern_type_expr(v) for v in union.values()]
    else:
        members = [fern_type_expr(m) for m in union]
    ours_members = union_members(ours) or [ours]
    for expr in members:
        for candidate in ours_members:
            scratch = Problems()
            check_type(expr, ref.file, candidate, where, trail, scratch, seen)
            if not scratch.found:
                break
        else:
            problems.add(
                where,
                "union",
                f"no alternative here covers {expr}, a member of {ref.name}",
                trail,
            )


def check_default(spec: Any, ours: Node, where: str, trail: str, problems: Problems) -> None:
    """An upstream default must be declared here too (on the property or the type it refers to)."""
    if not isinstance(spec, dict) or "default" not in spec:
        return
    local = ours.value if isinstance(ours.value, dict) else {}
    target = ours.resolve().value
    found = local.get("default", target.get("default") if isinstance(target, dict) else None)
    if found != spec["default"]:
        problems.add(
            where,
            "default",
            f"upstream default {spec['default']!r}, here {found!r}",
            trail,
        )


# ---------------------------------------------------------------------------------------------
# Channels
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FernChannel:
    file: Path
    url: str
    path: str

    @property
    def id(self) -> str:
        return f"{self.url}:{self.path}"

    @property
    def spec(self) -> dict[str, Any]:
        channel = load(self.file)["channel"]
        assert isinstance(channel, dict), self.file
        return channel


def fern_channels() -> list[FernChannel]:
    out = []
    for file in sorted(FERN_DIR.rglob("*.yml")):
        channel = (load(file) or {}).get("channel")
        if channel:
            out.append(FernChannel(file.resolve(), channel["url"], channel["path"]))
    return out


@dataclass(frozen=True)
class OurChannel:
    doc: Path
    key: str

    @property
    def node(self) -> Node:
        return Node(self.doc, f"/channels/{self.key}")

    @property
    def servers(self) -> list[Node]:
        return [self.node.child("servers", i).resolve() for i, _ in enumerate(self.node.value.get("servers", []))]

    def security(self) -> list[dict[str, Any]]:
        out = []
        for server in self.servers:
            for i, _ in enumerate(server.value.get("security", []) or []):
                out.append(server.child("security", i).resolve().value)
        return out

    def messages(self, action: str) -> list[Node]:
        """Messages of this channel's operations with the given action, resolved."""
        doc = load(self.doc)
        out = []
        for op_key, op in (doc.get("operations") or {}).items():
            channel_ref = op["channel"]["$ref"]
            if channel_ref != f"#/channels/{self.key}" or op["action"] != action:
                continue
            for i, _ in enumerate(op.get("messages", [])):
                out.append(Node(self.doc, f"/operations/{op_key}/messages/{i}").resolve())
        return out


def our_channels() -> dict[tuple[str, str], OurChannel]:
    out: dict[tuple[str, str], OurChannel] = {}
    for doc in sorted(ASYNCAPI_DIR.glob("*.yaml")):
        for key in load(doc).get("channels") or {}:
            channel = OurChannel(doc.resolve(), key)
            for server_ref in channel.node.value.get("servers", []):
                server_key = server_ref["$ref"].rsplit("/", 1)[-1]
                out[(server_key, channel.node.value["address"])] = channel
    return out


def message_matches(message: Node, type_name: str) -> bool:
    value = message.value
    if value.get("name") == type_name or message.name == type_name:
        return True
    payload = message.child("payload").resolve()
    return payload.name == type_name


def fern_message_types(body: Any, file: Path) -> list[tuple[str, Path]]:
    """The named types a channel message body stands for: a union's members, or the type."""
    expr = fern_type_expr(body)
    _, expr = fern_optional(expr)
    ref = fern_lookup(expr, file)
    definition = ref.definition
    if isinstance(definition, dict) and "union" in definition:
        union = definition["union"]
        members = union.values() if isinstance(union, dict) else union
        return [(fern_type_expr(m), ref.file) for m in members]
    return [(expr, file)]


def channel_problems(fern: FernChannel) -> dict[str, str]:
    problems = Problems()
    ours = our_channels().get((fern.url, fern.path))
    if ours is None:
        problems.add(
            fern.id,
            "missing",
            f"no channel on server {fern.url!r} with address {fern.path!r}",
        )
        return problems.found
    spec = fern.spec
    value = ours.node.value

    for name in spec.get("path-parameters", {}) or {}:
        if name not in (value.get("parameters") or {}) or "{" + name + "}" not in value["address"]:
            problems.add(f"{fern.id} path {name}", "missing", "path parameter missing")

    security = ours.security()
    query_node = ours.node.child("bindings", "ws", "query")
    query_props = properties(query_node) if (value.get("bindings") or {}).get("ws", {}).get("query") else {}
    for name, param in (spec.get("query-parameters") or {}).items():
        where = f"{fern.id} query {name}"
        if name not in query_props:
            if any(
                s.get("type") == "httpApiKey" and s.get("in") == "query" and s.get("name") == name for s in security
            ):
                continue
            problems.add(where, "missing", "query parameter missing")
            continue
        expr = fern_type_expr(param)
        if isinstance(param, dict) and param.get("allow-multiple"):
            _, inner = fern_optional(expr)
            expr = f"list<{inner}>"
        check_default(param, query_props[name], where, where, problems)
        check_type(expr, fern.file, query_props[name], where, where, problems, frozenset())

    header_props = {}
    if (value.get("bindings") or {}).get("ws", {}).get("headers"):
        header_props = properties(ours.node.child("bindings", "ws", "headers"))
    for name in spec.get("headers", {}) or {}:
        if name in header_props:
            continue
        if any(
            s.get("type") == "httpApiKey" and s.get("in") == "header" and s.get("name", "").lower() == name.lower()
            for s in security
        ):
            continue
        problems.add(f"{fern.id} header {name}", "missing", "header missing")

    for direction, action in (("publish", "send"), ("subscribe", "receive")):
        message_spec = (spec.get("messages") or {}).get(direction)
        if not message_spec:
            continue
        candidates = ours.messages(action)
        for type_name, file in fern_message_types(message_spec["body"], fern.file):
            short = type_name.rsplit(".", 1)[-1]
            where = f"{fern.id} {direction} {short}"
            matches = [m for m in candidates if message_matches(m, short)]
            if not matches:
                problems.add(where, "missing", f"no {action} message for {type_name}")
                continue
            payload = matches[0].child("payload")
            check_type(type_name, file, payload, where, where, problems, frozenset())
    return problems.found


@functools.cache
def all_problems() -> dict[str, str]:
    out: dict[str, str] = {}
    for fern in fern_channels():
        out.update(channel_problems(fern))
    return out


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@needs_shared("upstream", "fern-definition")
def test_upstream_has_the_expected_channels() -> None:
    """Guards the discovery: if upstream moves its channels, this test must be revisited."""
    assert FERN_DIR.is_dir(), f"the upstream Fern definition is missing: {FERN_DIR}"
    ids = {c.id for c in fern_channels()}
    assert ids == {
        "evi:/chat",
        "evi:/chat/{chat_id}/connect",
        "tts:/stream/input",
        "stream:/models",
    }


@needs_shared("upstream", "fern-definition")
@pytest.mark.parametrize("fern", fern_channels(), ids=lambda c: c.id)
def test_channel_covers_upstream(fern: FernChannel) -> None:
    problems = {k: v for k, v in channel_problems(fern).items() if k not in EXCEPTIONS}
    assert not problems, "differences from upstream (fix the spec or add an exception with a reason):\n" + "\n".join(
        f"  {k}: {v}" for k, v in sorted(problems.items())
    )


@needs_shared("upstream", "fern-definition")
def test_exceptions_are_not_stale() -> None:
    stale = sorted(set(EXCEPTIONS) - set(all_problems()))
    assert not stale, "exceptions that no longer match a difference (remove them):\n" + "\n".join(
        f"  {k}" for k in stale
    )


# ---------------------------------------------------------------------------------------------
# Overlays of the AsyncAPI documents
# ---------------------------------------------------------------------------------------------


def overlay_sources() -> list[tuple[Path, Path]]:
    settings = load(SPECS / "sdkgen.yaml")
    out = []
    for source in settings.get("sources", []):
        if source["file"].startswith("asyncapi/"):
            for overlay in source.get("overlays", []) or []:
                out.append(((SPECS / source["file"]).resolve(), (SPECS / overlay).resolve()))
    return out


def target_path(target: str) -> list[str]:
    """``$.a.b['c d']["e"]`` -> [a, b, c d, e] (only plain member paths, no wildcards)."""
    assert target.startswith("$"), target
    parts = re.findall(r"\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\[\"([^\"]*)\"\]", target[1:])
    rebuilt = "".join(f".{a}" if a else f"['{b}']" if b else f'["{c}"]' for a, b, c in parts)
    assert rebuilt == target[1:], f"unsupported overlay target {target!r}"
    return [a or b or c for a, b, c in parts]


def apply_overlay(doc: Any, overlay: dict[str, Any]) -> Any:
    import copy

    doc = copy.deepcopy(doc)
    for action in overlay.get("actions", []):
        path = target_path(action["target"])
        parent = functools.reduce(lambda node, key: node[key], path[:-1], doc)
        if action.get("remove"):
            del parent[path[-1]]
            continue
        node = parent[path[-1]]
        assert isinstance(node, dict), action["target"]
        node.update(action["update"])
    return doc


@pytest.mark.parametrize("doc_path, overlay_path", overlay_sources(), ids=lambda p: p.name)
def test_overlay_targets_exist_and_name_every_sent_message(doc_path: Path, overlay_path: Path) -> None:
    overlay = load(overlay_path)
    assert str(overlay.get("overlay", "")).startswith("1.0"), "not an Overlay 1.0 document"
    doc = load(doc_path)
    for action in overlay.get("actions", []):
        node: Any = doc
        for key in target_path(action["target"]):
            assert isinstance(node, dict) and key in node, f"overlay target {action['target']} does not exist"
            node = node[key]
    # Every overlay of the source applies, in order: a send method may be named in another one.
    applied = doc
    for other_doc, other_overlay in overlay_sources():
        if other_doc == doc_path:
            applied = apply_overlay(applied, load(other_overlay))
    unnamed = []
    for op in (applied.get("operations") or {}).values():
        if op["action"] != "send":
            continue
        for ref in op["messages"]:
            message = pointer_get(applied, ref["$ref"].lstrip("#"))
            if "$ref" in message:
                message = pointer_get(applied, message["$ref"].lstrip("#"))
            if message.get("contentType") != "application/octet-stream" and "x-sdk-send-method" not in message:
                unnamed.append(message.get("name", ref["$ref"]))
    assert not unnamed, f"sent messages without x-sdk-send-method: {unnamed}"


# ---------------------------------------------------------------------------------------------
# Dispatch of received messages
# ---------------------------------------------------------------------------------------------


def all_our_channels() -> list[OurChannel]:
    return sorted(set(our_channels().values()), key=lambda c: (c.doc.name, c.key))


@pytest.mark.parametrize("channel", all_our_channels(), ids=lambda c: f"{c.doc.stem}:{c.key}")
def test_discriminator_tells_received_messages_apart(channel: OurChannel) -> None:
    """With ``x-sdk-discriminator``, every received JSON message has its own constant tag."""
    discriminator = channel.node.value.get("x-sdk-discriminator")
    if discriminator is None:
        pytest.skip("the channel declares no discriminator")
    tags: dict[str, str] = {}
    for message in channel.messages("receive"):
        name = message.value.get("name", message.name)
        if message.value.get("contentType") == "application/octet-stream":
            continue
        payload = message.child("payload").resolve()
        prop = properties(payload).get(discriminator)
        assert prop is not None, f"{name}: no {discriminator!r} property"
        assert discriminator in required(payload), f"{name}: {discriminator!r} is not required"
        values = enum_values(prop)
        assert values and len(values) == 1, f"{name}: {discriminator!r} has no single value"
        (tag,) = values
        assert tag not in tags, f"{name} and {tags.get(tag)} share the tag {tag!r}"
        tags[tag] = name
