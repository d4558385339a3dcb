"""Client options and an error for every failure, against a real server on loopback, sync and async.

- ``max_retries`` and ``timeout`` (seconds or an ``httpx.Timeout``) on the constructors,
  ``with_options(...)`` sharing the connection pool, ``request_options`` with an ``httpx.Timeout``;
- ``ApiConnectionError`` / ``ApiTimeoutError`` (also the ``httpx`` exceptions they replace), a class
  per status in ``<package>.core`` that declared classes subclass, case-insensitive ``headers``
  and ``request_id``.
"""

from __future__ import annotations

import asyncio
import importlib
import socket
import typing
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.rest.conftest import hume_api
from tests.rest.scripted_server import Drop, Reply, ScriptedServer, json_reply

API = hume_api()
SECRET = "sk-test-4f1c2b9e7d"
core = importlib.import_module(f"{API.package}.core")
package = importlib.import_module(API.package)


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    http_client = importlib.import_module(f"{API.package}.core._http_client")
    monkeypatch.setattr(http_client, "INITIAL_RETRY_DELAY", 0.001)


@pytest.fixture(autouse=True)
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop per test, so that an async client's connections outlive a call."""
    global _LOOP
    _LOOP = asyncio.new_event_loop()
    try:
        yield _LOOP
    finally:
        _LOOP.close()


_LOOP: asyncio.AbstractEventLoop


def run(result: typing.Any) -> typing.Any:
    """``result``, awaited when it is a coroutine (an async client's)."""
    return _LOOP.run_until_complete(result) if asyncio.iscoroutine(result) else result


def _client(url: str, sync: bool, **options: typing.Any) -> typing.Any:
    cls = getattr(package, API.client if sync else API.async_client)
    return cls(api_key=SECRET, base_url=url, **options)


def _call(client: typing.Any, method: str = "GET", **kwargs: typing.Any) -> typing.Any:
    """A GET (``get_config_version``) or a POST (``create_config``), run to completion sync or async."""
    configs = client.empathic_voice.configs
    if method == "GET":
        result = configs.get_config_version("id", 1, **kwargs)
    else:
        result = configs.create_config(evi_version="3", name="Weather", **kwargs)
    return run(result)


def _items(stream: typing.Any) -> list[typing.Any]:
    """The chunks of a sync or async stream."""
    if isinstance(stream, Iterator):
        return list(stream)

    async def collect() -> list[typing.Any]:
        return [chunk async for chunk in stream]

    return typing.cast(list[typing.Any], run(collect()))


def _raises(kind: type[BaseException], client: typing.Any, method: str = "GET", **kwargs: typing.Any) -> typing.Any:
    with pytest.raises(kind) as caught:
        _call(client, method, **kwargs)
    return caught.value


SYNC = pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


@SYNC
def test_a_dropped_connection_raises_api_connection_error_that_is_also_the_httpx_error(
    server: ScriptedServer, sync: bool
) -> None:
    server.answer(Drop())
    error = _raises(
        core.ApiConnectionError,
        _client(server.url, sync),
        "POST",
        request_options={"additional_query_parameters": {"token": "hush"}},
    )
    # status_code first: mypy knows httpx's classes, not those of core (imported by name), so the
    # isinstance checks narrow error to an httpx class without it.
    assert error.status_code is None and error.request.method == "POST"
    assert isinstance(error, core.ApiError) and isinstance(error, httpx.RemoteProtocolError)
    assert isinstance(error, httpx.TransportError) and not isinstance(error, core.ApiTimeoutError)
    assert f"POST {server.url}/v0/evi/configs failed" in str(error)
    assert "hush" not in str(error) and SECRET not in str(error) and SECRET not in repr(error)
    assert len(server.requests) == 1  # a POST that may have reached the server is not repeated


@SYNC
def test_a_refused_connection_is_an_api_connection_error_and_an_httpx_connect_error(sync: bool) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _raises(httpx.ConnectError, _client(f"http://127.0.0.1:{port}", sync, max_retries=1))
    assert isinstance(error, core.ApiConnectionError)
    assert "after 2 attempts" in str(error)


@SYNC
def test_a_timeout_raises_api_timeout_error_from_a_client_httpx_timeout(server: ScriptedServer, sync: bool) -> None:
    server.answer(Reply(body=b"{}", delay=0.5))
    client = _client(server.url, sync, timeout=httpx.Timeout(0.05))
    error = _raises(core.ApiTimeoutError, client)
    assert error.status_code is None  # first, as above
    assert isinstance(error, core.ApiConnectionError) and isinstance(error, httpx.ReadTimeout)
    assert isinstance(error, httpx.TimeoutException)
    assert "timed out" in str(error) and len(server.requests) == 1  # timeouts are not retried


