"""Code written against the official `hume` package keeps working with ours.

`fixtures/official_surface.json` records, for hume 0.14.1's sync and async clients, every
public method reachable from the client and its parameters (required or optional). It was
recorded by walking an instance of the official clients with `inspect`; these are names,
not code. Our generated clients must offer every method and parameter, must not require a
parameter the official one leaves optional, and must not require any extra parameter.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from hume import AsyncHumeClient, HumeClient

OFFICIAL: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parent / "fixtures" / "official_surface.json").read_text()
)


def _surface(root: Any, label: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}

    def walk(obj: Any, path: str, seen: set[int]) -> None:
        for name in sorted(dir(obj)):
            if name.startswith("_") or name == "with_raw_response":
                continue
            value = getattr(obj, name)
            if inspect.ismethod(value):
                found[f"{path}.{name}"] = {
                    p.name: "required" if p.default is inspect.Parameter.empty else "optional"
                    for p in inspect.signature(value).parameters.values()
                    if p.kind is not inspect.Parameter.VAR_KEYWORD
                }
            elif type(value).__module__.startswith("hume") and id(value) not in seen and hasattr(value, "__dict__"):
                seen.add(id(value))
                walk(value, f"{path}.{name}", seen)

    walk(root, label, set())
    return found


OURS = {**_surface(HumeClient(api_key="k"), "client"), **_surface(AsyncHumeClient(api_key="k"), "async_client")}


@pytest.mark.parametrize("method", sorted(OFFICIAL))
def test_official_method_is_offered_with_compatible_parameters(method: str) -> None:
    assert method in OURS, f"{method} is missing"
    official, ours = OFFICIAL[method], OURS[method]
    missing = sorted(set(official) - set(ours))
    assert not missing, f"{method} lacks parameters {missing}"
    newly_required = sorted(p for p, how in official.items() if how == "optional" and ours[p] == "required")
    assert not newly_required, f"{method} requires {newly_required}, which the official SDK leaves optional"
    extra_required = sorted(p for p, how in ours.items() if how == "required" and p not in official)
    assert not extra_required, f"{method} requires parameters the official SDK does not have: {extra_required}"


def test_expression_measurement_is_kept() -> None:
    for method in ("list_jobs", "start_inference_job", "start_inference_job_from_local_file", "get_job_artifacts"):
        assert f"client.expression_measurement.batch.{method}" in OURS
    assert "client.expression_measurement.stream.connect" in OURS
