"""Absent vs null in what is sent, and the responses users get back, against a real server on loopback.

- an optional body field left out is not sent, ``None`` is sent as ``null`` (arguments and model
  fields); query parameters given ``None`` are left out;
- ``with_raw_response``: ``parse()``, ``request_id``; ``with_streaming_response``: a context manager
  whose body is read only on demand (``iter_bytes``, ``iter_lines``, ``parse()``,
  ``write_to_file``), closing the connection on exit; binary results' ``write_to_file``.
"""

from __future__ import annotations

import importlib
import json
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rest.conftest import hume_api
from tests.rest.scripted_server import Reply, ScriptedServer, json_reply
from tests.rest.test_client_options import SYNC, _client, loop, run  # noqa: F401 - loop is an autouse fixture

API = hume_api()
tts = importlib.import_module(f"{API.package}.tts")
CONFIG = {"id": "c1", "name": "Weather", "version": 0}


async def _collect(iterator: typing.Any) -> list[typing.Any]:
    return [item async for item in iterator]


def _items(iterator: typing.Any) -> list[typing.Any]:
    return list(iterator) if isinstance(iterator, Iterator) else run(_collect(iterator))


# ---------------------------------------------------------------------------------------
# Absent vs null
# ---------------------------------------------------------------------------------------


@SYNC
def test_left_out_is_not_sent_and_none_is_null(server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply(CONFIG))
    client = _client(server.url, sync)
    run(client.empathic_voice.configs.create_config(evi_version="3", name="n", version_description=None))
    body = json.loads(server.requests[0].body)
    assert body == {"evi_version": "3", "name": "n", "version_description": None}
    run(client.empathic_voice.configs.create_config(evi_version="3", name="n"))
    assert "version_description" not in json.loads(server.requests[1].body)


@SYNC
def test_model_fields_given_none_are_null_and_those_never_set_are_left_out(server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply({"generations": [], "request_id": "r"}))
    utterance = tts.PostedUtterance(text="Hi", description=None)
    run(_client(server.url, sync).tts.synthesize_json(utterances=[utterance, {"text": "raw", "speed": None}]))
    sent = json.loads(server.requests[0].body)["utterances"]
    assert sent == [{"text": "Hi", "description": None}, {"text": "raw", "speed": None}]


@SYNC
def test_query_parameters_given_none_are_left_out(server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply({"configs_page": [], "page_number": 0, "page_size": 10, "total_pages": 0}))
    run(_client(server.url, sync).empathic_voice.configs.list_configs(page_size=None, name="w"))
    assert server.requests[0].query == [("name", "w")]


# ---------------------------------------------------------------------------------------
# Raw and streaming responses
# ---------------------------------------------------------------------------------------


@SYNC
def test_raw_response_parse_and_request_id(server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply(CONFIG, headers={"Request-Id": "rq-1"}))
    raw = _client(server.url, sync).empathic_voice.configs.with_raw_response
    response = run(raw.get_config_version("c1", 0))
    assert response.parse().id == "c1" and response.parse() is response.data
    assert response.request_id == "rq-1" and response.headers["request-id"] == "rq-1"


def test_streaming_response_reads_the_body_only_on_demand(server: ScriptedServer) -> None:
    server.answer(
        Reply(
            200,
            b"",
            {"Content-Type": "application/json", "X-Request-Id": "s-1"},
            chunks=[b'{"id": "c1", ', b'"name": "W"}'],
        )
    )
    client = _client(server.url, True)
    with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
        assert response.status_code == 200 and response.request_id == "s-1"
        assert not response.http_response.is_stream_consumed  # headers only so far
        config = response.parse()
    assert config.id == "c1" and config.name == "W"
    assert response.http_response.is_closed
    server.answer(Reply(200, b"", {"Content-Type": "text/plain"}, chunks=[b"one\ntw", b"o\nthree"]))
    with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
        assert list(response.iter_lines()) == ["one", "two", "three"]
    server.answer(Reply(200, b"", {}, chunks=[b"ab", b"cd"]))
    with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
        assert b"".join(response.iter_bytes()) == b"abcd"
    # leaving the block unread closes the connection
    server.answer(Reply(200, b"", {}, chunks=[b"x" * 10] * 5))
    with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
        pass
    assert response.http_response.is_closed and not response.http_response.is_stream_consumed


def test_async_streaming_response(server: ScriptedServer) -> None:
    client = _client(server.url, False)

    async def scenario() -> None:
        server.answer(json_reply(CONFIG, headers={"X-Request-Id": "a-1"}))
        async with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
            assert response.request_id == "a-1"
            assert (await response.parse()).id == "c1"
        assert response.http_response.is_closed
        server.answer(Reply(200, b"", {}, chunks=[b"a\nb", b"\nc"]))
        async with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
            assert [line async for line in response.iter_lines()] == ["a", "b", "c"]
        server.answer(Reply(200, b"", {}, chunks=[b"12", b"34"]))
        async with client.empathic_voice.configs.with_streaming_response.get_config_version("c1", 0) as response:
            assert b"".join([chunk async for chunk in response.iter_bytes()]) == b"1234"

    run(scenario())


