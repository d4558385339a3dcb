"""Descriptions that name no server: the REST client's ``base_url`` is a required keyword (a type
checker flags a client made without it), and the ``connect()`` of a WebSocket channel whose
document gives no absolute server URL takes the server's URL (``url=``)."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli
from generator.pipeline import Project, build_ir
from tests.rest.scripted_server import ScriptedServer, json_reply
from tests.sockets.loopback import LoopbackServer
from tests.test_zero_config import widgets_api

PACKAGE = "ns_tickers"


def ticks_api() -> dict[str, Any]:
    """An AsyncAPI 3.0 document with no servers: one WebSocket channel (known by its binding)."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Acme Ticks", "version": "1.0.0"},
        "x-sdk-describes": "server",
        "channels": {
            "feed": {
                "address": "/feed/{symbol}",
                "parameters": {"symbol": {"description": "The ticker."}},
                "bindings": {"ws": {"query": {"type": "object", "properties": {"depth": {"type": "integer"}}}}},
                "messages": {
                    "subscribe": {
                        "name": "subscribe",
                        "payload": {
                            "type": "object",
                            "required": ["type", "window"],
                            "properties": {"type": {"const": "subscribe"}, "window": {"type": "integer"}},
                        },
                    },
                    "tick": {
                        "name": "tick",
                        "payload": {
                            "type": "object",
                            "required": ["type", "price"],
                            "properties": {"type": {"const": "tick"}, "price": {"type": "number"}},
                        },
                    },
                },
            }
        },
        "operations": {
            "sendSubscribe": {
                "action": "receive",
                "channel": {"$ref": "#/channels/feed"},
                "messages": [{"$ref": "#/channels/feed/messages/subscribe"}],
            },
            "sendTick": {
                "action": "send",
                "channel": {"$ref": "#/channels/feed"},
                "messages": [{"$ref": "#/channels/feed/messages/tick"}],
            },
        },
    }


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The SDK of a REST and an AsyncAPI document, neither naming a server, importable."""
    folder = tmp_path_factory.mktemp("no_servers")
    rest = widgets_api()
    del rest["servers"]
    files = [_write(folder / "widgets.yaml", rest), _write(folder / "ticks.yaml", ticks_api())]
    out = folder / "sdk"
    assert cli.main(["generate", *map(str, files), "--out", str(out), "--package", PACKAGE]) == 0
    src = str(out / "src")
    sys.path.insert(0, src)
    yield out
    sys.path.remove(src)
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture()
def http() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()


@pytest.fixture()
def ws() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


def test_the_rest_client_calls_the_base_url_it_requires(sdk: Path, http: ScriptedServer) -> None:
    package = importlib.import_module(PACKAGE)
    with pytest.raises(TypeError, match="base_url"):
        package.NsTickersClient(api_key="secret")
    http.answer(json_reply({"id": "w1", "name": "Sprocket"}))
    client = package.NsTickersClient(api_key="secret", base_url=http.url + "/v2/")
    assert client.widgets.get_widget("w1").name == "Sprocket"
    assert http.requests[0].path == "/v2/widgets/w1" and http.requests[0].headers["x-acme-key"] == "secret"

    async def call() -> str:
        async with package.AsyncNsTickersClient(api_key="secret", base_url=http.url) as client:
            return str((await client.widgets.get_widget("w2")).name)

    http.answer(json_reply({"id": "w2", "name": "Gear"}))
    assert asyncio.run(call()) == "Gear"
    assert http.requests[0].path == "/widgets/w2"
    readme = (sdk / "README.md").read_text()
    assert '`base_url="https://..."`\nis a required argument' in readme
    assert (
        'url="wss://api.example.com"' in readme and "gives no absolute server URL for `client.feed.connect`" in readme
    )


def test_connect_takes_the_url_of_a_channel_whose_document_names_no_server(sdk: Path, ws: LoopbackServer) -> None:
    package = importlib.import_module(PACKAGE)
    client = package.NsTickersClient(api_key="secret", base_url="http://127.0.0.1:9")  # REST: not used here
    ws.plan(['{"type": "tick", "price": 1.5}'])
    with client.feed.connect("ACME", url=ws.url + "/v1/", depth=3) as socket:
        socket.send_subscribe({"window": 10})
        tick = socket.recv()
    assert ws.done.wait(10)
    assert (type(tick).__name__, tick.price) == ("Tick", 1.5)
    assert ws.path == "/v1/feed/ACME?depth=3"
    assert ws.received == ['{"type":"subscribe","window":10}']

    async def exchange() -> float:
        async with package.AsyncNsTickersClient(api_key="secret", base_url="http://127.0.0.1:9") as client:
            async with client.feed.connect("XYZ", url=ws.url) as socket:
                await socket.send_subscribe({"window": 2})
                return float((await socket.recv()).price)

    ws.plan(['{"type": "tick", "price": 2.5}'])
    assert asyncio.run(exchange()) == 2.5
    assert ws.done.wait(10)
    assert ws.path == "/feed/XYZ" and ws.received == ['{"type":"subscribe","window":2}']
    reference = (sdk / "reference.md").read_text()
    assert "The server's URL (the API description gives no absolute server URL)" in reference


USER_PROGRAM = """\
from {package} import NsTickersClient

