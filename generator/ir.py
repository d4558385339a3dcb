"""The intermediate model (IR): one typed description of an API, whatever it came from.

OpenAPI and AsyncAPI documents are normalised into an :class:`Api`. Everything the
renderer needs is here, already decided: Python identifiers, which module a type
lives in, which sub-client an endpoint belongs to, how a list endpoint pages.
Nothing here knows about templates.

All classes are frozen dataclasses. Collections are tuples, in a deterministic order,
so the same specs always give an equal IR and byte-identical JSON (:func:`to_json`).
JSON values taken from a spec (defaults, literal values, examples) are kept as
plain Python JSON values.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Literal

JsonValue = Any
"""A value that came from a JSON/YAML document: None, bool, int, float, str, list, dict."""

# --------------------------------------------------------------------------------------
# Type references: how a field, parameter or body refers to a type
# --------------------------------------------------------------------------------------

PrimitiveName = Literal["string", "integer", "number", "boolean", "any", "binary"]


@dataclass(frozen=True)
class Primitive:
    """A scalar. ``binary`` is raw bytes: an uploaded file or a downloaded body.

    ``format`` keeps the schema's format (``date-time``, ``uuid``, ``int64``, ``byte``...).
    """

    kind: ClassVar[str] = "primitive"
    name: PrimitiveName
    format: str | None = None


@dataclass(frozen=True)
class Named:
    """A reference to a :class:`TypeDef` by its ``id``."""

    kind: ClassVar[str] = "named"
    id: str


@dataclass(frozen=True)
class ListOf:
    kind: ClassVar[str] = "list"
    item: TypeRef
    unique: bool = False


@dataclass(frozen=True)
class MapOf:
    """An object with arbitrary string keys, all values of one type."""

    kind: ClassVar[str] = "map"
    value: TypeRef


@dataclass(frozen=True)
class Nullable:
    """The value may be JSON ``null``."""

    kind: ClassVar[str] = "nullable"
    inner: TypeRef


@dataclass(frozen=True)
class LiteralOf:
    """Exactly one constant value (``const`` or a one-value enum used as a tag)."""

    kind: ClassVar[str] = "literal"
    value: JsonValue


@dataclass(frozen=True)
class UnionOf:
    """An anonymous union (``anyOf``/``oneOf`` of scalars or of named types, inline)."""

    kind: ClassVar[str] = "union"
    members: tuple[TypeRef, ...]


TypeRef = Primitive | Named | ListOf | MapOf | Nullable | LiteralOf | UnionOf

# --------------------------------------------------------------------------------------
# Type definitions: the named types that become classes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where something was defined: spec file (relative to the specs folder) and JSON pointer."""

    file: str
    pointer: str


@dataclass(frozen=True)
class Field:
    """A property of an object type, or a part of a multipart body.

    ``name`` is the wire name, ``py_name`` the Python identifier (they differ when the
    wire name is not a valid identifier or is a keyword; in a request body, the keyword
    argument). ``attribute`` is the model's attribute for it: ``py_name``, with ``_``
    appended where it would shadow a name the model uses (``typing``, a type name...).
    """

    name: str
    py_name: str
    attribute: str
    type: TypeRef
    required: bool
    description: str | None = None
    has_default: bool = False
    default: JsonValue = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    content_type: str | None = None
    """For multipart parts: the declared encoding content type, if any."""
    example: JsonValue = None
    has_example: bool = False
    """Whether the schema gives an example value (``example``, or the first of ``examples``)."""


@dataclass(frozen=True)
class ObjectType:
    """An object with known properties. ``allOf`` compositions arrive flattened."""

    kind: ClassVar[str] = "object"
    id: str
    name: str
    py_name: str
    module: tuple[str, ...]
    module_path: str
    """The absolute module that defines the type, e.g. ``shop.orders.types.order``."""
    source: Source
    fields: tuple[Field, ...]
    description: str | None = None
    additional: TypeRef | None = None
    """Type of undeclared extra properties when the schema states one, else None."""
    deprecated: bool = False
    params_name: str | None = None
    """The ``TypedDict`` of the object's fields (by wire name) defined beside the model, which methods
    taking the model also accept; None when a ``TypedDict`` cannot say what the object holds (a wire
    name that is no Python identifier, undeclared extra properties)."""


