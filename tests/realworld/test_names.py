"""Names a person would choose: package, distribution, client and environment-variable names from
``info.title`` (or the servers' host), conventional PascalCase for shouted schema names, and no
doubled words in the README. Checked on real titles: the issue's and the corpus's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator import naming
from generator.pipeline import Project, build_files, build_ir, resolve
from tests.conftest import SHARED


@pytest.mark.parametrize(
    ("title", "package", "client"),
    [
        ("Together APIs", "together", "Together"),
        ("The Plaid API", "plaid", "Plaid"),
        ("Netlify's API documentation", "netlify", "Netlify"),
        ("OpenAI API", "openai", "OpenAI"),
        ("Lichess.org API reference", "lichess", "Lichess"),
        ("Deepgram API Specification", "deepgram", "Deepgram"),
        ("Spotify Web API", "spotify", "Spotify"),
        ("Train Travel API", "train_travel", "TrainTravel"),
        ("Stripe API v1", "stripe", "Stripe"),
        ("Hume AI", "hume_ai", "HumeAI"),
        ("GitHub's official OpenAPI spec + Octokit extension", "github", "GitHub"),  # npm @octokit/openapi
        ("Payments API (beta)", "payments", "Payments"),
        ("API (Acme)", "acme", "Acme"),  # nothing but the qualifier names it
    ],
)
def test_names_from_real_titles(title: str, package: str, client: str) -> None:
    assert naming.package_name(title) == package
    assert naming.client_stem(title) == client


def test_a_title_that_names_nothing_falls_back_to_the_servers_host() -> None:
    assert naming.package_name("API Reference", ["https://api.sentry.io/api/0"]) == "sentry"
    assert naming.client_stem("REST API", ["http://localhost:8080", "https://api.eu.example.co.uk"]) == "Example"
    assert naming.package_name("API", ["http://127.0.0.1"]) == "api"
    assert naming.host_name("wss://ws.okx.com:8443/ws/v5") == "okx"


def test_shouted_schema_names_become_pascal_case_and_acronyms_stay() -> None:
    assert [naming.class_name(name) for name in ("COLLECTIONIMAGES", "USER_PROFILE", "getUSERSList")] == [
        "Collectionimages",
        "UserProfile",
        "GetUsersList",
    ]
    assert [naming.class_name(name) for name in ("HTTPValidationError", "TTS", "ReturnTTSVoice")] == [
        "HTTPValidationError",
        "TTS",
        "ReturnTTSVoice",
    ]


def _document(title: str, servers: list[str]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.0.0"},
        "servers": [{"url": url} for url in servers],
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {"COLLECTIONIMAGES": {"type": "object", "properties": {"url": {"type": "string"}}}},
        },
        "security": [{"key": []}],
        "paths": {
            "/images": {
                "get": {
                    "operationId": "listImages",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/COLLECTIONIMAGES"}}
                            },
                        }
                    },
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("title", "servers", "package", "client", "env_var"),
    [
        ("Together APIs", ["https://api.together.xyz/v1"], "together", "TogetherClient", "TOGETHER_API_KEY"),
        ("The Plaid API", ["https://production.plaid.com"], "plaid", "PlaidClient", "PLAID_API_KEY"),
        ("API Reference", ["https://api.sentry.io"], "sentry", "SentryClient", "SENTRY_API_KEY"),
    ],
)
def test_zero_config_names_and_the_readme(
    tmp_path: Path, title: str, servers: list[str], package: str, client: str, env_var: str
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(_document(title, servers)), encoding="utf-8")
    settings, _ = resolve(Project.from_files([spec]))
    assert (settings.package, settings.distribution, settings.client) == (package, package, client)
    api = build_ir(Project.from_files([spec]))
    assert [scheme.env_vars for scheme in api.security_schemes] == [(env_var,)]
    files = build_files(Project.from_files([spec]))
    readme = files["README.md"]
    assert not re.search(r"\b(API|APIs) API\b", readme), readme[:400]
    assert f"# {title} Python SDK" in readme
    assert any("class Collectionimages(" in text for text in files.values())


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="no shared/corpus beside the repository")
def test_every_corpus_title_gives_a_plain_package_name() -> None:
    """Every description of the corpus: its package name is an identifier with no "api", "the" or
    split acronym in it."""
    titles = []
    for path in sorted((SHARED / "corpus").rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or path.stat().st_size > 3_000_000:
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        match = re.search(r"""^\s*["']?title["']?\s*:\s*["']?([^"'\n,]+)""", head, re.MULTILINE)
        if match and re.search(r"openapi|swagger|asyncapi", head[:400]):
            titles.append(match.group(1).strip())
    assert len(titles) >= 10
    for title in titles:
        package = naming.package_name(title, ["https://api.example.com"])
        assert naming.is_identifier(package), title
        assert not {"api", "apis", "the", "ap", "is", "documentation", "reference"} & set(package.split("_")), title
