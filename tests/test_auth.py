"""Credentials from `securitySchemes`, in an SDK generated from one file of our own, calling a
loopback server: API keys in a header, a query parameter and a cookie; HTTP bearer (a token, or a
function returning one, sync or async); HTTP basic; OAuth2 client credentials (the token fetched
once, shared by threads and tasks, fetched again before it expires); per-operation security with
alternatives, and `security: []` sending none; OAuth2 flows the SDK does not run (authorization
code, device) and OpenID Connect as an access token the user brings."""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import threading
import typing
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from generator import cli
from generator.normalise import credentials
from generator.pipeline import Project, resolve

PACKAGE = "vault_sdk"


@dataclass
class Seen:
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


class Server:
    """Answers the token endpoint with a new token each time (``expires_in`` as set), anything else with ``{}``."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.expires_in: int | None = 3600
        self.tokens_issued = 0
        self.release = threading.Event()
        self.release.set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: typing.Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                seen = Seen(
                    url.path, urllib.parse.parse_qsl(url.query), {k.lower(): v for k, v in self.headers.items()}, body
                )
                server.requests.append(seen)
                if url.path == "/oauth/token":
                    server.release.wait(10)
                    server.tokens_issued += 1
                    data: dict[str, typing.Any] = {"access_token": f"t{server.tokens_issued}", "token_type": "bearer"}
                    if server.expires_in is not None:
                        data["expires_in"] = server.expires_in
                    status = (
                        200
                        if seen.headers.get("authorization") == "Basic " + base64.b64encode(b"app:s3cret").decode()
                        else 401
                    )
                    payload = json.dumps(data if status == 200 else {"error": "invalid_client"}).encode()
                else:
                    status, payload = 200, b"{}"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an IPv4 address is (host, port), the host a str
        return f"http://{host}:{port}"

    def api_requests(self) -> list[Seen]:
        return [seen for seen in self.requests if seen.path != "/oauth/token"]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _get(operation_id: str, security: typing.Any = None) -> dict[str, typing.Any]:
    operation: dict[str, typing.Any] = {
        "operationId": operation_id,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
    }
    if security is not None:
        operation["security"] = security
    return {"get": operation}


def vault_api(base_url: str) -> dict[str, typing.Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Vault", "version": "1.0.0"},
        "servers": [{"url": base_url + "/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/header": _get("with_header_key", [{"headerKey": []}]),
            "/query": _get("with_query_key", [{"queryKey": []}]),
            "/cookie": _get("with_cookie_key", [{"cookieKey": []}]),
            "/bearer": _get("with_bearer"),
            "/basic": _get("with_basic", [{"basic": []}]),
            "/oauth": _get("with_oauth", [{"oauth": ["read"]}]),
            "/public": _get("public", []),
            "/either": _get("either", [{"bearer": []}, {"headerKey": [], "queryKey": []}]),
            "/optional": _get("optional", [{}, {"bearer": []}]),
            "/authcode": _get("with_auth_code", [{"authCode": ["read"]}]),
            "/oidc": _get("with_oidc", [{"oidc": []}]),
            "/unsupported": _get("unsupported", [{"digest": []}]),
        },
        "components": {
            "securitySchemes": {
                "headerKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
                "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {"type": "http", "scheme": "basic"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": base_url + "/oauth/token", "scopes": {"read": "Read"}}},
                },
                "authCode": {
                    "type": "oauth2",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": "https://id.example.com/authorize",
                            "tokenUrl": "https://id.example.com/token",
                            "scopes": {"read": "Read"},
                        },
                        "implicit": {"authorizationUrl": "https://id.example.com/implicit", "scopes": {"write": "W"}},
                    },
                },
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com/.well-known"},
                "digest": {"type": "http", "scheme": "digest"},
            }
        },
    }


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def vault(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[typing.Any]:
    root = tmp_path_factory.mktemp("vault")
    spec = root / "vault.yaml"
    spec.write_text(yaml.safe_dump(vault_api(server.url), sort_keys=False))
    assert cli.main(["generate", str(spec), "--out", str(root / "sdk"), "--package", PACKAGE]) == 0
    import sys

    sys.path.insert(0, str(root / "sdk" / "src"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root / "sdk" / "src"))


@pytest.fixture(autouse=True)
def _fresh(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    server.requests.clear()
    server.expires_in = 3600
    for name in (
        "HEADER_KEY",
        "QUERY_KEY",
        "COOKIE_KEY",
        "TOKEN",
        "USERNAME",
        "PASSWORD",
        "CLIENT_ID",
        "CLIENT_SECRET",
        "AUTH_CODE_ACCESS_TOKEN",
        "OIDC_ACCESS_TOKEN",
    ):
        monkeypatch.delenv(f"VAULT_SDK_{name}", raising=False)


CREDENTIALS = {
    "header_key": "hk-secret",
    "query_key": "qk-secret",
    "cookie_key": "ck-secret",
    "token": "tok-secret",
    "username": "ann",
    "password": "pw-secret",
    "client_id": "app",
    "client_secret": "s3cret",
}


def test_the_derived_schemes_and_their_keywords(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "vault.yaml"
    spec.write_text(yaml.safe_dump(vault_api(server.url), sort_keys=False))
    settings, sources = resolve(Project.from_files([spec], package=PACKAGE))
    assert settings.auth is None
    schemes = credentials.credentials(settings, sources).schemes
    assert [(s.name, s.kind, s.params, s.env_vars) for s in schemes] == [
        ("headerKey", "api_key", ("header_key",), ("VAULT_SDK_HEADER_KEY",)),
        ("queryKey", "api_key", ("query_key",), ("VAULT_SDK_QUERY_KEY",)),
        ("cookieKey", "api_key", ("cookie_key",), ("VAULT_SDK_COOKIE_KEY",)),
        ("bearer", "bearer", ("token",), ("VAULT_SDK_TOKEN",)),
        ("basic", "basic", ("username", "password"), ("VAULT_SDK_USERNAME", "VAULT_SDK_PASSWORD")),
        (
            "oauth",
            "oauth2_client_credentials",
            ("client_id", "client_secret"),
            ("VAULT_SDK_CLIENT_ID", "VAULT_SDK_CLIENT_SECRET"),
        ),
        ("authCode", "oauth2_token", ("auth_code_access_token",), ("VAULT_SDK_AUTH_CODE_ACCESS_TOKEN",)),
        ("oidc", "oauth2_token", ("oidc_access_token",), ("VAULT_SDK_OIDC_ACCESS_TOKEN",)),
    ]
    assert [(s.flows, s.scopes) for s in schemes[-2:]] == [
        (
            (
                ("authorization code", "https://id.example.com/authorize"),
                ("implicit", "https://id.example.com/implicit"),
            ),
            ("read", "write"),
        ),
        ((("OpenID Connect", "https://id.example.com/.well-known"),), ()),
    ]
    assert "security scheme 'digest' (http digest) is not generated" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("with_header_key", ("header", "x-key", "hk-secret")),
        ("with_query_key", ("query", "key", "qk-secret")),
        ("with_cookie_key", ("header", "cookie", "session=ck-secret")),
        ("with_bearer", ("header", "authorization", "Bearer tok-secret")),
        ("with_basic", ("header", "authorization", "Basic " + base64.b64encode(b"ann:pw-secret").decode())),
    ],
)
def test_each_scheme_is_sent_where_it_belongs(
    vault: typing.Any, server: Server, method: str, expected: tuple[str, str, str]
) -> None:
    getattr(vault.VaultSdkClient(**CREDENTIALS), method)()
    (seen,) = server.api_requests()
    where, name, value = expected
    assert (dict(seen.query) if where == "query" else seen.headers).get(name) == value
    others = {"x-key", "cookie"} - {name}
    assert not others & set(seen.headers), "no other credential is sent"
    assert ("authorization" in seen.headers) == (name == "authorization")
    assert ("key" in dict(seen.query)) == (name == "key")


def test_security_none_sends_no_credential(vault: typing.Any, server: Server) -> None:
    vault.VaultSdkClient(**CREDENTIALS).public()
    (seen,) = server.api_requests()
    assert not {"x-key", "cookie", "authorization"} & set(seen.headers) and seen.query == []


def test_alternatives_take_the_first_the_client_has(vault: typing.Any, server: Server) -> None:
    vault.VaultSdkClient(header_key="hk", query_key="qk").either()
    vault.VaultSdkClient(header_key="hk", query_key="qk", token="tok").either()
    keys, bearer = server.api_requests()
    assert keys.headers["x-key"] == "hk" and dict(keys.query) == {"key": "qk"} and "authorization" not in keys.headers
    assert bearer.headers["authorization"] == "Bearer tok" and "x-key" not in bearer.headers


def test_optional_security_sends_what_the_client_has(vault: typing.Any, server: Server) -> None:
    vault.VaultSdkClient().optional()
    vault.VaultSdkClient(token="tok").optional()
    anonymous, with_token = server.api_requests()
    assert "authorization" not in anonymous.headers and with_token.headers["authorization"] == "Bearer tok"


def test_a_missing_credential_is_reported_before_sending(vault: typing.Any, server: Server) -> None:
    client = vault.VaultSdkClient(header_key="hk")
    with pytest.raises(vault.core.ApiError) as raised:
        client.with_bearer()
    assert "token=" in str(raised.value) and "VAULT_SDK_TOKEN" in str(raised.value)
    with pytest.raises(vault.core.ApiError, match="username=.*and password="):
        client.with_basic()
    assert server.api_requests() == []


def test_credentials_come_from_environment_variables(
    vault: typing.Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULT_SDK_TOKEN", "from-env")
    vault.VaultSdkClient().with_bearer()
    assert server.api_requests()[0].headers["authorization"] == "Bearer from-env"


def test_a_token_function_is_called_for_each_request(vault: typing.Any, server: Server) -> None:
    tokens = iter(["one", "two"])
    client = vault.VaultSdkClient(token=lambda: next(tokens))
    client.with_bearer()
    client.with_bearer()
    assert [seen.headers["authorization"] for seen in server.api_requests()] == ["Bearer one", "Bearer two"]


async def test_async_client_with_an_async_token_function(vault: typing.Any, server: Server) -> None:
    async def token() -> str:
        await asyncio.sleep(0)
        return "async-tok"

    await vault.AsyncVaultSdkClient(token=token).with_bearer()
    await vault.AsyncVaultSdkClient(header_key="hk").with_header_key()
    bearer, key = server.api_requests()
    assert bearer.headers["authorization"] == "Bearer async-tok" and key.headers["x-key"] == "hk"


def test_oauth2_token_is_fetched_once_and_again_before_expiry(
    vault: typing.Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(vault.core._auth.time, "monotonic", lambda: now[0])
    server.expires_in = 600
    client = vault.VaultSdkClient(client_id="app", client_secret="s3cret")
    client.with_oauth()
    client.with_oauth()
    token_requests = [seen for seen in server.requests if seen.path == "/oauth/token"]
    assert len(token_requests) == 1
    assert urllib.parse.parse_qs(token_requests[0].body.decode()) == {
        "grant_type": ["client_credentials"],
        "scope": ["read"],
    }
    now[0] += 600 - 31  # 31 s before expiry: still the same token
    client.with_oauth()
    now[0] += 2  # 29 s before: renewed first
    client.with_oauth()
    assert [seen.headers["authorization"] for seen in server.api_requests()] == ["Bearer t1"] * 3 + ["Bearer t2"]


def test_oauth2_one_fetch_for_many_threads(vault: typing.Any, server: Server) -> None:
    client = vault.VaultSdkClient(client_id="app", client_secret="s3cret")
    server.release.clear()  # hold the token answer until every thread is waiting for it
    threads = [threading.Thread(target=client.with_oauth) for _ in range(5)]
    for thread in threads:
        thread.start()
    while not any(seen.path == "/oauth/token" for seen in server.requests):
        threading.Event().wait(0.01)
    server.release.set()
    for thread in threads:
        thread.join(30)
    assert sum(seen.path == "/oauth/token" for seen in server.requests) == 1
    assert len(server.api_requests()) == 5


async def test_oauth2_one_fetch_for_many_tasks(vault: typing.Any, server: Server) -> None:
    client = vault.AsyncVaultSdkClient(client_id="app", client_secret="s3cret")
    await asyncio.gather(*(client.with_oauth() for _ in range(5)))
    assert sum(seen.path == "/oauth/token" for seen in server.requests) == 1
    assert {seen.headers["authorization"] for seen in server.api_requests()} == {f"Bearer t{server.tokens_issued}"}


def test_a_refused_token_request_is_an_api_error_without_the_secret(vault: typing.Any, server: Server) -> None:
    client = vault.VaultSdkClient(client_id="app", client_secret="wrong-secret")
    with pytest.raises(vault.core.ApiError) as raised:
        client.with_oauth()
    assert raised.value.status_code == 401
    assert "wrong-secret" not in str(raised.value) and "wrong-secret" not in repr(raised.value)


def test_no_secret_in_reprs(vault: typing.Any) -> None:
    client = vault.VaultSdkClient(**CREDENTIALS)
    wrapper = client._client_wrapper
    shown = repr(client) + repr(wrapper) + repr(wrapper.credentials) + repr(vars(wrapper).get("credentials"))
    for secret in ("hk-secret", "qk-secret", "ck-secret", "tok-secret", "pw-secret", "s3cret"):
        assert secret not in shown


def test_the_readme_documents_each_credential(vault: typing.Any) -> None:
    readme = (Path(vault.__file__).parents[2] / "README.md").read_text()
    for keyword in ("header_key", "token", "username", "client_id", "VAULT_SDK_CLIENT_SECRET", "oidc_access_token"):
        assert f"`{keyword}`" in readme
    assert "Bring your own token" in readme and "`auth_code_access_token` or `oidc_access_token`" in readme
    assert "authorization code flow (https://id.example.com/authorize)" in readme


def test_oauth2_flows_the_sdk_does_not_run_take_the_users_token(
    vault: typing.Any, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Authorization code, implicit, password, device and OpenID Connect: the token is the user's, sent as a bearer."""
    vault.VaultSdkClient(auth_code_access_token="user-tok").with_auth_code()
    tokens = iter(["fresh-1", "fresh-2"])
    client = vault.VaultSdkClient(oidc_access_token=lambda: next(tokens))
    client.with_oidc()
    client.with_oidc()
    monkeypatch.setenv("VAULT_SDK_OIDC_ACCESS_TOKEN", "from-env")
    vault.VaultSdkClient().with_oidc()
    assert [seen.headers["authorization"] for seen in server.api_requests()] == [
        "Bearer user-tok",
        "Bearer fresh-1",
        "Bearer fresh-2",
        "Bearer from-env",
    ]
    assert not any(seen.path.endswith("token") for seen in server.requests), "the SDK fetches no token itself"
    with pytest.raises(vault.core.ApiError, match="auth_code_access_token=.*VAULT_SDK_AUTH_CODE_ACCESS_TOKEN"):
        vault.VaultSdkClient().with_auth_code()


