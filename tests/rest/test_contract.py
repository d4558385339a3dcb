"""Contract tests: every REST method, sync and async, against Prism serving its spec.

The Hume SDK (generated/, from specs/) and the SDKs of the small APIs of tests/specs/.

The arguments come from the same example synthesiser as the examples of reference.md:
every required parameter, with the smallest value the spec accepts. The sync calls
pass nested objects as model instances, the async calls as plain dicts. Prism validates
each request against the spec (a violation fails the call) and answers with a response
built from the spec, which must parse into the declared type.
"""

from __future__ import annotations

import collections.abc
import email.parser
import email.policy
import importlib
import typing

import httpx
import pydantic
import pytest

from generator import ir
from generator.ir import Api, Endpoint
from generator.render import samples
from generator.render.annotations import type_import
from tests import example_values
from tests.rest.conftest import (
    OTHER_APIS,
    SPECS,
    TEST_SPECS,
    PrismServers,
    hume_api,
    other_api,
    request_violations,
)

ENDPOINTS = hume_api().endpoints
IDS = [".".join((*endpoint.group, endpoint.py_name)) for endpoint in ENDPOINTS]
CASES = [("hume", endpoint) for endpoint in ENDPOINTS]
CASES += [(name, endpoint) for name in OTHER_APIS for endpoint in other_api(name).endpoints]
CASE_IDS = [f"{name}:{'.'.join((*endpoint.group, endpoint.py_name))}" for name, endpoint in CASES]


def _api(name: str, request: pytest.FixtureRequest) -> tuple[Api, typing.Any]:
    """The IR and specs folder of API ``name``; its SDK importable."""
    if name == "hume":
        return hume_api(), SPECS
    request.getfixturevalue("other_sdks")
    return other_api(name), TEST_SPECS / name


