"""Whole specs folders through the real loader: two small non-Hume APIs, and Hume's."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import ir
from generator.cli import main
from generator.pipeline import build_ir, resolve
from tests.conftest import REPO, SPECS
from tests.normalise.helpers import endpoint, field, named, typedef

PETSTORE = REPO / "tests" / "specs" / "petstore"
CHATROOM = REPO / "tests" / "specs" / "chatroom"


@pytest.fixture(scope="module")
def petstore() -> ir.Api:
    return build_ir(PETSTORE)


@pytest.fixture(scope="module")
def chatroom() -> ir.Api:
    return build_ir(CHATROOM)


def test_petstore_types(petstore: ir.Api) -> None:
    assert [(".".join(t.module), t.py_name) for t in petstore.types] == [
        ("pets", "AnyPet"),
        ("pets", "Cat"),
        ("pets", "Dog"),
        ("pets", "Error"),
        ("pets", "ListPetsBorn"),
        ("pets", "NewPet"),
        ("pets", "NewPetVaccinationsItem"),
        ("pets", "PageInfo"),
        ("pets", "Pet"),
        ("pets", "PetPage"),
        ("pets", "PetStatus"),
        ("pets", "Species"),
        ("pets", "UploadRequest"),
        ("store", "Order"),
        ("store", "OrderShipping"),
        ("store", "OrderStatus"),
    ]
    pet = typedef(petstore, "Pet")
    assert isinstance(pet, ir.ObjectType)
    assert [f.name for f in pet.fields] == ["name", "tag", "birthday", "vaccinations", "id", "status"]
    assert field(petstore, "Pet", "id").read_only
    assert field(petstore, "Pet", "status").default == "available"
    any_pet = typedef(petstore, "AnyPet")
    assert isinstance(any_pet, ir.UnionType) and any_pet.discriminator is not None
    assert [value for value, _ in any_pet.discriminator.mapping] == ["cat", "dog"]
    assert field(petstore, "Order", "pet").type == ir.Named("openapi/pets.yaml#/components/schemas/Pet")


def test_petstore_endpoints(petstore: ir.Api) -> None:
    assert [e.id for e in petstore.endpoints] == [
        "pets.list_pets",
        "pets.create_pet",
        "pets.get_pet",
        "pets.delete_pet",
        "pets.photos.upload",
        "pets.photos.download",
        "store.get_inventory",
        "store.get_health",
        "store.orders.place_order",
    ]
    listing = endpoint(petstore, "pets.list_pets")
    assert listing.pagination == ir.CursorPagination(
        items=("data",),
        item_type=ir.Named("openapi/pets.yaml#/components/schemas/Pet"),
        param="after",
        origin="x-sdk-pagination",
        next_cursor=("page_info", "next_cursor"),
    )
    assert [p.name for p in listing.header_params] == []
    assert listing.query_params[2].explode is False
    get_pet = endpoint(petstore, "pets.get_pet")
    assert [(p.name, p.required, p.description) for p in get_pet.header_params] == [
        ("X-Request-Id", True, "Overridden by the operation.")
    ]
    assert endpoint(petstore, "pets.delete_pet").header_params[0].required is False
    upload = endpoint(petstore, "pets.photos.upload")
    assert upload.body is not None and [(f.name, f.content_type) for f in upload.body.fields] == [
        ("file", "image/png, image/jpeg"),
        ("caption", None),
    ]
    assert endpoint(petstore, "pets.photos.download").response.kind == "binary"
    assert endpoint(petstore, "store.get_inventory").response.type == ir.MapOf(ir.Primitive("integer", "int32"))
    assert endpoint(petstore, "store.get_health").auth is False
    assert [(e.status, e.class_name) for e in endpoint(petstore, "pets.create_pet").errors] == [
        (409, "ConflictError"),
        (418, "Status418Error"),
    ]
    assert {e.environment for e in petstore.endpoints} == {"base"}
    assert [g.path for g in petstore.groups] == [(), ("pets",), ("pets", "photos"), ("store",), ("store", "orders")]


def test_chatroom_rest_part(chatroom: ir.Api) -> None:
    listing = endpoint(chatroom, "rooms.list_rooms")
    assert listing.pagination is not None
    assert isinstance(listing.pagination, ir.PageNumberPagination)
    assert (listing.pagination.param, listing.pagination.first_page) == ("page", 1)
    assert listing.pagination.total_pages == ("total_pages",)
    assert named(chatroom, listing.pagination.item_type).py_name == "Room"
    assert endpoint(chatroom, "rooms.stream_transcript").response.kind == "sse"
    create = endpoint(chatroom, "rooms.create_room")
    assert create.body is not None and create.body.kind == "json"
    assert field(chatroom, "CreateRoomRequest", "topic").type == ir.Nullable(ir.Primitive("string"))


def test_chatroom_channels(chatroom: ir.Api) -> None:
    presence, live = chatroom.channels
    assert (live.id, live.environment, live.address, live.discriminator) == (
        "rooms.live",
        "realtime",
        "/rooms/{room_id}/live",
        None,
    )
    assert live.auth == (ir.ChannelAuth("header", "Authorization-Key"), ir.ChannelAuth("query", "key"))
    assert [p.name for p in live.query_params] == ["nickname", "history"]
    assert [(m.name, m.send_method) for m in live.publish] == [("Say", "send_say"), ("Voice", "send_voice")]
    assert [(m.name, m.type) for m in live.subscribe] == [
        ("Heard", ir.Named("openapi/rooms.yaml#/components/schemas/Line")),
        ("Voice", ir.Primitive("binary")),
    ]
    assert (presence.id, presence.group, presence.discriminator) == ("presence", ("presence",), "type")
    assert [(m.name, m.tag, m.send_method) for m in presence.publish] == [("SetStatus", "set_status", "set_status")]
    assert [(m.name, m.tag) for m in presence.subscribe] == [("Online", "online"), ("Offline", "offline")]
    online = typedef(chatroom, "Online")
    assert online.module == ()
    assert field(chatroom, "Online", "member").type == ir.Named("openapi/rooms.yaml#/components/schemas/Member")


@pytest.mark.parametrize("folder", [PETSTORE, CHATROOM])
def test_ir_json_is_stable(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = ir.to_json(build_ir(folder))
    assert ir.to_json(build_ir(folder)) == first
    assert main(["ir", "--specs", str(folder)]) == 0
    assert capsys.readouterr().out == first


def _hume_ready() -> bool:
    try:
        resolve(SPECS)
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _hume_ready(), reason="specs/ does not have every source listed in specs/sdkgen.yaml yet")
def test_hume_facts() -> None:
    api = build_ir(SPECS)
    configs = endpoint(api, "empathic_voice.configs.list_configs")
    assert isinstance(configs.pagination, ir.PageNumberPagination)
    assert configs.pagination.items == ("configs_page",)
    assert configs.pagination.param == "page_number"
    assert endpoint(api, "tts.synthesize_json_streaming").response.kind == "sse"
    batch_posts = [e for e in api.endpoints if e.http_method == "POST" and e.path == "/v0/batch/jobs"]
    assert len(batch_posts) == 2
    assert {e.body.kind for e in batch_posts if e.body} == {"json", "multipart"}
    assert not any(p.name.lower() == "x-hume-api-key" for e in api.endpoints for p in e.header_params)
    chat = next(c for c in api.channels if c.id == "empathic_voice.chat")
    assert chat.environment == "evi" and chat.discriminator == "type"
    assert any(m.send_method == "send_session_settings" for m in chat.publish)
    assert ir.to_json(build_ir(SPECS)) == ir.to_json(api)
