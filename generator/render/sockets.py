"""WebSocket clients: a ``socket_client`` and a ``socket_connect`` module per channel.

For a channel whose sub-client is ``(a, b)``, the package gets:

- ``a/b/socket_connect.py``: the mixins that give the sync and async sub-clients their
  ``connect()``. It imports nothing heavy, so importing the SDK stays fast; the socket
  module (and with it the ``websockets`` library) is imported when ``connect()`` is called.
- ``a/b/socket_client.py``: the sync and async socket classes, with a typed ``send_*``
  method per message the client sends, ``send_publish()`` for any of them, and
  ``recv()``/iteration/``start_listening()`` over what the server sends.

The machinery shared by every channel (handshake URL and headers, decoding, callbacks,
close handling) is the runtime module ``core/_socket.py``; generated modules only declare
what differs: the channel's address and credentials, its messages and their tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir, naming
from generator.ir import Api, Channel, Message
from generator.naming import GENERIC_SEND
from generator.render.annotations import Imports, annotation, input_annotation, type_import
from generator.render.endpoints import QueryStyleView, query_styles, security_literal
from generator.render.names import dotted, pascal, runtime
from generator.render.templating import HEADER, render_template
from generator.render.text import clean, docstring, string_literal
from generator.typerefs import breadth, holds_models, unwrap_nullable

CONNECT_MODULE = naming.SOCKET_CONNECT
CLIENT_MODULE = naming.SOCKET_CLIENT


@dataclass(frozen=True)
class Connector:
    """Mixin classes that add ``connect()`` to a sub-client (sync and async)."""

    module: str
    """Absolute dotted module that defines both mixins."""
    sync_mixin: str
    async_mixin: str


def socket_connectors(api: Api, group: tuple[str, ...]) -> tuple[Connector, ...]:
    """The mixins the sub-client classes of ``group`` inherit from (none when it has no channel)."""
    return tuple(
        Connector(module=names.connect_module, sync_mixin=names.sync_mixin, async_mixin=names.async_mixin)
        for names in (SocketNames.of(api, channel) for channel in _channels_in(api, group))
    )


def socket_exports(api: Api, group: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(name, absolute module) of what the package of sub-client ``group`` re-exports of its channel:
    the sync and async socket classes and the union of the messages they receive."""
    result: list[tuple[str, str]] = []
    for channel in _channels_in(api, group):
        names = SocketNames.of(api, channel)
        result += [(name, names.client_module) for name in (names.sync_class, names.async_class, names.response)]
    return tuple(result)


SOCKET_RUNTIME_EXPORTS = ("SocketClosedError", "UnknownMessage")
"""The names of the socket runtime (``core/_socket.py``) that ``core`` offers, in an SDK with channels."""


def socket_names(api: Api, channel: Channel) -> SocketNames:
    """The modules and classes of ``channel``."""
    return SocketNames.of(api, channel)


def connect_api_key(api: Api, channel: Channel) -> str | None:
    """The keyword of ``connect()`` that takes an API key for the connection, when it has one."""
    key_param = api.api_key.params[0] if api.api_key is not None else "api_key"
    taken = {param.py_name for param in (*channel.path_params, *channel.query_params, *channel.header_params)}
    return key_param if channel.auth and channel.security is None and key_param not in taken else None


def channel_modules(api: Api, channel: Channel) -> tuple[str, str]:
    """The ``socket_client`` and ``socket_connect`` modules of ``channel``."""
    names = SocketNames.of(api, channel)
    return names.client_module, names.connect_module


def render_sockets(api: Api) -> dict[str, str]:
    """The two modules of each channel, by dotted name: their text."""
    modules: dict[str, str] = {}
    for channel in api.channels:
        names = SocketNames.of(api, channel)
        modules[names.client_module] = _render_client(api, channel, names)
        modules[names.connect_module] = _render_connect(api, channel, names)
    return modules


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SocketNames:
    """Modules and classes of one channel."""

    client_module: str
    connect_module: str
    sync_class: str
    async_class: str
    response: str
    request: str
    sync_mixin: str
    async_mixin: str
    runtime: str
    unknown: str
    """The channel's subclass of ``UnknownMessage`` (when it has one, see :func:`unknown_class`)."""

    @classmethod
    def of(cls, api: Api, channel: Channel) -> SocketNames:
        prefix = pascal(channel.group[-1] if channel.group else channel.id)
        return cls(
            client_module=dotted(api.package, *channel.group, CLIENT_MODULE),
            connect_module=dotted(api.package, *channel.group, CONNECT_MODULE),
            sync_class=f"{prefix}SocketClient",
            async_class=f"Async{prefix}SocketClient",
            response=f"{prefix}SocketClientResponse",
            request=f"{prefix}SocketClientRequest",
            sync_mixin=f"{prefix}ConnectMixin",
            async_mixin=f"Async{prefix}ConnectMixin",
            runtime=runtime(api, "_socket"),
            unknown=f"{prefix}UnknownMessage",
        )


