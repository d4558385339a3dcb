"""AsyncAPI 2.0-2.6, 3.0 and 3.1 channels, operations and messages -> :class:`~generator.ir.Channel`.

Both major versions are read into one intermediate shape before the IR is made: a channel
with its address, parameters, bindings, servers, and the messages *the application the
document describes* sends and receives. In 2.x, ``subscribe`` lists what the application
sends and ``publish`` what it receives (the specification's wording); in 3.x, operations
say ``action: send`` or ``receive``, and an operation's ``reply`` travels the other way.

Which application that is, is the document's *point of view* (``describes``: the source's
setting in ``sdkgen.yaml``, else the document's ``x-sdk-describes``, else ``server``). The
generated SDK is always a client: when the document describes the server, what the server
receives is what the client sends. So the same API written from either side gives the
same IR.

Only WebSocket channels become channels of the IR: servers whose protocol is ``ws``/``wss`` or an
alias (compared case-insensitively: ``WebSocket``, ``websockets``...), channels bound with a
``ws`` (or ``wss``...) binding. A channel on another protocol is reported with a warning and
left out.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

from generator import naming
from generator.errors import warn
from generator.headers import is_header_name
from generator.ir import (
    DEFAULT_MAX_MESSAGE_SIZE,
    Channel,
    ChannelAuth,
    Message,
    MessageEncoding,
    Named,
    ObjectType,
    Parameter,
    QueryStyle,
    Resume,
    SecurityScheme,
    Source,
    TypeRef,
    only_api_key,
)
from generator.load.validation import asyncapi_version_error
from generator.normalise import media
from generator.normalise import x_sdk as extensions
from generator.normalise.channel_pairs import merge_pairs
from generator.normalise.nodes import Node, deref, follow
from generator.normalise.resume import find_resume
from generator.normalise.schemas import ANY, BINARY, STRING, Types, example_of, json_shaped

if TYPE_CHECKING:
    from generator.load import LoadedSource
    from generator.settings import Settings

View = Literal["client", "server"]
DEFAULT_VIEW: View = "server"
"""A public API's description is written by its provider, about its service: the server."""

WEBSOCKET_PROTOCOLS = frozenset({"ws", "wss"})
_WEBSOCKET_ALIASES = {
    "ws": "ws",
    "wss": "wss",
    "websocket": None,
    "websockets": None,
    "web-socket": None,
    "web_socket": None,
    "web socket": None,
    "websocket-secure": "wss",
    "websockets-secure": "wss",
    "secure-websocket": "wss",
}
"""Protocol names that mean WebSocket, lower-cased; ``None``: secure or not as the URL says, else ``wss``."""
_TAKEN_GROUP_NAMES = naming.CLIENT_MEMBERS | naming.ROOT_CLIENT_MEMBERS | naming.RESERVED_PACKAGE_NAMES
"""Names the SDK uses beside sub-clients: an address-derived channel name gets ``_channel`` after them."""
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+", "application/vnd.oai.openapi")


