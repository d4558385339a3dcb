"""WebSocket clients: one ``socket_client`` and one ``socket_connect`` module per channel.

For a channel whose sub-client is ``(a, b)``, the package gets:

- ``a/b/socket_connect.py``: the mixins that give the sub-clients their ``connect()``.
  It imports nothing heavy, so ``import <package>`` stays fast; the socket module and the
  ``websockets`` library are imported when ``connect()`` is first called.
- ``a/b/socket_client.py``: the sync and async socket classes, with a typed ``send_*``
  method per message the client sends and ``recv()``/iteration over what the server sends.

The shared machinery (URL building, auth, decoding, callbacks) is the runtime module
``core/socket.py`` (``templates/runtime/core/socket.py``); generated modules only declare.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.ir import Api, Channel

CONNECT_MODULE = "socket_connect"
CLIENT_MODULE = "socket_client"


@dataclass(frozen=True)
class Connector:
    """Mixin classes that add ``connect()`` to a sub-client (sync and async)."""

    module: str
    """Absolute dotted module that defines both mixins."""
    sync_mixin: str
    async_mixin: str


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)


def class_prefix(channel: Channel) -> str:
    """``("empathic_voice", "chat")`` -> ``Chat``: the prefix of the channel's class names."""
    return _pascal(channel.group[-1] if channel.group else channel.id)


def _channels_in(api: Api, group: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(channel for channel in api.channels if channel.group == group)


def socket_connectors(api: Api, group: tuple[str, ...]) -> tuple[Connector, ...]:
    """The mixins the sub-client class of ``group`` inherits from (empty when it has no channel)."""
    channels = _channels_in(api, group)
    if len(channels) > 1:
        ids = ", ".join(channel.id for channel in channels)
        raise ValueError(f"channels {ids} all belong to sub-client {'.'.join(group)}; each needs its own")
    return tuple(
        Connector(
            module=".".join((api.package, *channel.group, CONNECT_MODULE)),
            sync_mixin=f"{class_prefix(channel)}ConnectMixin",
            async_mixin=f"Async{class_prefix(channel)}ConnectMixin",
        )
        for channel in channels
    )


def render_sockets(api: Api) -> dict[str, str]:
    """Files to add to the generated tree (posix paths relative to it)."""
    files: dict[str, str] = {}
    return files
