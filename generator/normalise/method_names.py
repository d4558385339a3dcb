"""The names of a source's methods: the one an extension gives, else the operationId's, without the
name of the sub-client the method is on.

An operationId often starts with its tag (``repos/get``, ``Pets_List``, ``usersCount``): the
method is then on ``client.repos`` already, and ``client.repos.get(...)`` reads better than
``client.repos.repos_get(...)``. The group's last name is cut from the snake_cased operationId when
what is left is a plain name that is no other method's of the group (whether cut or not), no
sub-client's and no name the SDK uses. Names an extension gives (``x-sdk-method``,
``x-fern-sdk-method-name``, ``x-speakeasy-name-override``) are kept as written.

A name taken already (by another operation of the group, a repeated operationId say; by a sub-client;
by the SDK's own ``with_raw_response``...) is numbered (``get_2``), with a warning at the operation.
``x-sdk-method`` is the user's word: its name is neither cut nor numbered (a clash of it is refused).
"""

from __future__ import annotations

import keyword
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator import naming
from generator.errors import Location, warn

__all__ = ["Named", "method_names"]


@dataclass(frozen=True)
class Named:
    """An operation to name: its group, and the name an extension gives (``None``: from its operationId)."""

    group: tuple[str, ...]
    operation_id: str
    given: str | None
    location: Location | None = None
    fixed: bool = False
    """``given`` is ``x-sdk-method``'s: kept whatever it clashes with."""


def method_names(operations: Sequence[Named]) -> list[str]:
    """The method name of each of ``operations`` (one source's, in order)."""
    full = [op.given or naming.snake(op.operation_id) for op in operations]
    cut = [_cut(op.group, name) if op.given is None else None for op, name in zip(operations, full)]
    children: dict[tuple[str, ...], set[str]] = {}
    for op in operations:
        for depth in range(len(op.group)):
            children.setdefault(op.group[:depth], set()).add(op.group[depth])
    by_group: dict[tuple[str, ...], list[int]] = {}
    for index, op in enumerate(operations):
        by_group.setdefault(op.group, []).append(index)
    names = list(full)
    for group, members in by_group.items():
        taken = naming.client_members(group) | children.get(group, set())
        # Every name a member has or could have: a cut is kept when it is its own alone. (``connect``
        # is kept for a channel's client, which another source may add.)
        counts = Counter(name for index in members for name in (full[index], cut[index]) if name is not None)
        for index in members:
            short = cut[index]
            if short is not None and short not in taken | {naming.CONNECT} and counts[short] == 1:
                names[index] = short
        movable = [index for index in members if not operations[index].fixed]
        taken |= {names[index] for index in members if operations[index].fixed}
        for index, name in zip(movable, naming.dedupe([names[index] for index in movable], taken)):
            if name != names[index]:
                where = ".".join((*group, names[index]))
                warn(
                    f"the method name {where!r} is taken (by another operation, a sub-client or the SDK); "
                    f"this operation's method is called {name!r} (x-sdk-method names it otherwise)",
                    operations[index].location,
                )
                names[index] = name
    return names


def _cut(group: tuple[str, ...], name: str) -> str | None:
    """``name`` without the group's last name in front (``repos_get`` on ``repos`` -> ``get``), or None."""
    if not group or not name.startswith(group[-1] + "_"):
        return None
    rest = name[len(group[-1]) + 1 :]
    if not rest or not rest.isidentifier() or keyword.iskeyword(rest) or rest.startswith("_") or rest[0].isdigit():
        return None
    return rest
