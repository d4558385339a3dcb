"""The WebSocket parts of ``README.md`` and ``reference.md``: views of the channels, and example programs.

The README's "WebSockets" section (``templates/sockets/readme.md.j2``) shows the first
channel: connecting with its real parameters and credentials, sending (a model or a dict),
iterating with the received messages narrowed by their tag, callbacks, close codes, the
connection options and reconnecting (resuming where the channel has a resume parameter,
:attr:`ir.Channel.resume`). ``reference.md`` (``templates/sockets/reference.md.j2``) lists every
channel: ``connect()``'s parameters, each ``send_*``/``request_*`` method with its payload type
and every message the server sends. The example programs are complete and type-check under
``mypy --strict`` (``tests/sockets/test_usable.py`` checks those of the README).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator import ir, naming
from generator.ir import Api, Channel, Message
from generator.naming import GENERIC_SEND
from generator.render import sockets
from generator.render.annotations import Imports, annotation, input_annotation
from generator.render.names import CORE
from generator.render.printer import Code, SourceImports, Statement, lay_out, source
from generator.render.samples import Example, Obj, example
from generator.render.text import (
    first_sentence,
    markdown_block,
    markdown_code,
    markdown_indented,
    markdown_inline,
)

CONNECT_OPTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "request_options",
        "typing.Optional[RequestOptions]",
        (
            "`additional_headers` and `additional_query_parameters` for the handshake, and "
            "`timeout_in_seconds` to open the connection."
        ),
    ),
    (
        "max_message_size",
        "typing.Optional[int]",
        (
            "The largest message (bytes) to accept, `None` for no limit; a larger one closes the connection "
            "with code 1009 (`SocketClosedError` with `by_client=True`)."
        ),
    ),
    (
        "ping_interval",
        "typing.Optional[float]",
        "Seconds between the keepalive pings the client sends (default 20); `None` sends none.",
    ),
    (
        "ping_timeout",
        "typing.Optional[float]",
        (
            "Seconds to wait for the answer to a ping (default 20) before the connection counts as dropped "
            "(`SocketClosedError` with `by_client=False` and code 1006); `None` waits for ever."
        ),
    ),
    (
        "open_timeout",
        "typing.Optional[float]",
        (
            "Seconds to wait for the connection to open; by default `request_options`' `timeout_in_seconds`, "
            "else the client's `timeout`."
        ),
    ),
)
"""The keywords every ``connect()`` takes after the channel's own: (name, annotation, Markdown)."""


@dataclass(frozen=True)
class ParamDoc:
    name: str
    annotation: str
    """Markdown inline code."""
    required: bool
    description: str
    """Markdown, indented to continue the parameter's list item."""


@dataclass(frozen=True)
class SendDoc:
    call: str
    """Markdown inline code: ``socket.send_x(message)``."""
    annotation: str
    returns: str | None
    """For a request method: what it returns (Markdown inline code)."""
    description: str


@dataclass(frozen=True)
class ReceiveDoc:
    name: str
    """Markdown inline code: the class (or ``bytes``, ``str``...)."""
    tag: str | None
    """Markdown inline code: ``type == "x"``, when the message has a tag."""
    description: str


@dataclass(frozen=True)
class ChannelDoc:
    title: str
    anchor: str
    accessor: str
    """``client.a.b.connect``."""
    description: str
    summary: str
    classes: str
    """Markdown: the sync and async socket classes and where to import them."""
    example: str
    params: tuple[ParamDoc, ...]
    sends: tuple[SendDoc, ...]
    receives: tuple[ReceiveDoc, ...]
    received_union: str


@dataclass(frozen=True)
class SocketReadme:
    """What the README's WebSockets section shows: every channel, and programs on the first."""

    channels: tuple[ChannelDoc, ...]
    core: str
    accessor: str
    example: str
    async_example: str
    callbacks_example: str
    errors_example: str
    reconnect_example: str
    resume: str | None
    """Markdown inline code of the resume parameter, when the channel has one."""
    max_message_size: str
    """The channel's default limit, in words."""
    has_sends: bool
    has_rest: bool
    takes_url: tuple[str, ...] = ()
    """The accessors of the channels whose ``connect()`` takes the server's URL (no server named)."""


