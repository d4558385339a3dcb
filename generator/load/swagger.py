"""Swagger 2.0 documents, converted in place into OpenAPI 3.1 as they are read.

The rest of the generator only knows OpenAPI 3: a Swagger document becomes one, keeping its
mappings (so line numbers stay) and moving them where OpenAPI 3 has them. Its schemas are read
as leniently as 3.1's (``type: 'null'``, a list of types, with their 3.1 meaning; a tuple
``items`` list is an array of any of them), and every message about it names Swagger 2.0 and
points into the file as written: the document keeps a map from the conversion's pointers back
to the file's (:class:`_Pointers`).

- ``definitions``, ``parameters``, ``responses`` -> ``components.schemas``/``parameters``/
  ``responses`` (``$ref``s rewritten), ``securityDefinitions`` -> ``components.securitySchemes``
  (``basic`` -> HTTP basic; ``apiKey`` as it is; ``oauth2`` flows by their ``flow``);
- a ``body`` parameter -> ``requestBody`` with the operation's (or document's) ``consumes``;
  ``formData`` parameters -> a ``multipart/form-data`` or ``application/x-www-form-urlencoded``
  body of their properties (``type: file`` -> binary);
- other parameters: ``type``, ``format``, ``items``, ``enum``, ``default``... move into a
  ``schema``; ``collectionFormat`` becomes ``style``/``explode``;
- a response ``schema`` -> ``content`` for each media type of ``produces`` (JSON by default);
  ``type: file`` -> binary;
- ``host``/``schemes`` + ``basePath`` become ``servers`` (the paths stay as written, so the base
  path is counted once, in the server URL); without a ``host`` there is no server and
  ``basePath`` prefixes every path instead;
- ``x-nullable: true`` -> ``nullable: true``; a string ``discriminator`` -> ``propertyName``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.errors import warn
from generator.load.documents import Document
from generator.load.lines import join_pointer, split_pointer

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
)
_COLLECTION_STYLES = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "tsv": ("form", False),
}
_REF_PREFIXES = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}


def is_swagger(data: Any) -> bool:
    return isinstance(data, dict) and str(data.get("swagger", "")).startswith("2.")


@dataclass
class _Pointers:
    """Maps a pointer into the converted document to the pointer in the Swagger file as written."""

    paths: dict[str, str] = field(default_factory=dict)
    """Converted path key -> the file's (they differ by ``basePath`` when there is no host)."""
    parameters: dict[tuple[str, str, int], int] = field(default_factory=dict)
    """(path key, method or "" for the path item, index in the conversion) -> index in the file."""
    bodies: dict[tuple[str, str], int] = field(default_factory=dict)
    """(path key, method) -> index of the ``body`` parameter in the file."""
    forms: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """(path key, method, field name) -> index of the ``formData`` parameter in the file."""

    def __call__(self, pointer: str) -> str:
        tokens = split_pointer(pointer)
        return join_pointer(self._tokens(tokens)) if tokens else pointer

    def _tokens(self, tokens: list[str]) -> list[str]:
        head, rest = tokens[0], tokens[1:]
        if head == "openapi":
            return ["swagger"]
        if head == "servers":
            return ["host"]
        if head == "components" and rest:
            kind, rest = rest[0], rest[1:]
            if kind == "schemas":
                return ["definitions", *rest]
            if kind == "parameters":
                return ["parameters", *rest[:1], *_unwrapped(rest[1:])]
            if kind == "responses":
                return ["responses", *rest[:1], *_response_tokens(rest[1:])]
            if kind == "securitySchemes":
                return ["securityDefinitions", *rest[:1]]
            return tokens
        if head != "paths" or not rest:
            return tokens
        key = self.paths.get(rest[0], rest[0])
        rest = rest[1:]
        if rest[:1] == ["parameters"] and len(rest) > 1 and rest[1].isdigit():
            index = self.parameters.get((key, "", int(rest[1])), int(rest[1]))
            return ["paths", key, "parameters", str(index), *_unwrapped(rest[2:])]
        if not rest:
            return ["paths", key]
        method, rest = rest[0], rest[1:]
        where = ["paths", key, method]
        if rest[:1] == ["parameters"] and len(rest) > 1 and rest[1].isdigit():
            index = self.parameters.get((key, method, int(rest[1])), int(rest[1]))
            return [*where, "parameters", str(index), *_unwrapped(rest[2:])]
        if rest[:1] == ["requestBody"]:
            inner = rest[4:] if rest[1:2] == ["content"] and rest[3:4] == ["schema"] else []
            body = self.bodies.get((key, method))
            if body is not None:
                return [*where, "parameters", str(body), "schema", *inner]
            form = self.forms.get((key, method, inner[1])) if inner[:1] == ["properties"] and len(inner) > 1 else None
            return [*where, "parameters", *([str(form), *inner[2:]] if form is not None else [])]
        if rest[:1] == ["responses"] and len(rest) > 1:
            return [*where, "responses", rest[1], *_response_tokens(rest[2:])]
        return [*where, *rest]


