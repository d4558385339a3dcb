"""Details of the official package's behaviour that user code relies on."""

from __future__ import annotations

import json

from hume import HumeClient
from hume.empathic_voice import AudioInput, SessionSettings, UserInput
from hume.environment import HumeClientEnvironment


def test_constant_type_tags_need_not_be_passed() -> None:
    message = AudioInput(data="UklGRg==")
    assert message.type == "audio_input"
    assert json.loads(message.model_dump_json(exclude_none=True)) == {"type": "audio_input", "data": "UklGRg=="}
    assert UserInput(text="hi").type == "user_input"
    assert SessionSettings().type == "session_settings"


def test_default_environment_is_prod_as_in_the_official_sdk() -> None:
    assert HumeClientEnvironment.PROD.base == "https://api.hume.ai"
    assert HumeClientEnvironment.PROD.evi == "wss://api.hume.ai/v0/evi"
    assert HumeClient(api_key="k")._client_wrapper.environment == HumeClientEnvironment.PROD


def test_list_prompt_versions_returns_the_page_as_the_official_sdk_does() -> None:
    from hume.empathic_voice.prompts.client import AsyncPromptsClient, PromptsClient

    assert PromptsClient.list_prompt_versions.__annotations__["return"] == "ReturnPagedPrompts"
    assert AsyncPromptsClient.list_prompt_versions.__annotations__["return"] == "ReturnPagedPrompts"
    assert PromptsClient.list_prompts.__annotations__["return"] == "SyncPager[ReturnPrompt, ReturnPagedPrompts]"


def test_socket_event_names_import_from_core_events() -> None:
    # hume.core._socket is where the official SDK's users import it from; it imports EventType
    # without re-exporting it.
    from hume.core import EventType as CoreEventType
    from hume.core._socket import EventType as SocketEventType  # type: ignore[attr-defined]  # not re-exported
    from hume.core.events import EventType

    assert EventType is SocketEventType is CoreEventType
    assert [event.value for event in EventType] == ["open", "message", "error", "close"]
