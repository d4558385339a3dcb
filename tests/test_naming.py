"""Identifiers from spec names."""

from __future__ import annotations

import pytest

from generator import naming


@pytest.mark.parametrize(
    ("name", "snake", "pascal"),
    [
        ("HTTPValidationError", "http_validation_error", "HTTPValidationError"),
        ("return_config_public", "return_config_public", "ReturnConfigPublic"),
        ("list-configs", "list_configs", "ListConfigs"),
        ("getAudio", "get_audio", "GetAudio"),
        ("batch:UnionJob", "batch_union_job", "BatchUnionJob"),
        ("controlPlane_send_Response_200", "control_plane_send_response_200", "ControlPlaneSendResponse200"),
        ("mp3", "mp3", "Mp3"),
        ("3d model", "n_3d_model", "N3dModel"),
        ("café", "cafe", "Cafe"),
        ("日本", "u26085_u26412", "U26085U26412"),
        ("", "empty", "Empty"),
        ("  --  ", "empty", "Empty"),
        ("class", "class_", "Class"),
        ("_private", "private", "Private"),
    ],
)
def test_cases(name: str, snake: str, pascal: str) -> None:
    assert naming.snake(name) == snake
    assert naming.pascal(name) == pascal


def test_upper_snake_for_enum_members() -> None:
    assert naming.upper_snake("en-US") == "EN_US"
    assert naming.upper_snake("1") == "VALUE_1"
    assert naming.upper_snake("None") == "NONE"


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("json", "json_"),
        ("copy", "copy_"),
        ("dict", "dict_"),
        ("schema", "schema_"),
        ("model_config", "model_config_"),
        ("validate", "validate_"),
        ("construct", "construct_"),
        ("fields", "fields_"),
        ("self", "self_"),
        ("str", "str_"),
        ("type", "type"),
        ("id", "id"),
        ("model_provider", "model_provider"),
        ("from", "from_"),
        ("None", "none"),
    ],
)
def test_field_names_avoid_keywords_builtins_and_base_model(wire: str, expected: str) -> None:
    assert naming.field_name(wire) == expected


def test_param_names_only_avoid_what_breaks_a_method() -> None:
    assert naming.param_name("json") == "json"
    assert naming.param_name("list") == "list_"
    assert naming.param_name("self") == "self_"


def test_class_names_avoid_builtins_and_keywords() -> None:
    assert naming.class_name("exception") == "Exception_"
    assert naming.class_name("none") == "None_"
    assert naming.pascal("true") == "True_"
    assert naming.class_name("pet") == "Pet"


def test_dedupe_numbers_repeats_and_avoids_taken() -> None:
    assert naming.dedupe(["a", "a", "b", "a"], taken=["b"]) == ["a", "a_2", "b_2", "a_3"]


@pytest.mark.parametrize("name", ["", "0", "class", "日本語", "'\"\\\n", "None", "a b", "__init__"])
def test_every_result_is_an_identifier(name: str) -> None:
    for result in (
        naming.snake(name),
        naming.pascal(name),
        naming.upper_snake(name),
        naming.field_name(name),
        naming.class_name(name),
        naming.param_name(name),
    ):
        assert naming.is_identifier(result), result


def test_model_attributes_shadow_nothing_the_model_uses() -> None:
    names = ["id", "typing", "typing_", "dt", "pydantic", "list", "model_dump", "item", "class"]
    assert naming.model_attributes(names, ["item"]) == [
        "id",
        "typing_",
        "typing__",  # after the first field's attribute
        "dt_",
        "pydantic_",
        "list_",
        "model_dump_",
        "item_",  # a class the annotations use
        "class_",
    ]


def test_layout_names() -> None:
    assert naming.type_module("shop", ("store", "orders"), "HTTPError") == "shop.store.orders.types.http_error"
    assert naming.type_module("shop", (), "Order") == "shop.types.order"
    assert naming.client_classes(("store", "chat_groups"), "Shop", "AsyncShop") == (
        "ChatGroupsClient",
        "AsyncChatGroupsClient",
        "RawChatGroupsClient",
        "AsyncRawChatGroupsClient",
        "StreamingChatGroupsClient",
        "AsyncStreamingChatGroupsClient",
    )
    assert naming.client_classes((), "Shop", "AsyncShop") == (
        "Shop",
        "AsyncShop",
        "RawShop",
        "AsyncRawShop",
        "StreamingShop",
        "AsyncStreamingShop",
    )
