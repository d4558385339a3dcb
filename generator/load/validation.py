"""Checking a description against the official JSON Schema of its format.

OpenAPI 3.0/3.1 use the OpenAPI Initiative's schemas as shipped in the
``openapi-spec-validator`` distribution; AsyncAPI 2.0-2.6, 3.0 and 3.1 use the AsyncAPI
Initiative's schemas kept in ``schemas/`` beside this module. ``$ref``s are not followed: every
file is checked on its own, and refs are checked by :mod:`generator.load.refs`.

The yes/no answer comes from ``jsonschema-rs`` when it is installed (milliseconds per
document); the message for an invalid document, or the whole check without it, from
``jsonschema``, choosing the most specific error.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import reprlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import jsonschema
import jsonschema.exceptions

from generator.errors import Collector, SpecError, warn
from generator.load.documents import Document
from generator.load.lines import join_pointer

Kind = Literal["openapi", "asyncapi"]

_ASYNCAPI_SCHEMAS = Path(__file__).parent / "schemas"

ASYNCAPI_VERSIONS = ("2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0")
"""The AsyncAPI versions sdkgen reads (each has its official JSON Schema in ``schemas/``)."""


def asyncapi_version_error(version: str) -> str | None:
    """None for a version sdkgen reads, else the one message that says which it reads."""
    if version in ASYNCAPI_VERSIONS:
        return None
    return (
        f"AsyncAPI {version or '(no version)'} is not supported: sdkgen reads AsyncAPI 2.0.0 to 2.6.0, 3.0.0 and 3.1.0"
    )


def detect(document: Document) -> tuple[Kind, str]:
    """Whether ``document`` is OpenAPI or AsyncAPI, and its version string."""
    data = document.data
    for kind in ("openapi", "asyncapi"):
        if isinstance(data, dict) and kind in data:
            version = data[kind]
            if not isinstance(version, str):
                raise SpecError(f"'{kind}' must be a version string like \"3.1.0\"", document.location(f"/{kind}"))
            return kind, version
    if isinstance(data, dict) and "swagger" in data:  # 2.0 is converted as it is read (load/swagger.py)
        raise SpecError(
            f"Swagger {data['swagger']} is not read (Swagger 2.0 and OpenAPI 3 are)", document.location("/swagger")
        )
    raise SpecError("not an OpenAPI or AsyncAPI document (no 'openapi' or 'asyncapi' key)", document.location(""))


def validate(kind: Kind, version: str, document: Document) -> None:
    """Raise a SpecError pointing at the first problem the format's schema finds."""
    schema_name = _schema_name(kind, version)
    if schema_name is None:
        message = asyncapi_version_error(version) if kind == "asyncapi" else None
        message = message or f"OpenAPI {version} is not supported: sdkgen reads OpenAPI 3.0.x and 3.1.x"
        raise SpecError(message, document.location(f"/{kind}"))
    is_valid = _fast_check(schema_name)
    if is_valid is not None and is_valid(document.data):
        return
    if kind != "openapi":
        error = _most_relevant(list(_full_validator(schema_name).iter_errors(document.data)))
        if error is not None:
            pointer = join_pointer(_path(error))
            raise SpecError(f"invalid {kind} {version}: {_message(error)}", document.location(pointer))
        return
    collector = Collector()
    referred: set[str] = set()
    if document.format is not None:  # converted as it was read: messages name the file's own format
        kind_name, version = document.format, f"(read as OpenAPI {version})"
    else:
        kind_name = kind
    for top in _full_validator(schema_name).iter_errors(document.data):
        error = _most_relevant([top])
        assert error is not None
        path = _path(error)
        operation = _referred_operation(document.data, path)
        if operation is not None:
            if operation not in referred:
                referred.add(operation)
                warn(
                    f"not valid {kind_name} {version}, but read: the operation is a $ref (OpenAPI 3.0 allows one on "
                    "the path item only); the operation it points at is read as if written here",
                    document.location(operation),
                )
            continue
        if path[-1:] == ["itemSchema"] and error.validator in ("additionalProperties", "unevaluatedProperties"):
            continue  # OpenAPI 3.2's schema of each item of a stream: read (normalise/openapi.py)
        if path[-1:] == ["type"] and error.validator == "enum" and "securitySchemes" not in path:
            continue  # an unknown type (3.0): repaired and reported where the schema is read (normalise/schemas.py)
        harmless = _harmless(error, path, document.data)
        location = document.location(join_pointer(path))
        if harmless is not None:
            warn(f"not valid {kind_name} {version}, but nothing the SDK depends on: {harmless}", location)
        else:
            collector.add(SpecError(f"invalid {kind_name} {version}: {_message(error)}", location))
    collector.done()


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _referred_operation(data: Any, path: list[str]) -> str | None:
    """The pointer of the operation a violation at ``path`` is about, when that operation is a ``$ref``."""
    if len(path) < 3 or path[0] not in ("paths", "webhooks") or path[2] not in _HTTP_METHODS:
        return None
    items = data.get(path[0]) if isinstance(data, dict) else None
    item = items.get(path[1]) if isinstance(items, dict) else None
    operation = item.get(path[2]) if isinstance(item, dict) else None
    return join_pointer(path[:3]) if isinstance(operation, dict) and "$ref" in operation else None


