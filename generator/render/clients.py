"""The clients: the root client, one sub-client per group, and their raw counterparts.

For a group ``(a, b)``:

- ``<package>/a/b/client.py`` holds ``BClient`` and ``AsyncBClient``: what users call.
  Each endpoint is one method per class, which builds its request and sends it. The
  module imports nothing heavy (types only for type checkers); the endpoint definitions
  (:mod:`generator.render.endpoints`), which import the models, are imported when a
  method is first called.
- ``<package>/a/b/raw_client.py`` holds ``RawBClient`` and ``AsyncRawBClient``, what
  ``with_raw_response`` gives: the same methods of a client whose HTTP client returns
  whole responses, each retyped by the runtime's ``raw*`` functions. No parameter list
  or docstring is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import ir
from generator.ir import Api, Endpoint
from generator.naming import api_subject
from generator.render.annotations import ANNOTATION_BUILTINS, Imports
from generator.render.credentials import credentials_view
from generator.render.endpoints import MODULE, RequestView, endpoints_module, pages_constant, request_view
from generator.render.examples import example_call
from generator.render.names import client_class, dotted, group_module, runtime
from generator.render.signatures import (
    REQUEST_OPTIONS_DOC,
    Param,
    SendKind,
    data_type,
    param_annotation,
    parameters,
    request_options,
    send_kind,
    streamed,
)
from generator.render.sockets import socket_connectors
from generator.render.templating import HEADER, render_template
from generator.render.text import clean, docstring, docstring_body, first_sentence, string_literal


def group_description(api: Api, group: tuple[str, ...]) -> str:
    """The settings' description of ``group``; empty for none, or for a package that is no group."""
    found = api.find_group(group)
    return (found.description if found else None) or ""


# --------------------------------------------------------------------------------------
# Docstrings
# --------------------------------------------------------------------------------------


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
    lines += [f"request_options : typing.Optional[{request_options(api, imports)}]", "    " + REQUEST_OPTIONS_DOC]
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


def _method_docstring(text: str) -> str:
    body = docstring_body(clean(text))
    lines = body.split("\n")
    indent = "        "
    rest = "\n".join(indent + line if line else "" for line in lines)
    return f'"""\n{rest}\n{indent}"""'


# --------------------------------------------------------------------------------------
# client.py
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArgumentView:
    name: str
    annotation: str
    required: bool
    positional: bool
    default: str = "None"
    """What an optional argument defaults to: ``None``, or the runtime's ``OMIT`` for a JSON body field
    (left out of the body, where ``None`` is sent as ``null``)."""


@dataclass(frozen=True)
class MethodView:
    name: str
    arguments: tuple[ArgumentView, ...]
    request_options: str
    returns: str
    docstring: str
    pages: str | None
    """The pagination constant, read from the ``_endpoints`` module."""
    request: RequestView
    send: SendKind
    streams: bool
    """Whether the method returns an iterator (a plain ``def`` in the async client too)."""


@dataclass(frozen=True)
class LazyModuleView:
    """The ``_endpoints`` module as a client module names it: imported for type checkers, a stand-in at run time."""

    package: str
    name: str
    module: str
    """String literal: the module's absolute name."""
    lazy_module: str
    """Local name of the runtime's ``LazyModule``."""


@dataclass(frozen=True)
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
    wrapper: str | None
    """The client wrapper class the root client makes (sub-clients are given one)."""
    raw_class: str
    streaming_class: str
    docstring: str
    children: list[ChildView] = field(default_factory=list)
    methods: list[MethodView] = field(default_factory=list)


