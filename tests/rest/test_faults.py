"""How the generated SDK copes with failures, against a real server on loopback.

Retries (429 with Retry-After in seconds and as a date, 503 then 200, dropped
connections), timeouts, malformed responses, the error class of every declared error
status, and the API key kept out of reprs, logs and exception messages.
"""

from __future__ import annotations

import email.utils
import importlib
import logging
import time
import typing
from collections.abc import Iterator

import httpx
import pytest

from generator.ir import Api, Endpoint, ErrorResponse, Named
from generator.render import samples
from generator.render.annotations import type_import
from tests.example_values import value
from tests.rest.conftest import hume_api
from tests.rest.scripted_server import Cut, Drop, Reply, ScriptedServer, json_reply

API = hume_api()
SECRET = "sk-test-4f1c2b9e7d"


def _endpoint(name: str) -> Endpoint:
    return next(e for e in API.endpoints if ".".join((*e.group, e.py_name)) == name)


def _sample(api: Api, endpoint: Endpoint) -> typing.Any:
    """A valid JSON body for the endpoint's success response."""
    assert endpoint.response.type is not None
    return value(api, samples.example(api, endpoint.response.type, full=True), models=False)


LIST = _endpoint("empathic_voice.configs.list_configs")
GET = _endpoint("empathic_voice.configs.get_config_version")


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backoff delays of milliseconds, so retry tests that do not measure waiting run fast."""
    http_client = importlib.import_module(f"{API.package}.core._http_client")
    monkeypatch.setattr(http_client, "INITIAL_RETRY_DELAY", 0.01)


def _client(server: ScriptedServer, sync: bool = True, **options: typing.Any) -> typing.Any:
    package = importlib.import_module(API.package)
    cls = getattr(package, API.client if sync else API.async_client)
    return cls(api_key=SECRET, base_url=server.url, **options)


def _get(client: typing.Any, **kwargs: typing.Any) -> typing.Any:
    return client.empathic_voice.configs.get_config_version("id", 1, **kwargs)


# ---------------------------------------------------------------------------------------
# Retries
# ---------------------------------------------------------------------------------------


def test_429_with_retry_after_seconds_waits_then_succeeds(server: ScriptedServer) -> None:
    server.answer(json_reply({}, 429, {"Retry-After": "1"}), json_reply(_sample(API, GET)))
    result = _get(_client(server))
    assert result.id == _sample(API, GET)["id"]
    first, second = server.requests
    assert 0.95 <= second.at - first.at < 3


def test_429_with_retry_after_date_waits_then_succeeds(server: ScriptedServer) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    server.answer(json_reply({}, 429, {"Retry-After": when}), json_reply(_sample(API, GET)))
    _get(_client(server))
    first, second = server.requests
    assert 0.5 <= second.at - first.at < 3.5  # the date has a one-second resolution


def test_retry_after_longer_than_the_limit_is_not_waited_for(server: ScriptedServer) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(json_reply({"message": "slow down"}, 429, {"Retry-After": "3600"}))
    with pytest.raises(core.ApiError) as caught:
        _get(_client(server))
    assert caught.value.status_code == 429
    assert len(server.requests) == 1


def test_503_then_200_succeeds_after_backoff(server: ScriptedServer) -> None:
    server.answer(json_reply({}, 503), json_reply(_sample(API, GET)))
    started = time.monotonic()
    _get(_client(server))
    assert len(server.requests) == 2
    assert 0.3 <= time.monotonic() - started < 3  # first backoff: 0.5 s less up to 25 % jitter


def test_5xx_retried_twice_then_raised(server: ScriptedServer, fast_retries: None) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(json_reply({"message": "down"}, 500))
    with pytest.raises(core.ApiError) as caught:
        _get(_client(server))
    assert caught.value.status_code == 500
    assert caught.value.body == {"message": "down"}
    assert len(server.requests) == 3


def test_max_retries_per_call(server: ScriptedServer, fast_retries: None) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(json_reply({}, 408))
    with pytest.raises(core.ApiError):
        _get(_client(server), request_options={"max_retries": 0})
    assert len(server.requests) == 1
    server.answer(json_reply({}, 502), json_reply({}, 502), json_reply({}, 502), json_reply(_sample(API, GET)))
    _get(_client(server), request_options={"max_retries": 3})
    assert len(server.requests) == 4


def test_client_errors_are_not_retried(server: ScriptedServer) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(json_reply({"message": "nope"}, 404))
    with pytest.raises(core.ApiError) as caught:
        _get(_client(server))
    assert caught.value.status_code == 404
    assert len(server.requests) == 1


def test_dropped_connection_is_retried(server: ScriptedServer, fast_retries: None) -> None:
    server.answer(Drop(), json_reply(_sample(API, GET)))
    assert _get(_client(server)).id
    assert len(server.requests) == 2


def test_connection_dropped_every_time_raises_a_clear_error(server: ScriptedServer, fast_retries: None) -> None:
    server.answer(Drop())
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        _get(_client(server))
    message = str(caught.value)
    assert message.startswith(f"GET {server.url}/v0/evi/configs/id/version/1 failed after 3 attempts")
    assert len(server.requests) == 3


CREATE = _endpoint("empathic_voice.configs.create_config")


def _create(client: typing.Any) -> typing.Any:
    return client.empathic_voice.configs.create_config(evi_version="3", name="Weather")


@pytest.mark.parametrize("failure", [Drop(), Cut()], ids=["dropped after sending", "200 cut mid-body"])
def test_a_post_that_may_have_reached_the_server_is_not_sent_again(
    server: ScriptedServer, fast_retries: None, failure: Drop | Cut
) -> None:
    server.answer(failure, json_reply(_sample(API, CREATE), 201))
    with pytest.raises(httpx.TransportError) as caught:
        _create(_client(server))
    assert len(server.requests) == 1
    assert str(caught.value).startswith(f"POST {server.url}/v0/evi/configs failed:")


def test_a_post_is_retried_when_the_server_says_it_did_not_act(server: ScriptedServer, fast_retries: None) -> None:
    server.answer(json_reply({}, 503), json_reply({}, 429), json_reply(_sample(API, CREATE), 201))
    assert _create(_client(server)).id == _sample(API, CREATE)["id"]
    assert [r.method for r in server.requests] == ["POST", "POST", "POST"]


def test_a_post_is_not_retried_on_a_500(server: ScriptedServer, fast_retries: None) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(json_reply({"message": "oops"}, 500), json_reply(_sample(API, CREATE), 201))
    with pytest.raises(core.ApiError):
        _create(_client(server))
    assert len(server.requests) == 1


def test_a_get_cut_mid_body_is_retried(server: ScriptedServer, fast_retries: None) -> None:
    server.answer(Cut(), json_reply(_sample(API, GET)))
    assert _get(_client(server)).id == _sample(API, GET)["id"]
    assert len(server.requests) == 2


# ---------------------------------------------------------------------------------------
# Redirects
# ---------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[ScriptedServer]:
    """A second server: another port, so another origin."""
    other = ScriptedServer()
    yield other
    other.close()


def test_a_redirect_to_another_origin_does_not_carry_the_api_key(
    server: ScriptedServer, elsewhere: ScriptedServer
) -> None:
    target = f"{elsewhere.url}/v0/evi/configs/id/version/1"
    server.answer(Reply(307, headers={"Location": target}))
    elsewhere.answer(json_reply(_sample(API, GET)))
    assert _get(_client(server, headers={"Authorization": "Bearer other"})).id
    assert server.requests[0].headers["x-hume-api-key"] == SECRET
    (followed,) = elsewhere.requests
    assert "x-hume-api-key" not in followed.headers and "authorization" not in followed.headers
    assert SECRET not in str(followed.headers) and SECRET not in str(followed.query)


async def test_async_redirect_to_another_origin_does_not_carry_the_api_key(
    server: ScriptedServer, elsewhere: ScriptedServer
) -> None:
    server.answer(Reply(302, headers={"Location": f"{elsewhere.url}/elsewhere"}))
    elsewhere.answer(json_reply(_sample(API, GET)))
    assert (await _get(_client(server, sync=False))).id
    assert "x-hume-api-key" not in elsewhere.requests[0].headers


def test_a_redirect_on_the_same_origin_keeps_the_api_key(server: ScriptedServer) -> None:
    server.answer(Reply(308, headers={"Location": "/moved"}), json_reply(_sample(API, GET)))
    assert _get(_client(server)).id
    assert [r.path for r in server.requests] == ["/v0/evi/configs/id/version/1", "/moved"]
    assert server.requests[1].headers["x-hume-api-key"] == SECRET


def test_redirects_are_not_followed_when_the_client_says_so(server: ScriptedServer) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(Reply(302, headers={"Location": "/moved"}))
    with pytest.raises(core.ApiError) as caught:
        _get(_client(server, follow_redirects=False))
    assert caught.value.status_code == 302 and len(server.requests) == 1


def test_a_redirect_loop_stops(server: ScriptedServer) -> None:
    server.answer(Reply(302, headers={"Location": "/again"}))
    with pytest.raises(httpx.TooManyRedirects):
        _get(_client(server))
    assert len(server.requests) == 21  # the first request and httpx's limit of 20 redirects


def test_connection_refused_raises_connect_error(fast_retries: None) -> None:
    with ScriptedServerAddress() as url:
        package = importlib.import_module(API.package)
        client = getattr(package, API.client)(api_key=SECRET, base_url=url)
        with pytest.raises(httpx.ConnectError) as caught:
            _get(client)
    assert "failed after 3 attempts" in str(caught.value)


class ScriptedServerAddress:
    """A loopback address nothing listens on."""

    def __enter__(self) -> str:
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._sock = sock  # bound but not listening: connections are refused
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


async def test_async_retries_then_succeeds(server: ScriptedServer, fast_retries: None) -> None:
    server.answer(json_reply({}, 503), Drop(), json_reply(_sample(API, GET)))
    result = await _get(_client(server, sync=False))
    assert result.id
    assert len(server.requests) == 3


# ---------------------------------------------------------------------------------------
# Timeouts
# ---------------------------------------------------------------------------------------


def test_timeout_raises_without_retrying(server: ScriptedServer) -> None:
    server.answer(Reply(200, b"{}", {"Content-Type": "application/json"}, delay=1.0))
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException) as caught:
        _get(_client(server, timeout=0.2))
    assert time.monotonic() - started < 0.9
    assert len(server.requests) == 1
    assert "timed out" in str(caught.value) and "/v0/evi/configs/id/version/1" in str(caught.value)


def test_timeout_per_call(server: ScriptedServer) -> None:
    server.answer(Reply(200, b"{}", {"Content-Type": "application/json"}, delay=0.6))
    with pytest.raises(httpx.TimeoutException):
        _get(_client(server), request_options={"timeout_in_seconds": 0.2})


async def test_async_timeout(server: ScriptedServer) -> None:
    server.answer(Reply(200, b"{}", {"Content-Type": "application/json"}, delay=1.0))
    with pytest.raises(httpx.TimeoutException):
        await _get(_client(server, sync=False, timeout=0.2))


# ---------------------------------------------------------------------------------------
# Malformed and error responses
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"id": 1', b'["a list"]', b'"a string"'],
    ids=["garbage", "cut", "list", "string"],
)
def test_malformed_json_raises_malformed_response_error(server: ScriptedServer, body: bytes) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(Reply(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(core.MalformedResponseError) as caught:
        _get(_client(server))
    assert caught.value.status_code == 200
    assert caught.value.body == body.decode()
    assert "malformed response body of GET " in str(caught.value) and "(expected ReturnConfig)" in str(caught.value)
    assert isinstance(caught.value, core.ApiError)


def test_a_field_of_another_type_does_not_sink_the_response(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "x", "version": "not a number"}))
    result = _get(_client(server))
    assert (result.id, result.version) == ("x", "not a number")


DECLARED_ERRORS = [
    (endpoint, error)
    for endpoint in API.endpoints
    for error in endpoint.errors
    if not endpoint.path_params or endpoint.http_method == "GET"
]
DECLARED_ERRORS = list({(e.group[0], error.status): (e, error) for e, error in DECLARED_ERRORS}.values())


@pytest.mark.parametrize(
    "endpoint, error", DECLARED_ERRORS, ids=[f"{e.group[0]}-{err.status}" for e, err in DECLARED_ERRORS]
)
def test_declared_error_status_raises_its_class_with_the_parsed_body(
    server: ScriptedServer, endpoint: Endpoint, error: ErrorResponse
) -> None:
    module = importlib.import_module(".".join((API.package, endpoint.group[0], "errors")))
    cls = getattr(module, error.class_name)
    assert isinstance(error.type, Named), error.type  # a model: its class is the body's
    body = value(API, samples.example(API, error.type), models=False)
    server.answer(json_reply(body, error.status))
    client = _client(server)
    method = client
    for part in (*endpoint.group, endpoint.py_name):
        method = getattr(method, part)
    args = [value(API, a.value) for a in samples.arguments(API, endpoint) if a.positional]
    kwargs = {a.name: value(API, a.value) for a in samples.arguments(API, endpoint) if not a.positional}
    with pytest.raises(cls) as caught:
        result = method(*args, **kwargs)
        if isinstance(result, Iterator):
            list(result)
    assert caught.value.status_code == error.status
    module_name, class_name = type_import(API, error.type.id)
    assert type(caught.value.body).__name__ == class_name
    assert caught.value.headers["content-type"] == "application/json"


def test_error_body_that_is_not_the_declared_model_is_kept_as_json(server: ScriptedServer) -> None:
    errors = importlib.import_module(f"{API.package}.empathic_voice.errors")
    server.answer(json_reply(["not", "an", "object"], 400))
    with pytest.raises(errors.BadRequestError) as caught:
        _get(_client(server))
    assert caught.value.body == ["not", "an", "object"]
    server.answer(Reply(400, b"plain text", {"Content-Type": "text/plain"}))
    with pytest.raises(errors.BadRequestError) as caught:
        _get(_client(server))
    assert caught.value.body == "plain text"


# ---------------------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------------------


def test_api_key_is_sent_in_its_header(server: ScriptedServer) -> None:
    server.answer(json_reply(_sample(API, GET)))
    _get(_client(server))
    assert API.api_key is not None and API.api_key.key_name
    assert server.requests[0].headers[API.api_key.key_name.lower()] == SECRET


def test_api_key_never_appears_in_reprs_logs_or_errors(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture, fast_retries: None
) -> None:
    caplog.set_level(logging.DEBUG)
    client = _client(server)
    server.answer(json_reply({"detail": "bad"}, 500))
    with pytest.raises(Exception) as api_error:
        _get(client)
    server.answer(Drop())
    with pytest.raises(Exception) as transport_error:
        _get(client)
    server.answer(Reply(200, b"nonsense", {"Content-Type": "application/json"}))
    with pytest.raises(Exception) as parse_error:
        _get(client)
    assert caplog.records, "the SDK logs its requests at DEBUG level"
    texts = [caplog.text, repr(client), repr(client._client_wrapper), repr(client.empathic_voice.configs)]
    for caught in (api_error, transport_error, parse_error):
        texts += [str(caught.value), repr(caught.value)]
        texts += [str(link) for link in _chain(caught.value)]
    for text in texts:
        assert SECRET not in text


def _chain(error: BaseException) -> Iterator[BaseException]:
    while error.__cause__ is not None or error.__context__ is not None:
        error = typing.cast(BaseException, error.__cause__ or error.__context__)
        yield error


def test_missing_api_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    core = importlib.import_module(f"{API.package}.core")
    package = importlib.import_module(API.package)
    assert API.api_key is not None
    ((param,), (env_var,)) = API.api_key.params, API.api_key.env_vars
    assert env_var is not None
    with pytest.raises(core.ApiError) as caught:
        getattr(package, API.client)()
    assert env_var in str(caught.value) and param in str(caught.value)
    monkeypatch.setenv(env_var, SECRET)
    assert getattr(package, API.async_client)()._client_wrapper.api_key == SECRET