_DOC_FIELDS = frozenset({"description", "summary", "title", "termsOfService", "externalDocs", "example", "examples"})
"""Keys whose values are documentation: a wrong value there is left out of the SDK's docs."""
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "schemas",
        "parameters",
        "responses",
        "headers",
        "examples",
        "links",
        "callbacks",
        "requestBodies",
        "securitySchemes",
        "definitions",
        "$defs",
        "webhooks",
    }
)
"""Mappings whose keys are names: a property called ``description`` is no documentation field."""


_UNUSED_CONSTRAINTS = frozenset(
    {"pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
     "multipleOf", "minItems", "maxItems", "minProperties", "maxProperties", "xml"}
)  # fmt: skip
"""Schema keywords the SDK neither reads nor checks: a wrong value there changes nothing it generates."""


def _harmless(error: jsonschema.exceptions.ValidationError, path: list[str], data: Any = None) -> str | None:
    """What the SDK makes of an OpenAPI meta-schema violation it does not depend on, or None.

    - a component name outside ``^[a-zA-Z0-9._-]+$`` (the Python name is made from it anyway);
    - a documentation field of the wrong kind (a ``$ref`` object for a description), or a
      required one missing (a response without ``description``);
    - an operation without ``responses``, or with none in it (its method returns nothing);
    - a key the format does not define below the top level (an unknown keyword), or at the top
      level of a document that has its ``paths``;
    - a ``$ref`` where a map of components belongs (the map it points at is read);
    - a server variable without a default (the server is left out);
    - a wrong value in a schema keyword the SDK does not use (``pattern: 0``, ``maxLength: "10"``).
    """
    if len(path) == 3 and path[0] == "components" and path[2] == "$ref":
        return f"components.{path[1]} is a $ref; the map it points at is read"
    if len(path) == 3 and path[0] == "components" and error.validator == "pattern":
        return f"the component name {path[2]!r} is not of the form {error.validator_value}; its Python name is made from it"
    if any(
        token in _DOC_FIELDS and (index == 0 or path[index - 1] not in _NAME_MAPS) for index, token in enumerate(path)
    ):
        return "a documentation field of the wrong kind is left out"
    if (
        error.validator == "required"
        and error.validator_value == ["responses"]
        or (error.validator == "required" and "'responses' is a required property" in error.message)
    ):
        return "the operation has no 'responses'; its method returns nothing"
    if (
        error.validator == "required"
        and error.validator_value == ["description"]
        or (error.validator == "required" and "'description' is a required property" in error.message)
    ):
        return "a required description is missing (the SDK's docs go without)"
    if path and path[-1] in _UNUSED_CONSTRAINTS and not (len(path) > 1 and path[-2] in _NAME_MAPS):
        return f"the schema keyword {path[-1]!r} has a value of the wrong kind; the SDK does not use it"
    if len(path) >= 2 and path[-2] == "variables" and error.validator == "required" and "'default'" in error.message:
        return "a server variable has no default (its server is left out)"
    if path[-1:] == ["responses"] and error.validator in ("minProperties", "required", "anyOf", "oneOf"):
        return "the operation declares no response; its method returns nothing"
    if error.validator in ("additionalProperties", "unevaluatedProperties") and len(path) > 1:
        return f"the unknown key {path[-1]!r} is ignored"
    if len(path) == 1 and error.validator in ("additionalProperties", "unevaluatedProperties", "patternProperties"):
        if isinstance(data, dict) and isinstance(data.get("paths"), dict):  # else a misspelt `paths`, say
            return f"the unknown top-level key {path[0]!r} is ignored"
    return None


