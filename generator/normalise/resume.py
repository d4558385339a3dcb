"""Which ``connect()`` parameter of a channel resumes an earlier session, and where its value comes from.

Some WebSocket APIs let a new connection continue a session that dropped: a query parameter
of the handshake takes an id that the server sent on the earlier connection (Hume EVI's
``resumed_chat_group_id``, the ``chat_group_id`` of its ``ChatMetadata`` message). The
generated README shows how to reconnect with it.

It is found in this order:

1. ``x-sdk-resume`` on the query parameter's schema (in ``bindings.ws.query``): ``true``, or
   ``{message: <name of a received message>, field: <property of its payload>}`` naming where
   the value comes from; ``false`` says the parameter is no such thing.
2. Otherwise, a query parameter whose name has a word beginning with ``resum`` (``resume_id``,
   ``resumed_session_id``) and whose other words are the name of a property of a received
   message (``session_id``): that message and property.

At most one parameter per channel resumes; the first found wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator import naming
from generator.ir import Parameter, Resume
from generator.normalise.nodes import Node

EXTENSION = "x-sdk-resume"


def find_resume(params: Sequence[tuple[Parameter, Node]], received: Mapping[str, frozenset[str]]) -> Resume | None:
    """The resume parameter among ``params`` (each with its schema node) of a channel whose received
    messages (by name) have the given payload properties; ``None`` when there is none."""
    for param, node in params:
        declared = node.get(EXTENSION)
        if declared is None:
            continue
        if declared is False:
            continue
        if declared is True:
            return Resume(param.py_name)
        message, field = (
            (declared.get("message"), declared.get("field")) if isinstance(declared, dict) else (None, None)
        )
        if not isinstance(message, str) or not isinstance(field, str):
            raise node.fail(f"{EXTENSION} must be true, false or {{message: <name>, field: <property>}}", EXTENSION)
        if field not in received.get(message, frozenset()):
            known = ", ".join(sorted(received)) or "none"
            raise node.fail(
                f"{EXTENSION}: the channel receives no message {message!r} with a property {field!r} "
                f"(received messages: {known})",
                EXTENSION,
            )
        return Resume(param.py_name, message, field)
    for param, node in params:
        if node.get(EXTENSION) is False:
            continue
        words = [word.lower() for word in naming.words(param.name)]
        rest = "_".join(word for word in words if not word.startswith("resum"))
        if len(rest) == len("_".join(words)) or not rest:
            continue
        for message, properties in received.items():
            field = next((name for name in sorted(properties) if "_".join(naming.words(name)).lower() == rest), None)
            if field is not None:
                return Resume(param.py_name, message, field)
    return None
