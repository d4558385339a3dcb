"""Example values of fields and parameters: ``example``, the first of ``examples``, Example Objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.ir import to_json
from tests.normalise.helpers import build_one, endpoint, field, openapi, operation


def _param(name: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, **extra}


def test_fields_take_example_or_the_first_of_examples(tmp_path: Path) -> None:
    schemas = {
        "Voice": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "example": "Narrator"},
                "speed": {"type": "number", "examples": [1.5, 2]},
                "tags": {"type": "array", "items": {"type": "string"}, "example": ["calm", "slow"]},
                "off": {"type": ["string", "null"], "example": None},
                "plain": {"type": "string"},
                "both": {"type": "string", "example": "first", "examples": ["second"]},
            },
        }
    }
    api = build_one(tmp_path, openapi(schemas=schemas))
    found = {
        wire: (field(api, "Voice", wire).has_example, field(api, "Voice", wire).example)
        for wire in schemas["Voice"]["properties"]
    }
    assert found == {
        "name": (True, "Narrator"),
        "speed": (True, 1.5),
        "tags": (True, ["calm", "slow"]),
        "off": (True, None),
        "plain": (False, None),
        "both": (True, "first"),
    }


def test_parameters_take_their_own_example_first_then_the_schemas(tmp_path: Path) -> None:
    parameters = [
        _param("own", {"type": "string", "example": "from schema"}, example="from parameter"),
        _param(
            "objects",
            {"type": "integer"},
            examples={"small": {"summary": "a few", "value": 5}, "large": {"value": 100}},
        ),
        _param("schema", {"type": "integer", "examples": [10, 20]}),
        _param("listed", {"type": "string", "example": "x"}, examples={"ref": {"externalValue": "https://e.com"}}),
        _param("none", {"type": "string"}),
    ]
    api = build_one(
        tmp_path, openapi(paths={"/items": {"get": {**operation(), "operationId": "list", "parameters": parameters}}})
    )
    found = {p.name: (p.has_example, p.example) for p in endpoint(api, "demo.list").query_params}
    assert found == {
        "own": (True, "from parameter"),
        "objects": (True, 5),
        "schema": (True, 10),
        "listed": (True, "x"),
        "none": (False, None),
    }


def test_examples_keep_the_ir_deterministic(tmp_path: Path) -> None:
    document = openapi(
        schemas={"T": {"type": "object", "properties": {"a": {"type": "string", "examples": ["b", "c"]}}}}
    )
    first = to_json(build_one(tmp_path / "one", document))
    assert first == to_json(build_one(tmp_path / "two", document))
    assert '"example": "b",\n' in first and '"has_example": true' in first
