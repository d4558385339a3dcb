"""What the generated SDK sends and how it reads what comes back, against a real loopback server.

Pagination, server-sent events and binary bodies streamed as they arrive, multipart
uploads, repeated query parameters, per-call options, JSON bodies, tolerant models and
raw responses.
"""

from __future__ import annotations

import email.parser
import email.policy
import importlib
import io
import json
import time
import typing
from pathlib import Path

import httpx
import pytest

from tests.rest.conftest import hume_api
from tests.rest.scripted_server import Reply, ScriptedServer, json_reply

API = hume_api()
hume = importlib.import_module(API.package)


def client(server: ScriptedServer) -> typing.Any:
    return hume.HumeClient(api_key="key", base_url=server.url)


def async_client(server: ScriptedServer) -> typing.Any:
    return hume.AsyncHumeClient(api_key="key", base_url=server.url)


def config(name: str) -> dict[str, typing.Any]:
    return {"id": f"id-{name}", "name": name, "version": 0}


def configs_page(names: list[str], number: int, total: int | None) -> Reply:
    page: dict[str, typing.Any] = {"page_number": number, "page_size": 2, "configs_page": [config(n) for n in names]}
    if total is not None:
        page["total_pages"] = total
    return json_reply(page)


def page_numbers(server: ScriptedServer) -> list[str | None]:
    return [dict(r.query).get("page_number") for r in server.requests]


# ---------------------------------------------------------------------------------------
# Pagination
# ---------------------------------------------------------------------------------------


def test_pager_iterates_every_item_and_stops_at_the_last_page(server: ScriptedServer) -> None:
    server.answer(configs_page(["a", "b"], 0, 2), configs_page(["c"], 1, 2))
    pager = client(server).empathic_voice.configs.list_configs(page_size=2)
    assert [c.name for c in pager.items] == ["a", "b"] and pager.has_next
    assert [c.name for c in pager] == ["a", "b", "c"]
    assert page_numbers(server) == [None, "1"]  # no third request: total_pages said 2
    assert all(dict(r.query)["page_size"] == "2" for r in server.requests)


def test_pager_pages(server: ScriptedServer) -> None:
    server.answer(configs_page(["a", "b"], 3, 5), configs_page(["c", "d"], 4, 5))
    pager = client(server).empathic_voice.configs.list_configs(page_number=3)
    pages = list(pager.iter_pages())
    assert [[c.name for c in page.items] for page in pages] == [["a", "b"], ["c", "d"]]
    assert pages[0].response.page_number == 3 and not pages[-1].has_next
    assert page_numbers(server) == ["3", "4"]


def test_pager_stops_at_an_empty_page(server: ScriptedServer) -> None:
    server.answer(configs_page(["a"], 0, 9), configs_page(["b"], 1, 9), configs_page([], 2, 9))
    assert [c.name for c in client(server).empathic_voice.configs.list_configs()] == ["a", "b"]
    assert page_numbers(server) == [None, "1", "2"]


def test_next_page(server: ScriptedServer) -> None:
    server.answer(configs_page(["a"], 0, 2), configs_page(["b"], 1, 2))
    first = client(server).empathic_voice.configs.list_configs()
    second = first.next_page()
    assert second is not None and [c.name for c in second.items] == ["b"]
    assert second.next_page() is None
    assert len(server.requests) == 2


async def test_async_pager(server: ScriptedServer) -> None:
    server.answer(configs_page(["a", "b"], 0, 2), configs_page(["c"], 1, 2))
    pager = await async_client(server).empathic_voice.configs.list_configs()
    assert [c.name async for c in pager] == ["a", "b", "c"]
    server.answer(configs_page(["a", "b"], 0, 2), configs_page(["c"], 1, 2))
    pager = await async_client(server).empathic_voice.configs.list_configs()
    assert [len(page.items) async for page in pager.iter_pages()] == [2, 1]
    assert len(server.requests) == 2


# ---------------------------------------------------------------------------------------
# Streaming
# ---------------------------------------------------------------------------------------

AUDIO_EVENT = {
    "type": "audio",
    "audio": "AAAA",
    "audio_format": "mp3",
    "chunk_index": 0,
    "generation_id": "g",
    "is_last_chunk": False,
    "request_id": "r",
    "snippet_id": "s",
    "text": "Hi",
    "transcribed_text": None,
    "utterance_index": 0,
}
TIMESTAMP_EVENT = {
    "type": "timestamp",
    "generation_id": "g",
    "request_id": "r",
    "snippet_id": "s",
    "timestamp": {"text": "Hi", "time": {"begin": 0, "end": 10}, "type": "word"},
}


