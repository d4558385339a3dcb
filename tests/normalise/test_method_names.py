"""Method names: an operationId's leading tag is cut when the method is on that tag's sub-client
(``repos/get`` -> ``client.repos.get``), unless the cut name would clash or is no plain name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Location
from generator.normalise.method_names import Named, method_names
from tests.normalise.helpers import build, openapi, operation, write
from tests.realworld.sdk import generate


def _names(*operations: tuple[tuple[str, ...], str, str | None]) -> list[str]:
    return method_names([Named(group, operation_id, given) for group, operation_id, given in operations])


def test_the_group_name_is_cut_from_the_operation_id() -> None:
    assert _names(
        (("repos",), "repos/get", None),
        (("pets",), "Pets_List", None),
        (("users",), "usersCount", None),
        (("a", "repos"), "repos.list-for-org", None),
    ) == ["get", "list", "count", "list_for_org"]


def test_a_name_that_does_not_start_with_the_group_is_kept() -> None:
    assert _names((("repos",), "listRepos", None), ((), "repos_get", None), (("repos",), "repos", None)) == [
        "list_repos",
        "repos_get",
        "repos",
    ]


def test_a_name_an_extension_gives_is_kept_as_written() -> None:
    assert _names((("repos",), "repos/get", "repos_get"), (("repos",), "repos/list", None)) == ["repos_get", "list"]


def test_a_cut_that_would_clash_is_not_made() -> None:
    # another method of the group has the name already, or would have it after its own cut
    assert _names((("repos",), "repos/get", None), (("repos",), "get", None)) == ["repos_get", "get"]
    assert _names((("repos",), "repos/get", None), (("repos",), "repos_repos_get", None)) == [
        "get",
        "repos_repos_get",  # its cut would be the first one's full name
    ]
    # the same name in another group is no clash
    assert _names((("repos",), "repos/get", None), (("gists",), "gists/get", None)) == ["get", "get"]


def test_a_cut_that_leaves_no_plain_name_is_not_made() -> None:
    assert _names(
        (("repos",), "repos/import", None),  # a keyword
        (("repos",), "repos/2fa", None),  # a digit first
        (("repos",), "repos/with_raw_response", None),  # what the SDK's clients have
        (("repos",), "repos/connect", None),
        (("repos",), "repos_hooks", None),  # a sub-client of the group
        (("repos", "hooks"), "hooks/list", None),
    ) == ["repos_import", "repos_2fa", "repos_with_raw_response", "repos_connect", "repos_hooks", "list"]


def test_methods_of_a_description_are_named_without_their_tag(tmp_path: Path) -> None:
    def op(operation_id: str, **extra: Any) -> dict[str, Any]:
        return {"operationId": operation_id, "tags": ["repos"], **operation({"type": "string"}), **extra}

    paths = {
        "/repos/{id}": {"get": op("repos/get"), "delete": op("repos/delete", **{"x-sdk-method": "repos_delete"})},
        "/repos": {"get": op("repos/list"), "post": op("create")},
    }
    api = build(tmp_path, {"api.yaml": openapi(paths)}, [{"file": "api.yaml"}])
    assert sorted((e.group, e.py_name) for e in api.endpoints) == [
        (("repos",), "create"),
        (("repos",), "get"),
        (("repos",), "list"),
        (("repos",), "repos_delete"),
    ]


def test_a_name_taken_twice_is_numbered_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    where = Location("api.yaml", "/paths/~1b/get", 8)
    names = method_names(
        [
            Named(("things",), "getThing", None),
            Named(("things",), "get_thing", None, where),
            Named(("things",), "with_raw_response", None),  # what every client has
            Named((), "close", None),  # what the root client has
            Named(("things",), "close", None),  # a sub-client may have a close method
            Named((), "things", None),  # the root client's sub-client
        ]
    )
    assert names == ["get_thing", "get_thing_2", "with_raw_response_2", "close_2", "close", "things_2"]
    err = capsys.readouterr().err
    assert (
        "api.yaml:8 at /paths/~1b/get: the method name 'things.get_thing' is taken (by another operation, "
        "a sub-client or the SDK); this operation's method is called 'get_thing_2'"
    ) in err
    assert err.count("warning") == 4


def test_a_method_named_like_a_builtin_keeps_the_builtin_in_annotations(tmp_path: Path) -> None:
    """``repos/list`` is ``client.repos.list``: in the client class, annotations after it say
    ``builtins.list`` (a plain ``list`` there names the method), and the SDK passes ``mypy --strict``
    and works."""

    def op(operation_id: str, response: dict[str, Any]) -> dict[str, Any]:
        return {"operationId": operation_id, "tags": ["repos"], **operation(response)}

    strings = {"type": "array", "items": {"type": "string"}}
    paths = {
        "/repos": {"get": op("repos/list", strings)},
        "/repos/names": {"get": op("repos/names", strings)},  # after list(): returns list[str]
        "/repos/sizes": {"get": op("repos/dict", {"type": "object", "additionalProperties": {"type": "integer"}})},
    }
    specs = write(tmp_path / "specs", {"api.yaml": openapi(paths)}, [{"file": "api.yaml"}], package="builtin_names")
    src = generate(specs, tmp_path / "out")
    client = (src / "builtin_names" / "repos" / "client.py").read_text(encoding="utf-8")
    assert "    def list(" in client and "    def dict(" in client and "-> builtins.list[str]:" in client
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "builtin_names"],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    program = """
import httpx
from builtin_names import DemoClient
answers = {"/repos": ["a"], "/repos/names": ["b"], "/repos/sizes": {"c": 1}}
client = DemoClient(api_key="k", httpx_client=httpx.Client(transport=httpx.MockTransport(
    lambda request: httpx.Response(200, json=answers[request.url.path]))))
print(client.repos.list(), client.repos.names(), client.repos.dict())
"""
    ran = subprocess.run([sys.executable, "-c", program], cwd=src, capture_output=True, text=True)
    assert ran.stdout.strip() == "['a'] ['b'] {'c': 1}", ran.stderr