@dataclass
class _Channel:
    """A channel as the document states it, whatever its version."""

    key: str
    node: Node
    """The channel as written (maybe a ``$ref``), whose pointer operations use."""
    channel: Node
    address: str
    messages_sent: list[tuple[str, Node]] = field(default_factory=list)
    """(key, message) the described application sends, in document order."""
    messages_received: list[tuple[str, Node]] = field(default_factory=list)
    replies: list[tuple[bool, Node, list[Node]]] = field(default_factory=list)
    """(whether the described application sends the request, request message, reply messages)
    of 3.x operations with a ``reply`` on this channel."""
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Summaries and descriptions of the operations that carry each message (by the message's node id)."""

    def note(self, operation: Node, message: Node) -> None:
        texts = [text for key in ("summary", "description") if (text := operation.text(key))]
        self.notes.setdefault(message.id, []).extend(texts)

    merged_from: tuple[str, ...] = ()
    """The keys of the send-only and receive-only channels this one is made of (``channel_pairs``)."""

    def add(self, sent: bool, key: str, message: Node) -> None:
        chosen = self.messages_sent if sent else self.messages_received
        if all(message.id != other.id for _, other in chosen):
            chosen.append((key, message))


class AsyncApiReader:
    """Reads the channels of one AsyncAPI source."""

    def __init__(
        self,
        types: Types,
        source: LoadedSource,
        settings: Settings,
        schemes: tuple[SecurityScheme, ...] = (),
        rest: bool = True,
    ) -> None:
        self.types = types
        self.registry = types.registry
        self.root = Node(source.document, "", source.document.data)
        self.module = source.settings.module
        self.url_keys = settings.url_keys
        self.schemes = schemes
        # The client's one API key goes where the channel's server takes an API key (Channel.auth);
        # any other credentials where its security says (Channel.security).
        self.key_only = only_api_key(schemes) is not None
        self.environment = source.settings.environment
        self.urls = dict(settings.environments[0][1]) if settings.environments else {}
        self.own_url = not settings.environments and not rest
        """No server anywhere and no REST document: the client's own URL (``base_url``) is the sockets' server."""
        version = self.root.get("asyncapi")
        problem = asyncapi_version_error(version if isinstance(version, str) else "")
        if problem is not None:
            raise self.root.fail(problem, "asyncapi")
        self.major = int(str(version).split(".")[0])
        self.view: View | None = self._view(source.settings.describes)

    def channels(self) -> list[Channel]:
        found = self._channels_v2() if self.major == 2 else self._channels_v3()
        self._decide_view(found)
        found = merge_pairs(found, self._signature, self._address_name)
        result = []
        for entry in found:
            placed = self._placement(entry)
            if placed is not None:
                result.append(self._channel(entry, *placed))
        return result

    # ---- point of view -------------------------------------------------------------------

    def _view(self, setting: str | None) -> View | None:
        """The point of view the settings or the document's ``x-sdk-describes`` declare, if any."""
        declared = self.root.get("x-sdk-describes")
        if declared is not None and declared not in ("client", "server"):
            raise self.root.fail("x-sdk-describes must be 'client' or 'server'", "x-sdk-describes")
        if setting is not None and declared is not None and setting != declared:
            warn(
                f"the settings say this document describes the {setting}, its x-sdk-describes says the "
                f"{declared}; the settings win",
                self.root.child("x-sdk-describes").location,
            )
        chosen = setting or declared
        return None if chosen is None else "client" if chosen == "client" else "server"

    def _client_sends(self, entry: _Channel) -> list[tuple[str, Node]]:
        return entry.messages_sent if self.view == "client" else entry.messages_received

    def _client_receives(self, entry: _Channel) -> list[tuple[str, Node]]:
        return entry.messages_received if self.view == "client" else entry.messages_sent

    def _decide_view(self, entries: list[_Channel]) -> None:
        """Settle the point of view: the declared one, else the side the evidence points to, stated.

        Evidence that the described application is the client (or the server): the document's
        title (``... Client``), and for each message it sends or receives, who sends that message
        by its key, name or title (``ServerHeard``, ``v1-client-0-...``: strong; ``...Request``,
        ``...Event``, ``...Error``: weak) and by the summaries of its operation and itself
        ("sent by the server", "Client messages": strong). Servers say nothing: both sides' documents
        list the same hosts. A declared view the evidence clearly contradicts, and every view the
        document does not declare, gets one warning naming the ``describes`` setting and the side chosen.
        """
        votes: dict[View, list[str]] = {"client": [], "server": []}
        weight: dict[View, int] = {"client": 0, "server": 0}
        title_side = _text_side(
            " ".join(naming.words(str(self.root.get("info") and self.root.child("info").get("title") or "")))
        )
        if title_side is not None:
            votes[title_side].append("the title")
            weight[title_side] += 3
        for entry in entries:
            for app_sends, listed in ((True, entry.messages_sent), (False, entry.messages_received)):
                for key, node in listed:
                    found = _sender(key, node, entry.notes.get(node.id, ()))
                    if found is None:
                        continue
                    sender, strength = found
                    side: View = sender if app_sends else ("server" if sender == "client" else "client")
                    name = node.text("name") or key
                    if name not in votes[side]:
                        votes[side].append(name)
                    weight[side] += strength
        declared = self.view
        leader: View | None = (
            "client"
            if weight["client"] > weight["server"]
            else "server"
            if weight["server"] > weight["client"]
            else None
        )
        other_side: dict[View, View] = {"client": "server", "server": "client"}
        clear = leader is not None and weight[leader] >= 2 and weight[leader] >= 3 * weight[other_side[leader]]

        def listing(side: View) -> str:
            names = votes[side]
            return ", ".join(names[:3]) + (", ..." if len(names) > 3 else "") if names else "none"

        where = self.root.child("asyncapi").location
        if declared is not None:
            if clear and leader != declared:
                assert leader is not None
                warn(
                    f"the document is read as the {declared} describes it, but its messages say the opposite "
                    f"({listing(leader)}); if the document describes the {leader}, set 'describes: {leader}' on its "
                    f"source in sdkgen.yaml (or 'x-sdk-describes: {leader}' in the document)",
                    where,
                )
            return
        if not any(entry.messages_sent or entry.messages_received for entry in entries):
            self.view = DEFAULT_VIEW
            return
        if clear:
            assert leader is not None
            self.view = leader
            warn(
                f"point of view: the document is read as written from the {leader}'s side (evidence: "
                f"{listing(leader)}); if that is wrong, set 'describes: {other_side[leader]}' on its source in "
                "sdkgen.yaml",
                where,
            )
            return
        self.view = leader or DEFAULT_VIEW
        warn(
            f"point of view: the evidence of which side the document is written from is "
            f"{'split' if weight['client'] and weight['server'] else 'weak'} (for the client: {listing('client')}; "
            f"for the server: {listing('server')}); it is read as written from the {self.view}'s side. Check the "
            f"generated send methods and set 'describes: client' or 'describes: server' on its source in sdkgen.yaml",
            where,
        )

    # ---- AsyncAPI 2.x ----------------------------------------------------------------------

    def _channels_v2(self) -> list[_Channel]:
        result = []
        for key, node in self.root.items("channels"):
            channel = deref(self.registry, node)
            entry = _Channel(key, node, channel, key)
            # 2.x: ``subscribe`` is what the application sends, ``publish`` what it receives.
            for action, sent in (("subscribe", True), ("publish", False)):
                operation = deref(self.registry, channel.child(action))
                if operation.value is None:
                    continue
                for message_key, message in self._operation_messages_v2(key, action, operation):
                    entry.add(sent, message_key, message)
                    entry.note(operation, message)
            if channel.get("publish") is None and channel.get("subscribe") is None:
                warn("the channel has no publish or subscribe operation", channel.location)
            result.append(entry)
        return result

    def _operation_messages_v2(self, channel: str, action: str, operation: Node) -> list[tuple[str, Node]]:
        """A 2.x operation's messages: its ``message``, or each of its ``message.oneOf``."""
        written = operation.child("message")
        resolved = deref(self.registry, written)
        if resolved.value is None:
            return []
        items = resolved.elements("oneOf") if "oneOf" in resolved.value else [written]
        fallback = operation.text("operationId") or f"{channel} {action}"
        result = []
        for index, item in enumerate(items):
            message = deref(self.registry, item)
            key = self._component_key(item) or message.text("name") or message.text("title")
            if key is None:
                key = fallback if len(items) == 1 else f"{fallback} {index + 1}"
            result.append((key, message))
        return result

    def _component_key(self, item: Node) -> str | None:
        """The key of the ``.../messages/<key>`` entry that the ``$ref`` ``item`` names, if it names one."""
        if not isinstance(item.get("$ref"), str):
            return None
        parent, _, key = follow(self.registry, item).pointer.rpartition("/")
        return key.replace("~1", "/").replace("~0", "~") if parent.endswith("/messages") else None

    # ---- AsyncAPI 3.x ----------------------------------------------------------------------

    def _channels_v3(self) -> list[_Channel]:
        entries = {}
        for key, node in self.root.items("channels"):
            channel = deref(self.registry, node)
            entries[key] = _Channel(key, node, channel, str(channel.get("address") or ""))
        for _, written in self.root.items("operations"):
            operation = deref(self.registry, written)
            action = operation.get("action")
            if action not in ("send", "receive"):
                raise operation.fail("an operation's action must be 'send' or 'receive'", "action")
            entry = self._entry_of(entries, operation.child("channel"))
            requests = self._operation_messages_v3(entry, operation)
            for key, message in requests:
                entry.add(action == "send", key, message)
                entry.note(operation, message)
            reply = deref(self.registry, operation.child("reply"))
            if reply.value is not None:
                target, replies = self._reply(entries, entry, reply, action == "send")
                if target is entry:
                    entry.replies += [(action == "send", message, [m for _, m in replies]) for _, message in requests]
        for entry in entries.values():
            if entry.channel.get("messages") and not entry.messages_sent and not entry.messages_received:
                warn("no operation sends or receives this channel's messages", entry.channel.location)
        return list(entries.values())

    def _entry_of(self, entries: dict[str, _Channel], ref: Node) -> _Channel:
        target = follow(self.registry, ref)
        resolved = deref(self.registry, target)
        for entry in entries.values():
            if target.id in (entry.node.id, entry.channel.id) or resolved.id == entry.channel.id:
                return entry
        raise ref.fail("the operation's channel is not one of the document's channels")

    def _operation_messages_v3(self, entry: _Channel, operation: Node) -> list[tuple[str, Node]]:
        """An operation's messages; without ``messages``, all of its channel's."""
        if "messages" not in operation.value:
            return self._channel_messages(entry)
        return [self._message_of(entry, ref) for ref in operation.elements("messages")]

    def _reply(
        self, entries: dict[str, _Channel], entry: _Channel, reply: Node, sent: bool
    ) -> tuple[_Channel, list[tuple[str, Node]]]:
        """A reply travels the other way: to the sender of the operation, on its own channel or the operation's."""
        target = self._entry_of(entries, reply.child("channel")) if reply.get("channel") is not None else entry
        if "messages" in reply.value:
            messages = [self._message_of(target, ref) for ref in reply.elements("messages")]
        else:
            messages = self._channel_messages(target)
        for key, message in messages:
            target.add(not sent, key, message)
        return target, messages

    def _channel_messages(self, entry: _Channel) -> list[tuple[str, Node]]:
        return [(key, deref(self.registry, node)) for key, node in entry.channel.items("messages")]

    def _message_of(self, entry: _Channel, ref: Node) -> tuple[str, Node]:
        """The channel's message that an operation's ``$ref`` names, by its key in the channel."""
        target = follow(self.registry, ref)
        resolved = deref(self.registry, target)
        for key, node in entry.channel.items("messages"):
            if target.id == node.id or resolved.id in (node.id, deref(self.registry, node).id):
                return key, resolved
        raise ref.fail("the operation's message is not one of its channel's messages")

    # ---- one connection per address (generator/normalise/channel_pairs.py) ----------------

    def _signature(self, entry: _Channel) -> str:
        """What makes a channel's connection: its address, servers, parameters and bindings."""
        channel = entry.channel
        servers = [key for key, _ in self._servers(channel)]
        parts = [entry.address, servers, channel.get("parameters"), channel.get("bindings")]
        return json.dumps(parts, sort_keys=True, default=str)

    def _address_name(self, entry: _Channel) -> str:
        return naming.snake(_PLACEHOLDER.sub(" ", entry.address), empty="channel")

    # ---- where a channel is served --------------------------------------------------------

    def _servers(self, channel: Node) -> list[tuple[str, Node]]:
        """(key, server) of the servers a channel is on: those it lists, else all of the document's."""
        listed = channel.elements("servers")
        if not listed:
            return [(key, deref(self.registry, node)) for key, node in self.root.items("servers")]
        result = []
        for item in listed:
            if isinstance(item.value, str):  # 2.x: a server's name
                server = self.root.child("servers", item.value)
                if server.value is None:
                    raise item.fail(f"the document has no server {item.value!r}")
                result.append((item.value, deref(self.registry, server)))
            else:
                target = follow(self.registry, item)
                key = target.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
                result.append((key, deref(self.registry, target)))
        return result

    def _placement(self, entry: _Channel) -> tuple[str | None, Node | None] | None:
        """The URL key and server of a WebSocket channel (no URL key: ``connect()`` takes the URL, the
        document naming no server); None (with a warning) for any other channel."""
        channel = entry.channel
        servers = self._servers(channel)
        websocket = [(key, server) for key, server in servers if _protocol(server) in WEBSOCKET_PROTOCOLS]
        bindings = channel.get("bindings")
        bound = (
            sorted(str(key) for key in bindings if not str(key).startswith("x-")) if isinstance(bindings, dict) else []
        )
        if servers and not websocket:
            protocols = sorted({_protocol(server) or "(none)" for _, server in servers})
            return self._skip(entry, f"protocol {', '.join(protocols)}")
        if bound and websocket_binding(bindings) is None:
            return self._skip(entry, f"bindings for {', '.join(bound)} only")
        if websocket:
            key, server = websocket[0]
            if self.environment is not None:
                return self.environment, server
            url_key = key if key in self.url_keys else naming.url_key(key)
            if url_key not in self.url_keys:
                named = f"server {key!r}" + (f" (URL key {url_key!r})" if url_key != key else "")
                raise server.fail(
                    f"{named} is not an environment URL key "
                    f"({', '.join(self.url_keys)}) in sdkgen.yaml; add it, or name one with the source's 'environment'"
                )
            return url_key, server
        if self.environment is not None:
            url = self.urls.get(self.environment, "")
            scheme = url.split(":", 1)[0].lower()
            if scheme not in WEBSOCKET_PROTOCOLS:
                return self._skip(entry, f"URL {url!r} (environment URL key {self.environment!r})")
            return self.environment, None
        if bound and self.own_url:
            return self.url_keys[0], None
        if bound:  # a WebSocket channel, and no server anywhere: connect() takes the URL
            if self.urls:
                warn(
                    f"channel {entry.key!r} has no server and its source names no URL key: its connect() takes "
                    "the server's URL (url=); name one with 'environment' in the source's settings in sdkgen.yaml "
                    "to use the client's environment instead",
                    channel.location,
                )
            return None, None
        warn(
            f"channel {entry.key!r} has no server, no protocol binding and the settings name no URL key "
            "for it: its protocol is unknown, so it is not generated",
            channel.location,
        )
        return None

    def _skip(self, entry: _Channel, why: str) -> tuple[str, Node | None] | None:
        """No placement: warn that the channel is not generated."""
        warn(
            f"channel {entry.key!r} is not a WebSocket channel ({why}): sdkgen generates WebSocket clients only, "
            "so it is not generated",
            entry.channel.location,
        )
        return None

    def _requirements(self, server: Node | None) -> list[tuple[Node, list[Node]]]:
        """Each entry of the server's ``security`` with the schemes it needs together: 3.x lists the
        schemes themselves, 2.x Security Requirement Objects that name them."""
        if server is None:
            return []
        return [
            (item, [deref(self.registry, item)] if self.major >= 3 else self._requirement_schemes(item))
            for item in server.elements("security")
        ]

    def _auth(self, server: Node | None) -> tuple[ChannelAuth, ...]:
        result = []
        for _, schemes in self._requirements(server):
            for scheme in schemes:
                location, name = scheme.get("in"), scheme.get("name")
                if scheme.get("type") == "httpApiKey" and location in ("header", "query") and isinstance(name, str):
                    result.append(ChannelAuth(location, name))
        return tuple(dict.fromkeys(result))

    def _security(self, server: Node | None) -> tuple[tuple[str, ...], ...]:
        """The alternatives of the server's security, each a set of the client's schemes (by name).

        A scheme of this document is the client's scheme that sends the same credential the same
        way (an API key of the same name and place, a bearer token, basic credentials); one the
        client has no counterpart for leaves its alternative out, with a warning.
        """
        alternatives: list[tuple[str, ...]] = []
        for item, schemes in self._requirements(server):
            names = tuple(self._client_scheme(scheme) for scheme in schemes)
            if all(name is not None for name in names):
                alternative = tuple(cast(str, name) for name in names)
                if alternative not in alternatives:
                    alternatives.append(alternative)
            else:
                warn(
                    "the client has no credential for this security requirement; connections will not send it",
                    item.location,
                )
        return tuple(alternatives)

    def _client_scheme(self, scheme: Node) -> str | None:
        kind, location, name = scheme.get("type"), scheme.get("in"), scheme.get("name")
        for candidate in self.schemes:
            if candidate.kind == "api_key" and kind in ("httpApiKey", "apiKey"):
                if candidate.location == location and str(candidate.key_name).lower() == str(name).lower():
                    return candidate.name
            elif kind == "http" and candidate.kind in ("bearer", "basic"):
                if str(scheme.get("scheme", "")).lower() == candidate.kind:
                    return candidate.name
            elif kind in ("oauth2", "openIdConnect") and candidate.kind == "oauth2_token":
                return candidate.name  # an access token the user brings: one does for every such scheme
        return None

    def _requirement_schemes(self, requirement: Node) -> list[Node]:
        """2.x: the security schemes a Security Requirement Object names."""
        result = []
        names = [str(key) for key in requirement.value] if isinstance(requirement.value, dict) else []
        for name in names:
            scheme = self.root.child("components", "securitySchemes", name)
            if scheme.value is None:
                raise requirement.fail(f"no security scheme {name!r} in components.securitySchemes")
            result.append(deref(self.registry, scheme))
        return result

    # ---- the IR channel ------------------------------------------------------------------

    def _channel(self, entry: _Channel, environment: str | None, server: Node | None) -> Channel:
        channel = entry.channel
        custom = extensions.group(channel, self.module)  # x-sdk-group: [] is the source's module itself
        group = custom if custom is not None else (*self.module, self._group_name(entry))
        hint = naming.pascal(group[-1] if group else entry.key)
        auth = self._auth(server)
        sends, receives = self._client_sends(entry), self._client_receives(entry)
        discriminator = self._discriminator(channel, receives)
        received = tuple(self._message(name, message, False, discriminator) for name, message in receives)
        sent = tuple(
            self._with_replies(message, node, entry, sends, receives, received)
            for message, (_, node) in zip(
                (self._message(name, message, True, discriminator) for name, message in sends), sends
            )
        )
        _check_send_methods(sent, channel)
        reserved = naming.CONNECT_ARGUMENTS + ((naming.CONNECT_URL,) if environment is None else ())
        path_params = self._path_params(entry, hint, reserved)
        query_params = self._binding_params(channel, "query", hint, auth, path_params, reserved)
        header_params = self._binding_params(channel, "headers", hint, auth, (*path_params, *query_params), reserved)
        return Channel(
            id=".".join(group) or entry.key,
            group=group,
            address=entry.address,
            environment=environment,
            source=Source(entry.node.doc.file, entry.node.pointer),
            path_params=path_params,
            query_params=query_params,
            header_params=header_params,
            auth=auth,
            publish=sent,
            subscribe=received,
            discriminator=discriminator,
            tag_attribute=self._tag_attribute(received, discriminator),
            description=channel.text("description") or channel.text("summary") or channel.text("title"),
            max_message_size=_max_message_size(channel),
            security=self._security(server) if self.schemes and not self.key_only else None,
            resume=self._resume(channel, query_params, receives),
        )

    def _tag_attribute(self, received: tuple[Message, ...], discriminator: str | None) -> str | None:
        """The attribute that narrows a received message by its tag (:attr:`ir.Channel.tag_attribute`)."""
        if discriminator is None or not received:
            return None
        found: set[str] = set()
        for message in received:
            typedef = self.types.get(message.type.id) if isinstance(message.type, Named) else None
            if message.tag is None or not isinstance(typedef, ObjectType):
                return None
            attributes = {f.attribute for f in typedef.fields if f.name == discriminator}
            if not attributes:
                return None
            found |= attributes
        if len(found) != 1 or found & naming.UNKNOWN_MESSAGE_FIELDS:
            return None
        return found.pop()

    def _resume(
        self, channel: Node, query_params: tuple[Parameter, ...], receives: list[tuple[str, Node]]
    ) -> Resume | None:
        """The query parameter that resumes an earlier session (``generator/normalise/resume.py``)."""
        node = deref(self.registry, channel.child("bindings"))
        for key in ("ws", "query"):
            node = deref(self.registry, node.child(key))
        properties = self.types.shape(node).properties if node.value is not None else {}
        params = [
            (param, deref(self.registry, properties[param.name])) for param in query_params if param.name in properties
        ]
        received: dict[str, frozenset[str]] = {}
        for key, message in receives:
            payload = deref(self.registry, self._payload(message))
            shape = self.types.shape(payload) if isinstance(payload.value, dict) else None
            received[self._trait_text(message, "name") or key] = frozenset(shape.properties) if shape else frozenset()
        return find_resume(params, received)

    def _group_name(self, entry: _Channel) -> str:
        """A 3.x channel's key; a 2.x channel's address without its parameters (``/v1/{id}/live`` -> ``v1_live``)."""
        if self.major >= 3:
            return naming.snake(entry.key)
        plain = _PLACEHOLDER.sub(" ", entry.key)
        name = naming.snake(plain, empty="channel")
        return f"{name}_channel" if name in _TAKEN_GROUP_NAMES else name

    # ---- parameters --------------------------------------------------------------------

    def _path_params(self, entry: _Channel, hint: str, reserved: tuple[str, ...]) -> tuple[Parameter, ...]:
        """The address's ``{placeholders}``, typed by the channel's parameters."""
        channel = entry.channel
        declared = dict(channel.items("parameters"))
        used = _PLACEHOLDER.findall(entry.address)
        for name, node in declared.items():
            if name not in used:
                warn(
                    f"channel parameter {name!r} does not appear in the address {entry.address!r}; it is not generated",
                    node.location,
                )
        names = naming.dedupe((naming.param_name(name) for name in used), reserved)
        result = []
        for name, py_name in zip(used, names):
            if name not in declared:
                warn(
                    f"the address has {{{name}}} but the channel declares no parameter {name!r}; a string",
                    channel.location,
                )
                result.append(Parameter(name=name, py_name=py_name, location="path", type=STRING, required=True))
                continue
            node = deref(self.registry, declared[name])
            schema = deref(self.registry, node.child("schema"))
            if self.major == 2 and schema.value is not None:
                owner = schema.value if isinstance(schema.value, dict) else {}
                kind = self.types.ref(node.child("schema"), hint + naming.pascal(name))
            else:
                owner = node.value if isinstance(node.value, dict) else {}
                kind = self.types.ref(node, hint + naming.pascal(name)) if "enum" in owner else STRING
            result.append(
                Parameter(
                    name=name,
                    py_name=py_name,
                    location="path",
                    type=kind,
                    required=True,
                    description=node.text("description"),
                    has_default="default" in owner,
                    default=owner.get("default"),
                    **example_of(node.value, owner),
                )
            )
        return tuple(result)

    def _binding_params(
        self,
        channel: Node,
        part: str,
        hint: str,
        auth: tuple[ChannelAuth, ...],
        taken: tuple[Parameter, ...],
        reserved: tuple[str, ...],
    ) -> tuple[Parameter, ...]:
        """Properties of ``bindings.ws.query`` (or ``.headers``), less the one that carries the API key."""
        node = deref(self.registry, channel.child("bindings"))
        for key in (websocket_binding(node.value) or "ws", part):
            node = deref(self.registry, node.child(key))
        if node.value is None:
            return ()
        location: Literal["query", "header"] = "query" if part == "query" else "header"
        shape = self.types.shape(node)
        credentials = {item.name.lower() for item in auth if item.location == location}
        entries = [
            (name, prop)
            for name, prop in shape.properties.items()
            if name.lower() not in credentials and (part != "headers" or is_header_name(name))  # else said at load
        ]
        used = (*reserved, *(param.py_name for param in taken))
        names = naming.dedupe((naming.param_name(name) for name, _ in entries), used)
        result = []
        for (name, prop), py_name in zip(entries, names):
            schema = prop.value if isinstance(prop.value, dict) else {}
            result.append(
                Parameter(
                    name=name,
                    py_name=py_name,
                    location=location,
                    type=self.types.ref(prop, hint + naming.pascal(name)),
                    required=name in shape.required,
                    description=prop.text("description") if schema else None,
                    has_default="default" in schema,
                    default=schema.get("default"),
                    style=self._query_style(prop) if location == "query" else "form",
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

    def _message(self, key: str, node: Node, sent: bool, discriminator: str | None) -> Message:
        name = self._trait_text(node, "name") or key
        payload = self._payload(node)
        content_type = self._content_type(node)
        binary = self._is_binary(node)
        shaped = self._json_shaped(node)
        if shaped and not media.is_json(content_type):
            warn(
                f"message {name!r} declares content type {content_type!r} but its payload schema is JSON-shaped "
                "(an object or array); the schema wins: the message is read and sent as JSON",
                self._traited(node, "contentType").location,
            )
        encoding: MessageEncoding = "binary" if binary else "json" if shaped or media.is_json(content_type) else "text"
        custom = extensions.identifier(node, "x-sdk-send-method")
        tagged = discriminator is not None and not binary and payload.value is not None
        description = next(
            (text for field in ("description", "summary", "title") if (text := self._trait_text(node, field))), None
        )
        return Message(
            name=name,
            py_name=naming.snake(name),
            type=BINARY if binary else self._payload_type(payload, naming.class_name(name)),
            tag=self.types.tag(payload, discriminator) if tagged and discriminator else None,
            send_method=(custom or f"send_{naming.snake(name)}") if sent else None,
            description=description,
            content_type=content_type,
            encoding=encoding,
            headers=self._headers(node, name),
            source=Source(node.doc.file, node.pointer),
            correlation=self._correlation(node),
        )

    def _traited(self, message: Node, key: str) -> Node:
        """A message's ``key`` with its traits applied: in 2.x a trait overrides the message (JSON Merge
        Patch onto it, in order); in 3.x the message wins over its traits, and later traits over earlier.
        Only whole fields are taken (a field is not merged with the same field of a trait)."""
        traits = [deref(self.registry, trait) for trait in message.elements("traits")]
        order = [*reversed(traits), message] if self.major == 2 else [message, *reversed(traits)]
        return next((node.child(key) for node in order if node.get(key) is not None), message.child(key))

    def _trait_text(self, message: Node, key: str) -> str | None:
        found = self._traited(message, key)
        return found.value.strip() or None if isinstance(found.value, str) else None

    def _correlation(self, message: Node) -> str | None:
        """The JSON pointer into the payload of the message's ``correlationId`` location, if it is in the payload."""
        found = deref(self.registry, self._traited(message, "correlationId"))
        location = found.get("location")
        if not isinstance(location, str):
            return None
        source, _, pointer = location.partition("#")
        if source.strip().lower() != "$message.payload" or (pointer and not pointer.startswith("/")):
            warn(
                f"correlationId location {location!r} is not in the payload (a WebSocket frame has no headers): "
                "no request method waits for its reply",
                found.child("location").location,
            )
            return None
        return pointer

    def _with_replies(
        self,
        message: Message,
        node: Node,
        entry: _Channel,
        sends: list[tuple[str, Node]],
        receives: list[tuple[str, Node]],
        received: tuple[Message, ...],
    ) -> Message:
        """A sent message that an operation's ``reply`` answers, with correlation ids on both sides: the
        names of its replies and its request method."""
        client_requests = self.view == "client"  # whether the described application's requests are the client's
        names = []
        for app_sends, request, replies in entry.replies:
            if request.id != node.id or app_sends != client_requests:
                continue
            for reply in replies:
                found = next((m for (_, n), m in zip(receives, received) if n.id == reply.id), None)
                if found is not None and found.name not in names:
                    names.append(found.name)
        if not names:
            return message
        answers = [m for m in received if m.name in names]
        if message.correlation is None or any(m.correlation is None for m in answers):
            warn(
                f"message {message.name!r} has replies, but it or a reply declares no correlationId in its payload: "
                "no request method waits for its reply",
                node.location,
            )
            return message
        custom = extensions.identifier(node, "x-sdk-request-method")
        return dataclasses.replace(
            message, replies=tuple(names), request_method=custom or f"request_{naming.snake(message.name)}"
        )

    def _payload_type(self, payload: Node, hint: str) -> TypeRef:
        if payload.value is None:
            return ANY
        return self.types.ref(payload, hint)

    def _headers(self, message: Node, name: str) -> TypeRef | None:
        """A message's ``headers`` schema. WebSocket frames have no headers: kept in the IR, with a warning."""
        headers = self._traited(message, "headers")
        if headers.value is None:
            return None
        warn(
            f"message {name!r} declares headers, which a WebSocket frame cannot carry; the SDK neither sends nor "
            "reads them",
            headers.location,
        )
        return self.types.ref(headers, naming.class_name(name) + "Headers")

    def _payload(self, message: Node) -> Node:
        """The payload schema of a message; a schema in a format other than JSON Schema reads as any value."""
        payload = message.child("payload")
        schema_format = message.get("schemaFormat")  # 2.x: on the message
        if isinstance(payload.value, dict) and "schemaFormat" in payload.value and "schema" in payload.value:
            schema_format = payload.value["schemaFormat"]  # 3.x: a Multi Format Schema Object
            payload = payload.child("schema")
        if isinstance(schema_format, str) and not schema_format.startswith(_JSON_SCHEMA_FORMATS):
            warn(
                f"payload schema format {schema_format!r} is not JSON Schema; the payload is typed as any value",
                payload.location,
            )
            return Node(payload.doc, payload.pointer, None)
        return payload

    def _content_type(self, message: Node) -> str:
        value = self._traited(message, "contentType").value or self.root.get("defaultContentType") or "application/json"
        return str(value)

    def _is_binary(self, message: Node) -> bool:
        payload = deref(self.registry, self._payload(message)).value
        binary_payload = (
            isinstance(payload, dict) and payload.get("type") == "string" and payload.get("format") == "binary"
        )
        declared = media.request_kind(self._content_type(message)) == "binary" and not self._json_shaped(message)
        return declared or binary_payload

    def _json_shaped(self, message: Node) -> bool:
        """Whether the payload schema can only be JSON: an object or an array (or a union of them)."""
        payload = deref(self.registry, self._payload(message))
        return json_shaped(self.registry, payload)

    def _discriminator(self, channel: Node, received: list[tuple[str, Node]]) -> str | None:
        """``x-sdk-discriminator``, else the ``discriminator`` all payloads name, else an inferred one."""
        custom = channel.get("x-sdk-discriminator")
        if custom is not None:
            if not isinstance(custom, str):
                raise channel.fail("x-sdk-discriminator must be a property name", "x-sdk-discriminator")
            return custom
        payloads = [deref(self.registry, self._payload(node)) for _, node in received if not self._is_binary(node)]
        payloads = [payload for payload in payloads if isinstance(payload.value, dict)]
        declared = {_declared_discriminator(payload.value) for payload in payloads}
        if len(declared) == 1 and None not in declared:
            return declared.pop()
        inferred = self.types.infer_discriminator(payloads)
        return inferred[0] if inferred else None


def _check_send_methods(messages: tuple[Message, ...], channel: Node) -> None:
    seen: dict[str, Message] = {}
    for message in messages:
        for kind, method in (("send", message.send_method), ("request", message.request_method)):
            if method is None:
                continue
            other = seen.setdefault(method, message)
            if other is not message:
                raise channel.fail(
                    f"messages {other.name!r} and {message.name!r} both get {kind} method {method!r}; "
                    f"set x-sdk-{kind}-method on one of them"
                )


_SERVER_WORDS = frozenset(
    {
        "response",
        "responses",
        "event",
        "events",
        "error",
        "errors",
        "result",
        "results",
        "ack",
        "notification",
        "notifications",
        "push",
        "reply",
        "confirmation",
        "transcript",
        "transcripts",
    }
)
_CLIENT_WORDS = frozenset({"request", "requests", "command", "commands", "input", "subscribe", "unsubscribe"})
_CLIENT_SENDS = re.compile(
    r"\b(client (sends|sent|publishes|emits|message|messages)|(sent|published) (by|from) the client|"
    r"(sent|sends|send|published|publish|publishes) to the server|from the client)\b"
)
_SERVER_SENDS = re.compile(
    r"\b(server (sends|sent|publishes|emits|pushes|responds|message|messages)|(sent|published|pushed) (by|from) the "
    r"server|(sent|sends|send|pushed|published|publish|publishes) to the client|from the server|by the server)\b"
)


def _text_side(text: str) -> Literal["client", "server"] | None:
    """``client`` or ``server`` when the words of ``text`` name that side (and not the other)."""
    words = {word.lower() for word in naming.words(text)}
    if ("client" in words) == ("server" in words):
        return None
    return "client" if "client" in words else "server"


def _sender(key: str, message: Node, notes: list[str] | tuple[str, ...]) -> tuple[View, int] | None:
    """Who sends a message, and how strongly the document says so (2: its names or its summaries say
    ``client``/``server``; 1: its name reads as a request or as an event, a response, an error)."""
    texts = [
        t
        for t in (key, message.pointer.rsplit("/", 1)[-1], message.get("name"), message.get("title"))
        if isinstance(t, str)
    ]
    named = _text_side(" ".join(texts))
    if named is not None:
        return named, 2
    prose = " ".join([*notes, *(t for k in ("summary", "description") if (t := message.text(k)))]).lower()
    prose = " ".join(prose.split())
    said_client, said_server = (bool(_CLIENT_SENDS.search(prose)), bool(_SERVER_SENDS.search(prose)))
    if said_client != said_server:
        return ("client" if said_client else "server"), 2
    words = {word.lower() for text in texts for word in naming.words(text)}
    client_like, server_like = bool(words & _CLIENT_WORDS), bool(words & _SERVER_WORDS)
    if client_like != server_like:
        return ("client" if client_like else "server"), 1
    return None


def _protocol(server: Node) -> str | None:
    """The server's protocol, lower-cased, a WebSocket alias as ``ws`` or ``wss``."""
    value = server.get("protocol")
    if not isinstance(value, str):
        return None
    url = server.get("url")
    return websocket_scheme(value, url if isinstance(url, str) else "") or value.strip().lower()


def websocket_scheme(protocol: str, url: str = "") -> Literal["ws", "wss"] | None:
    """``ws`` or ``wss`` when ``protocol`` names WebSocket (case-insensitively, with its aliases:
    ``WebSocket``, ``websockets``, ``WSS``...), else None. An alias that does not say whether the
    connection is secure takes the URL's scheme, else ``wss``."""
    key = protocol.strip().lower()
    if key not in _WEBSOCKET_ALIASES:
        return None
    chosen = _WEBSOCKET_ALIASES[key]
    if chosen is None:
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        chosen = scheme if scheme in WEBSOCKET_PROTOCOLS else "wss"
    return "ws" if chosen == "ws" else "wss"


def websocket_binding(bindings: object) -> str | None:
    """The key of a channel's WebSocket binding (``ws``, or ``wss``, ``websocket``... by any case), if any."""
    if not isinstance(bindings, dict):
        return None
    return next((key for key in bindings if isinstance(key, str) and websocket_scheme(key) is not None), None)


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
