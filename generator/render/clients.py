"""The clients: the root client, one sub-client per group, and their raw counterparts.

For a group ``(a, b)``:

- ``<package>/a/b/client.py`` holds ``BClient`` and ``AsyncBClient``: what users call.
  They import nothing heavy (types only for type checkers), so touching a sub-client is
  cheap; each method hands over to ``with_raw_response`` and returns its data.
- ``<package>/a/b/raw_client.py`` holds, per endpoint, a module-level ``Endpoint``
  constant and a request builder shared by the sync and async raw clients
  (``RawBClient``, ``AsyncRawBClient``), whose methods only choose how to send. A body
  that two or more endpoints of the module have is built once, by a body function
  (``_<type>_body``); their builders take it ready-made as ``body``.
"""

from __future__ import annotations

import http
from dataclasses import dataclass, field, replace

from generator import ir
from generator.errors import SpecError
from generator.ir import Api, Endpoint
from generator.render import examples
from generator.render.annotations import Imports, annotation, input_annotation
from generator.render.examples import Code, Statement
from generator.render.models import HEADER
from generator.render.names import (
    CORE,
    RESERVED_PACKAGE_NAMES,
    client_class,
    error_module,
    errors_package,
    group_module,
    snake,
)
from generator.render.sockets import socket_connectors
from generator.render.templating import render_template
from generator.render.text import (
    clean,
    docstring,
    docstring_body,
    first_sentence,
    string_literal,
)

REQUEST_OPTIONS_DOC = "Request-specific configuration: timeout, retries, extra headers, query or body parameters."
RESERVED_METHOD_NAMES = frozenset({"with_raw_response", "request_options"})
ROOT_MEMBERS = frozenset({"close", "aclose"})
"""Methods the root clients have besides the API's."""


# --------------------------------------------------------------------------------------
# The group tree
# --------------------------------------------------------------------------------------


def group_paths(api: Api) -> list[tuple[str, ...]]:
    """Every sub-client path, parents before children, the root ``()`` first."""
    paths: set[tuple[str, ...]] = {()}
    for path in [g.path for g in api.groups] + [e.group for e in api.endpoints] + [c.group for c in api.channels]:
        for end in range(1, len(path) + 1):
            paths.add(tuple(path[:end]))
    return sorted(paths, key=lambda path: (len(path), path))


def children(api: Api, group: tuple[str, ...]) -> list[str]:
    return sorted(
        {path[len(group)] for path in group_paths(api) if len(path) > len(group) and path[: len(group)] == group}
    )


def endpoints_of(api: Api, group: tuple[str, ...]) -> list[Endpoint]:
    return [endpoint for endpoint in api.endpoints if endpoint.group == group]


def group_description(api: Api, group: tuple[str, ...]) -> str:
    for g in api.groups:
        if g.path == group:
            return g.description or ""
    return ""


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    wire: str
    location: str
    """``path``, ``query``, ``header``, ``field`` (body property), ``file`` or ``request`` (whole body)."""
    type: ir.TypeRef
    required: bool
    description: str
    explode: bool = True
    content_type: str | None = None
    is_list: bool = False


def _is_file(ref: ir.TypeRef) -> bool:
    if isinstance(ref, ir.Nullable):
        return _is_file(ref.inner)
    if isinstance(ref, ir.ListOf):
        return _is_file(ref.item)
    return isinstance(ref, ir.Primitive) and ref.name == "binary"


def _is_list(ref: ir.TypeRef) -> bool:
    if isinstance(ref, ir.Nullable):
        return _is_list(ref.inner)
    return isinstance(ref, ir.ListOf)


