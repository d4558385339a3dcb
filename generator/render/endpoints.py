"""Endpoints: what is the same for every call of an operation, and what each call sends.

For a group ``(a, b)`` with endpoints, ``<package>/a/b/_endpoints.py`` defines one cached
function per endpoint returning its ``Endpoint`` (method, path template, URL key, response
parser, error classes), and a constant for the pagination of a list endpoint. Each function
imports the models and error classes of its own endpoint when first called, so that the first
call of one method imports what that method needs, however many endpoints the group has; and
the client modules import ``_endpoints`` itself only when a method is called.

Each client method builds a request from its arguments; :class:`RequestView` says what
goes where (path, query, headers, cookies, body) and ``templates/macros/endpoints.j2`` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typing_extensions import assert_never

from generator import ir, responses
from generator.ir import Api, Endpoint
from generator.naming import BUILTIN_TYPES, ENDPOINTS, api_subject
from generator.render.annotations import Imports, annotation
from generator.render.names import dotted, error_module, runtime, snake
from generator.render.signatures import Param, parameters, response_type
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring, string_literal
from generator.typerefs import holds_models

MODULE = ENDPOINTS
"""The module's name, and the name client modules give it (a stand-in until a method is called)."""


def endpoints_module(api: Api, group: tuple[str, ...]) -> str:
    return dotted(api.package, *group, MODULE)


_MODULE_NAMES = frozenset({"annotations", "functools", "typing"}) | BUILTIN_TYPES
"""Names the ``_endpoints`` module uses besides its functions and imported classes: its modules, and the
builtin classes of its annotations (a function ``list`` would stand for ``list`` in ``list[Item]``)."""


def function(endpoint: Endpoint) -> str:
    """The name of the function returning ``endpoint``'s definition (the method's, in snake case)."""
    name = snake(endpoint.py_name)
    return name + "_" if name in _MODULE_NAMES else name


def pages_constant(endpoint: Endpoint) -> str:
    return snake(endpoint.py_name).upper() + "_PAGES"


# --------------------------------------------------------------------------------------
# _endpoints.py
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorCaseView:
    status: int
    """The code; for a range or ``default``, the key the runtime looks up (see ``ir.ErrorResponse``)."""
    exception: str
    body: str | None
    ranged: bool = False


@dataclass(frozen=True)
class AccessorView:
    """Reads a value from a page (or an item): ``page``, ``page.a`` or ``attribute_path(page, "a", "b")``."""

    attributes: tuple[str, ...]
    path_function: str | None
    """Local name of ``attribute_path``, for a path of more than one attribute."""
    subject: str = "page"

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(string_literal(name) for name in self.attributes)


@dataclass(frozen=True)
class PaginationArgument:
    """One argument of the runtime pagination class: a value (a literal) or a reader (an accessor)."""

    keyword: str | None
    """``None`` for a positional argument."""
    literal: str | None = None
    accessor: AccessorView | None = None


@dataclass(frozen=True)
class PaginationView:
    constant: str
    type: str
    cls: str
    arguments: tuple[PaginationArgument, ...]


@dataclass(frozen=True)
class QueryStyleView:
    """A query or cookie parameter not written in the default style (``form``, exploded)."""

    key: str
    style: str
    """String literals: the parameter's wire name and its style."""
    explode: bool


def query_styles(params: tuple[ir.Parameter, ...]) -> tuple[QueryStyleView, ...]:
    return tuple(
        QueryStyleView(string_literal(p.name), string_literal(p.style), p.explode)
        for p in params
        if (p.style, p.explode) != ("form", True)
    )


@dataclass(frozen=True)
class DefinitionView:
    function: str
    cache: str
    """Local name of ``functools.cache``."""
    imports: str
    """The function's own imports: the models and error classes of this endpoint alone."""
    type: str
    endpoint_class: str
    method: str
    path: str
    url_key: str
    """String literals."""
    parser: str
    parser_type: str | None
    """The parser class and, for JSON and event streams, the type it validates."""
    error_case: str | None
    errors: tuple[ErrorCaseView, ...]
    auth: bool
    security: str | None
    """For an API with security schemes: the literal of the endpoint's alternatives (sets of scheme names)."""
    query_styles: tuple[QueryStyleView, ...]
    cookie_styles: tuple[QueryStyleView, ...]
    style_class: str | None
    """Local name of the runtime's ``QueryStyle``, when a query or cookie parameter needs one."""
    idempotency_header: str | None
    """String literal: the header that carries an idempotency key."""
    retryable: bool
    pagination: PaginationView | None
    body_types: tuple[tuple[str, str], ...] = ()
    """(wire name literal, or ``None`` for the whole body; annotation) of the JSON body's values that are
    or hold models: a dict given for one is checked against the model before the request is sent."""


