"""The intermediate model's own behaviour: lookups and the JSON dump."""

from __future__ import annotations

import dataclasses

import pytest

from generator.ir import to_json
from generator.pipeline import build_ir
from tests.conftest import REPO


def test_type_by_id_is_an_index_neither_dumped_nor_compared() -> None:
    api = build_ir(REPO / "tests" / "specs" / "petstore")
    dumped = to_json(api)
    for typedef in api.types:
        assert api.type_by_id(typedef.id) is typedef
    with pytest.raises(KeyError):
        api.type_by_id("no such type")
    assert "_types_by_id" in vars(api)  # built once, on first use
    assert to_json(api) == dumped
    assert dataclasses.replace(api) == api


def test_group_looks_up_a_node_of_the_sub_client_tree() -> None:
    api = build_ir(REPO / "tests" / "specs" / "petstore")
    assert api.groups[0].path == ()
    for group in api.groups:
        assert api.group(group.path) is group
    with pytest.raises(KeyError):
        api.group(("no", "such", "group"))
