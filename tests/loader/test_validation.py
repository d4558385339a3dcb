"""Validation against the official schemas: errors point at the failing node."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from generator.errors import SpecError, SpecErrors
from generator.load import validation
from generator.load.documents import parse
from generator.load.validation import detect, validate

OPENAPI_30 = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A: {type: object, properties: {x: {type: string}}}
"""

OPENAPI_31 = OPENAPI_30.replace("3.0.3", "3.1.0")

ASYNCAPI_30 = """\
asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  evi: {host: api.example.com, protocol: wss, pathname: /v0}
channels:
  chat:
    address: /chat
    messages:
      hello: {payload: {type: object}}
operations:
  sendHello:
    action: send
    channel: {$ref: '#/channels/chat'}
"""

ASYNCAPI_31 = ASYNCAPI_30.replace("3.0.0", "3.1.0")

ASYNCAPI_2 = """\
asyncapi: {version}
info: {{title: t, version: '1'}}
servers:
  evi: {{url: 'wss://api.example.com/v0', protocol: wss}}
channels:
  /chat/{{room}}:
    parameters:
      room: {{schema: {{type: string}}}}
    publish:
      message:
        oneOf:
          - {{$ref: '#/components/messages/Hello'}}
    subscribe:
      message: {{payload: {{type: object}}}}
components:
  messages:
    Hello: {{payload: {{type: object}}}}
"""

ASYNCAPI_2X = [ASYNCAPI_2.format(version=f"2.{minor}.0") for minor in range(7)]


