"""AsyncAPI documents nobody tuned for: the point of view decided from evidence and stated, WebSocket
protocols and bindings by any of their names, a content type the payload schema contradicts."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.normalise.asyncapi import websocket_binding, websocket_scheme
from generator.pipeline import build_ir
from tests.conftest import SHARED
from tests.normalise.test_asyncapi_versions import build_with, v2, v3


def _summarised(document: dict[str, Any]) -> dict[str, Any]:
    """``v3`` with neutral message names and operation summaries that say who sends what."""
    for key, name in (("Hello", "Greeting"), ("Bye", "Farewell"), ("Heard", "Tally")):
        document["components"]["messages"][key]["name"] = name
    document["operations"]["talk"]["summary"] = "Messages sent to the server."
    document["operations"]["listen"]["summary"] = "Pushed by the server after each greeting."
    return document


@pytest.mark.parametrize("written_as", ["client", "server"])
def test_the_point_of_view_follows_the_evidence_and_is_stated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written_as: str
) -> None:
    api = build_with(tmp_path, _summarised(v3(written_as)))
    channel = api.channels[0]
    assert [m.name for m in channel.publish] == ["Greeting", "Farewell"]  # what the client sends, either way
    assert [m.name for m in channel.subscribe] == ["Tally"]
    err = capsys.readouterr().err
    assert (
        f"api.yaml:1 at /asyncapi: point of view: the document is read as written from the {written_as}'s side" in err
    )
    other = "server" if written_as == "client" else "client"
    assert f"set 'describes: {other}'" in err and err.count("point of view") == 1


def test_weak_or_split_evidence_is_one_warning_naming_the_setting_and_the_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = v3("client")
    for key, name in (("Hello", "Greeting"), ("Bye", "Farewell"), ("Heard", "Tally")):
        document["components"]["messages"][key]["name"] = name
    api = build_with(tmp_path / "weak", document)
    err = capsys.readouterr().err
    assert err.count("point of view") == 1
    assert "the evidence of which side the document is written from is weak" in err
    assert "read as written from the server's side" in err and "'describes: client' or 'describes: server'" in err
    assert [m.name for m in api.channels[0].publish] == ["Tally"]  # the default, stated
    document["components"]["messages"]["Hello"]["name"] = "ServerHello"  # sent by the client: contradicts the rest
    document["operations"]["talk"]["summary"] = "Client messages."
    build_with(tmp_path / "split", document)
    err = capsys.readouterr().err
    assert "is split (for the client: Farewell; for the server: ServerHello)" in err


def test_a_declared_point_of_view_is_kept_and_a_contradiction_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = build_with(tmp_path / "agrees", _summarised(v3("client")), "client")
    assert "point of view" not in capsys.readouterr().err and api.channels[0].publish[0].name == "Greeting"
    api = build_with(tmp_path / "contradicts", _summarised(v3("client")), "server")
    assert api.channels[0].publish[0].name == "Tally"  # the setting wins...
    err = capsys.readouterr().err  # ...with a warning
    assert "the document is read as the server describes it, but its messages say the opposite" in err
    assert "set 'describes: client'" in err


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="no shared/corpus beside the repository")
def test_the_evidence_finds_the_side_of_every_corpus_document(tmp_path: Path) -> None:
    """Every AsyncAPI document of the corpus, with its ``describes`` left out: the side read from the
    evidence is the one tests/corpus/asyncapi.yaml lists, or the warning says the evidence is weak."""
    from tests.corpus.test_asyncapi_corpus import ENTRIES, specs_for

    for name, entry in ENTRIES.items():
        if "refused" in entry or not entry.get("channels"):
            continue
        specs = specs_for(name, entry, tmp_path)
        settings = yaml.safe_load((specs / "sdkgen.yaml").read_text(encoding="utf-8"))
        del settings["sources"][0]["describes"]
        (specs / "sdkgen.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            build_ir(specs)
        stated = [line for line in err.getvalue().splitlines() if "point of view:" in line]
        assert len(stated) == 1, name
        assert f"written from the {entry['describes']}'s side" in stated[0] or "is weak" in stated[0], name


def test_websocket_protocols_by_any_name() -> None:
    assert [websocket_scheme(p) for p in ("ws", "WSS", "WebSocket", "websockets", "Web-Socket", "mqtt")] == [
        "ws",
        "wss",
        "wss",
        "wss",
        "wss",
        None,
    ]
    assert websocket_scheme("WebSocket", "ws://localhost:8080") == "ws"
    assert websocket_binding({"WSS": {}}) == "WSS" and websocket_binding({"http": {}}) is None


def test_a_websocket_alias_protocol_and_a_wss_binding_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = v2("server")
    document["servers"]["ws"]["protocol"] = "WebSocket"
    channel = document["channels"]["/rooms/{room}"]
    channel["bindings"] = {"wss": channel["bindings"]["ws"]}
    api = build_with(tmp_path / "2", document)
    assert [p.name for p in api.channels[0].query_params] == ["mode"]  # the API key travels apart
    assert [h.name for h in api.channels[0].header_params] == ["X-Trace"]
    document = v3("server")
    document["servers"]["ws"]["protocol"] = "websockets"
    assert len(build_with(tmp_path / "3", document).channels) == 1
    document["servers"]["ws"]["protocol"] = "mqtt"
    assert build_with(tmp_path / "mqtt", document).channels == ()
    assert "channel 'rooms' is not a WebSocket channel (protocol mqtt)" in capsys.readouterr().err


def test_zero_config_reads_websocket_aliases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.pipeline import Project, resolve

    document = v3("server")
    document["servers"]["ws"]["protocol"] = "WebSocket"
    document["servers"]["broker"] = {"host": "mq.example.com", "protocol": "mqtt"}
    (tmp_path / "chat.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    settings, _ = resolve(Project.from_files([tmp_path / "chat.yaml"]))
    assert dict(settings.environments[0][1]) == {"ws": "wss://chat.example.com"}
    err = capsys.readouterr().err
    assert "chat.yaml:" in err and "at /servers/broker: server 'broker' is on protocol 'mqtt', not WebSocket" in err


def test_a_content_type_the_schema_contradicts_is_warned_and_the_schema_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = v3("client")
    document["components"]["messages"]["Hello"]["contentType"] = "application/text"
    document["components"]["messages"]["Bye"]["contentType"] = "application/octet-stream"
    hello, bye = build_with(tmp_path, document, "client").channels[0].publish
    assert (hello.encoding, bye.encoding) == ("json", "json")
    assert hello.type != bye.type and "bytes" not in str(hello.type).lower()
    err = capsys.readouterr().err
    assert "at /components/messages/Hello/contentType: message 'Hello' declares content type 'application/text'" in err
    assert "the schema wins" in err


def test_an_openapi_response_whose_generic_content_type_the_schema_contradicts_is_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.normalise.helpers import openapi, write

    def answering(content_type: str, schema: dict[str, Any]) -> dict[str, Any]:
        content = {content_type: {"schema": schema}}
        return {
            "get": {
                "operationId": content_type.replace("/", "_").replace("*", "any"),
                "responses": {"200": {"description": "ok", "content": content}},
            }
        }

    thing = {"type": "object", "properties": {"id": {"type": "string"}}}
    document = openapi(
        {
            "/a": answering("text/plain", thing),
            "/b": answering("*/*", {"type": "array", "items": thing}),
            "/c": answering("application/octet-stream", {"type": "string", "format": "binary"}),
            "/d": answering("text/csv", thing),
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    kinds = {e.operation_id: e.response.kind for e in build_ir(tmp_path).endpoints}
    assert kinds == {"text_plain": "json", "any_any": "json", "application_octet-stream": "binary", "text_csv": "text"}
    err = capsys.readouterr().err
    assert (
        "at /paths/~1a/get/responses/200/content/text~1plain: the response's content type 'text/plain' says text" in err
    )
    assert err.count("the schema wins") == 2
