"""``request_id`` reads the headers the description declares and the settings name, not only the usual ones.

A small description declares ``X-Acme-Request-Id`` on a response (its name says it is a request id)
and ``X-Acme-Rate`` (it does not); the settings' ``request_id_headers`` adds ``X-Trace-Token``.
A loopback server sends them; ``request_id`` is read on errors and raw responses, sync and async.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.format import format_files
from generator.ir import USUAL_REQUEST_ID_HEADERS
from generator.normalise.request_ids import names_request_id
from generator.pipeline import build_ir
from generator.render import render
from generator.write import write_tree
from tests.rest.scripted_server import ScriptedServer, json_reply

PACKAGE = "acme_request_ids"
SETTINGS = "client: AcmeClient\nasync_client: AsyncAcmeClient\n"

DESCRIPTION = {
    "openapi": "3.0.3",
    "info": {"title": "Acme", "version": "1.0.0"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "The thing.",
                        "headers": {
                            "X-Acme-Rate": {"schema": {"type": "integer"}},
                            "X-Acme-Request-Id": {"$ref": "#/components/headers/RequestId"},
                        },
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": {"name": {"type": "string"}}}
                            }
                        },
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            }
        }
    },
    "components": {
        "headers": {"RequestId": {"schema": {"type": "string"}}},
        "responses": {
            "NotFound": {
                "description": "No such thing.",
                "headers": {"X-Acme-Request-Id": {"$ref": "#/components/headers/RequestId"}},
            }
        },
    },
}


def _generate(root: Path, settings: str) -> typing.Any:
    specs = root / "specs"
    specs.mkdir()
    (specs / "acme.json").write_text(json.dumps(DESCRIPTION), encoding="utf-8")
    (specs / "sdkgen.yaml").write_text(
        f"package: {PACKAGE}\nenvironments:\n  production:\n    base: https://acme.test\n{settings}"
        "sources:\n  - file: acme.json\n",
        encoding="utf-8",
    )
    api = build_ir(specs)
    write_tree(format_files(render(api)), root / "sdk")
    return api


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[typing.Any]:
    root = tmp_path_factory.mktemp("request-ids")
    _generate(root, SETTINGS + "request_id_headers: [X-Trace-Token]\n")
    sys.path.insert(0, str(root / "sdk" / "src"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root / "sdk" / "src"))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


SYNC = pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])


def _run(result: typing.Any) -> typing.Any:
    return asyncio.run(result) if asyncio.iscoroutine(result) else result


def _raw(acme: typing.Any, server: ScriptedServer, sync: bool) -> typing.Any:
    client = (acme.AcmeClient if sync else acme.AsyncAcmeClient)(base_url=server.url)
    return client.things.with_raw_response


def test_the_rule_on_header_names() -> None:
    named = ["X-Request-Id", "x-amzn-RequestId", "X-Correlation-ID", "X-B3-TraceId", "x-ms-client-request-id", "CF-Ray"]
    assert all(names_request_id(name) for name in named)
    assert not any(names_request_id(name) for name in ["X-RateLimit-Remaining", "Request-Context", "X-Id", "ETag"])


def test_the_ir_lists_settings_then_declared_then_usual(tmp_path: Path) -> None:
    api = _generate(tmp_path, "request_id_headers: [X-Trace-Token, x-acme-request-id]\n")
    assert api.request_id_headers == ("x-trace-token", "x-acme-request-id", *USUAL_REQUEST_ID_HEADERS)


@SYNC
def test_a_declared_header_is_the_request_id_of_a_raw_response(
    acme: typing.Any, server: ScriptedServer, sync: bool
) -> None:
    server.answer(json_reply({"name": "a"}, headers={"X-Acme-Request-Id": "acme-1", "X-Acme-Rate": "7"}))
    response = _run(_raw(acme, server, sync).get_thing("t1"))
    assert response.parse().name == "a" and response.request_id == "acme-1"
    # The declared one comes before the usual ones; a header not naming a request id is never read.
    server.answer(json_reply({"name": "a"}, headers={"X-Request-Id": "usual", "X-Acme-Request-Id": "acme-2"}))
    assert _run(_raw(acme, server, sync).get_thing("t1")).request_id == "acme-2"
    server.answer(json_reply({"name": "a"}, headers={"X-Acme-Rate": "7"}))
    assert _run(_raw(acme, server, sync).get_thing("t1")).request_id is None


@SYNC
def test_a_declared_header_is_the_request_id_of_an_error(acme: typing.Any, server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply({"detail": "no"}, status=404, headers={"X-Acme-Request-Id": "acme-404"}))
    with pytest.raises(acme.core.ApiError) as caught:
        _run(_raw(acme, server, sync).get_thing("t1"))
    assert caught.value.status_code == 404 and caught.value.request_id == "acme-404"


@SYNC
def test_a_header_the_settings_name_comes_first(acme: typing.Any, server: ScriptedServer, sync: bool) -> None:
    headers = {"X-Acme-Request-Id": "acme-3", "X-Trace-Token": "tok-1"}
    server.answer(json_reply({"name": "a"}, headers=headers))
    assert _run(_raw(acme, server, sync).get_thing("t1")).request_id == "tok-1"
    server.answer(json_reply({"detail": "boom"}, status=400, headers={"x-trace-token": "tok-400"}))
    with pytest.raises(acme.core.ApiError) as caught:
        _run(_raw(acme, server, sync).get_thing("t1"))
    assert caught.value.request_id == "tok-400"
    assert acme.core.api_error.REQUEST_ID_HEADERS == ("x-trace-token", "x-acme-request-id", *USUAL_REQUEST_ID_HEADERS)


@pytest.mark.parametrize("names", ["[not a header]", '["X-Id\\n"]', '["X-Id\\r\\nX-Evil: 1"]'])
def test_request_id_headers_must_be_header_names(tmp_path: Path, names: str) -> None:
    """A space, and a line break even at the end (which ``$`` of a regex would let through), are refused."""
    from generator.errors import SpecError

    with pytest.raises(SpecError, match="request_id_headers"):
        _generate(tmp_path, f"request_id_headers: {names}\n")
