"""Responses that drift from the API description, against a real loopback server.

A body or event that omits a required field, has ``null`` where the description says a value,
or carries a value of another type still parses: the field reads ``None`` or the value as sent,
and a DEBUG log names each deviation. Only a body that is not JSON, or JSON of another shape
altogether, raises ``MalformedResponseError``, whose message says what failed where.
"""

from __future__ import annotations

import importlib
import json
import logging
import typing

import pydantic
import pytest

from tests.rest.conftest import hume_api
from tests.rest.scripted_server import Reply, ScriptedServer, json_reply
from tests.rest.test_behaviour import AUDIO_EVENT

API = hume_api()
hume = importlib.import_module(API.package)
core = importlib.import_module(f"{API.package}.core")
LOGGER = API.package


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    return caplog


def deviations(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The DEBUG lines about deviations, from ``field ...`` on."""
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.DEBUG]
    return [line.split(": ", 1)[1] for line in lines if "does not match the API description" in line]


def client(server: ScriptedServer) -> typing.Any:
    return hume.HumeClient(api_key="key", base_url=server.url)


def async_client(server: ScriptedServer) -> typing.Any:
    return hume.AsyncHumeClient(api_key="key", base_url=server.url)


SNIPPET = {"audio": "AAAA", "generation_id": "g", "id": "s", "text": "Hi", "timestamps": []}
"""A snippet without ``transcribed_text`` and ``utterance_index`` (required, nullable): as Hume's own example."""


def tts_body(**generation: typing.Any) -> dict[str, typing.Any]:
    full = {
        "audio": "AAAA",
        "duration": 1.5,
        "encoding": {"format": "mp3", "sample_rate": 48000},
        "file_size": 3,
        "generation_id": "g",
        "snippets": [[SNIPPET]],
    }
    return {"generations": [{**full, **generation}]}


# ---------------------------------------------------------------------------------------
# REST bodies
# ---------------------------------------------------------------------------------------


def test_required_nullable_fields_the_server_omits_read_none(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    server.answer(json_reply(tts_body()))
    result = client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    snippet = result.generations[0].snippets[0][0]
    assert (snippet.text, snippet.transcribed_text, snippet.utterance_index) == ("Hi", None, None)
    assert result.request_id is None
    assert sorted(deviations(debug_log)) == [
        "field 'request_id' of ReturnTts at request_id: missing; reads None",
        "field 'transcribed_text' of Snippet at generations[0].snippets[0][0].transcribed_text: missing; reads None",
        "field 'utterance_index' of Snippet at generations[0].snippets[0][0].utterance_index: missing; reads None",
    ]
    (record,) = [r for r in debug_log.records if "request_id" in r.getMessage()]
    assert f"response to POST {server.url}/v0/tts" in record.getMessage()


async def test_async_null_where_a_value_is_required_reads_none(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    server.answer(json_reply({**tts_body(generation_id=None, encoding=None), "request_id": "r"}))
    result = await async_client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    generation = result.generations[0]
    assert generation.generation_id is None and generation.encoding is None and generation.duration == 1.5
    found = deviations(debug_log)
    assert (
        "field 'generation_id' of ReturnGeneration at generations[0].generation_id: null where a value is required; reads None"
        in found
    )
    assert (
        "field 'encoding' of ReturnGeneration at generations[0].encoding: null where a value is required; reads None"
        in found
    )


def test_a_value_of_another_type_is_kept_as_sent(server: ScriptedServer, debug_log: pytest.LogCaptureFixture) -> None:
    odd = tts_body(duration="long", file_size={"bytes": 3}, snippets=[[{**SNIPPET, "timestamps": "none"}]])
    server.answer(json_reply({**odd, "request_id": 42}))
    result = client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    generation = result.generations[0]
    assert generation.duration == "long" and generation.file_size == {"bytes": 3}
    assert generation.snippets[0][0].timestamps == "none"
    assert generation.encoding.sample_rate == 48000  # the fields around them are validated as usual
    assert result.request_id == 42
    found = " | ".join(deviations(debug_log))
    assert "field 'duration' of ReturnGeneration at generations[0].duration: Input should be a valid number" in found
    assert "got a string 'long'; kept as sent" in found
    assert "field 'file_size' of ReturnGeneration" in found and "{'bytes': 3}" in found
    assert "field 'timestamps' of Snippet at generations[0].snippets[0][0].timestamps" in found
    assert "field 'request_id' of ReturnTts at request_id" in found


def test_lists_and_tagged_unions_are_repaired_item_by_item(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    jobs = [
        {
            "job_id": "j1",
            "request": {"files": []},
            "state": {"status": "COMPLETED", "created_timestamp_ms": 1, "started_timestamp_ms": "soon",
                      "ended_timestamp_ms": None, "num_predictions": 3},
            "type": "INFERENCE",
        },
        {"job_id": "j2", "request": {"urls": "https://one"}, "state": {"status": "QUEUED", "created_timestamp_ms": 5},
         "type": "INFERENCE"},
        {"job_id": "j3", "state": {"status": "PAUSED_FOR_LUNCH"}, "type": 7},
    ]  # fmt: skip
    server.answer(json_reply(jobs))
    first, second, third = client(server).expression_measurement.batch.list_jobs()
    completed = importlib.import_module(f"{API.package}.expression_measurement.batch.types.completed_state")
    queued = importlib.import_module(f"{API.package}.expression_measurement.batch.types.queued_state")
    assert type(first.state) is completed.CompletedState  # picked by its tag despite three deviations
    assert first.state.started_timestamp_ms == "soon" and first.state.ended_timestamp_ms is None
    assert first.state.num_errors is None and first.state.num_predictions == 3 and first.request.files == []
    assert type(second.state) is queued.QueuedState and second.state.created_timestamp_ms == 5
    assert second.request.urls == "https://one" and second.request.files is None
    assert third.request is None and third.type == 7
    assert third.state == {"status": "PAUSED_FOR_LUNCH"}  # an unknown tag: kept as sent
    paths = sorted(line.split(" at ", 1)[1].split(":", 1)[0] for line in deviations(debug_log))
    assert paths == [
        "[0].state.ended_timestamp_ms",
        "[0].state.num_errors",
        "[0].state.started_timestamp_ms",
        "[1].request.files",
        "[1].request.urls",
        "[2].request",
        "[2].state",
        "[2].type",
    ]
    assert any(
        "'num_errors' of CompletedState at [0].state.num_errors: missing" in line for line in deviations(debug_log)
    )


def test_a_body_that_matches_takes_the_strict_path_and_logs_nothing(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    snippet = {**SNIPPET, "transcribed_text": None, "utterance_index": 0}
    server.answer(json_reply({**tts_body(snippets=[[snippet]]), "request_id": "r"}))
    result = client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    assert result.request_id == "r" and result.generations[0].snippets[0][0].utterance_index == 0
    assert deviations(debug_log) == []


def test_models_users_build_are_still_validated_strictly() -> None:
    types = importlib.import_module(f"{API.package}.tts.types.snippet")
    with pytest.raises(pydantic.ValidationError):
        types.Snippet(**SNIPPET)  # transcribed_text and utterance_index are required
    with pytest.raises(pydantic.ValidationError):
        types.Snippet(**{**SNIPPET, "transcribed_text": None, "utterance_index": "zero"})


# ---------------------------------------------------------------------------------------
# Server-sent events
# ---------------------------------------------------------------------------------------


def sse(*events: typing.Any) -> list[bytes]:
    return [b"data: " + (e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n\n" for e in events]


def test_events_with_deviating_fields_keep_the_stream_going(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    drifted = {**AUDIO_EVENT, "chunk_index": "first", "request_id": None}
    del drifted["is_last_chunk"]
    timestamp = {"type": "timestamp", "generation_id": "g", "request_id": "r", "snippet_id": "s",
                 "timestamp": {"text": "Hi", "time": {"begin": 0, "end": "later"}, "type": "word"}}  # fmt: skip
    server.answer(
        Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(drifted, timestamp, AUDIO_EVENT))
    )
    events = list(client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}]))
    assert [type(e).__name__ for e in events] == ["SnippetAudioChunk", "TimestampMessage", "SnippetAudioChunk"]
    first, second, _ = events
    assert first.chunk_index == "first" and first.request_id is None and first.is_last_chunk is None
    assert first.audio == "AAAA"
    assert second.timestamp.time.begin == 0 and second.timestamp.time.end == "later"
    found = deviations(debug_log)
    assert len(found) == 4
    assert "field 'is_last_chunk' of SnippetAudioChunk at is_last_chunk: missing; reads None" in found
    assert any(line.startswith("field 'end' of ") and " at timestamp.time.end: " in line for line in found)
    assert any(
        f"event of response to POST {server.url}/v0/tts/stream/json" in r.getMessage() for r in debug_log.records
    )


async def test_async_events_with_deviating_fields(server: ScriptedServer, debug_log: pytest.LogCaptureFixture) -> None:
    drifted = {key: value for key, value in AUDIO_EVENT.items() if key != "generation_id"}
    server.answer(Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(drifted, AUDIO_EVENT)))
    stream = async_client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}])
    events = [event async for event in stream]
    assert [e.generation_id for e in events] == [None, "g"]
    assert deviations(debug_log) == ["field 'generation_id' of SnippetAudioChunk at generation_id: missing; reads None"]


