"""Swagger 2.0 documents, converted in place into OpenAPI 3.0 as they are read.

The rest of the generator only knows OpenAPI 3: a Swagger document becomes one, keeping its
mappings (so line numbers stay) and moving them where OpenAPI 3 has them:

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

from typing import Any

from generator.errors import warn
from generator.load.documents import Document

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


def convert(document: Document) -> None:
    """Turn the Swagger 2.0 ``document`` into OpenAPI 3.0.3, in place."""
    data = document.data
    warn("Swagger 2.0: read as the OpenAPI 3.0 it converts to", document.location("/swagger"))
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
            _path_item(item, global_parameters, produces, consumes)
        paths[base + path if not host and str(path).startswith("/") else path] = item
    servers = (
        [{"url": f"{scheme}://{host}{base}"} for scheme in (_list(data.get("schemes")) or ["https"])] if host else []
    )
    converted: dict[str, Any] = {"openapi": "3.0.3", "info": data.get("info", {"title": "API", "version": "1"})}
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
        for name, header in headers.items():
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
    item: dict[str, Any], global_parameters: dict[str, Any], produces: list[str], consumes: list[str]
) -> None:
    shared = item.get("parameters")
    if isinstance(shared, list):
        item["parameters"] = [
            _parameter(p) for p in shared if isinstance(p, dict) and p.get("in") not in ("body", "formData")
        ]
        body_params = [p for p in shared if isinstance(p, dict) and p.get("in") in ("body", "formData")]
        if not item["parameters"]:
            del item["parameters"]
    else:
        body_params = []
    for method in _HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
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