async def test_an_async_client_takes_an_async_token_function_for_a_users_token(
    vault: typing.Any, server: Server
) -> None:
    async def token() -> str:
        await asyncio.sleep(0)
        return "async-user-tok"

    await vault.AsyncVaultSdkClient(auth_code_access_token=token).with_auth_code()
    assert server.api_requests()[0].headers["authorization"] == "Bearer async-user-tok"


def test_an_api_whose_only_scheme_is_an_authorization_code_flow_gets_a_keyword(tmp_path: Path) -> None:
    from generator.pipeline import build_ir

    document = vault_api("https://vault.example.com")
    document["security"] = [{"authCode": []}]
    document["paths"] = {"/authcode": _get("with_auth_code")}
    document["components"]["securitySchemes"] = {"authCode": vault_api("")["components"]["securitySchemes"]["authCode"]}
    spec = tmp_path / "vault.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    (scheme,) = build_ir(Project.from_files([spec], package=PACKAGE)).security_schemes
    assert (scheme.kind, scheme.params, scheme.env_vars) == (
        "oauth2_token",
        ("access_token",),
        ("VAULT_SDK_ACCESS_TOKEN",),
    )


def test_the_sdk_with_credentials_passes_mypy_strict(vault: typing.Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    source = Path(vault.__file__).parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), PACKAGE],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_keeps_the_derived_credentials(server: Server, tmp_path: Path) -> None:
    from generator.pipeline import build_files

    spec = tmp_path / "vault.yaml"
    spec.write_text(yaml.safe_dump(vault_api(server.url), sort_keys=False))
    folder = tmp_path / "specs"
    assert cli.main(["init", str(spec), "--specs", str(folder), "--package", PACKAGE]) == 0
    text = (folder / "sdkgen.yaml").read_text()
    assert "\nauth:" not in text and "#   bearer: bearer: token (VAULT_SDK_TOKEN)" in text
    assert build_files(Project.from_folder(folder)) == build_files(Project.from_files([spec], package=PACKAGE))


