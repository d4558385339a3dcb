"""Reading YAML and JSON: values, line numbers, and errors with file and line."""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.load.documents import parse
from generator.load.lines import join_pointer, split_pointer


def yaml_doc(text: str, file: str = "a.yaml") -> Any:
    return parse(file, textwrap.dedent(text))


def test_yaml_uses_the_yaml_1_2_core_schema() -> None:
    doc = yaml_doc("""
        on: yes
        off: no
        date: 2024-01-01
        octal: 0755
        hex: 0x1F
        oct: 0o17
        float: 1e3
        inf: -.inf
        null_value: ~
        empty:
        bool: True
        200: OK
        """)
    assert doc.data == {
        "on": "yes",
        "off": "no",
        "date": "2024-01-01",
        "octal": 755,
        "hex": 31,
        "oct": 15,
        "float": 1000.0,
        "inf": -math.inf,
        "null_value": None,
        "empty": None,
        "bool": True,
        "200": "OK",
    }


def test_yaml_keeps_mapping_order() -> None:
    doc = yaml_doc("b: 1\na: 2\nc: 3\n")
    assert list(doc.data) == ["b", "a", "c"]


def test_aliases_become_independent_copies_and_merge_keys_merge() -> None:
    doc = yaml_doc("""
        base: &base {type: object, x: 1}
        copy: *base
        merged:
          <<: *base
          x: 2
        """)
    assert doc.data["copy"] == {"type": "object", "x": 1}
    assert doc.data["copy"] is not doc.data["base"]
    assert doc.data["merged"] == {"x": 2, "type": "object"}


def test_recursive_alias_is_an_error() -> None:
    with pytest.raises(SpecError, match="recursive YAML alias"):
        yaml_doc("a: &a\n  b: *a\n")


def test_yaml_lines_of_keys_items_and_added_nodes() -> None:
    doc = yaml_doc("""\
        openapi: 3.1.0
        paths:
          /a/{id}:
            get:
              parameters:
                - name: id
                  in: path
                - name: q
        """)
    assert doc.location("").line == 1
    assert doc.location("/openapi").line == 1
    assert doc.location("/paths/~1a~1{id}").line == 3
    assert doc.location("/paths/~1a~1{id}/get/parameters/1").line == 8
    assert doc.location("/paths/~1a~1{id}/get/parameters/0/in").line == 7
    # Nodes that are not there (or were added by an overlay) get their nearest ancestor's line.
    assert doc.location("/paths/~1a~1{id}/get/responses/200").line == 4
    doc.data["paths"]["/a/{id}"]["get"]["x-new"] = {"deep": 1}
    assert doc.location("/paths/~1a~1{id}/get/x-new/deep").line == 4
    location = doc.location("/paths/~1a~1{id}/get")
    assert (location.file, location.pointer) == ("a.yaml", "/paths/~1a~1{id}/get")


def test_lines_follow_containers_moved_by_edits() -> None:
    doc = yaml_doc("items:\n  - a: 1\n  - b: 2\n  - c: 3\n")
    del doc.data["items"][0]
    assert doc.location("/items/0/b").line == 3


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
        ("a:\n  b: [1,\n", 3, "invalid YAML"),
        ("a: b: c\n", 1, "invalid YAML: mapping values are not allowed"),
        ("- a\nb: 1\n", 2, "invalid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "invalid YAML"),
    ],
)
def test_bad_yaml(text: str, line: int, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        yaml_doc(text)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.line) == ("a.yaml", line)


def test_bad_explicit_tag_is_an_error_at_its_node() -> None:
    with pytest.raises(SpecError) as caught:
        yaml_doc("a:\n  b: !!int abc\n")
    assert caught.value.message == "'abc' is not a valid int"
    assert caught.value.location is not None
    assert (caught.value.location.pointer, caught.value.location.line) == ("/a/b", 2)


def test_duplicate_key_names_its_mapping() -> None:
    with pytest.raises(SpecError) as caught:
        yaml_doc("a:\n  - x: 1\n    x: 2\n")
    assert caught.value.location is not None
    assert (caught.value.location.pointer, caught.value.location.line) == ("/a/0", 3)


def test_empty_yaml_is_an_error() -> None:
    with pytest.raises(SpecError, match="empty"):
        yaml_doc("# nothing\n")


def test_json_values_and_lines() -> None:
    text = '{\n  "a": {"b": [1, 2.5e10,\n    {"c": "x\\"y"}]},\n\t"d": true\n}\n'
    doc = parse("a.json", text)
    assert doc.data == json.loads(text)
    assert doc.location("/a/b/2/c").line == 3
    assert doc.location("/a/b/1").line == 2
    assert doc.location("/d").line == 4


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "a": 1,\n  "a": 2\n}', 3, "duplicate key 'a'"),
        ('{"x": {"a": 1}, "y": {"a": 1, "b": {"a": [1], "a": 2}}}', 1, "duplicate key 'a'"),
        ('{\n  "a": 1,\n}', 3, "invalid JSON"),
        ('{\n  "a": tru\n}', 2, "invalid JSON"),
    ],
)
def test_bad_json(text: str, line: int, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse("a.json", text)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.line == line


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_json_matches_the_json_module_and_finds_every_line(value: Any) -> None:
    text = json.dumps(value, indent=1)
    doc = parse("v.json", text)
    assert doc.data == value
    lines = text.splitlines()

    def check(node: Any, tokens: list[str]) -> None:
        members = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in members:
            path = [*tokens, str(key)]
            line = doc.location(join_pointer(path)).line
            assert line is not None
            source = lines[line - 1].strip()
            if isinstance(node, dict):
                assert source.startswith(json.dumps(key))
            check(child, path)

    check(value, [])


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [("", []), ("/a", ["a"]), ("/a~1b/~0c/", ["a/b", "~c", ""]), ("/~01", ["~1"])],
)
def test_pointer_escaping_round_trips(pointer: str, tokens: list[str]) -> None:
    assert split_pointer(pointer) == tokens
    assert join_pointer(tokens) == pointer