client = NsTickersClient(api_key="k"{base_url})
with client.feed.connect("ACME"{url}) as socket:
    print(socket.recv())
"""


@pytest.mark.parametrize(
    ("base_url", "url", "missing"),
    [
        (', base_url="https://api.example.com"', ', url="wss://ws.example.com"', []),
        ("", ', url="wss://ws.example.com"', ['Missing named argument "base_url"']),
        (', base_url="https://api.example.com"', "", ['Missing named argument "url"']),
    ],
)
def test_mypy_strict_flags_a_missing_url(sdk: Path, base_url: str, url: str, missing: list[str]) -> None:
    program = sdk / "src" / f"user_{len(base_url)}_{len(url)}.py"
    program.write_text(USER_PROGRAM.format(package=PACKAGE, base_url=base_url, url=url))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(sdk / ".mypy"), program.name],
        cwd=program.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [e for e in errors if not any(m in e for m in missing)] == [], result.stdout
    assert len(errors) == len(missing) and result.returncode == (1 if missing else 0), result.stdout


def test_with_environments_but_no_url_key_the_channel_takes_the_url_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Settings with environments and a source that names no URL key: connect() takes the URL, and the
    warning says how to use an environment instead; a channel parameter named ``url`` is renamed."""
    document = ticks_api()
    document["channels"]["feed"]["bindings"]["ws"]["query"]["properties"]["url"] = {"type": "string"}
    _write(tmp_path / "ticks.yaml", document)
    (tmp_path / "sdkgen.yaml").write_text(
        "package: ticks\nclient: TicksClient\nenvironments:\n"
        "  production: {base: 'https://api.example.com', ws: 'wss://ws.example.com'}\n"
        "sources:\n  - file: ticks.yaml\n"
    )
    (channel,) = build_ir(Project.from_folder(tmp_path)).channels
    assert channel.environment is None
    assert [(p.name, p.py_name) for p in channel.query_params] == [("depth", "depth"), ("url", "url_2")]
    warning = capsys.readouterr().err
    assert "channel 'feed' has no server and its source names no URL key" in warning
    assert "ticks.yaml:" in warning and "/channels/feed" in warning


def _filtered_ticks() -> dict[str, Any]:
    """The ticks document, its channel taking a query parameter and a header that are models."""
    document = ticks_api()
    document["components"] = {
        "schemas": {
            "Filter": {
                "type": "object",
                "required": ["venue"],
                "properties": {"venue": {"type": "string"}, "min_size": {"type": "integer"}},
            }
        }
    }
    ws = document["channels"]["feed"]["bindings"]["ws"]
    ws["query"]["properties"]["filter"] = {"$ref": "#/components/schemas/Filter"}
    ws["headers"] = {
        "type": "object",
        "properties": {"X-Filters": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}}},
    }
    return document


def test_connect_checks_the_dicts_given_for_models(tmp_path: Path, ws: LoopbackServer) -> None:
    """A dict given to connect() where a model goes is checked against the model before the handshake,
    as a request body's is: a missing, unknown or mistyped key raises InvalidRequestError."""
    spec = _write(tmp_path / "ticks.yaml", _filtered_ticks())
    assert cli.main(["generate", str(spec), "--out", str(tmp_path / "sdk"), "--package", "ns_filtered"]) == 0
    sys.path.insert(0, str(tmp_path / "sdk" / "src"))
    try:
        package = importlib.import_module("ns_filtered")
        core = importlib.import_module("ns_filtered.core")
        # sockets only and no server: the client's base_url is the sockets' server
        with pytest.raises(TypeError, match="base_url"):
            package.NsFilteredClient()
        client = package.NsFilteredClient(base_url=ws.url)
        invalid: list[tuple[dict[str, Any], str]] = [
            ({"filter": {"min_size": 2}}, "filter.venue: missing required key"),
            ({"filter": {"venue": "X", "minsize": 2}}, "filter.minsize: unknown key"),
            ({"filter": {"venue": "X", "min_size": "many"}}, "filter.min_size: Input should be a valid integer"),
            ({"x_filters": [{"venue": "X"}, {}]}, "X-Filters[1].venue: missing required key"),
            ({"x_filters": {"venue": "X", "extra": 1}}, "X-Filters.extra: unknown key"),  # one for a list of one
        ]
        for given, problem in invalid:
            with pytest.raises(core.InvalidRequestError, match=problem.replace("[", r"\[").replace("]", r"\]")):
                with client.feed.connect("ACME", **given):
                    pass
        assert not ws.done.is_set()  # nothing was sent
        ws.plan([])
        with client.feed.connect("ACME", filter={"venue": "NYSE", "min_size": 5}):
            pass
        assert ws.done.wait(10)
        assert ws.path.startswith("/feed/ACME?") and "NYSE" in ws.path and "5" in ws.path
        readme = (tmp_path / "sdk" / "README.md").read_text()
        assert 'NsFilteredClient(base_url="wss://api.example.com")' in readme and "url=" not in readme.replace(
            "base_url=", ""
        )
    finally:
        sys.path.remove(str(tmp_path / "sdk" / "src"))
        for name in [name for name in sys.modules if name == "ns_filtered" or name.startswith("ns_filtered.")]:
            del sys.modules[name]