def _unwrapped(tokens: list[str]) -> list[str]:
    """A parameter's ``schema/...`` is the parameter itself in Swagger."""
    return tokens[1:] if tokens[:1] == ["schema"] else tokens


def _response_tokens(tokens: list[str]) -> list[str]:
    """A response's ``content/<type>/schema/...`` is its ``schema/...``; a header's ``schema/...`` the header."""
    if tokens[:1] == ["content"] and tokens[2:3] == ["schema"]:
        return ["schema", *tokens[3:]]
    if tokens[:1] == ["headers"] and len(tokens) > 1:
        return [*tokens[:2], *_unwrapped(tokens[2:])]
    return tokens


def convert(document: Document) -> None:
    """Turn the Swagger 2.0 ``document`` into OpenAPI 3.1.0, in place."""
    data = document.data
    warn("Swagger 2.0: read as the OpenAPI 3.1 it converts to", document.location("/swagger"))
    pointers = _Pointers()
    global_parameters = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    produces = _list(data.get("produces")) or ["application/json"]
    consumes = _list(data.get("consumes")) or ["application/json"]
    _rewrite_refs(data, global_parameters)
    components: dict[str, Any] = {}
    if isinstance(data.get("definitions"), dict):
        components["schemas"] = data["definitions"]
        for schema in data["definitions"].values():
            _schema(schema)
    kept = {
        name: p
        for name, p in global_parameters.items()
        if isinstance(p, dict) and p.get("in") not in ("body", "formData")
    }
    if kept:
        components["parameters"] = {name: _parameter(p) for name, p in kept.items()}
    if isinstance(data.get("responses"), dict):
        components["responses"] = {name: _response(r, produces) for name, r in data["responses"].items()}
    if isinstance(data.get("securityDefinitions"), dict):
        components["securitySchemes"] = {
            name: _security_scheme(scheme) for name, scheme in data["securityDefinitions"].items()
        }
    base = str(data.get("basePath") or "").rstrip("/")
    host = data.get("host")
    paths: dict[str, Any] = {}
    for path, item in (data.get("paths") or {}).items():
        if isinstance(item, dict):
            _path_item(item, global_parameters, produces, consumes, pointers, str(path))
        converted_path = base + path if not host and str(path).startswith("/") else path
        pointers.paths[str(converted_path)] = str(path)
        paths[converted_path] = item
    servers = (
        [{"url": f"{scheme}://{host}{base}"} for scheme in (_list(data.get("schemes")) or ["https"])] if host else []
    )
    converted: dict[str, Any] = {"openapi": "3.1.0", "info": data.get("info", {"title": "API", "version": "1"})}
    if servers:
        converted["servers"] = servers
    for key in ("security", "tags", "externalDocs"):
        if key in data:
            converted[key] = data[key]
    converted["paths"] = paths
    if components:
        converted["components"] = components
    converted.update({key: value for key, value in data.items() if str(key).startswith("x-")})
    data.clear()
    data.update(converted)
    document.format = "Swagger 2.0"
    document.original_pointer = pointers