class Violations(list[dict[str, typing.Any]]):
    """Request violations Prism reported, collected by an ``httpx`` response hook.

    ``sent`` keeps the last request, its body read into memory by a request hook.
    """

    sent: httpx.Request | None = None

    def capture(self, request: httpx.Request) -> None:
        request.read()
        self.sent = request

    async def async_capture(self, request: httpx.Request) -> None:
        await request.aread()
        self.sent = request

    def hook(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            response.read()
        self.extend(request_violations(response))

    async def async_hook(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            await response.aread()
        self.extend(request_violations(response))


def _client(api: Api, sync: bool, base_url: str, violations: Violations) -> typing.Any:
    package = importlib.import_module(api.package)
    cls = getattr(package, api.client if sync else api.async_client)
    http: httpx.Client | httpx.AsyncClient
    hooks: dict[str, list[collections.abc.Callable[..., typing.Any]]]
    if sync:
        hooks = {"request": [violations.capture], "response": [violations.hook]}
        http = httpx.Client(timeout=30, event_hooks=hooks)
    else:
        hooks = {"request": [violations.async_capture], "response": [violations.async_hook]}
        http = httpx.AsyncClient(timeout=30, event_hooks=hooks)
    credentials = {param: "test-key" for scheme in api.security_schemes for param in scheme.params}
    return cls(**credentials, base_url=base_url, httpx_client=http)


def _method(client: typing.Any, endpoint: Endpoint) -> typing.Any:
    target = client
    for part in (*endpoint.group, endpoint.py_name):
        target = getattr(target, part)
    return target


def _arguments(
    api: Api, endpoint: Endpoint, models: bool, full: bool = False
) -> tuple[list[typing.Any], dict[str, typing.Any]]:
    positional, keywords = [], {}
    for argument in samples.arguments(api, endpoint, full):
        value = example_values.value(api, argument.value, models=models)
        if argument.positional:
            positional.append(value)
        else:
            keywords[argument.name] = value
    return positional, keywords


def _check_type(api: Api, ref: ir.TypeRef | None, value: typing.Any) -> None:
    """``value`` is of the declared type: named models are instances of their class."""
    if ref is None:
        return
    if isinstance(ref, ir.Nullable):
        if value is not None:
            _check_type(api, ref.inner, value)
        return
    if isinstance(ref, ir.ListOf):
        assert isinstance(value, list), value
        for item in value:
            _check_type(api, ref.item, item)
        return
    if isinstance(ref, ir.Named) and isinstance(api.type_by_id(ref.id), ir.ObjectType):
        module, name = type_import(api, ref.id)
        cls = getattr(importlib.import_module(module), name)
        assert isinstance(value, cls), f"expected {name}, got {value!r}"


def _check_result(api: Api, endpoint: Endpoint, result: typing.Any) -> None:
    kind = endpoint.response.kind
    if endpoint.pagination is not None:
        assert type(result).__name__ in ("SyncPager", "AsyncPager")
        _check_type(api, endpoint.response.type, result.response)
        for item in result.items:
            _check_type(api, endpoint.pagination.item_type, item)
    elif kind == "json":
        _check_type(api, endpoint.response.type, result)
    elif kind == "text":
        assert isinstance(result, str)
    elif kind == "empty":
        assert result is None
    elif kind == "binary":
        assert isinstance(result, bytes)
    elif kind == "sse":
        assert isinstance(result, list) and result, "no event in the stream"
        for event in result:
            _check_type(api, endpoint.response.type, event)


def runtime_type(api: Api, ref: ir.TypeRef) -> typing.Any:
    """The Python type the generated SDK uses for ``ref``."""
    if isinstance(ref, ir.Named):
        module, name = type_import(api, ref.id)
        return getattr(importlib.import_module(module), name)
    if isinstance(ref, ir.Nullable):
        return typing.Optional[runtime_type(api, ref.inner)]  # noqa: UP045 (a type made at run time)
    if isinstance(ref, ir.ListOf):
        return list[runtime_type(api, ref.item)]  # type: ignore[misc]
    if isinstance(ref, ir.MapOf):
        return dict[str, runtime_type(api, ref.value)]  # type: ignore[misc]
    if isinstance(ref, ir.UnionOf):
        return typing.Union[tuple(runtime_type(api, member) for member in ref.members)]  # noqa: UP007 (made at run time)
    if isinstance(ref, ir.LiteralOf):
        return typing.Literal[ref.value]
    assert isinstance(ref, ir.Primitive)
    return {"string": str, "integer": int, "number": float, "boolean": bool}.get(ref.name, typing.Any)


def _json_parts_checked(api: Api, endpoint: Endpoint, sent: httpx.Request | None) -> set[str]:
    """Multipart parts declared as JSON, checked here: Prism validates every part as text.

    The request as the SDK sent it is read back; each JSON part must parse as its declared
    type. Returns the names of the parts checked, whose Prism violations are then disregarded.
    """
    body = endpoint.body
    if body is None or body.kind != "multipart" or sent is None:
        return set()
    json_fields = {f.name: f for f in body.fields if f.content_type and "json" in f.content_type}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + sent.headers["content-type"].encode() + b"\r\n\r\n" + sent.content
    )
    checked = set()
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name in json_fields:
            assert part.get_content_type() == "application/json", part
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes), part
            pydantic.TypeAdapter(runtime_type(api, json_fields[name].type)).validate_json(payload)
            checked.add(name)
    return checked


def _prism_cannot_mock(error: Exception) -> bool:
    body = getattr(error, "body", None)
    return isinstance(body, dict) and str(body.get("type", "")).endswith("#NO_COMPLEX_OBJECT_TEXT")


def _explain(error: Exception, log: str) -> str:
    headers = getattr(error, "headers", None) or {}
    return f"{error!r}\nviolations: {headers.get('sl-violations')}\nPrism log:\n{log}"


