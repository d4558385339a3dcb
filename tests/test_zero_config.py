"""Zero-config: description files and no settings file. Names, environments (from `servers`,
variables at their defaults), the API key and group descriptions are derived; `sdkgen init`
writes them out; a settings file may leave any derivable key out."""

from __future__ import annotations

import importlib
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli, write
from generator.errors import SpecError
from generator.normalise import credentials, derive
from generator.normalise.derive import package_name
from generator.pipeline import Project, build_files, resolve
from tests.conftest import REPO, needs_shared
from tests.rest.scripted_server import ScriptedServer, json_reply


def widgets_api(port: int = 8080) -> dict[str, Any]:
    """An OpenAPI 3.1 document with two servers (one templated), tags and an API key header."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Acme Widgets API", "version": "2.1.0"},
        "servers": [
            {
                "url": "http://127.0.0.1:{port}/{basePath}",
                "description": "Local test server",
                "variables": {"port": {"default": str(port)}, "basePath": {"default": "v2", "enum": ["v1", "v2"]}},
            },
            {
                "url": "https://{region}.sandbox.acme.example/v2",
                "description": "Sandbox",
                "variables": {"region": {"default": "eu"}},
            },
            {"url": "https://api.acme.example/v2/"},
        ],
        "security": [{"key": []}],
        "tags": [
            {"name": "widgets", "description": "Widgets in stock.\n\nMore text that is not the summary."},
            {"name": "unused", "description": "A tag no operation has."},
        ],
        "paths": {
            "/widgets/{widget_id}": {
                "get": {
                    "operationId": "getWidget",
                    "tags": ["widgets"],
                    "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "The widget.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Acme-Key"}},
            "schemas": {
                "Widget": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                }
            },
        },
    }


def events_api() -> dict[str, Any]:
    """An AsyncAPI 3.0 document whose one server becomes a URL key of every environment."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Acme Events", "version": "1.0.0"},
        "servers": {
            "events": {
                "host": "{zone}.events.acme.example",
                "pathname": "/ws",
                "protocol": "wss",
                "variables": {"zone": {"default": "eu1"}},
            }
        },
        "channels": {
            "feed": {
                "address": "/feed",
                "messages": {
                    "tick": {"name": "tick", "payload": {"type": "object", "properties": {"type": {"const": "tick"}}}}
                },
            }
        },
        "operations": {"receiveTick": {"action": "receive", "channel": {"$ref": "#/channels/feed"}}},
    }


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture()
def specs(tmp_path: Path) -> list[Path]:
    return [
        _write(tmp_path / "in" / "widgets.yaml", widgets_api()),
        _write(tmp_path / "in" / "events.yaml", events_api()),
    ]


def test_settings_are_derived_from_the_documents(specs: list[Path]) -> None:
    settings, sources = resolve(Project.from_files(specs))
    assert (settings.package, settings.distribution, settings.version, settings.title) == (
        "acme_widgets",
        "acme-widgets",
        "2.1.0",
        "Acme Widgets API",
    )
    assert (settings.client, settings.async_client, settings.environment_class) == (
        "AcmeWidgetsClient",
        "AsyncAcmeWidgetsClient",
        "AcmeWidgetsClientEnvironment",
    )
    assert settings.environments == (
        ("local_test", (("base", "http://127.0.0.1:8080/v2"), ("events", "wss://eu1.events.acme.example/ws"))),
        ("sandbox", (("base", "https://eu.sandbox.acme.example/v2"), ("events", "wss://eu1.events.acme.example/ws"))),
        ("server_3", (("base", "https://api.acme.example/v2"), ("events", "wss://eu1.events.acme.example/ws"))),
    )
    assert settings.default_environment == "local_test"
    assert settings.auth is None  # not set: read from the documents
    (key,) = credentials.credentials(settings, sources).schemes
    assert (key.kind, key.location, key.key_name, key.env_vars, key.params) == (
        "api_key",
        "header",
        "X-Acme-Key",
        ("ACME_WIDGETS_API_KEY",),
        ("api_key",),
    )
    assert derive.groups(settings, sources) == (
        (("unused", "A tag no operation has."), ("widgets", "Widgets in stock.")),
        True,
    )
    assert [source.settings.environment for source in sources] == ["base", None]