def parameters(endpoint: Endpoint) -> list[Param]:
    """The method's parameters: path parameters (positional), then keywords, required first."""
    path = [Param(p.py_name, p.name, "path", p.type, True, p.description or "") for p in endpoint.path_params]
    keywords: list[Param] = []
    for p in (*endpoint.query_params, *endpoint.header_params):
        keywords.append(Param(p.py_name, p.name, p.location, p.type, p.required, p.description or "", p.explode))
    body = endpoint.body
    if body is not None:
        if body.fields:
            for f in body.fields:
                location = "file" if body.kind == "multipart" and _is_file(f.type) else "field"
                description = f.description or ""
                if f.deprecated:
                    description = "Deprecated. " + description
                keywords.append(
                    Param(
                        f.py_name,
                        f.name,
                        location,
                        f.type,
                        f.required,
                        description,
                        True,
                        f.content_type,
                        _is_list(f.type),
                    )
                )
        else:
            keywords.append(Param("request", "", "request", body.type, body.required, body.description or ""))
    keywords.sort(key=lambda p: not p.required)
    result = path + keywords
    seen: set[str] = set()
    for param in result:
        if param.name in seen or param.name in RESERVED_METHOD_NAMES:
            raise SpecError(
                f"method {'.'.join(endpoint.group)}.{endpoint.py_name} has two parameters named {param.name!r}",
                None,
            )
        seen.add(param.name)
    return result


def signature(api: Api, params: list[Param], imports: Imports, typing_only: bool) -> str:
    """``self, id: str, *, name: typing.Optional[str] = None, request_options: ... = None``."""
    parts = ["self"]
    starred = False
    options = imports.name(f"{api.package}.{CORE}.request_options", "RequestOptions", typing_only=typing_only)
    for param in params:
        if param.location != "path" and not starred:
            parts.append("*")
            starred = True
        text = f"{param.name}: {param_annotation(api, param, imports, typing_only)}"
        parts.append(text if param.required else text + " = None")
    if not starred:
        parts.append("*")
    parts.append(f"request_options: {imports.typing('Optional')}[{options}] = None")
    return ", ".join(parts)


def param_annotation(api: Api, param: Param, imports: Imports, typing_only: bool) -> str:
    text = input_annotation(api, param.type, imports, typing_only=typing_only)
    optional = imports.typing("Optional")
    if not param.required and not text.startswith(optional + "["):
        text = f"{optional}[{text}]"
    return text


def call_arguments(params: list[Param]) -> str:
    """Forwarding every parameter by keyword (path parameters positionally)."""
    args = [p.name if p.location == "path" else f"{p.name}={p.name}" for p in params]
    return ", ".join(args + ["request_options=request_options"])


# --------------------------------------------------------------------------------------
# Return types
# --------------------------------------------------------------------------------------


def _response_type(api: Api, endpoint: Endpoint, imports: Imports, typing_only: bool) -> str:
    response = endpoint.response
    if response.kind == "json" and response.type is not None:
        return annotation(api, response.type, imports, typing_only=typing_only)
    if response.kind == "sse" and response.type is not None:
        return annotation(api, response.type, imports, typing_only=typing_only)
    if response.kind == "sse":
        return imports.typing("Any")
    if response.kind == "text":
        return "str"
    if response.kind == "binary":
        return "bytes"
    return "None"


def streamed(endpoint: Endpoint) -> bool:
    return endpoint.response.kind in ("binary", "sse")


def data_type(api: Api, endpoint: Endpoint, imports: Imports, sync: bool, typing_only: bool) -> str:
    """What the method of the non-raw client returns."""
    core = f"{api.package}.{CORE}"
    inner = _response_type(api, endpoint, imports, typing_only)
    if endpoint.pagination is not None:
        pager = imports.name(f"{core}.pagination", "SyncPager" if sync else "AsyncPager", typing_only=typing_only)
        item = annotation(api, endpoint.pagination.item_type, imports, typing_only=typing_only)
        return f"{pager}[{item}, {inner}]"
    if streamed(endpoint):
        return imports.typing("Iterator" if sync else "AsyncIterator") + f"[{inner}]"
    return inner


def raw_type(api: Api, endpoint: Endpoint, imports: Imports, sync: bool, typing_only: bool) -> str:
    """What the method of the raw client returns."""
    response = imports.name(
        f"{api.package}.{CORE}.http_response", "HttpResponse" if sync else "AsyncHttpResponse", typing_only=typing_only
    )
    wrapped = f"{response}[{data_type(api, endpoint, imports, sync, typing_only)}]"
    if streamed(endpoint):
        return imports.typing("ContextManager" if sync else "AsyncContextManager") + f"[{wrapped}]"
    return wrapped