def _verdict(
    api: Api,
    endpoint: Endpoint,
    client: typing.Any,
    call: tuple[list[typing.Any], dict[str, typing.Any]],
    outcome: typing.Any,
    violations: Violations,
    log: str,
) -> None:
    """Pass when Prism found the request valid and the response parsed as declared."""
    checked = _json_parts_checked(api, endpoint, violations.sent)
    remaining = [v for v in violations if v["location"][:3] not in (["request", "body", name] for name in checked)]
    assert not remaining, f"the request breaks the spec: {remaining}"
    if isinstance(outcome, Exception):
        if violations:
            return  # Prism refused parts it cannot read (checked above), so there is no response to check
        if _prism_cannot_mock(outcome):
            return  # the request passed validation; Prism cannot make up an event stream without an example
        pytest.fail(_explain(outcome, log))
    _check_result(api, endpoint, outcome)


@pytest.mark.parametrize("full", [False, True], ids=["required", "all-parameters"])
@pytest.mark.parametrize("name, endpoint", CASES, ids=CASE_IDS)
def test_sync(name: str, endpoint: Endpoint, full: bool, prism: PrismServers, request: pytest.FixtureRequest) -> None:
    api, specs = _api(name, request)
    violations = Violations()
    client = _client(api, True, prism.url_for(endpoint.source.file, specs), violations)
    args, kwargs = _arguments(api, endpoint, models=True, full=full)
    outcome: typing.Any
    try:
        outcome = _method(client, endpoint)(*args, **kwargs)
        if isinstance(outcome, collections.abc.Iterator):  # a generator, or a binary stream
            chunks = list(outcome)
            outcome = b"".join(chunks) if endpoint.response.kind == "binary" else chunks
    except Exception as error:  # noqa: BLE001 - judged with Prism's verdict
        outcome = error
    log = prism.log_for(endpoint.source.file, specs)
    _verdict(api, endpoint, client, (args, kwargs), outcome, violations, log)


@pytest.mark.parametrize("full", [False, True], ids=["required", "all-parameters"])
@pytest.mark.parametrize("name, endpoint", CASES, ids=CASE_IDS)
async def test_async(
    name: str, endpoint: Endpoint, full: bool, prism: PrismServers, request: pytest.FixtureRequest
) -> None:
    api, specs = _api(name, request)
    violations = Violations()
    client = _client(api, False, prism.url_for(endpoint.source.file, specs), violations)
    args, kwargs = _arguments(api, endpoint, models=False, full=full)
    outcome: typing.Any
    try:
        outcome = _method(client, endpoint)(*args, **kwargs)
        if isinstance(outcome, collections.abc.AsyncIterator):
            chunks = [chunk async for chunk in outcome]
            outcome = b"".join(chunks) if endpoint.response.kind == "binary" else chunks
        else:
            outcome = await outcome
    except Exception as error:  # noqa: BLE001
        outcome = error
    log = prism.log_for(endpoint.source.file, specs)
    _verdict(api, endpoint, client, (args, kwargs), outcome, violations, log)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.response.kind not in ("binary", "sse")][:3])
def test_raw_response(endpoint: Endpoint, api: Api, prism: PrismServers) -> None:
    client = _client(api, True, prism.url_for(endpoint.source.file), Violations())
    raw = client
    for part in endpoint.group:
        raw = getattr(raw, part)
    args, kwargs = _arguments(api, endpoint, models=True)
    response = getattr(raw.with_raw_response, endpoint.py_name)(*args, **kwargs)
    assert 200 <= response.status_code < 300
    assert "content-type" in {name.lower() for name in response.headers}
    _check_result(api, endpoint, response.data)


def test_prism_reports_a_request_that_breaks_the_spec(api: Api, prism: PrismServers) -> None:
    """The harness itself: a request Prism must refuse is seen as breaking the spec."""
    endpoint = next(e for e in ENDPOINTS if e.pagination is not None and e.query_params)
    violations = Violations()
    client = _client(api, True, prism.url_for(endpoint.source.file), violations)
    args, kwargs = _arguments(api, endpoint, models=True)
    page = getattr(endpoint.pagination, "param", None)
    options = {"additional_query_parameters": {page: "not-a-number"}}
    api_error = importlib.import_module(f"{api.package}.core").ApiError
    with pytest.raises(api_error):
        _method(client, endpoint)(*args, **kwargs, request_options=options)
    assert violations, "Prism accepted a page number that is not a number"
