# Hand-written: copied from extensions/empathic_voice/chat/audio/microphone.py (edit it there).
"""The computer's microphone as an async stream of 16-bit PCM chunks (needs ``hume[microphone]``)."""

from __future__ import annotations

import asyncio
import contextlib
import typing

from .asyncio_utilities import Stream
from .audio_utilities import sounddevice


class Microphone:
    """Audio from an input device, as it is captured.

    Use :meth:`context` inside a running event loop; iterate over the microphone for its
    chunks (``async for chunk in microphone``).
    """

    DATA_TYPE: typing.ClassVar[str] = "int16"
    DEFAULT_DEVICE: typing.ClassVar[typing.Optional[int]] = None

    def __init__(self, stream: Stream[bytes], num_channels: int, sample_rate: int) -> None:
        self.stream = stream
        self.num_channels = num_channels
        self.sample_rate = sample_rate

    @classmethod
    @contextlib.contextmanager
    def context(cls, *, device: typing.Optional[int] = DEFAULT_DEVICE) -> typing.Iterator[Microphone]:
        """Capture from ``device`` (the system's default input when ``None``) while the block runs."""
        devices = sounddevice()
        info = devices.query_devices(device, "input")
        sample_rate = int(info["default_samplerate"])
        loop = asyncio.get_running_loop()
        stream: Stream[bytes] = Stream.new()

        def captured(data: typing.Any, frames: int, time: typing.Any, status: typing.Any) -> None:
            loop.call_soon_threadsafe(stream.queue.put_nowait, bytes(data))

        with devices.RawInputStream(
            samplerate=sample_rate, channels=1, dtype=cls.DATA_TYPE, device=device, callback=captured
        ):
            yield cls(stream, num_channels=1, sample_rate=sample_rate)

    def __aiter__(self) -> typing.AsyncIterator[bytes]:
        return self.stream.__aiter__()
