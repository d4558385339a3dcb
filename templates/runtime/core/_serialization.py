"""Turning Python values into what goes on the wire: JSON bodies, query strings, cookies, paths."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import typing
import urllib.parse
import uuid


__all__ = [
    "DEEP_OBJECT",
    "FORM",
    "OMIT",
    "QueryStyle",
    "cookie_header",
    "cookie_name",
    "cookie_pairs",
    "cookie_value",
    "header_values",
    "json_body",
    "json_bytes",
    "jsonable",
    "parse_cookie_header",
    "query_pairs",
    "take_cookies",
    "text",
]


OMIT: typing.Any = Ellipsis
"""The default of an optional body field: left out of the body, where ``None`` sends ``null``."""


def jsonable(value: typing.Any) -> typing.Any:
    """``value`` as plain JSON data.

    Models become dicts of their wire names without the fields left out (a field given
    ``None`` is sent as ``null``; one never set is not sent); mappings
    and sequences are converted item by item (a plain dict is sent as given);
    dates become ISO 8601 text and bytes base64 text.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json", by_alias=True, exclude=_unset_nones(value) or None)
    if isinstance(value, typing.Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot send a value of type {type(value).__name__} as JSON")


def _unset_nones(model: typing.Any) -> typing.Dict[typing.Any, typing.Any]:
    """What to leave out of ``model``'s dump: the fields that are ``None`` because they were never
    set (not given, nor read from JSON), in it and in the models it holds (pydantic's ``exclude``)."""
    given = model.model_fields_set
    excluded: typing.Dict[typing.Any, typing.Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        if value is None:
            if name not in given:
                excluded[name] = True
            continue
        inner: typing.Dict[typing.Any, typing.Any]
        if hasattr(value, "model_fields_set"):
            inner = _unset_nones(value)
        elif isinstance(value, (list, tuple, dict)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            inner = {
                key: sub for key, item in items if hasattr(item, "model_fields_set") and (sub := _unset_nones(item))
            }
        else:
            continue
        if inner:
            excluded[name] = inner
    return excluded


def json_body(
    fields: typing.Mapping[str, typing.Any], extra: typing.Optional[typing.Mapping[str, typing.Any]]
) -> bytes:
    """A JSON object body: ``fields`` but those left out (:data:`OMIT`; ``None`` is sent as ``null``),
    then ``extra`` (added or overriding)."""
    body = {name: jsonable(value) for name, value in fields.items() if value is not OMIT}
    if extra:
        body.update(jsonable(extra))
    return json_bytes(body)


def json_bytes(value: typing.Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def text(value: typing.Any) -> str:
    """A scalar as text in a path, query string, header or form field."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return text(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float, uuid.UUID)):
        return str(value)
    return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))


class QueryStyle(typing.NamedTuple):
    """How a query parameter is written: its OpenAPI ``style`` and ``explode``.

    With ``explode``, a list gives one pair per item (``s=a&s=b``); without, one pair
    joined by the style's delimiter (``s=a,b`` for ``form``, ``|`` for ``pipeDelimited``,
    a space for ``spaceDelimited``). An object is spread as one pair per property
    (``form`` with ``explode``), as ``name[key]=value`` pairs at any depth (``deepObject``),
    or joined as ``name=key,value,...``. ``json`` sends the value as JSON text.
    """

    style: typing.Literal["form", "spaceDelimited", "pipeDelimited", "deepObject", "json"] = "form"
    explode: bool = True


FORM = QueryStyle()
DEEP_OBJECT = QueryStyle("deepObject")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def query_pairs(
    params: typing.Optional[typing.Mapping[str, typing.Any]],
    styles: typing.Optional[typing.Mapping[str, QueryStyle]] = None,
    extra: typing.Optional[typing.Mapping[str, typing.Any]] = None,
    default: QueryStyle = FORM,
) -> typing.List[typing.Tuple[str, str]]:
    """Query parameters as (name, text) pairs, each written in its style; ``None`` values are left out.

    ``styles`` gives the style of the parameters not written in ``default``. ``extra``
    (parameters the caller adds) comes last, objects in it as ``deepObject``.
    """
    pairs: typing.List[typing.Tuple[str, str]] = []
    for name, value in (params or {}).items():
        if value is not None:
            _encode(name, value, styles.get(name, default) if styles else default, pairs)
    for name, value in (extra or {}).items():
        if value is not None:
            _encode(name, value, DEEP_OBJECT, pairs)
    return pairs


def _same(part: str) -> str:
    return part


def _encode(
    name: str,
    value: typing.Any,
    style: QueryStyle,
    pairs: typing.List[typing.Tuple[str, str]],
    quote: typing.Callable[[str], str] = _same,
    quote_name: typing.Callable[[str], str] = _same,
) -> None:
    """Add ``value``'s pairs to ``pairs``. ``quote`` escapes each part of a value (not the delimiters
    that join the parts) and ``quote_name`` the names an exploded object gives; a query string
    leaves both to ``httpx``, a cookie needs them (:func:`cookie_pairs`)."""
    if style.style == "json":
        pairs.append((name, quote(json_bytes(jsonable(value)).decode("utf-8"))))
        return
    data = jsonable(value)
    if style.style == "deepObject":
        _deep(name, data, pairs)
    elif isinstance(data, dict):
        entries = [(key, item) for key, item in data.items() if item is not None]
        if style.explode:
            pairs.extend((quote_name(key), quote(text(item))) for key, item in entries)
        else:
            delimiter = _DELIMITERS.get(style.style, ",")
            pairs.append((name, delimiter.join(f"{quote(key)}{delimiter}{quote(text(item))}" for key, item in entries)))
    elif isinstance(data, list):
        items = [quote(text(item)) for item in data if item is not None]
        if style.explode:
            pairs.extend((name, item) for item in items)
        else:
            pairs.append((name, _DELIMITERS.get(style.style, ",").join(items)))
    else:
        pairs.append((name, quote(text(data))))


def _deep(name: str, value: typing.Any, pairs: typing.List[typing.Tuple[str, str]]) -> None:
    """``name[key][key2]=value`` for nested objects; a list repeats its name."""
    if isinstance(value, dict):
        for key, item in value.items():
            _deep(f"{name}[{key}]", item, pairs)
    elif isinstance(value, list):
        for item in value:
            _deep(name, item, pairs)
    elif value is not None:
        pairs.append((name, text(value)))


def header_values(
    headers: typing.Optional[typing.Mapping[str, typing.Any]],
) -> typing.Dict[str, str]:
    return {name: text(value) for name, value in (headers or {}).items() if value is not None}


# Cookies (RFC 6265 4.2.1: ``cookie-string = cookie-pair *( "; " cookie-pair )``)

_COOKIE_OCTETS = "!#$&'()*+/:<=>?@[]^`{|}"
"""RFC 6265 ``cookie-octet`` besides letters, digits and ``-._~`` (which ``quote`` never escapes), less ``%``:
no control character, space, ``"``, ``,``, ``;`` or ``\\``, nor anything past ASCII."""
_TOKEN_CHARACTERS = "!#$&'*+^`|"
"""RFC 9110 ``tchar`` besides letters, digits and ``-._~``, less ``%``."""


def cookie_value(value: str) -> str:
    """``value`` as a cookie value: each UTF-8 byte that is no ``cookie-octet``, and ``%``, percent-encoded
    (``a b;c`` is ``a%20b%3Bc``), so that it can neither end its pair nor the header, and decodes back."""
    return urllib.parse.quote(value, safe=_COOKIE_OCTETS)


def cookie_name(name: str) -> str:
    """``name`` as a cookie name (a token): each UTF-8 byte that is no ``tchar``, and ``%``, percent-encoded."""
    return urllib.parse.quote(name, safe=_TOKEN_CHARACTERS)


def cookie_pairs(
    params: typing.Optional[typing.Mapping[str, typing.Any]],
    styles: typing.Optional[typing.Mapping[str, QueryStyle]] = None,
) -> typing.List[typing.Tuple[str, str]]:
    """Cookie parameters as (name, value) pairs, each value escaped by :func:`cookie_value`; ``None`` is left out.

    As for a query (``form``, see :class:`QueryStyle`): a scalar is one pair (``true``/``false``, dates in
    ISO 8601); a list exploded (the default) repeats the name (``s=a; s=b``), not exploded joins its
    items with commas (``s=a,b``: a comma in an item is ``%2C``); an object exploded gives a pair per
    property (``k=v; k2=v2``, each name escaped by :func:`cookie_name`), not exploded one pair
    ``name=k,v,k2,v2``; ``json`` sends the JSON text. The names of ``params`` are tokens already.
    """
    pairs: typing.List[typing.Tuple[str, str]] = []
    for name, value in (params or {}).items():
        if value is not None:
            _encode(name, value, styles.get(name, FORM) if styles else FORM, pairs, cookie_value, cookie_name)
    return pairs


def parse_cookie_header(value: typing.Optional[str]) -> typing.List[typing.Tuple[str, str]]:
    """The (name, value) pairs of a ``Cookie`` header as written (nothing decoded); empty parts are skipped."""
    pairs = []
    for part in (value or "").split(";"):
        name, _, text_ = part.strip().partition("=")
        if name.strip():
            pairs.append((name.strip(), text_.strip()))
    return pairs


def take_cookies(headers: typing.Dict[str, str]) -> typing.List[typing.Tuple[str, str]]:
    """The pairs of every ``Cookie`` header in ``headers`` (whatever the case of its name), removed from it."""
    pairs: typing.List[typing.Tuple[str, str]] = []
    for name in [name for name in headers if name.lower() == "cookie"]:
        pairs += parse_cookie_header(headers.pop(name))
    return pairs


def cookie_header(*layers: typing.Iterable[typing.Tuple[str, str]]) -> typing.Optional[str]:
    """One ``Cookie`` header value from layers of (name, value) pairs, each written as it is: the pairs of
    a later layer replace every pair of an earlier one with the same name (a name may repeat within a
    layer: an exploded list). ``None`` when there is no pair."""
    merged: typing.List[typing.Tuple[str, str]] = []
    for layer in layers:
        given = list(layer)
        names = {name for name, _ in given}
        merged = [pair for pair in merged if pair[0] not in names] + given
    return "; ".join(f"{name}={value}" for name, value in merged) or None