def render_client_module(api: Api, group: tuple[str, ...]) -> str:
    """``client.py`` of ``group``: the sync and async sub-client classes."""
    module = group_module(api, group)
    sync_name, async_name = (client_class(api, group, True), client_class(api, group, False))
    endpoints = api.endpoints_of(group)
    params_of = [parameters(endpoint) for endpoint in endpoints]
    argument_names = {p.name for params in params_of for p in params}
    members = {e.py_name for e in endpoints} | set(api.children(group))
    imports = Imports(
        module=module,
        reserved={sync_name, async_name, MODULE} | argument_names,
        shadowed=frozenset(members & ANNOTATION_BUILTINS),
    )
    connectors = socket_connectors(api, group)
    description = group_description(api, group) or (api.description if not group else "") or ""
    requests = [request_view(api, e, params, imports) for e, params in zip(endpoints, params_of)]
    variants = []
    for sync in (True, False):
        wrapper_class = "SyncClientWrapper" if sync else "AsyncClientWrapper"
        wrapper = None if group else imports.name(runtime(api, "client_wrapper"), wrapper_class)
        base = imports.name(runtime(api, "client_wrapper"), "SyncBaseClient" if sync else "AsyncBaseClient")
        mixins = [imports.name(c.module, c.sync_mixin if sync else c.async_mixin) for c in connectors]
        handwritten = api.extensions.mixin_of(group)
        if handwritten is not None:
            module = dotted(api.package, handwritten.module)
            mixins.append(imports.name(module, handwritten.sync_class if sync else handwritten.async_class))
        raw_class = client_class(api, group, sync, raw=True)
        streaming_class = client_class(api, group, sync, streaming=True)
        if endpoints:
            imports.name(group_module(api, group, raw=True), raw_class, typing_only=True)
            imports.name(group_module(api, group, raw=True), streaming_class, typing_only=True)
        doc = description if group else (api.description or f"The {api_subject(api.title)} API client.")
        variant = ClientVariant(
            sync,
            client_class(api, group, sync),
            ", ".join([base, *mixins]),
            wrapper,
            raw_class,
            streaming_class,
            docstring(doc, "    "),
        )
        for child in api.children(group):
            child_group = (*group, child)
            child_class = client_class(api, child_group, sync)
            child_module = group_module(api, child_group)
            imports.name(child_module, child_class, typing_only=True)
            child_doc = first_sentence(group_description(api, child_group)) or f"The {child} API."
            variant.children.append(ChildView(child, child_class, child_module, docstring(child_doc, "        ")))
        for endpoint, params, request in zip(endpoints, params_of, requests):
            variant.methods.append(_method(api, endpoint, params, request, imports, sync))
        variants.append(variant)
    root = _root_view(api) if not group else None
    if endpoints or root is not None or any(v.children for v in variants):
        imports.import_module("typing")  # annotations, the lazy module's TYPE_CHECKING, the children's types
    if root is not None:
        imports.import_module("httpx")
        if api.default_environment is not None:  # with no server, the client takes no environment=
            imports.name(f"{api.package}.environment", api.environment_class, typing_only=True)
        for limit in ("DEFAULT_MAX_LINE_SIZE", "DEFAULT_MAX_RESPONSE_SIZE"):
            imports.name(runtime(api, "limits"), limit)
    if endpoints or any(v.children for v in variants):
        imports.import_module("functools")
    lazy = None
    if endpoints:
        module_name = endpoints_module(api, group)
        package, _, name = module_name.rpartition(".")
        lazy = LazyModuleView(
            package, name, string_literal(module_name), imports.name(runtime(api, "_lazy"), "LazyModule")
        )
    return render_template(
        "client.py.j2",
        header=HEADER,
        module_docstring=docstring(description or f"The {api_subject(api.title)} API client."),
        imports=imports.render(),
        variants=variants,
        has_endpoints=bool(endpoints),
        raw_module=group_module(api, group, raw=True),
        root=root,
        endpoints=lazy,
    )


def _method(
    api: Api, endpoint: Endpoint, params: list[Param], request: RequestView, imports: Imports, sync: bool
) -> MethodView:
    body_fields = request.body is not None and request.body.kind == "json_object"
    omit = (
        imports.name(runtime(api, "_bodies"), "OMIT")
        if body_fields and any(not p.required and p.location == "field" for p in params)
        else "None"
    )
    arguments = tuple(
        ArgumentView(
            p.name,
            param_annotation(api, p, imports, typing_only=True),
            p.required,
            p.location == "path",
            omit if p.location == "field" else "None",
        )
        for p in params
    )
    return MethodView(
        name=endpoint.py_name,
        arguments=arguments,
        request_options=request_options(api, imports),
        returns=data_type(api, endpoint, imports, sync, typing_only=True),
        docstring=_method_docstring(method_doc(api, endpoint, params, imports, sync)),
        pages=f"{MODULE}.{pages_constant(endpoint)}" if endpoint.pagination else None,
        request=request,
        send=send_kind(endpoint),
        streams=streamed(endpoint),
    )


