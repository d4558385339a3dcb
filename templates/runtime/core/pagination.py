"""Pagers: iterate over the items of a paginated list endpoint, fetching pages as needed.

A pager holds one page (``items``, and the whole ``response``). Iterating over it yields
the items of this page and of every following one; ``iter_pages()`` yields the pages.
The next page is requested only when needed, and not at all when the response says
there are no more.

How the next page is asked for is the endpoint's :class:`Pagination`: a page number
(:class:`PageNumberPagination`), an item offset (:class:`OffsetPagination`), a cursor
(:class:`CursorPagination`), a URL in the body (:class:`NextUrlPagination`) or the
``Link`` header (:class:`LinkHeaderPagination`). Each sees the whole response (status,
headers and parsed body). A next page that would repeat a request already made (a
cursor, offset or link the server gives again) raises :class:`PaginationLoopError`
instead of looping forever; a next URL on another host than the API's raises it too.
"""

from __future__ import annotations

import re
import typing
import urllib.parse

if typing.TYPE_CHECKING:
    from ._http_client import AsyncHttpClient, HttpClient, Request
    from .http_response import HttpResponse
    from .request_options import RequestOptions

__all__ = [
    "AsyncPager",
    "CursorPagination",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OffsetPagination",
    "PageNumberPagination",
    "Pagination",
    "PaginationLoopError",
    "SyncPager",
    "attribute_path",
]


T = typing.TypeVar("T")
R = typing.TypeVar("R")

Read = typing.Callable[[R], typing.Any]
"""Reads a value (a cursor, a count, a flag, a URL) from a page's parsed body."""


class PaginationLoopError(RuntimeError):
    """The server pointed a pager back at a page it had already given (or off the API's host)."""


class Pagination(typing.Generic[T, R]):
    """How an endpoint pages: where the items are and how to ask for the next page."""

    def __init__(self, items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]]) -> None:
        self._items = items

    def items(self, page: R) -> typing.List[T]:
        return list(self._items(page) or ())

    def next_request(self, request: Request[R], response: HttpResponse[R]) -> typing.Optional[Request[R]]:
        """The request of the page after ``response`` (the answer to ``request``), or ``None`` after the last."""
        raise NotImplementedError


def _short(query: typing.Mapping[str, typing.Any], limit: typing.Optional[str], count: int) -> bool:
    """Whether a page has fewer items than the call's ``limit`` query parameter asked for (when it set one)."""
    asked = query.get(limit) if limit is not None else None
    return isinstance(asked, int) and not isinstance(asked, bool) and count < asked


def _no_more(has_more: typing.Optional[Read[R]], page: R) -> bool:
    """Whether the response's ``has_more`` flag (when there is one) says this is the last page."""
    return has_more is not None and has_more(page) is False


class PageNumberPagination(Pagination[T, R]):
    """Pages numbered by the query parameter ``param``, from ``first_page``.

    There is a next page while pages are not empty and, when the response has them, until
    ``total_pages`` says this was the last one or ``has_more`` is false; without either,
    until a page is shorter than the ``limit`` query parameter asked (when the call set it).
    """

    def __init__(
        self,
        param: str,
        items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]],
        first_page: int = 0,
        total_pages: typing.Optional[Read[R]] = None,
        has_more: typing.Optional[Read[R]] = None,
        limit: typing.Optional[str] = None,
    ) -> None:
        super().__init__(items)
        self._param = param
        self._first_page = first_page
        self._total_pages = total_pages
        self._has_more = has_more
        self._limit = limit

    def next_request(self, request: Request[R], response: HttpResponse[R]) -> typing.Optional[Request[R]]:
        page = response.data
        count = len(self.items(page))
        if not count or _no_more(self._has_more, page):
            return None
        query = request.query or {}
        current = query.get(self._param)
        number = self._first_page if current is None else int(current)
        total = self._total_pages(page) if self._total_pages is not None else None
        if isinstance(total, int) and number - self._first_page + 1 >= total:
            return None
        if self._total_pages is None and self._has_more is None and _short(query, self._limit, count):
            return None
        return request.with_query(self._param, number + 1)


