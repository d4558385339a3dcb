"""A spoken conversation with EVI: the microphone to the chat, the chat's audio to the speakers."""

from __future__ import annotations

import asyncio
import base64
import typing

from ...types.audio_configuration import AudioConfiguration
from ...types.audio_input import AudioInput
from ...types.session_settings import SessionSettings
from .asyncio_utilities import Stream
from .audio_utilities import play_audio_streaming
from .microphone import Microphone

if typing.TYPE_CHECKING:
    from ..socket_client import AsyncChatSocketClient


class MicrophoneInterface:
    """Connects a microphone and a stream of EVI's audio to a chat socket."""

    DEFAULT_ALLOW_USER_INTERRUPT: typing.ClassVar[bool] = False

    @classmethod
    async def start(
        cls,
        socket: AsyncChatSocketClient,
        byte_stream: Stream[bytes],
        device: typing.Optional[int] = Microphone.DEFAULT_DEVICE,
        allow_user_interrupt: bool = DEFAULT_ALLOW_USER_INTERRUPT,
    ) -> None:
        """Talk with EVI until ``byte_stream`` ends.

        Sends the chat the microphone's audio format (a ``session_settings`` message), then
        the audio as it is captured (``audio_input`` messages), while playing what is put
        into ``byte_stream``: put the decoded ``data`` of each ``audio_output`` message there,
        and close it to end the conversation. Unless ``allow_user_interrupt``, the microphone
        is not sent while EVI's audio plays, so that EVI does not hear itself.

        Parameters
        ----------
        socket
            An open chat: ``async with client.empathic_voice.chat.connect() as socket``.
        byte_stream
            EVI's audio, each item a clip (WAV, as EVI sends it).
        device
            The input device's index; the system's default when ``None``.
        allow_user_interrupt
            Keep sending the microphone while EVI speaks, so the user can interrupt it.
        """
        with Microphone.context(device=device) as microphone:
            audio = AudioConfiguration(
                encoding="linear16", sample_rate=microphone.sample_rate, channels=microphone.num_channels
            )
            await socket.send_session_settings(SessionSettings(audio=audio))
            speaking = asyncio.Event()

            async def active() -> None:
                speaking.set()

            async def idle() -> None:
                speaking.clear()

            async def send() -> None:
                async for chunk in microphone:
                    if allow_user_interrupt or not speaking.is_set():
                        await socket.send_audio_input(AudioInput(data=base64.b64encode(chunk).decode("ascii")))

            sender = asyncio.ensure_future(send())
            try:
                await play_audio_streaming(byte_stream, on_playback_active=active, on_playback_idle=idle)
            finally:
                sender.cancel()
                try:
                    await sender
                except asyncio.CancelledError:
                    pass
