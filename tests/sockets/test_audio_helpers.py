"""The Hume SDK's hand-written helpers (specs/extensions/): ``hume.Stream``, the audio helpers and
``MicrophoneInterface`` talking to a loopback EVI server, with a fake ``sounddevice`` (no sound hardware)."""

from __future__ import annotations

import asyncio
import base64
import io
import sys
import threading
import types
import typing
import wave
from collections.abc import Iterator

import pytest

from tests.sockets.hume_package import API, import_generated
from tests.sockets.spec_server import Plan, SpecServer

RATE = 16000
MIC_CHUNKS = [bytes([index]) * 640 for index in range(1, 4)]


class FakeDevices:
    """Stands for the ``sounddevice`` module: one input device that captures ``MIC_CHUNKS``, speakers that record."""

    def __init__(self) -> None:
        self.played: list[bytes] = []
        self.output_formats: list[tuple[int, int]] = []
        self.captured = threading.Event()

    def query_devices(self, device: int | None, kind: str) -> dict[str, typing.Any]:
        assert kind == "input"
        return {"name": "fake microphone", "default_samplerate": float(RATE)}

    def RawInputStream(self, **options: typing.Any) -> typing.Any:  # noqa: N802 - sounddevice's name
        devices = self

        class Input:
            def __enter__(self) -> Input:
                assert options["dtype"] == "int16" and options["samplerate"] == RATE
                threading.Thread(target=self.capture, daemon=True).start()
                return self

            def capture(self) -> None:
                for chunk in MIC_CHUNKS:
                    options["callback"](memoryview(chunk), len(chunk) // 2, None, None)
                devices.captured.set()

            def __exit__(self, *exc: object) -> None:
                pass

        return Input()

    def RawOutputStream(self, **options: typing.Any) -> typing.Any:  # noqa: N802
        devices = self
        devices.output_formats.append((options["samplerate"], options["channels"]))

        class Output:
            def start(self) -> None: ...
            def stop(self) -> None: ...
            def close(self) -> None: ...

            def write(self, data: bytes) -> None:
                devices.played.append(bytes(data))

            def __enter__(self) -> Output:
                return self

            def __exit__(self, *exc: object) -> None:
                pass

        return Output()


@pytest.fixture
def devices(monkeypatch: pytest.MonkeyPatch) -> FakeDevices:
    fake = FakeDevices()
    module = types.ModuleType("sounddevice")
    for name in ("query_devices", "RawInputStream", "RawOutputStream"):
        setattr(module, name, getattr(fake, name))
    monkeypatch.setitem(sys.modules, "sounddevice", module)
    return fake


def wav(pcm: bytes, rate: int = 24000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hume() -> types.ModuleType:
    return import_generated()


@pytest.fixture(scope="module")
def audio(hume: types.ModuleType) -> types.ModuleType:
    import importlib

    return importlib.import_module(f"{hume.__name__}.empathic_voice.chat.audio")


def test_the_helpers_are_where_the_official_package_has_them(hume: types.ModuleType, audio: types.ModuleType) -> None:
    assert hume.Stream is audio.Stream and hume.MicrophoneInterface is audio.MicrophoneInterface
    assert {"play_audio", "play_audio_streaming", "Microphone"} <= set(audio.__all__)


async def test_stream_yields_what_is_put_until_closed(hume: types.ModuleType) -> None:
    stream = hume.Stream.new()
    received: list[int] = []

    async def consume() -> None:
        async for item in stream:
            received.append(item)

    task = asyncio.ensure_future(consume())
    for item in (1, 2, 3):
        await stream.put(item)
    await stream.aclose()
    await task
    assert received == [1, 2, 3]
    assert [item async for item in stream] == []  # a closed stream stays ended


def test_without_sounddevice_the_error_says_what_to_install(
    audio: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # importing it raises ImportError
    with pytest.raises(ImportError, match=r'pip install "hume\[microphone\]"'):
        audio.play_audio(wav(b"\x00\x00"))


def test_play_audio_plays_a_wav_clip_and_raw_pcm(audio: types.ModuleType, devices: FakeDevices) -> None:
    audio.play_audio(wav(b"\x01\x02" * 100, rate=22050))
    audio.play_audio(b"\x03\x04" * 10, sample_rate=8000)
    assert devices.played == [b"\x01\x02" * 100, b"\x03\x04" * 10]
    assert devices.output_formats == [(22050, 1), (8000, 1)]


async def test_play_audio_streaming_reports_active_and_idle(audio: types.ModuleType, devices: FakeDevices) -> None:
    events: list[str] = []

    async def clips() -> typing.AsyncIterator[bytes]:
        yield wav(b"\x01\x00" * 50)
        yield wav(b"\x02\x00" * 50)
        await asyncio.sleep(0.05)  # a pause between two replies
        yield wav(b"\x03\x00" * 50)

    async def active() -> None:
        events.append("active")

    async def idle() -> None:
        events.append("idle")

    await audio.play_audio_streaming(clips(), on_playback_active=active, on_playback_idle=idle)
    assert devices.played == [b"\x01\x00" * 50, b"\x02\x00" * 50, b"\x03\x00" * 50]
    assert events[0] == "active" and events[-1] == "idle" and events.count("active") == events.count("idle") >= 1


@pytest.fixture
def chat_server(spec_server: SpecServer) -> Iterator[SpecServer]:
    spec_server.reset()
    yield spec_server


async def test_microphone_interface_talks_with_evi(
    hume: types.ModuleType, devices: FakeDevices, chat_server: SpecServer
) -> None:
    """The microphone's format, then its audio, reach the chat as valid messages; EVI's audio is played."""
    urls = {
        key: chat_server.url(key) if chat_server.has_server(key) else "http://127.0.0.1:9" for key in API.ir.url_keys
    }
    client = hume.AsyncHumeClient(api_key="test-key", environment=hume.HumeClientEnvironment(**urls))
    chat_server.reset(Plan(expect=1 + len(MIC_CHUNKS)))
    reply = wav(b"\x05\x00" * 200)
    async with client.empathic_voice.chat.connect() as socket:
        byte_stream = hume.Stream.new()
        await byte_stream.put(reply)
        talking = asyncio.ensure_future(hume.MicrophoneInterface.start(socket, byte_stream, allow_user_interrupt=True))
        for _ in range(200):
            if len(chat_server.received) >= 1 + len(MIC_CHUNKS) and devices.played:
                break
            await asyncio.sleep(0.01)
        await byte_stream.aclose()
        await asyncio.wait_for(talking, 5)
    assert chat_server.errors == []
    messages = [data for _, data in chat_server.received]
    assert messages[0]["type"] == "session_settings"
    assert messages[0]["audio"] == {"encoding": "linear16", "sample_rate": RATE, "channels": 1}
    sent = [base64.b64decode(message["data"]) for message in messages[1:] if message["type"] == "audio_input"]
    assert sent == MIC_CHUNKS
    assert devices.played == [b"\x05\x00" * 200]
