"""The `sdkgen` command as a user meets it: --version, --help, messages, and no traceback ever."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pytest

from generator import cli, write
from tests.conftest import REPO

PETSTORE = REPO / "tests" / "specs" / "petstore"


def _sdkgen(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_version_names_the_installed_version() -> None:
    from importlib import metadata

    result = _sdkgen("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sdkgen {metadata.version('sdkgen')}"


@pytest.mark.parametrize("command", [[], ["generate"], ["check"], ["init"], ["ir"]])
def test_help_is_plain_text(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: sdkgen")
    assert "``" not in text and ":func:" not in text and ":class:" not in text
    assert len(text.splitlines()) > 5


def test_an_internal_error_is_one_line_with_a_bug_report_hint(tmp_path: Path) -> None:
    """Force a bug (an exception no stage expects) inside the pipeline of a real process."""
    script = textwrap.dedent(
        f"""
        import sys
        from generator import cli, pipeline

        def broken(*args, **kwargs):
            raise KeyError("no such template")

        pipeline.build_ir = broken
        sys.exit(cli.main(["generate", "--specs", {str(PETSTORE)!r}, "--out", {str(tmp_path / "out")!r}, "--no-cache"]))
        """
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "SDKGEN_TRACEBACK"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == cli.EXIT_BUG
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "sdkgen: internal error: KeyError: 'no such template'"
    assert lines[1:] == [f"sdkgen: {cli.BUG_REPORT_HINT}"]
    assert not (tmp_path / "out").exists()


def test_sdkgen_traceback_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import pipeline

    def broken(*args: object, **kwargs: object) -> typing.Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "build_ir", broken)
    monkeypatch.setenv("SDKGEN_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="boom"):
        cli.main(["generate", "--specs", str(PETSTORE), "--out", str(tmp_path / "out"), "--no-cache"])


def test_stale_output_names_the_command_to_run_with_the_users_folders(tmp_path: Path) -> None:
    specs = Path(shutil.copytree(PETSTORE, tmp_path / "my specs"))
    out = tmp_path / "sdk"
    assert _sdkgen("generate", "--specs", str(specs), "--out", str(out)).returncode == 0
    readme = out / "README.md"
    readme.write_text(readme.read_text() + "edited\n")
    result = _sdkgen("check", "--specs", str(specs), "--out", str(out))
    assert result.returncode == 1
    assert f"run `sdkgen generate --specs '{specs}' --out {out}`" in result.stderr
    assert "make " not in result.stderr


def test_stale_output_of_loose_files_names_them(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Tiny, version: '1'}\nservers: [{url: 'https://tiny.example.com'}]\n"
        "paths: {/ping: {get: {operationId: ping, responses: {'204': {description: ok}}}}}\n"
    )
    out = tmp_path / "out"
    assert _sdkgen("generate", "api.yaml", "--out", "out", "--package", "tiny", cwd=tmp_path).returncode == 0
    (out / "README.md").write_text("edited\n")
    result = _sdkgen("check", "api.yaml", "--out", "out", "--package", "tiny", cwd=tmp_path)
    assert result.returncode == 1
    assert "run `sdkgen generate api.yaml --package tiny --out out`" in result.stderr


def test_generate_will_not_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "project"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    result = _sdkgen("generate", "--specs", str(PETSTORE), "--out", str(out), "--no-cache")
    assert result.returncode == 2, result.stderr
    assert "holds 1 file sdkgen did not write (notes.txt)" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    # an earlier output of sdkgen is replaced, but not a file added to it, unless --force
    fresh = tmp_path / "sdk"
    assert _sdkgen("generate", "--specs", str(PETSTORE), "--out", str(fresh), "--no-cache").returncode == 0
    assert _sdkgen("generate", "--specs", str(PETSTORE), "--out", str(fresh), "--no-cache").returncode == 0
    (fresh / "stray.txt").write_text("x\n")
    refused = _sdkgen("generate", "--specs", str(PETSTORE), "--out", str(fresh), "--no-cache")
    assert refused.returncode == 2 and "(stray.txt)" in refused.stderr
    assert _sdkgen("generate", "--specs", str(PETSTORE), "--out", str(fresh), "--no-cache", "--force").returncode == 0
    assert not (fresh / "stray.txt").exists()


def test_an_unwritable_output_is_one_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = _sdkgen("generate", "--specs", str(PETSTORE), "--out", str(blocker / "sdk"), "--no-cache")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("sdkgen: warning:")]
    assert errors == [f"sdkgen: error: {blocker}: File exists"]


def test_a_missing_specs_folder_says_what_to_do(tmp_path: Path) -> None:
    result = _sdkgen("generate", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "specs: no such folder" in result.stderr and "sdkgen init" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "a.yaml", "--specs", "specs"], "either SPEC files or --specs DIR"),
        (["generate", "--package", "x"], "--package goes with SPEC files"),
    ],
)
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_the_output_folder_is_recognised_by_the_header_render_writes() -> None:
    from generator.render.templating import HEADER

    assert HEADER.startswith(write.GENERATED_MARK)
