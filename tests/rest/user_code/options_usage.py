"""User code with every client option, error class and response helper; ``mypy --strict`` must accept it."""

from __future__ import annotations

import pathlib
import typing

import httpx
from hume import AsyncHumeClient, HumeClient
from hume.core import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AsyncHttpResponse,
    AsyncPager,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    RequestOptions,
    TooManyRequestsError,
    UnauthorizedError,
    UnprocessableEntityError,
)
from hume.core.http_response import AsyncBinaryStream, AsyncStreamedResponse, BinaryStream, StreamedResponse
from hume.empathic_voice import ReturnConfig, ReturnPagedConfigs
from hume.empathic_voice import errors as evi_errors
from hume.tts import PostedUtterance, PostedUtteranceParams, ReturnGeneration, ReturnTts

client = HumeClient(api_key="key", timeout=httpx.Timeout(10, connect=2), max_retries=5)
quick = client.with_options(timeout=2.5, max_retries=0, headers={"X-Team": "a"}, base_url="https://proxy.example")
typing.assert_type(quick, HumeClient)
options: RequestOptions = {"timeout_in_seconds": httpx.Timeout(3), "max_retries": 1}

utterance: PostedUtteranceParams = {"text": "Hi", "description": None}
result = client.tts.synthesize_json(utterances=[utterance, PostedUtterance(text="there")], request_options=options)
typing.assert_type(result, ReturnTts)
generation: ReturnGeneration = result.generations[0]
client.empathic_voice.configs.create_config(name="n", evi_version="3", version_description=None)

raw = client.empathic_voice.configs.with_raw_response.get_config_version("id", 1)
typing.assert_type(raw.parse(), ReturnConfig)
typing.assert_type(raw.request_id, typing.Optional[str])
typing.assert_type(raw.headers, dict[str, str])

with client.empathic_voice.configs.with_streaming_response.get_config_version("id", 1) as streamed:
    typing.assert_type(streamed, StreamedResponse[ReturnConfig])
    for line in streamed.iter_lines():
        typing.assert_type(line, str)
    typing.assert_type(streamed.parse(), ReturnConfig)
with client.empathic_voice.configs.with_streaming_response.list_configs() as page:
    for config in page.parse():
        typing.assert_type(config, ReturnConfig)
with client.tts.with_streaming_response.synthesize_file(utterances=[{"text": "Hi"}]) as audio_response:
    audio_response.write_to_file(pathlib.Path("speech.mp3"))
    for chunk in audio_response.iter_bytes():
        typing.assert_type(chunk, bytes)

audio = client.tts.synthesize_file(utterances=[{"text": "Hi"}])
typing.assert_type(audio, BinaryStream)
audio.write_to_file("speech.mp3")

try:
    client.empathic_voice.configs.delete_config("id")
except evi_errors.BadRequestError as error:
    assert isinstance(error, BadRequestError)
    print(error.request_id, error.headers and error.headers.get("x-request-id"))
except (UnauthorizedError, ForbiddenError, NotFoundError, ConflictError, UnprocessableEntityError) as error:
    print(error.status_code)
except (TooManyRequestsError, InternalServerError) as error:
    print(error.body)
except ApiTimeoutError as error:
    typing.assert_type(error.status_code, typing.Optional[int])
except ApiConnectionError as error:
    print(error)
except InvalidRequestError as error:
    print(error.problems)
except ApiError as error:
    print(error.request_id)


async def main() -> None:
    async_client = AsyncHumeClient(api_key="key", max_retries=1, timeout=httpx.Timeout(5))
    copy = async_client.with_options(max_retries=3)
    typing.assert_type(copy, AsyncHumeClient)
    raw_page = await copy.empathic_voice.configs.with_raw_response.list_configs()
    typing.assert_type(raw_page, AsyncHttpResponse[AsyncPager[ReturnConfig, ReturnPagedConfigs]])
    async with copy.empathic_voice.configs.with_streaming_response.get_config_version("id", 1) as response:
        typing.assert_type(response, AsyncStreamedResponse[ReturnConfig])
        async for text in response.iter_lines():
            typing.assert_type(text, str)
        typing.assert_type(await response.parse(), ReturnConfig)
    stream = copy.tts.synthesize_file(utterances=[{"text": "Hi"}])
    typing.assert_type(stream, AsyncBinaryStream)
    await stream.write_to_file("speech.mp3")
    paged: ReturnPagedConfigs = (await copy.empathic_voice.configs.list_configs()).response
    print(paged)