def _channels_in(api: Api, group: tuple[str, ...]) -> tuple[Channel, ...]:
    """The channel of the sub-client ``group``, if any (normalise checked there is at most one)."""
    return tuple(channel for channel in api.channels if channel.group == group)


# --------------------------------------------------------------------------------------
# socket_client.py
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Send:
    method: str
    annotation: str
    """What the method takes: the message's type, or a model or a mapping for an object message."""
    request_type: str
    """The message's type (a member of the channel's request union)."""
    docstring: str
    text: bool
    """Whether a ``str`` goes as it is (a text message) rather than as JSON."""
    model: str | None = None
    """The class a mapping given for an object message is validated into (``None`` for other payloads)."""
    request: _Request | None = None
    """The request method that sends the message and waits for its reply, when it has one."""


@dataclass(frozen=True)
class _Request:
    method: str
    reply: str
    """The annotation of what it returns: the union of the replies."""
    sent_at: str
    reply_at: tuple[str, ...]
    """String literals: the JSON pointers of the correlation ids in the message and its replies."""
    docstring: str


def _render_client(api: Api, channel: Channel, names: SocketNames) -> str:
    imports = Imports(
        module=names.client_module,
        reserved={
            names.sync_class,
            names.async_class,
            names.response,
            names.request,
            names.unknown,
            "_CHANNEL",
            "_DECODER",
        },
    )
    runtime = names.runtime
    imports.import_module("typing")
    base_sync = imports.name(runtime, "SocketClient")
    base_async = imports.name(runtime, "AsyncSocketClient")
    unknown_view = unknown_class(api, channel, names, imports)
    unknown = unknown_view.name if unknown_view else imports.name(runtime, "UnknownMessage")

    sends = tuple(_send(api, channel, message, imports, unknown) for message in channel.publish)
    generic_send = bool(sends) and all(send.method != GENERIC_SEND for send in sends)
    models = _unique([send.model for send in sends if send.model is not None])
    mapping = f"{imports.typing('Mapping')}[str, {imports.typing('Any')}]"
    binary_in = any(_is_binary(message) for message in channel.subscribe)
    received = _unique(
        [annotation(api, message.type, imports) for message in channel.subscribe if not _is_binary(message)]
        + (["bytes"] if binary_in else [])
        + [unknown]
    )
    channel_view = _channel(api, channel, imports, runtime)
    decoder = _decoder(api, channel, imports, runtime, unknown_view.name if unknown_view else None)
    description = clean(channel.description)
    about = f"A connection to the ``{channel.address}`` channel" + (f".\n\n{description}" if description else ".")

    return render_template(
        "sockets/socket_client.py.j2",
        header=HEADER,
        module_docstring=docstring(f"The sync and async sockets of the ``{channel.address}`` channel."),
        names=names,
        imports=imports.render(),
        base_sync=base_sync,
        base_async=base_async,
        received=received,
        sent=_unique([send.request_type for send in sends]) if generic_send else (),
        publish_annotation=f"{imports.typing('Union')}[{names.request}, {mapping}]" if models else names.request,
        publish_models=models,
        sends=sends,
        text_publish=bool(sends) and all(m.encoding == "text" for m in channel.publish if not _is_binary(m)),
        channel=channel_view,
        decoder=decoder,
        unknown_class=unknown_view,
        sync_docstring=docstring(about + _usage(sync=True, sends=bool(sends)), "    "),
        async_docstring=docstring(about + _usage(sync=False, sends=bool(sends)), "    "),
    )


def _usage(sync: bool, sends: bool) -> str:
    wait = "" if sync else "await "
    loop = "for" if sync else "async for"
    text = (
        f"\n\nReceive with ``{wait}socket.recv()``, ``{loop} message in socket:``, or handlers registered"
        f"\nwith ``socket.on(...)`` and ``{wait}socket.start_listening()``."
    )
    if sends:
        text += " Send with the ``send_*`` methods."
    return text


