"""What an endpoint's SDK method takes and returns.

:func:`parameters` lists a method's parameters in the order the method declares them
(path parameters positionally, then keywords, required first); :func:`param_annotation`,
:func:`data_type` and :func:`response_type` give the annotations. The clients, the docs and the
examples all read them from here, so a method reads the same everywhere it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typing_extensions import assert_never

from generator import ir, responses
from generator.ir import Api, Endpoint
from generator.render.annotations import Imports, annotation, input_annotation
from generator.render.names import runtime
from generator.typerefs import is_binary, is_list

REQUEST_OPTIONS_DOC = "Request-specific configuration: timeout, retries, extra headers, query or body parameters."

ParamLocation = Literal["path", "query", "header", "cookie", "field", "file", "request"]
"""``field``: a property of an object body; ``file``: a multipart file part; ``request``: the whole body."""

SendKind = Literal["send", "paginate", "stream", "download"]
"""How a method sends its request: for the data, a pager, an iterator over events, or a binary stream
(an iterator over chunks of bytes that can write them to a file)."""


@dataclass(frozen=True)
class Param:
    name: str
    wire: str
    location: ParamLocation
    type: ir.TypeRef
    required: bool
    description: str
    content_type: str | None = None
    is_list: bool = False


def parameters(endpoint: Endpoint) -> list[Param]:
    """The method's parameters: path parameters (positional), then keywords, required first."""
    path = [Param(p.py_name, p.name, "path", p.type, True, p.description or "") for p in endpoint.path_params]
    keywords: list[Param] = []
    keywords += [_param(p, "query") for p in endpoint.query_params]
    keywords += [_param(p, "header") for p in endpoint.header_params]
    keywords += [_param(p, "cookie") for p in endpoint.cookie_params]
    body = endpoint.body
    if body is not None and body.fields:
        for f in body.fields:
            location: ParamLocation = "file" if body.kind == "multipart" and is_binary(f.type) else "field"
            description = ("Deprecated. " if f.deprecated else "") + (f.description or "")
            keywords.append(
                Param(f.py_name, f.name, location, f.type, f.required, description, f.content_type, is_list(f.type))
            )
    elif body is not None:
        keywords.append(Param("request", "", "request", body.type, body.required, body.description or ""))
    keywords.sort(key=lambda p: not p.required)
    return path + keywords


def _param(p: ir.Parameter, location: Literal["query", "header", "cookie"]) -> Param:
    description = p.description or ""
    return Param(p.py_name, p.name, location, p.type, p.required, description, is_list=is_list(p.type))


def param_annotation(api: Api, param: Param, imports: Imports, typing_only: bool) -> str:
    text = input_annotation(api, param.type, imports, typing_only=typing_only)
    optional = imports.typing("Optional")
    if not param.required and not text.startswith(optional + "["):
        text = f"{optional}[{text}]"
    return text


def request_options(api: Api, imports: Imports, typing_only: bool = True) -> str:
    return imports.name(runtime(api, "request_options"), "RequestOptions", typing_only=typing_only)


def send_kind(endpoint: Endpoint) -> SendKind:
    if endpoint.pagination is not None:
        return "paginate"
    match endpoint.response.kind:
        case "binary":
            return "download"
        case "sse" | "jsonl":
            return "stream"
        case "json" | "text" | "empty":
            return "send"
        case _:
            assert_never(endpoint.response.kind)


def streamed(endpoint: Endpoint) -> bool:
    return responses.streams(endpoint.response.kind)


def response_type(api: Api, endpoint: Endpoint, imports: Imports, typing_only: bool) -> str:
    """The type of the parsed response (of one chunk or event when streamed)."""
    response = endpoint.response
    plain = responses.plain_annotation(response.kind)
    if plain is not None:
        return plain
    if response.type is not None:
        return annotation(api, response.type, imports, typing_only=typing_only)
    return imports.typing("Any")  # JSON of no declared type


def data_type(api: Api, endpoint: Endpoint, imports: Imports, sync: bool, typing_only: bool) -> str:
    """What the method returns."""
    inner = response_type(api, endpoint, imports, typing_only)
    if endpoint.pagination is not None:
        pager = imports.name(runtime(api, "pagination"), "SyncPager" if sync else "AsyncPager", typing_only=typing_only)
        item = annotation(api, endpoint.pagination.item_type, imports, typing_only=typing_only)
        return f"{pager}[{item}, {inner}]"
    if endpoint.response.kind == "binary":  # an iterator over the chunks that can also write them to a file
        stream = "BinaryStream" if sync else "AsyncBinaryStream"
        return imports.name(runtime(api, "http_response"), stream, typing_only=typing_only)
    if streamed(endpoint):
        return imports.typing("Iterator" if sync else "AsyncIterator") + f"[{inner}]"
    return inner
