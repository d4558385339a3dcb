"""How a list operation pages: said by an extension or the settings, else found from its shapes.

In order, the first that says anything decides (``false`` says "no pagination"):

1. the source's settings, ``pagination.operations.<operationId>``;
2. ``x-sdk-pagination`` on the operation;
3. ``x-fern-pagination`` (Fern's dialect; ``true`` refers to the document's own);
4. ``x-speakeasy-pagination`` (Speakeasy's dialect);
5. detection from the operation's parameters and response (unless the settings turn it off):
   see :class:`Detector` and ``docs/spec-format.md`` (*Pagination*).

Each gives one case of :data:`generator.ir.Pagination`, whose ``origin`` says which it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from typing_extensions import assert_never

from generator import naming
from generator.errors import SpecError, warn
from generator.ir import (
    CursorPagination,
    Endpoint,
    LinkHeaderPagination,
    ListOf,
    NextUrlPagination,
    OffsetPagination,
    PageNumberPagination,
    Pagination,
    Parameter,
    Primitive,
    Response,
    Source,
    TypeRef,
)
from generator.normalise.nodes import Node
from generator.normalise.schemas import ANY
from generator.typerefs import unwrap_nullable

if TYPE_CHECKING:
    from generator.normalise.schemas import Types

_KINDS = ("offset", "page", "cursor", "next-url", "link-header")

# ---- detection vocabulary (compared after snake_casing: ``pageToken`` is ``page_token``) ----

CURSOR_PARAMS = frozenset(
    "cursor after starting_after start_after page_token next_token continuation_token continue marker "
    "next_page_token pagination_token page_cursor start_cursor after_cursor next_cursor from_cursor".split()
)
"""Query parameters that take a cursor."""
NEXT_CURSOR_FIELDS = (
    "next_cursor next_page_token next_token continuation_token next_page_cursor end_cursor next_marker "
    "cursor next continue after marker".split()
)
"""Response fields that carry the next cursor, most telling first (besides the parameter's own name)."""
HAS_MORE_FIELDS = ("has_more", "has_next", "has_next_page", "more", "has_more_items", "is_truncated", "truncated")
OFFSET_PARAMS = ("offset", "skip", "start_index", "start")
PAGE_PARAMS = ("page", "page_number", "page_num", "page_no", "pagenumber", "page_index")
LIMIT_PARAMS = ("limit", "page_size", "per_page", "size", "count", "max_results", "top", "pagesize", "max_items")
TOTAL_FIELDS = ("total", "total_count", "total_results", "total_items", "count_total", "total_size")
TOTAL_PAGES_FIELDS = ("total_pages", "page_count", "num_pages", "nb_pages", "pages", "last_page", "total_page_count")
NEXT_URL_FIELDS = ("next", "next_url", "next_page_url", "next_page", "next_link", "next_href", "href")
URL_CONTAINERS = ("links", "link", "paging", "pagination", "page_details", "page_info", "meta", "next")
"""Objects a next URL may sit in (``links.next``, ``_links.next.href``, ``paging.next``)."""
ITEM_NAMES = ("data", "items", "results", "entries", "records", "values", "elements", "list", "rows", "hits")
SEARCH_WORDS = re.compile(r"(^|_)(search|list|query|find|filter)(_|$)")
"""A POST operation whose operationId or last path segment has one of these words is a documented search."""


@dataclass(frozen=True)
class _Field:
    """A response property reachable from the top: wire path, attribute path and type."""

    wire: tuple[str, ...]
    path: tuple[str, ...]
    type: TypeRef
    example: Any = None


class PaginationReader:
    """Reads the pagination of the operations of one source."""

    def __init__(self, types: Types, root: Node, settings: Node | None) -> None:
        self.types = types
        self.root = root
        self.settings = settings
        raw: Any = {}
        if settings is not None:
            raw = settings.value
            if not isinstance(raw, dict):
                raise settings.fail("'pagination' must be a mapping (detect, link-header, operations)")
            for key in ("detect", "link-header"):
                if key in raw and not isinstance(raw[key], bool):
                    raise settings.fail(f"pagination {key} must be true or false", key)
            if not isinstance(raw.get("operations", {}), dict):
                raise settings.fail("pagination operations must map operationIds to pagination", "operations")
        self.detect = raw.get("detect", True)
        self.link_header = raw.get("link-header", False)
        self.overrides = settings.child("operations") if settings is not None else None

    def read(
        self, node: Node, operation_id: str, path: str, method: str, response: Response, params: list[Parameter]
    ) -> Pagination | None:
        query = [p for p in params if p.location == "query"]
        if self.overrides is not None and operation_id in (self.overrides.value or {}):
            return self._ours(self.overrides.child(operation_id), response, query, "settings")
        if node.get("x-sdk-pagination") is not None:
            return self._ours(node.child("x-sdk-pagination"), response, query, "x-sdk-pagination")
        try:  # another generator's dialect we cannot follow is a warning: the pager is then found as usual
            if node.get("x-fern-pagination") not in (None, False):
                return self._fern(node.child("x-fern-pagination"), response, query)
            if node.get("x-speakeasy-pagination") is not None:
                return self._speakeasy(node.child("x-speakeasy-pagination"), response, query)
        except SpecError as error:
            warn(f"{error.message}; finding the pagination from the operation's shapes instead", error.location)
        if not self.detect:
            return None
        return Detector(self.types, response, query, path, operation_id, method).detect(
            self.link_header or _declares_link(node, self.types)
        )

    # ---- x-sdk-pagination (and the settings) ------------------------------------------

    def _ours(self, raw: Node, response: Response, query: list[Parameter], origin: str) -> Pagination | None:
        if raw.value is False:
            return None
        kind = raw.get("kind")
        if not isinstance(raw.value, dict) or kind not in _KINDS:
            raise raw.fail(f"{origin} needs 'kind': one of {', '.join(_KINDS)} (or false for none)")
        items, item_type = self._items(raw, raw.get("items"), response, origin)
        resolve = _Resolver(self.types, raw, response.type, origin)
        if kind in ("offset", "page") and (kind == "page" or "page" in raw.value):
            first_page = raw.get("first-page", 0 if kind == "offset" else 1)
            if not isinstance(first_page, int) or isinstance(first_page, bool):
                raise raw.fail("first-page must be an integer", "first-page")
            return PageNumberPagination(
                items=items,
                item_type=item_type,
                param=_query(raw, "page", query, origin),
                origin=origin,
                first_page=first_page,
                total_pages=resolve.optional("total-pages"),
                has_more=resolve.optional("has-more"),
                limit=_query(raw, "limit", query, origin) if raw.get("limit") else None,
            )
        if kind == "offset":
            return OffsetPagination(
                items=items,
                item_type=item_type,
                param=_query(raw, "offset", query, origin),
                origin=origin,
                limit=_query(raw, "limit", query, origin) if raw.get("limit") else None,
                total=resolve.optional("total"),
                has_more=resolve.optional("has-more"),
            )
        if kind == "cursor":
            last_item = None
            if raw.get("last-item") is not None:
                last_item = _Resolver(self.types, raw, item_type, origin).required("last-item")
            return CursorPagination(
                items=items,
                item_type=item_type,
                param=_query(raw, "cursor", query, origin),
                origin=origin,
                next_cursor=resolve.required("next-cursor") if last_item is None else None,
                last_item=last_item,
                has_more=resolve.optional("has-more"),
            )
        if kind == "next-url":
            return NextUrlPagination(items, item_type, origin, resolve.required("next"))
        return LinkHeaderPagination(items, item_type, origin)

    def _items(self, raw: Node, dotted: Any, response: Response, origin: str) -> tuple[tuple[str, ...], TypeRef]:
        """The items' path (``()`` when the response is the list) and item type."""
        whole = unwrap_nullable(response.type or ANY)
        if dotted in (None, "") and isinstance(whole, ListOf):
            return (), whole.item
        path, found = _Resolver(self.types, raw, response.type, origin).path("items", dotted)
        unwrapped = unwrap_nullable(found)
        if not isinstance(unwrapped, ListOf):
            raise raw.fail(f"{origin} items {dotted!r} is not a list in the response", "items")
        return path, unwrapped.item

    # ---- x-fern-pagination ------------------------------------------------------------

    def _fern(self, raw: Node, response: Response, query: list[Parameter]) -> Pagination | None:
        origin = "x-fern-pagination"
        if raw.value is True:
            raw = self.root.child("x-fern-pagination")
        if not isinstance(raw.value, dict):
            raise raw.fail("x-fern-pagination needs 'cursor' and 'next_cursor', or 'offset', and 'results'")
        results = _expression(raw, "results", "$response.")
        items, item_type = self._items(raw, results, response, origin)
        resolve = _Resolver(self.types, raw, response.type, origin)
        has_more = resolve.optional("has-next-page", _expression(raw, "has-next-page", "$response."))
        if "cursor" in raw.value:
            return CursorPagination(
                items=items,
                item_type=item_type,
                param=_query(raw, "cursor", query, origin, _expression(raw, "cursor", "$request.")),
                origin=origin,
                next_cursor=resolve.required("next_cursor", _expression(raw, "next_cursor", "$response.")),
                has_more=has_more,
            )
        if "offset" in raw.value:
            param = _query(raw, "offset", query, origin, _expression(raw, "offset", "$request."))
            if raw.get("step") is not None:  # the offset moves on by the page size
                step = _query(raw, "step", query, origin, _expression(raw, "step", "$request."))
                return OffsetPagination(items, item_type, param, origin, limit=step, has_more=has_more)
            return PageNumberPagination(items, item_type, param, origin, first_page=1, has_more=has_more)
        if "next_uri" in raw.value or "next" in raw.value:
            key = "next_uri" if "next_uri" in raw.value else "next"
            return NextUrlPagination(
                items, item_type, origin, resolve.required(key, _expression(raw, key, "$response."))
            )
        raise raw.fail("x-fern-pagination needs 'cursor' and 'next_cursor', or 'offset'")

    # ---- x-speakeasy-pagination -------------------------------------------------------

    def _speakeasy(self, raw: Node, response: Response, query: list[Parameter]) -> Pagination | None:
        origin = "x-speakeasy-pagination"
        kind = raw.get("type")
        if not isinstance(raw.value, dict) or kind not in ("offsetLimit", "cursor", "url"):
            raise raw.fail("x-speakeasy-pagination needs 'type': offsetLimit, cursor or url")
        outputs = raw.child("outputs")
        items, item_type = self._items(outputs, _jsonpath(outputs, "results"), response, origin)
        inputs: dict[str, str] = {}
        for element in raw.elements("inputs"):
            if element.get("in", "parameters") != "parameters":
                raise element.fail(f"{origin}: an input in the {element.get('in')!r} is not supported, only parameters")
            if isinstance(element.get("type"), str) and isinstance(element.get("name"), str):
                inputs[element.get("type")] = element.get("name")
        resolve = _Resolver(self.types, outputs, response.type, origin)
        limit = _query(raw, "limit", query, origin, inputs["limit"]) if "limit" in inputs else None
        if kind == "url":
            return NextUrlPagination(
                items, item_type, origin, resolve.required("nextUrl", _jsonpath(outputs, "nextUrl"))
            )
        if kind == "cursor":
            return CursorPagination(
                items=items,
                item_type=item_type,
                param=_query(raw, "inputs", query, origin, inputs.get("cursor")),
                origin=origin,
                next_cursor=resolve.required("nextCursor", _jsonpath(outputs, "nextCursor")),
            )
        if "page" in inputs:
            return PageNumberPagination(
                items=items,
                item_type=item_type,
                param=_query(raw, "inputs", query, origin, inputs["page"]),
                origin=origin,
                first_page=1,
                total_pages=resolve.optional("numPages", _jsonpath(outputs, "numPages")),
                limit=limit,
            )
        return OffsetPagination(
            items, item_type, _query(raw, "inputs", query, origin, inputs.get("offset")), origin, limit=limit
        )


def _declares_link(node: Node, types: Types) -> bool:
    """Whether the operation's success response declares a ``Link`` header."""
    from generator.normalise.nodes import deref

    for code, response in node.items("responses"):
        if code.startswith("2"):
            try:
                headers = deref(types.registry, response).get("headers")
            except SpecError:  # a response $ref to nothing: left out, with a warning (OpenApiReader._success)
                continue
            if isinstance(headers, dict) and any(str(name).lower() == "link" for name in headers):
                return True
    return False


def _expression(raw: Node, key: str, prefix: str) -> str | None:
    """The dotted path of a Fern ``$response.a.b`` / ``$request.a`` expression at ``raw[key]``."""
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(prefix):
        raise raw.fail(f"x-fern-pagination {key} must be a {prefix}... expression", key)
    return value[len(prefix) :]


def _jsonpath(raw: Node, key: str) -> str | None:
    """The dotted path of a Speakeasy ``$.a.b`` JSONPath at ``raw[key]`` (``$`` alone: the response)."""
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith("$") or any(c in value for c in "[]*?"):
        raise raw.fail(f"x-speakeasy-pagination {key} must be a JSONPath such as $.data.items", key)
    return value[2:] if value != "$" else ""


def _query(raw: Node, key: str, query: list[Parameter], origin: str, name: Any = None) -> str:
    """The wire name of the query parameter named at ``raw[key]`` (or ``name``)."""
    name = raw.get(key) if name is None else name
    for param in query:
        if name in (param.name, param.py_name):
            return param.name
    raise raw.fail(f"{origin} {key} {name!r} is not a query parameter of the operation", key)


class _Resolver:
    """Dotted paths in a response (or item) type -> attribute paths, failing at ``raw[key]``."""

    def __init__(self, types: Types, raw: Node, ref: TypeRef | None, origin: str) -> None:
        self.types, self.raw, self.ref, self.origin = types, raw, ref, origin

    def required(self, key: str, dotted: Any = None) -> tuple[str, ...]:
        return self.path(key, self.raw.get(key) if dotted is None else dotted)[0]

    def optional(self, key: str, dotted: Any = None) -> tuple[str, ...] | None:
        dotted = self.raw.get(key) if dotted is None else dotted
        return self.path(key, dotted)[0] if dotted is not None else None

    def path(self, key: str, dotted: Any) -> tuple[tuple[str, ...], TypeRef]:
        if not isinstance(dotted, str) or not dotted:
            raise self.raw.fail(f"{self.origin} needs '{key}', a dotted path in the response", key)
        names: list[str] = []
        current: TypeRef = self.ref if self.ref is not None else ANY
        for part in dotted.split("."):
            found = self.types.object_of(current)
            field = next((f for f in found.fields if part in (f.name, f.py_name)), None) if found else None
            if field is None:
                raise self.raw.fail(f"{self.origin} {key} {dotted!r}: the response has no property {part!r} there", key)
            names.append(field.attribute)
            current = field.type
        return tuple(names), current


# ---- detection ------------------------------------------------------------------------


class Detector:
    """Pagination found from an operation's shapes (the rules of ``docs/spec-format.md``, *Pagination*)."""

    def __init__(
        self, types: Types, response: Response, query: list[Parameter], path: str, operation_id: str, method: str
    ) -> None:
        self.types = types
        self.response = response
        self.query = {_key(p.name): p for p in query}
        self.path = path
        self.operation_id = operation_id
        self.method = method.upper()

    def detect(self, link_header: bool) -> Pagination | None:
        if self.response.kind != "json" or self.response.type is None or not self._may_page():
            return None
        body = unwrap_nullable(self.response.type)
        if isinstance(body, ListOf):  # a bare list pages only by the Link header
            if link_header:
                return LinkHeaderPagination((), body.item, "detected: Link header (the response is the list)")
            return None
        found = self._items()
        if found is None:
            return None
        items, item_type = found
        fields = [f for f in self._fields(self.response.type, (), (), 0) if f.wire != items.wire]
        where = "/".join(items.wire)
        return (
            self._cursor(items.path, item_type, fields, where)
            or self._next_url(items.path, item_type, fields, where)
            or (
                LinkHeaderPagination(items.path, item_type, f"detected: Link header, items {where}")
                if link_header
                else None
            )
            or self._offset(items.path, item_type, fields, where)
            or self._page(items.path, item_type, fields, where)
        )

    def _may_page(self) -> bool:
        if self.method == "GET":
            return True
        last = _key(self.path.rstrip("/").rsplit("/", 1)[-1])
        return self.method == "POST" and bool(SEARCH_WORDS.search(_key(self.operation_id)) or SEARCH_WORDS.search(last))

    def _items(self) -> tuple[_Field, TypeRef] | None:
        """The one list of the response object, or the conventionally named one among several."""
        lists = [f for f in self._fields(self.response.type, (), (), 0, depth_limit=0) if _list_item(f.type)]
        if not lists:
            return None
        chosen = lists[0] if len(lists) == 1 else None
        if chosen is None:
            resource = _key(self.path.rstrip("/").rsplit("/", 1)[-1].strip("{}"))
            for name in (*ITEM_NAMES, resource):
                chosen = next((f for f in lists if _key(f.wire[-1]) == name), None)
                if chosen:
                    break
        if chosen is None:
            return None
        item = _list_item(chosen.type)
        assert item is not None
        return chosen, item

    def _fields(
        self, ref: TypeRef | None, wire: tuple[str, ...], path: tuple[str, ...], depth: int, depth_limit: int = 2
    ) -> list[_Field]:
        """The response's properties, and those of its object properties, down to ``depth_limit``."""
        found = self.types.object_of(ref)
        if found is None:
            return []
        result = []
        for field in found.fields:
            here = _Field((*wire, field.name), (*path, field.attribute), field.type, field.example)
            result.append(here)
            if depth < depth_limit and not _list_item(field.type):
                result.extend(self._fields(field.type, here.wire, here.path, depth + 1, depth_limit))
        return result

    def _named(
        self, fields: list[_Field], names: tuple[str, ...] | list[str], scalar: str, urls: bool = True
    ) -> _Field | None:
        """The field (by the order of ``names``, then shallowest first) whose last name is one of ``names``;
        without ``urls``, not one that holds a URL."""
        for name in names:
            matching = [f for f in fields if _key(f.wire[-1]) == name and _is(f.type, scalar)]
            matching = [f for f in matching if urls or not _is_url(f)]
            if matching:
                return min(matching, key=lambda f: len(f.wire))
        return None

    def _param(self, names: tuple[str, ...] | frozenset[str]) -> Parameter | None:
        for name in names:
            if name in self.query and (_is(self.query[name].type, "scalar") or _is(self.query[name].type, "count")):
                return self.query[name]
        return None

    def _cursor(
        self, items: tuple[str, ...], item_type: TypeRef, fields: list[_Field], where: str
    ) -> Pagination | None:
        candidates = [p for key, p in self.query.items() if _cursor_param(key) and _is(p.type, "scalar")]
        has_more = self._named(fields, HAS_MORE_FIELDS, "boolean")
        for param in candidates:
            key = _key(param.name)
            subject = key.removeprefix("start_after_").removeprefix("starting_after_").removeprefix("after_")
            names = [key, f"next_{key}", *NEXT_CURSOR_FIELDS, f"last_{subject}"]
            if subject != key:
                names.insert(0, f"last_{subject}")
            found = self._named(fields, names, "scalar", urls=False)
            if found is not None:
                return CursorPagination(
                    items=items,
                    item_type=item_type,
                    param=param.name,
                    origin=f"detected: cursor parameter {param.name!r}, next cursor {'.'.join(found.wire)}, items {where}",
                    next_cursor=found.path,
                    has_more=has_more.path if has_more else None,
                )
            if key in ("starting_after", "after", "start_after") and has_more is not None:
                item = self.types.object_of(item_type)
                ident = next((f for f in item.fields if f.name == "id"), None) if item else None
                if ident is not None:
                    return CursorPagination(
                        items=items,
                        item_type=item_type,
                        param=param.name,
                        origin=f"detected: cursor parameter {param.name!r} takes the last item's id, "
                        f"{'.'.join(has_more.wire)} says when to stop, items {where}",
                        last_item=(ident.attribute,),
                        has_more=has_more.path,
                    )
        return None

    def _next_url(
        self, items: tuple[str, ...], item_type: TypeRef, fields: list[_Field], where: str
    ) -> Pagination | None:
        for field in sorted(fields, key=lambda f: len(f.wire)):
            name = _key(field.wire[-1])
            containers = [_key(part) for part in field.wire[:-1]]
            if not _is(field.type, "string") or name not in NEXT_URL_FIELDS:
                continue
            # At the top, or in a links object: `next`, `links.next`, `_links.next.href`, `paging.next`.
            if not all(part in URL_CONTAINERS for part in containers) or (name == "href") != (
                containers[-1:] == ["next"]
            ):
                continue
            if _is_url(field) or name in ("next", "next_url", "next_page_url", "next_link"):
                if name == "next_page" and not _is_url(field):
                    continue
                return NextUrlPagination(
                    items, item_type, f"detected: next URL {'.'.join(field.wire)}, items {where}", field.path
                )
        return None

    def _offset(
        self, items: tuple[str, ...], item_type: TypeRef, fields: list[_Field], where: str
    ) -> Pagination | None:
        param = self._param(OFFSET_PARAMS)
        if param is None or not _is(param.type, "count"):
            return None
        total = self._named(fields, TOTAL_FIELDS, "integer")
        has_more = self._named(fields, HAS_MORE_FIELDS, "boolean")
        limit = self._param(LIMIT_PARAMS)
        stop = _stop(total, has_more, limit)
        return OffsetPagination(
            items=items,
            item_type=item_type,
            param=param.name,
            origin=f"detected: offset parameter {param.name!r}, items {where}, {stop}",
            limit=limit.name if limit else None,
            total=total.path if total else None,
            has_more=has_more.path if has_more else None,
        )

    def _page(self, items: tuple[str, ...], item_type: TypeRef, fields: list[_Field], where: str) -> Pagination | None:
        param = self._param(PAGE_PARAMS)
        if param is None or not _is(param.type, "count"):
            return None
        total_pages = self._named(fields, TOTAL_PAGES_FIELDS, "integer")
        has_more = self._named(fields, HAS_MORE_FIELDS, "boolean")
        limit = self._param(tuple(name for name in LIMIT_PARAMS if name != param.name))
        first = param.default if param.has_default and isinstance(param.default, int) else 1
        stop = _stop(total_pages, has_more, limit)
        return PageNumberPagination(
            items=items,
            item_type=item_type,
            param=param.name,
            origin=f"detected: page parameter {param.name!r} from {first}, items {where}, {stop}",
            first_page=first,
            total_pages=total_pages.path if total_pages else None,
            has_more=has_more.path if has_more else None,
            limit=limit.name if limit else None,
        )


def _key(name: str) -> str:
    """A name as the rules compare it: snake_cased, without a keyword's ``_`` (``pageToken``: ``page_token``)."""
    return naming.snake(name).rstrip("_")


def _stop(total: _Field | None, has_more: _Field | None, limit: Parameter | None) -> str:
    if total is not None or has_more is not None:
        return "stops by " + " and ".join(".".join(f.wire) for f in (total, has_more) if f is not None)
    return "stops on an empty page" + (f" or one shorter than {limit.name!r}" if limit else "")


def _cursor_param(key: str) -> bool:
    return key in CURSOR_PARAMS or key.endswith("_cursor") or key.startswith(("start_after_", "starting_after_"))


def _is_url(field: _Field) -> bool:
    """Whether a string field holds a URL: by its format, its name, or its example."""
    ref = unwrap_nullable(field.type)
    if isinstance(ref, Primitive) and ref.format in ("uri", "url", "uri-reference", "iri", "iri-reference"):
        return True
    example = field.example
    return "url" in _key(field.wire[-1]).split("_") or (
        isinstance(example, str) and example.startswith(("http://", "https://", "/"))
    )


def _list_item(ref: TypeRef) -> TypeRef | None:
    ref = unwrap_nullable(ref)
    return ref.item if isinstance(ref, ListOf) else None


def _is(ref: TypeRef, what: str) -> bool:
    """Whether ``ref`` (through ``Nullable``) is a string, integer, boolean, a string or integer
    (``scalar``), or an integer or number (``count``)."""
    ref = unwrap_nullable(ref)
    if not isinstance(ref, Primitive):
        return False
    if what == "scalar":
        return ref.name in ("string", "integer")
    if what == "count":
        return ref.name in ("integer", "number")
    return ref.name == what


def summary(endpoints: tuple[Endpoint, ...]) -> str:
    """One line: how many operations page, by style (``pagination: 5 operations (cursor 3, offset 2)``)."""
    counts: dict[str, int] = {}
    seen: set[Source] = set()
    for endpoint in endpoints:
        if endpoint.pagination is None or endpoint.source in seen:
            continue
        seen.add(endpoint.source)
        counts[_label(endpoint.pagination)] = counts.get(_label(endpoint.pagination), 0) + 1
    if not counts:
        return "pagination: no operation pages"
    total = sum(counts.values())
    parts = ", ".join(f"{label} {count}" for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"pagination: {total} operation{'s' if total != 1 else ''} ({parts})"


def _label(pagination: Pagination) -> str:
    match pagination:
        case PageNumberPagination():
            return "page"
        case OffsetPagination():
            return "offset"
        case CursorPagination():
            return "cursor"
        case NextUrlPagination():
            return "next URL"
        case LinkHeaderPagination():
            return "link"
        case other:
            assert_never(other)