@dataclass(frozen=True)
class EnumValue:
    value: str | int
    py_name: str
    description: str | None = None


@dataclass(frozen=True)
class EnumType:
    kind: ClassVar[str] = "enum"
    id: str
    name: str
    py_name: str
    module: tuple[str, ...]
    module_path: str
    """The absolute module that defines the type, e.g. ``shop.orders.types.order``."""
    source: Source
    values: tuple[EnumValue, ...]
    description: str | None = None
    base: Literal["string", "integer"] = "string"


@dataclass(frozen=True)
class Discriminator:
    """The property whose value picks the union member, and value -> member type id."""

    property: str
    mapping: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UnionType:
    kind: ClassVar[str] = "union"
    id: str
    name: str
    py_name: str
    module: tuple[str, ...]
    module_path: str
    """The absolute module that defines the type, e.g. ``shop.orders.types.order``."""
    source: Source
    members: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None
    description: str | None = None


@dataclass(frozen=True)
class AliasType:
    """A named schema that is just another type (a named string, a list...)."""

    kind: ClassVar[str] = "alias"
    id: str
    name: str
    py_name: str
    module: tuple[str, ...]
    module_path: str
    """The absolute module that defines the type, e.g. ``shop.orders.types.order``."""
    source: Source
    target: TypeRef
    description: str | None = None


TypeDef = ObjectType | EnumType | UnionType | AliasType

# --------------------------------------------------------------------------------------
# REST endpoints
# --------------------------------------------------------------------------------------

ParamLocation = Literal["path", "query", "header", "cookie"]
QueryStyle = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject", "json"]


@dataclass(frozen=True)
class Parameter:
    name: str
    py_name: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str | None = None
    has_default: bool = False
    default: JsonValue = None
    style: QueryStyle = "form"
    """How a query or cookie parameter is written (OpenAPI ``style``; ``json`` for one declared by JSON
    ``content``). A cookie parameter is ``form`` (OpenAPI 3.2's ``style: cookie`` reads as ``form``) or ``json``."""
    explode: bool = True
    """For a query parameter: a list repeats the key per value (``?s=a&s=b``), an object gives a pair per property;
    for a cookie parameter the same, as cookies (``s=a; s=b``); not exploded, one value joined by commas."""
    deprecated: bool = False
    example: JsonValue = None
    has_example: bool = False
    """Whether the parameter or its schema gives an example value."""


BodyKind = Literal["json", "multipart", "form", "binary", "text"]


@dataclass(frozen=True)
class RequestBody:
    """One content type of a request body.

    When the body is an object, ``fields`` lists its properties and the SDK method
    takes them as keyword arguments; otherwise ``fields`` is empty and the method
    takes the whole body as one ``request`` argument.
    """

    content_type: str
    kind: BodyKind
    type: TypeRef
    required: bool
    fields: tuple[Field, ...] = ()
    description: str | None = None


ResponseKind = Literal["json", "binary", "sse", "jsonl", "text", "empty"]


@dataclass(frozen=True)
class Response:
    """The success response. For ``sse``, ``type`` is the type of one event's data."""

    status: str
    kind: ResponseKind
    content_type: str | None = None
    type: TypeRef | None = None
    description: str | None = None


@dataclass(frozen=True)
class ErrorResponse:
    """A declared error status; ``class_name`` is the exception class raised for it.

    ``status`` is the code (``404``), or for a range the hundreds digit (``4`` for ``4XX``,
    ``5`` for ``5XX``), or ``0`` for ``default``: the runtime looks up the exact code first,
    then its range, then the default (see :attr:`is_range`).
    """

    status: int
    class_name: str
    type: TypeRef | None = None
    description: str | None = None

    @property
    def is_range(self) -> bool:
        """A ``4XX``/``5XX`` range or ``default``: the exception carries the actual status code."""
        return self.status < 100


Path = tuple[str, ...]
"""Python attribute names from a response model (or an item) down to a value; ``()`` is the value itself."""


