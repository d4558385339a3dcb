"""The runtime the generated SDK ships (``<package>/core``), unit by unit."""

from __future__ import annotations

import datetime as dt
import email.utils
import importlib
import io
import time
import typing

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rest.conftest import hume_api

CORE = f"{hume_api().package}.core"
sse = importlib.import_module(f"{CORE}._sse")
http_client = importlib.import_module(f"{CORE}._http_client")
serialization = importlib.import_module(f"{CORE}._serialization")
urls = importlib.import_module(f"{CORE}._urls")


def decode(chunks: list[bytes]) -> list[tuple[str, str, str | None]]:
    decoder = sse.EventDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)] + decoder.close()
    return [(event.event, event.data, event.id) for event in events]


STREAM = (
    b": keep-alive\r\n"
    b"event: update\r\nid: 7\r\ndata: first line\r\ndata:  second line\r\n\r\n"
    b'data: {"a": 1}\n\n'
    b"retry: 1000\rdata: caf\xc3\xa9\r\r"
    b"event: empty\n\n"
    b"data: last"
)
EXPECTED = [
    ("update", "first line\n second line", "7"),
    ("message", '{"a": 1}', "7"),
    ("message", "café", "7"),
    ("message", "last", "7"),
]


def test_event_stream_format() -> None:
    assert decode([STREAM]) == EXPECTED


@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12))
def test_events_do_not_depend_on_how_the_stream_is_cut(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(STREAM)]
    assert decode([STREAM[a:b] for a, b in zip(points, points[1:])]) == EXPECTED


@pytest.mark.parametrize("cut", [0, 1, 2, 3, 4])
def test_a_leading_byte_order_mark_is_skipped_wherever_the_chunks_are_cut(cut: int) -> None:
    stream = b"\xef\xbb\xbfdata: first\n\ndata: \xef\xbb\xbfsecond\n\n"
    assert decode([stream[:cut], stream[cut:]]) == [("message", "first", None), ("message", "\ufeffsecond", None)]


def test_bytes_that_are_not_utf8_are_replaced_and_retry_and_id_are_kept() -> None:
    decoder = sse.EventDecoder()
    (event,) = decoder.feed(b"retry: 1500\nid: 9\ndata: caf\xe9 \xff\n\n")
    assert (event.data, event.id, event.retry) == ("caf\ufffd \ufffd", "9", 1500)


def test_bare_json_lines_are_events() -> None:
    assert decode([b'{"a": 1}\n{"b": 2}\n']) == [("message", '{"a": 1}', None), ("message", '{"b": 2}', None)]


def test_retry_after_forms() -> None:
    def delay(attempt: int, response: httpx.Response | None) -> float | None:
        seconds = http_client.BaseHttpClient.retry_delay(attempt, True, response, error=httpx.ConnectError("refused"))
        assert seconds is None or isinstance(seconds, float), seconds
        return seconds

    def retried(attempt: int, response: httpx.Response | None) -> float:
        """The delay before the next attempt, which is made."""
        seconds = delay(attempt, response)
        assert seconds is not None
        return seconds

    assert delay(0, httpx.Response(429, headers={"Retry-After": "3"})) == 3.0
    assert delay(0, httpx.Response(503, headers={"retry-after-ms": "250"})) == 0.25
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= retried(0, httpx.Response(429, headers={"Retry-After": date})) <= 30
    assert delay(0, httpx.Response(429, headers={"Retry-After": "3600"})) is None
    assert delay(0, httpx.Response(400)) is None
    backoffs = [retried(attempt, httpx.Response(500)) for attempt in range(6)]
    assert 0.375 <= backoffs[0] <= 0.5 and 0.75 <= backoffs[1] <= 1.0 and backoffs[5] <= http_client.MAX_RETRY_DELAY
    assert 0.375 <= retried(0, None) <= 0.5  # a connection failure


@pytest.mark.parametrize(
    ("status", "error", "repeatable", "retried"),
    [
        (429, None, False, True),  # the server did not act: any method
        (503, None, False, True),
        (408, None, False, True),
        (500, None, False, False),  # it may have acted: only a repeatable request
        (500, None, True, True),
        (502, None, True, True),
        (None, httpx.ConnectError("refused"), False, True),  # nothing was sent
        (None, httpx.ConnectTimeout("slow"), False, True),
        (None, httpx.RemoteProtocolError("dropped"), False, False),  # the request may have arrived
        (None, httpx.ReadError("reset"), False, False),
        (None, httpx.RemoteProtocolError("dropped"), True, True),
    ],
)
def test_which_failures_are_retried(
    status: int | None, error: Exception | None, repeatable: bool, retried: bool
) -> None:
    response = httpx.Response(status) if status is not None else None
    delay = http_client.BaseHttpClient.retry_delay(0, repeatable, response, error=error)
    assert (delay is not None) == retried


