"""User code passing a dict with a misspelt key where a method takes a model: ``mypy --strict`` must reject it."""

from __future__ import annotations

from hume import HumeClient

client = HumeClient(api_key="key")
client.tts.synthesize_json(utterances=[{"txet": "hi"}])