def sse(*events: dict[str, typing.Any]) -> list[bytes]:
    return [b"data: " + json.dumps(event).encode() + b"\n\n" for event in events]


def test_server_sent_events_are_yielded_as_they_arrive(server: ScriptedServer) -> None:
    server.answer(
        Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(AUDIO_EVENT, TIMESTAMP_EVENT), pause=1.0)
    )
    started = time.monotonic()
    events = client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}])
    first = next(events)
    assert time.monotonic() - started < 0.8, "the first event waited for the whole stream"
    assert type(first).__name__ == "SnippetAudioChunk" and first.audio == "AAAA"
    second = next(events)
    assert type(second).__name__ == "TimestampMessage" and second.timestamp.time.end == 10
    assert list(events) == []
    assert json.loads(server.requests[0].body) == {"utterances": [{"text": "Hi"}]}


def test_server_sent_events_split_anywhere(server: ScriptedServer) -> None:
    raw = (
        b": comment\r\nevent: message\r\ndata: " + json.dumps(AUDIO_EVENT).encode() + b"\r\n\r\n"
        b"data: " + json.dumps(TIMESTAMP_EVENT).encode()  # the last event ends with the stream
    )
    chunks = [raw[i : i + 7] for i in range(0, len(raw), 7)]
    server.answer(Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=chunks))
    events = list(client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}]))
    assert [e.type for e in events] == ["audio", "timestamp"]


def test_json_lines_under_event_stream_are_read_too(server: ScriptedServer) -> None:
    lines = [json.dumps(AUDIO_EVENT).encode() + b"\n", json.dumps(TIMESTAMP_EVENT).encode() + b"\n"]
    server.answer(Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=lines))
    assert [e.type for e in client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}])] == [
        "audio",
        "timestamp",
    ]


async def test_async_server_sent_events_are_yielded_as_they_arrive(server: ScriptedServer) -> None:
    server.answer(
        Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(AUDIO_EVENT, TIMESTAMP_EVENT), pause=1.0)
    )
    started = time.monotonic()
    events = async_client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}])
    first = await events.__anext__()
    assert time.monotonic() - started < 0.8
    assert first.type == "audio"
    assert [e.type async for e in events] == ["timestamp"]


def test_binary_response_is_streamed(server: ScriptedServer) -> None:
    server.answer(
        Reply(200, headers={"Content-Type": "application/octet-stream"}, chunks=[b"ab", b"cd", b"ef"], pause=0.5)
    )
    started = time.monotonic()
    chunks = client(server).tts.synthesize_file_streaming(utterances=[{"text": "Hi"}])
    assert next(chunks) == b"ab"
    assert time.monotonic() - started < 0.4
    assert b"".join(chunks) == b"cdef"


async def test_async_binary_response(server: ScriptedServer) -> None:
    server.answer(Reply(200, headers={"Content-Type": "application/octet-stream"}, chunks=[b"ab", b"cd"]))
    chunks = [c async for c in async_client(server).tts.synthesize_file(utterances=[{"text": "Hi"}])]
    assert b"".join(chunks) == b"abcd"


def test_streaming_error_status_raises_before_the_first_chunk(server: ScriptedServer) -> None:
    errors = importlib.import_module(f"{API.package}.tts.errors")
    server.answer(json_reply({"detail": []}, 422))
    with pytest.raises(errors.UnprocessableEntityError) as caught:
        list(client(server).tts.synthesize_file_streaming(utterances=[{"text": "Hi"}]))
    assert caught.value.body.detail == []


def test_raw_streaming_response(server: ScriptedServer) -> None:
    server.answer(Reply(200, headers={"Content-Type": "application/octet-stream", "X-Id": "7"}, chunks=[b"ab", b"cd"]))
    with client(server).tts.with_raw_response.synthesize_file(utterances=[{"text": "Hi"}]) as response:
        assert response.status_code == 200 and response.headers["x-id"] == "7"
        assert b"".join(response.data) == b"abcd"


# ---------------------------------------------------------------------------------------
# Multipart uploads
# ---------------------------------------------------------------------------------------


