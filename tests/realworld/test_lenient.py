"""Lenient reading: what the SDK does not depend on warns (file, pointer, line) and generates;
what stops generation is reported all at once, each problem located. Hume's published
descriptions (../shared/upstream/openapi) generate with a minimal settings file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import ir
from generator.pipeline import build_ir
from tests.conftest import REPO, SHARED, needs_shared
from tests.normalise.helpers import openapi, operation, typedef, write
from tests.realworld.sdk import generate, import_each_module

UPSTREAM = SHARED / "upstream" / "openapi"


def _sdkgen(specs: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--no-cache", "--specs", str(specs), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_harmless_violations_warn_with_their_place_and_generate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = openapi(
        {
            "/status": {
                "get": {"description": {"$ref": "docs.md"}, **operation({"$ref": "#/components/schemas/batch:Status"})}
            },
            "/ping": {"post": {"operationId": "ping"}},  # no responses (optional in 3.1, see the 3.0 test)
            "/users": {
                "get": {
                    "operationId": "list_users",
                    "x_custom": True,  # an unknown key
                    "parameters": [{"name": "org", "in": "path", "required": True, "schema": {"type": "string"}}],
                    **operation({"type": "string"}),
                }
            },
        },
        {"batch:Status": {"type": "string", "enum": ["queued", "done"]}},
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    err = capsys.readouterr().err
    assert isinstance(typedef(api, "BatchStatus"), ir.EnumType)
    ping = next(e for e in api.endpoints if e.py_name == "ping")
    assert ping.response.kind == "empty"
    users = next(e for e in api.endpoints if e.py_name == "list_users")
    assert users.path_params == ()
    for expected in (
        "api.yaml:39 at /components/schemas/batch:Status: not valid openapi 3.1.0, but nothing the SDK depends on: "
        "the component name 'batch:Status'",
        "at /paths/~1status/get/description: not valid openapi 3.1.0",
        "'description' is not a string; leaving it out",
        "at /paths/~1users/get/x_custom: not valid openapi 3.1.0, but nothing the SDK depends on: the unknown key",
        "at /paths/~1users/get: path parameter 'org' does not appear in the path '/users'; leaving it out",
    ):
        assert expected in err, err


def test_an_openapi_30_operation_without_responses_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {**openapi({"/ping": {"post": {"operationId": "ping"}}}), "openapi": "3.0.3"}
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    assert api.endpoints[0].response.kind == "empty"
    assert "at /paths/~1ping/post: not valid openapi 3.0.3, but nothing the SDK depends on: the operation has no" in (
        capsys.readouterr().err
    )


def test_every_problem_that_stops_generation_is_reported_at_once(tmp_path: Path) -> None:
    bad_variant = {"x-sdk-variants": [{"method": "x"}], "requestBody": {"content": {"application/json": {}}}}
    document = openapi(
        {
            "/a": {"post": {"operationId": "a", **bad_variant, **operation()}},
            "/b": {"post": {"operationId": "b", **bad_variant, **operation()}},
        },
        {  # an inline type named what no Python class can be called, twice: refused, not repaired
            "Bad": {"type": "object", "properties": {"y": {"type": "object", "x-sdk-name": "not a name"}}},
            "AlsoBad": {"type": "object", "properties": {"x": {"enum": ["a", "b"], "x-sdk-name": "9x"}}},
        },
    )
    specs = write(tmp_path / "specs", {"api.yaml": document}, [{"file": "api.yaml"}])
    out = tmp_path / "out"
    result = _sdkgen(specs, out)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 4, result.stderr
    assert "/components/schemas/Bad/properties/y/x-sdk-name" in errors[0]
    assert "/components/schemas/AlsoBad/properties/x/x-sdk-name" in errors[1]
    assert "/paths/~1a/post" in errors[2] and "/paths/~1b/post" in errors[3]
    assert all(":" in line.split(" at ")[0] for line in errors)  # file:line
    assert not out.exists()


@needs_shared("upstream", "openapi")
def test_humes_published_descriptions_generate_and_import(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copytree(UPSTREAM, specs / "upstream")  # not a symlink: sdkgen reads only inside the specs folder
    settings = {
        "package": "hume_published",
        "client": "HumeClient",
        "async_client": "AsyncHumeClient",
        "environments": {"production": {"base": "https://api.hume.ai"}},
        "sources": [
            {"file": "upstream/hume-ai-evi-openapi.yml", "module": "empathic_voice"},
            {"file": "upstream/hume-ai-expression-openapi.yml", "module": "expression_measurement"},
            {"file": "upstream/hume-ai-tts-openapi.yml", "module": "tts"},
            {"file": "upstream/hume-ai-voices-openapi.yml", "module": "tts"},  # shares VoiceProvider with TTS
        ],
    }
    (specs / "sdkgen.yaml").write_text(yaml.safe_dump(settings))
    api = build_ir(specs)
    shared = [t.source.file for t in api.types if t.py_name == "VoiceProvider" and t.module == ("tts",)]
    assert shared == ["upstream/hume-ai-tts-openapi.yml"]
    assert any(t.name == "batch:Status" and t.py_name == "BatchStatus" for t in api.types)
    src = generate(specs, tmp_path / "out")
    assert import_each_module("hume_published", src) > 300


def test_a_tag_named_like_a_module_of_the_sdk_gets_api_added(tmp_path: Path) -> None:
    document = openapi({"/pods": {"get": {"operationId": "list_pods", "tags": ["core"], **operation()}}})
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    assert [e.group for e in build_ir(tmp_path).endpoints] == [("core_api",)]


def test_every_broken_rule_of_the_checks_is_reported(tmp_path: Path) -> None:
    from generator.errors import SpecErrors

    clashing = {"name": "with_raw_response", "in": "query", "schema": {"type": "string"}}
    document = openapi(
        {
            "/a": {"get": {"operationId": "a", "parameters": [clashing], **operation()}},  # the client's own name
            "/b": {"get": {"operationId": "b", "x-sdk-method": "close", **operation()}},  # the root client's own
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    with pytest.raises(SpecErrors) as caught:
        build_ir(tmp_path)
    messages = {(e.location.pointer if e.location else "", e.message) for e in caught.value.errors}
    assert {pointer for pointer, _ in messages} == {"/paths/~1b/get", "/paths/~1a/get"}
    assert any("may not be called 'close'" in message for _, message in messages)
    assert any("may not be called 'with_raw_response'" in message for _, message in messages)


def test_a_path_whose_braces_enclose_no_name_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``{id!r}`` or ``{x`` in a path: nothing could be sent to the path it means, so its operations
    are left out with a located warning, and the rest of the API generates; nothing of it is evaluated."""
    document = openapi(
        {
            "/things/{id!r}": {"get": {"operationId": "getThing", **operation()}},
            "/a/{x": {"get": {"operationId": "a", **operation()}},
            "/b": {"get": {"operationId": "b", **operation()}},
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    assert [e.py_name for e in api.endpoints] == ["b"]
    err = capsys.readouterr().err
    assert "at /paths/~1things~1{id!r}: the path '/things/{id!r}' has a brace that does not enclose" in err
    assert "at /paths/~1a~1{x: the path '/a/{x' has a brace" in err and "its operations are left out" in err


def _two_sources(tmp_path: Path, other: dict[str, object]) -> Path:
    thing = {"type": "object", "properties": {"id": {"type": "string"}}}
    first = openapi({"/a": {"get": {"operationId": "a", **operation({"$ref": "#/components/schemas/Thing"})}}})
    second = openapi({"/b": {"get": {"operationId": "b", **operation({"$ref": "#/components/schemas/Thing"})}}})
    first["components"] = {"schemas": {"Thing": thing}}
    second["components"] = {"schemas": {"Thing": other}}
    return write(tmp_path, {"a.yaml": first, "b.yaml": second}, [{"file": "a.yaml"}, {"file": "b.yaml"}])


def test_identical_definitions_in_two_sources_are_one_type(tmp_path: Path) -> None:
    api = build_ir(_two_sources(tmp_path, {"type": "object", "properties": {"id": {"type": "string"}}}))
    things = [t for t in api.types if t.py_name == "Thing"]
    assert [t.source.file for t in things] == ["a.yaml"]
    assert {e.response.type for e in api.endpoints} == {ir.Named(things[0].id)}


def test_different_definitions_under_one_name_are_numbered_showing_both_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = build_ir(_two_sources(tmp_path, {"type": "object", "properties": {"id": {"type": "integer"}}}))
    assert sorted(t.py_name for t in api.types) == ["Thing", "Thing2"]
    err = capsys.readouterr().err
    assert (
        "b.yaml:18 at /components/schemas/Thing: the component 'Thing' would be the class Thing of the module "
        "the different definition at a.yaml:"
    ) in err and "it is numbered (x-sdk-name names it otherwise)" in err


def test_every_dangling_ref_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A schema's ``$ref`` to nothing in a loaded file is left out with a warning (tests/realworld/test_repairs.py);
    every ``$ref`` to a file that is not there is an error, all reported in one run."""
    from generator.errors import SpecErrors

    document = openapi(
        {
            "/a": {"get": {"operationId": "a", **operation({"$ref": "#/components/schemas/Missing"})}},
            "/b": {"get": {"operationId": "b", **operation({"$ref": "other.yaml#/Thing"})}},
            "/c": {"get": {"operationId": "c", **operation({"$ref": "third.yaml#/Thing"})}},
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    with pytest.raises(SpecErrors) as caught:
        build_ir(tmp_path)
    messages = [str(error) for error in caught.value.errors]
    assert len(messages) == 2
    assert "file 'other.yaml' does not exist" in messages[0] and "file 'third.yaml' does not exist" in messages[1]
    err = capsys.readouterr().err
    assert "/paths/~1a/get/responses/200/content/application~1json/schema" in err
    assert "$ref '#/components/schemas/Missing': api.yaml has nothing at" in err


def test_a_ref_in_an_example_value_is_data_not_a_reference(tmp_path: Path) -> None:
    """An Example Object's ``value`` is literal: a ``$ref`` in it (GitHub's descriptions have some, to
    files not published with them) is neither followed nor an error."""
    literal = {"stats": {"$ref": "server-statistics-actions.yaml"}}
    ok = operation({"type": "object", "properties": {"stats": {"type": "object"}}})
    ok["responses"]["200"]["content"]["application/json"]["examples"] = {
        "inline": {"value": literal},
        "shared": {"$ref": "#/components/examples/Stats"},
    }
    document = openapi({"/stats": {"get": {"operationId": "getStats", **ok}}})
    document["components"] = {"examples": {"Stats": {"summary": "stats", "value": [literal]}}}
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    assert [e.py_name for e in api.endpoints] == ["get_stats"]


def test_a_text_body_with_an_object_schema_is_taken_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``text/xml`` with an object schema (AWS's descriptions, for every operation): sdkgen writes no
    XML from a model, so the method takes the XML as text, sent as is; one warning for them all."""
    thing = {"type": "object", "properties": {"name": {"type": "string"}}}
    xml = {"content": {"text/xml": {"schema": {"$ref": "#/components/schemas/Thing"}}}, "required": True}
    document = openapi(
        {
            "/a": {"post": {"operationId": "a", "requestBody": xml, **operation()}},
            "/b": {"post": {"operationId": "b", "requestBody": xml, **operation()}},
        },
        {"Thing": thing},
    )
    write(tmp_path / "specs", {"api.yaml": document}, [{"file": "api.yaml"}], package="xml_bodies")
    api = build_ir(tmp_path / "specs")
    assert {e.py_name: e.body.type for e in api.endpoints if e.body} == {
        "a": ir.Primitive("string"),
        "b": ir.Primitive("string"),
    }
    err = capsys.readouterr().err
    assert err.count("warning") == 1
    assert "at /paths/~1a/post/requestBody/content/text~1xml: 2 request bodies are of a text media type" in err
    src = generate(tmp_path / "specs", tmp_path / "out")
    program = """
import httpx
from xml_bodies import DemoClient
sent = []
def answer(request):
    sent.append((request.headers["content-type"], request.content))
    return httpx.Response(200, json={})
client = DemoClient(api_key="k", httpx_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.a(request="<Thing><name>x</name></Thing>")
print(sent)
"""
    ran = subprocess.run([sys.executable, "-c", program], cwd=src, capture_output=True, text=True)
    assert ran.stdout.strip() == "[('text/xml', b'<Thing><name>x</name></Thing>')]", ran.stderr