class OffsetPagination(Pagination[T, R]):
    """Pages by item offset: the query parameter ``param`` moves on by the number of items received.

    There is a next page while pages are not empty and, when the response has them, the
    offset is below ``total`` and ``has_more`` is not false; without either, until a page is
    shorter than the ``limit`` query parameter asked (when the call set it).
    """

    def __init__(
        self,
        param: str,
        items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]],
        limit: typing.Optional[str] = None,
        total: typing.Optional[Read[R]] = None,
        has_more: typing.Optional[Read[R]] = None,
    ) -> None:
        super().__init__(items)
        self._param = param
        self._limit = limit
        self._total = total
        self._has_more = has_more

    def next_request(self, request: Request[R], response: HttpResponse[R]) -> typing.Optional[Request[R]]:
        page = response.data
        count = len(self.items(page))
        if not count or _no_more(self._has_more, page):
            return None
        query = request.query or {}
        offset = int(query.get(self._param) or 0) + count
        total = self._total(page) if self._total is not None else None
        if isinstance(total, int) and offset >= total:
            return None
        if self._total is None and self._has_more is None and _short(query, self._limit, count):
            return None
        return request.with_query(self._param, offset)


class CursorPagination(Pagination[T, R]):
    """Pages chained by a cursor: the query parameter ``param`` takes the response's ``next_cursor``,
    or the ``last_item`` value of the page's last item; iteration stops when there is none, or
    when ``has_more`` is false."""

    def __init__(
        self,
        param: str,
        items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]],
        next_cursor: typing.Optional[Read[R]] = None,
        has_more: typing.Optional[Read[R]] = None,
        last_item: typing.Optional[typing.Callable[[T], typing.Any]] = None,
    ) -> None:
        super().__init__(items)
        self._param = param
        self._next_cursor = next_cursor
        self._has_more = has_more
        self._last_item = last_item

    def next_request(self, request: Request[R], response: HttpResponse[R]) -> typing.Optional[Request[R]]:
        page = response.data
        if _no_more(self._has_more, page):
            return None
        cursor: typing.Any = None
        if self._next_cursor is not None:
            cursor = self._next_cursor(page)
        elif self._last_item is not None:
            items = self.items(page)
            cursor = self._last_item(items[-1]) if items else None
        if cursor is None or cursor == "":
            return None
        return request.with_query(self._param, cursor)


def _follow(request: Request[R], response: HttpResponse[R], url: typing.Any) -> typing.Optional[Request[R]]:
    """The request for the next-page ``url`` (relative to the response's), on the API's host only."""
    if not isinstance(url, str) or not url.strip():
        return None
    here = str(response.http_response.url)
    target = urllib.parse.urljoin(here, url.strip())
    if urllib.parse.urlsplit(target)[:2] != urllib.parse.urlsplit(here)[:2]:
        raise PaginationLoopError(f"the next page is on another host ({target}); not sending credentials there")
    return request.at_url(target)


class NextUrlPagination(Pagination[T, R]):
    """Pages linked by a URL in the body (``next``, ``links.next``...): fetched as it is, until there is none."""

    def __init__(self, items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]], next_url: Read[R]) -> None:
        super().__init__(items)
        self._next_url = next_url

    def next_request(self, request: Request[R], response: HttpResponse[R]) -> typing.Optional[Request[R]]:
        return _follow(request, response, self._next_url(response.data))


_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_NEXT = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def next_link(header: typing.Optional[str]) -> typing.Optional[str]:
    """The target of the ``rel="next"`` link of a ``Link`` header (RFC 8288), if any."""
    for target, params in _LINK.findall(header or ""):
        for quoted, bare in _NEXT.findall(params):
            if "next" in (quoted or bare).lower().split():
                return typing.cast(str, target)
    return None


class LinkHeaderPagination(Pagination[T, R]):
    """Pages linked by the ``Link`` response header's ``rel="next"`` (RFC 8288), until there is none."""

    def next_request(self, request: Request[R], response: HttpResponse[R]) -> typing.Optional[Request[R]]:
        return _follow(request, response, next_link(response.http_response.headers.get("link")))


def attribute_path(value: typing.Any, *names: str) -> typing.Any:
    """``value.a.b...``, or ``None`` as soon as a step is ``None``."""
    for name in names:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value