# --------------------------------------------------------------------------------------
# Docstrings and examples
# --------------------------------------------------------------------------------------


def example_call(
    api: Api, endpoint: Endpoint, sync: bool, raw: bool = False, catch: ir.ErrorResponse | None = None
) -> str:
    """A complete example program calling ``endpoint``.

    ``raw``: through ``with_raw_response``; ``catch``: in a ``try`` that handles that declared error.
    """
    imports = examples.SourceImports(set())
    args = []
    for argument in examples.arguments(api, endpoint):
        code = examples.source(api, argument.value, imports)
        args.append(code if argument.positional else code.after(f"{argument.name}="))
    client_name = api.client if sync else api.async_client
    imports.lines.add(f"from {api.package} import {client_name}")
    path = (*endpoint.group, "with_raw_response", endpoint.py_name) if raw else (*endpoint.group, endpoint.py_name)
    call = Code(f"client.{'.'.join(path)}(", tuple(args), ")")
    wait = "" if sync or streamed(endpoint) else "await "
    each = "for" if sync else "async for"
    use: list[str | Statement]
    if raw and streamed(endpoint):
        use = [Statement("with " if sync else "async with ", call, " as response:"), "    print(response.headers)",
               f"    {each} chunk in response.data:", "        print(chunk)"]  # fmt: skip
    elif raw:
        use = [Statement(f"response = {wait}", call), "print(response.status_code, response.headers)",
               "print(response.data)"]  # fmt: skip
    elif endpoint.pagination is not None:
        use = [Statement(f"response = {wait}", call), f"{each} item in response:", "    print(item)",
               "# or page by page:", f"{each} page in response.iter_pages():", "    print(page.items)"]  # fmt: skip
    elif streamed(endpoint):
        use = [Statement(f"{each} chunk in ", call, ":"), "    print(chunk)"]
    elif endpoint.response.kind == "empty":
        use = [Statement(wait, call)]
    else:
        use = [Statement(f"response = {wait}", call), "print(response)"]
    if catch is not None:
        imports.lines.add(f"from {errors_package(api, endpoint)} import {catch.class_name}")
        use = ["try:", *(_indented(line) for line in use), f"except {catch.class_name} as error:"]
        use.append("    print(error.status_code, error.body)")
    if not sync:
        imports.module("asyncio")
        use = [_indented(line) for line in use]
    body = "\n".join(text for line in use for text in examples.lay_out(line))
    standard = sorted(line for line in imports.lines if line.startswith("import "))
    package = sorted(line for line in imports.lines if not line.startswith("import "))
    credentials = f'{api.auth.param}="YOUR_API_KEY"' if api.auth is not None else ""
    header = "\n\n".join("\n".join(lines) for lines in (standard, package) if lines)
    header += f"\n\nclient = {client_name}({credentials})\n"
    if sync:
        return header + body
    return f"{header}\n\nasync def main() -> None:\n{body}\n\n\nasyncio.run(main())"


def _indented(line: str | Statement) -> str | Statement:
    """``line`` one level further in (for ``try:`` and ``async def main()``)."""
    if isinstance(line, str):
        return "    " + line
    return replace(line, indent=line.indent + "    ")


def method_doc(api: Api, endpoint: Endpoint, params: list[Param], imports: Imports, sync: bool) -> str:
    """The numpy-style docstring of a client method (raw text, escaped by the caller)."""
    sections = [clean(endpoint.description) or clean(endpoint.summary) or f"{endpoint.http_method} {endpoint.path}"]
    if endpoint.deprecated:
        sections[0] = "Deprecated. " + sections[0]
    lines = ["Parameters", "----------"]
    for param in params:
        lines.append(f"{param.name} : {param_annotation(api, param, imports, typing_only=True)}")
        if param.description:
            lines += ["    " + line if line else "" for line in clean(param.description).split("\n")]
        lines.append("")
    options = imports.name(f"{api.package}.{CORE}.request_options", "RequestOptions", typing_only=True)
    lines += [f"request_options : typing.Optional[{options}]", "    " + REQUEST_OPTIONS_DOC]
    sections.append("\n".join(lines))
    returns = data_type(api, endpoint, imports, sync, typing_only=True)
    detail = clean(endpoint.response.description) or "The response."
    if endpoint.pagination is not None:
        detail += "\n\nIterate over it for every item of every page; pages are fetched as needed."
    sections.append(
        "Returns\n-------\n" + returns + "\n" + "\n".join("    " + line if line else "" for line in detail.split("\n"))
    )
    sections.append("Examples\n--------\n" + example_call(api, endpoint, sync))
    return "\n\n".join(sections)