def test_schemes_declared_but_required_nowhere_are_alternatives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A common omission (schemes without any `security`): each declared scheme may be sent, or none."""
    from generator.pipeline import build_ir

    document = vault_api("https://vault.example.com")
    del document["security"]
    document["paths"] = {"/bearer": _get("with_bearer")}
    document["components"]["securitySchemes"] = {
        "headerKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    spec = tmp_path / "vault.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    api = build_ir(Project.from_files([spec], package=PACKAGE))
    assert [scheme.name for scheme in api.security_schemes] == ["headerKey", "bearer"]
    assert api.endpoints[0].security == (("headerKey",), ("bearer",), ())
    assert "no operation names a security requirement" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("method", "header"),
    [("with_header_key", "x-key"), ("with_bearer", "authorization"), ("with_cookie_key", "cookie")],
)
def test_a_redirect_to_another_origin_drops_every_credential(vault: typing.Any, method: str, header: str) -> None:
    from tests.rest.scripted_server import Reply, ScriptedServer, json_reply

    origin, elsewhere = ScriptedServer(), ScriptedServer()
    try:
        origin.answer(Reply(307, headers={"Location": f"{elsewhere.url}/moved"}))
        elsewhere.answer(json_reply({}))
        getattr(vault.VaultSdkClient(base_url=origin.url + "/v1", **CREDENTIALS), method)()
        assert header in origin.requests[0].headers
        (followed,) = elsewhere.requests
        assert not {"x-key", "authorization", "cookie"} & set(followed.headers)
        assert not any(secret in str(followed.headers) for secret in CREDENTIALS.values() if len(secret) > 4)
    finally:
        origin.close()
        elsewhere.close()


def test_a_channel_that_takes_an_oauth2_token_gets_the_users_token(tmp_path: Path) -> None:
    """An AsyncAPI server secured by an OAuth2 flow the SDK does not run: the client's access token keyword."""
    from generator.pipeline import build_ir
    from tests.normalise.test_asyncapi_versions import v3

    document = v3("server")
    flow = {"authorizationUrl": "https://id.example.com/a", "tokenUrl": "https://id.example.com/t"}
    document["components"]["securitySchemes"] = {
        "login": {"type": "oauth2", "flows": {"authorizationCode": {**flow, "availableScopes": {"chat": "Chat"}}}}
    }
    document["servers"]["ws"]["security"] = [{"$ref": "#/components/securitySchemes/login"}]
    spec = tmp_path / "chat.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    api = build_ir(Project.from_files([spec], package="chat_sdk"))
    (scheme,) = api.security_schemes
    assert (scheme.kind, scheme.params, scheme.scopes) == ("oauth2_token", ("access_token",), ("chat",))
    assert api.channels[0].security == ((scheme.name,),)


def test_the_settings_auth_is_a_scheme_like_any_other() -> None:
    """Hume's `auth:` shorthand: one API key header, named as the documents' scheme for that header,
    so every operation's requirement names it; it is the client's api_key (required, sent as a header)."""
    from generator.pipeline import build_ir
    from tests.conftest import SPECS

    api = build_ir(SPECS)
    (key,) = api.security_schemes
    assert api.api_key == key
    assert (key.name, key.kind, key.location, key.key_name) == ("apiKey", "api_key", "header", "X-Hume-Api-Key")
    assert (key.params, key.env_vars) == (("api_key",), ("HUME_API_KEY",))
    assert {(endpoint.auth, endpoint.security) for endpoint in api.endpoints} == {(True, (("apiKey",),))}
    assert all(channel.security is None and channel.auth for channel in api.channels)
