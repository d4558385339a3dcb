"""One WebSocket per address: a channel only sent on and one only received on, at one address, are one.

AsyncAPI documents often describe one WebSocket connection as two channels: in 2.x a channel
with only a ``publish`` operation and one with only ``subscribe``, in 3.x a channel that only
``send`` operations use and one that only ``receive`` operations use. Generated as they are,
they would be two connections, and what the server sends in reply to one would arrive on the
other (as an :class:`UnknownMessage`, or not at all). So before the IR is made, such a pair
becomes one channel with the messages of both.

Two channels are a pair when:

- they have the same address, the same servers and the same parameters and bindings (the
  reader's *signature* of a channel says so; anything that changes the URL or the handshake
  keeps them apart);
- one carries only messages the described application sends and the other only messages it
  receives (a channel used both ways is a connection of its own, and stays one);
- no other channel has that signature (three or more channels at one address are left as
  they are: which ones belong together is not for sdkgen to guess).

The merged channel keeps the first channel's node (its bindings, parameters, description and
``x-sdk-*`` settings, read as usual) and takes its name from what the two keys share: the
words they start or end with (``speechSend`` and ``speechReceive`` are ``speech``), else the
address.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from generator import naming

if TYPE_CHECKING:
    from generator.normalise.asyncapi import _Channel


def merge_pairs(
    entries: list[_Channel], signature: Callable[[_Channel], Hashable], address_name: Callable[[_Channel], str]
) -> list[_Channel]:
    """``entries`` with each send-only/receive-only pair of the same signature made one (in the place
    of the first of the two). ``address_name`` names a merged channel whose keys share no words."""
    by_signature: dict[Hashable, list[_Channel]] = {}
    for entry in entries:
        by_signature.setdefault(signature(entry), []).append(entry)
    merged: dict[int, _Channel] = {}
    dropped: set[int] = set()
    for group in by_signature.values():
        if len(group) != 2:
            continue
        first, second = group
        sender = next((e for e in group if e.messages_sent and not e.messages_received), None)
        receiver = next((e for e in group if e.messages_received and not e.messages_sent), None)
        if sender is None or receiver is None or sender is receiver:
            continue
        key = _shared_name(first.key, second.key) or address_name(first)
        merged[id(first)] = dataclasses.replace(
            first,
            key=key,
            messages_sent=list(sender.messages_sent),
            messages_received=list(receiver.messages_received),
            replies=[*first.replies, *second.replies],
            merged_from=(first.key, second.key),
        )
        dropped.add(id(second))
    return [merged.get(id(entry), entry) for entry in entries if id(entry) not in dropped]


def _shared_name(first: str, second: str) -> str | None:
    """The words two channel keys start with, else those they end with (``None`` when they share none)."""
    a, b = naming.words(first), naming.words(second)
    lead = _common(a, b)
    if lead:
        return "_".join(word.lower() for word in lead)
    tail = _common(a[::-1], b[::-1])[::-1]
    return "_".join(word.lower() for word in tail) or None


def _common(a: list[str], b: list[str]) -> list[str]:
    shared = []
    for x, y in zip(a, b):
        if x.lower() != y.lower():
            break
        shared.append(x)
    return shared
