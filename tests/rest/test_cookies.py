"""Cookie parameters (`in: cookie`), in an SDK generated from a description of our own, calling a
loopback server that records every header as sent: each type and style (string, integer, boolean,
date, a list and an object exploded or not, JSON content), required and optional, next to an API key
in a cookie and a header parameter; values that would break a `Cookie` header (`;`, `,`, spaces,
quotes, non-ASCII, CR LF) percent-encoded; the one `Cookie` header merged from the client's
`headers`, the credentials, the parameters, `request_options` and the cookies the `httpx` client
keeps; sync and async, `with_raw_response`, every page of a pager, redirects; `mypy --strict`."""

from __future__ import annotations

import datetime
import importlib
import io
import re
import subprocess
import sys
import typing
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator import cli, ir
from generator.pipeline import Project, build_ir
from tests.rest.scripted_server import Recorded, Reply, ScriptedServer, json_reply

PACKAGE = "bakery_sdk"


def _cookie(name: str, schema: dict[str, typing.Any], **more: typing.Any) -> dict[str, typing.Any]:
    return {"name": name, "in": "cookie", "schema": schema, **more}


STRINGS = {"type": "array", "items": {"type": "string"}}
CAKE = {"type": "object", "properties": {"name": {"type": "string"}}}


def _ok(schema: dict[str, typing.Any]) -> dict[str, typing.Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def bakery_api(base_url: str) -> dict[str, typing.Any]:
    page = {
        "type": "object",
        "properties": {"cakes": {"type": "array", "items": CAKE}, "total_pages": {"type": "integer"}},
    }
    linked = {
        "type": "object",
        "properties": {"cakes": {"type": "array", "items": CAKE}, "next": {"type": ["string", "null"]}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bakery", "version": "1.0.0"},
        "servers": [{"url": base_url + "/v1"}],
        "security": [{"session": []}],
        "paths": {
            "/cakes": {
                "get": {
                    "operationId": "bake",
                    "parameters": [
                        _cookie("flavour", {"type": "string"}, required=True, description="The cake's flavour."),
                        _cookie("layers", {"type": "integer"}, description="How many layers."),
                        _cookie("vegan", {"type": "boolean"}),
                        _cookie("toppings", STRINGS, explode=False),
                        _cookie("sprinkles", STRINGS),
                        _cookie(
                            "box",
                            {"type": "object", "properties": {"w": {"type": "integer"}, "h": {"type": "integer"}}},
                            explode=False,
                        ),
                        _cookie(
                            "extras",
                            {
                                "type": "object",
                                "properties": {"icing": {"type": "string"}, "candles": {"type": "integer"}},
                            },
                            style="form",
                            explode=True,
                        ),
                        _cookie("baked_on", {"type": "string", "format": "date"}),
                        {
                            "name": "note",
                            "in": "cookie",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        _cookie("bad name", {"type": "string"}),
                        _cookie("sid", {"type": "string"}),  # the API key's cookie: the client sends it
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": _ok(CAKE),
                }
            },
            "/tasting": {
                "get": {
                    "operationId": "taste",
                    "security": [],
                    "parameters": [_cookie("tenant", {"type": "integer"}, required=True)],
                    "responses": _ok(CAKE),
                }
            },
            "/cakes/pages": {
                "get": {
                    "operationId": "list_cakes",
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        _cookie("tenant", {"type": "integer"}, required=True),
                    ],
                    "x-sdk-pagination": {
                        "kind": "page",
                        "page": "page",
                        "items": "cakes",
                        "total-pages": "total_pages",
                    },
                    "responses": _ok(page),
                }
            },
            "/cakes/links": {
                "get": {
                    "operationId": "follow_cakes",
                    "parameters": [_cookie("tenant", {"type": "integer"}, required=True)],
                    "x-sdk-pagination": {"kind": "next-url", "items": "cakes", "next": "next"},
                    "responses": _ok(linked),
                }
            },
        },
        "components": {"securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sid"}}},
    }


@pytest.fixture(scope="module")
def generated(server: ScriptedServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The SDK's ``src`` folder and what sdkgen printed while generating it."""
    root = tmp_path_factory.mktemp("bakery")
    spec = root / "bakery.yaml"
    spec.write_text(yaml.safe_dump(bakery_api(server.url), sort_keys=False))
    with pytest.MonkeyPatch.context() as patch:
        err = io.StringIO()
        patch.setattr(sys, "stderr", err)
        assert cli.main(["generate", str(spec), "--out", str(root / "sdk"), "--package", PACKAGE]) == 0
    src = root / "sdk" / "src"
    sys.path.insert(0, str(src))
    try:
        yield src, err.getvalue()
    finally:
        sys.path.remove(str(src))


@pytest.fixture(scope="module")
def bakery(generated: tuple[Path, str]) -> typing.Any:
    return importlib.import_module(PACKAGE)


def cookie_headers(request: Recorded) -> list[str]:
    return [value for name, value in request.header_list if name.lower() == "cookie"]


def the_cookie(request: Recorded) -> str:
    """The request's one ``Cookie`` header (there must be exactly one)."""
    (header,) = cookie_headers(request)
    return header


def pairs(header: str) -> list[tuple[str, str]]:
    """A server's reading of a ``Cookie`` header: ``; ``-separated pairs, names and values percent-decoded."""
    return [
        (urllib.parse.unquote(name), urllib.parse.unquote(value))
        for name, _, value in (part.partition("=") for part in header.split("; "))
    ]


# ---- generation: the IR, the warning, the signature ------------------------------------------


def test_cookie_parameters_are_parameters_of_their_own_location(generated: tuple[Path, str], tmp_path: Path) -> None:
    spec = tmp_path / "bakery.yaml"
    spec.write_text(yaml.safe_dump(bakery_api("https://bakery.example.com"), sort_keys=False))
    api = build_ir(Project.from_files([spec], package=PACKAGE))
    bake = next(e for e in api.endpoints if e.py_name == "bake")
    assert bake.query_params == () and [p.name for p in bake.header_params] == ["X-Trace"]
    shape = [(p.name, p.location, p.required, p.style, p.explode) for p in bake.cookie_params]
    assert shape == [
        ("flavour", "cookie", True, "form", True),
        ("layers", "cookie", False, "form", True),
        ("vegan", "cookie", False, "form", True),
        ("toppings", "cookie", False, "form", False),
        ("sprinkles", "cookie", False, "form", True),
        ("box", "cookie", False, "form", False),
        ("extras", "cookie", False, "form", True),
        ("baked_on", "cookie", False, "form", True),
        ("note", "cookie", False, "json", True),
    ]  # not 'bad name' (no token), not 'sid' (the API key's cookie)
    flavour, layers = bake.cookie_params[:2]
    assert (flavour.type, flavour.description) == (ir.Primitive("string"), "The cake's flavour.")
    assert (layers.type, layers.description) == (ir.Primitive("integer"), "How many layers.")
    assert bake.cookie_params[7].type == ir.Primitive("string", format="date")
    src, err = generated
    written = (src.parents[1] / "bakery.yaml").read_text().splitlines()
    line = written.index("      - name: bad name") + 1
    assert (
        f"bakery.yaml:{line} at /paths/~1cakes/get/parameters/9/name: the cookie name 'bad name' is not an RFC 6265 "
        "token (letters, digits and !#$%&'*+-.^_`|~ only); the parameter is left out"
    ) in err, err
    assert err.count("'bad name'") == 1 and "not supported" not in err


def test_the_method_takes_them_as_documented_keywords(generated: tuple[Path, str], bakery: typing.Any) -> None:
    import inspect

    signature = inspect.signature(bakery.BakerySdkClient.bake)
    keywords = [name for name, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]
    assert keywords[0] == "flavour" and signature.parameters["flavour"].default is inspect.Parameter.empty
    assert set(keywords) == {
        *("flavour", "x_trace", "layers", "vegan", "toppings", "sprinkles", "box", "extras", "baked_on", "note"),
        "request_options",
    }
    assert all(signature.parameters[name].default is None for name in keywords[1:])
    assert "flavour : str\n            The cake's flavour." in (bakery.BakerySdkClient.bake.__doc__ or "")
    src, _ = generated
    reference = (src.parent / "reference.md").read_text()
    assert "client.bake(\n    flavour=" in reference or 'client.bake(flavour="' in reference
    assert "- `flavour`: `str`, required\n\n    The cake's flavour." in reference
    assert "- `layers`: `typing.Optional[int]`\n\n    How many layers." in reference
    readme = (src.parent / "README.md").read_text()
    assert "### Cookies" in readme and "`flavour`, `layers`" in readme


# ---- what goes on the wire ---------------------------------------------------------------------

FULL = (
    "sid=k3y; flavour=lemon; layers=3; vegan=false; toppings=cream,berries; sprinkles=red; sprinkles=blue; "
    "box=w,20,h,10; icing=pink; candles=4; baked_on=2024-05-01; note={%22a%22:[1%2C2]}"
)


def full_call(bakery: typing.Any) -> dict[str, typing.Any]:
    return {
        "flavour": "lemon",
        "layers": 3,
        "vegan": False,
        "toppings": ["cream", "berries"],
        "sprinkles": ["red", "blue"],
        "box": {"w": 20, "h": 10},
        "extras": bakery.types.BakeExtras(icing="pink", candles=4),
        "baked_on": datetime.date(2024, 5, 1),
        "note": {"a": [1, 2]},
    }


def test_every_type_and_style_goes_in_one_cookie_header(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"name": "cake"}))
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    assert client.bake(**full_call(bakery), x_trace="t1").name == "cake"
    (sent,) = server.requests
    assert the_cookie(sent) == FULL
    assert sent.headers["x-trace"] == "t1" and sent.query == []


