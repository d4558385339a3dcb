"""Resolving $refs within and across files, with cycles, escaping and errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.load.refs import Registry


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    files = {
        "openapi/a.yaml": """\
            components:
              schemas:
                A:
                  properties:
                    b: {$ref: '#/components/schemas/B'}
                    other: {$ref: '../common/types.yaml#/Node'}
                B:
                  $ref: '#/components/schemas/A'
                Slash/Name~Tilde: {type: string}
                Via:
                  $ref: '../common/types.yaml#/Node'
                'Pct Name': {type: integer}
              list: [{x: 1}, {x: 2}]
            """,
        "common/types.yaml": """\
            Node:
              type: object
              properties:
                next: {$ref: '#/Node'}
                back: {$ref: '../openapi/a.yaml#/components/schemas/A'}
            Loop1: {$ref: '#/Loop2'}
            Loop2: {$ref: '#/Loop1'}
            """,
        "whole.json": '{"type": "string"}',
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return Registry(tmp_path)


def test_same_file_ref(registry: Registry) -> None:
    a = registry.document("openapi/a.yaml")
    document, pointer, node = registry.resolve("#/components/schemas/B", a)
    assert document is a
    assert pointer == "/components/schemas/B"
    assert node == {"$ref": "#/components/schemas/A"}  # returned as is, not followed


def test_cross_file_ref_loads_once_and_cycles_are_lazy(registry: Registry) -> None:
    a = registry.document("openapi/a.yaml")
    types, pointer, node = registry.resolve("../common/types.yaml#/Node", a)
    assert (types.file, pointer) == ("common/types.yaml", "/Node")
    back, pointer, _ = registry.resolve(node["properties"]["back"]["$ref"], types)
    assert back is a
    assert pointer == "/components/schemas/A"
    assert registry.document("common/../common/types.yaml") is types
    assert [d.file for d in registry.documents()] == ["openapi/a.yaml", "common/types.yaml"]


def test_whole_file_ref(registry: Registry) -> None:
    a = registry.document("openapi/a.yaml")
    document, pointer, node = registry.resolve("../whole.json", a)
    assert (document.file, pointer, node) == ("whole.json", "", {"type": "string"})


def test_pointer_escaping_and_percent_encoding(registry: Registry) -> None:
    a = registry.document("openapi/a.yaml")
    _, pointer, node = registry.resolve("#/components/schemas/Slash~1Name~0Tilde", a)
    assert (pointer, node) == ("/components/schemas/Slash~1Name~0Tilde", {"type": "string"})
    _, pointer, node = registry.resolve("#/components/schemas/Pct%20Name", a)
    assert (pointer, node) == ("/components/schemas/Pct Name", {"type": "integer"})
    _, pointer, node = registry.resolve("#/components/list/1", a)
    assert (pointer, node) == ("/components/list/1", {"x": 2})


def test_pointer_through_a_ref_continues_in_its_target(registry: Registry) -> None:
    a = registry.document("openapi/a.yaml")
    document, pointer, node = registry.resolve("#/components/schemas/Via/properties/next", a)
    assert (document.file, pointer, node) == ("common/types.yaml", "/Node/properties/next", {"$ref": "#/Node"})


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#/components/schemas/Nope", "openapi/a.yaml has nothing at /components/schemas/Nope"),
        ("#/components/list/2", "has nothing at /components/list/2"),
        ("#/components/list/01", "has nothing at /components/list/01"),
        ("../common/missing.yaml#/X", "file 'common/missing.yaml' does not exist"),
        ("../../outside.yaml", "outside the specs folder"),
        ("../common/types.yaml#/Loop1/x", "cycle of $refs"),
        ("https://example.com/a.yaml#/X", "only relative file references"),
        ("#Anchor", "has no $anchor 'Anchor'"),
        ("../notes.txt", "not a .yaml, .yml or .json file"),
    ],
)
def test_bad_refs_name_the_referring_place(registry: Registry, ref: str, message: str) -> None:
    a = registry.document("openapi/a.yaml")
    with pytest.raises(SpecError) as caught:
        registry.resolve(ref, a, "/components/schemas/A/properties/b")
    assert message in caught.value.message
    location = caught.value.location
    assert location is not None
    assert (location.file, location.pointer, location.line) == (
        "openapi/a.yaml",
        "/components/schemas/A/properties/b",
        5,
    )


def test_an_unescaped_slash_in_a_key_is_read_as_that_key_with_one_warning(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    a = registry.document("openapi/a.yaml")
    for at in ("/x", "/y"):
        document, pointer, node = registry.resolve("#/components/schemas/Slash/Name~0Tilde", a, at)
        assert (document, pointer, node) == (a, "/components/schemas/Slash~1Name~0Tilde", {"type": "string"})
    err = capsys.readouterr().err
    assert err.count("warning") == 1
    assert "openapi/a.yaml:1 at /x: $ref '#/components/schemas/Slash/Name~0Tilde' does not escape the '/'" in err
    with pytest.raises(SpecError, match="has nothing at /components/schemas/Slash"):
        registry.resolve("#/components/schemas/Slash/Other", a)
