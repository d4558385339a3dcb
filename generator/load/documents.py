"""A parsed spec file: its data and where each node came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.errors import Location
from generator.load.json_reader import read_json
from generator.load.lines import Lines, split_pointer
from generator.load.yaml_reader import read_yaml


class Document:
    """One parsed spec file. ``file`` is relative to the specs folder, in posix form."""

    def __init__(self, file: str, data: Any, lines: Lines) -> None:
        self.file = file
        self.data = data
        self._lines = lines
        self.format: str | None = None
        """The format the file is written in, when it was converted into another as it was read."""
        self.original_pointer: Callable[[str], str] | None = None
        """For a converted document: the pointer in the file as written of a pointer into the conversion."""

    def location(self, pointer: str) -> Location:
        """Where ``pointer`` is: its line, or its nearest ancestor's when it has none (for a converted
        document, the pointer in the file as written, and its format)."""
        line = self._lines.find(self.data, split_pointer(pointer))
        if self.original_pointer is not None:
            return Location(self.file, self.original_pointer(pointer), line, self.format)
        return Location(self.file, pointer, line)

    def __repr__(self) -> str:
        return f"Document({self.file!r})"


def parse(file: str, text: str) -> Document:
    """Parse ``text`` (YAML, or JSON when ``file`` ends in ``.json``); bad input is a SpecError."""
    data, lines = read_json(file, text) if file.endswith(".json") else read_yaml(file, text)
    return Document(file, data, lines)