@dataclass(frozen=True)
class PageNumberPagination:
    """Pages numbered by the query parameter ``param`` from ``first_page``. Iteration stops on an
    empty page, once ``total_pages`` says it was the last, when ``has_more`` is false, or (with
    neither) on a page shorter than the ``limit`` query parameter asked."""

    kind: ClassVar[str] = "page_number"
    items: Path
    """Where the list of items is in the response (``()``: the response is the list)."""
    item_type: TypeRef
    param: str
    """Wire name of the query parameter (here and in every pagination case)."""
    origin: str
    """Why the endpoint pages this way: the extension or setting that says so, or the detection rule."""
    first_page: int = 0
    total_pages: Path | None = None
    has_more: Path | None = None
    limit: str | None = None


@dataclass(frozen=True)
class OffsetPagination:
    """Pages by item offset: the query parameter ``param`` moves on by the items received. Iteration
    stops on an empty page, when the offset reaches ``total``, when ``has_more`` is false, or (with
    neither) on a page shorter than the ``limit`` query parameter asked."""

    kind: ClassVar[str] = "offset"
    items: Path
    item_type: TypeRef
    param: str
    origin: str
    limit: str | None = None
    total: Path | None = None
    has_more: Path | None = None


@dataclass(frozen=True)
class CursorPagination:
    """Pages chained by a cursor: the query parameter ``param`` takes ``next_cursor`` from the
    response, or ``last_item`` from the page's last item (``starting_after=<last id>``). Iteration
    stops when there is none or ``has_more`` is false."""

    kind: ClassVar[str] = "cursor"
    items: Path
    item_type: TypeRef
    param: str
    origin: str
    next_cursor: Path | None = None
    last_item: Path | None = None
    has_more: Path | None = None


@dataclass(frozen=True)
class NextUrlPagination:
    """Pages linked by a URL in the response body (``next_url``), fetched until there is none."""

    kind: ClassVar[str] = "next_url"
    items: Path
    item_type: TypeRef
    origin: str
    next_url: Path


@dataclass(frozen=True)
class LinkHeaderPagination:
    """Pages linked by the ``Link`` response header's ``rel="next"`` (RFC 8288)."""

    kind: ClassVar[str] = "link_header"
    items: Path
    item_type: TypeRef
    origin: str


Pagination = PageNumberPagination | OffsetPagination | CursorPagination | NextUrlPagination | LinkHeaderPagination
"""How a list endpoint pages: one case per style, each with only the fields it needs."""


@dataclass(frozen=True)
class Endpoint:
    """One SDK method. An operation with several request content types may give several."""

    id: str
    group: tuple[str, ...]
    """Sub-client path from the root client, e.g. ``("empathic_voice", "configs")``."""
    py_name: str
    operation_id: str
    http_method: str
    path: str
    environment: str
    """Which environment URL (see :class:`Environment`) the path is relative to."""
    source: Source
    path_params: tuple[Parameter, ...] = ()
    query_params: tuple[Parameter, ...] = ()
    header_params: tuple[Parameter, ...] = ()
    cookie_params: tuple[Parameter, ...] = ()
    """Sent in the ``Cookie`` header, merged with the credentials' cookies; each name is an RFC 6265 token."""
    body: RequestBody | None = None
    response: Response = Response(status="200", kind="empty")
    errors: tuple[ErrorResponse, ...] = ()
    pagination: Pagination | None = None
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    auth: bool = True
    """The operation takes the client's credentials (``security: []`` says it takes none)."""
    idempotency_header: str | None = None
    """The header that carries an idempotency key, which the SDK fills in for each call."""
    retryable: bool = False
    """The description says the operation may be retried (``x-speakeasy-retries``), whatever its method."""
    server: str | None = None
    """An absolute URL the operation's own ``servers`` name, used instead of the environment's."""
    security: tuple[tuple[str, ...], ...] = ()
    """With :attr:`Api.security_schemes`: the sets of schemes (by name) that each satisfy the endpoint,
    in order (any one set, every scheme of it); ``()`` sends none, an empty set allows no credentials."""


# --------------------------------------------------------------------------------------
# WebSocket channels
# --------------------------------------------------------------------------------------


