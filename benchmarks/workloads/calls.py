"""Per-call overhead: N sequential ``list_configs`` calls against the loopback server.

Runs inside a benchmark venv and prints one JSON line: {"seconds": loop time, "calls": N, ...}.

    python calls.py {ours,official,raw} URL [--calls 2000] [--warmup 100]

- ours / official: ``client.empathic_voice.configs.list_configs(page_number=0, page_size=10)``,
  fetching and parsing the first page (one HTTP request each).
- raw: ``httpx.Client.get`` + ``ReturnPagedConfigs.model_validate_json(response.content)``, with the
  model class from our generated SDK: the floor any SDK built on httpx and pydantic pays.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from collections.abc import Callable
from typing import Any

WS = "ws://127.0.0.1:9"  # socket URLs the REST calls never use


def _ours(url: str) -> Callable[[], Any]:
    from hume import HumeClient
    from hume.environment import HumeClientEnvironment

    environment = HumeClientEnvironment(base=url, evi=WS, tts=WS, stream=WS)
    configs = HumeClient(api_key="k", environment=environment).empathic_voice.configs

    def call() -> Any:
        return configs.list_configs(page_number=0, page_size=10).items  # the pager fetches page 0 eagerly

    return call


def _official(url: str) -> Callable[[], Any]:
    from hume import HumeClient
    from hume.environment import HumeClientEnvironment

    environment = HumeClientEnvironment(base=url, evi=WS, tts=WS, stream=WS)
    configs = HumeClient(api_key="k", environment=environment).empathic_voice.configs

    def call() -> Any:
        return configs.list_configs(page_number=0, page_size=10).items  # the pager fetches page 0 eagerly

    return call


def find_class(name: str, modules: tuple[str, ...]) -> Any:
    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise LookupError(f"{name} not found in {', '.join(modules)}")


def _raw(url: str) -> Callable[[], Any]:
    import httpx

    model = find_class("ReturnPagedConfigs", ("hume.empathic_voice.types", "hume.empathic_voice", "hume.types", "hume"))
    client = httpx.Client(base_url=url, headers={"X-Hume-Api-Key": "k"})
    params = {"page_number": 0, "page_size": 10}

    def call() -> Any:
        response = client.get("/v0/evi/configs", params=params)
        response.raise_for_status()
        return model.model_validate_json(response.content).configs_page

    return call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("ours", "official", "raw"))
    parser.add_argument("url")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    call = {"ours": _ours, "official": _official, "raw": _raw}[args.mode](args.url)
    for _ in range(args.warmup):
        items = call()
    if len(items) != 10:
        raise SystemExit(f"expected 10 configs on the page, got {len(items)}")
    start = time.perf_counter()
    for _ in range(args.calls):
        call()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "calls": args.calls, "us_per_call": seconds / args.calls * 1e6}))


if __name__ == "__main__":
    main()