def _schema_name(kind: Kind, version: str) -> str | None:
    if kind == "openapi":
        for prefix, name in (("3.0.", "openapi-3.0"), ("3.1.", "openapi-3.1")):
            if version.startswith(prefix):
                return name
        return None
    return f"asyncapi-{version}" if version in ASYNCAPI_VERSIONS else None


@functools.cache
def _schema(name: str) -> Any:
    if name.startswith("asyncapi-"):
        path = _ASYNCAPI_SCHEMAS / f"{name}.json"
    else:
        # Found without importing openapi_spec_validator, which takes ~0.2 s to import.
        spec = importlib.util.find_spec("openapi_spec_validator")
        assert spec is not None and spec.submodule_search_locations
        package = Path(list(spec.submodule_search_locations)[0])
        path = package / "resources" / "schemas" / f"v{name.removeprefix('openapi-')}" / "schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _fast_check(name: str) -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    validator = jsonschema_rs.validator_for(_schema(name), validate_formats=False, offline=True)
    return validator.is_valid


@functools.cache
def _full_validator(name: str) -> Any:
    schema = _schema(name)
    return jsonschema.validators.validator_for(schema)(schema)


_ALTERNATIVES = ("oneOf", "anyOf")


def _relevance(error: jsonschema.exceptions.ValidationError) -> tuple[int, bool]:
    """Deeper errors first, then errors that are not just "none of the alternatives fit"."""
    return len(error.absolute_path), error.validator not in _ALTERNATIVES


def _most_relevant(errors: list[jsonschema.exceptions.ValidationError]) -> jsonschema.exceptions.ValidationError | None:
    """The error to show: the most relevant one, followed into the alternative that fits best.

    A failed ``oneOf``/``anyOf`` is followed into its sub-errors, leaving out the branch
    that only wanted a ``$ref`` (the Reference Object alternative of OpenAPI 3.0).
    """
    if not errors:
        return None
    best = max(errors, key=_relevance)
    while best.context:
        branches = [e for e in best.context if not (e.validator == "required" and e.validator_value == ["$ref"])]
        if not branches:
            break
        best = max(branches, key=_relevance)
    return best


def _path(error: jsonschema.exceptions.ValidationError) -> list[str]:
    """The JSON pointer tokens of the failing node; for a bad or unexpected key, the key's."""
    path = [str(part) for part in error.absolute_path]
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        return [*path, error.instance]
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        unexpected = [key for key in error.instance if repr(key) in error.message]
        if len(unexpected) == 1:
            return [*path, str(unexpected[0])]
    return path


_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40
_short.maxdict = 2
_short.maxlist = 3
_short.maxlevel = 1


def _message(error: jsonschema.exceptions.ValidationError) -> str:
    """The validator's message, with the offending value shortened."""
    message = error.message
    full = repr(error.instance)
    if len(full) > 60 and full in message:
        message = message.replace(full, _short.repr(error.instance))
    return message