def test_package_option_names_the_package_and_its_classes(specs: list[Path]) -> None:
    settings, _ = resolve(Project.from_files(specs, package="widgets"))
    assert (settings.package, settings.client, settings.distribution) == ("widgets", "WidgetsClient", "widgets")


@pytest.mark.parametrize(
    ("title", "package"),
    [
        ("Swagger Petstore - OpenAPI 3.0", "petstore"),
        ("Hume AI API", "hume_ai"),
        ("3D API", "api_3d"),
        ("API", "api"),
        ("Ünïcode Tools", "unicode_tools"),
    ],
)
def test_package_names_from_titles(title: str, package: str) -> None:
    assert package_name(title) == package


def test_the_generated_sdk_calls_the_first_server_with_the_derived_key(
    tmp_path: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One file, no settings: the default environment is the first server, variables at their defaults."""
    port = int(server.url.rsplit(":", 1)[1])
    spec = _write(tmp_path / "widgets.yaml", widgets_api(port))
    out = tmp_path / "sdk"
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "widgets.yaml", "--out", "sdk", "--package", "zc_widgets"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert not (tmp_path / ".sdkgen-cache").exists(), "loose files get no run record"
    monkeypatch.syspath_prepend(str(out / "src"))
    monkeypatch.setenv("ZC_WIDGETS_API_KEY", "secret")
    package = importlib.import_module("zc_widgets")
    server.answer(json_reply({"id": "w1", "name": "Sprocket"}))
    widget = package.ZcWidgetsClient().widgets.get_widget("w1")
    assert widget.name == "Sprocket"
    request = server.requests[0]
    assert request.path == "/v2/widgets/w1"
    assert request.headers["x-acme-key"] == "secret"
    assert package.ZcWidgetsClientEnvironment.SANDBOX.base == "https://eu.sandbox.acme.example/v2"
    assert spec.exists()


def test_no_servers_the_client_takes_the_apis_url(
    tmp_path: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A description that gives no absolute server URL generates a client whose base_url is required."""
    document = widgets_api()
    del document["servers"]
    _write(tmp_path / "widgets.yaml", document)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "widgets.yaml", "--out", "sdk", "--package", "zc_no_server"]) == 0
    capsys.readouterr()
    monkeypatch.syspath_prepend(str(tmp_path / "sdk" / "src"))
    package = importlib.import_module("zc_no_server")
    with pytest.raises(TypeError, match="base_url"):
        package.ZcNoServerClient(api_key="secret")
    with pytest.raises(ValueError, match="gives no absolute server URL; pass base_url=") as raised:  # an untyped None
        package.ZcNoServerClient(api_key="secret", base_url=None)
    assert "ZcNoServerClient" in str(raised.value)
    server.answer(json_reply({"id": "w1", "name": "Sprocket"}))
    client = package.ZcNoServerClient(api_key="secret", base_url=server.url + "/v2/")
    assert client.widgets.get_widget("w1").name == "Sprocket"
    assert server.requests[0].path == "/v2/widgets/w1"
    readme = (tmp_path / "sdk" / "README.md").read_text()
    assert "gives no absolute server URL" in readme and 'base_url="https://api.example.com"' in readme
    assert "takes `environment`" not in readme
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "zc_no_server"],
        cwd=tmp_path / "sdk" / "src",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "specs"
    assert cli.main(["init", "widgets.yaml", "--specs", str(folder), "--package", "zc_no_server"]) == 0
    assert "\nenvironments:" not in (folder / "sdkgen.yaml").read_text()
    assert build_files(Project.from_folder(folder)) == build_files(
        Project.from_files([tmp_path / "widgets.yaml"], package="zc_no_server")
    )


