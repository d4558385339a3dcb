"""OpenAPI paths and operations -> :class:`~generator.ir.Endpoint`."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, get_args

from generator import naming, responses
from generator.errors import Collector, Location, SpecError, warn
from generator.headers import is_cookie_name, is_header_name
from generator.ir import (
    Endpoint,
    ErrorResponse,
    Field,
    LiteralOf,
    Nullable,
    Parameter,
    QueryStyle,
    RequestBody,
    Response,
    SecurityScheme,
    Source,
    TypeRef,
    Webhook,
)
from generator.load.documents import Document
from generator.load.lines import Lines
from generator.normalise import dialects, media
from generator.normalise import x_sdk as extensions
from generator.normalise.bounds import template_problem
from generator.normalise.method_names import Named, method_names
from generator.normalise.nodes import Node, deref
from generator.normalise.pagination import PaginationReader
from generator.normalise.schemas import ANY, BINARY, STRING, Types, example_of, json_shaped

_QUERY_STYLES = frozenset(get_args(QueryStyle)) - {"json"}
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
"""HTTP methods whose repetition does no harm (RFC 9110, 9.2.2)."""
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})
"""Header names (lower case) that, declared by an operation, carry an idempotency key."""

if TYPE_CHECKING:
    from generator.load import LoadedSource
    from generator.settings import Settings

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Exception class per error status; a fixed table so names do not depend on Python's version.
ERROR_CLASSES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    402: "PaymentRequiredError",
    403: "ForbiddenError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    406: "NotAcceptableError",
    408: "RequestTimeoutError",
    409: "ConflictError",
    410: "GoneError",
    412: "PreconditionFailedError",
    413: "ContentTooLargeError",
    415: "UnsupportedMediaTypeError",
    422: "UnprocessableEntityError",
    429: "TooManyRequestsError",
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}

# Header parameters the client sets itself (OpenAPI says to ignore them).
_CLIENT_HEADERS = frozenset({"accept", "content-type", "authorization"})


_DEFAULT_STREAM = "\0default"
"""The streaming variant's name is derived from the method's (``x-sdk-stream-method`` not set)."""

RANGE_ERROR_CLASSES = {4: "ClientError", 5: "ServerError", 0: "DefaultError"}
"""Exception class of a ``4XX``/``5XX`` range and of ``default`` (see :class:`ErrorResponse`)."""


def error_class(status: int) -> str:
    if status < 100:
        return RANGE_ERROR_CLASSES[status]
    return ERROR_CLASSES.get(status, f"Status{status}Error")


def _error_status(code: str, has_success: bool) -> int | None:
    """The IR status of an error response key: ``404``, ``4`` for ``4XX``, ``0`` for ``default``
    (when the operation declares a success response; otherwise ``default`` is the success)."""
    if _in_range(code, 400) or _in_range(code, 500):
        return int(code)
    if code.upper() in ("4XX", "5XX"):
        return int(code[0])
    if code == "default" and has_success:
        return 0
    return None


def tag_group(tag: str, module: tuple[str, ...]) -> tuple[str, ...]:
    """The sub-client of operations whose first tag is ``tag``, in a source of ``module``."""
    name = naming.snake(tag.removeprefix("subpackage_")) if tag.strip() else ""
    if not name or (module and name == module[-1]):
        return module
    if name in naming.RESERVED_PACKAGE_NAMES or name in naming.CLIENT_MEMBERS:
        name += "_api"  # a tag called like a module of the SDK (`core`): the sub-client is `core_api`
    return (*module, name)


PATH_GROUPS_FROM = 40
"""A source with this many untagged operations groups them by their leading path segment (``path_groups``)."""
_NOT_A_GROUP = re.compile(r"^(v[0-9]+[a-z0-9]*|[0-9][0-9.-]*|api|apis|rest|public|\{.*\})$", re.IGNORECASE)
"""Path segments that name no part of an API: versions, dates, ``api``, parameters."""


def path_group(path: str, depth: int, module: tuple[str, ...]) -> tuple[str, ...]:
    """The sub-client of an untagged operation: its first ``depth`` path segments that name something
    (``/api/v1/projects/{id}/issues`` -> ``projects``, then ``issues``), snake_cased, after ``module``."""
    names = [
        naming.snake(segment)
        for segment in path.partition("#")[0].split("/")
        if segment and not _NOT_A_GROUP.match(segment) and naming.words(segment)
    ][:depth]
    group = module
    for name in names:
        reserved = naming.RESERVED_PACKAGE_NAMES | naming.CLIENT_MEMBERS | naming.ROOT_CLIENT_MEMBERS
        group = (*group, f"{name}_api" if name in reserved else name)
    return group


@dataclass(frozen=True, eq=False)
class _Operation:
    """One operation and what the endpoints made from it share."""

    node: Node
    path: str
    method: str
    operation_id: str
    group: tuple[str, ...]
    parameters: tuple[Node, ...]
    item: Node


class OpenApiReader:
    """Reads the endpoints of one OpenAPI source."""

    def __init__(
        self,
        types: Types,
        source: LoadedSource,
        settings: Settings,
        schemes: tuple[SecurityScheme, ...] = (),
        default_security: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        self.types = types
        self.root = Node(source.document, "", source.document.data)
        self.module = source.settings.module
        self.environment = source.settings.environment or settings.url_keys[0]
        default = dict(settings.environments).get(settings.default_environment or "", ())
        # Longest URL first: a server below two environment URLs belongs to the closer one.
        self.environment_urls = sorted(default, key=lambda pair: -len(pair[1]))
        self.schemes = {scheme.name for scheme in schemes}
        self.default_security = default_security
        self.credentials = {
            (scheme.location, (scheme.key_name or "").lower()) for scheme in schemes if scheme.kind == "api_key"
        }
        self._operation_ids: dict[str, Node] = {}
        self._warned_tags: set[str] = set()
        self._warned_responses: set[str] = set()
        self._path_groups = source.settings.path_groups
        self._text_bodies: list[tuple[str, Location]] = []
        """(media type, where) of the request bodies of a text type whose schema is an object or array."""
        self.pages = PaginationReader(types, self.root, _settings_node(settings, source))

    def endpoints(self) -> list[Endpoint]:
        result: list[Endpoint] = []
        collector = Collector()
        dialects.warn_unsupported(self.root)
        operations: list[_Operation] = []
        named: list[Named] = []
        for path, item in self.root.items("paths"):
            item = deref(self.types.registry, item)
            problem = template_problem(path)
            if problem is not None:  # nothing of it could be sent to the path it means: left out
                warn(f"the path {path!r} has {problem}; its operations are left out", item.location)
                continue
            for method in [key for key in item.value or {} if key in HTTP_METHODS]:
                if dialects.ignored(item.child(method)):
                    continue  # x-fern-ignore / x-speakeasy-ignore: not part of the SDK
                try:
                    operation = self._operation(path, method, item)
                    own = extensions.identifier(operation.node, "x-sdk-method")
                    given = own or dialects.method_name(operation.node)
                    named.append(
                        Named(operation.group, operation.operation_id, given, operation.node.location, own is not None)
                    )
                    operations.append(operation)
                except SpecError as error:  # every operation's problems are reported in one run
                    collector.add(error)
        for operation, py_name in zip(operations, method_names(named)):
            try:
                result.extend(self._endpoints(operation, py_name))
            except SpecError as error:
                collector.add(error)
        collector.done()
        if self._text_bodies:
            media_types = ", ".join(sorted({media_type for media_type, _ in self._text_bodies}))
            count = len(self._text_bodies)
            warn(
                f"{count} request bod{'y is' if count == 1 else 'ies are'} of a text media type ({media_types}) with "
                "an object or array schema; sdkgen writes no XML or other text format from a model, so "
                f"{'its method takes' if count == 1 else 'their methods take'} the body as text (the first here)",
                self._text_bodies[0][1],
            )
        return result

    def webhooks(self) -> list[Webhook]:
        """A parse function per webhook (3.1 ``webhooks``) and per operation callback with a JSON body.

        Webhooks belong to the source's module, callbacks to their operation's group. Named
        ``parse_`` + the snake_cased key (``x-sdk-method`` on the webhook's operation names it otherwise).
        """
        found: list[Webhook] = []
        for name, item in self.root.items("webhooks"):
            item = deref(self.types.registry, item)
            for method in [key for key in item.value or {} if key in HTTP_METHODS]:
                found.extend(
                    self._webhook(name, deref(self.types.registry, item.child(method)), self.module, "webhook")
                )
        for _, item in self.root.items("paths"):
            item = deref(self.types.registry, item)
            for method in [key for key in item.value or {} if key in HTTP_METHODS]:
                operation = deref(self.types.registry, item.child(method))
                group = self._group(operation)
                for name, callback in operation.items("callbacks"):
                    callback = deref(self.types.registry, callback)
                    for expression in callback.value if isinstance(callback.value, dict) else {}:
                        callback_item = deref(self.types.registry, callback.child(str(expression)))
                        for callback_method in [k for k in callback_item.value or {} if k in HTTP_METHODS]:
                            found.extend(self._webhook(name, callback_item.child(callback_method), group, "callback"))
        return found

    def _webhook(self, name: str, node: Node, group: tuple[str, ...], what: str) -> list[Webhook]:
        body = deref(self.types.registry, node.child("requestBody"))
        offered = [content_type for content_type, _ in body.items("content")]
        json_type = next((content_type for content_type in offered if media.is_json(content_type)), None)
        if json_type is None:
            warn(f"{what} {name!r} has no JSON payload: no parse function for it", node.location)
            return []
        py_name = extensions.identifier(node, "x-sdk-method") or "parse_" + naming.snake(name)
        ref = self.types.ref(body.child("content", json_type, "schema"), naming.pascal(name) + "Payload")
        description = node.text("description") or node.text("summary")
        return [Webhook(name, py_name, group, "webhooks", ref, Source(node.doc.file, node.pointer), description)]

    # ---- operation level -------------------------------------------------------------

    def _operation(self, path: str, method: str, item: Node) -> _Operation:
        node = deref(self.types.registry, item.child(method))  # an operation reached by $ref reads as inline
        operation_id = node.get("operationId")
        if not isinstance(operation_id, str) or not operation_id.strip():
            operation_id = naming.snake(f"{method} {path}")
            warn(f"operation has no operationId; naming it {operation_id!r}", node.location)
        elif operation_id in self._operation_ids:
            other = self._operation_ids[operation_id]
            warn(f"operationId {operation_id!r} is repeated (first at {other.pointer})", node.location)
        else:
            self._operation_ids[operation_id] = node
        group = self._group(node, path)
        return _Operation(node, path, method, operation_id, group, self._parameters(item, node, path), item)

    def _group(self, node: Node, path: str | None = None) -> tuple[str, ...]:
        custom = extensions.group(node, self.module)
        if custom is None:
            custom = dialects.group(node, self.module)  # x-fern-sdk-group-name, x-speakeasy-group
        if custom is not None:
            return custom
        tags = node.get("tags")
        tag = tags[0] if isinstance(tags, list) and tags else None
        if tag is None:
            return self._untagged_group(path)
        tag = str(tag)
        if not tag.strip() or tag.startswith("subpackage_"):
            self._warn_tag(tag, node)
        return tag_group(tag, self.module)

    def _untagged_group(self, path: str | None) -> tuple[str, ...]:
        """The group of an operation no tag or group extension places: by its leading path segments
        (:func:`path_group`) when the source's ``path_groups`` says so, else the source's module."""
        if path is None:
            return self.module
        if self._path_groups is None:
            untagged = 0
            for _, item in self.root.items("paths"):
                item = deref(self.types.registry, item)
                for method in [key for key in item.value or {} if key in HTTP_METHODS]:
                    operation = item.get(method)
                    if isinstance(operation, dict) and not operation.get("tags") and "x-sdk-group" not in operation:
                        untagged += 1
            self._path_groups = 1 if untagged >= PATH_GROUPS_FROM else 0
        return path_group(path, self._path_groups, self.module)

    def _warn_tag(self, tag: str, node: Node) -> None:
        if tag not in self._warned_tags:
            self._warned_tags.add(tag)
            what = "an empty tag" if not tag.strip() else f"tag {tag!r} has a 'subpackage_' prefix"
            warn(f"{what}; grouping by {'the module' if not tag.strip() else 'the rest of it'}", node.location)

    def _parameters(self, item: Node, node: Node, path: str) -> tuple[Node, ...]:
        """Path-level parameters, overridden (by name and location) or extended by the operation's.

        A path parameter the path does not use is left out, with a warning: nothing could be sent.
        """
        merged: dict[tuple[str, str], Node] = {}
        for written in (*item.elements("parameters"), *node.elements("parameters")):
            try:
                parameter = deref(self.types.registry, written)
            except SpecError as error:
                warn(f"{error.message}; this parameter is left out", written.location)
                continue
            name, location = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or location not in ("path", "query", "header", "cookie"):
                raise parameter.fail("a parameter needs a 'name' and 'in' (path, query, header or cookie)")
            merged[(name, location)] = parameter
        for name, location in list(merged):
            if location == "path" and "{" + name + "}" not in path:
                warn(f"path parameter {name!r} does not appear in the path {path!r}; leaving it out", node.location)
                del merged[(name, location)]
        for name in dict.fromkeys(_PLACEHOLDER.findall(path.partition("#")[0])):
            if (name, "path") in merged:
                continue
            other = next((p for (n, loc), p in merged.items() if n == name), None)
            if other is not None:
                warn(
                    f"the path {path!r} has {{{name}}}, but the operation declares {name!r} in {other.get('in')}; "
                    "repaired: it is taken as a path parameter of type string",
                    other.location,
                )
                del merged[(name, str(other.get("in")))]
                where = other
            else:
                warn(
                    f"the path {path!r} has {{{name}}}, but the operation declares no parameter {name!r}; "
                    "repaired: it is taken as a path parameter of type string",
                    node.location,
                )
                where = node
            repaired = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            description = where.get("description") if where is other else None
            if isinstance(description, str):
                repaired["description"] = description
            merged[(name, "path")] = Node(where.doc, where.pointer + "/(repaired)", repaired)
        return tuple(merged.values())

    def _endpoints(self, operation: _Operation, py_name: str) -> list[Endpoint]:
        node = operation.node
        result = []
        stream = self._stream_method(node)
        fern = self._fern_streaming(node, stream)
        for name, content_type in self._variants(node, py_name):
            if fern is not None:
                # x-fern-streaming: the method streams; with a stream-condition, a second method does.
                if fern.condition is not None:
                    result.append(self._endpoint(operation, name, content_type, fern=fern))
                    name = f"{name}_stream"
                result.append(self._endpoint(operation, name, content_type, streaming=True, fern=fern))
                continue
            result.append(self._endpoint(operation, name, content_type))
            if stream is not None:
                # The same operation answering with an event stream: a method of its own.
                stream_name = stream if stream != _DEFAULT_STREAM else f"{name}_stream"
                result.append(self._endpoint(operation, stream_name, content_type, streaming=True))
        return result

    def _fern_streaming(self, node: Node, stream: str | None) -> dialects.Streaming | None:
        """``x-fern-streaming`` when it changes anything: an event stream (``format: sse``), not where
        the response offers one already (then ``x-sdk-stream-method`` says how)."""
        fern = dialects.streaming(node)
        if fern is None or stream is not None:
            return None
        if fern.format != "sse":
            response = self._response(node, "")
            if response.kind not in ("binary", "sse", "empty"):  # binary bodies and event streams stream already
                warn(
                    f"x-fern-streaming format {fern.format!r} (a stream of JSON values) is not generated; "
                    "the method returns the whole response",
                    node.child("x-fern-streaming").location,
                )
            return None
        return fern

    def _stream_method(self, node: Node) -> str | None:
        """The streaming variant's method name, when the success response offers an event stream
        besides another media type: ``x-sdk-stream-method`` (``false`` for none), else the
        method's name + ``_stream`` (:data:`_DEFAULT_STREAM`)."""
        success = self._success(node)
        if success is None:
            return None
        offered = [name for name, _ in deref(self.types.registry, success[1]).items("content")]
        if len(offered) < 2 or not any(responses.typed_stream(media.response_kind(name)) for name in offered):
            return None
        custom = node.get("x-sdk-stream-method")
        if custom is False:
            return None
        if custom is None:
            return _DEFAULT_STREAM
        return extensions.identifier(node, "x-sdk-stream-method")

    def _variants(self, node: Node, py_name: str) -> list[tuple[str, str | None]]:
        """(method name, request content type) per endpoint of the operation."""
        content = [name for name, _ in deref(self.types.registry, node.child("requestBody")).items("content")]
        variants = node.get("x-sdk-variants")
        if variants is None:
            return [(py_name, media.preferred(content))]
        result = []
        for index, variant in enumerate(node.elements("x-sdk-variants")):
            method, content_type = variant.get("method"), variant.get("content-type")
            if not (isinstance(method, str) and naming.is_identifier(method)) or content_type not in content:
                raise variant.fail(
                    f"x-sdk-variants[{index}] needs a 'method' identifier and a 'content-type' of the request body"
                    f" ({', '.join(content) or 'none'})"
                )
            result.append((method, content_type))
        return result

    def _endpoint(
        self,
        operation: _Operation,
        py_name: str,
        content_type: str | None,
        streaming: bool = False,
        fern: dialects.Streaming | None = None,
    ) -> Endpoint:
        node = operation.node
        hint = naming.pascal(py_name)
        body = self._body(node, content_type, hint) if content_type else None
        if fern is not None:
            response = self._fern_response(node, hint, fern, streaming)
            body = _stream_condition(body, fern.condition, streaming) if body is not None else None
        else:
            response = self._response(node, hint, streaming)
        params = self._params(operation.parameters, hint, body)
        security = node.get("security", self.root.get("security"))
        environment, prefix, server = self._server(operation)
        return Endpoint(
            id=".".join((*operation.group, py_name)),
            group=operation.group,
            py_name=py_name,
            operation_id=operation.operation_id,
            http_method=operation.method.upper(),
            path=prefix + operation.path.partition("#")[0],  # a #fragment only tells operations apart
            environment=environment,
            server=server,
            source=Source(node.doc.file, node.pointer),
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            header_params=tuple(p for p in params if p.location == "header"),
            cookie_params=tuple(p for p in params if p.location == "cookie"),
            body=body,
            response=response,
            errors=self._errors(node, hint),
            retryable=dialects.retryable(node, self.root),
            pagination=self.pages.read(node, operation.operation_id, operation.path, operation.method, response, params)
            if not streaming
            else None,
            summary=node.text("summary"),
            description=node.text("description"),
            deprecated=node.get("deprecated") is True,
            auth=security != [],
            idempotency_header=self._idempotency_header(node, operation.method, params),
            security=self._security(security),
        )

    def _server(self, operation: _Operation) -> tuple[str, str, str | None]:
        """(environment URL key, path prefix, absolute URL) from the operation's or path's ``servers``.

        The first server counts, its variables at their defaults. A relative URL prefixes the path;
        an absolute one below an environment URL of the default environment uses that URL key
        with the rest as a prefix; any other absolute URL is used as it is.
        """
        found = next((n for n in (operation.node, operation.item) if n.get("servers")), None)
        if found is None:
            return self.environment, "", None
        server = found.child("servers", 0)
        url = server.get("url")
        if not isinstance(url, str):
            raise server.fail("a server needs a 'url'")
        for name, variable in server.items("variables"):
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        url = url.rstrip("/")
        if "://" not in url:
            return self.environment, ("/" + url.lstrip("/")) if url else "", None
        for key, base in self.environment_urls:
            base = base.rstrip("/")
            if url == base or url.startswith(base + "/"):
                return key, url[len(base) :], None
        return self.environment, "", url

    def _idempotency_header(self, node: Node, method: str, params: list[Parameter]) -> str | None:
        """The header carrying an idempotency key: one the operation declares, or the one the
        ``x-sdk-idempotency-header`` extension names (on the operation or the document) for a
        method that is not idempotent anyway."""
        for param in params:
            if param.location == "header" and param.name.lower() in IDEMPOTENCY_HEADERS:
                return param.name
        named = node.get("x-sdk-idempotency-header", self.root.get("x-sdk-idempotency-header"))
        if named is None or method.upper() in IDEMPOTENT_METHODS:
            return None
        if not isinstance(named, str) or not is_header_name(named):
            where = node if "x-sdk-idempotency-header" in node.value else self.root
            raise where.fail(
                "x-sdk-idempotency-header must name a header (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)",
                "x-sdk-idempotency-header",
            )
        return named

    def _security(self, requirements: Any) -> tuple[tuple[str, ...], ...]:
        """The alternatives of the operation's security requirements made of schemes the SDK generates."""
        if requirements is None and self.default_security:
            return self.default_security
        if not self.schemes or not isinstance(requirements, list):
            return ()
        alternatives = []
        for requirement in requirements:
            names = tuple(requirement) if isinstance(requirement, dict) else ()
            if all(name in self.schemes for name in names) and names not in alternatives:
                alternatives.append(names)
        return tuple(alternatives)

    # ---- parameters ------------------------------------------------------------------

    def _params(self, nodes: tuple[Node, ...], hint: str, body: RequestBody | None) -> list[Parameter]:
        """The parameters the SDK method takes, named apart from the body's fields."""
        kept = [node for node in nodes if self._kept(node)]
        taken = (
            [*naming.RESERVED_ARGUMENTS, *(field.py_name for field in body.fields)]
            if body
            else [*naming.RESERVED_ARGUMENTS]
        )
        if body is not None and not body.fields:
            taken.append("request")
        names = naming.dedupe([naming.param_name(node.value["name"]) for node in kept], taken)
        result = []
        for node, py_name in zip(kept, names):
            try:
                result.append(self._param(node, py_name, hint))
            except SpecError as error:
                name = node.value["name"]
                if node.value["in"] != "path":
                    self.types.warn_once(f"{error.message}; the parameter {name!r} is left out", error.location)
                    continue
                self.types.warn_once(
                    f"{error.message}; the path parameter {name!r} is typed as a string", error.location
                )
                string = Node(node.doc, node.pointer + "/(repaired)", {**node.value, "schema": {"type": "string"}})
                result.append(self._param(string, py_name, hint))
        return result

    def _kept(self, node: Node) -> bool:
        name, location = node.value["name"].lower(), node.value["in"]
        if (location, name) in self.credentials:
            return False  # the client sends it from its credentials
        if location == "cookie" and not is_cookie_name(node.value["name"]):
            # What could be sent under another name would not be this parameter: leave it out.
            shown = node.value["name"] if len(node.value["name"]) <= 60 else node.value["name"][:50] + "..."
            self.types.warn_once(
                f"the cookie name {shown!r} is not an RFC 6265 token (letters, digits and !#$%&'*+-.^_`|~ only); "
                "the parameter is left out",
                node.child("name").location,
            )
            return False
        if location == "header" and not is_header_name(node.value["name"]):
            return False  # no header can be sent under that name (said at load: load/headers.py)
        return location != "header" or name not in _CLIENT_HEADERS

    def _param(self, node: Node, py_name: str, hint: str) -> Parameter:
        name, location = node.value["name"], node.value["in"]
        schema = node.child("schema")
        in_content = schema.value is None and bool(node.items("content"))
        if in_content:
            schema = node.items("content")[0][1].child("schema")
        schema_value = schema.value if isinstance(schema.value, dict) else {}
        # A cookie's only style is form (the OpenAPI schemas say so); a header's is left at form, unused.
        style = "json" if in_content else self._query_style(node) if location == "query" else "form"
        return Parameter(
            name=name,
            py_name=py_name,
            location=location,
            type=self.types.ref(schema, hint + naming.pascal(name)),
            required=location == "path" or node.get("required") is True,
            description=node.text("description"),
            has_default="default" in schema_value,
            default=schema_value.get("default"),
            style=style,
            explode=style in ("deepObject", "json") or node.get("explode", style == "form") is True,
            deprecated=node.get("deprecated") is True,
            **example_of(node.value, schema_value),
        )

    def _query_style(self, node: Node) -> QueryStyle:
        style = node.get("style", "form")
        if style in _QUERY_STYLES:
            return cast(QueryStyle, style)
        warn(f"style {style!r} is not a query parameter's; writing it as 'form'", node.child("style").location)
        return "form"

    # ---- bodies ----------------------------------------------------------------------

    def _body(self, node: Node, content_type: str, hint: str) -> RequestBody:
        body = deref(self.types.registry, node.child("requestBody"))
        entry = body.child("content", content_type)
        kind = media.request_kind(content_type)
        schema = entry.child("schema")
        if kind == "binary":
            ref: TypeRef = BINARY
        elif schema.value is None:
            ref = STRING if kind == "text" else ANY
        elif kind == "text" and self._json_shaped(schema):
            # XML (or another text format) described by an object schema: sdkgen writes no XML from
            # a model, so the caller gives the text (said once per document: endpoints()).
            self._text_bodies.append((content_type, entry.location))
            ref = STRING
        else:
            ref = self.types.ref_or_any(schema, hint + "Request", "the request body is typed as any JSON value")
        fields: tuple[Field, ...] = ()
        if kind in ("json", "multipart", "form"):
            found = self.types.object_of(ref) if not isinstance(ref, Nullable) else None
            fields = found.fields if found is not None else ()
        if kind == "multipart":
            fields = tuple(dataclasses.replace(f, content_type=_part_type(entry, f.name)) for f in fields)
        fields = _as_arguments(fields)
        return RequestBody(
            content_type=content_type,
            kind=kind,
            type=ref,
            required=body.get("required") is True,
            fields=fields,
            description=body.text("description"),
        )

    def _json_shaped(self, schema: Node) -> bool:
        """Whether ``schema`` (through its ``$ref``) is an object or an array."""
        try:
            return json_shaped(self.types.registry, deref(self.types.registry, schema))
        except SpecError:  # a $ref to nothing: typing the schema says so
            return False

    def _success(self, node: Node) -> tuple[str, Node] | None:
        """The first 2xx response; else a ``2XX`` range; else ``default`` (then it is the success)."""
        responses = node.items("responses")
        success = sorted((int(code), code, r) for code, r in responses if _in_range(code, 200))
        success += [(299, code, r) for code, r in responses if code.upper() == "2XX"]
        success += [(999, code, r) for code, r in responses if code == "default"]
        if not success:
            return None
        _, status, found = success[0]
        try:
            found = deref(self.types.registry, found)
        except SpecError as error:
            if found.id not in self._warned_responses:
                self._warned_responses.add(found.id)
                warn(f"{error.message}; this response is left out (the method returns nothing)", found.location)
            return None
        return ("200" if not status.isdigit() else status), found

    def _response(self, node: Node, hint: str, streaming: bool = False) -> Response:
        """The success response; ``streaming``: its event stream (the streaming variant)."""
        success = self._success(node)
        if success is None:
            return Response(status="200", kind="empty")
        status, found = success
        found = deref(self.types.registry, found)
        offered = [name for name, _ in found.items("content")]
        content_type = media.preferred(offered)
        if streaming:
            content_type = next(name for name in offered if responses.typed_stream(media.response_kind(name)))
        elif (
            len(offered) > 1 and content_type is not None and responses.typed_stream(media.response_kind(content_type))
        ):
            content_type = next(name for name in offered if not responses.typed_stream(media.response_kind(name)))
        description = found.text("description")
        if content_type is None:
            return Response(status=status, kind="empty", description=description)
        kind = media.response_kind(content_type)
        schema = found.child("content", content_type, "schema")
        if found.child("content", content_type).get("itemSchema") is not None:  # OpenAPI 3.2: a stream's item
            schema = found.child("content", content_type, "itemSchema")
        if media.is_generic(content_type) and json_shaped(self.types.registry, deref(self.types.registry, schema)):
            warn(
                f"the response's content type {content_type!r} says {kind}, but its schema is JSON-shaped (an object "
                "or array); the schema wins: the response is read as JSON",
                found.child("content", content_type).location,
            )
            kind = "json"
        ref: TypeRef | None = {"binary": BINARY, "text": STRING}.get(kind)
        if ref is None:
            try:
                ref = self.types.ref(schema, hint + "Response")
            except SpecError as error:
                where = error.location or schema.location
                self.types.warn_once(f"{error.message}; the response is not typed (any JSON value)", where)
                ref = ANY
        return Response(status=status, kind=kind, content_type=content_type, type=ref, description=description)

    def _fern_response(self, node: Node, hint: str, fern: dialects.Streaming, streaming: bool) -> Response:
        """The response ``x-fern-streaming`` describes: an event stream of ``response-stream`` (or of the
        declared response), or, for the method without the stream, ``response`` (or the declared one)."""
        declared = self._response(node, hint)
        schema = fern.stream if streaming else fern.response
        ref = self.types.ref(schema, hint + ("Event" if streaming else "Response")) if schema else declared.type
        if not streaming:
            return dataclasses.replace(declared, type=ref) if schema else declared
        return Response(declared.status, "sse", "text/event-stream", ref, declared.description)

    def _errors(self, node: Node, hint: str) -> tuple[ErrorResponse, ...]:
        if node.get("x-sdk-errors") is False:
            return ()
        result = []
        responses = node.items("responses")
        has_success = any(_in_range(code, 200) or code.upper() == "2XX" for code, _ in responses)
        for code, found in responses:
            status = _error_status(code, has_success)
            if status is None:
                continue
            try:
                found = deref(self.types.registry, found)
            except SpecError as error:
                warn(f"{error.message}; this error response is left out", found.location)
                continue
            class_name = error_class(status)
            content_type = media.preferred([name for name, _ in found.items("content")])
            ref: TypeRef | None = None
            if content_type is not None:
                kind = media.response_kind(content_type)
                schema = found.child("content", content_type, "schema")
                instead = f"the body of the {status} error response is typed as any JSON value"
                ref = self.types.ref_or_any(schema, hint + class_name + "Body", instead) if kind == "json" else STRING
            result.append(ErrorResponse(status, class_name, ref, found.text("description")))
        return tuple(sorted(result, key=lambda error: error.status))


def _settings_node(settings: Settings, source: LoadedSource) -> Node | None:
    """The source's ``pagination`` settings as a node of the settings file (for located messages)."""
    if source.settings.pagination is None:
        return None
    index = next(i for i, s in enumerate(settings.sources) if s.file == source.settings.file)
    data: dict[str, Any] = {"sources": [{} for _ in settings.sources]}
    data["sources"][index] = {"pagination": source.settings.pagination}
    return Node(Document(settings.origin, data, Lines()), f"/sources/{index}/pagination", source.settings.pagination)


def _stream_condition(body: RequestBody, condition: str | None, streaming: bool) -> RequestBody:
    """The body with the field that asks for a stream fixed: ``true`` (required) in the streaming
    method, ``false`` (optional) in the other."""
    if condition is None:
        return body
    fields = tuple(
        dataclasses.replace(f, type=LiteralOf(streaming), required=streaming, has_default=False, default=None)
        if f.name == condition
        else f
        for f in body.fields
    )
    return dataclasses.replace(body, fields=fields)


def _in_range(code: Any, hundreds: int) -> bool:
    return isinstance(code, str) and code.isdigit() and hundreds <= int(code) < hundreds + 100


def _part_type(entry: Node, name: str) -> str | None:
    value = entry.child("encoding", name).get("contentType")
    return value if isinstance(value, str) else None


def _as_arguments(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """Body fields named as keyword arguments: a model's reserved names (``json``) are fine there."""
    names = naming.dedupe([naming.param_name(field.name) for field in fields], naming.RESERVED_ARGUMENTS)
    return tuple(dataclasses.replace(field, py_name=name) for field, name in zip(fields, names))