def parts(body: bytes, content_type: str) -> list[typing.Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    return list(message.iter_parts())


def test_multipart_upload_of_a_path_with_json_parts(server: ScriptedServer, tmp_path: Path) -> None:
    audio = tmp_path / "speech.wav"
    audio.write_bytes(b"RIFF-audio")
    server.answer(Reply(200, headers={"Content-Type": "application/octet-stream"}, body=b"converted"))
    voice = {"name": "Ava Song", "provider": "HUME_AI"}
    result = client(server).tts.convert_voice_file(audio=audio, voice=voice, strip_headers=True)
    assert b"".join(result) == b"converted"
    request = server.requests[0]
    found = {
        p.get_param("name", header="content-disposition"): p
        for p in parts(request.body, request.headers["content-type"])
    }
    assert found["audio"].get_filename() == "speech.wav"
    assert found["audio"].get_content_type() == "audio/x-wav"
    assert found["audio"].get_payload(decode=True) == b"RIFF-audio"
    assert found["voice"].get_content_type() == "application/json"
    assert json.loads(found["voice"].get_payload(decode=True)) == voice
    assert found["strip_headers"].get_payload() == "true"


@pytest.mark.parametrize(
    "audio, filename, content_type",
    [
        (b"bytes", "audio", "application/octet-stream"),
        (io.BytesIO(b"bytes"), "audio", "application/octet-stream"),
        (("clip.mp3", b"bytes"), "clip.mp3", "audio/mpeg"),
        (("clip.bin", io.BytesIO(b"bytes"), "audio/ogg"), "clip.bin", "audio/ogg"),
    ],
    ids=["bytes", "file-object", "named", "named-typed"],
)
def test_multipart_file_forms(server: ScriptedServer, audio: typing.Any, filename: str, content_type: str) -> None:
    server.answer(Reply(200, headers={"Content-Type": "application/octet-stream"}, body=b""))
    list(client(server).tts.convert_voice_file(audio=audio))
    request = server.requests[0]
    (part,) = parts(request.body, request.headers["content-type"])
    assert (part.get_filename(), part.get_content_type(), part.get_payload(decode=True)) == (
        filename,
        content_type,
        b"bytes",
    )


def test_retried_upload_sends_the_whole_file_again(server: ScriptedServer, tmp_path: Path) -> None:
    path = tmp_path / "clip.ogg"
    path.write_bytes(b"from a path")
    for audio, content in ((io.BytesIO(b"a file object"), b"a file object"), (path, b"from a path")):
        server.answer(json_reply({}, 503), Reply(200, headers={"Content-Type": "application/octet-stream"}))
        list(client(server).tts.convert_voice_file(audio=audio))
        bodies = [parts(r.body, r.headers["content-type"])[0].get_payload(decode=True) for r in server.requests]
        assert bodies == [content, content]


def test_multipart_list_of_files(server: ScriptedServer) -> None:
    server.answer(json_reply({"job_id": "j"}))
    job = client(server).expression_measurement.batch.start_inference_job_from_local_file(
        file=[("a.txt", b"A"), ("b.txt", b"B")], json={"models": {"language": {}}}
    )
    assert job.job_id == "j"
    request = server.requests[0]
    found = [
        (p.get_param("name", header="content-disposition"), p.get_filename())
        for p in parts(request.body, request.headers["content-type"])
    ]
    assert ("file", "a.txt") in found and ("file", "b.txt") in found and ("json", None) in found


# ---------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------


def test_list_query_parameters_are_repeated(server: ScriptedServer) -> None:
    server.answer(json_reply([]))
    client(server).expression_measurement.batch.list_jobs(status=["QUEUED", "COMPLETED"], limit=5)
    assert server.requests[0].query == [("limit", "5"), ("status", "QUEUED"), ("status", "COMPLETED")]


def test_path_parameters_are_encoded(server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    client(server).empathic_voice.configs.get_config_version("a/b c?", 2)
    assert server.requests[0].path == "/v0/evi/configs/a%2Fb%20c%3F/version/2"


def test_json_body_leaves_out_what_is_not_given_sends_none_as_null_and_uses_wire_names(server: ScriptedServer) -> None:
    tts = importlib.import_module(f"{API.package}.tts")
    server.answer(json_reply({"generations": [], "request_id": "r"}))
    client(server).tts.synthesize_json(
        utterances=[tts.PostedUtterance(text="Hi", description=None)],
        format={"type": "mp3"},
        num_generations=None,
    )
    body = json.loads(server.requests[0].body)
    # Given ``None`` (an argument or a model field): ``null``; left out (``context``, ``speed``): absent.
    assert body == {
        "utterances": [{"text": "Hi", "description": None}],
        "format": {"type": "mp3"},
        "num_generations": None,
    }
    assert server.requests[0].headers["content-type"] == "application/json"


def test_request_options(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "x"}))
    client(server).empathic_voice.configs.create_config(
        evi_version="3",
        name="n",
        request_options={
            "additional_headers": {"X-Extra": "1"},
            "additional_query_parameters": {"trace": "yes"},
            "additional_body_parameters": {"extra": {"nested": True}},
        },
    )
    request = server.requests[0]
    assert request.headers["x-extra"] == "1"
    assert request.query == [("trace", "yes")]
    assert json.loads(request.body) == {"evi_version": "3", "name": "n", "extra": {"nested": True}}


