"""Every pagination shape and the Fern and Speakeasy extensions, on the small description of
``tests/rest/paging/``: what normalise decides (the IR), and the generated pagers walked against
a loopback server, sync and async, stopping on the last page and refusing to loop."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import ir
from generator.errors import SpecError
from generator.normalise.pagination import summary
from generator.pipeline import build_ir
from tests.normalise.helpers import build, openapi, operation
from tests.rest.scripted_server import Reply, ScriptedServer, json_reply

SPECS = Path(__file__).parent / "paging"


@pytest.fixture(scope="module")
def api() -> ir.Api:
    return build_ir(SPECS)


@pytest.fixture(scope="module")
def paging(tmp_path_factory: pytest.TempPathFactory) -> Iterator[typing.Any]:
    """The generated package ``paging``, importable."""
    from generator.pipeline import build_files
    from generator.write import write_tree

    root = tmp_path_factory.mktemp("paging-sdk")
    write_tree(build_files(SPECS), root)
    sys.path.insert(0, str(root / "src"))
    try:
        yield importlib.import_module("paging")
    finally:
        sys.path.remove(str(root / "src"))
        for name in [name for name in sys.modules if name == "paging" or name.startswith("paging.")]:
            del sys.modules[name]


def items(*names: str) -> list[dict[str, str]]:
    return [{"id": name} for name in names]


_LOOP: list[asyncio.AbstractEventLoop] = []
"""The event loop of the current test (an async client stays on the loop it first ran on)."""


def run(value: typing.Any) -> typing.Any:
    """What a sync call returned, or what an async one returns once awaited."""
    return _LOOP[0].run_until_complete(value) if inspect.iscoroutine(value) else value


def collect(iterable: typing.Any, into: list[typing.Any] | None = None) -> list[typing.Any]:
    """The values of an iterator or an async iterator (appended to ``into`` as they come)."""
    found = [] if into is None else into
    if not hasattr(iterable, "__aiter__"):
        found.extend(iterable)
        return found

    async def main() -> None:
        async for value in iterable:
            found.append(value)

    _LOOP[0].run_until_complete(main())
    return found


def walk(client: typing.Any, method: str, **kwargs: typing.Any) -> list[str]:
    """The ids of every item the pager of ``method`` yields, sync or async client alike."""
    return [item.id for item in collect(run(getattr(client, method)(**kwargs)))]


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, paging: typing.Any, server: ScriptedServer) -> Iterator[typing.Any]:
    cls = paging.PagingClient if request.param == "sync" else paging.AsyncPagingClient
    _LOOP[:] = [asyncio.new_event_loop()]
    try:
        yield cls(base_url=server.url)
    finally:
        _LOOP.pop().close()


# ---- what normalise decides -----------------------------------------------------------------


def _pagination(api: ir.Api, name: str) -> ir.Pagination | None:
    return next(endpoint for endpoint in api.endpoints if endpoint.id == name).pagination


def test_each_operation_gets_the_pagination_its_shapes_or_extensions_say(api: ir.Api) -> None:
    expected: dict[str, tuple[type[ir.Pagination] | None, str]] = {
        "list_cursor_items": (ir.CursorPagination, "detected: cursor parameter 'cursor', next cursor meta.next_cursor"),
        "list_stripe_items": (
            ir.CursorPagination,
            "detected: cursor parameter 'starting_after' takes the last item's id",
        ),
        "list_offset_items": (
            ir.OffsetPagination,
            "detected: offset parameter 'offset', items results, stops by total",
        ),
        "list_short_items": (
            ir.OffsetPagination,
            "detected: offset parameter 'offset', items items, stops on an empty",
        ),
        "list_pages": (
            ir.PageNumberPagination,
            "detected: page parameter 'page' from 1, items items, stops by total_pages",
        ),
        "list_linked": (ir.NextUrlPagination, "detected: next URL links.next"),
        "list_by_header": (ir.LinkHeaderPagination, "detected: Link header (the response is the list)"),
        "search_things": (ir.CursorPagination, "detected: cursor parameter 'page_token'"),
        "create_things": (None, ""),  # a POST that is no search
        "get_no_list": (None, ""),  # a cursor parameter, but no list: no guess
        "list_turned_off": (None, ""),  # x-sdk-pagination: false
        "list_overridden": (None, ""),  # the settings say so
        "list_fern_cursor": (ir.CursorPagination, "x-fern-pagination"),
        "list_fern_offset": (ir.PageNumberPagination, "x-fern-pagination"),
        "list_speakeasy": (ir.OffsetPagination, "x-speakeasy-pagination"),
    }
    for name, (case, origin) in expected.items():
        found = _pagination(api, name)
        if case is None:
            assert found is None, name
        else:
            assert isinstance(found, case) and found.origin.startswith(origin), (name, found)
    assert _pagination(api, "list_fern_cursor") == ir.CursorPagination(
        items=("entries",),
        item_type=ir.Named("openapi/api.yaml#/components/schemas/Item"),
        param="after",
        origin="x-fern-pagination",
        next_cursor=("meta", "next"),
    )
    assert summary(api.endpoints) == "pagination: 11 operations (cursor 4, offset 3, page 2, link 1, next URL 1)"


def test_the_decisions_are_in_sdkgen_ir() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "ir", "--specs", str(SPECS)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    endpoints = {e["id"]: e for e in json.loads(result.stdout)["endpoints"]}
    assert endpoints["list_offset_items"]["pagination"]["kind"] == "offset"
    assert endpoints["list_offset_items"]["pagination"]["origin"].startswith("detected: offset parameter")
    assert endpoints["list_by_header"]["pagination"]["kind"] == "link_header"
    assert result.stderr.count("warning") == 1  # an unread key (there twice): one warning, at its first place
    assert "api.yaml:8 at /x-fern-unknown-thing: x-fern-unknown-thing is not read" in result.stderr


def test_sdkgen_generate_prints_the_pagination_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    assert main(["generate", "--specs", str(SPECS), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "sdkgen: pagination: 11 operations (cursor 4, offset 3, page 2, link 1, next URL 1)"


def test_link_header_paging_can_be_turned_on_and_detection_off_in_the_settings(tmp_path: Path) -> None:
    listing = operation({"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}})
    document = openapi({"/things": {"get": {**listing, "operationId": "listThings"}}})
    source = {"file": "api.yaml", "module": "demo", "environment": "base"}
    api = build(tmp_path / "a", {"api.yaml": document}, [{**source, "pagination": {"link-header": True}}])
    assert isinstance(api.endpoints[0].pagination, ir.LinkHeaderPagination)
    api = build(tmp_path / "b", {"api.yaml": document}, [{**source, "pagination": {"detect": False}}])
    assert api.endpoints[0].pagination is None
    with pytest.raises(SpecError, match="pagination detect must be true or false"):
        build(tmp_path / "c", {"api.yaml": document}, [{**source, "pagination": {"detect": "no"}}])


def test_pagination_that_cannot_be_followed_is_an_error_in_ours_a_warning_in_other_dialects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = operation({"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}})
    cursor = {"name": "cursor", "in": "query", "schema": {"type": "string"}}
    listing["parameters"] = [cursor]
    listing["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["next_cursor"] = {
        "type": "string"
    }
    fern = {"cursor": "$request.after", "next_cursor": "$response.next", "results": "$response.data"}
    api = build(tmp_path / "a", {"api.yaml": openapi({"/things": {"get": {**listing, "x-fern-pagination": fern}}})})
    assert (
        "x-fern-pagination cursor 'after' is not a query parameter of the operation; finding" in capsys.readouterr().err
    )
    assert isinstance(api.endpoints[0].pagination, ir.CursorPagination)  # found from the shapes instead
    ours = {"kind": "cursor", "cursor": "after", "next-cursor": "next_cursor", "items": "data"}
    with pytest.raises(SpecError, match="x-sdk-pagination cursor 'after' is not a query parameter"):
        build(tmp_path / "b", {"api.yaml": openapi({"/things": {"get": {**listing, "x-sdk-pagination": ours}}})})


# ---- pagers against a loopback server ---------------------------------------------------------


def test_cursor_in_the_response(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"data": items("a", "b"), "meta": {"next_cursor": "c1"}}),
        json_reply({"data": items("c"), "meta": {"next_cursor": "c2"}}),
        json_reply({"data": items("d"), "meta": {"next_cursor": None}}),
    )
    assert walk(client, "list_cursor_items", limit=2) == ["a", "b", "c", "d"]
    assert [dict(r.query).get("cursor") for r in server.requests] == [None, "c1", "c2"]
    assert all(dict(r.query)["limit"] == "2" for r in server.requests)


def test_cursor_from_the_last_item_until_has_more_is_false(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"data": items("a", "b"), "has_more": True}),
        json_reply({"data": items("c"), "has_more": False}),
    )
    assert walk(client, "list_stripe_items") == ["a", "b", "c"]
    assert [dict(r.query).get("starting_after") for r in server.requests] == [None, "b"]


def test_offset_until_the_total(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"results": items("a", "b"), "total": 5}),
        json_reply({"results": items("c", "d"), "total": 5}),
        json_reply({"results": items("e"), "total": 5}),
    )
    assert walk(client, "list_offset_items") == ["a", "b", "c", "d", "e"]
    assert [dict(r.query).get("offset") for r in server.requests] == [None, "2", "4"]


def test_offset_stops_on_a_short_page(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"items": items("a", "b")}), json_reply({"items": items("c")}))
    assert walk(client, "list_short_items", limit=2) == ["a", "b", "c"]
    assert [dict(r.query).get("offset") for r in server.requests] == [None, "2"]


def test_page_numbers_until_the_page_count(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"items": items("a"), "total_pages": 3}),
        json_reply({"items": items("b"), "total_pages": 3}),
        json_reply({"items": items("c"), "total_pages": 3}),
    )
    assert walk(client, "list_pages") == ["a", "b", "c"]
    assert [dict(r.query).get("page") for r in server.requests] == [None, "2", "3"]


def test_next_url_in_the_body(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"data": items("a"), "links": {"next": "/linked?after=a"}}),
        json_reply({"data": items("b"), "links": {"next": server.url + "/linked?after=b&x=1"}}),
        json_reply({"data": items("c"), "links": {"next": None}}),
    )
    assert walk(client, "list_linked") == ["a", "b", "c"]
    assert [r.query for r in server.requests] == [[], [("after", "a")], [("after", "b"), ("x", "1")]]


def test_link_header(client: typing.Any, server: ScriptedServer) -> None:
    link = f'<{server.url}/headers?page=2&per_page=1>; rel="next", <{server.url}/headers?page=9>; rel="last"'
    server.answer(
        json_reply(items("a"), headers={"Link": link}),
        json_reply(items("b"), headers={"Link": f'<{server.url}/headers?page=1>; rel="prev first"'}),
    )
    assert walk(client, "list_by_header", per_page=1) == ["a", "b"]
    assert [r.query for r in server.requests] == [[("per_page", "1")], [("page", "2"), ("per_page", "1")]]


def test_a_post_search_sends_its_body_with_every_page(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"things": items("a"), "next_page_token": "t1"}),
        json_reply({"things": items("b"), "next_page_token": ""}),
    )
    assert walk(client, "search_things", query="q") == ["a", "b"]
    assert [(r.method, json.loads(r.body), dict(r.query).get("page_token")) for r in server.requests] == [
        ("POST", {"query": "q"}, None),
        ("POST", {"query": "q"}, "t1"),
    ]


def test_fern_and_speakeasy_pagination(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"entries": items("a"), "meta": {"next": "n"}}), json_reply({"entries": items("b")}))
    assert walk(client, "list_fern_cursor") == ["a", "b"]
    assert [dict(r.query).get("after") for r in server.requests] == [None, "n"]
    server.answer(json_reply({"entries": items("a")}), json_reply({"entries": []}))
    assert walk(client, "list_fern_offset") == ["a"]
    assert [dict(r.query).get("page") for r in server.requests] == [None, "2"]
    server.answer(json_reply({"data": items("a", "b")}), json_reply({"data": items("c")}))
    assert walk(client, "list_speakeasy", take=2) == ["a", "b", "c"]
    assert [dict(r.query).get("skip") for r in server.requests] == [None, "2"]


def test_a_repeated_cursor_ends_with_an_error_not_a_loop(
    client: typing.Any, paging: typing.Any, server: ScriptedServer
) -> None:
    server.answer(
        json_reply({"data": items("a"), "meta": {"next_cursor": "c1"}}),
        json_reply({"data": items("b"), "meta": {"next_cursor": "c1"}}),  # the same cursor again, forever
    )
    seen: list[typing.Any] = []
    with pytest.raises(paging.core.PaginationLoopError, match="page 3 would request page 2 again"):
        collect(run(client.list_cursor_items()), seen)
    assert [item.id for item in seen] == ["a", "b"] and len(server.requests) == 2


def test_a_next_url_on_another_host_is_not_followed(
    client: typing.Any, paging: typing.Any, server: ScriptedServer
) -> None:
    server.answer(json_reply({"data": items("a"), "links": {"next": "https://elsewhere.example/linked?p=2"}}))
    with pytest.raises(paging.core.PaginationLoopError, match="another host"):
        walk(client, "list_linked")
    assert len(server.requests) == 1


def test_iter_pages_gives_whole_pages(paging: typing.Any, server: ScriptedServer) -> None:
    server.answer(
        json_reply({"items": items("a", "b"), "total_pages": 2}), json_reply({"items": items("c"), "total_pages": 2})
    )
    pager = paging.PagingClient(base_url=server.url).list_pages()
    pages = list(pager.iter_pages())
    assert [[item.id for item in page.items] for page in pages] == [["a", "b"], ["c"]]
    assert [page.has_next for page in pages] == [True, False] and pages[1].response.total_pages == 2


# ---- the other extensions -------------------------------------------------------------------


def test_fern_and_speakeasy_names_groups_and_ignores(paging: typing.Any, api: ir.Api) -> None:
    client = paging.PagingClient(base_url="http://127.0.0.1:9")
    assert callable(client.media.clips.list_all)  # x-fern-sdk-group-name: [media, clips] + x-fern-sdk-method-name
    assert callable(client.admin.users.fetch)  # x-speakeasy-group: admin.users + x-speakeasy-name-override
    assert callable(client.admin.users.add)  # x-sdk-group / x-sdk-method win over Fern's
    assert not hasattr(client, "people")
    assert {endpoint.operation_id for endpoint in api.endpoints}.isdisjoint({"hiddenByFern", "hiddenBySpeakeasy"})
    assert [e.name for e in api.environments] == ["primary", "europe"]  # x-fern-server-name, then the description
    assert paging.PagingClientEnvironment.PRIMARY.base == "https://api.paging.example.com"
    assert importlib.import_module("paging.types").CompletionResult.__name__ == "CompletionResult"  # x-fern-type-name


def test_fern_streaming_with_a_stream_condition_gives_two_methods(client: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"text": "hello"}))
    assert run(client.complete(prompt="p")).text == "hello"
    assert json.loads(server.requests[0].body) == {"prompt": "p"}
    events = b'data: {"delta": "hel"}\n\ndata: {"delta": "lo"}\n\n'
    server.answer(Reply(200, events, {"Content-Type": "text/event-stream"}))
    assert [chunk.delta for chunk in collect(client.complete_stream(prompt="p", stream=True))] == ["hel", "lo"]
    assert json.loads(server.requests[0].body) == {"prompt": "p", "stream": True}


def test_speakeasy_retries_make_a_post_retried(client: typing.Any, paging: typing.Any, server: ScriptedServer) -> None:
    failed = Reply(500, b"{}", {"Content-Type": "application/json", "Retry-After": "0"})
    server.answer(failed, json_reply({"id": "u"}))
    assert run(client.admin.users.add(name="n")).id == "u"
    assert len(server.requests) == 2  # x-speakeasy-retries: the POST is retried
    server.answer(failed, json_reply({"data": [], "next_cursor": ""}))
    with pytest.raises(paging.core.ApiError):
        run(client.create_things())
    assert len(server.requests) == 1  # a POST without it is sent once


def test_the_generated_package_passes_mypy_strict(paging: typing.Any, tmp_path: Path) -> None:
    src = Path(paging.__file__).parents[1]
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "paging"]
    result = subprocess.run(command, cwd=src, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
