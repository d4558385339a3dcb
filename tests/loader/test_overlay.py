"""Applying overlays: update (merge, append, replace), remove, misses, and bad overlays."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.load.documents import Document, parse
from generator.load.overlay import apply_overlay, read_overlay

SPEC = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: get-a
      tags: [one]
      parameters:
        - {name: id, in: path}
    post:
      operationId: post-a
  /b:
    get:
      operationId: get-b
"""


def overlay_doc(actions: str, version: str = "1.0.0") -> Document:
    text = f"overlay: {version}\ninfo: {{title: o, version: '1'}}\nactions:\n" + textwrap.dedent(actions)
    return parse("overlays/o.yaml", text)


def apply(actions: str) -> Any:
    document = parse("openapi/a.yaml", SPEC)
    apply_overlay(overlay_doc(actions), document)
    return document.data


def test_update_merges_recursively_into_every_match() -> None:
    data = apply("""\
        - target: $.paths.*.get
          update:
            x-sdk-method: fetch
            tags: [two]
            parameters: [{name: q, in: query}]
        """)
    get_a = data["paths"]["/a/{id}"]["get"]
    assert get_a["x-sdk-method"] == "fetch"
    assert get_a["tags"] == ["one", "two"]
    assert [p["name"] for p in get_a["parameters"]] == ["id", "q"]
    assert data["paths"]["/b"]["get"] == {
        "operationId": "get-b",
        "x-sdk-method": "fetch",
        "tags": ["two"],
        "parameters": [{"name": "q", "in": "query"}],
    }
    # Each match gets its own copy of the update.
    assert data["paths"]["/b"]["get"]["parameters"] is not get_a["parameters"]


def test_update_replaces_primitives_and_null_keeps_containers() -> None:
    data = apply("""\
        - target: $
          update:
            info: {title: New}
            paths:
              "/a/{id}":
                get: {operationId: renamed}
              /b:
            components:
              schemas: {X: {type: string}}
        """)
    assert data["info"] == {"title": "New", "version": "1"}
    assert data["paths"]["/a/{id}"]["get"]["operationId"] == "renamed"
    assert data["paths"]["/b"] == {"get": {"operationId": "get-b"}}
    assert data["components"] == {"schemas": {"X": {"type": "string"}}}


def test_update_on_an_array_appends_or_concatenates() -> None:
    data = apply("""\
        - target: $.paths['/a/{id}'].get.tags
          update: two
        - target: $.paths["/a/{id}"].get.tags
          update: [three, four]
        """)
    assert data["paths"]["/a/{id}"]["get"]["tags"] == ["one", "two", "three", "four"]


def test_update_on_a_primitive_replaces_it() -> None:
    data = apply("""\
        - target: $.paths['/b'].get.operationId
          update: list-b
        """)
    assert data["paths"]["/b"]["get"]["operationId"] == "list-b"


def test_remove_from_mappings_and_lists() -> None:
    data = apply("""\
        - target: $.paths['/a/{id}'].post
          remove: true
        - target: $.paths.*.get.parameters[*]
          remove: true
        - target: $.paths['/b']
          remove: true
        """)
    assert data["paths"] == {"/a/{id}": {"get": {"operationId": "get-a", "tags": ["one"], "parameters": []}}}


def test_actions_apply_in_order() -> None:
    data = apply("""\
        - target: $.paths['/b']
          remove: true
        - target: $.paths
          update: {/b: {get: {operationId: again}}}
        """)
    assert data["paths"]["/b"] == {"get": {"operationId": "again"}}


def test_target_matching_nothing_warns_with_overlay_file_and_action(capsys: pytest.CaptureFixture[str]) -> None:
    data = apply("""\
        - target: $.paths.*.get
          update: {x-a: 1}
        - target: $.paths['/nope'].get
          description: stale
          update: {x-b: 1}
        """)
    assert data["paths"]["/b"]["get"]["x-a"] == 1
    err = capsys.readouterr().err
    assert "warning: overlays/o.yaml:6 at /actions/1" in err
    assert "matches nothing" in err


@pytest.mark.parametrize(
    ("actions", "message", "pointer"),
    [
        ("- target: $..get\n  update: {x: 1}\n", "unsupported JSONPath '$..get'", "/actions/0/target"),
        ("- target: $.paths[?@.get]\n  remove: true\n", "unsupported JSONPath", "/actions/0/target"),
        ("- target: $.paths.*.get\n  update: [1]\n", "must be an object", "/actions/0/update"),
        ("- target: $.info.title\n  update: {a: 1}\n", "must be one too", "/actions/0/update"),
        (
            "- target: $.info\n  update: {title: {a: 1}}\n",
            "cannot merge an object into a primitive",
            "/actions/0/update",
        ),
        ("- target: $\n  remove: true\n", "cannot remove the whole document", "/actions/0"),
    ],
)
def test_bad_actions(actions: str, message: str, pointer: str) -> None:
    with pytest.raises(SpecError) as caught:
        apply(actions)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.pointer) == ("overlays/o.yaml", pointer)
    assert caught.value.location.line is not None


@pytest.mark.parametrize(
    ("text", "message", "pointer"),
    [
        ("openapi: 3.1.0\n", "not an overlay", ""),
        ("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "unsupported overlay version", "/overlay"),
        ("overlay: 1.0.0\nactions: [{target: $, remove: true}]\n", "'info' must have", "/info"),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "non-empty list", "/actions"),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{update: {}}]\n", "'target' string", "/actions/0"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $}]\n",
            "'update' or 'remove",
            "/actions/0",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, remove: 'yes'}]\n",
            "true or false",
            "/actions/0/remove",
        ),
    ],
)
def test_bad_overlay_documents(tmp_path: Path, text: str, message: str, pointer: str) -> None:
    (tmp_path / "o.yaml").write_text(text)
    with pytest.raises(SpecError) as caught:
        read_overlay(tmp_path, "o.yaml")
    assert message in caught.value.message
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.pointer) == ("o.yaml", pointer)


def test_overlay_1_1_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "o.yaml").write_text(
        "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n"
    )
    assert read_overlay(tmp_path, "o.yaml").data["overlay"] == "1.1.0"