def test_client_headers_and_user_agent(server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    hume.HumeClient(api_key="key", base_url=server.url, headers={"X-Team": "a"}).empathic_voice.configs.delete_config(
        "x"
    )
    headers = server.requests[0].headers
    assert headers["x-team"] == "a"
    assert headers["user-agent"].startswith(f"{API.package}-python/")


def test_text_and_empty_responses(server: ScriptedServer) -> None:
    server.answer(Reply(200, b"renamed", {"Content-Type": "text/plain"}))
    assert client(server).empathic_voice.configs.update_config_name("x", name="n") == "renamed"
    server.answer(Reply(204))
    assert client(server).empathic_voice.configs.delete_config("x") is None


def test_non_object_body(server: ScriptedServer) -> None:
    server.answer(Reply(200))
    client(server).empathic_voice.control_plane.send("chat", request={"type": "pause_assistant_message"})
    assert json.loads(server.requests[0].body) == {"type": "pause_assistant_message"}


# ---------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------


def test_unknown_fields_are_kept_and_unknown_enum_values_accepted(server: ScriptedServer) -> None:
    server.answer(
        json_reply(
            {
                "id": "x",
                "voice": {"id": "v", "name": "n", "provider": "SOMEONE_NEW"},
                "brand_new_field": {"a": 1},
            }
        )
    )
    result = client(server).empathic_voice.configs.get_config_version("x", 1)
    assert result.model_extra == {"brand_new_field": {"a": 1}}
    assert result.voice.provider == "SOMEONE_NEW"


def test_raw_response(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "x"}, headers={"X-Request-Id": "42"}))
    response = client(server).empathic_voice.configs.with_raw_response.get_config_version("x", 1)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "42"
    assert response.data.id == "x"


async def test_async_raw_response(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "x"}, headers={"X-Request-Id": "42"}))
    response = await async_client(server).empathic_voice.configs.with_raw_response.get_config_version("x", 1)
    assert response.status_code == 200 and response.data.id == "x"


# ---------------------------------------------------------------------------------------
# Client set-up
# ---------------------------------------------------------------------------------------


def test_sub_clients_are_created_once() -> None:
    c = hume.HumeClient(api_key="key")
    assert c.empathic_voice is c.empathic_voice
    assert c.empathic_voice.configs is c.empathic_voice.configs
    assert type(c.tts.voices).__name__ == "VoicesClient"


def test_environment_and_base_url() -> None:
    environment_module = importlib.import_module(f"{API.package}.environment")
    environment_class = getattr(environment_module, API.environment_class)
    c = hume.HumeClient(api_key="key", base_url="http://localhost:8000")
    assert c._client_wrapper.environment == environment_class.from_base_url("http://localhost:8000")
    with pytest.raises(ValueError):
        hume.HumeClient(api_key="key", base_url="http://x", environment=c._client_wrapper.environment)


def test_malformed_event_raises_malformed_response_error(server: ScriptedServer) -> None:
    core = importlib.import_module(f"{API.package}.core")
    server.answer(
        Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(AUDIO_EVENT) + [b"data: {oops\n\n"])
    )
    events = client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}])
    assert next(events).type == "audio"
    with pytest.raises(core.MalformedResponseError) as caught:
        next(events)
    assert caught.value.body == "{oops"


def test_clients_close_what_they_opened(server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    with hume.HumeClient(api_key="key", base_url=server.url) as c:
        c.empathic_voice.configs.delete_config("x")
        made = c._client_wrapper.httpx_client
    assert made.is_closed
    given = httpx.Client()
    with hume.HumeClient(api_key="key", base_url=server.url, httpx_client=given) as c:
        c.empathic_voice.configs.delete_config("x")
    assert not given.is_closed


async def test_async_client_closes_what_it_opened(server: ScriptedServer) -> None:
    server.answer(json_reply({}))
    async with hume.AsyncHumeClient(api_key="key", base_url=server.url) as c:
        await c.empathic_voice.configs.delete_config("x")
        made = c._client_wrapper.httpx_client
    assert made.is_closed