def test_a_document_without_servers_beside_one_with_servers_is_an_error(tmp_path: Path) -> None:
    rest, other = widgets_api(), widgets_api()
    del other["servers"]
    files = [_write(tmp_path / "a.yaml", rest), _write(tmp_path / "b.yaml", other)]
    with pytest.raises(SpecError, match="lists no servers, while other documents do") as raised:
        resolve(Project.from_files(files))
    assert raised.value.location is not None and raised.value.location.file.endswith("b.yaml")


@needs_shared("corpus", "elevenlabs")
def test_elevenlabs_which_names_no_server_generates_with_no_settings(tmp_path: Path) -> None:
    spec = REPO.parent / "shared" / "corpus" / "elevenlabs" / "api" / "openapi.json"
    files = build_files(Project.from_files([spec], package="elevenlabs"))
    wrapper = files["src/elevenlabs/core/client_wrapper.py"]
    assert "gives no absolute server URL; pass base_url=" in wrapper
    assert "gives no absolute server URL" in files["README.md"]


def test_zero_config_sockets_only(tmp_path: Path) -> None:
    files = build_files(Project.from_files([_write(tmp_path / "events.yaml", events_api())]))
    environment = files["src/acme_events/environment.py"]
    assert 'events="wss://eu1.events.acme.example/ws"' in environment
    assert "PRODUCTION" in environment


@pytest.mark.parametrize(
    ("servers", "message", "where"),
    [
        ([{"url": "/v1"}], "server URL '/v1' is not absolute", "at /servers/0/url"),
        ([{"url": "https://{host}/v1"}], "server variable 'host' has no default", "at /servers/0"),
    ],
)
def test_servers_that_give_no_url_leave_the_url_to_the_client(
    tmp_path: Path, servers: Any, message: str, where: str
) -> None:
    """No refusal: each unusable server is a located warning, and the client takes base_url=..."""
    document = widgets_api()
    document["servers"] = servers
    _write(tmp_path / "api.yaml", document)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "api.yaml", "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line and "server" in line]
    assert message in warnings[0] and where in warnings[0] and "this server is left out" in warnings[0]
    assert "no server URL of the document is absolute" in warnings[1]
    wrapper = next((tmp_path / "out" / "src").glob("*/core/client_wrapper.py")).read_text(encoding="utf-8")
    assert "gives no absolute server URL; pass base_url=" in wrapper


def test_unsupported_security_schemes_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = widgets_api()
    document["components"]["securitySchemes"] = {"key": {"type": "http", "scheme": "digest"}}
    settings, sources = resolve(Project.from_files([_write(tmp_path / "api.yaml", document)]))
    assert settings.auth is None and credentials.credentials(settings, sources).schemes == ()
    warning = capsys.readouterr().err
    assert "security scheme 'key' (http digest) is not generated" in warning
    assert "api.yaml:" in warning and "/components/securitySchemes/key" in warning


def test_a_settings_file_may_list_only_its_sources(tmp_path: Path) -> None:
    _write(tmp_path / "specs" / "widgets.yaml", widgets_api())
    (tmp_path / "specs" / "sdkgen.yaml").write_text("sources:\n  - file: widgets.yaml\n")
    settings, _ = resolve(Project.from_folder(tmp_path / "specs"))
    assert settings.package == "acme_widgets" and settings.environments[0][0] == "local_test"
    # a key that is set wins over the derived value; `auth: null` turns the derived key off
    (tmp_path / "specs" / "sdkgen.yaml").write_text("package: acme\nauth: null\nsources:\n  - file: widgets.yaml\n")
    settings, _ = resolve(Project.from_folder(tmp_path / "specs"))
    assert (settings.package, settings.client, settings.auth) == ("acme", "AcmeClient", False)