def _send(api: Api, channel: Channel, message: Message, imports: Imports, unknown: str) -> _Send:
    assert message.send_method is not None  # normalise checked every sent message has one
    article = "an" if message.name[:1].lower() in "aeio" else "a"
    summary = clean(message.description)
    text = f"Send {article} ``{message.name}`` message." + (f"\n\n{summary}" if summary else "")
    model = _object_model(api, message, imports)
    if model is not None:
        text += (
            f"\n\nA mapping is validated into ``{model}`` first (which fills the message's constant fields,"
            "\nsuch as its tag); one that does not fit raises ``pydantic.ValidationError`` and nothing is sent."
        )
    hint = annotation(api, message.type, imports)
    model_or_dict = imports.name(runtime(api, "pydantic_utilities"), "ModelOrDict") if model is not None else None
    return _Send(
        method=message.send_method,
        annotation=f"{model_or_dict}[{hint}]" if model_or_dict else hint,
        request_type=hint,
        docstring=docstring(text, "        "),
        text=message.encoding == "text",
        model=model,
        request=_request(api, channel, message, imports, unknown),
    )


def _request(api: Api, channel: Channel, message: Message, imports: Imports, unknown: str) -> _Request | None:
    """The request method of a sent message with replies (normalise checked each has a correlation id)."""
    if not message.replies or message.request_method is None or message.correlation is None:
        return None
    replies = [m for m in channel.subscribe if m.name in message.replies]
    answers = _unique([*(annotation(api, m.type, imports) for m in replies), unknown])
    reply = f"{imports.typing('Union')}[{', '.join(answers)}]"
    names = " or ".join(f"``{m.name}``" for m in replies)
    article = "an" if message.name[:1].lower() in "aeiou" else "a"
    text = (
        f"Send {article} ``{message.name}`` message and return its reply: the first {names}\n"
        "whose correlation id equals the message's (an ``UnknownMessage`` if it does not fit its type).\n"
        "Messages that arrive before it wait for ``recv()`` and iteration."
    )
    return _Request(
        method=message.request_method,
        reply=reply,
        sent_at=string_literal(message.correlation),
        reply_at=tuple(string_literal(m.correlation or "") for m in replies),
        docstring=docstring(text, "        "),
    )


@dataclass(frozen=True)
class UnknownView:
    """A channel's subclass of the runtime's ``UnknownMessage`` whose tag attribute is ``None``."""

    name: str
    base: str
    attribute: str
    docstring: str
    attribute_docstring: str


def unknown_class(api: Api, channel: Channel, names: SocketNames, imports: Imports) -> UnknownView | None:
    """The channel's ``UnknownMessage`` subclass, when its tag attribute is not ``type`` (which the
    runtime's class already has as ``None``)."""
    attribute = channel.tag_attribute
    if attribute is None or attribute == "type":
        return None
    text = (
        f"A received message of no type this SDK knows on the ``{channel.address}`` channel.\n\n"
        f'An ``UnknownMessage`` whose ``{attribute}`` is ``None``, so that ``if message.{attribute} == "...":``\n'
        "narrows what the socket returns to the one declared message class."
    )
    return UnknownView(
        name=names.unknown,
        base=imports.name(names.runtime, "UnknownMessage"),
        attribute=attribute,
        docstring=docstring(text, "    "),
        attribute_docstring=docstring("``None``: the message is of no type this SDK knows (see ``tag``).", "        "),
    )


def _decoder(api: Api, channel: Channel, imports: Imports, runtime_module: str, unknown: str | None) -> DecoderView:
    tags: dict[str, str] = {}
    untagged: list[str] = []
    values: list[tuple[int, str]] = []
    for message in channel.subscribe:
        if _is_binary(message):
            continue
        model = _object_model(api, message, imports)
        if model is None:
            if message.encoding == "json":  # a text message is the frame itself (``text``)
                values.append((breadth(api, message.type), annotation(api, message.type, imports)))
        elif message.tag is None or channel.discriminator is None:
            untagged.append(model)
        else:  # normalise checked the tags are distinct
            tags[message.tag] = model
    return DecoderView(
        cls=imports.name(runtime_module, "MessageDecoder"),
        discriminator=string_literal(channel.discriminator) if tags and channel.discriminator else None,
        tags=tuple((string_literal(tag), model) for tag, model in tags.items()),
        untagged=_unique(untagged),
        values=_unique([value for _, value in sorted(values, key=lambda entry: entry[0])]),
        binary=any(_is_binary(message) for message in channel.subscribe),
        text=any(message.encoding == "text" for message in channel.subscribe),
        unknown=unknown,
    )


def _object_model(api: Api, message: Message, imports: Imports) -> str | None:
    """The class that validates a received object message, or None for a payload of another kind."""
    if not isinstance(message.type, ir.Named) or not isinstance(api.type_by_id(message.type.id), ir.ObjectType):
        return None
    module, name = type_import(api, message.type.id)
    return imports.name(module, name)