def test_raw_content_is_sent_whole_on_every_attempt() -> None:
    handle = io.BytesIO(b"skip|payload")
    handle.read(5)
    body = importlib.import_module(f"{CORE}._bodies").RawContent(handle, "application/octet-stream")
    assert body.encode(None, [])["content"] == b"payload"
    assert body.encode(None, [])["content"] == b"payload"


def test_values_on_the_wire() -> None:
    tts = importlib.import_module(f"{hume_api().package}.tts")
    utterance = tts.PostedUtterance(text="Hi", description=None)
    assert serialization.jsonable({"u": [utterance], "when": dt.date(2024, 1, 2), "raw": b"\x00"}) == {
        "u": [{"text": "Hi", "description": None}],  # given None: null; never set (speed...): left out
        "when": "2024-01-02",
        "raw": "AA==",
    }
    assert serialization.query_pairs({"a": [1, None, True], "b": None, "c": dt.datetime(2024, 1, 1)}) == [
        ("a", "1"),
        ("a", "true"),
        ("c", "2024-01-01T00:00:00"),
    ]
    urls = importlib.import_module(f"{CORE}._urls")
    assert urls.path_segment("a/b c") == "a%2Fb%20c"
    assert [urls.path_segment(dots) for dots in (".", "..", "...", "a.b")] == ["%2E", "%2E%2E", "...", "a.b"]
    # by name only: no format spec, no attribute access, nothing evaluated; a missing name stays
    assert urls.fill("/r/{id}/{a.b}/{x}", {"id": "..", "a.b": "{id}"}) == "/r/%2E%2E/%7Bid%7D/{x}"


def test_query_styles() -> None:
    """One encoder for REST and sockets, following OpenAPI's style and explode."""
    style = serialization.QueryStyle
    values = {"ids": [1, 2], "point": {"x": 1, "y": None, "z": True}, "deep": {"a": {"b": [1, 2], "c": "d"}}}

    def pairs(styles: dict[str, typing.Any], extra: typing.Any = None) -> list[tuple[str, str]]:
        found = serialization.query_pairs(values, styles, extra)
        assert isinstance(found, list), found
        return found

    assert pairs({}) == [("ids", "1"), ("ids", "2"), ("x", "1"), ("z", "true"), ("a", '{"b":[1,2],"c":"d"}')]
    unexploded = style("form", explode=False)
    assert pairs({"ids": unexploded, "point": unexploded, "deep": style("json")}) == [
        ("ids", "1,2"),
        ("point", "x,1,z,true"),
        ("deep", '{"a":{"b":[1,2],"c":"d"}}'),
    ]
    assert pairs({"ids": style("pipeDelimited", False), "point": style("spaceDelimited", False)})[:2] == [
        ("ids", "1|2"),
        ("point", "x 1 z true"),
    ]
    assert pairs({"point": style("deepObject"), "deep": style("deepObject")}, extra={"filter": {"k": 1}})[2:] == [
        ("point[x]", "1"),
        ("point[z]", "true"),
        ("deep[a][b]", "1"),
        ("deep[a][b]", "2"),
        ("deep[a][c]", "d"),
        ("filter[k]", "1"),  # what the caller adds: objects as deepObject
    ]


def test_base_url_moves_every_service_on_the_same_host() -> None:
    defaults = {
        "base": "https://api.example.com",
        "live": "wss://api.example.com/v1/live",
        "cdn": "https://cdn.example.net",
    }
    assert urls.rebase("http://localhost:8080/proxy/", defaults) == {
        "base": "http://localhost:8080/proxy",
        "live": "ws://localhost:8080/proxy/v1/live",
        "cdn": "https://cdn.example.net",
    }
    assert urls.rebase("example.org", defaults)["live"] == "wss://example.org/v1/live"
    assert urls.rebase("ws://localhost:8080", defaults)["base"] == "http://localhost:8080"  # each keeps its kind


def test_base_url_moves_a_socket_only_apis_websocket_url() -> None:
    """A socket-only API's first URL is a WebSocket's: an HTTP base URL gives it the matching scheme."""
    defaults = {"production": "wss://speech.example.com", "eu": "wss://speech.example.com/eu"}
    assert urls.rebase("http://127.0.0.1:8000/", defaults) == {
        "production": "ws://127.0.0.1:8000",
        "eu": "ws://127.0.0.1:8000/eu",
    }
    assert urls.rebase("example.org", defaults)["production"] == "wss://example.org"
    assert urls.rebase("ws://127.0.0.1:8000", defaults)["production"] == "ws://127.0.0.1:8000"
    assert urls.rebase("https://user:pw@proxy.example.org/ws", defaults)["production"] == (
        "wss://user:pw@proxy.example.org/ws"
    )
