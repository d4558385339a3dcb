"""Playing audio on the computer's speakers: a whole clip, or chunks as they arrive.

Clips are WAV files, raw 16-bit little-endian PCM (at ``sample_rate``), or MP3 (decoded by
``ffmpeg``, which must be on the ``PATH``). Playback uses ``sounddevice``, an optional
dependency: ``pip install "hume[microphone]"``.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import shutil
import subprocess
import typing
import wave

SAMPLE_WIDTH = 2
"""Bytes per sample: audio is played as 16-bit signed integers."""


def sounddevice() -> typing.Any:
    """The ``sounddevice`` module, or an ``ImportError`` that says how to install it."""
    try:
        return importlib.import_module("sounddevice")
    except ImportError as error:
        raise ImportError(
            'audio playback and capture need the sounddevice package: pip install "hume[microphone]"'
        ) from error


class Clip(typing.NamedTuple):
    pcm: bytes
    sample_rate: int
    channels: int


def decode(blob: bytes, sample_rate: int = 48000) -> Clip:
    """16-bit PCM of a WAV, MP3 or raw PCM clip (raw PCM is mono at ``sample_rate``)."""
    if blob[:4] == b"RIFF" and blob[8:12] == b"WAVE":
        with wave.open(io.BytesIO(blob)) as wav:
            if wav.getsampwidth() != SAMPLE_WIDTH:
                raise ValueError(f"a WAV clip of {8 * wav.getsampwidth()}-bit samples; 16-bit is played")
            return Clip(wav.readframes(wav.getnframes()), wav.getframerate(), wav.getnchannels())
    if blob[:3] == b"ID3" or (len(blob) > 1 and blob[0] == 0xFF and blob[1] & 0xE0 == 0xE0):
        return _decode_mp3(blob, sample_rate)
    return Clip(blob, sample_rate, 1)


def _decode_mp3(blob: bytes, sample_rate: int) -> Clip:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ValueError("an MP3 clip: playing it needs ffmpeg on the PATH")
    command = [
        ffmpeg,
        "-loglevel",
        "error",
        "-i",
        "pipe:0",
        "-f",
        "s16le",
        "-ac",
        "1",
        "-ar",
        str(sample_rate),
        "pipe:1",
    ]
    result = subprocess.run(command, input=blob, capture_output=True, check=True)
    return Clip(result.stdout, sample_rate, 1)


def play_audio(
    blob: bytes,
    *,
    device: typing.Optional[int] = None,
    blocksize: typing.Optional[int] = None,
    sample_rate: int = 48000,
) -> None:
    """Play a clip to the end (blocks until it has been played)."""
    clip = decode(blob, sample_rate)
    with sounddevice().RawOutputStream(
        samplerate=clip.sample_rate, channels=clip.channels, dtype="int16", device=device, blocksize=blocksize or 0
    ) as output:
        output.write(clip.pcm)


async def play_audio_streaming(
    chunks: typing.AsyncIterable[bytes],
    *,
    device: typing.Optional[int] = None,
    blocksize: typing.Optional[int] = None,
    sample_rate: int = 48000,
    on_playback_active: typing.Optional[typing.Callable[[], typing.Awaitable[None]]] = None,
    on_playback_idle: typing.Optional[typing.Callable[[], typing.Awaitable[None]]] = None,
) -> None:
    """Play each clip of ``chunks`` as it arrives, in order, until the iterable ends.

    ``on_playback_active`` is awaited when sound starts after silence, ``on_playback_idle``
    when every clip that had arrived has been played (EVI sends its reply as several clips).
    """
    output: typing.Any = None
    fmt: typing.Optional[typing.Tuple[int, int]] = None
    playing = False
    iterator = chunks.__aiter__()
    pending: asyncio.Future[bytes] = asyncio.ensure_future(iterator.__anext__())
    try:
        while True:
            if playing and not pending.done():  # everything that had arrived has been played
                playing = False
                if on_playback_idle is not None:
                    await on_playback_idle()
            try:
                blob = await pending
            except StopAsyncIteration:
                break
            pending = asyncio.ensure_future(iterator.__anext__())  # the next clip arrives while this one plays
            clip = decode(blob, sample_rate)
            if (clip.sample_rate, clip.channels) != fmt:
                if output is not None:
                    output.stop()
                    output.close()
                output = sounddevice().RawOutputStream(
                    samplerate=clip.sample_rate,
                    channels=clip.channels,
                    dtype="int16",
                    device=device,
                    blocksize=blocksize or 0,
                )
                output.start()
                fmt = (clip.sample_rate, clip.channels)
            if not playing:
                playing = True
                if on_playback_active is not None:
                    await on_playback_active()
            await asyncio.to_thread(output.write, clip.pcm)
        if playing and on_playback_idle is not None:
            await on_playback_idle()
    finally:
        pending.cancel()
        if output is not None:
            output.stop()
            output.close()