def socket_readme(api: Api) -> SocketReadme | None:
    """The WebSockets section of the README; ``None`` for an SDK without channels."""
    if not api.channels:
        return None
    # the channel with the most messages (the first of those), both ways when one is
    channel = max(api.channels, key=lambda c: (bool(c.publish and c.subscribe), len(c.publish) + len(c.subscribe)))
    return SocketReadme(
        channels=tuple(channel_doc(api, c) for c in api.channels),
        core=f"{api.package}.{CORE}",
        accessor=markdown_code(_accessor(channel)),
        example=_program(api, channel, sync=True, use="loop"),
        async_example=_program(api, channel, sync=False, use="loop"),
        callbacks_example=_program(api, channel, sync=True, use="callbacks"),
        errors_example=_program(api, channel, sync=True, use="errors"),
        reconnect_example=_program(api, channel, sync=True, use="reconnect"),
        resume=markdown_code(channel.resume.param) if _resumable(api, channel) and channel.resume else None,
        max_message_size=_size_words(channel.max_message_size),
        has_sends=bool(channel.publish),
        has_rest=bool(api.endpoints),
        takes_url=tuple(markdown_code(_accessor(c)) for c in api.channels if c.environment is None),
    )


def reference_channels(api: Api) -> list[ChannelDoc]:
    return [channel_doc(api, channel) for channel in sorted(api.channels, key=lambda c: c.group)]


def channel_doc(api: Api, channel: Channel) -> ChannelDoc:
    names = sockets.socket_names(api, channel)
    imports = Imports(module=f"{api.package}.reference")
    accessor = _accessor(channel)
    package = names.client_module.rsplit(".", 1)[0]
    params: list[ParamDoc] = []
    if channel.environment is None:  # no server in the description: connect() takes the URL
        about = f"The server's URL (the API description gives no absolute server URL); the address `{channel.address}` is added to it."
        params.append(ParamDoc(naming.CONNECT_URL, markdown_code("str"), True, "    " + about))
    params += [
        ParamDoc(
            name=param.py_name,
            annotation=markdown_code(_param_annotation(api, param, imports)),
            required=param.required,
            description=markdown_indented(param.description, "    "),
        )
        for param in (*channel.path_params, *channel.query_params, *channel.header_params)
    ]
    if sockets.connect_api_key(api, channel) is not None:
        params.append(
            ParamDoc(
                sockets.connect_api_key(api, channel) or "",
                markdown_code("typing.Optional[str]"),
                False,
                "    API key for this connection, instead of the client's.",
            )
        )
    params += [
        ParamDoc(name, markdown_code(hint), False, markdown_indented(about, "    "))
        for name, hint, about in CONNECT_OPTIONS
    ]
    return ChannelDoc(
        title=".".join(("client", *channel.group)),
        anchor=".".join(("client", *channel.group)).replace(".", "").lower() + "-websocket",
        accessor=accessor,
        description=markdown_block(channel.description),
        summary=markdown_inline(first_sentence(channel.description)),
        classes=(
            f"`{names.sync_class}` and `{names.async_class}`, importable from `{package}`; what they receive is "
            f"`{names.response}`."
        ),
        example=_program(api, channel, sync=True, use="reference"),
        params=tuple(params),
        sends=_sends(api, channel, imports, names),
        receives=_receives(api, channel),
        received_union=markdown_code(names.response),
    )


# --------------------------------------------------------------------------------------
# reference.md: sends and receives
# --------------------------------------------------------------------------------------


def _sends(api: Api, channel: Channel, imports: Imports, names: sockets.SocketNames) -> tuple[SendDoc, ...]:
    result = []
    for message in channel.publish:
        hint = annotation(api, message.type, imports)
        model = isinstance(message.type, ir.Named) and isinstance(api.type_by_id(message.type.id), ir.ObjectType)
        taken = f"ModelOrDict[{hint}]" if model else hint
        about = clean_first(message.description) or f"Send a `{message.name}` message."
        if model:
            about += " A `dict` is validated into the model first (its tag filled in)."
        result.append(
            SendDoc(markdown_code(f"socket.{message.send_method}(message)"), markdown_code(taken), None, about)
        )
        if message.request_method is not None:
            replies = [m for m in channel.subscribe if m.name in message.replies]
            answer = ", ".join([*(annotation(api, m.type, imports) for m in replies), "UnknownMessage"])
            result.append(
                SendDoc(
                    markdown_code(f"socket.{message.request_method}(message)"),
                    markdown_code(taken),
                    markdown_code(f"typing.Union[{answer}]"),
                    "Send it and wait for its reply (matched by correlation id); what arrives before it "
                    "waits for `recv()` and iteration.",
                )
            )
    if channel.publish and all(m.send_method != GENERIC_SEND for m in channel.publish):
        result.append(
            SendDoc(
                markdown_code("socket.send_publish(message)"),
                markdown_code(names.request),
                None,
                "Any of the messages above (a `dict` must fit exactly one of them: give its tag).",
            )
        )
    return tuple(result)