def render_endpoints_module(api: Api, group: tuple[str, ...]) -> str:
    module = endpoints_module(api, group)
    endpoints = api.endpoints_of(group)
    defined = {function(e) for e in endpoints} | {pages_constant(e) for e in endpoints if e.pagination}
    imports = Imports(module=module, reserved=defined)
    definitions = [_definition(api, endpoint, imports, defined) for endpoint in endpoints]
    about = ".".join(group) or api_subject(api.title)
    return render_template(
        "endpoints.py.j2",
        header=HEADER,
        module_docstring=docstring(
            f"The endpoints of the {about} API: what is the same for every call of each.\n\n"
            "Each is built when its method is first called, importing the models and errors of that endpoint alone."
        ),
        imports=imports.render(),
        definitions=definitions,
    )


def _definition(api: Api, endpoint: Endpoint, imports: Imports, defined: set[str]) -> DefinitionView:
    """``imports``: the module's (the runtime's classes, and for type checkers the annotations); the
    endpoint's models and error classes are imported in its function, under names that shadow none of
    the module's."""
    http_client = runtime(api, "_http_client")
    kind = endpoint.response.kind
    endpoint_class = imports.name(http_client, "Endpoint")
    parser = imports.name(http_client, responses.parser(kind))
    error_case = imports.name(http_client, "ErrorCase") if endpoint.errors else None
    styles = query_styles(endpoint.query_params)
    cookie_styles = query_styles(endpoint.cookie_params)
    style_class = imports.name(runtime(api, "_serialization"), "QueryStyle") if styles or cookie_styles else None
    cache = f"{imports.import_module('functools')}.cache"
    parsed = response_type(api, endpoint, imports, typing_only=True)
    local = Imports(module=imports.module, reserved=defined, parent=imports)
    errors = tuple(
        ErrorCaseView(
            status=error.status,
            exception=local.name(error_module(api, endpoint, error.class_name), error.class_name),
            body=annotation(api, error.type, local) if error.type is not None else None,
            ranged=error.is_range,
        )
        for error in sorted(endpoint.errors, key=lambda e: e.status)
    )
    return DefinitionView(
        function=function(endpoint),
        cache=cache,
        type=f"{endpoint_class}[{parsed}]",
        endpoint_class=endpoint_class,
        method=string_literal(endpoint.http_method.upper()),
        path=string_literal((endpoint.server or "").rstrip("/") + endpoint.path),
        url_key=string_literal(endpoint.environment),
        parser=parser,
        parser_type=response_type(api, endpoint, local, typing_only=False) if responses.is_typed(kind) else None,
        error_case=error_case,
        errors=errors,
        auth=endpoint.auth,
        security=security_literal(endpoint.security) if api.security_schemes and api.api_key is None else None,
        query_styles=styles,
        cookie_styles=cookie_styles,
        style_class=style_class,
        idempotency_header=string_literal(endpoint.idempotency_header) if endpoint.idempotency_header else None,
        retryable=endpoint.retryable,
        pagination=_pagination(api, endpoint, parsed, imports) if endpoint.pagination else None,
        body_types=_body_types(api, endpoint, local),
        imports=local.render(),
    )


def _body_types(api: Api, endpoint: Endpoint, imports: Imports) -> tuple[tuple[str, str], ...]:
    if endpoint.body is None or endpoint.body.kind != "json":
        return ()
    return tuple(
        ("None" if p.location == "request" else string_literal(p.wire), annotation(api, p.type, imports))
        for p in parameters(endpoint)
        if p.location in ("field", "request") and holds_models(api, p.type)
    )


def security_literal(security: tuple[tuple[str, ...], ...]) -> str:
    """``(("bearer",), ("key", "app"))``: a tuple of tuples of scheme names."""

    def literal(items: list[str]) -> str:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"

    return literal([literal([string_literal(name) for name in alternative]) for alternative in security])


