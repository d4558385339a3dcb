"""The whole pipeline in one call: settings -> load -> normalise (deriving what the settings leave out) -> render -> format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.ir import Api
from generator.load import LoadedSource, load_sources
from generator.load.extensions import LoadedExtensions, load_extensions
from generator.settings import Draft, Settings, read_settings, settings_for_files


@dataclass(frozen=True)
class Project:
    """What to generate from: a specs folder with ``sdkgen.yaml``, or loose description files."""

    draft: Draft
    shown: str
    """How the user named the input, for messages."""
    cacheable: bool
    """A specs folder holds every input, so the run record can fingerprint it; loose files may $ref others."""

    @property
    def root(self) -> Path:
        return self.draft.root

    @classmethod
    def from_folder(cls, specs_dir: Path) -> Project:
        return cls(read_settings(specs_dir), str(specs_dir), True)

    @classmethod
    def from_files(cls, files: list[Path], package: str | None = None, root: Path | None = None) -> Project:
        return cls(settings_for_files(files, package, root), " ".join(str(file) for file in files), False)


def _project(specs: Path | Project) -> Project:
    return specs if isinstance(specs, Project) else Project.from_folder(specs)


def resolve(specs: Path | Project) -> tuple[Settings, tuple[LoadedSource, ...]]:
    """The complete settings (names and environments derived where the user left them out) and the loaded sources."""
    from generator.normalise import derive

    draft = _project(specs).draft
    return derive.complete(draft, load_sources(draft))


def build_ir(specs: Path | Project) -> Api:
    project = _project(specs)
    settings, sources = resolve(project)
    # Hand-written extensions live in a specs folder (specs/extensions/), not beside loose files.
    extensions = load_extensions(project.root) if project.cacheable else LoadedExtensions()
    from generator.normalise import normalise  # imported late: bad input is reported without the later stages

    return normalise(settings, sources, extensions)


def render_files(specs: Path | Project) -> dict[str, str]:
    """Every file of the generated tree as rendered, before formatting (``sdkgen generate`` formats
    them where it writes them, see :func:`generator.write.write_tree`)."""
    from generator.render import render

    return render(build_ir(specs))


def build_files(specs: Path | Project) -> dict[str, str]:
    """Every file of the generated tree, formatted, keyed by posix path relative to the tree."""
    api = build_ir(specs)
    from generator.format import format_files
    from generator.render import render

    return format_files(render(api))