MessageEncoding = Literal["json", "text", "binary"]


@dataclass(frozen=True)
class Message:
    """One message on a channel.

    ``type`` is the payload, of any kind (an object, union, enum, constant, list, scalar,
    ``Primitive("any")`` when untyped), or ``Primitive("binary")`` for binary frames. ``tag`` is the value of the channel's discriminator property that
    identifies this message, when it has one. ``send_method`` is set on messages the
    client sends.
    """

    name: str
    py_name: str
    type: TypeRef
    tag: str | None = None
    send_method: str | None = None
    description: str | None = None
    content_type: str = "application/json"
    """The message's ``contentType`` (or the document's ``defaultContentType``)."""
    encoding: MessageEncoding = "json"
    """How a frame carries it: JSON text, plain text (a ``str`` as is), or a binary frame."""
    headers: TypeRef | None = None
    """The message's ``headers`` schema, when it declares one (a WebSocket frame cannot carry them)."""
    source: Source | None = None
    """Where the message object is defined (after ``$ref``s)."""
    correlation: str | None = None
    """The JSON pointer into the payload of its ``correlationId`` (``/id``), when it declares one there."""
    replies: tuple[str, ...] = ()
    """For a message the client sends: the names of the received messages that answer it."""
    request_method: str | None = None
    """For a sent message with ``replies``: the method that sends it and waits for the matching reply."""


@dataclass(frozen=True)
class ChannelAuth:
    """One way a channel accepts credentials: a header or a query parameter."""

    location: Literal["header", "query"]
    name: str


@dataclass(frozen=True)
class Resume:
    """How a new connection continues an earlier session: the ``connect()`` parameter that takes
    the earlier session's id, and the received message (and its property) that carries the id."""

    param: str
    """The Python name of the query parameter (a keyword of ``connect()``)."""
    message: str | None = None
    """The name of the received message that carries the value, when known."""
    field: str | None = None
    """The wire name of that message's property holding the value."""


DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Channel:
    id: str
    group: tuple[str, ...]
    """Sub-client path that offers ``connect()``, e.g. ``("empathic_voice", "chat")``."""
    address: str
    environment: str | None
    """The environment URL key the channel's address is below; ``None`` when its document names no
    server: ``connect()`` then takes the server's URL as its ``url`` argument (:data:`naming.CONNECT_URL`)."""
    source: Source
    path_params: tuple[Parameter, ...] = ()
    query_params: tuple[Parameter, ...] = ()
    header_params: tuple[Parameter, ...] = ()
    """Headers of the handshake (``bindings.ws.headers``)."""
    auth: tuple[ChannelAuth, ...] = ()
    publish: tuple[Message, ...] = ()
    """What the client sends."""
    subscribe: tuple[Message, ...] = ()
    """What the server sends."""
    discriminator: str | None = None
    """Property that tells received JSON messages apart (e.g. ``type``), if any."""
    tag_attribute: str | None = None
    """The attribute whose comparison (``message.<attribute> == "..."``) narrows a received message to
    one class: every received message is a model whose :attr:`discriminator` property has this
    attribute. ``None`` when there is none (or it is one the SDK's unknown messages have a value of)."""
    description: str | None = None
    max_message_size: int | None = DEFAULT_MAX_MESSAGE_SIZE
    """The largest message (bytes) ``connect()`` accepts by default; ``None`` for no limit."""
    security: tuple[tuple[str, ...], ...] | None = None
    """With :attr:`Api.security_schemes`: the alternatives (sets of scheme names) the channel's server
    accepts, as :attr:`Endpoint.security`; ``None`` when the client has one API key (see :attr:`auth`)."""
    resume: Resume | None = None
    """The parameter that resumes an earlier session on a new connection, when the channel has one."""


# --------------------------------------------------------------------------------------
# The whole API
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    """A named deployment: one URL per URL key (``base``, ``evi``...)."""

    name: str
    py_name: str
    urls: tuple[tuple[str, str], ...]


SchemeKind = Literal["api_key", "bearer", "basic", "oauth2_client_credentials", "oauth2_token"]


