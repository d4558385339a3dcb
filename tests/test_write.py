"""The output tree is swapped in whole, or not at all; drift is reported file by file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import write


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_write_tree_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    (out / "stale").mkdir(parents=True)
    (out / "stale" / "old.py").write_text("x = 1\n")
    write.write_tree({"pkg/__init__.py": "", "pkg/a.py": "A = 1\n"}, out)
    assert _tree(out) == {"pkg/__init__.py": b"", "pkg/a.py": b"A = 1\n"}
    assert [p.name for p in tmp_path.iterdir()] == ["generated"], "no staging or backup folder is left behind"


def test_write_tree_leaves_the_old_tree_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    (out / "keep.py").write_text("keep = True\n")
    before = _tree(out)
    real_write_text = Path.write_text

    def failing_write_text(self: Path, data: str, *args: object, **kwargs: object) -> int:
        if self.name == "second.py":
            raise OSError("disk full")
        return real_write_text(self, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing_write_text)
    with pytest.raises(OSError, match="disk full"):
        write.write_tree({"first.py": "1\n", "second.py": "2\n"}, out)
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["generated"]


def test_write_tree_restores_the_old_tree_when_the_swap_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    (out / "keep.py").write_text("keep = True\n")
    before = _tree(out)
    real_rename = os.rename
    calls: list[tuple[str | os.PathLike[str], str | os.PathLike[str]]] = []

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append((src, dst))
        if len(calls) == 2:  # the staging folder moving into place
            raise OSError("cross-device link")
        real_rename(src, dst)

    monkeypatch.setattr("generator.write.os.rename", rename)
    with pytest.raises(OSError):
        write.write_tree({"new.py": "1\n"}, out)
    assert _tree(out) == before


def test_compare_tree_lists_added_removed_and_changed_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    (out / "__pycache__").mkdir(parents=True)
    (out / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (out / "same.py").write_text("s = 1\n")
    (out / "changed.py").write_text("c = 1\n")
    (out / "gone.py").write_text("g = 1\n")
    files = {"same.py": "s = 1\n", "changed.py": "c = 2\n", "new.py": "n = 1\n"}
    drift = write.compare_tree(files, out)
    assert drift.added == ("new.py",)
    assert drift.removed == ("gone.py",)
    assert drift.changed == ("changed.py",)
    summary = drift.summary(files, write.read_tree(out))
    assert "changed: changed.py" in summary and "-c = 1" in summary and "+c = 2" in summary
    assert not write.compare_tree({"same.py": "s = 1\n"}, out / "missing").removed
    assert not write.compare_tree(write.read_tree(out), out)


# ---- the output folder is the user's too ------------------------------------------------------

_SPEC = """\
openapi: 3.1.0
info: {title: Tiny, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /ping:
    get:
      operationId: ping
      responses: {"204": {description: done}}
"""


def _generate(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:

    from tests.conftest import REPO

    spec = tmp_path / "api.yaml"
    spec.write_text(_SPEC)
    command = [sys.executable, "-m", "generator", "generate", str(spec), "--out", str(tmp_path / "out"), "--no-cache"]
    return subprocess.run([*command, *extra], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_generate_writes_a_manifest_and_refuses_files_it_did_not_write(tmp_path: Path) -> None:
    assert _generate(tmp_path).returncode == 0
    out = tmp_path / "out"
    manifest = (out / write.MANIFEST).read_text()
    listed = [line for line in manifest.splitlines() if not line.startswith("#")]
    assert listed == sorted(path for path in write.read_tree(out) if path != write.MANIFEST)
    first = _tree(out)
    assert _generate(tmp_path).returncode == 0
    assert _tree(out) == first, "the same specs give the same files and manifest"

    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "NOTES.md").write_text("mine\n")
    (out / "src" / "tiny" / "mine.py").write_text("MINE = 1\n")
    before = _tree(out)
    refused = _generate(tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "2 files sdkgen did not write (NOTES.md, src/tiny/mine.py)" in refused.stderr
    assert _tree(out) == before

    (out / "NOTES.md").unlink()
    (out / "src" / "tiny" / "mine.py").unlink()
    assert _generate(tmp_path).returncode == 0
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n", "dot-folders are never touched"

    (out / "NOTES.md").write_text("mine\n")
    assert _generate(tmp_path, "--force").returncode == 0
    assert not (out / "NOTES.md").exists()
    assert (out / ".git" / "HEAD").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.yaml", "out"], "no staging folder is left"


def test_an_output_folder_without_a_manifest_is_accepted_when_sdkgen_wrote_it(tmp_path: Path) -> None:
    assert _generate(tmp_path).returncode == 0
    out = tmp_path / "out"
    (out / write.MANIFEST).unlink()  # as written by an sdkgen before manifests
    (out / "src" / "tiny" / "old_module.py").write_text(write.GENERATED_MARK + ". Do not edit.\n")
    assert _generate(tmp_path).returncode == 0, "generated files (header or rewritten paths) are sdkgen's"
    assert (out / write.MANIFEST).exists()
    assert not (out / "src" / "tiny" / "old_module.py").exists()
    (out / write.MANIFEST).unlink()
    (out / "src" / "tiny" / "handwritten.py").write_text("X = 1\n")
    refused = _generate(tmp_path)
    assert refused.returncode == 2 and "src/tiny/handwritten.py" in refused.stderr


def test_staging_folders_of_an_interrupted_run_are_cleaned_and_dot_folders_recovered(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    (out / "a.py").write_text("A = 1\n")
    dead = 2**22 + 12345  # above the default pid_max: no such process
    staging = tmp_path / f".generated-new-{dead}-x1y2"
    (staging / ".git").mkdir(parents=True)  # an interrupted swap had moved .git here
    (staging / ".git" / "HEAD").write_text("head\n")
    (staging / "half.py").write_text("")
    backup = tmp_path / f".generated-old-{dead}"
    (backup / "src").mkdir(parents=True)
    running = tmp_path / f".generated-old-{__import__('os').getppid()}"  # a run still going: left alone
    running.mkdir()
    write.write_tree({"a.py": "A = 2\n"}, out)
    assert (out / ".git" / "HEAD").read_text() == "head\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["generated", running.name])
    assert _tree(out) == {".git/HEAD": b"head\n", "a.py": b"A = 2\n"}


def test_a_swap_killed_half_way_is_recovered_by_the_next_run(tmp_path: Path) -> None:
    """Killed (not interrupted) after the old folder became the backup and .git went to the staging
    folder, before the new tree was renamed into place: the next run puts both back, then writes."""
    out = tmp_path / "generated"
    dead = 2**22 + 54321
    backup = tmp_path / f".generated-old-{dead}"
    backup.mkdir()
    (backup / "a.py").write_text("A = 1\n")
    staging = tmp_path / f".generated-new-{dead}-abcd"
    (staging / ".git").mkdir(parents=True)
    (staging / ".git" / "HEAD").write_text("head\n")
    (staging / "a.py").write_text("A = 2\n")
    write.write_tree({"a.py": "A = 3\n"}, out)
    assert _tree(out) == {".git/HEAD": b"head\n", "a.py": b"A = 3\n"}
    assert [p.name for p in tmp_path.iterdir()] == ["generated"]


def test_ctrl_c_never_leaves_the_output_folder_half_swapped(tmp_path: Path) -> None:
    """SIGINT at several moments of a run: the output folder keeps .git and is the old or the new
    tree, whole; the next run leaves no staging folder behind."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import REPO

    assert _generate(tmp_path).returncode == 0
    out = tmp_path / "out"
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref\n")
    spec = tmp_path / "api.yaml"
    for delay in (0.3, 0.6, 0.9, 1.2):
        spec.write_text(_SPEC.replace("/ping", f"/ping{int(delay * 10)}"))
        command = [sys.executable, "-m", "generator", "generate", str(spec), "--out", str(out), "--no-cache"]
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=120)
        assert (out / ".git" / "HEAD").read_text() == "ref\n"
        listed = [line for line in (out / write.MANIFEST).read_text().splitlines() if not line.startswith("#")]
        assert listed == sorted(path for path in write.read_tree(out) if path != write.MANIFEST)
    assert _generate(tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.yaml", "out"]
