"""Descriptions at the documented limits (generator/limits.py) generate, within a memory cap;
loose description files cannot make sdkgen read beside or above their folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.limits import MAX_NESTING, MAX_REF_CHAIN
from tests.conftest import REPO
from tests.test_bad_specs import capped


def _document(schemas: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    response = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Deep", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {"/x": {"get": {"operationId": "get_x", "responses": {"200": response}}}},
        "components": {"schemas": schemas},
        **(extra or {}),
    }


def _generate(tmp_path: Path, document: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    spec = tmp_path / "api.json"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(4 * MAX_NESTING)  # json.dumps of the deep documents below
    try:
        spec.write_text(json.dumps(document))
    finally:
        sys.setrecursionlimit(limit)
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--out", str(tmp_path / "out"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=capped,
    )


def test_a_chain_of_object_schemas_at_the_ref_limit_generates(tmp_path: Path) -> None:
    """Each schema holds the next through a $ref: normalise and render follow the chain on the stack."""
    count = MAX_REF_CHAIN
    schemas: dict[str, Any] = {
        f"S{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}}
        for i in range(count - 1)
    }
    schemas[f"S{count - 1}"] = {"type": "object", "properties": {"v": {"type": "string"}}}
    result = _generate(tmp_path, _document(schemas))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "src" / "deep" / "types" / f"s{count - 1}.py").is_file()


def test_a_ref_chain_at_the_limit_generates(tmp_path: Path) -> None:
    """The operation's $ref, then S0 -> S1 -> ... : MAX_REF_CHAIN $refs in a row."""
    schemas: dict[str, Any] = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(MAX_REF_CHAIN - 1)}
    schemas[f"S{MAX_REF_CHAIN - 1}"] = {"type": "object", "properties": {"v": {"type": "string"}}}
    result = _generate(tmp_path, _document(schemas))
    assert result.returncode == 0, result.stderr


def test_inline_object_schemas_nested_to_the_nesting_limit_generate(tmp_path: Path) -> None:
    """Inline objects nested (two levels each: properties/next) to just under MAX_NESTING, and an
    example nested to it: hoisted types get short names, the document is read and validated."""
    levels = (MAX_NESTING - 10) // 2
    schema: dict[str, Any] = {"type": "object", "properties": {"v": {"type": "string"}}}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"next": schema}}
    example: list[Any] = []
    for _ in range(MAX_NESTING - 5):
        example = [example]
    result = _generate(tmp_path, _document({"S0": schema}, {"x-example": example}))
    assert result.returncode == 0, result.stderr
    names = [path.name for path in (tmp_path / "out" / "src" / "deep" / "types").iterdir()]
    assert len(names) > levels and max(len(name) for name in names) <= 110


def test_loose_files_read_only_inside_their_folder(tmp_path: Path) -> None:
    """A $ref from specs/api.yaml to ../outside/x.yaml, run from the folder above, is refused; so is a
    symlink beside the description leading outside."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.yaml").write_text("S: {type: object, properties: {secret: {type: string}}}\n")
    spec = tmp_path / "specs" / "api.yaml"
    for target in ("../outside/x.yaml", "link.yaml"):
        spec.write_text(
            "openapi: 3.1.0\ninfo: {title: C, version: '1'}\nservers: [{url: 'https://x.example.com'}]\n"
            "paths: {/a: {get: {operationId: a, responses: {'200': {description: ok, content: "
            f"{{application/json: {{schema: {{$ref: '{target}#/S'}}}}}}}}}}}}}}}}\n"
        )
        if target == "link.yaml":
            (tmp_path / "specs" / "link.yaml").symlink_to("../outside/x.yaml")
        result = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "specs/api.yaml", "--out", "out"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 2, result.stderr
        errors = [line for line in result.stderr.splitlines() if "error:" in line]
        assert len(errors) == 1 and "specs/api.yaml:4 at /paths/~1a/get/responses/200" in errors[0], result.stderr
        assert f"is outside {tmp_path / 'specs'}" in errors[0]
        assert not (tmp_path / "out").exists()


def test_header_names_that_are_no_tokens_are_left_out_never_sent(tmp_path: Path) -> None:
    """A header name with a line break (or a space) in an API key scheme or a header parameter: no
    refusal, but a located warning each, and what it names is left out: the SDK can never send it."""
    hostile = "X-Key\r\nX-Injected: 1"
    document = _document({"S0": {"type": "string"}})
    document["security"] = [{"key": []}, {"spaced": []}]
    document["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": hostile},
        "spaced": {"type": "apiKey", "in": "header", "name": "RapidAPI.com API Key"},
    }
    document["paths"]["/x"]["get"]["parameters"] = [
        {"name": hostile, "in": "header", "schema": {"type": "string"}},
        {"name": "X-Fine", "in": "header", "schema": {"type": "string"}},
    ]
    result = _generate(tmp_path, document)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "is not an HTTP token" in line]
    assert len(warnings) == 3, result.stderr
    assert "at /paths/~1x/get/parameters/0/name:" in warnings[0] and "this parameter is left out" in warnings[0]
    assert "at /components/securitySchemes/key: security scheme 'key' is not generated" in warnings[1]
    assert "security scheme 'spaced' is not generated" in warnings[2]
    sources = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "out" / "src").rglob("*.py"))
    assert "X-Injected" not in sources and "RapidAPI.com API Key" not in sources
    assert '"X-Fine"' in sources
