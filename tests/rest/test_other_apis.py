"""An SDK generated from another API (tests/specs/petstore) at work: cursor pages, binary bodies, text."""

from __future__ import annotations

import importlib
import typing
from pathlib import Path

import pytest

from tests.rest.scripted_server import Drop, Reply, ScriptedServer, json_reply


@pytest.fixture(scope="module")
def petstore(other_sdks: Path) -> typing.Any:
    return importlib.import_module("petstore")


def pet(name: str) -> dict[str, typing.Any]:
    return {"id": f"id-{name}", "name": name, "pet_type": "cat", "species": "cat", "born": "2024-01-01", "tags": []}


def page(names: list[str], cursor: str | None) -> Reply:
    return json_reply({"data": [pet(n) for n in names], "page_info": {"next_cursor": cursor}})


def test_cursor_pagination_follows_the_cursor_until_there_is_none(petstore: typing.Any, server: ScriptedServer) -> None:
    server.answer(page(["a", "b"], "c1"), page(["c"], "c2"), page(["d"], None))
    client = petstore.PetstoreClient(api_key="k", base_url=server.url)
    names = [p.name for p in client.pets.list_pets(limit=2, species=["cat", "dog"])]
    assert names == ["a", "b", "c", "d"]
    assert [dict(r.query).get("after") for r in server.requests] == [None, "c1", "c2"]
    assert server.requests[0].query == [("limit", "2"), ("species", "cat,dog")]  # explode: false


def test_query_parameters_are_written_in_their_style(petstore: typing.Any, server: ScriptedServer) -> None:
    server.answer(page([], None))
    client = petstore.PetstoreClient(api_key="k", base_url=server.url)
    list(
        client.pets.list_pets(
            born={"from": "2024-01-01", "to": "2024-12-31"},
            colours=["black", "white"],
            traits={"calm": "yes", "loud": "no"},
            where={"name": {"$in": ["a", "b"]}},
        )
    )
    assert server.requests[0].query == [
        ("born[from]", "2024-01-01"),  # style: deepObject
        ("born[to]", "2024-12-31"),
        ("colours", "black|white"),  # style: pipeDelimited
        ("calm", "yes"),  # style: form, explode: true (an object spreads its properties)
        ("loud", "no"),
        ("where", '{"name":{"$in":["a","b"]}}'),  # content: application/json
    ]


async def test_async_cursor_pagination(petstore: typing.Any, server: ScriptedServer) -> None:
    server.answer(page(["a"], "c1"), page(["b"], ""))
    client = petstore.AsyncPetstoreClient(api_key="k", base_url=server.url)
    pager = await client.pets.list_pets()
    assert [p.name async for p in pager] == ["a", "b"]
    assert len(server.requests) == 2


def test_binary_download_and_multipart_upload(petstore: typing.Any, server: ScriptedServer, tmp_path: Path) -> None:
    client = petstore.PetstoreClient(api_key="k", base_url=server.url)
    server.answer(Reply(200, b"\x89PNG...", {"Content-Type": "image/png"}))
    assert b"".join(client.pets.photos.download("p1")) == b"\x89PNG..."
    photo = tmp_path / "cat.png"
    photo.write_bytes(b"\x89PNG-cat")
    server.answer(Reply(204))
    assert client.pets.photos.upload("p1", file=photo, caption="Tom") is None
    request = server.requests[0]
    assert request.method == "PUT" and request.path == "/pets/p1/photo"
    assert b'filename="cat.png"' in request.body and b"Content-Type: image/png" in request.body
    assert b"\x89PNG-cat" in request.body and b"Tom" in request.body


def test_text_response_and_environments(petstore: typing.Any, server: ScriptedServer) -> None:
    server.answer(Reply(200, b"ok", {"Content-Type": "text/plain"}))
    client = petstore.PetstoreClient(api_key="k", base_url=server.url)
    assert client.store.get_health() == "ok"
    environment = petstore.PetstoreEnvironment
    assert environment.STAGING.base == "https://staging.petstore.example.com/v1"
    assert petstore.PetstoreClient(api_key="k")._client_wrapper.environment == environment.PRODUCTION


def test_header_parameters_and_endpoints_without_auth(petstore: typing.Any, server: ScriptedServer) -> None:
    client = petstore.PetstoreClient(api_key="secret", base_url=server.url)
    server.answer(json_reply(pet("a")))
    assert client.pets.get_pet("p 1", x_request_id="r-1").name == "a"
    request = server.requests[0]
    assert request.path == "/pets/p%201"
    assert request.headers["x-request-id"] == "r-1" and request.headers["x-api-key"] == "secret"
    server.answer(json_reply({}))
    client.pets.delete_pet("p1")
    assert "x-request-id" not in server.requests[0].headers
    server.answer(Reply(200, b"ok", {"Content-Type": "text/plain"}))
    client.store.get_health()
    assert "x-api-key" not in server.requests[0].headers  # the operation declares no security


def test_an_idempotency_key_makes_a_post_safe_to_retry(petstore: typing.Any, server: ScriptedServer) -> None:
    """The document names Idempotency-Key for its unsafe methods: one key per call, the same on each attempt."""
    client = petstore.PetstoreClient(api_key="k", base_url=server.url)
    server.answer(Drop(), json_reply(pet("rex"), 201))
    assert client.pets.create_pet(name="rex").name == "rex"
    first, second = server.requests
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert len(first.headers["idempotency-key"]) == 36  # a UUID
    server.answer(json_reply(pet("rex"), 201))
    client.pets.create_pet(name="rex")
    assert server.requests[0].headers["idempotency-key"] != first.headers["idempotency-key"]
    client.pets.create_pet(name="rex", request_options={"additional_headers": {"Idempotency-Key": "mine"}})
    assert server.requests[1].headers["idempotency-key"] == "mine"


def test_a_declared_idempotency_header_is_a_parameter_and_filled_in_when_left_out(
    petstore: typing.Any, server: ScriptedServer
) -> None:
    client = petstore.PetstoreClient(api_key="k", base_url=server.url)
    rex = {"id": "id-rex", "name": "rex"}  # a dict for a model is checked against it: only its keys
    server.answer(json_reply({"pet": rex}))
    client.store.orders.place_order(pet=rex, x_idempotency_key="order-1")
    client.store.orders.place_order(pet=rex)
    given, generated = server.requests
    assert given.headers["x-idempotency-key"] == "order-1"
    assert len(generated.headers["x-idempotency-key"]) == 36