def _key(request: Request[typing.Any]) -> typing.Tuple[str, str]:
    """What tells two page requests apart: the path (or URL) and the query."""
    query = sorted((str(name), repr(value)) for name, value in (request.query or {}).items())
    return request.path, repr(query)


class _Page(typing.Generic[T, R]):
    __slots__ = ("_request", "_pagination", "_options", "_next", "_seen", "_depth", "items", "response")

    def __init__(
        self,
        request: Request[R],
        pagination: Pagination[T, R],
        response: HttpResponse[R],
        options: typing.Optional[RequestOptions],
        seen: typing.Optional[typing.Dict[typing.Tuple[str, str], int]] = None,
        depth: int = 0,
    ) -> None:
        self._request = request
        self._pagination = pagination
        self._options = options
        self._seen = seen
        """The requests of the pages walked so far (shared along the chain), with the depth each was first made
        at; made when the first page's next one is asked for, so that a call that reads one page pays nothing."""
        self._depth = depth
        self._next = pagination.next_request(request, response)
        self.items: typing.List[T] = pagination.items(response.data)
        """The items of this page."""
        self.response = response.data
        """The whole response this page came in."""

    @property
    def has_next(self) -> bool:
        """Whether there may be a next page (``False`` when this is known to be the last)."""
        return self._next is not None

    def _checked_next(self) -> Request[R]:
        """The next page's request, unless the server sent the pager back to a page it had already walked."""
        assert self._next is not None
        if self._seen is None:
            self._seen = {_key(self._request): 0}
        key = _key(self._next)
        first = self._seen.setdefault(key, self._depth + 1)
        if first <= self._depth:
            raise PaginationLoopError(
                f"page {self._depth + 2} would request page {first + 1} again ({key[0]} {key[1]}): "
                "the server repeated a cursor, offset or link; stopping instead of looping"
            )
        return self._next

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={self.items!r}, has_next={self.has_next})"


class SyncPager(_Page[T, R]):
    """One page of a paginated list; iterate over it for every item of every page."""

    __slots__ = ("_http",)

    def __init__(
        self,
        http: HttpClient,
        request: Request[R],
        pagination: Pagination[T, R],
        response: HttpResponse[R],
        options: typing.Optional[RequestOptions] = None,
        seen: typing.Optional[typing.Dict[typing.Tuple[str, str], int]] = None,
        depth: int = 0,
    ) -> None:
        super().__init__(request, pagination, response, options, seen, depth)
        self._http = http

    def next_page(self) -> typing.Optional[SyncPager[T, R]]:
        """The next page (one request), or ``None`` after the last; :class:`PaginationLoopError` on a repeat."""
        if self._next is None:
            return None
        request = self._checked_next()
        response = self._http.respond(request, self._options)
        return SyncPager(self._http, request, self._pagination, response, self._options, self._seen, self._depth + 1)

    def iter_pages(self) -> typing.Iterator[SyncPager[T, R]]:
        """This page and the following ones, each fetched when reached."""
        page: typing.Optional[SyncPager[T, R]] = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> typing.Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPager(_Page[T, R]):
    """One page of a paginated list; ``async for`` over it for every item of every page."""

    __slots__ = ("_http",)

    def __init__(
        self,
        http: AsyncHttpClient,
        request: Request[R],
        pagination: Pagination[T, R],
        response: HttpResponse[R],
        options: typing.Optional[RequestOptions] = None,
        seen: typing.Optional[typing.Dict[typing.Tuple[str, str], int]] = None,
        depth: int = 0,
    ) -> None:
        super().__init__(request, pagination, response, options, seen, depth)
        self._http = http

    async def next_page(self) -> typing.Optional[AsyncPager[T, R]]:
        """The next page (one request), or ``None`` after the last; :class:`PaginationLoopError` on a repeat."""
        if self._next is None:
            return None
        request = self._checked_next()
        response = await self._http.respond(request, self._options)
        return AsyncPager(self._http, request, self._pagination, response, self._options, self._seen, self._depth + 1)

    async def iter_pages(self) -> typing.AsyncIterator[AsyncPager[T, R]]:
        """This page and the following ones, each fetched when reached."""
        page: typing.Optional[AsyncPager[T, R]] = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> typing.AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item