def _is_binary(message: Message) -> bool:
    return isinstance(message.type, ir.Primitive) and message.type.name == "binary"


@dataclass(frozen=True)
class ChannelView:
    """The runtime's ``SocketChannel``: where the channel connects and how credentials travel."""

    cls: str
    url_key: str
    path: str
    """Literals: the environment URL's key (``None``: ``connect()`` takes the URL) and the path template."""
    auth_header: str | None
    auth_query: str | None
    """String literals: where the API key goes, when the channel takes one."""
    query_styles: tuple[QueryStyleView, ...]
    style_class: str | None
    security: str | None
    """For a client with security schemes: the literal of the channel's alternatives (sets of scheme names)."""
    query_types: tuple[tuple[str, str], ...] = ()
    header_types: tuple[tuple[str, str], ...] = ()
    """(wire name literal, type) of the query and header parameters that are or hold models: a dict
    given for one is checked against the model before the handshake."""


def _model_types(api: Api, params: tuple[ir.Parameter, ...], imports: Imports) -> tuple[tuple[str, str], ...]:
    """The types to check the dicts of ``params`` against (the runtime takes one value given for a list
    as the list's item)."""
    return tuple(
        (string_literal(param.name), annotation(api, unwrap_nullable(param.type), imports))
        for param in params
        if holds_models(api, param.type)
    )


def _channel(api: Api, channel: Channel, imports: Imports, runtime_module: str) -> ChannelView:
    legacy = channel.auth if channel.security is None else ()  # the one API key of the client
    header = next((auth.name for auth in legacy if auth.location == "header"), None)
    query = next((auth.name for auth in legacy if auth.location == "query"), None)
    styles = query_styles(channel.query_params)
    return ChannelView(
        cls=imports.name(runtime_module, "SocketChannel"),
        url_key=string_literal(channel.environment) if channel.environment is not None else "None",
        path=string_literal(_path_template(channel)),
        auth_header=string_literal(header) if header else None,
        auth_query=string_literal(query) if query else None,
        query_styles=styles,
        style_class=imports.name(runtime(api, "_serialization"), "QueryStyle") if styles else None,
        security=security_literal(channel.security) if channel.security is not None else None,
        query_types=_model_types(api, channel.query_params, imports),
        header_types=_model_types(api, channel.header_params, imports),
    )


@dataclass(frozen=True)
class DecoderView:
    """The runtime's ``MessageDecoder``: which model validates each message the server sends."""

    cls: str
    discriminator: str | None
    """String literal: the property whose value tells the messages apart."""
    tags: tuple[tuple[str, str], ...]
    """(tag literal, model) pairs."""
    untagged: tuple[str, ...]
    """Models tried in order for messages without a known tag."""
    values: tuple[str, ...]
    """Types (annotations) of the payloads that are not objects, the narrowest first."""
    binary: bool
    """Whether the server sends binary frames (given to the caller as ``bytes``)."""
    unknown: str | None
    """The channel's subclass of ``UnknownMessage`` its unknown messages are, if it has one."""
    text: bool
    """Whether the server sends text messages (a frame no JSON message matches is one, as a ``str``)."""


def _path_template(channel: Channel) -> str:
    """The address as a path template for the runtime's ``fill`` (``{name}`` for each path parameter;
    normalise refused any other brace).

    The address is a path below the environment URL: one written without a leading ``/``
    (``m/{id}``, a topic-like ``account``) gets one.
    """
    return channel.address if not channel.address or channel.address.startswith("/") else "/" + channel.address


# --------------------------------------------------------------------------------------
# socket_connect.py
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Argument:
    py_name: str
    wire: str
    """String literal: the name on the wire."""
    annotation: str
    required: bool


