"""A description prepared for Fern gives the SDK its vendor ships: for ElevenLabs' (in
``../shared/corpus``, annotated with ``x-fern-sdk-group-name`` / ``x-fern-sdk-method-name``), the
SDK sdkgen generates exposes the client method paths of the published ``elevenlabs==2.12.1``
Python SDK of the same date.

``tests/fixtures/elevenlabs_2_12_1_methods.json`` holds those paths as facts, found by installing
that package in a scratch virtual environment (outside the repository) and walking the
attributes of ``ElevenLabs(api_key=...)``: every public method, following every public sub-client,
leaving out ``with_raw_response``. No code of the package is kept. The test generates the SDK
(unformatted: formatting changes nothing here), walks the attributes of its client the same way
in a child interpreter, and reports and asserts the share.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.realworld.corpus import CASES, CORPUS, settings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "elevenlabs_2_12_1_methods.json"
SHARE = 0.95

_WALK = r"""
import importlib, inspect, json, sys
sys.path.insert(0, sys.argv[2])
cls = getattr(importlib.import_module(sys.argv[1]), "Client")
credentials = {name: "x" for name, p in inspect.signature(cls).parameters.items() if p.kind == p.KEYWORD_ONLY and name != "base_url" and p.annotation in ("typing.Optional[str]", "str")}
client = cls(base_url="http://127.0.0.1:9", **credentials)
found = set()
def walk(obj, prefix):
    for name in dir(type(obj)) + list(vars(obj)):
        if name.startswith("_") or name in ("with_raw_response", "with_options"):
            continue
        value = getattr(obj, name)
        if inspect.ismethod(value):
            found.add(".".join(prefix + (name,)))
        elif type(value).__name__.endswith("Client") and len(prefix) < 8:
            walk(value, prefix + (name,))
walk(client, ())
print(json.dumps(sorted(found)))
"""


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo")
def test_the_elevenlabs_sdk_exposes_the_vendors_method_paths(tmp_path: Path) -> None:
    from generator.pipeline import render_files
    from generator.write import write_tree

    case = next(case for case in CASES if case.name == "elevenlabs")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "corpus").symlink_to(CORPUS)
    (specs / "sdkgen.yaml").write_text(yaml.safe_dump(settings(case)), encoding="utf-8")
    write_tree(render_files(specs), tmp_path / "out")
    result = subprocess.run(
        [sys.executable, "-c", _WALK, case.package, str(tmp_path / "out" / "src")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    ours = set(json.loads(result.stdout))
    theirs = json.loads(FIXTURE.read_text(encoding="utf-8"))
    missing = [path for path in theirs if path not in ours]
    share = 1 - len(missing) / len(theirs)
    print(
        f"elevenlabs 2.12.1: {len(theirs) - len(missing)} of {len(theirs)} method paths ({share:.1%}); missing: {missing}"
    )
    assert share >= SHARE, missing
