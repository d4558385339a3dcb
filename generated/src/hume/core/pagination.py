"""Pagers: iterate over the items of a paginated list endpoint, fetching pages as needed.

A pager holds one page (``items``, and the whole ``response``). Iterating over it yields
the items of this page and of every following one; ``iter_pages()`` yields the pages.
The next page is requested only when needed, and not at all when the response says
there are no more.
"""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    from ._http_client import AsyncHttpClient, HttpClient, Request
    from .request_options import RequestOptions

__all__ = ["AsyncPager", "CursorPagination", "OffsetPagination", "Pagination", "SyncPager", "attribute_path"]


T = typing.TypeVar("T")
R = typing.TypeVar("R")


class Pagination(typing.Generic[T, R]):
    """How an endpoint pages: where the items are and how to ask for the next page."""

    def __init__(self, items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]]) -> None:
        self._items = items

    def items(self, page: R) -> typing.List[T]:
        return list(self._items(page) or ())

    def next_request(self, request: Request[R], page: R) -> typing.Optional[Request[R]]:
        raise NotImplementedError


class OffsetPagination(Pagination[T, R]):
    """Pages numbered by the query parameter ``param``, from ``first_page``.

    There is a next page while pages are not empty, or, when ``total_pages`` reads the
    page count from the response, until the last one.
    """

    def __init__(
        self,
        param: str,
        items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]],
        first_page: int = 0,
        total_pages: typing.Optional[typing.Callable[[R], typing.Optional[int]]] = None,
    ) -> None:
        super().__init__(items)
        self._param = param
        self._first_page = first_page
        self._total_pages = total_pages

    def next_request(self, request: Request[R], page: R) -> typing.Optional[Request[R]]:
        if not self._items(page):
            return None
        current = (request.query or {}).get(self._param)
        number = self._first_page if current is None else int(current)
        total = self._total_pages(page) if self._total_pages is not None else None
        if total is not None and number - self._first_page + 1 >= total:
            return None
        return request.with_query(self._param, number + 1)


class CursorPagination(Pagination[T, R]):
    """Pages chained by a cursor: the query parameter ``param`` takes the response's ``next_cursor``."""

    def __init__(
        self,
        param: str,
        items: typing.Callable[[R], typing.Optional[typing.Sequence[T]]],
        next_cursor: typing.Callable[[R], typing.Optional[typing.Any]],
    ) -> None:
        super().__init__(items)
        self._param = param
        self._next_cursor = next_cursor

    def next_request(self, request: Request[R], page: R) -> typing.Optional[Request[R]]:
        cursor = self._next_cursor(page)
        if cursor is None or cursor == "":
            return None
        return request.with_query(self._param, cursor)


def attribute_path(value: typing.Any, *names: str) -> typing.Any:
    """``value.a.b...``, or ``None`` as soon as a step is ``None``."""
    for name in names:
        if value is None:
            return None
        value = getattr(value, name, None)
    return value


class _Page(typing.Generic[T, R]):
    __slots__ = ("_request", "_pagination", "_options", "_next", "items", "response")

    def __init__(
        self,
        request: Request[R],
        pagination: Pagination[T, R],
        response: R,
        options: typing.Optional[RequestOptions],
    ) -> None:
        self._request = request
        self._pagination = pagination
        self._options = options
        self._next = pagination.next_request(request, response)
        self.items: typing.List[T] = pagination.items(response)
        """The items of this page."""
        self.response = response
        """The whole response this page came in."""

    @property
    def has_next(self) -> bool:
        """Whether there may be a next page (``False`` when this is known to be the last)."""
        return self._next is not None

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
        response: R,
        options: typing.Optional[RequestOptions] = None,
    ) -> None:
        super().__init__(request, pagination, response, options)
        self._http = http

    def next_page(self) -> typing.Optional[SyncPager[T, R]]:
        """The next page (one request), or ``None`` after the last."""
        if self._next is None:
            return None
        response = self._http.respond(self._next, self._options).data
        return SyncPager(self._http, self._next, self._pagination, response, self._options)

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
        response: R,
        options: typing.Optional[RequestOptions] = None,
    ) -> None:
        super().__init__(request, pagination, response, options)
        self._http = http

    async def next_page(self) -> typing.Optional[AsyncPager[T, R]]:
        """The next page (one request), or ``None`` after the last."""
        if self._next is None:
            return None
        response = (await self._http.respond(self._next, self._options)).data
        return AsyncPager(self._http, self._next, self._pagination, response, self._options)

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