def _root_view(api: Api) -> dict[str, object]:
    default = default_environment(api)
    return {
        "environment_class": api.environment_class,
        "default_environment": default.py_name if default is not None else None,
        "credentials": credentials_view(api),
    }


def default_environment(api: Api) -> ir.Environment | None:
    """The environment a client uses unless told otherwise; ``None`` when the documents name no server."""
    for environment in api.environments:
        if environment.name == api.default_environment:
            return environment
    return api.environments[0] if api.environments else None


# --------------------------------------------------------------------------------------
# raw_client.py
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawMethodView:
    name: str
    retyper: str
    """The runtime function that types the method as ``with_raw_response`` has it."""


@dataclass(frozen=True)
class RawVariant:
    class_name: str
    client_class: str
    wrapper: str
    docstring: str
    methods: tuple[RawMethodView, ...]
    streaming: bool = False
    """A ``with_streaming_response`` class (responses whose body is read on demand)."""


_RETYPERS = {
    (True, False): "raw",
    (True, True): "raw_stream",
    (False, False): "async_raw",
    (False, True): "async_raw_stream",
}
_STREAMING_RETYPERS = {
    (True, False): "streamed",
    (True, True): "streamed",
    (False, False): "async_streamed",
    (False, True): "async_streamed_stream",
}


def render_raw_client_module(api: Api, group: tuple[str, ...]) -> str:
    """``raw_client.py`` of ``group``: the client's methods, returning whole responses (``with_raw_response``)
    or responses whose body is read on demand (``with_streaming_response``)."""
    module = group_module(api, group, raw=True)
    names = {client_class(api, group, sync, raw=True) for sync in (True, False)}
    names |= {client_class(api, group, sync, streaming=True) for sync in (True, False)}
    imports = Imports(module=module, reserved=names)
    endpoints = api.endpoints_of(group)
    variants = []
    for sync in (True, False):
        client = imports.name(group_module(api, group), client_class(api, group, sync))
        methods = tuple(
            RawMethodView(e.py_name, imports.name(runtime(api, "http_response"), _RETYPERS[(sync, streamed(e))]))
            for e in endpoints
        )
        response = runtime(api, "http_response") + (".HttpResponse" if sync else ".AsyncHttpResponse")
        about = f":class:`{client}`'s methods, each returning the :class:`~{response}`: the data with"
        variants.append(
            RawVariant(
                class_name=client_class(api, group, sync, raw=True),
                client_class=client,
                wrapper=imports.name(
                    runtime(api, "client_wrapper"), "SyncClientWrapper" if sync else "AsyncClientWrapper"
                ),
                docstring=docstring(
                    f"{about}\nthe HTTP status and headers. A streaming method gives it in a context manager.", "    "
                ),
                methods=methods,
            )
        )
    for sync in (True, False):
        client = imports.name(group_module(api, group), client_class(api, group, sync))
        retypers = {
            e.py_name: imports.name(runtime(api, "http_response"), _STREAMING_RETYPERS[(sync, streamed(e))])
            for e in endpoints
        }
        response = runtime(api, "http_response") + (".StreamedResponse" if sync else ".AsyncStreamedResponse")
        how = "``with``" if sync else "``async with``"
        variants.append(
            RawVariant(
                class_name=client_class(api, group, sync, streaming=True),
                client_class=client,
                wrapper=imports.name(
                    runtime(api, "client_wrapper"), "SyncClientWrapper" if sync else "AsyncClientWrapper"
                ),
                docstring=docstring(
                    f":class:`{client}`'s methods, each giving the :class:`~{response}` in a {how} block once\n"
                    "the response has started: the body is read only on demand, and the connection closed on leaving.",
                    "    ",
                ),
                methods=tuple(RawMethodView(e.py_name, retypers[e.py_name]) for e in endpoints),
                streaming=True,
            )
        )
    description = f"Raw access to the {'.'.join(group) or api_subject(api.title)} API: responses with their HTTP status and headers."
    return render_template(
        "raw_client.py.j2",
        header=HEADER,
        module_docstring=docstring(description),
        imports=imports.render(),
        variants=variants,
    )