def _receives(api: Api, channel: Channel) -> tuple[ReceiveDoc, ...]:
    imports = Imports(module=f"{api.package}.reference")
    result = []
    attribute = channel.tag_attribute
    for message in channel.subscribe:
        binary = isinstance(message.type, ir.Primitive) and message.type.name == "binary"
        name = "bytes" if binary else annotation(api, message.type, imports)
        tag = f'{attribute or channel.discriminator} == "{message.tag}"' if message.tag is not None else None
        result.append(
            ReceiveDoc(markdown_code(name), markdown_code(tag) if tag else None, clean_first(message.description))
        )
    result.append(
        ReceiveDoc(
            markdown_code("UnknownMessage"),
            None,
            "A message of a type this SDK does not know (a newer server), or a frame that fits no declared "
            "type: `tag` is the tag it had, `data` the message, `type` is `None`"
            + (f" (and `{attribute}`)." if attribute not in (None, "type") else "."),
        )
    )
    return tuple(result)


def clean_first(text: str | None) -> str:
    return markdown_inline(first_sentence(text))


# --------------------------------------------------------------------------------------
# Example programs
# --------------------------------------------------------------------------------------


Use = Literal["loop", "reference", "callbacks", "errors", "reconnect"]
"""What an example program shows: sending and receiving (``reference``: on any channel, maybe
send-only), callbacks, errors and close codes, or reconnecting (and resuming)."""


def _program(api: Api, channel: Channel, sync: bool, use: Use) -> str:
    """A complete example program on ``channel``; ``use`` says what it shows."""
    imports = SourceImports()
    client_name = api.client if sync else api.async_client
    imports.name(api.package, client_name)
    wait = "" if sync else "await "
    each = "for" if sync else "async for"
    resume = channel.resume if use == "reconnect" and _resumable(api, channel) else None
    connect = _connect_call(api, channel, imports, resume)
    opening = Statement("with " if sync else "async with ", connect, " as socket:")
    lines: list[str | Statement] = []
    if use == "reconnect":
        imports.module("time")
        core = f"{api.package}.{CORE}"
        imports.name(core, "SocketClosedError")
        if resume is not None:
            imports.module("typing")
            lines += [f"{resume.param}: typing.Optional[str] = None  # set from the server's messages", ""]
        lines += ["for attempt in range(5):", "    try:"]
        lines.append(Statement(opening.prefix, opening.code, opening.suffix, "        "))
        lines += ["            " + line for line in _loop(api, channel, imports, each, resume)]
        lines += ["        break  # the server closed the connection normally",
                  "    except SocketClosedError as error:",
                  "        if error.by_client:",
                  "            raise  # e.g. 1009: a message over max_message_size",
                  "        print(f\"dropped ({error.code}), reconnecting\")",
                  "        time.sleep(2**attempt)"]  # fmt: skip
    elif use == "errors":
        core = f"{api.package}.{CORE}"
        imports.name(core, "ApiError")
        imports.name(core, "SocketClosedError")
        lines += ["try:", Statement(opening.prefix, opening.code, opening.suffix, "    ")]
        lines += ["        for message in socket:", "            print(message)"]
        lines += ["except ApiError as error:  # the server refused the connection",
                  "    print(error.status_code, error.body)",
                  "except SocketClosedError as error:  # closed with an error code, by either side",
                  "    print(error.code, error.reason, error.by_client)"]  # fmt: skip
    elif use == "callbacks":
        lines.append(opening)
        lines += ['    socket.on("open", lambda _: print("open"))',
                  '    socket.on("message", lambda message: print("received", message))',
                  '    socket.on("error", lambda error: print("error", error))',
                  '    socket.on("close", lambda _: print("closed"))']  # fmt: skip
        lines += [_indent(line) for line in _sends_of(api, channel, imports, "", as_dict=False)]
        lines.append("    socket.start_listening()  # returns when the connection closes")
    else:
        lines.append(opening)
        lines += [_indent(line) for line in _sends_of(api, channel, imports, wait)]
        if channel.subscribe or use != "reference":
            lines += ["    " + line for line in _loop(api, channel, imports, each, None)]
    if not sync:
        imports.module("asyncio")
        lines = [_indent(line) for line in lines]
    body = "\n".join(text for line in lines for text in lay_out(line))
    header = imports.render() + f"\n\nclient = {client_name}({_client_arguments(api, channel)})\n"
    if sync:
        return header + body
    return f"{header}\n\nasync def main() -> None:\n{body}\n\n\nasyncio.run(main())"