@SYNC
def test_request_options_take_an_httpx_timeout(server: ScriptedServer, sync: bool) -> None:
    server.answer(Reply(body=b"{}", delay=0.5))
    _raises(
        core.ApiTimeoutError, _client(server.url, sync), request_options={"timeout_in_seconds": httpx.Timeout(0.05)}
    )


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (401, "UnauthorizedError"),
        (403, "ForbiddenError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (429, "TooManyRequestsError"),
        (500, "InternalServerError"),
        (502, "InternalServerError"),
        (418, "ApiError"),
    ],
)
@SYNC
def test_an_undeclared_status_raises_the_class_named_for_it(
    server: ScriptedServer, sync: bool, status: int, name: str
) -> None:
    server.answer(json_reply({"message": "no"}, status, {"X-Request-Id": "req-42"}))
    error = _raises(getattr(core, name), _client(server.url, sync, max_retries=0))
    assert type(error) is getattr(core, name)
    assert error.status_code == status and error.body == {"message": "no"}
    assert error.headers["x-request-id"] == "req-42" and error.headers.get("X-REQUEST-ID") == "req-42"
    assert "X-Request-Id" in error.headers and error.request_id == "req-42"


@SYNC
def test_a_declared_status_raises_the_module_class_which_subclasses_the_core_one(
    server: ScriptedServer, sync: bool
) -> None:
    errors = importlib.import_module(f"{API.package}.empathic_voice.errors")
    server.answer(json_reply({"message": "bad"}, 400, {"request-id": "r-7"}))
    error = _raises(errors.BadRequestError, _client(server.url, sync))
    assert isinstance(error, core.BadRequestError) and issubclass(errors.BadRequestError, core.BadRequestError)
    assert error.request_id == "r-7" and error.status_code == 400


@SYNC
def test_a_status_range_class_is_also_the_class_named_for_the_status(
    other_sdks: Path, server: ScriptedServer, sync: bool
) -> None:
    petstore = importlib.import_module("petstore")
    refused = importlib.import_module("petstore.pets.errors")  # the group (pets, photos) keeps its errors in pets
    server.answer(json_reply({"code": 1, "message": "no"}, 403))
    client = (petstore.PetstoreClient if sync else petstore.AsyncPetstoreClient)(api_key="k", base_url=server.url)
    with pytest.raises(petstore.core.ForbiddenError) as caught:
        _items(client.pets.photos.download("p1"))
    assert isinstance(caught.value, refused.ClientError)  # the class declared for 4XX, with its typed body
    assert caught.value.status_code == 403 and caught.value.body.message == "no"
    assert type(caught.value).__name__ == "ClientError"


# ---------------------------------------------------------------------------------------
# Client options
# ---------------------------------------------------------------------------------------


@SYNC
def test_max_retries_on_the_constructor_and_with_options(server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply({}, 503))
    client = _client(server.url, sync, max_retries=0)
    _raises(core.InternalServerError, client)
    assert len(server.requests) == 1
    server.answer(json_reply({}, 503))
    _raises(core.InternalServerError, client.with_options(max_retries=3))
    assert len(server.requests) == 4
    server.answer(json_reply({}, 503))
    _raises(core.InternalServerError, client, request_options={"max_retries": 1})
    assert len(server.requests) == 2  # the call's option wins over the client's


@SYNC
def test_with_options_shares_the_pool_and_changes_only_what_it_is_given(server: ScriptedServer, sync: bool) -> None:
    other = ScriptedServer()
    try:
        client = _client(server.url, sync, headers={"X-Team": "a"}, timeout=30)
        copy = client.with_options(headers={"X-Trace": "t"}, timeout=httpx.Timeout(0.05), base_url=other.url)
        assert type(copy) is type(client)
        assert copy._client_wrapper.httpx_client is client._client_wrapper.httpx_client
        other.answer(Reply(body=b"{}", delay=0.5))
        _raises(core.ApiTimeoutError, copy)  # the copy's timeout
        assert other.requests[0].headers["x-team"] == "a" and other.requests[0].headers["x-trace"] == "t"
        server.answer(json_reply({"id": "c"}, headers={"Content-Type": "application/json"}))
        _call(client)  # the original keeps its URL, headers and timeout
        assert "x-trace" not in server.requests[0].headers
        if sync:
            copy.close()
        else:
            run(copy.aclose())
        assert not client._client_wrapper.httpx_client.is_closed  # closing the copy leaves the pool open
    finally:
        other.close()


def test_raw_response_headers_are_case_insensitive_and_carry_the_request_id(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "c"}, headers={"X-Request-Id": "abc"}))
    response = _client(server.url, True).empathic_voice.configs.with_raw_response.get_config_version("id", 1)
    assert response.headers["x-request-id"] == "abc" and response.headers["X-REQUEST-ID"] == "abc"
    assert response.request_id == "abc"


def test_connection_errors_pickle_and_keep_their_classes() -> None:
    import pickle

    api_error = importlib.import_module(f"{API.package}.core.api_error")
    error = api_error.connection_error_class(httpx.ReadTimeout)("GET http://h/x timed out")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, core.ApiTimeoutError) and isinstance(again, httpx.ReadTimeout)
    assert str(again) == "GET http://h/x timed out"
    plain = pickle.loads(pickle.dumps(core.ApiConnectionError("no route")))
    assert type(plain) is core.ApiConnectionError and str(plain) == "no route"