def test_init_writes_a_specs_folder_that_generates_the_same_sdk(specs: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "project" / "specs"
    assert cli.main(["init", *map(str, specs), "--specs", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["events.yaml", "sdkgen.yaml", "widgets.yaml"]
    text = (folder / "sdkgen.yaml").read_text()
    assert text.startswith("# sdkgen settings, written by `sdkgen init`")
    assert "# Environments from the documents' servers" in text
    raw = yaml.safe_load(text)
    assert raw["package"] == "acme_widgets"
    assert raw["environments"]["sandbox"] == {
        "base": "https://eu.sandbox.acme.example/v2",
        "events": "wss://eu1.events.acme.example/ws",
    }
    assert raw["auth"] == {"header": "X-Acme-Key", "env_var": "ACME_WIDGETS_API_KEY", "param": "api_key"}
    assert raw["sources"] == [
        {"file": "widgets.yaml", "module": "", "environment": "base"},
        {"file": "events.yaml", "module": ""},
    ]
    assert build_files(Project.from_folder(folder)) == build_files(Project.from_files(specs))
    # edits take: the folder is the user's now
    (folder / "sdkgen.yaml").write_text(text.replace('client: "AcmeWidgetsClient"', 'client: "WidgetClient"'))
    assert "class WidgetClient" in build_files(Project.from_folder(folder))["src/acme_widgets/client.py"]


def test_init_copies_referenced_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    document = widgets_api()
    del document["components"]["schemas"]
    ok = document["paths"]["/widgets/{widget_id}"]["get"]["responses"]["200"]
    ok["content"]["application/json"]["schema"] = {"$ref": "shared/widget.yaml"}
    spec = _write(tmp_path / "in" / "api.yaml", document)
    _write(tmp_path / "in" / "shared" / "widget.yaml", widgets_api()["components"]["schemas"]["Widget"])
    folder = tmp_path / "specs"
    assert cli.main(["init", str(spec), "--specs", str(folder)]) == 0
    assert (folder / "shared" / "widget.yaml").is_file()
    before = (folder / "sdkgen.yaml").read_text()
    assert cli.main(["init", str(spec), "--specs", str(folder)]) == 2
    assert (folder / "sdkgen.yaml").read_text() == before


def test_init_writes_nothing_for_a_bad_description(tmp_path: Path) -> None:
    document = widgets_api()
    document["paths"]["/widgets/{widget_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "missing.yaml#/nope"  # a file that is not there
    }
    spec = _write(tmp_path / "api.yaml", document)
    assert cli.main(["init", str(spec), "--specs", str(tmp_path / "specs")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.yaml"]


def test_init_in_the_folder_that_holds_the_description(tmp_path: Path) -> None:
    spec = _write(tmp_path / "specs" / "api.yaml", widgets_api())
    assert cli.main(["init", str(spec), "--specs", str(tmp_path / "specs")]) == 0
    assert sorted(p.name for p in (tmp_path / "specs").iterdir()) == ["api.yaml", "sdkgen.yaml"]
    assert write.read_tree(tmp_path / "specs")["api.yaml"] == spec.read_text()


def test_hume_specs_generate_without_their_settings_file(tmp_path: Path) -> None:
    """The flagship specs, as loose files: they load, derive and render (overlays are a settings-file feature)."""
    files = sorted(str(p) for p in (REPO / "specs" / "openapi").glob("*.yaml")) + sorted(
        str(p) for p in (REPO / "specs" / "asyncapi").glob("*.yaml")
    )
    settings, sources = resolve(Project.from_files([Path(f) for f in files], package="hume"))
    (key,) = credentials.credentials(settings, sources).schemes
    assert (key.location, key.key_name, key.params) == ("header", "X-Hume-Api-Key", ("api_key",))
    assert dict(settings.environments[0][1])["base"] == "https://api.hume.ai"


def test_a_rest_only_sdk_ships_and_claims_only_what_it_has(tmp_path: Path) -> None:
    files = build_files(Project.from_files([_write(tmp_path / "widgets.yaml", widgets_api())]))
    assert "src/acme_widgets/core/_socket.py" not in files
    assert "websockets" not in files["pyproject.toml"]
    readme = files["README.md"]
    assert "websockets" not in readme and "pagination" not in readme.split("## Install")[0]
    assert "streaming" not in readme.split("## Install")[0] and "## Pagination" not in readme
    assert "The SDK depends on `httpx`, `pydantic` (v2) and `typing-extensions`." in readme
    # with channels, the socket runtime and its dependency are there
    both = build_files(
        Project.from_files([_write(tmp_path / "w2.yaml", widgets_api()), _write(tmp_path / "e.yaml", events_api())])
    )
    assert "src/acme_widgets/core/_socket.py" in both and "websockets" in both["pyproject.toml"]
    assert "WebSocket channels" in both["README.md"].split("## Install")[0]


def test_channels_take_their_own_credentials_from_the_clients_schemes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """REST takes a bearer token, the channel an API key in the query: the client has both, and
    ``connect()`` sends the channel's (kept out of the websockets log)."""
    import importlib
    import logging
    import sys
    import threading

    from websockets.sync.server import serve

    rest = widgets_api()
    rest["components"]["securitySchemes"] = {"key": {"type": "http", "scheme": "bearer"}}
    rest["security"] = [{"key": []}]
    events = events_api()
    events["servers"]["events"]["security"] = [{"$ref": "#/components/securitySchemes/key"}]
    events["components"] = {"securitySchemes": {"key": {"type": "httpApiKey", "in": "query", "name": "key"}}}
    inputs = [_write(tmp_path / "w.yaml", rest), _write(tmp_path / "e.yaml", events)]
    settings, sources = resolve(Project.from_files(inputs))
    schemes = credentials.credentials(settings, sources).schemes
    assert [(scheme.name, scheme.kind) for scheme in schemes] == [
        ("key", "bearer"),
        ("key_socket", "api_key"),
    ]
    out = tmp_path / "sdk"
    assert cli.main(["generate", *map(str, inputs), "--out", str(out), "--package", "zc_socket_auth"]) == 0
    capsys.readouterr()

    seen: list[str] = []

    def handler(connection: typing.Any) -> None:
        seen.append(connection.request.path)
        connection.close()

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        sys.path.insert(0, str(out / "src"))
        try:
            sdk = importlib.import_module("zc_socket_auth")
            keywords = {scheme.params[0]: f"secret-{scheme.kind}" for scheme in schemes}
            environment = sdk.ZcSocketAuthClientEnvironment(
                base="http://127.0.0.1:9", events=f"ws://127.0.0.1:{port}/ws"
            )
            client = sdk.ZcSocketAuthClient(environment=environment, **keywords)
            caplog.set_level(logging.DEBUG, logger="websockets.client")
            with client.feed.connect():
                pass
        finally:
            sys.path.remove(str(out / "src"))
        server.shutdown()
    assert seen == ["/ws/feed?key=secret-api_key"]
    logged = [record.getMessage() for record in caplog.records if record.name == "websockets.client"]
    assert any("key=***" in line for line in logged) and not any("secret" in line for line in logged)


def test_asyncapi_2_websocket_servers_become_url_keys_named_as_identifiers(tmp_path: Path) -> None:
    """A 2.x server's ``url``; a key that is no identifier is snake_cased; a server of another protocol is none."""
    document = {
        "asyncapi": "2.6.0",
        "info": {"title": "Acme Live", "version": "1.0.0"},
        "servers": {
            "scram-connections": {
                "url": "wss://{region}.live.acme.example/v1",
                "protocol": "wss",
                "variables": {"region": {"default": "eu"}},
            },
            "broker": {"url": "mqtt://broker.acme.example", "protocol": "mqtt"},
        },
        "channels": {
            "/feed": {
                "subscribe": {"message": {"payload": {"type": "object", "properties": {"type": {"const": "tick"}}}}}
            }
        },
    }
    project = Project.from_files([_write(tmp_path / "live.yaml", document)])
    settings, _ = resolve(project)
    assert settings.environments[0][1] == (("scram_connections", "wss://eu.live.acme.example/v1"),)
    files = build_files(project)
    assert '"scram_connections"' in files["src/acme_live/feed/socket_client.py"]
