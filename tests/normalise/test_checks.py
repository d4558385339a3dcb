"""The checks pass: what render relies on is a located SpecError before render runs.

Rules the specs can break are tested on specs; rules the readers already keep (they number
repeated names, for one) on hand-built IR, which is the only way to break them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.errors import Location, SpecError
from generator.normalise.checks import check
from generator.pipeline import build_ir
from tests.conftest import REPO
from tests.normalise.helpers import build, openapi, operation
from tests.normalise.test_asyncapi import asyncapi, message, tagged
from tests.sockets import fake_api

PETSTORE = build_ir(REPO / "tests" / "specs" / "petstore")


def _locate(source: ir.Source) -> Location:
    return Location(source.file, source.pointer)


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def test_the_example_apis_pass() -> None:
    for api in (PETSTORE, build_ir(REPO / "tests" / "specs" / "chatroom"), fake_api.api()):
        check(api, _locate)


# ---- rules specs can break -------------------------------------------------------------


def _get(**extra: Any) -> dict[str, Any]:
    return {"get": {**operation(), **extra}}


REST_CASES: list[tuple[dict[str, Any], str, str]] = [
    (
        {"/a": _get(operationId="a", **{"x-sdk-group": ["types"]})},
        "a sub-client may not be called 'types'",
        "/paths/~1a/get",
    ),
    (
        {"/a": _get(operationId="a", **{"x-sdk-group": ["socket_client"]})},
        "a sub-client may not be called 'socket_client'",
        "/paths/~1a/get",
    ),
    (
        {"/a": _get(operationId="a", **{"x-sdk-group": ["with_raw_response"]})},
        "a sub-client may not be called 'with_raw_response'",
        "/paths/~1a/get",
    ),
    (
        {"/a": _get(operationId="a", **{"x-sdk-method": "with_raw_response"})},
        "a method may not be called 'with_raw_response'",
        "/paths/~1a/get",
    ),
    (
        {"/a": _get(operationId="a", **{"x-sdk-method": "_client_wrapper"})},
        "a method may not be called '_client_wrapper'",
        "/paths/~1a/get",
    ),
    (
        {"/a": _get(operationId="a", **{"x-sdk-method": "things"}), "/b": _get(operationId="b", tags=["things"])},
        "client 'demo' has a method and a sub-client both named 'things'",
        "/paths/~1a/get",
    ),
    (
        {"/a": _get(operationId="a", parameters=[{"name": "with_raw_response", "in": "query"}])},
        "a parameter may not be called 'with_raw_response'",
        "/paths/~1a/get",
    ),
]


@pytest.mark.parametrize(("paths", "message", "pointer"), REST_CASES)
def test_rest_spec_errors(tmp_path: Path, paths: dict[str, Any], message: str, pointer: str) -> None:
    with pytest.raises(SpecError, match=message.replace("{", r"\{").replace("}", r"\}")) as caught:
        build(tmp_path, {"api.yaml": openapi(paths)})
    location = caught.value.location
    assert location is not None and (location.file, location.pointer) == ("api.yaml", pointer)
    assert location.line is not None


@pytest.mark.parametrize(
    ("module", "paths", "message"),
    [
        ("", {"/a": _get(operationId="a", tags=["close"])}, "the root client: a sub-client may not be called 'close'"),
        ("", {"/a": _get(operationId="a", **{"x-sdk-method": "aclose"})}, "a method may not be called 'aclose'"),
        ("_raw", {"/a": _get(operationId="a")}, "a sub-client may not be called '_raw'"),
    ],
)
def test_root_client_members(tmp_path: Path, module: str, paths: dict[str, Any], message: str) -> None:
    sources = [{"file": "api.yaml", "module": module, "environment": "base"}]
    with pytest.raises(SpecError, match=message) as caught:
        build(tmp_path, {"api.yaml": openapi(paths)}, sources)
    assert caught.value.location is not None and caught.value.location.pointer == "/paths/~1a/get"


def test_a_method_may_not_be_called_connect_beside_a_channel(tmp_path: Path) -> None:
    rest = openapi({"/a": _get(operationId="a", **{"x-sdk-group": ["talk"], "x-sdk-method": "connect"})})
    talk = asyncapi({"hello": message(tagged("hello"))}, send=["hello"], receive=[])
    with pytest.raises(SpecError, match="client 'demo.talk': a method may not be called 'connect'") as caught:
        build(tmp_path, {"api.yaml": rest, "ws.yaml": talk})
    assert caught.value.location is not None and caught.value.location.pointer == "/paths/~1a/get"


@pytest.mark.parametrize(
    ("messages", "send", "receive", "channel", "text"),
    [
        (
            {"a": message(tagged("a"), **{"x-sdk-send-method": "send_publish"}), "b": message(tagged("b"))},
            ["a", "b"],
            [],
            {},
            "only a channel with one message to send may name its send method 'send_publish'",
        ),
        (
            {"a": message(tagged("same")), "b": message(tagged("same"))},
            [],
            ["a", "b"],
            {"x-sdk-discriminator": "type"},
            "messages 'a' and 'b' have the same tag 'same'",
        ),
    ],
)
def test_channel_spec_errors(
    tmp_path: Path, messages: dict[str, Any], send: list[str], receive: list[str], channel: dict[str, Any], text: str
) -> None:
    document = asyncapi(messages, send, receive, channel={"parameters": {"room": {}}, **channel})
    with pytest.raises(SpecError, match=text) as caught:
        build(tmp_path, {"ws.yaml": document})
    location = caught.value.location
    assert location is not None and (location.pointer, location.line is not None) == ("/channels/talk", True)


# ---- rules the readers keep: broken by hand -------------------------------------------


def _endpoint(api: ir.Api, endpoint_id: str, **changes: Any) -> ir.Api:
    endpoints = tuple(dataclasses.replace(e, **changes) if e.id == endpoint_id else e for e in api.endpoints)
    return dataclasses.replace(api, endpoints=endpoints)


def _list_pets(**changes: Any) -> ir.Api:
    return _endpoint(PETSTORE, "pets.list_pets", **changes)


LIST_PETS = next(e for e in PETSTORE.endpoints if e.id == "pets.list_pets")
GET_PET = next(e for e in PETSTORE.endpoints if e.id == "pets.get_pet")


def _cursor_pagination(endpoint: ir.Endpoint) -> ir.CursorPagination:
    """The pagination of ``endpoint``, which pages by cursor (as petstore's list_pets does)."""
    assert isinstance(endpoint.pagination, ir.CursorPagination), endpoint.pagination
    return endpoint.pagination


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda: _list_pets(query_params=LIST_PETS.query_params * 2), "has two parameters named 'limit'"),
        (
            lambda: _list_pets(query_params=(dataclasses.replace(LIST_PETS.query_params[0], py_name="self"),)),
            "a parameter may not be called 'self'",
        ),
        (
            lambda: _list_pets(pagination=dataclasses.replace(_cursor_pagination(LIST_PETS), param="nope")),
            "pagination parameter 'nope' is not a query parameter",
        ),
        (
            lambda: _endpoint(
                PETSTORE, "pets.get_pet", errors=(*GET_PET.errors, ir.ErrorResponse(499, GET_PET.errors[0].class_name))
            ),
            "error class NotFoundError stands for two statuses in petstore.pets.errors.not_found_error",
        ),
    ],
)
def test_endpoint_rules_on_hand_built_ir(change: Callable[[], ir.Api], message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        check(change(), _locate)
    assert caught.value.location is not None and caught.value.location.file == "openapi/pets.yaml"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda: (fake_api.CHAT, dataclasses.replace(fake_api.SPEAK, group=fake_api.CHAT.group)),
            "share the sub-client",
        ),
        (
            lambda: (
                dataclasses.replace(fake_api.CHAT, subscribe=fake_api.CHAT.subscribe + fake_api.CHAT.subscribe[:1]),
            ),
            "the same tag",
        ),
        (
            lambda: (
                dataclasses.replace(
                    fake_api.CHAT,
                    publish=tuple(dataclasses.replace(m, send_method="send_publish") for m in fake_api.CHAT.publish),
                ),
            ),
            "send_publish",
        ),
        (
            lambda: (
                dataclasses.replace(
                    fake_api.CHAT,
                    query_params=(dataclasses.replace(fake_api.CHAT.query_params[0], py_name="request_options"),),
                ),
            ),
            "clash",
        ),
        (
            lambda: (
                dataclasses.replace(
                    fake_api.CHAT,
                    header_params=(dataclasses.replace(fake_api.CHAT.query_params[0], location="header"),),
                ),
            ),
            "connect\\(\\) would have two parameters named",
        ),
        (
            lambda: (
                dataclasses.replace(
                    fake_api.CHAT,
                    publish=(dataclasses.replace(fake_api.CHAT.publish[0], replies=("Nothing",)),),
                ),
            ),
            "has replies but no request method",
        ),
        (
            lambda: (
                dataclasses.replace(
                    fake_api.CHAT,
                    publish=(
                        dataclasses.replace(
                            fake_api.CHAT.publish[0],
                            replies=("Nothing",),
                            request_method="request_x",
                            correlation="/id",
                        ),
                    ),
                ),
            ),
            "reply 'Nothing' of .* is no received message with a correlation id",
        ),
        (
            lambda: (
                dataclasses.replace(
                    fake_api.CHAT, publish=(dataclasses.replace(fake_api.CHAT.publish[0], send_method=None),)
                ),
            ),
            "no send method",
        ),
    ],
)
def test_channel_rules_on_hand_built_ir(change: Callable[[], tuple[ir.Channel, ...]], message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        check(fake_api.api(*change()), _locate)
    assert caught.value.location is not None and caught.value.location.file == "asyncapi/voice.yaml"