@dataclass(frozen=True)
class SecurityScheme:
    """A credential the client can be given (an entry of ``securitySchemes``) and how requests carry it.

    ``params`` are the client's constructor keywords for it (``api_key``; ``token``; ``username`` and
    ``password``; ``client_id`` and ``client_secret``; ``access_token``), ``env_vars`` the environment
    variable read for each when it is not given (``None``: none is read; only the settings' ``auth``
    can say so).

    ``oauth2_token`` is an OAuth2 access token the user brings (from an authorization code, implicit,
    password or device flow, or OpenID Connect, which the SDK does not run), sent as a bearer token.
    """

    name: str
    kind: SchemeKind
    params: tuple[str, ...]
    env_vars: tuple[str | None, ...]
    location: Literal["header", "query", "cookie"] | None = None
    """Where an API key goes."""
    key_name: str | None = None
    """The header, query parameter or cookie that carries an API key."""
    token_url: str | None = None
    scopes: tuple[str, ...] = ()
    flows: tuple[tuple[str, str], ...] = ()
    """For ``oauth2_token``: how a token is obtained, (flow, URL where it starts) each: ``("authorization
    code", "https://id.example.com/authorize")``, ``("OpenID Connect", <discovery URL>)``."""
    description: str | None = None


@dataclass(frozen=True)
class Group:
    """A node of the sub-client tree, e.g. ``()`` (the root client), ``("tts", "voices")``.

    The classes of its clients: ``client`` and ``async_client`` (what users call),
    ``raw_client`` and ``async_raw_client`` (their ``with_raw_response``), ``streaming_client``
    and ``async_streaming_client`` (their ``with_streaming_response``).
    """

    path: tuple[str, ...]
    client: str
    async_client: str
    raw_client: str
    async_raw_client: str
    streaming_client: str
    async_streaming_client: str
    description: str | None = None


# --------------------------------------------------------------------------------------
# Hand-written extensions (specs/extensions/)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionModule:
    """A hand-written module, copied into the package as it is."""

    module: str
    """Dotted path below the package, e.g. ``empathic_voice.chat.audio``."""
    source: Source
    text: str


@dataclass(frozen=True)
class Mixin:
    """Hand-written base classes that add methods to the sync and async clients of a group."""

    group: tuple[str, ...]
    module: str
    """The extension module defining both classes (dotted, below the package)."""
    sync_class: str
    async_class: str


@dataclass(frozen=True)
class Export:
    """A name a package's ``__init__`` offers (lazily) from a hand-written or generated module."""

    package: str
    """Dotted path below the package; ``""`` for the package itself."""
    name: str
    module: str
    """Dotted path below the package of the module defining ``name``."""


