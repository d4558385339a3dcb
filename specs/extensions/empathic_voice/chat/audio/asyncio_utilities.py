"""``Stream``: an async iterable fed from elsewhere, e.g. the audio of EVI's replies for playback."""

from __future__ import annotations

import asyncio
import typing

T = typing.TypeVar("T")


class _Closed:
    """Put in the queue by :meth:`Stream.aclose`: iteration stops when it comes out."""


_CLOSED = _Closed()


class Stream(typing.Generic[T]):
    """An async iterable that yields what is :meth:`put` into it, in order, until :meth:`aclose`.

    ::

        stream: Stream[bytes] = Stream.new()
        await stream.put(chunk)      # from one task
        async for chunk in stream:   # in another
            ...
    """

    def __init__(self, queue: asyncio.Queue[typing.Any]) -> None:
        self.queue = queue
        self._done = False

    @classmethod
    def new(cls) -> Stream[T]:
        """A stream with a queue of its own."""
        return cls(asyncio.Queue())

    @classmethod
    def from_queue(cls, queue: asyncio.Queue[typing.Any]) -> Stream[T]:
        """A stream of the items put into ``queue``."""
        return cls(queue)

    def __aiter__(self) -> typing.AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._done:
            raise StopAsyncIteration
        item = await self.queue.get()
        if item is _CLOSED:
            self._done = True
            raise StopAsyncIteration
        return typing.cast(T, item)

    async def put(self, item: T) -> None:
        """Add ``item`` to the end of the stream."""
        await self.queue.put(item)

    async def aclose(self) -> None:
        """End the stream: iteration stops once the items already put have been taken."""
        await self.queue.put(_CLOSED)
