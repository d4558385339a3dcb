"""Socket message decode: every line of the recorded EVI corpus through what ``recv()`` does with it.

Runs inside a benchmark venv and prints one JSON line: {"seconds": loop time, "messages": N,
"types": {class name: count}}.

    python decode.py {ours,official,floor} CORPUS.jsonl

``floor`` is the least any decoder of these frames into our models can do: one pydantic-core
call per frame, ``validate_json`` of a discriminated union (``Field(discriminator=...)``) of the
models the generated chat socket receives, over the same frames.
"""

from __future__ import annotations

import argparse
import collections
import json
import time
from collections.abc import Callable
from typing import Any


def _official() -> Callable[[str], Any]:
    # hume 0.14.1, empathic_voice/chat/socket_client.py, ChatSocketClient.recv():
    #     json_data = json.loads(data); return parse_obj_as(ChatSocketClientResponse, json_data)
    # The official SDK's hume (benchmarks/requirements-official.txt) has parse_obj_as; the hume that mypy
    # sees is the generated SDK, installed in sdkgen's own venv, which has no such function.
    from hume.core.pydantic_utilities import parse_obj_as  # type: ignore[attr-defined]  # the official SDK's
    from hume.empathic_voice.chat.socket_client import ChatSocketClientResponse

    def decode(text: str) -> Any:
        return parse_obj_as(ChatSocketClientResponse, json.loads(text))

    return decode


def _ours() -> Callable[[str], Any]:
    # The generated ChatSocketClient.recv() is ``frame = websocket.recv(); return self._decoder.decode(frame)``
    # (templates/runtime/core/_socket.py): the decoder is a class attribute of the generated client.
    from hume.empathic_voice.chat import socket_client

    return socket_client.ChatSocketClient._decoder.decode


def _floor() -> Callable[[str], Any]:
    # The models are those of the channel's response type, without the SDK's UnknownMessage.
    from typing import Annotated, Union, get_args

    import pydantic
    from hume.empathic_voice.chat.socket_client import ChatSocketClientResponse

    models = tuple(m for m in get_args(ChatSocketClientResponse) if issubclass(m, pydantic.BaseModel))
    # Union[tuple] is the union of the tuple's members (which ``X | Y`` cannot spell for a tuple).
    union = Annotated[Union[models], pydantic.Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007
    return pydantic.TypeAdapter(union).validate_json


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("ours", "official", "floor"))
    parser.add_argument("corpus")
    args = parser.parse_args()
    decode = {"ours": _ours, "official": _official, "floor": _floor}[args.mode]()
    with open(args.corpus, encoding="utf-8") as file:
        lines = file.read().splitlines()
    for line in lines[:200]:  # warm-up: first-use costs (schema builds) are not per message
        decode(line)
    counts: collections.Counter[type] = collections.Counter()  # messages are dropped as they come, as in a recv() loop
    start = time.perf_counter()
    for line in lines:
        counts[type(decode(line))] += 1
    seconds = time.perf_counter() - start
    types = {cls.__name__: n for cls, n in sorted(counts.items(), key=lambda item: item[0].__name__)}
    print(json.dumps({"seconds": seconds, "messages": len(lines), "types": types}))


if __name__ == "__main__":
    main()