def _list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _rewrite_refs(node: Any, global_parameters: dict[str, Any]) -> None:
    """``#/definitions/X`` -> ``#/components/schemas/X`` (and parameters, responses); a ``$ref``
    to a global ``body`` or ``formData`` parameter is replaced by the parameter itself."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/parameters/"):
                target = global_parameters.get(ref.removeprefix("#/parameters/"))
                if isinstance(target, dict) and target.get("in") in ("body", "formData"):
                    del current["$ref"]
                    current.update(target)
                    ref = None
            if isinstance(ref, str):
                for old, new in _REF_PREFIXES.items():
                    if ref.startswith(old):
                        current["$ref"] = new + ref[len(old) :]
                        break
            stack.extend(value for value in current.values() if isinstance(value, (dict, list)))
        elif isinstance(current, list):
            stack.extend(value for value in current if isinstance(value, (dict, list)))


def _schema(schema: Any) -> Any:
    """Swagger's schema extras in OpenAPI 3.0 terms, recursively."""
    stack = [schema]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
            continue
        if not isinstance(current, dict):
            continue
        if current.get("type") == "file":
            current["type"] = "string"
            current["format"] = "binary"
        if current.pop("x-nullable", None) is True:
            current["nullable"] = True
        if isinstance(current.get("discriminator"), str):
            current["discriminator"] = {"propertyName": current["discriminator"]}
        for key in ("properties", "definitions", "patternProperties"):
            if isinstance(current.get(key), dict):
                stack.extend(current[key].values())
        if isinstance(current.get("items"), list):  # a tuple: an array of any of its schemas
            tuple_items = current["items"]
            current["items"] = {"anyOf": tuple_items} if len(tuple_items) != 1 else tuple_items[0]
        for key in ("items", "additionalProperties", "not"):
            if isinstance(current.get(key), dict):
                stack.append(current[key])
        for key in ("allOf", "anyOf", "oneOf"):
            if isinstance(current.get(key), list):
                stack.extend(current[key])
    return schema


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    """A query, path, header or cookie parameter: its schema keywords into ``schema``."""
    if "$ref" in parameter:
        return parameter
    schema = {key: parameter.pop(key) for key in _SCHEMA_KEYS if key in parameter}
    collection = parameter.pop("collectionFormat", None)
    if isinstance(schema.get("items"), dict):
        schema["items"].pop("collectionFormat", None)
    if schema:
        parameter["schema"] = _schema(schema)
    if collection in _COLLECTION_STYLES and schema.get("type") == "array" and parameter.get("in") == "query":
        parameter["style"], parameter["explode"] = _COLLECTION_STYLES[collection]
    elif schema.get("type") == "array" and parameter.get("in") == "query":
        parameter["style"], parameter["explode"] = "form", False  # Swagger's default is csv
    if parameter.get("in") != "query":
        parameter.pop("allowEmptyValue", None)
    if parameter.get("in") == "path":
        parameter["required"] = True  # as Swagger requires too; some files leave it out
    return parameter


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return response
    schema = response.pop("schema", None)
    response.setdefault("description", "")
    if schema is not None:
        schema = _schema(schema)
        binary = isinstance(schema, dict) and schema.get("format") == "binary"
        types = produces if not binary else [t for t in produces if "json" not in t] or ["application/octet-stream"]
        response["content"] = {media: {"schema": schema} for media in types}
    headers = response.get("headers")
    if isinstance(headers, dict):
        for header in headers.values():
            if isinstance(header, dict) and "$ref" not in header:
                fields = {key: header.pop(key) for key in _SCHEMA_KEYS if key in header}
                header.pop("collectionFormat", None)
                header["schema"] = _schema(fields) if fields else {}
    response.pop("examples", None)
    return response


def _security_scheme(scheme: Any) -> Any:
    if not isinstance(scheme, dict):
        return scheme
    kind = scheme.get("type")
    description = {"description": scheme["description"]} if "description" in scheme else {}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **description}
    if kind == "oauth2":
        flow = {"implicit": "implicit", "password": "password", "application": "clientCredentials"}.get(
            str(scheme.get("flow")), "authorizationCode"
        )
        body: dict[str, Any] = {"scopes": scheme.get("scopes") or {}}
        if "authorizationUrl" in scheme and flow in ("implicit", "authorizationCode"):
            body["authorizationUrl"] = scheme["authorizationUrl"]
        if "tokenUrl" in scheme and flow != "implicit":
            body["tokenUrl"] = scheme["tokenUrl"]
        return {"type": "oauth2", "flows": {flow: body}, **description}
    return scheme


