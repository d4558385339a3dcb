"""The whole pipeline in one call: settings -> load -> normalise -> render -> format."""

from __future__ import annotations

from pathlib import Path

from generator.ir import Api
from generator.load import load_sources
from generator.load.extensions import load_extensions
from generator.settings import load_settings


def build_ir(specs_dir: Path) -> Api:
    settings = load_settings(specs_dir)
    sources = load_sources(settings)
    extensions = load_extensions(specs_dir)
    from generator.normalise import normalise  # imported late: bad input is reported without the later stages

    return normalise(settings, sources, extensions)


def build_files(specs_dir: Path) -> dict[str, str]:
    """Every file of the generated tree, formatted, keyed by posix path relative to the tree."""
    api = build_ir(specs_dir)
    from generator.format import format_files
    from generator.render import render

    return format_files(render(api))