def test_an_event_of_a_kind_the_sdk_does_not_know_is_skipped(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    newer = json.dumps({**AUDIO_EVENT, "type": "brand_new"}).encode()
    server.answer(
        Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(AUDIO_EVENT, newer, AUDIO_EVENT))
    )
    caplog.set_level(logging.WARNING)
    events = list(client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}]))
    assert [event.type for event in events] == ["audio", "audio"]
    (record,) = [r for r in caplog.records if "of no kind this SDK knows" in r.getMessage()]
    assert "brand_new" in record.getMessage() and f"POST {server.url}/v0/tts/stream/json" in record.getMessage()


@pytest.mark.parametrize("event", [b"{oops", b"[1, 2]"], ids=["not-json", "list"])
def test_an_event_that_is_no_member_of_the_declared_type_raises(server: ScriptedServer, event: bytes) -> None:
    server.answer(Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=sse(AUDIO_EVENT, event)))
    events = client(server).tts.synthesize_json_streaming(utterances=[{"text": "Hi"}])
    assert next(events).type == "audio"
    with pytest.raises(core.MalformedResponseError) as caught:
        next(events)
    assert caught.value.body == event.decode()
    assert f"of POST {server.url}/v0/tts/stream/json" in str(caught.value)
    assert "SnippetAudioChunk | TimestampMessage" in str(caught.value)


