"""Per-call options, accepted by every API method as ``request_options``."""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    import httpx

__all__ = ["RequestOptions"]


class RequestOptions(typing.TypedDict, total=False):
    """Options for one call; every key is optional.

    - ``timeout_in_seconds``: how long to wait for the server (seconds, or an ``httpx.Timeout``),
      instead of the client's timeout.
    - ``max_retries``: how many times to retry a failed attempt, instead of the client's (default 2).
    - ``additional_headers``: headers to add to (or override in) the request.
    - ``additional_query_parameters``: query parameters to add to the request.
    - ``additional_body_parameters``: properties to add to a JSON body, or fields to a form.
    - ``chunk_size``: the size of the chunks a binary download is read in.
    """

    timeout_in_seconds: typing.Union[float, httpx.Timeout]
    max_retries: int
    additional_headers: typing.Dict[str, typing.Any]
    additional_query_parameters: typing.Dict[str, typing.Any]
    additional_body_parameters: typing.Dict[str, typing.Any]
    chunk_size: int