def _indent(line: str | Statement) -> str | Statement:
    if isinstance(line, str):
        return "    " + line if line else line
    return Statement(line.prefix, line.code, line.suffix, line.indent + "    ")


def _connect_call(api: Api, channel: Channel, imports: SourceImports, resume: ir.Resume | None) -> Code:
    args: list[Code] = []
    if channel.environment is None:  # no server in the description: connect() takes the URL
        args.append(Code(f'{naming.CONNECT_URL}="wss://api.example.com"'))
    for param in channel.path_params:
        args.append(
            source(
                api, example(api, param.type, param.name, sample=param.example, has_sample=param.has_example), imports
            )
        )
    for param in (*channel.query_params, *channel.header_params):
        if param.required:
            value = example(
                api,
                param.type,
                param.name,
                0,
                param.default,
                param.has_default,
                False,
                param.example,
                param.has_example,
            )
            args.append(source(api, value, imports).after(f"{param.py_name}="))
        elif resume is not None and param.py_name == resume.param:
            args.append(Code(f"{param.py_name}={resume.param}"))
    return Code(f"client.{'.'.join(channel.group)}.connect(", tuple(args), ")")


def _sends_of(
    api: Api, channel: Channel, imports: SourceImports, wait: str, as_dict: bool = True
) -> list[str | Statement]:
    """Sending the first message the client sends: as a model (or value), then (``as_dict``) as a dict."""
    message = next((m for m in channel.publish if m.encoding != "binary"), None)
    binary = next((m for m in channel.publish if m.encoding == "binary"), None)
    lines: list[str | Statement] = []
    if message is not None:
        value = _without_constants(api, example(api, message.type, message.py_name))
        lines.append(Statement(f"{wait}socket.{message.send_method}(", source(api, value, imports), ")"))
        if as_dict and isinstance(value, Obj) and value.type_id is not None:
            plain = Obj(None, value.fields)
            lines.append("# or the same as a dict (validated, its tag filled in):")
            lines.append(Statement(f"{wait}socket.{message.send_method}(", source(api, plain, imports), ")"))
    if binary is not None:
        lines.append(f'{wait}socket.{binary.send_method}(b"\\x00\\x00")  # a binary frame')
    return lines


def _without_constants(api: Api, value: Example) -> Example:
    """An object example without its constant fields (the model fills them in: its tag)."""
    if not isinstance(value, Obj) or value.type_id is None:
        return value
    typedef = api.type_by_id(value.type_id)
    assert isinstance(typedef, ir.ObjectType)
    constants = {f.name for f in typedef.fields if isinstance(f.type, ir.LiteralOf)}
    return Obj(value.type_id, tuple(field for field in value.fields if field[1] not in constants))


def _loop(api: Api, channel: Channel, imports: SourceImports, each: str, resume: ir.Resume | None) -> list[str]:
    """Receiving: each message, narrowed to its class by its tag (or by ``isinstance``)."""
    core = f"{api.package}.{CORE}"
    imports.name(core, "UnknownMessage")
    lines = [f"{each} message in socket:"]
    attribute = channel.tag_attribute
    shown = _shown(api, channel, resume)
    keyword = "if"
    for message, model, field in shown:
        if attribute is not None and message.tag is not None:
            lines.append(f'    {keyword} message.{attribute} == "{message.tag}":')
        else:
            lines.append(f"    {keyword} isinstance(message, {imports.public_name(api, model.id)}):")
        if resume is not None and message.name == resume.message:
            lines.append(f"        {resume.param} = message.{field}  # to resume after a drop")
        else:
            lines.append(f"        print(message.{field})")
        keyword = "elif"
    if any(m.encoding == "binary" for m in channel.subscribe):
        lines += [f"    {keyword} isinstance(message, bytes):", '        print(len(message), "bytes")']
        keyword = "elif"
    lines += [f"    {keyword} isinstance(message, UnknownMessage):  # a type this SDK does not know",
              "        print(\"unknown message\", message.tag, message.data)"]  # fmt: skip
    return lines