# --------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------


@dataclass
class MethodView:
    name: str
    signature: str
    returns: str
    docstring: str
    call: str
    streamed: bool


@dataclass
class ChildView:
    name: str
    class_name: str
    module: str
    docstring: str


@dataclass
class ClientVariant:
    sync: bool
    class_name: str
    bases: str
    wrapper: str
    raw_class: str
    docstring: str
    children: list[ChildView] = field(default_factory=list)
    methods: list[MethodView] = field(default_factory=list)


def _check_names(api: Api, group: tuple[str, ...]) -> None:
    """Sub-clients and methods of one client must not collide with each other or with its own members."""
    where = ".".join(group) or "the root client"
    reserved = RESERVED_METHOD_NAMES | (ROOT_MEMBERS if not group else frozenset())
    names: set[str] = set()
    for child in children(api, group):
        if child in RESERVED_PACKAGE_NAMES or child in reserved:
            raise SpecError(f"{where}: a sub-client may not be called {child!r} (the SDK uses that name)", None)
        names.add(child)
    for endpoint in endpoints_of(api, group):
        if endpoint.py_name in reserved:
            raise SpecError(f"{where}: a method may not be called {endpoint.py_name!r} (the SDK uses that name)", None)
        if endpoint.py_name in names:
            raise SpecError(f"{where} has two members named {endpoint.py_name!r}", None)
        names.add(endpoint.py_name)


def render_client_module(api: Api, group: tuple[str, ...]) -> str:
    """``client.py`` of ``group``: the sync and async sub-client classes."""
    _check_names(api, group)
    module = group_module(api, group)
    sync_name, async_name = client_class(api, group, True), client_class(api, group, False)
    imports = Imports(module=module, reserved={sync_name, async_name})
    imports.import_module("typing")
    core = f"{api.package}.{CORE}"
    endpoints = endpoints_of(api, group)
    connectors = socket_connectors(api, group)
    description = group_description(api, group) or (api.description if not group else "") or ""
    variants = []
    for sync in (True, False):
        wrapper = imports.name(f"{core}.client_wrapper", "SyncClientWrapper" if sync else "AsyncClientWrapper")
        bases = ", ".join(imports.name(c.module, c.sync_mixin if sync else c.async_mixin) for c in connectors)
        raw_class = client_class(api, group, sync, raw=True)
        if endpoints:
            imports.name(group_module(api, group, raw=True), raw_class, typing_only=True)
        doc = description if group else (api.description or f"The {api.title} API client.")
        variant = ClientVariant(sync, client_class(api, group, sync), bases, wrapper, raw_class, docstring(doc, "    "))
        for child in children(api, group):
            child_group = (*group, child)
            child_class = client_class(api, child_group, sync)
            child_module = group_module(api, child_group)
            imports.name(child_module, child_class, typing_only=True)
            child_doc = first_sentence(group_description(api, child_group)) or f"The {child} API."
            variant.children.append(ChildView(child, child_class, child_module, docstring(child_doc, "        ")))
        for endpoint in endpoints:
            params = parameters(endpoint)
            variant.methods.append(
                MethodView(
                    name=endpoint.py_name,
                    signature=signature(api, params, imports, typing_only=True),
                    returns=data_type(api, endpoint, imports, sync, typing_only=True),
                    docstring=_method_docstring(method_doc(api, endpoint, params, imports, sync)),
                    call=call_arguments(params),
                    streamed=streamed(endpoint),
                )
            )
        variants.append(variant)
    root = _root_view(api) if not group else None
    if root is not None:
        imports.import_module("httpx")
        imports.name(f"{api.package}.environment", api.environment_class, typing_only=True)
    has_children = any(v.children for v in variants)
    if endpoints or has_children:
        imports.import_module("functools")
    return render_template(
        "client.py.j2",
        header=HEADER,
        module_docstring=docstring(description or f"The {api.title} API client."),
        imports=imports.render(),
        variants=variants,
        has_endpoints=bool(endpoints),
        raw_module=group_module(api, group, raw=True),
        root=root,
    )


