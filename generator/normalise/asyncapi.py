"""AsyncAPI 3.0 channels, operations and messages -> :class:`~generator.ir.Channel`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import naming
from generator.errors import warn
from generator.ir import DEFAULT_MAX_MESSAGE_SIZE, Channel, ChannelAuth, Message, Parameter, QueryStyle, Source
from generator.normalise import extensions, media
from generator.normalise.nodes import Node, deref, follow
from generator.normalise.schemas import BINARY, STRING, Types, example_of

if TYPE_CHECKING:
    from generator.load import LoadedSource
    from generator.settings import Settings


class AsyncApiReader:
    """Reads the channels of one AsyncAPI source."""

    def __init__(self, types: Types, source: LoadedSource, settings: Settings) -> None:
        self.types = types
        self.root = Node(source.document, "", source.document.data)
        self.module = source.settings.module
        self.url_keys = settings.url_keys
        version = str(self.root.get("asyncapi", ""))
        if not version.startswith("3."):
            raise self.root.fail(f"AsyncAPI {version or '(no version)'} is not supported; sdkgen reads AsyncAPI 3.0")

    def channels(self) -> list[Channel]:
        operations = [deref(self.types.registry, node) for _, node in self.root.items("operations")]
        return [self._channel(key, node, operations) for key, node in self.root.items("channels")]

    def _channel(self, key: str, node: Node, operations: list[Node]) -> Channel:
        channel = deref(self.types.registry, node)
        group = extensions.group(channel, self.module) or (*self.module, naming.snake(key))
        hint = naming.pascal(group[-1] if group else key)
        auth = self._auth(channel)
        publish, subscribe = self._messages(node, channel, operations)
        discriminator = self._discriminator(channel, subscribe)
        sent = tuple(self._message(name, message, True, discriminator) for name, message in publish)
        _check_send_methods(sent, channel)
        path_params = self._path_params(channel)
        return Channel(
            id=".".join(group) or key,
            group=group,
            address=str(channel.get("address") or ""),
            environment=self._server(channel)[0],
            source=Source(node.doc.file, node.pointer),
            path_params=path_params,
            query_params=self._query_params(channel, hint, auth, path_params),
            auth=auth,
            publish=sent,
            subscribe=tuple(self._message(name, message, False, discriminator) for name, message in subscribe),
            discriminator=discriminator,
            description=channel.text("description") or channel.text("summary") or channel.text("title"),
            max_message_size=_max_message_size(channel),
        )

    # ---- server: environment URL key and credentials ----------------------------------

    def _server(self, channel: Node) -> tuple[str, Node]:
        """The URL key (the server's key) and the server of a channel: its first, or the document's."""
        listed = channel.elements("servers")
        if listed:
            server = follow(self.types.registry, listed[0])
            key = server.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        else:
            servers = self.root.items("servers")
            if not servers:
                raise channel.fail("the channel has no server (and the document declares none)")
            key, server = servers[0]
        if key not in self.url_keys:
            raise server.fail(
                f"server {key!r} is not an environment URL key ({', '.join(self.url_keys)}) in sdkgen.yaml"
            )
        return key, deref(self.types.registry, server)

    def _auth(self, channel: Node) -> tuple[ChannelAuth, ...]:
        result = []
        for item in self._server(channel)[1].elements("security"):
            scheme = deref(self.types.registry, item)
            location, name = scheme.get("in"), scheme.get("name")
            if scheme.get("type") == "httpApiKey" and location in ("header", "query") and isinstance(name, str):
                result.append(ChannelAuth(location, name))
        return tuple(result)

    # ---- parameters --------------------------------------------------------------------

    def _path_params(self, channel: Node) -> tuple[Parameter, ...]:
        entries = channel.items("parameters")
        names = naming.dedupe((naming.param_name(name) for name, _ in entries), naming.CONNECT_ARGUMENTS)
        result = []
        for (name, node), py_name in zip(entries, names):
            node = deref(self.types.registry, node)
            result.append(
                Parameter(
                    name=name,
                    py_name=py_name,
                    location="path",
                    type=STRING,
                    required=True,
                    description=node.text("description"),
                    has_default="default" in (node.value or {}),
                    default=node.get("default"),
                    **example_of(node.value, node.get("schema")),
                )
            )
        return tuple(result)

    def _query_params(
        self, channel: Node, hint: str, auth: tuple[ChannelAuth, ...], path_params: tuple[Parameter, ...]
    ) -> tuple[Parameter, ...]:
        """Properties of ``bindings.ws.query``, less the query parameter that carries the API key."""
        query = deref(self.types.registry, channel.child("bindings"))
        for key in ("ws", "query"):
            query = deref(self.types.registry, query.child(key))
        if query.value is None:
            return ()
        shape = self.types.shape(query)
        credentials = {item.name for item in auth if item.location == "query"}
        entries = [(name, node) for name, node in shape.properties.items() if name not in credentials]
        taken = (*naming.CONNECT_ARGUMENTS, *(param.py_name for param in path_params))
        names = naming.dedupe((naming.param_name(name) for name, _ in entries), taken)
        result = []
        for (name, node), py_name in zip(entries, names):
            schema = node.value if isinstance(node.value, dict) else {}
            result.append(
                Parameter(
                    name=name,
                    py_name=py_name,
                    location="query",
                    type=self.types.ref(node, hint + naming.pascal(name)),
                    required=name in shape.required,
                    description=node.text("description") if schema else None,
                    has_default="default" in schema,
                    default=schema.get("default"),
                    style=self._query_style(node),
                    deprecated=schema.get("deprecated") is True,
                    **example_of(schema),
                )
            )
        return tuple(result)

    def _query_style(self, node: Node) -> QueryStyle:
        """AsyncAPI gives no parameter styles: an object is written as ``name[key]=value`` pairs."""
        shape = self.types.shape(node)
        return "deepObject" if shape.properties or shape.additional is not None else "form"

    # ---- messages ----------------------------------------------------------------------

    def _messages(
        self, node: Node, channel: Node, operations: list[Node]
    ) -> tuple[list[tuple[str, Node]], list[tuple[str, Node]]]:
        """(key, message) pairs the client sends and receives, in the operations' order.

        An operation without ``messages`` handles all of its channel's messages.
        """
        entries = channel.items("messages")
        by_id: dict[str, str] = {}
        for key, message in entries:
            by_id[message.id] = key
            by_id[deref(self.types.registry, message).id] = key
        messages = {key: deref(self.types.registry, message) for key, message in entries}
        sent: list[str] = []
        received: list[str] = []
        for operation in operations:
            if follow(self.types.registry, operation.child("channel")).id not in (node.id, channel.id):
                continue
            action = operation.get("action")
            if action not in ("send", "receive"):
                raise operation.fail("an operation's action must be 'send' or 'receive'", "action")
            listed = operation.elements("messages")
            keys = (
                [self._message_key(ref, by_id) for ref in listed] if "messages" in operation.value else list(messages)
            )
            chosen = sent if action == "send" else received
            chosen.extend(key for key in keys if key not in chosen)
        if messages and not sent and not received:
            warn("no operation sends or receives this channel's messages", channel.location)
        return [(key, messages[key]) for key in sent], [(key, messages[key]) for key in received]

    def _message_key(self, ref: Node, by_id: dict[str, str]) -> str:
        target = follow(self.types.registry, ref)
        key = by_id.get(target.id) or by_id.get(deref(self.types.registry, target).id)
        if key is None:
            raise ref.fail("the operation's message is not one of its channel's messages")
        return key

    def _message(self, key: str, node: Node, sent: bool, discriminator: str | None) -> Message:
        name = node.text("name") or key
        payload = _payload(node)
        binary = self._is_binary(node)
        custom = extensions.identifier(node, "x-sdk-send-method")
        tagged = discriminator is not None and not binary and payload.value is not None
        return Message(
            name=name,
            py_name=naming.snake(name),
            type=BINARY if binary else self.types.ref(payload, naming.class_name(name)),
            tag=self.types.tag(payload, discriminator) if tagged and discriminator else None,
            send_method=(custom or f"send_{naming.snake(name)}") if sent else None,
            description=node.text("description") or node.text("summary"),
        )

    def _is_binary(self, message: Node) -> bool:
        content_type = message.get("contentType") or self.root.get("defaultContentType") or "application/json"
        payload = _payload(message).value
        binary_payload = (
            isinstance(payload, dict) and payload.get("type") == "string" and payload.get("format") == "binary"
        )
        return media.request_kind(str(content_type)) == "binary" or binary_payload

    def _discriminator(self, channel: Node, received: list[tuple[str, Node]]) -> str | None:
        """``x-sdk-discriminator``, else the ``discriminator`` all payloads name, else an inferred one."""
        custom = channel.get("x-sdk-discriminator")
        if custom is not None:
            if not isinstance(custom, str):
                raise channel.fail("x-sdk-discriminator must be a property name", "x-sdk-discriminator")
            return custom
        payloads = [deref(self.types.registry, _payload(node)) for _, node in received if not self._is_binary(node)]
        payloads = [payload for payload in payloads if payload.value is not None]
        declared = {_declared_discriminator(payload.value) for payload in payloads}
        if len(declared) == 1 and None not in declared:
            return declared.pop()
        inferred = self.types.infer_discriminator(payloads)
        return inferred[0] if inferred else None


def _check_send_methods(messages: tuple[Message, ...], channel: Node) -> None:
    seen: dict[str | None, Message] = {}
    for message in messages:
        other = seen.setdefault(message.send_method, message)
        if other is not message:
            raise channel.fail(
                f"messages {other.name!r} and {message.name!r} both get send method {message.send_method!r}; "
                "set x-sdk-send-method on one of them"
            )


def _payload(message: Node) -> Node:
    """The payload schema of a message (the inner schema of a multi-format schema object)."""
    payload = message.child("payload")
    if isinstance(payload.value, dict) and "schemaFormat" in payload.value and "schema" in payload.value:
        return payload.child("schema")
    return payload


def _declared_discriminator(schema: object) -> str | None:
    if not isinstance(schema, dict):
        return None
    raw = schema.get("discriminator")
    value = raw.get("propertyName") if isinstance(raw, dict) else raw
    return value if isinstance(value, str) else None


def _max_message_size(channel: Node) -> int | None:
    """``x-sdk-max-message-size`` of the channel: bytes, or ``null`` for no limit."""
    if not isinstance(channel.value, dict) or "x-sdk-max-message-size" not in channel.value:
        return DEFAULT_MAX_MESSAGE_SIZE
    value = channel.value["x-sdk-max-message-size"]
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return value
    raise channel.fail(
        "x-sdk-max-message-size must be a positive number of bytes, or null for no limit", "x-sdk-max-message-size"
    )