def _shown(api: Api, channel: Channel, resume: ir.Resume | None) -> list[tuple[Message, ir.Named, str]]:
    """Up to two received object messages, each with the attribute to print (the resume message first)."""
    found: list[tuple[Message, ir.Named, str]] = []
    later: list[tuple[Message, ir.Named, str]] = []  # messages without a field of their own to show
    for message in channel.subscribe:
        model = _model(api, message)
        if model is None:
            continue
        typedef = api.type_by_id(model.id)
        assert isinstance(typedef, ir.ObjectType)
        if resume is not None and message.name == resume.message:
            field = next((f.attribute for f in typedef.fields if f.name == resume.field), None)
            if field is not None:
                found.insert(0, (message, model, field))
                continue
        field = _shown_field(api, typedef, channel.discriminator)
        if field is not None:
            found.append((message, model, field))
        elif typedef.fields:
            later.append((message, model, typedef.fields[0].attribute))
    return [*found, *later][:2]


def _shown_field(api: Api, typedef: ir.ObjectType, tag: str | None) -> str | None:
    """The attribute an example prints of a received message: a required text, else a required model,
    else any required field (the tag aside): what says most of the message."""
    required = [f for f in typedef.fields if f.required and f.name != tag]

    def rank(field: ir.Field) -> int:
        if isinstance(field.type, ir.Primitive) and field.type.name == "string":
            return 0
        if isinstance(field.type, ir.Named) and isinstance(api.type_by_id(field.type.id), ir.ObjectType):
            return 1
        return 2

    return min(required, key=rank).attribute if required else None


def _model(api: Api, message: Message) -> ir.Named | None:
    if isinstance(message.type, ir.Named) and isinstance(api.type_by_id(message.type.id), ir.ObjectType):
        return message.type
    return None


def _resumable(api: Api, channel: Channel) -> bool:
    """Whether the README can show resuming: a string parameter whose value a received message carries."""
    resume = channel.resume
    if resume is None or resume.message is None:
        return False
    param = next((p for p in channel.query_params if p.py_name == resume.param), None)
    return (
        param is not None
        and param.type == ir.Primitive("string")
        and any(message.name == resume.message and _model(api, message) is not None for message in channel.subscribe)
    )


def _client_arguments(api: Api, channel: Channel) -> str:
    """The client's arguments in an example: its URL when the description gives no absolute server URL, credentials."""
    credentials = _client_credentials(api, channel)
    if api.default_environment is not None:
        return credentials
    scheme = "wss" if channel.environment is not None and not api.endpoints else "https"
    return ", ".join(part for part in (f'base_url="{scheme}://api.example.com"', credentials) if part)


def _client_credentials(api: Api, channel: Channel) -> str:
    if api.api_key is not None:
        return f'{api.api_key.params[0]}="YOUR_API_KEY"'
    schemes = {scheme.name: scheme for scheme in api.security_schemes}
    needed = next((alternative for alternative in channel.security or () if alternative), ())
    params = [param for name in needed for param in schemes[name].params]
    return ", ".join(f'{param}="YOUR_{param.upper()}"' for param in params)


def _param_annotation(api: Api, param: ir.Parameter, imports: Imports) -> str:
    text = input_annotation(api, param.type, imports, typing_only=True)
    optional = imports.typing("Optional")
    if not param.required and not text.startswith(optional + "["):
        text = f"{optional}[{text}]"
    return text


def _accessor(channel: Channel) -> str:
    return ".".join(("client", *channel.group, "connect"))


def _size_words(size: int | None) -> str:
    if size is None:
        return "no limit"
    for unit, word in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if size % unit == 0:
            return f"{size // unit} {word}"
    return f"{size} bytes"