def _method_docstring(text: str) -> str:
    body = docstring_body(clean(text))
    lines = body.split("\n")
    indent = "        "
    rest = "\n".join(indent + line if line else "" for line in lines)
    return f'"""\n{rest}\n{indent}"""'


def _root_view(api: Api) -> dict[str, object]:
    auth = api.auth
    return {
        "environment_class": api.environment_class,
        "default_environment": default_environment(api).py_name,
        "auth_param": auth.param if auth else None,
        "env_var": docstring_body(auth.env_var) if auth and auth.env_var else None,
    }


def default_environment(api: Api) -> ir.Environment:
    for environment in api.environments:
        if environment.name == api.default_environment:
            return environment
    return api.environments[0]


# --------------------------------------------------------------------------------------
# Raw clients and request builders
# --------------------------------------------------------------------------------------


@dataclass
class EndpointView:
    constant: str
    constant_type: str
    definition: str
    builder: str
    builder_signature: str
    builder_returns: str
    request: str
    pages_constant: str | None
    pages_type: str | None
    pages_definition: str | None


@dataclass
class BodyView:
    """A body function: the construction of a body that two or more endpoints of the module share."""

    name: str
    signature: str
    returns: str
    expression: str


BODY_LOCATIONS = ("field", "file")


def _body_key(endpoint: Endpoint, params: list[Param]) -> tuple[object, ...] | None:
    """What makes two endpoints' bodies the same code; ``None`` when the body is not worth sharing."""
    body = endpoint.body
    if body is None or not body.fields or body.kind not in ("json", "form", "multipart"):
        return None
    if any(p.name == "body" for p in params if p.location not in BODY_LOCATIONS):
        return None  # the builder's ``body`` parameter would clash
    fields = tuple(
        (p.wire, p.name, p.location, p.type, p.required, p.content_type, p.is_list)
        for p in params
        if p.location in BODY_LOCATIONS
    )
    return (body.kind, body.type, fields)


def _shared_bodies(
    api: Api, endpoints: list[Endpoint], params_of: list[list[Param]], imports: Imports
) -> dict[tuple[object, ...], BodyView]:
    """One body function per body that two or more endpoints of the module have, in order of first use."""
    counts: dict[tuple[object, ...], int] = {}
    for endpoint, params in zip(endpoints, params_of):
        key = _body_key(endpoint, params)
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    core = f"{api.package}.{CORE}"
    result: dict[tuple[object, ...], BodyView] = {}
    used: set[str] = set()
    for endpoint, params in zip(endpoints, params_of):
        key = _body_key(endpoint, params)
        if key is None or counts[key] < 2 or key in result:
            continue
        assert endpoint.body is not None
        body_type = endpoint.body.type
        if isinstance(body_type, ir.Named):
            stem = snake(api.type_by_id(body_type.id).py_name)
        else:
            stem = snake(endpoint.py_name)
        name = f"_{stem}_body"
        number = 2
        while name in used:
            name = f"_{stem}_body_{number}"
            number += 1
        used.add(name)
        fields = [p for p in params if p.location in BODY_LOCATIONS]
        result[key] = BodyView(
            name=name,
            signature=", ".join(["*"] + [f"{p.name}: {param_annotation(api, p, imports, False)}" for p in fields]),
            returns=_body_class(endpoint.body, imports, core),
            expression=_body_expression(endpoint.body, fields, imports, core),
        )
    return result


@dataclass
class RawMethodView:
    name: str
    signature: str
    returns: str
    docstring: str
    builder: str
    builder_call: str
    send: str
    """``send``, ``paginate``, ``stream_bytes`` or ``stream_events``."""
    pages_constant: str | None
    awaited: bool