@SYNC
def test_streaming_response_of_a_pager_and_of_events(server: ScriptedServer, sync: bool) -> None:
    page = {"configs_page": [CONFIG], "page_number": 0, "page_size": 10, "total_pages": 1}
    server.answer(json_reply(page, headers={"X-Request-Id": "p-1"}))
    client = _client(server.url, sync)

    async def pages() -> list[typing.Any]:
        async with client.empathic_voice.configs.with_streaming_response.list_configs() as response:
            pager = await response.parse()
            return [config.id async for config in pager]

    if sync:
        with client.empathic_voice.configs.with_streaming_response.list_configs() as response:
            assert response.request_id == "p-1"
            assert [config.id for config in response.parse()] == ["c1"]
    else:
        assert run(pages()) == ["c1"]


@SYNC
def test_binary_results_and_streamed_responses_write_to_a_file(
    server: ScriptedServer, sync: bool, tmp_path: Path
) -> None:
    audio = bytes(range(256)) * 40
    server.answer(Reply(200, b"", {"Content-Type": "audio/mpeg"}, chunks=[audio[:5000], audio[5000:]]))
    client = _client(server.url, sync)
    result = client.tts.synthesize_file(utterances=[{"text": "Hi"}])
    assert isinstance(result, tts_stream_class(sync))
    run(result.write_to_file(tmp_path / "a.mp3"))
    assert (tmp_path / "a.mp3").read_bytes() == audio
    server.answer(Reply(200, b"", {"Content-Type": "audio/mpeg"}, chunks=[audio[:100], audio[100:]]))
    assert b"".join(_items(client.tts.synthesize_file(utterances=[{"text": "Hi"}]))) == audio  # still an iterator

    async def streamed_async() -> None:
        async with client.tts.with_streaming_response.synthesize_file(utterances=[{"text": "Hi"}]) as response:
            await response.write_to_file(tmp_path / "b.mp3")

    server.answer(Reply(200, b"", {"Content-Type": "audio/mpeg"}, chunks=[audio[:7], audio[7:]]))
    if sync:
        with client.tts.with_streaming_response.synthesize_file(utterances=[{"text": "Hi"}]) as response:
            response.write_to_file(tmp_path / "b.mp3")
    else:
        run(streamed_async())
    assert (tmp_path / "b.mp3").read_bytes() == audio


def tts_stream_class(sync: bool) -> type[typing.Any]:
    http_response = importlib.import_module(f"{API.package}.core.http_response")
    cls = http_response.BinaryStream if sync else http_response.AsyncBinaryStream
    assert isinstance(cls, type), cls
    return cls


# ---------------------------------------------------------------------------------------
# Dicts checked like models
# ---------------------------------------------------------------------------------------


@SYNC
def test_a_dict_for_a_model_is_checked_before_anything_is_sent(server: ScriptedServer, sync: bool) -> None:
    core = importlib.import_module(f"{API.package}.core")
    client = _client(server.url, sync)
    server.answer(json_reply({"generations": [], "request_id": "r"}))
    with pytest.raises(core.InvalidRequestError) as caught:
        run(client.tts.synthesize_json(utterances=[{"text": "ok"}, {"txet": "hi"}]))
    assert "utterances[1].text: missing required key" in str(caught.value)
    with pytest.raises(core.InvalidRequestError) as caught:
        run(client.tts.synthesize_json(utterances=[{"text": "hi", "speeed": 2}], format={"type": "mp3"}))
    assert caught.value.problems == [("utterances[0].speeed", "unknown key")]
    with pytest.raises(ValueError, match=r"utterances\[0\]\.speed"):
        run(client.tts.synthesize_json(utterances=[{"text": "hi", "speed": "fast"}]))
    assert server.requests == []  # nothing was sent
    run(client.tts.synthesize_json(utterances=[{"text": "hi", "description": None}], format={"type": "wav"}))
    sent = json.loads(server.requests[0].body)
    assert sent == {"utterances": [{"text": "hi", "description": None}], "format": {"type": "wav"}}


def test_models_and_their_typed_dicts_are_exported_beside_each_other() -> None:
    keys = set(tts.PostedUtteranceParams.__annotations__)
    assert keys == {field.alias or name for name, field in tts.PostedUtterance.model_fields.items()}
    assert "Required[str]" in str(tts.PostedUtteranceParams.__annotations__["text"])
    assert tts.PostedUtteranceParams.__module__ == tts.PostedUtterance.__module__
