"""The output tree is swapped in whole, or not at all; drift is reported file by file."""

from __future__ import annotations

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
    real_rename = write.os.rename
    calls = []

    def rename(src: object, dst: object) -> None:
        calls.append((src, dst))
        if len(calls) == 2:  # the staging folder moving into place
            raise OSError("cross-device link")
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(write.os, "rename", rename)
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