def render_raw_client_module(api: Api, group: tuple[str, ...]) -> str:
    """``raw_client.py`` of ``group``: endpoint definitions, request builders, raw clients."""
    module = group_module(api, group, raw=True)
    sync_name, async_name = client_class(api, group, True, raw=True), client_class(api, group, False, raw=True)
    endpoints = endpoints_of(api, group)
    constants = {snake(e.py_name).upper() for e in endpoints}
    imports = Imports(module=module, reserved={sync_name, async_name} | constants)
    imports.import_module("typing")
    core = f"{api.package}.{CORE}"
    params_of = [parameters(endpoint) for endpoint in endpoints]
    bodies = _shared_bodies(api, endpoints, params_of, imports)
    keys = [_body_key(endpoint, params) for endpoint, params in zip(endpoints, params_of)]
    shared = [None if key is None else bodies.get(key) for key in keys]
    views = []
    for endpoint, body in zip(endpoints, shared):
        views.append(_endpoint_view(api, endpoint, imports, body))
    variants = []
    for sync in (True, False):
        wrapper = imports.name(f"{core}.client_wrapper", "SyncClientWrapper" if sync else "AsyncClientWrapper")
        methods = []
        for endpoint, view, params, body in zip(endpoints, views, params_of, shared):
            kind = "paginate" if endpoint.pagination else "send"
            if streamed(endpoint):
                kind = "stream_events" if endpoint.response.kind == "sse" else "stream_bytes"
            public = f"{client_class(api, group, sync)}.{endpoint.py_name}"
            methods.append(
                RawMethodView(
                    name=endpoint.py_name,
                    signature=signature(api, params, imports, typing_only=False),
                    returns=raw_type(api, endpoint, imports, sync, typing_only=False),
                    docstring=docstring(f"Like :meth:`{public}`, with the HTTP status and headers of the response."),
                    builder=view.builder,
                    builder_call=_builder_call(params, body),
                    send=kind,
                    pages_constant=view.pages_constant,
                    awaited=not sync and kind in ("send", "paginate"),
                )
            )
        variants.append(
            {"sync": sync, "class_name": sync_name if sync else async_name, "wrapper": wrapper, "methods": methods}
        )
    description = f"Raw access to the {'.'.join(group) or api.title} API: responses with their HTTP status and headers."
    return render_template(
        "raw_client.py.j2",
        header=HEADER,
        module_docstring=docstring(description),
        imports=imports.render(),
        bodies=list(bodies.values()),
        endpoints=views,
        variants=variants,
    )


def _builder_call(params: list[Param], body: BodyView | None) -> str:
    """The raw method's arguments to the builder; a shared body is built by its body function."""
    if body is None:
        return ", ".join(f"{p.name}={p.name}" for p in params)
    fields = ", ".join(f"{p.name}={p.name}" for p in params if p.location in BODY_LOCATIONS)
    args = [f"{p.name}={p.name}" for p in params if p.location not in BODY_LOCATIONS]
    return ", ".join([*args, f"body={body.name}({fields})"])