@dataclass(frozen=True)
class Extensions:
    modules: tuple[ExtensionModule, ...] = ()
    mixins: tuple[Mixin, ...] = ()
    exports: tuple[Export, ...] = ()
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Optional dependencies of the distribution: ``(extra, (requirement, ...))``."""

    def mixin_of(self, group: tuple[str, ...]) -> Mixin | None:
        return next((mixin for mixin in self.mixins if mixin.group == group), None)


def only_api_key(schemes: tuple[SecurityScheme, ...]) -> SecurityScheme | None:
    """The one scheme of ``schemes`` when it is an API key in a header (see :attr:`Api.api_key`)."""
    match schemes:
        case (SecurityScheme(kind="api_key", location="header") as key,):
            return key
        case _:
            return None


@dataclass(frozen=True)
class Webhook:
    """A request the API sends to the user's server (a 3.1 webhook, or an operation's callback):
    the SDK offers a function that parses its JSON payload into ``type``.

    The function ``py_name`` lives in the module ``<package>.<group...>.<module_name>``.
    """

    name: str
    py_name: str
    group: tuple[str, ...]
    module_name: str
    type: TypeRef
    source: Source
    description: str | None = None


USUAL_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")
"""The response headers ``request_id`` reads whatever the descriptions say (:attr:`Api.request_id_headers`)."""


@dataclass(frozen=True)
class Api:
    package: str
    version: str
    title: str
    client: str
    async_client: str
    environment_class: str
    url_keys: tuple[str, ...]
    """The URL keys every environment defines, in order; the first is the REST default."""
    environments: tuple[Environment, ...]
    default_environment: str | None
    """The environment the client uses unless told otherwise; ``None`` (and no environments) when the
    documents name no server: the client then requires its ``base_url`` (or an environment)."""
    groups: tuple[Group, ...]
    """Every node of the sub-client tree, parents before children: the root ``()`` first."""
    types: tuple[TypeDef, ...]
    endpoints: tuple[Endpoint, ...]
    channels: tuple[Channel, ...]
    description: str | None = None
    extensions: Extensions = Extensions()
    security_schemes: tuple[SecurityScheme, ...] = ()
    """The client's credentials, in constructor order (see :attr:`api_key` for the simplest case);
    each endpoint's :attr:`Endpoint.security` names the ones it takes."""
    webhooks: tuple[Webhook, ...] = ()
    """Parse functions for what the API sends (webhooks, callbacks), by group then document order."""
    request_id_headers: tuple[str, ...] = USUAL_REQUEST_ID_HEADERS
    """The response headers ``request_id`` reads on errors and raw responses, lower case, first found
    first: the settings' ``request_id_headers``, then those the descriptions declare that name a request
    id, then the usual ones (see :mod:`generator.normalise.request_ids`)."""

    @property
    def api_key(self) -> SecurityScheme | None:
        """The client's only credential when it is one API key in a header: the client then requires
        it when it is made and sends it on every request that takes credentials (:attr:`Endpoint.auth`)
        and on every handshake where the channel takes it (:attr:`Channel.auth`). Any other set of
        schemes goes where :attr:`Endpoint.security` and :attr:`Channel.security` say."""
        return only_api_key(self.security_schemes)

    def type_by_id(self, type_id: str) -> TypeDef:
        return self._types_by_id[type_id]

    def group(self, path: tuple[str, ...]) -> Group:
        return self._groups_by_path[path]

    def find_group(self, path: tuple[str, ...]) -> Group | None:
        """The group at ``path``, or ``None`` (a package that holds only types is no group)."""
        return self._groups_by_path.get(path)

    def children(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """The names of the sub-clients directly below ``path``, sorted."""
        return self._children_by_path.get(path, ())

    def endpoints_of(self, path: tuple[str, ...]) -> tuple[Endpoint, ...]:
        """The endpoints of the sub-client ``path``, in IR order."""
        return self._endpoints_by_group.get(path, ())

    # Indexes, built on first use; not dataclass fields, so neither compared nor dumped.
    # (A frozen dataclass without __slots__ can have them: cached_property writes __dict__.)

    @cached_property
    def _types_by_id(self) -> dict[str, TypeDef]:
        return {typedef.id: typedef for typedef in self.types}

    @cached_property
    def _groups_by_path(self) -> dict[tuple[str, ...], Group]:
        return {group.path: group for group in self.groups}

    @cached_property
    def _children_by_path(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        children: dict[tuple[str, ...], set[str]] = {}
        for group in self.groups:
            if group.path:
                children.setdefault(group.path[:-1], set()).add(group.path[-1])
        return {path: tuple(sorted(names)) for path, names in children.items()}

    @cached_property
    def _endpoints_by_group(self) -> dict[tuple[str, ...], tuple[Endpoint, ...]]:
        found: dict[tuple[str, ...], list[Endpoint]] = {}
        for endpoint in self.endpoints:
            found.setdefault(endpoint.group, []).append(endpoint)
        return {path: tuple(endpoints) for path, endpoints in found.items()}


# --------------------------------------------------------------------------------------
# JSON dump
# --------------------------------------------------------------------------------------


def to_data(value: Any) -> Any:
    """Turn IR objects into JSON-ready data; tagged classes get a ``kind`` key first."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {}
        kind = getattr(type(value), "kind", None)
        if isinstance(kind, str):
            data["kind"] = kind
        for f in dataclasses.fields(value):
            data[f.name] = to_data(getattr(value, f.name))
        return data
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def to_json(api: Api) -> str:
    """Deterministic JSON text of the IR (what ``sdkgen ir`` prints)."""
    return json.dumps(to_data(api), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