async def test_the_async_client_sends_the_same(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"name": "cake"}))
    client = bakery.AsyncBakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    assert (await client.bake(**full_call(bakery))).name == "cake"
    assert the_cookie(server.requests[0]) == FULL


def test_optional_parameters_left_out_or_none_send_nothing(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    client.bake(flavour="plain")
    client.bake(flavour="plain", layers=None, toppings=None, box=None, sprinkles=[], extras={})
    client.bake(flavour="plain", toppings=[], box={})  # not exploded: one pair with an empty value
    first, second, third = server.requests
    assert the_cookie(first) == the_cookie(second) == "sid=k3y; flavour=plain"
    assert the_cookie(third) == "sid=k3y; flavour=plain; toppings=; box="


HOSTILE = 'a; b=c, d\te "q" \\ é ☃ 100%\r\nX-Injected: 1'


@pytest.mark.parametrize("sync", [True, False])
async def test_a_value_can_inject_no_cookie_nor_header(bakery: typing.Any, server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply({}))
    arguments = {"flavour": HOSTILE, "toppings": ["x,y", "z;w"], "sprinkles": ["p q"], "box": {"k,1": "v;2"}}
    if sync:
        bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1").bake(**arguments)
    else:
        await bakery.AsyncBakerySdkClient(api_key="k3y", base_url=server.url + "/v1").bake(**arguments)
    (sent,) = server.requests
    header = the_cookie(sent)
    assert header == (
        "sid=k3y; flavour=a%3B%20b=c%2C%20d%09e%20%22q%22%20%5C%20%C3%A9%20%E2%98%83%20100%25%0D%0AX-Injected:%201; "
        "toppings=x%2Cy,z%3Bw; sprinkles=p%20q; box=k%2C1,v%3B2"
    )
    assert "x-injected" not in sent.headers
    assert pairs(header)[:2] == [("sid", "k3y"), ("flavour", HOSTILE)]  # decodes back to what was given
    # Every value is RFC 6265 cookie-octets, but for the commas that join a list or object not exploded.
    octets = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")
    for name, _, value in (part.partition("=") for part in header.split("; ")):
        assert all(octets.fullmatch(item) for item in value.split(",")), (name, value)


def test_an_object_exploded_is_a_cookie_per_property_its_names_made_tokens(
    bakery: typing.Any, server: ScriptedServer
) -> None:
    server.answer(json_reply({}))
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    client.bake(flavour="x", extras={"icing": "a b", "my name;x": "v", "n": None})
    assert the_cookie(server.requests[0]) == "sid=k3y; flavour=x; icing=a%20b; my%20name%3Bx=v"


def test_an_api_key_in_a_cookie_is_escaped_too(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    bakery.BakerySdkClient(api_key="k;ey=1 2", base_url=server.url + "/v1").bake(flavour="x")
    assert the_cookie(server.requests[0]) == "sid=k%3Bey=1%202; flavour=x"


def test_an_operation_without_credentials_sends_its_cookies_alone(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1").taste(tenant=7)
    assert the_cookie(server.requests[0]) == "tenant=7"


# ---- one Cookie header from every source -----------------------------------------------------


def test_request_options_cookie_wins_by_name_and_the_rest_is_merged(bakery: typing.Any, server: ScriptedServer) -> None:
    """Later wins, name by name: the client's headers, the API key, the parameters, request_options."""
    server.answer(json_reply({}))
    client = bakery.BakerySdkClient(
        api_key="k3y", base_url=server.url + "/v1", headers={"cookie": "theme=dark; sid=stale; layers=0"}
    )
    client.bake(
        flavour="lemon",
        layers=3,
        sprinkles=["red", "blue"],
        request_options={"additional_headers": {"COOKIE": "sprinkles=none; extra=1", "X-Other": "o"}},
    )
    (sent,) = server.requests
    assert the_cookie(sent) == "theme=dark; sid=k3y; flavour=lemon; layers=3; sprinkles=none; extra=1"
    assert sent.headers["x-other"] == "o"
    client.taste(tenant=1, request_options={"additional_headers": {"Cookie": "tenant=2"}})
    assert the_cookie(server.requests[1]) == "theme=dark; sid=stale; layers=0; tenant=2"  # no credential here


def test_cookies_the_server_set_are_kept_under_the_sdks(bakery: typing.Any, server: ScriptedServer) -> None:
    """The httpx client's cookie jar (from Set-Cookie) is merged in, not dropped nor sent twice."""
    server.answer(
        Reply(200, b"{}", {"Content-Type": "application/json", "Set-Cookie": "visit=1; Path=/"}),
        Reply(200, b"{}", {"Content-Type": "application/json", "Set-Cookie": "tenant=99; Path=/"}),
        json_reply({}),
    )
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    client.taste(tenant=1)
    client.taste(tenant=1)
    client.taste(tenant=1)
    first, second, third = server.requests
    assert the_cookie(first) == "tenant=1"
    assert the_cookie(second) == "visit=1; tenant=1"
    assert the_cookie(third) == "visit=1; tenant=1"  # the parameter over the server's cookie of that name


def test_with_raw_response_sends_the_cookies(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"name": "cake"}, headers={"X-Request-Id": "r1"}))
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    response = client.with_raw_response.bake(flavour="lemon", vegan=True)
    assert response.status_code == 200 and response.data.name == "cake"
    assert the_cookie(server.requests[0]) == "sid=k3y; flavour=lemon; vegan=true"


def _cakes(*names: str, **more: typing.Any) -> Reply:
    return json_reply({"cakes": [{"name": n} for n in names], **more})


def test_every_page_sends_the_cookie_parameters(bakery: typing.Any, server: ScriptedServer) -> None:
    server.answer(_cakes("a", total_pages=3), _cakes("b", total_pages=3), _cakes("c", total_pages=3))
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    assert [cake.name for cake in client.list_cakes(tenant=5)] == ["a", "b", "c"]
    assert [dict(r.query).get("page") for r in server.requests] == [None, "2", "3"]
    assert [the_cookie(r) for r in server.requests] == ["sid=k3y; tenant=5"] * 3


async def test_every_page_of_an_async_next_url_pager_sends_them(bakery: typing.Any, server: ScriptedServer) -> None:
    following = f"{server.url}/v1/cakes/links?after=a"
    server.answer(_cakes("a", next=following), _cakes("b", next=None))
    client = bakery.AsyncBakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    assert [cake.name async for cake in await client.follow_cakes(tenant=6)] == ["a", "b"]
    assert [r.query for r in server.requests] == [[], [("after", "a")]]
    assert [the_cookie(r) for r in server.requests] == ["sid=k3y; tenant=6"] * 2


def test_a_redirect_within_the_origin_keeps_them_another_origin_drops_them(
    bakery: typing.Any, server: ScriptedServer
) -> None:
    server.answer(Reply(307, headers={"Location": "/v1/tasting/moved"}), json_reply({}))
    client = bakery.BakerySdkClient(api_key="k3y", base_url=server.url + "/v1")
    client.bake(flavour="lemon", request_options={"additional_headers": {"Cookie": "extra=1"}})
    assert [the_cookie(r) for r in server.requests] == ["sid=k3y; flavour=lemon; extra=1"] * 2
    elsewhere = ScriptedServer()
    try:
        server.answer(Reply(307, headers={"Location": f"{elsewhere.url}/moved"}))
        elsewhere.answer(json_reply({}))
        client.bake(flavour="lemon")
        assert the_cookie(server.requests[0]) == "sid=k3y; flavour=lemon"
        assert cookie_headers(elsewhere.requests[0]) == []
    finally:
        elsewhere.close()


# ---- types -------------------------------------------------------------------------------------

USE = """\
import datetime

from bakery_sdk import AsyncBakerySdkClient, BakerySdkClient
from bakery_sdk.types import BakeExtras


def use(client: BakerySdkClient) -> None:
    client.bake(
        flavour="lemon", layers=3, vegan=True, toppings=["a"], sprinkles=("b",), box={"w": 1, "h": 2},
        extras=BakeExtras(icing="pink"), baked_on=datetime.date(2024, 5, 1), note={"a": 1}, x_trace="t",
    )
    names: list[str | None] = [cake.name for cake in client.list_cakes(tenant=1)]
    raw: int = client.with_raw_response.taste(tenant=1).status_code


async def use_async(client: AsyncBakerySdkClient) -> None:
    await client.bake(flavour="lemon")
    async for cake in await client.follow_cakes(tenant=1):
        print(cake.name)
"""

MISUSE = """\
from bakery_sdk import BakerySdkClient


def misuse(client: BakerySdkClient) -> None:
    client.bake(layers=3)
    client.bake(flavour="lemon", layers="3")
    client.taste(tenant="1")
"""


def test_the_sdk_passes_mypy_strict_and_types_the_cookie_keywords(generated: tuple[Path, str], tmp_path: Path) -> None:
    src, _ = generated
    (src / "use_it.py").write_text(USE)
    (src / "misuse.py").write_text(MISUSE)

    def mypy(*targets: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), *targets]
        return subprocess.run(command, cwd=src, capture_output=True, text=True, timeout=600)

    checked = mypy(PACKAGE, "use_it.py")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    refused = mypy("misuse.py")
    out = refused.stdout
    assert refused.returncode == 1, out
    assert re.search(r'misuse\.py:5: error: Missing named argument "flavour"', out), out
    assert re.search(r'misuse\.py:6: error: Argument "layers" .* has incompatible type "str"', out), out
    assert re.search(r'misuse\.py:7: error: Argument "tenant" .* has incompatible type "str"', out), out
    assert out.count("error:") == 3, out