def _pagination(api: Api, endpoint: Endpoint, parsed: str, imports: Imports) -> PaginationView:
    pagination = endpoint.pagination
    assert pagination is not None

    def read(path: tuple[str, ...] | None, keyword: str | None, subject: str = "page") -> list[PaginationArgument]:
        return [] if path is None else [PaginationArgument(keyword, accessor=_accessor(api, path, imports, subject))]

    def text(value: str | None, keyword: str | None) -> list[PaginationArgument]:
        return [] if value is None else [PaginationArgument(keyword, literal=string_literal(value))]

    items = read(pagination.items, None)
    match pagination:
        case ir.PageNumberPagination():
            cls = "PageNumberPagination"
            first = (
                [PaginationArgument("first_page", literal=str(pagination.first_page))] if pagination.first_page else []
            )
            arguments = [*text(pagination.param, None), *items, *first, *read(pagination.total_pages, "total_pages"),
                         *read(pagination.has_more, "has_more"), *text(pagination.limit, "limit")]  # fmt: skip
        case ir.OffsetPagination():
            cls = "OffsetPagination"
            arguments = [*text(pagination.param, None), *items, *text(pagination.limit, "limit"),
                         *read(pagination.total, "total"), *read(pagination.has_more, "has_more")]  # fmt: skip
        case ir.CursorPagination():
            cls = "CursorPagination"
            arguments = [*text(pagination.param, None), *items, *read(pagination.next_cursor, "next_cursor"),
                         *read(pagination.has_more, "has_more"), *read(pagination.last_item, "last_item", "item")]  # fmt: skip
        case ir.NextUrlPagination():
            cls = "NextUrlPagination"
            arguments = [*items, *read(pagination.next_url, None)]
        case ir.LinkHeaderPagination():
            cls = "LinkHeaderPagination"
            arguments = items
        case other:
            assert_never(other)
    local = imports.name(runtime(api, "pagination"), cls)
    item = annotation(api, pagination.item_type, imports, typing_only=True)
    return PaginationView(pages_constant(endpoint), f"{local}[{item}, {parsed}]", local, tuple(arguments))


def _accessor(api: Api, path: tuple[str, ...], imports: Imports, subject: str = "page") -> AccessorView:
    function = None
    if len(path) > 1:
        function = imports.name(runtime(api, "pagination"), "attribute_path")
    return AccessorView(path, function, subject)


# --------------------------------------------------------------------------------------
# Requests, as a client method builds them
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WireValue:
    """An argument as sent: ``key`` (a string literal) and the argument's name."""

    key: str
    name: str
    listed: bool = False
    """A list of files (multipart): copied into a ``list``; ``required`` says whether it may be ``None``."""
    required: bool = True


@dataclass(frozen=True)
class BodyView:
    kind: Literal["json_object", "json_value", "form", "multipart", "raw"]
    cls: str
    fields: tuple[WireValue, ...] = ()
    files: tuple[WireValue, ...] = ()
    content_types: tuple[tuple[str, str], ...] = ()
    """(part, content type) string literals of multipart parts with a declared encoding."""
    content_type: str | None = None
    """String literal: the content type of a raw body."""


@dataclass(frozen=True)
class RequestView:
    endpoints: str
    """The client module's name for the ``_endpoints`` module."""
    function: str
    """The function of ``_endpoints`` returning the endpoint's definition."""
    path: tuple[WireValue, ...]
    query: tuple[WireValue, ...]
    headers: tuple[WireValue, ...]
    cookies: tuple[WireValue, ...]
    body: BodyView | None


def request_view(api: Api, endpoint: Endpoint, params: list[Param], imports: Imports) -> RequestView:
    """How the client method of ``endpoint`` builds its request; runtime names are imported into ``imports``."""

    def wire(location: str) -> tuple[WireValue, ...]:
        return tuple(WireValue(string_literal(p.wire), p.name) for p in params if p.location == location)

    return RequestView(
        endpoints=MODULE,
        function=function(endpoint),
        path=wire("path"),
        query=wire("query"),
        headers=wire("header"),
        cookies=wire("cookie"),
        body=_body(api, endpoint.body, params, imports) if endpoint.body is not None else None,
    )


def _body(api: Api, body: ir.RequestBody, params: list[Param], imports: Imports) -> BodyView:
    bodies = runtime(api, "_bodies")
    fields = tuple(WireValue(string_literal(p.wire), p.name) for p in params if p.location == "field")
    if body.kind == "multipart":
        files = tuple(
            WireValue(string_literal(p.wire), p.name, listed=p.is_list, required=p.required)
            for p in params
            if p.location == "file"
        )
        content_types = tuple(
            sorted((string_literal(p.wire), string_literal(p.content_type)) for p in params if p.content_type)
        )
        return BodyView("multipart", imports.name(runtime(api, "file"), "Multipart"), fields, files, content_types)
    if body.kind == "form":
        return BodyView("form", imports.name(bodies, "Form"), fields)
    if body.kind in ("binary", "text"):
        content_type = string_literal(body.content_type)
        return BodyView("raw", imports.name(bodies, "RawContent"), content_type=content_type)
    if fields:
        return BodyView("json_object", imports.name(bodies, "JsonObject"), fields)
    return BodyView("json_value", imports.name(bodies, "JsonValue"))
