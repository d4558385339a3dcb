"""Errors and warnings that point at a place in an input document.

Every problem with the input is reported as a :class:`SpecError` naming the file,
the JSON pointer inside it and, when known, the line. The CLI turns it into one
message on stderr and exit code 2; nothing else in the generator prints tracebacks
for bad input.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in an input document: file path, JSON pointer, 1-based line if known."""

    file: str
    pointer: str = ""
    line: int | None = None
    format: str | None = None
    """The format the file is written in when it is read as another (``Swagger 2.0``); the pointer is the file's."""

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.pointer:
            text += f" at {self.pointer}"
        if self.format:
            text += f" ({self.format})"
        return text


class SpecError(Exception):
    """Bad input: the message says what is wrong, the location says where."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


MAX_ERRORS = 20
"""How many problems one run reports at most before it stops looking."""


class SpecErrors(SpecError):
    """Several problems found in one run, each with its location: the CLI prints one line each."""

    def __init__(self, errors: list[SpecError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.location)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class Collector:
    """Gathers the SpecErrors of independent parts (operations, schemas, documents), so one run
    reports them all (up to :data:`MAX_ERRORS`); :meth:`done` raises them together."""

    def __init__(self) -> None:
        self.errors: list[SpecError] = []

    def add(self, error: SpecError) -> None:
        for one in error.errors if isinstance(error, SpecErrors) else [error]:
            if str(one) not in {str(known) for known in self.errors}:
                self.errors.append(one)
        if len(self.errors) >= MAX_ERRORS:
            self.done()

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise SpecErrors(self.errors[:MAX_ERRORS])


def warn(message: str, location: Location | None = None) -> None:
    """Report a wart in the input that the generator copes with."""
    where = f"{location}: " if location is not None else ""
    print(f"sdkgen: warning: {where}{message}", file=sys.stderr)
