"""The limits sdkgen sets on what a description may make it do.

A description is untrusted input (users generate from files others publish, CI runs sdkgen on
pull requests), so the work and memory one can ask for are bounded. Each limit is set far above
what any real description needs (the largest in ``/work/shared/corpus`` nests about 30 levels
deep and follows ``$ref`` chains of a few hops); past one, the reader stops with a located
error (exit 2) instead of exhausting the machine. ``docs/spec-format.md`` lists them.
"""

from __future__ import annotations

import hashlib

MAX_NESTING = 5_000
"""Mappings and lists one document may nest (at least 1,000 are always accepted: an inline chain
of 2,000 object schemas nests about 4,000 levels)."""

MAX_REF_CHAIN = 1_000
"""``$ref``s one reference may pass through before it reaches a value that is not a ``$ref``."""

ALIAS_FACTOR = 10
"""YAML aliases are expanded into copies; all copies together may hold at most this many times
the nodes the document itself writes (or :data:`MIN_ALIAS_BUDGET`, whichever is more)."""

MIN_ALIAS_BUDGET = 100_000
"""The node budget of the expanded YAML document, for small documents."""

MAX_TYPE_NESTING = 50
"""Inline schemas one type expression may nest (``list[list[dict[str, ...]]]``): Python's parser
takes at most 200 nested brackets, and ``Optional``/``Union`` add their own."""

MAX_NUMBER_DIGITS = 4_000
"""Digits an integer literal may have (Python refuses to convert more than 4,300 by default)."""

MAX_NAME_LENGTH = 200
"""Characters a name that becomes a Python module or folder (a type, a group, an error class) may
have; file systems allow 255 bytes per file name, and a snake_case name may be longer than its
source. Names sdkgen makes up for inline schemas are shortened to :data:`DERIVED_NAME_LENGTH`."""

DERIVED_NAME_LENGTH = 100
"""A name made up for an inline schema (parent name + property...) whose module name (snake_case)
is longer than this keeps its start and ends with a hash of the whole name, so deep nesting still
gives short, distinct names."""


def shortened(name: str) -> str:
    """``name``, or when its snake_case form is longer than :data:`DERIVED_NAME_LENGTH` its start
    and a hash of all of it (in letters, so that it stays one word)."""
    from generator.naming import snake

    if len(snake(name)) <= DERIVED_NAME_LENGTH:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12].translate(_LETTERS)
    keep = DERIVED_NAME_LENGTH - len(digest) - 1
    while keep > 0 and len(snake(f"{name[:keep]}H{digest}")) > DERIVED_NAME_LENGTH:
        keep -= 4
    return f"{name[:keep]}H{digest}"


_LETTERS = str.maketrans("0123456789", "ghijklmnop")
