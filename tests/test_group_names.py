"""Sub-client class names chosen in normalise: a group named as the package is no second root client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from generator import cli, naming
from generator.pipeline import Project, build_ir
from tests.test_zero_config import widgets_api


def _write(path: Path, data: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_group_whose_classes_are_the_roots_gets_group_in_its_names() -> None:
    assert naming.client_classes(("speech",), "SpeechClient", "AsyncSpeechClient")[:3] == (
        "SpeechGroupClient",
        "AsyncSpeechGroupClient",
        "RawSpeechGroupClient",
    )
    # the async root's name is taken too
    assert naming.client_classes(("async_speech",), "SpeechClient", "AsyncSpeechClient")[0] == "AsyncSpeechGroupClient"
    assert naming.client_classes(("tts", "speech"), "HumeClient", "AsyncHumeClient")[0] == "SpeechClient"


def test_a_group_named_as_the_package_gets_classes_of_its_own(tmp_path: Path) -> None:
    """The tag ``speech`` of the package ``speech``: the group's classes are not the root's (they were
    both ``SpeechClient``, and the root's module imported the other), and the SDK type-checks."""
    document = widgets_api()
    document["info"]["title"] = "Speech"
    document["paths"]["/widgets/{widget_id}"]["get"]["tags"] = ["speech"]
    document["paths"]["/voices"] = {
        "get": {"operationId": "listVoices", "tags": ["voices"], "responses": {"204": {"description": "None."}}}
    }
    spec = _write(tmp_path / "speech.yaml", document)
    api = build_ir(Project.from_files([spec], package="speech"))
    assert (api.client, api.async_client) == ("SpeechClient", "AsyncSpeechClient")
    speech, voices = api.group(("speech",)), api.group(("voices",))
    assert (speech.client, speech.async_client, speech.raw_client) == (
        "SpeechGroupClient",
        "AsyncSpeechGroupClient",
        "RawSpeechGroupClient",
    )
    assert (voices.client, voices.async_client) == ("VoicesClient", "AsyncVoicesClient")
    assert cli.main(["generate", str(spec), "--out", str(tmp_path / "sdk"), "--package", "speech"]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy"), "speech"],
        cwd=tmp_path / "sdk" / "src",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout
