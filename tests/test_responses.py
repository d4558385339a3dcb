"""The answers of generator/responses.py for every response kind, and where render uses them."""

from __future__ import annotations

from typing import get_args

import pytest

from generator import responses
from generator.ir import ResponseKind

# kind: streams, typed, binary, has a body, plain annotation, runtime parser
EXPECTED = {
    "json": (False, True, False, True, None, "JsonResponse"),
    "sse": (True, True, False, True, None, "EventStreamResponse"),
    "jsonl": (True, True, False, True, None, "JsonLinesResponse"),
    "binary": (True, False, True, True, "bytes", "BinaryResponse"),
    "text": (False, False, False, True, "str", "TextResponse"),
    "empty": (False, False, False, False, "None", "EmptyResponse"),
}


def test_every_kind_is_answered() -> None:
    assert sorted(EXPECTED) == sorted(get_args(ResponseKind))


@pytest.mark.parametrize("kind", get_args(ResponseKind))
def test_the_answers(kind: ResponseKind) -> None:
    answers = (
        responses.streams(kind),
        responses.is_typed(kind),
        responses.is_binary(kind),
        responses.has_body(kind),
        responses.plain_annotation(kind),
        responses.parser(kind),
    )
    assert answers == EXPECTED[kind]
    assert responses.typed_stream(kind) == (kind in ("sse", "jsonl"))


def test_the_parsers_exist_in_the_runtime() -> None:
    from tests.conftest import REPO

    runtime = (REPO / "templates" / "runtime" / "core" / "_http_client.py").read_text()
    for kind in get_args(ResponseKind):
        assert f"class {responses.parser(kind)}" in runtime