def _endpoint_view(api: Api, endpoint: Endpoint, imports: Imports, shared_body: BodyView | None) -> EndpointView:
    core = f"{api.package}.{CORE}"
    http_client = f"{core}.http_client"
    constant = "_" + snake(endpoint.py_name).upper()
    builder = "_" + snake(endpoint.py_name) + "_request"
    endpoint_cls = imports.name(http_client, "Endpoint")
    response = endpoint.response
    parsed = _response_type(api, endpoint, imports, typing_only=False)
    if response.kind == "json":
        parser = f"{imports.name(http_client, 'JsonResponse')}({parsed})"
    elif response.kind == "sse":
        parser = f"{imports.name(http_client, 'EventStreamResponse')}({parsed})"
    elif response.kind == "binary":
        parser = f"{imports.name(http_client, 'BinaryResponse')}()"
    elif response.kind == "text":
        parser = f"{imports.name(http_client, 'TextResponse')}()"
    else:
        parser = f"{imports.name(http_client, 'EmptyResponse')}()"
    args = [string_literal(endpoint.http_method.upper()), string_literal(endpoint.environment), parser]
    if endpoint.errors:
        case = imports.name(http_client, "ErrorCase")
        entries = []
        for error in sorted(endpoint.errors, key=lambda e: e.status):
            cls = imports.name(error_module(api, endpoint, error.class_name), error.class_name)
            body = annotation(api, error.type, imports) if error.type is not None else None
            entries.append(f"{error.status}: {case}({cls}{', ' + body if body else ''})")
        args.append("errors={" + ", ".join(entries) + "}")
    if not endpoint.auth:
        args.append("auth=False")
    definition = f"{endpoint_cls}({', '.join(args)})"
    params = parameters(endpoint)
    request_cls = imports.name(http_client, "Request")
    pages_constant = pages_type = pages_definition = None
    if endpoint.pagination is not None:
        pages_constant = constant + "_PAGES"
        pages_type, pages_definition = _pagination(api, endpoint, endpoint.pagination, parsed, imports)
    own = [p for p in params if shared_body is None or p.location not in BODY_LOCATIONS]
    arguments = [f"{p.name}: {param_annotation(api, p, imports, False)}" for p in own]
    if shared_body is not None:
        arguments.append(f"body: {shared_body.returns}")
    return EndpointView(
        constant=constant,
        constant_type=f"{endpoint_cls}[{parsed}]",
        definition=definition,
        builder=builder,
        builder_signature=", ".join(["*", *arguments]) if arguments else "",
        builder_returns=f"{request_cls}[{parsed}]",
        request=_request_expression(api, endpoint, params, constant, imports, shared_body is not None),
        pages_constant=pages_constant,
        pages_type=pages_type,
        pages_definition=pages_definition,
    )


def _pagination(
    api: Api, endpoint: Endpoint, pagination: ir.Pagination, parsed: str, imports: Imports
) -> tuple[str, str]:
    module = f"{api.package}.{CORE}.pagination"
    item = annotation(api, pagination.item_type, imports)
    items = _accessor(api, pagination.items, imports)
    if pagination.kind == "offset":
        cls = imports.name(module, "OffsetPagination")
        param = _query_wire_name(endpoint, pagination.page_param)
        args = [string_literal(param), items]
        if pagination.first_page:
            args.append(f"first_page={pagination.first_page}")
        if pagination.total_pages:
            args.append(f"total_pages={_accessor(api, pagination.total_pages, imports)}")
    else:
        cls = imports.name(module, "CursorPagination")
        param = _query_wire_name(endpoint, pagination.cursor_param)
        args = [string_literal(param), items, _accessor(api, pagination.next_cursor or (), imports)]
    return f"{cls}[{item}, {parsed}]", f"{cls}({', '.join(args)})"


def _accessor(api: Api, path: tuple[str, ...], imports: Imports) -> str:
    if len(path) == 1:
        return f"lambda page: page.{path[0]}"
    attribute_path = imports.name(f"{api.package}.{CORE}.pagination", "attribute_path")
    return f"lambda page: {attribute_path}(page, {', '.join(string_literal(p) for p in path)})"


def _query_wire_name(endpoint: Endpoint, name: str | None) -> str:
    for param in endpoint.query_params:
        if name in (param.name, param.py_name):
            return param.name
    raise SpecError(f"{endpoint.operation_id}: pagination parameter {name!r} is not a query parameter", None)


def _dict_literal(entries: list[tuple[str, str]]) -> str:
    """``{"wire": expression, ...}``; keys are spec text, made safe literals."""
    return "{" + ", ".join(f"{string_literal(key)}: {value}" for key, value in entries) + "}"


def _request_expression(
    api: Api, endpoint: Endpoint, params: list[Param], constant: str, imports: Imports, shared_body: bool
) -> str:
    """``_CONSTANT.request(path, query=..., headers=..., body=...)`` for the request builder.

    With ``shared_body``, the builder takes the body ready-made from a body function.
    """
    core = f"{api.package}.{CORE}"
    args = [_path_expression(endpoint, imports, f"{core}.serialization")]
    query = [(p.wire, _query_value(p, imports, core)) for p in params if p.location == "query"]
    if query:
        args.append(f"query={_dict_literal(query)}")
    headers = [(p.wire, p.name) for p in params if p.location == "header"]
    if headers:
        args.append(f"headers={_dict_literal(headers)}")
    body = endpoint.body
    if shared_body:
        args.append("body=body")
    elif body is not None:
        args.append(f"body={_body_expression(body, params, imports, core)}")
    return f"{constant}.request({', '.join(args)})"


