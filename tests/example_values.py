"""Example values as real Python values, for tests that call a generated SDK: model instances
(the generated package must be importable) or plain JSON-like data, from the same example trees
the docs show (:mod:`generator.render.samples`)."""

from __future__ import annotations

import importlib
from typing import Any

from generator.ir import Api
from generator.render.annotations import type_import
from generator.render.samples import Entries, Example, FileUpload, Items, Scalar

SAMPLE_FILE = b"RIFF0000WAVEfmt0000data"
"""The bytes the tests upload where the API takes a file (no URL-reserved characters: Prism checks)."""


def value(api: Api, example_value: Example, models: bool = True) -> Any:
    """The example as a real value: model instances (``models``) or plain JSON-like dicts.

    The generated package must be importable (the tests install it).
    """
    if isinstance(example_value, Scalar):
        return example_value.value
    if isinstance(example_value, FileUpload):
        return (example_value.filename + ".wav", SAMPLE_FILE, "audio/wav")
    if isinstance(example_value, Items):
        return [value(api, item, models) for item in example_value.items]
    if isinstance(example_value, Entries):
        return {key: value(api, item, models) for key, item in example_value.entries}
    if not models or example_value.type_id is None:
        return {wire: value(api, item, models) for _, wire, item in example_value.fields}
    module, name = type_import(api, example_value.type_id)
    cls = getattr(importlib.import_module(module), name)
    return cls(**{wire: value(api, item, models) for _, wire, item in example_value.fields})
