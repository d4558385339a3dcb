"""The JSONPath subset of overlay targets."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.load.jsonpath import WILDCARD, JsonPathError, parse, select

DOC: dict[str, Any] = {
    "paths": {
        "/v0/a/{id}": {"get": {"operationId": "a"}, "post": {"operationId": "b"}},
        "/v0/b": {"get": {"operationId": "c"}},
    },
    "tags": [{"name": "x"}, {"name": "y"}],
    "x-sdk-name": "n",
}


@pytest.mark.parametrize(
    ("path", "segments"),
    [
        ("$", ()),
        ("$.paths", ("paths",)),
        ("$.x-sdk-name", ("x-sdk-name",)),
        ("$.paths['/v0/a/{id}'].get", ("paths", "/v0/a/{id}", "get")),
        ('$.paths["/v0/a/{id}"]', ("paths", "/v0/a/{id}")),
        ("$['it\\'s']", ("it's",)),
        ('$["say \\"hi\\"\\u00e9\\ud83d\\ude00"]', ('say "hi"é\U0001f600',)),
        ("$.paths.*.get", ("paths", WILDCARD, "get")),
        ("$.tags[*]", ("tags", WILDCARD)),
        ("$[ '/a' ][ * ]", ("/a", WILDCARD)),
    ],
)
def test_parse(path: str, segments: tuple[str | None, ...]) -> None:
    assert parse(path) == segments


@pytest.mark.parametrize(
    "path",
    [
        "paths",
        "$..get",
        "$.paths[?@.get]",
        "$.tags[0]",
        "$.tags[0:1]",
        "$['a','b']",
        "$.paths.",
        "$['unterminated]",
        "$['bad \\q escape']",
        "$ .a",
    ],
)
def test_unsupported_or_malformed(path: str) -> None:
    with pytest.raises(JsonPathError):
        parse(path)


def test_select_names_and_wildcards_in_document_order() -> None:
    matches = select(DOC, parse("$.paths.*.*"))
    assert [m.value["operationId"] for m in matches] == ["a", "b", "c"]
    assert matches[1].parent is DOC["paths"]["/v0/a/{id}"]
    assert matches[1].key == "post"
    items = select(DOC, parse("$.tags[*]"))
    assert [(m.key, m.value) for m in items] == [(0, {"name": "x"}), (1, {"name": "y"})]


def test_select_root_and_misses() -> None:
    (root,) = select(DOC, parse("$"))
    assert root.parent is None and root.value is DOC
    assert select(DOC, parse("$.nothing.get")) == []
    assert select(DOC, parse("$.tags.name")) == []
    assert select(DOC, parse("$.x-sdk-name.*")) == []


def _quote(name: str, quote: str) -> str:
    escaped = name.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"[{quote}{escaped}{quote}]"


@given(st.lists(st.text(min_size=1), min_size=1, max_size=4), st.sampled_from(["'", '"']))
def test_any_name_can_be_quoted(names: list[str], quote: str) -> None:
    path = "$" + "".join(_quote(name, quote) for name in names)
    assert parse(path) == tuple(names)
    data: Any = "leaf"
    for name in reversed(names):
        data = {name: data}
    (match,) = select(data, parse(path))
    assert match.value == "leaf" and match.key == names[-1]