def _query_value(param: Param, imports: Imports, core: str) -> str:
    if param.explode or not _is_list(param.type):
        return param.name
    return f"{imports.name(f'{core}.serialization', 'comma_separated')}({param.name})"


def _body_class(body: ir.RequestBody, imports: Imports, core: str) -> str:
    """The class of a body with fields: ``Multipart``, ``Form`` or ``JsonObject``."""
    if body.kind == "multipart":
        return imports.name(f"{core}.file", "Multipart")
    return imports.name(f"{core}.http_client", "Form" if body.kind == "form" else "JsonObject")


def _body_expression(body: ir.RequestBody, params: list[Param], imports: Imports, core: str) -> str:
    fields = [(p.wire, p.name) for p in params if p.location == "field"]
    if body.kind == "multipart":
        files = [(p.wire, _file_value(p)) for p in params if p.location == "file"]
        parts = [_dict_literal(fields), _dict_literal(files)]
        content_types = sorted((p.wire, string_literal(p.content_type)) for p in params if p.content_type)
        if content_types:
            parts.append(_dict_literal(content_types))
        return f"{imports.name(f'{core}.file', 'Multipart')}({', '.join(parts)})"
    http_client = f"{core}.http_client"
    if body.kind == "form":
        return f"{imports.name(http_client, 'Form')}({_dict_literal(fields)})"
    if body.kind in ("binary", "text"):
        return f"{imports.name(http_client, 'RawContent')}(request, {string_literal(body.content_type)})"
    if fields:
        return f"{imports.name(http_client, 'JsonObject')}({_dict_literal(fields)})"
    return f"{imports.name(http_client, 'JsonValue')}(request)"


def _file_value(param: Param) -> str:
    """A file field as the builder passes it: a list of files is copied into a ``list``."""
    if not param.is_list:
        return param.name
    return f"list({param.name})" if param.required else f"None if {param.name} is None else list({param.name})"


def _path_expression(endpoint: Endpoint, imports: Imports, serialization: str) -> str:
    path = endpoint.path
    by_wire = {p.name: p.py_name for p in endpoint.path_params}
    if not by_wire:
        return string_literal(path)
    segment = imports.name(serialization, "path_segment")
    pieces = []
    position = 0
    while True:
        start = path.find("{", position)
        if start < 0:
            break
        end = path.index("}", start)
        name = path[start + 1 : end]
        if name not in by_wire:
            raise SpecError(f"{endpoint.operation_id}: path parameter {name!r} is not declared", None)
        pieces.append(_fstring_text(path[position:start]))
        pieces.append("{" + f"{segment}({by_wire[name]})" + "}")
        position = end + 1
    pieces.append(_fstring_text(path[position:]))
    return 'f"' + "".join(pieces) + '"'


def _fstring_text(text: str) -> str:
    return string_literal(text)[1:-1].replace("{", "{{").replace("}", "}}")


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


def error_classes(api: Api) -> dict[str, tuple[str, int]]:
    """``{module: (class name, status)}`` of every error class."""
    found: dict[str, tuple[str, int]] = {}
    for endpoint in api.endpoints:
        for error in endpoint.errors:
            module = error_module(api, endpoint, error.class_name)
            if found.setdefault(module, (error.class_name, error.status)) != (error.class_name, error.status):
                raise SpecError(f"error class {error.class_name} stands for two statuses in {module}", None)
    return found


def render_error_module(api: Api, module: str, class_name: str, status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return render_template(
        "error.py.j2",
        header=HEADER,
        class_name=class_name,
        status=status,
        docstring=docstring(f"The API answered {status} {phrase}; ``body`` is the error it sent.", "    "),
        api_error_module=f"{api.package}.{CORE}.api_error",
    )
