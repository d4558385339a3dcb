"""The specs' example values in the docs' examples, and the fallback when one does not fit its type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator import ir
from generator.render.examples import example_call
from generator.render.samples import Items, Obj, Scalar, arguments
from tests.normalise.helpers import build_one, endpoint, openapi
from tests.rest.conftest import REPO, hume_api


def _api(tmp_path: Path, properties: dict[str, Any], parameters: list[dict[str, Any]] | None = None) -> ir.Api:
    schemas = {
        "Mood": {"type": "string", "enum": ["calm", "happy"]},
        "Line": {
            "type": "object",
            "properties": {"text": {"type": "string", "example": "Good morning"}},
            "required": ["text"],
        },
        "Body": {"type": "object", "properties": properties, "required": list(properties)},
    }
    post = {
        "operationId": "speak",
        "parameters": parameters or [],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}},
        },
        "responses": {"204": {"description": "done"}},
    }
    return build_one(tmp_path, openapi(paths={"/speak/{id}": {"post": post}}, schemas=schemas))


def _values(api: ir.Api) -> dict[str, Any]:
    return {argument.name: argument.value for argument in arguments(api, endpoint(api, "demo.speak"))}


def test_fitting_examples_replace_the_placeholders(tmp_path: Path) -> None:
    api = _api(
        tmp_path,
        {
            "name": {"type": "string", "example": "Narrator"},
            "mood": {"$ref": "#/components/schemas/Mood", "example": "happy"},
            "speed": {"type": "number", "examples": [1.25]},
            "count": {"type": "integer", "default": 3, "example": 7},
            "tags": {"type": "array", "items": {"type": "string"}, "example": ["a", "b"]},
            "line": {"$ref": "#/components/schemas/Line"},
        },
        [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
                "example": "0b7e7f2a-3c1d-4e5f-8a9b-1c2d3e4f5a6b",
            }
        ],
    )
    values = _values(api)
    assert values["id"] == Scalar("0b7e7f2a-3c1d-4e5f-8a9b-1c2d3e4f5a6b")
    assert values["name"] == Scalar("Narrator")
    assert values["mood"] == Scalar("happy")
    assert values["speed"] == Scalar(1.25)
    assert values["count"] == Scalar(7)
    assert values["tags"] == Scalar(["a", "b"])
    # an object is still built from its model's fields, which use their own examples
    line = values["line"]
    assert isinstance(line, Obj) and line.fields == (("text", "text", Scalar("Good morning")),)
    code = example_call(api, endpoint(api, "demo.speak"), sync=True)
    assert 'name="Narrator"' in code and 'Line(text="Good morning")' in code
    assert '"0b7e7f2a-3c1d-4e5f-8a9b-1c2d3e4f5a6b"' in code


def test_examples_that_break_their_type_fall_back_to_the_placeholders(tmp_path: Path) -> None:
    api = _api(
        tmp_path,
        {
            "mood": {"$ref": "#/components/schemas/Mood", "example": "angry"},
            "name": {"type": "string", "example": 5},
            "count": {"type": "integer", "example": "seven"},
            "flag": {"type": "boolean", "example": 1},
            "ratio": {"type": "number", "example": True},
            "when": {"type": "string", "format": "date-time", "example": "yesterday"},
            "tags": {"type": "array", "items": {"type": "string"}, "example": ["a", 2]},
            "meta": {
                "type": "object",
                "properties": {"k": {"type": "string"}},
                "required": ["k"],
                "example": {"k": "v"},
            },
            "nothing": {"type": "string", "example": None},
        },
        [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
                "example": "not-a-uuid",
            }
        ],
    )
    values = _values(api)
    assert values["id"] == Scalar("f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b")
    assert values["mood"] == Scalar("calm")
    assert values["name"] == Scalar("name")
    assert values["count"] == Scalar(1)
    assert values["flag"] == Scalar(True)
    assert values["ratio"] == Scalar(0.5)
    assert values["when"] == Scalar("2024-01-01T00:00:00Z")
    assert values["tags"] == Items((Scalar("tags"),))
    assert isinstance(values["meta"], Obj) and values["meta"].fields == (("k", "k", Scalar("k")),)
    assert values["nothing"] == Scalar("nothing")


def test_reference_md_shows_the_specs_examples() -> None:
    reference = (REPO / "generated" / "reference.md").read_text(encoding="utf-8")
    api = hume_api()
    create = next(e for e in api.endpoints if e.group == ("empathic_voice", "configs") and e.py_name == "create_config")
    code = example_call(api, create, sync=True)
    assert 'evi_version="3"' in code and f"```python\n{code}\n```" in reference
    assert 'PostedUtterance(text="text")' not in reference
