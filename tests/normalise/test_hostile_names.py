"""Whatever names and descriptions a spec holds, the IR's Python names are valid and unique.

Specs are generated with names full of quotes, triple quotes, backslashes, newlines,
keywords, builtins, pydantic attribute names, leading digits and non-ASCII text. Two
names that normalise to the same identifier are a SpecError by design (types, endpoints,
send methods, client members); such examples are discarded, everything else must normalise
cleanly, render (it cannot fail on an IR normalise accepted) and compile.
"""

from __future__ import annotations

import builtins
import keyword
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import ir, naming
from generator.errors import SpecError
from generator.render import render
from tests.normalise.helpers import build

SPECIAL = [
    *keyword.kwlist,
    *["self", "json", "dict", "copy", "schema", "model_config", "model_dump", "validate", "fields", "list", "str"],
    *["__init__", "_private", "None", "True", "0", "1st", "'''", '"""', "\\", "\\n", "\n", "\\'", "'", '"', ""],
    *["日本語", "café", "€", "ß", "Ωmega", "naïve"],
    *["type", "id", "format", "Exception", "BaseModel", "Optional", "List", "Field"],
]
ALPHABET = list("aZ_09 '\"\\\n\t-.:/~%{}$#日é€")

hostile = st.one_of(st.sampled_from(SPECIAL), st.text(ALPHABET, max_size=8), st.text(max_size=6))


def unique(names: list[str]) -> list[str]:
    """Names that mostly stay distinct after normalisation: all but the first get a ``v<i>`` suffix."""
    return [name if index == 0 else f"{name} v{index}" for index, name in enumerate(names)]


def ref(name: str) -> dict[str, Any]:
    escaped = name.replace("~", "~0").replace("/", "~1")
    return {"$ref": "#/components/schemas/" + quote(escaped, safe="")}


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    type_names = unique(draw(st.lists(hostile, min_size=1, max_size=4)))
    schemas: dict[str, Any] = {}
    for name in type_names:
        properties: dict[str, Any] = {
            prop: {"type": "string", "description": draw(hostile)}
            for prop in draw(st.lists(hostile, max_size=4, unique=True))
        }
        enum = draw(st.lists(hostile, min_size=2, max_size=4, unique=True))
        properties["kind v"] = {"type": "string", "enum": enum}
        properties["other v"] = ref(type_names[0])
        schemas[name] = {"type": "object", "description": draw(hostile), "properties": properties}
    paths: dict[str, Any] = {}
    for index, operation_id in enumerate(unique(draw(st.lists(hostile, min_size=1, max_size=3)))):
        params = [
            {"name": name, "in": location, "description": draw(hostile), "schema": {"type": "string"}}
            for location in ("query", "header")
            for name in draw(st.lists(hostile, max_size=3, unique=True))
        ]
        paths[f"/p{index}"] = {
            "post": {
                "operationId": operation_id,
                "tags": [draw(hostile)],
                "summary": draw(hostile),
                "description": draw(hostile),
                "parameters": params,
                "requestBody": {"content": {"application/json": {"schema": ref(type_names[-1])}}},
                "responses": {
                    "200": {
                        "description": draw(hostile),
                        "content": {"application/json": {"schema": ref(type_names[0])}},
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(hostile), "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


@st.composite
def channels(draw: st.DrawFn) -> dict[str, Any]:
    message_names = unique(draw(st.lists(hostile, min_size=1, max_size=3)))
    messages = {
        f"m{index}": {
            "name": name,
            "description": draw(hostile),
            "payload": {"type": "object", "properties": {draw(hostile): {"type": "string"}}},
        }
        for index, name in enumerate(message_names)
    }
    refs = [{"$ref": f"#/channels/c/messages/m{index}"} for index in range(len(messages))]
    return {
        "asyncapi": "3.0.0",
        "x-sdk-describes": "client",
        "info": {"title": "T", "version": "1"},
        "servers": {"ws": {"host": "example.com", "protocol": "wss"}},
        "channels": {
            "c": {
                "address": "/c",
                "x-sdk-group": [draw(hostile) + " g"],
                "messages": messages,
                "bindings": {
                    "ws": {
                        "query": {
                            "type": "object",
                            "properties": {
                                name: {"type": "string"} for name in draw(st.lists(hostile, max_size=3, unique=True))
                            },
                        }
                    }
                },
            }
        },
        "operations": {
            "send": {"action": "send", "channel": {"$ref": "#/channels/c"}, "messages": refs},
            "receive": {"action": "receive", "channel": {"$ref": "#/channels/c"}, "messages": refs},
        },
    }


def assert_names(names: list[str], what: str) -> None:
    for name in names:
        assert naming.is_identifier(name), f"{what}: {name!r} is not an identifier"
    assert len(set(names)) == len(names), f"{what}: repeated names in {names}"


def check(api: ir.Api) -> None:
    by_module: dict[tuple[str, ...], list[str]] = {}
    for typedef in api.types:
        by_module.setdefault(typedef.module, []).append(typedef.py_name.lower().replace("_", ""))
        assert naming.is_identifier(typedef.py_name) and typedef.py_name not in dir(builtins), typedef.py_name
        if isinstance(typedef, ir.ObjectType):
            assert_names([f.py_name for f in typedef.fields], f"fields of {typedef.py_name}")
            assert_names([f.attribute for f in typedef.fields], f"attributes of {typedef.py_name}")
        if isinstance(typedef, ir.EnumType):
            assert_names([v.py_name for v in typedef.values], f"values of {typedef.py_name}")
    for module, keys in by_module.items():
        assert len(set(keys)) == len(keys), f"types of {module}"
    for group in api.groups:
        assert_names(list(group.path), "group path")
    assert len({e.id for e in api.endpoints}) == len(api.endpoints)
    for endpoint in api.endpoints:
        body = [f.py_name for f in endpoint.body.fields] if endpoint.body else []
        params = [p.py_name for p in (*endpoint.path_params, *endpoint.query_params, *endpoint.header_params)]
        assert_names([endpoint.py_name], "endpoint")
        assert_names([*params, *body, "self"], f"arguments of {endpoint.id}")
    for channel in api.channels:
        assert_names(list(channel.group), "channel group")
        assert_names([p.py_name for p in (*channel.path_params, *channel.query_params)], "channel parameters")
        assert_names([m.send_method or "" for m in channel.publish], "send methods")
        assert_names([m.py_name for m in channel.subscribe], "messages")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rest=specs(), sockets=channels())
def test_hostile_names_give_valid_unique_identifiers(rest: dict[str, Any], sockets: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = {"rest.json": rest, "ws.json": sockets}
        sources = [
            {"file": "rest.json", "module": "demo", "environment": "base"},
            {"file": "ws.json", "module": "demo"},
        ]
        environments = {"production": {"base": "https://api.example.com", "ws": "wss://example.com"}}
        try:
            api = build(Path(folder), files, sources, environments=environments)
        except SpecError as error:
            collisions = ("collides", "defined twice", "both get", "both named", "may not be called")
            assume(not any(text in error.message for text in collisions))
            raise
    check(api)
    for path, text in render(api).items():
        if path.endswith(".py"):
            compile(text, path, "exec")