# ---------------------------------------------------------------------------------------
# What still raises, and what it says
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, path, expected, received",
    [
        (b"{not json", "(root)", "Invalid JSON", "'{not json'"),
        (b'{"generations": [', "(root)", "Invalid JSON: EOF while parsing", "'{\"generations\": ['"),
        (b"", "(root)", "Input should be an object", "None"),
        (b'["a", "list"]', "(root)", "Input should be an object", "['a', 'list']"),
        (b'"' + b"x" * 500 + b'"', "(root)", "Input should be an object", "'" + "x" * 76 + "..."),
    ],
    ids=["garbage", "cut", "empty", "list", "long-string"],
)
def test_a_body_not_of_the_declared_shape_raises_saying_what_failed_where(
    server: ScriptedServer, body: bytes, path: str, expected: str, received: str
) -> None:
    server.answer(Reply(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(core.MalformedResponseError) as caught:
        client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    error = caught.value
    assert isinstance(error, core.ApiError) and error.status_code == 200 and error.body == body.decode()
    assert (error.method, error.url, error.expected) == ("POST", f"{server.url}/v0/tts", "ReturnTts")
    ((found_path, message, value),) = error.problems
    assert found_path == path and message.startswith(expected)
    lines = str(error).splitlines()
    assert lines[0] == f"status_code: 200, malformed response body of POST {server.url}/v0/tts (expected ReturnTts):"
    assert lines[1].startswith(f"- {path}: {expected}") and lines[1].endswith(f"; received {received}")
    assert len(lines[1]) < 250 and lines[-1].startswith("body: ")


def test_a_list_declared_and_an_object_received_raises(server: ScriptedServer) -> None:
    server.answer(json_reply({"jobs": []}))
    with pytest.raises(core.MalformedResponseError) as caught:
        client(server).expression_measurement.batch.list_jobs()
    assert caught.value.expected == "list[InferenceJob]"
    assert "- (root): Input should be a valid array; received {'jobs': []}" in str(caught.value)


def test_the_message_leaves_the_query_string_out(server: ScriptedServer) -> None:
    server.answer(Reply(200, b"nonsense", {"Content-Type": "application/json"}))
    with pytest.raises(core.MalformedResponseError) as caught:
        client(server).expression_measurement.batch.list_jobs(limit=5)
    assert caught.value.url == f"{server.url}/v0/batch/jobs" and "limit" not in str(caught.value)


def test_an_object_with_none_of_the_declared_fields_raises(server: ScriptedServer) -> None:
    server.answer(json_reply({"message": "upstream timed out"}))
    with pytest.raises(core.MalformedResponseError) as caught:
        client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    assert [(path, message) for path, message, _ in caught.value.problems] == [
        ("generations", "Field required"),
        ("request_id", "Field required"),
    ]
    assert "- generations: Field required; received {'message': 'upstream timed out'}" in str(caught.value)


def test_nested_an_object_with_none_of_the_declared_fields_is_kept_as_sent(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    snippet = {**SNIPPET, "transcribed_text": None, "utterance_index": 0}
    server.answer(json_reply({**tts_body(encoding={"codec": "opus"}, snippets=[[snippet]]), "request_id": "r"}))
    result = client(server).tts.synthesize_json(utterances=[{"text": "Hi"}])
    assert result.generations[0].encoding == {"codec": "opus"}
    assert deviations(debug_log) == [
        "field 'encoding' of ReturnGeneration at generations[0].encoding: expected an object (AudioEncoding),"
        " got one with none of its fields; kept as sent"
    ]


def test_a_declared_error_body_that_deviates_is_still_its_model(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    errors = importlib.import_module(f"{API.package}.empathic_voice.errors")
    server.answer(json_reply({"code": 400, "message": "bad version"}, 400))
    with pytest.raises(errors.BadRequestError) as caught:
        client(server).empathic_voice.configs.get_config_version("id", 1)
    body = caught.value.body
    assert type(body).__name__ == "ErrorResponse" and (body.code, body.message) == (400, "bad version")
    (record,) = [r for r in debug_log.records if "does not match" in r.getMessage()]
    assert record.getMessage().startswith(f"error response to GET {server.url}/v0/evi/configs/id/version/1 ")
    assert "field 'code' of ErrorResponse at code: Input should be a valid string" in record.getMessage()


def test_a_list_item_of_another_shape_is_kept_as_sent(
    server: ScriptedServer, debug_log: pytest.LogCaptureFixture
) -> None:
    job = {
        "job_id": "j",
        "request": {"files": []},
        "state": {"status": "QUEUED", "created_timestamp_ms": 1},
        "type": "INFERENCE",
    }
    server.answer(json_reply(["not a job", job]))
    first, second = client(server).expression_measurement.batch.list_jobs()
    assert first == "not a job" and second.job_id == "j"
    assert deviations(debug_log) == ["list item at [0]: expected an object (InferenceJob), got a string; kept as sent"]
