"""Big untagged APIs: operations no tag or group extension places are grouped into sub-clients by
their leading path segments (automatically from PATH_GROUPS_FROM untagged operations; the source's
``path_groups`` setting says otherwise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.normalise.openapi import PATH_GROUPS_FROM, path_group
from generator.pipeline import build_ir
from tests.normalise.helpers import openapi, operation, write
from tests.realworld.sdk import generate, import_each_module


def test_path_group_skips_what_names_nothing() -> None:
    assert path_group("/api/v1/projects/{id}/issues", 1, ()) == ("projects",)
    assert path_group("/api/v1/projects/{id}/issues", 2, ("demo",)) == ("demo", "projects", "issues")
    assert path_group("/2024-01-01/ip-allow-lists", 1, ()) == ("ip_allow_lists",)
    assert path_group("/close", 1, ()) == ("close_api",)  # the root client's own method
    assert path_group("/types/{id}", 1, ()) == ("types_api",)  # a module of the SDK
    assert path_group("/", 1, ()) == ()
    assert path_group("/projects", 0, ()) == ()


def _untagged(count: int, **tagged: Any) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for index in range(count):
        resource = ("projects", "users", "teams")[index % 3]
        paths[f"/v2/{resource}/{{id}}/item{index}"] = {
            "get": {
                "operationId": f"get{resource.title()}Item{index}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                **operation({"type": "string"}),
            }
        }
    paths["/v2/health"] = {"get": {"operationId": "health", "tags": ["status"], **operation({"type": "string"})}}
    paths["/v2/grouped"] = {"get": {"operationId": "grouped", "x-sdk-group": ["misc"], **operation({"type": "string"})}}
    return openapi(paths)


def test_a_big_untagged_api_is_grouped_by_leading_path_segment(tmp_path: Path) -> None:
    write(tmp_path, {"api.yaml": _untagged(PATH_GROUPS_FROM)}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    groups = {e.py_name: e.group for e in api.endpoints}
    assert groups["get_projects_item0"] == ("projects",) and groups["get_users_item1"] == ("users",)
    assert groups["health"] == ("status",) and groups["grouped"] == ("misc",)  # tags and extensions first
    assert not [e for e in api.endpoints if e.group == ()]
    src = generate(tmp_path, tmp_path / "out")
    import_each_module("demo", src, fresh_limit=10)
    assert "class ProjectsClient" in (src / "demo" / "projects" / "client.py").read_text(encoding="utf-8")


def test_a_small_untagged_api_keeps_its_methods_on_the_client(tmp_path: Path) -> None:
    write(tmp_path, {"api.yaml": _untagged(PATH_GROUPS_FROM - 1)}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    assert {e.group for e in api.endpoints if e.py_name.startswith("get_")} == {()}


@pytest.mark.parametrize(("setting", "expected"), [(0, ()), (1, ("projects",)), (2, ("projects", "item0"))])
def test_path_groups_setting_overrides(tmp_path: Path, setting: int, expected: tuple[str, ...]) -> None:
    count = 3 if setting else PATH_GROUPS_FROM
    write(tmp_path, {"api.yaml": _untagged(count)}, [{"file": "api.yaml", "path_groups": setting}])
    api = build_ir(tmp_path)
    assert next(e for e in api.endpoints if e.py_name == "get_projects_item0").group == expected


def test_a_bad_path_groups_setting_is_a_located_error(tmp_path: Path) -> None:
    write(tmp_path, {"api.yaml": _untagged(3)}, [{"file": "api.yaml", "path_groups": "yes"}])
    with pytest.raises(SpecError, match="'path_groups' must be a number") as caught:
        build_ir(tmp_path)
    assert caught.value.location is not None and caught.value.location.pointer == "/sources/0/path_groups"


def test_the_first_call_of_a_method_imports_its_endpoint_alone(tmp_path: Path) -> None:
    """Each endpoint of a group is defined by its own function in ``_endpoints``: calling one method
    imports its response model and error body, not those of the group's other endpoints."""

    def answering(model: str, error: str, listed: bool = False) -> dict[str, Any]:
        schema = {"$ref": f"#/components/schemas/{model}"}
        ok = operation({"type": "array", "items": schema} if listed else schema, tags=["things"])
        ok["responses"]["404"] = {
            "description": "missing",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{error}"}}},
        }
        return ok

    def model(field: str) -> dict[str, Any]:
        return {"type": "object", "properties": {field: {"type": "string"}}}

    paths = {
        # a method named like a builtin class: its definition's function must not stand for ``list``
        "/a": {"get": {"operationId": "list", **answering("ThingA", "MissingA", listed=True)}},
        "/b": {"get": {"operationId": "getB", **answering("ThingB", "MissingB")}},
    }
    schemas = {"ThingA": model("a"), "ThingB": model("b"), "MissingA": model("why"), "MissingB": model("why")}
    write(tmp_path, {"api.yaml": openapi(paths, schemas)}, [{"file": "api.yaml"}])
    src = generate(tmp_path, tmp_path / "out")
    program = """
import sys, httpx
from demo import DemoClient
client = DemoClient(api_key="k", httpx_client=httpx.Client(transport=httpx.MockTransport(
    lambda request: httpx.Response(200, json=[{"a": "1"}] if request.url.path == "/a" else {"b": "2"}))))
def loaded():
    return sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("demo.types."))
assert client.things.list()[0].a == "1"
print(loaded())
assert client.things.get_b().b == "2"
print(loaded())
"""
    result = subprocess.run([sys.executable, "-c", program], cwd=src, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['missing_a', 'thing_a']",
        "['missing_a', 'missing_b', 'thing_a', 'thing_b']",
    ]