def _path_item(
    item: dict[str, Any],
    global_parameters: dict[str, Any],
    produces: list[str],
    consumes: list[str],
    pointers: _Pointers,
    path: str,
) -> None:
    shared = item.get("parameters")
    if isinstance(shared, list):
        kept = [
            (index, p)
            for index, p in enumerate(shared)
            if isinstance(p, dict) and p.get("in") not in ("body", "formData")
        ]
        for new, (old, _) in enumerate(kept):
            pointers.parameters[(path, "", new)] = old
        item["parameters"] = [_parameter(p) for _, p in kept]
        body_params = [p for p in shared if isinstance(p, dict) and p.get("in") in ("body", "formData")]
        if not item["parameters"]:
            del item["parameters"]
    else:
        body_params = []
    for method in _HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            found = operation.get("parameters")
            for index, parameter in enumerate(found if isinstance(found, list) else []):
                if not isinstance(parameter, dict):
                    continue
                if parameter.get("in") == "body":
                    pointers.bodies[(path, method)] = index
                elif parameter.get("in") == "formData":
                    pointers.forms[(path, method, str(parameter.get("name")))] = index
            own = [
                index
                for index, p in enumerate(found if isinstance(found, list) else [])
                if isinstance(p, dict) and p.get("in") not in ("body", "formData")
            ]
            for new, old in enumerate(own):
                pointers.parameters[(path, method, new)] = old
            _operation(operation, body_params, produces, consumes)


def _operation(
    operation: dict[str, Any], inherited: list[dict[str, Any]], produces: list[str], consumes: list[str]
) -> None:
    operation.pop("schemes", None)  # the SDK's URLs come from its settings
    produces = _list(operation.pop("produces", None)) or produces
    consumes = _list(operation.pop("consumes", None)) or consumes
    found = operation.get("parameters")
    parameters: list[Any] = found if isinstance(found, list) else []
    own_names = {(p.get("name"), p.get("in")) for p in parameters if isinstance(p, dict)}
    body_like = [p for p in inherited if (p.get("name"), p.get("in")) not in own_names]
    body_like += [p for p in parameters if isinstance(p, dict) and p.get("in") in ("body", "formData")]
    rest = [_parameter(p) for p in parameters if isinstance(p, dict) and p.get("in") not in ("body", "formData")]
    if rest:
        operation["parameters"] = rest
    else:
        operation.pop("parameters", None)
    body = next((p for p in body_like if p.get("in") == "body"), None)
    form = [p for p in body_like if p.get("in") == "formData"]
    if body is not None:
        media = [t for t in consumes if t not in ("multipart/form-data", "application/x-www-form-urlencoded")]
        request: dict[str, Any] = {
            "content": {t: {"schema": _schema(body.get("schema", {}))} for t in media or consumes}
        }
        if body.get("required") is True:
            request["required"] = True
        if body.get("description"):
            request["description"] = body["description"]
        operation["requestBody"] = request
    elif form:
        files = any(p.get("type") == "file" for p in form)
        media_type = (
            "multipart/form-data" if files or "multipart/form-data" in consumes else "application/x-www-form-urlencoded"
        )
        properties = {}
        required = []
        for parameter in form:
            schema = {key: parameter[key] for key in _SCHEMA_KEYS if key in parameter}
            if "description" in parameter:
                schema["description"] = parameter["description"]
            properties[str(parameter.get("name"))] = _schema(schema)
            if parameter.get("required") is True:
                required.append(str(parameter.get("name")))
        schema_object: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema_object["required"] = required
        operation["requestBody"] = {"content": {media_type: {"schema": schema_object}}, "required": bool(required)}
    responses = operation.get("responses")
    if isinstance(responses, dict):
        for code, response in responses.items():
            responses[code] = _response(response, produces)
