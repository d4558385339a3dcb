"""Code a user of the generated SDK writes; ``mypy --strict`` must accept it and infer these types."""

from __future__ import annotations

import pathlib
import typing

from hume import AsyncHumeClient, HumeClient
from hume.core import ApiError, HttpResponse, RequestOptions, SyncPager
from hume.empathic_voice import ReturnConfig, ReturnPagedConfigs
from hume.empathic_voice.errors import BadRequestError
from hume.tts import PostedUtterance, TtsOutput

client = HumeClient(api_key="key", timeout=10)
options: RequestOptions = {"max_retries": 1, "additional_headers": {"X-Trace": "1"}}

pager = client.empathic_voice.configs.list_configs(page_size=10, request_options=options)
typing.assert_type(pager, SyncPager[ReturnConfig, ReturnPagedConfigs])
for config in pager:
    typing.assert_type(config, ReturnConfig)
    print(config.name)
typing.assert_type(pager.items, list[ReturnConfig])

created = client.empathic_voice.configs.create_config(name="n", evi_version="3", voice={"name": "Ava Song"})
typing.assert_type(created, ReturnConfig)

raw = client.empathic_voice.configs.with_raw_response.get_config_version("id", 1)
typing.assert_type(raw, HttpResponse[ReturnConfig])
typing.assert_type(raw.status_code, int)

for event in client.tts.synthesize_json_streaming(utterances=[PostedUtterance(text="Hi"), {"text": "there"}]):
    typing.assert_type(event, TtsOutput)

audio: typing.Iterator[bytes] = client.tts.convert_voice_file(audio=pathlib.Path("speech.wav"))

try:
    client.empathic_voice.configs.delete_config("id")
except BadRequestError as error:
    print(error.status_code, error.body)
except ApiError as error:
    print(error.headers)


async def main() -> None:
    async_client = AsyncHumeClient(api_key="key")
    async for item in await async_client.empathic_voice.configs.list_configs():
        typing.assert_type(item, ReturnConfig)
    async for chunk in async_client.tts.synthesize_file(utterances=[{"text": "Hi"}]):
        typing.assert_type(chunk, bytes)