def _render_connect(api: Api, channel: Channel, names: SocketNames) -> str:
    imports = Imports(module=names.connect_module, reserved={names.sync_mixin, names.async_mixin})
    imports.import_module("contextlib")
    imports.import_module("typing")
    request_options = imports.name(runtime(api, "request_options"), "RequestOptions", typing_only=True)

    path_params = tuple(_argument(api, param, imports) for param in channel.path_params)
    query = tuple(_argument(api, param, imports) for param in channel.query_params)
    headers = tuple(_argument(api, param, imports) for param in channel.header_params)
    api_key = connect_api_key(api, channel)
    sync_class = imports.name(names.client_module, names.sync_class, typing_only=True)
    async_class = imports.name(names.client_module, names.async_class, typing_only=True)
    sync_wrapper = imports.name(runtime(api, "client_wrapper"), "SyncClientWrapper", typing_only=True)
    async_wrapper = imports.name(runtime(api, "client_wrapper"), "AsyncClientWrapper", typing_only=True)
    return render_template(
        "sockets/socket_connect.py.j2",
        header=HEADER,
        module_docstring=docstring(
            f"``connect()`` for the ``{channel.address}`` channel, mixed into its sub-clients.\n\n"
            "Types are imported for type checkers only, and the socket module when ``connect()`` is\n"
            "called: importing the SDK does not load the WebSocket library."
        ),
        names=names,
        imports=imports.render(),
        sync_class=sync_class,
        async_class=async_class,
        sync_wrapper=sync_wrapper,
        async_wrapper=async_wrapper,
        request_options=request_options,
        path_params=path_params,
        keyword=tuple(sorted((*query, *headers), key=lambda argument: not argument.required)),
        query=query,
        headers=headers,
        api_key=api_key,
        url=naming.CONNECT_URL if channel.environment is None else None,
        max_message_size=_size_literal(channel.max_message_size),
        sync_docstring=docstring(_connect_doc(channel, api_key, sync=True), "        "),
        async_docstring=docstring(_connect_doc(channel, api_key, sync=False), "        "),
        sync_mixin_docstring=docstring(f"Gives a sub-client ``connect()`` for the ``{channel.address}`` channel."),
        async_mixin_docstring=docstring(
            f"Gives an async sub-client ``connect()`` for the ``{channel.address}`` channel."
        ),
    )


def _argument(api: Api, param: ir.Parameter, imports: Imports) -> _Argument:
    hint = input_annotation(api, param.type, imports, typing_only=True)
    listed = unwrap_nullable(param.type)
    if isinstance(listed, ir.ListOf):  # one value may stand for a list of one
        hint = f"{imports.typing('Union')}[{input_annotation(api, listed.item, imports, typing_only=True)}, {hint}]"
    if not param.required:
        optional = imports.typing("Optional")
        if not hint.startswith(optional + "["):
            hint = f"{optional}[{hint}]"
    return _Argument(py_name=param.py_name, wire=string_literal(param.name), annotation=hint, required=param.required)


def _connect_doc(channel: Channel, api_key: str | None, sync: bool) -> str:
    """``connect()``'s docstring: the channel, how to use the result, every parameter."""
    lines = [clean(channel.description) or f"Connect to the ``{channel.address}`` channel."]
    statement = "with" if sync else "async with"
    lines += ["", f"Use the result as ``{statement} ...connect(...) as socket:``; the connection closes when the"]
    lines += ["block ends."]
    lines += ["", "Parameters", "----------"]
    if channel.environment is None:
        lines += [
            naming.CONNECT_URL,
            "    The server's URL, such as ``wss://api.example.com`` (the API description names no",
        ]
        lines += [f"    server); the channel's address ``{channel.address}`` is added to it."]
    for param in (*channel.path_params, *channel.query_params, *channel.header_params):
        lines.append(param.py_name)
        about = clean(param.description)
        if param.has_default and param.default is not None:
            about += ("\n\n" if about else "") + f"The server's default: ``{_json_text(param.default)}``."
        lines += ["    " + line if line else "" for line in (about or "(no description)").split("\n")]
    if api_key is not None:
        lines += [api_key, "    API key for this connection, instead of the client's."]
    lines += ["request_options", "    ``additional_headers`` and ``additional_query_parameters`` for the handshake,"]
    lines += ["    and ``timeout_in_seconds`` to open the connection."]
    lines += [
        "max_message_size",
        "    The largest message (bytes) to accept, ``None`` for no limit; a larger one closes the",
    ]
    lines += ["    connection with code 1009 (:class:`SocketClosedError`)."]
    lines += [
        "ping_interval",
        "    Seconds between the keepalive pings this client sends (default 20); ``None`` sends none.",
        "ping_timeout",
        "    Seconds to wait for the answer to a ping (default 20) before the connection counts as",
        "    dropped (:class:`SocketClosedError` with code 1006); ``None`` waits for ever.",
        "open_timeout",
        "    Seconds to wait for the connection to open; by default ``request_options``'",
        "    ``timeout_in_seconds``, else the client's ``timeout``.",
    ]
    return "\n".join(lines)


def _size_literal(size: int | None) -> str:
    """``16 * 1024 * 1024`` rather than ``16777216``, when the size is a whole number of KiB or MiB."""
    if size is None:
        return "None"
    for unit, text in ((1024 * 1024, " * 1024 * 1024"), (1024, " * 1024")):
        if size % unit == 0:
            return f"{size // unit}{text}"
    return str(size)


def _json_text(value: ir.JsonValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
