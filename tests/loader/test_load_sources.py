"""load_sources end to end on small specs folders: order, overlays, shared registry, ref checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.pipeline import resolve

SETTINGS = """\
package: demo
client: Client
async_client: AsyncClient
environments:
  production: {base: 'https://api.example.com', ws: 'wss://api.example.com'}
sources:
  - file: openapi/rest.yaml
    overlays: [overlays/rest.yaml]
    module: rest
    environment: base
  - file: asyncapi/ws.yaml
    overlays: [overlays/ws.yaml]
    module: ws
"""

REST = """\
openapi: 3.1.0
info: {title: Rest, version: '1'}
paths:
  /items:
    get:
      operationId: list-items
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      properties:
        child: {$ref: '#/components/schemas/Item'}
        shared: {$ref: '../common/shared.json#/Shared'}
"""

WS = """\
asyncapi: 3.0.0
info: {title: Ws, version: '1'}
channels:
  chat:
    address: /chat
    messages:
      item:
        payload: {$ref: '../openapi/rest.yaml#/components/schemas/Item'}
        examples:
          - payload: {$ref: 'literal example, not a reference'}
"""

SHARED = '{\n  "Shared": {"type": "string"}\n}\n'

OVERLAY = """\
overlay: 1.0.0
info: {title: o, version: '1'}
actions:
"""


def write_specs(root: Path, **overrides: str) -> Path:
    files = {
        "sdkgen.yaml": SETTINGS,
        "openapi/rest.yaml": REST,
        "asyncapi/ws.yaml": WS,
        "common/shared.json": SHARED,
        "overlays/rest.yaml": OVERLAY + "  - target: $.paths['/items'].get\n    update: {x-sdk-method: list}\n",
        "overlays/ws.yaml": OVERLAY + "  - target: $.channels.chat\n    update: {x-sdk-group: [ws, chat]}\n",
    }
    files.update({name.replace("__", "/").replace("_dot_", "."): text for name, text in overrides.items()})
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def load(root: Path):  # type: ignore[no-untyped-def]
    return resolve(root)[1]


def test_sources_in_settings_order_with_overlays_and_one_registry(tmp_path: Path) -> None:
    rest, ws = load(write_specs(tmp_path))
    assert (rest.kind, rest.version, rest.document.file, rest.settings.module) == (
        "openapi",
        "3.1.0",
        "openapi/rest.yaml",
        ("rest",),
    )
    assert (ws.kind, ws.version, ws.document.file) == ("asyncapi", "3.0.0", "asyncapi/ws.yaml")
    assert rest.registry is ws.registry
    assert rest.document.data["paths"]["/items"]["get"]["x-sdk-method"] == "list"
    assert ws.document.data["channels"]["chat"]["x-sdk-group"] == ["ws", "chat"]
    files = [document.file for document in rest.registry.documents()]
    assert files == ["openapi/rest.yaml", "asyncapi/ws.yaml", "common/shared.json"]
    # A ref from the AsyncAPI file lands in the (overlaid) OpenAPI document object itself.
    payload = ws.document.data["channels"]["chat"]["messages"]["item"]["payload"]["$ref"]
    target, pointer, node = ws.registry.resolve(payload, ws.document)
    assert target is rest.document
    assert pointer == "/components/schemas/Item"
    assert node["properties"]["child"] == {"$ref": "#/components/schemas/Item"}


def test_overlays_apply_to_a_source_first_loaded_through_a_ref(tmp_path: Path) -> None:
    settings = SETTINGS.replace("sources:\n", "sources:\n  - file: asyncapi/ws.yaml\n    module: ws\n").replace(
        "  - file: asyncapi/ws.yaml\n    overlays: [overlays/ws.yaml]\n    module: ws\n", ""
    )
    root = write_specs(tmp_path, sdkgen_dot_yaml=settings)
    ws, rest = load(root)
    assert ws.document.file == "asyncapi/ws.yaml"
    assert rest.document.data["paths"]["/items"]["get"]["x-sdk-method"] == "list"


def test_validation_sees_the_document_after_overlays(tmp_path: Path) -> None:
    overlay = (
        OVERLAY + "  - target: $.paths['/items'].get.responses\n    update: {'404': {description: x, content: 3}}\n"
    )
    with pytest.raises(SpecError) as caught:
        load(write_specs(tmp_path, overlays__rest_dot_yaml=overlay))
    assert "3 is not of type 'object'" in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.file == "openapi/rest.yaml"
    assert caught.value.location.pointer == "/paths/~1items/get/responses/404/content"
    assert caught.value.location.line == 7  # the added node's nearest ancestor in the file: responses


def test_an_overlay_can_repair_a_document(tmp_path: Path) -> None:
    broken = REST.replace("          description: ok\n", "")
    overlay = OVERLAY + "  - target: $.paths['/items'].get.responses['200']\n    update: {description: fixed}\n"
    rest, _ = load(write_specs(tmp_path, openapi__rest_dot_yaml=broken, overlays__rest_dot_yaml=overlay))
    assert rest.document.data["paths"]["/items"]["get"]["responses"]["200"]["description"] == "fixed"


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "where"),
    [
        (
            "openapi/rest.yaml",
            "'#/components/schemas/Item'}\n        shared",
            "'#/components/schemas/Nope'}\n        shared",
            "$ref '#/components/schemas/Nope': openapi/rest.yaml has nothing at /components/schemas/Nope",
            ("openapi/rest.yaml", "/components/schemas/Item/properties/child", 18),
        ),
        (
            "common/shared.json",
            '"Shared"',
            '"Other"',
            "common/shared.json has nothing at /Shared",
            ("openapi/rest.yaml", "/components/schemas/Item/properties/shared", 19),
        ),
        (
            "asyncapi/ws.yaml",
            "../openapi/rest.yaml",
            "../openapi/gone.yaml",
            "file 'openapi/gone.yaml' does not exist",
            ("asyncapi/ws.yaml", "/channels/chat/messages/item/payload", 8),
        ),
    ],
)
def test_every_ref_is_checked(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    message: str,
    where: tuple[str, str, int],
) -> None:
    """A ``$ref`` in a schema that names nothing in a loaded file is left out with a located warning
    (the value is typed as any value); one to a file that is not there is an error."""
    text = {"openapi/rest.yaml": REST, "asyncapi/ws.yaml": WS, "common/shared.json": SHARED}[file]
    assert old in text
    root = write_specs(tmp_path)
    (root / file).write_text(text.replace(old, new))
    if "has nothing at" in message:
        load(root)
        file_name, pointer, line = where
        err = capsys.readouterr().err
        assert f"{file_name}:{line} at {pointer}: $ref " in err and f"{message}; left out" in err
        return
    with pytest.raises(SpecError) as caught:
        load(root)
    assert message in caught.value.message
    location = caught.value.location
    assert location is not None
    assert (location.file, location.pointer, location.line) == where


def test_same_file_listed_twice_with_other_overlays(tmp_path: Path) -> None:
    settings = SETTINGS + "  - file: openapi/rest.yaml\n    module: again\n"
    with pytest.raises(SpecError, match="listed twice with different overlays") as caught:
        load(write_specs(tmp_path, sdkgen_dot_yaml=settings))
    assert caught.value.location is not None
    assert caught.value.location.pointer == "/sources/2/overlays"


def test_loading_is_deterministic(tmp_path: Path) -> None:
    root = write_specs(tmp_path)
    first = [(s.document.file, s.document.data) for s in load(root)]
    second = [(s.document.file, s.document.data) for s in load(root)]
    assert first == second
    assert [list(data["info"]) for _, data in first] == [["title", "version"], ["title", "version"]]