@pytest.fixture(params=["rust", "python"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run each test with the fast jsonschema-rs check (when installed) and without it."""
    if request.param == "python":
        monkeypatch.setattr(validation, "_fast_check", lambda name: None)
    elif validation._fast_check("openapi-3.0") is None:
        pytest.skip("jsonschema-rs is not installed")
    yield request.param


def check(text: str) -> None:
    document = parse("spec.yaml", text)
    validate(*detect(document), document)


def edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize("text", [OPENAPI_30, OPENAPI_31, ASYNCAPI_30, ASYNCAPI_31, *ASYNCAPI_2X])
def test_valid_documents_pass(text: str) -> None:
    check(text)


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize(
    ("text", "message", "pointer", "line"),
    [
        (
            edit(OPENAPI_30, "{name: q, in: query,", "{name: q,"),
            "'in' is a required property",
            "/paths/~1a/get/parameters/0",
            7,
        ),
        (
            edit(OPENAPI_31, "{name: q, in: query,", "{name: q,"),
            "invalid openapi 3.1.0: 'in' is a required property",
            "/paths/~1a/get/parameters/0",
            7,
        ),
        (
            edit(OPENAPI_30, "{x: {type: string}}", "{x: {type: string, nullable: maybe}}"),
            "'maybe' is not of type 'boolean'",
            "/components/schemas/A/properties/x/nullable",
            16,
        ),
        (edit(OPENAPI_31, "paths:", "pathz:"), "'pathz'", "/pathz", 3),
        (
            edit(ASYNCAPI_30, "action: send", "action: push"),
            "invalid asyncapi 3.0.0: 'push' is not one of ['send', 'receive']",
            "/operations/sendHello/action",
            12,
        ),
        (edit(ASYNCAPI_30, "info: {title: t, version: '1'}\n", ""), "'info' is a required property", "", 1),
        (
            edit(ASYNCAPI_31, "action: send", "action: push"),
            "invalid asyncapi 3.1.0: 'push' is not one of ['send', 'receive']",
            "/operations/sendHello/action",
            12,
        ),
        (
            edit(ASYNCAPI_2X[0], "    publish:\n", "    publsh:\n"),
            "invalid asyncapi 2.0.0: ",
            "/channels/~1chat~1{room}/publsh",
            9,
        ),
        (
            edit(ASYNCAPI_2X[6], "protocol: wss", "protocol: 7"),
            "invalid asyncapi 2.6.0: 7 is not of type 'string'",
            "/servers/evi/protocol",
            4,
        ),
    ],
)
def test_invalid_documents_point_at_the_problem(text: str, message: str, pointer: str, line: int) -> None:
    with pytest.raises(SpecError) as caught:
        check(text)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.pointer, caught.value.location.line) == (
        "spec.yaml",
        pointer,
        line,
    )


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize(
    ("text", "warning"),
    [
        (
            edit(OPENAPI_31, "    A: {", "    A:B: {"),
            "spec.yaml:16 at /components/schemas/A:B: not valid openapi 3.1.0, but nothing the SDK depends on: "
            "the component name 'A:B' is not of the form",
        ),
        (
            edit(OPENAPI_31, "    get:\n", "    get:\n      description: {$ref: x.md}\n"),
            "a documentation field of the wrong kind",
        ),
        (edit(OPENAPI_31, "    get:\n", "    get:\n      x_unknown: 1\n"), "the unknown key 'x_unknown' is ignored"),
        (
            edit(OPENAPI_30, "          description: ok\n", ""),
            "spec.yaml:9 at /paths/~1a/get/responses/200: not valid openapi 3.0.3, but nothing the SDK depends on: "
            "a required description is missing",
        ),
        (
            edit(OPENAPI_30, "paths:", "source: {url: x}\npaths:"),
            "at /source: not valid openapi 3.0.3, but nothing the SDK depends on: the unknown top-level key "
            "'source' is ignored",
        ),
        (
            edit(OPENAPI_30, "{x: {type: string}}", "{x: {type: string, pattern: 0}}"),
            "at /components/schemas/A/properties/x/pattern: not valid openapi 3.0.3, but nothing the SDK depends "
            "on: the schema keyword 'pattern' has a value of the wrong kind; the SDK does not use it",
        ),
        (
            edit(OPENAPI_30, "{x: {type: string}}", "{pattern: {type: string, maxLength: '10'}}"),
            "'maxLength' has a value of the wrong kind",  # a property called pattern is no keyword
        ),
    ],
)
def test_harmless_violations_are_warnings(text: str, warning: str, capsys: pytest.CaptureFixture[str]) -> None:
    check(text)
    assert warning in capsys.readouterr().err


@pytest.mark.usefixtures("engine")
def test_every_harmful_violation_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    text = edit(OPENAPI_31, "{name: q, in: query,", "{name: q,")
    text = edit(text, "{x: {type: string}}}\n", "{x: {type: string}}}\n    B: 3\n")
    with pytest.raises(SpecErrors) as caught:
        check(text)
    pointers = [error.location.pointer for error in caught.value.errors if error.location]
    assert pointers == ["/paths/~1a/get/parameters/0", "/components/schemas/B"]


def test_long_values_are_shortened_in_messages() -> None:
    text = edit(OPENAPI_30, "'200':\n          description: ok", "'200': [" + ", ".join(["1"] * 50) + "]")
    text = edit(
        text,
        "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\n",
        "",
    )
    with pytest.raises(SpecError) as caught:
        check(text)
    assert len(caught.value.message) < 200


@pytest.mark.parametrize(
    ("text", "message", "pointer"),
    [
        (
            "openapi: 3.2.0\ninfo: {}\n",
            "OpenAPI 3.2.0 is not supported: sdkgen reads OpenAPI 3.0.x and 3.1.x",
            "/openapi",
        ),
        ("openapi: 3.1\n", "must be a version string", "/openapi"),
        (
            "asyncapi: 1.2.0\n",
            "AsyncAPI 1.2.0 is not supported: sdkgen reads AsyncAPI 2.0.0 to 2.6.0, 3.0.0 and 3.1.0",
            "/asyncapi",
        ),
        ("asyncapi: 2.7.0\n", "AsyncAPI 2.7.0 is not supported: sdkgen reads", "/asyncapi"),
        ("asyncapi: 3.2.0\n", "AsyncAPI 3.2.0 is not supported: sdkgen reads", "/asyncapi"),
        ("swagger: '1.2'\n", "Swagger 1.2 is not read (Swagger 2.0 and OpenAPI 3 are)", "/swagger"),
        ("- a list\n", "not an OpenAPI or AsyncAPI document", ""),
    ],
)
def test_unknown_formats_and_versions(text: str, message: str, pointer: str) -> None:
    with pytest.raises(SpecError) as caught:
        check(text)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.pointer == pointer


def test_asyncapi_2_6_is_supported() -> None:
    text = textwrap.dedent("""\
        asyncapi: 2.6.0
        info: {title: t, version: '1'}
        channels:
          /chat:
            publish:
              message: {payload: {type: object}}
        """)
    check(text)
    with pytest.raises(SpecError, match="invalid asyncapi 2.6.0"):
        check(edit(text, "publish:", "publsh:"))


def test_validators_are_built_once() -> None:
    first: Any = validation._full_validator("openapi-3.1")
    assert validation._full_validator("openapi-3.1") is first


@pytest.mark.usefixtures("engine")
def test_a_property_called_description_is_no_documentation_field() -> None:
    text = edit(OPENAPI_30, "{x: {type: string}}", "{description: {type: string, nullable: maybe}}")
    with pytest.raises(SpecError) as caught:
        check(text)
    assert caught.value.location is not None
    assert caught.value.location.pointer == "/components/schemas/A/properties/description/nullable"
