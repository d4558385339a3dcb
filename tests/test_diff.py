"""``sdkgen diff``: each rule on a pair of spec versions (the test APIs, changed one way at a time)."""

from __future__ import annotations

import shutil
import subprocess
import typing
from pathlib import Path

import pytest
import yaml

from generator import cli, diff
from generator.pipeline import build_ir
from tests.conftest import REPO

SPECS = REPO / "tests" / "specs"
Change = typing.Callable[[dict[str, typing.Any]], None]


def _copy(tmp_path: Path, api: str, name: str, document: str, change: Change | None = None) -> Path:
    folder = tmp_path / name
    shutil.copytree(SPECS / api, folder)
    if change is not None:
        path = folder / document
        data = yaml.safe_load(path.read_text())
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def _report(tmp_path: Path, change: Change, api: str = "petstore", document: str = "openapi/pets.yaml") -> diff.Report:
    old = build_ir(_copy(tmp_path, api, "old", document))
    new = build_ir(_copy(tmp_path, api, "new", document, change))
    return diff.compare(old, new)


def _found(report: diff.Report) -> set[tuple[str, str, str]]:
    return {(change.severity, change.path, change.what) for change in report.changes}


def _list_params(data: dict[str, typing.Any]) -> list[dict[str, typing.Any]]:
    return typing.cast(list[dict[str, typing.Any]], data["paths"]["/pets"]["get"]["parameters"])


def _schema(data: dict[str, typing.Any], name: str) -> dict[str, typing.Any]:
    return typing.cast(dict[str, typing.Any], data["components"]["schemas"][name])


def test_no_change_is_no_bump(tmp_path: Path) -> None:
    report = _report(tmp_path, lambda data: None)
    assert report.changes == [] and report.bump == "none" and report.suggested_version == "1.0.0"
    assert diff.format_text(report).splitlines()[-1] == "suggested bump: none"


def test_a_removed_method_is_breaking_and_a_new_one_additive(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        del data["paths"]["/pets/{pet_id}"]["delete"]
        data["paths"]["/pets/count"] = {
            "get": {
                "operationId": "countPets",
                "tags": ["pets"],
                "responses": {
                    "200": {"description": "n", "content": {"application/json": {"schema": {"type": "integer"}}}}
                },
            }
        }

    report = _report(tmp_path, change)
    found = _found(report)
    assert ("breaking", "method pets.delete_pet", "method removed") in found
    assert ("additive", "method pets.count_pets", "new method") in found
    assert (report.bump, report.suggested_version) == ("major", "2.0.0")


def test_parameters_new_required_or_optional_and_requiredness(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        params = _list_params(data)
        params.append({"name": "shop", "in": "query", "required": True, "schema": {"type": "string"}})
        params.append({"name": "sort", "in": "query", "schema": {"type": "string"}})
        next(p for p in params if p["name"] == "after")["required"] = True

    found = _found(_report(tmp_path, change))
    assert ("breaking", "method pets.list_pets(shop)", "new required parameter") in found
    assert ("additive", "method pets.list_pets(sort)", "new parameter") in found
    assert ("breaking", "method pets.list_pets(after)", "now required") in found


def test_a_parameter_that_becomes_optional_is_additive(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        del _schema(data, "NewPet")["required"]

    found = _found(_report(tmp_path, change))
    assert ("additive", "method pets.create_pet(name)", "now optional") in found


def test_request_types_may_widen_not_narrow(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        params = _list_params(data)
        next(p for p in params if p["name"] == "limit")["schema"] = {"type": "number", "default": 20}
        next(p for p in params if p["name"] == "after")["schema"] = {"type": "integer"}

    found = _found(_report(tmp_path, change))
    assert ("additive", "method pets.list_pets(limit)", "type int = 20 -> float = 20") not in found  # defaults differ
    assert any(c[0] == "breaking" and c[1] == "method pets.list_pets(after)" for c in found)
    assert ("breaking", "method pets.list_pets(after)", "type str -> int") in found


def test_request_fields_and_request_enum_values(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        new_pet = _schema(data, "NewPet")
        new_pet["properties"]["microchip"] = {"type": "string"}
        new_pet["properties"]["owner"] = {"type": "string"}
        new_pet["required"] = ["name", "owner"]
        del new_pet["properties"]["birthday"]
        _schema(data, "Species")["enum"] = ["cat", "rabbit"]

    found = _found(_report(tmp_path, change))
    assert ("breaking", "method pets.create_pet(owner)", "new required parameter") in found
    assert ("additive", "method pets.create_pet(microchip)", "new parameter") in found
    assert ("breaking", "method pets.create_pet(birthday)", "parameter removed") in found
    assert ("breaking", "type pets.Species = 'dog'", "enum value removed") in found
    assert ("additive", "type pets.Species = 'rabbit'", "new enum value") in found


def test_response_fields_and_response_enum_values(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        page = _schema(data, "PetPage")
        page["properties"]["total"] = {"type": "integer"}
        page["required"] = [*page["required"], "total"]
        info = _schema(data, "PageInfo")
        info["properties"] = {k: v for k, v in info["properties"].items() if k != "next_cursor"} or info["properties"]

    found = _found(_report(tmp_path, change))
    assert ("additive", "type pets.PetPage.total", "new required field") in found  # only read: users need not give it


def test_a_response_field_removed_or_made_optional_is_breaking(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        page = _schema(data, "PetPage")
        page["required"] = ["data"]
        del page["properties"]["data"]["items"]
        page["properties"]["data"]["items"] = {"$ref": "#/components/schemas/Pet"}

    found = _found(_report(tmp_path, change))
    assert ("breaking", "type pets.PetPage.page_info", "now optional") in found


def test_an_enum_value_the_server_stops_sending_is_not_breaking(tmp_path: Path) -> None:
    def add_status(values: list[str]) -> Change:
        def change(data: dict[str, typing.Any]) -> None:
            _schema(data, "PetPage")["properties"]["mood"] = {"$ref": "#/components/schemas/Mood"}
            data["components"]["schemas"]["Mood"] = {"type": "string", "enum": values}

        return change

    old = build_ir(_copy(tmp_path, "petstore", "old", "openapi/pets.yaml", add_status(["calm", "busy"])))
    new = build_ir(_copy(tmp_path, "petstore", "new", "openapi/pets.yaml", add_status(["calm"])))
    found = _found(diff.compare(old, new))
    assert ("additive", "type pets.Mood = 'busy'", "enum value removed") in found


def test_documentation_only_is_cosmetic_and_a_patch(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        data["paths"]["/pets"]["get"]["description"] = "Every pet, newest first."
        _schema(data, "NewPet")["properties"]["name"]["description"] = "The pet's name."

    report = _report(tmp_path, change)
    assert {change.severity for change in report.changes} == {"cosmetic"}
    assert ("cosmetic", "method pets.list_pets", "documentation changed") in _found(report)
    assert (report.bump, report.suggested_version) == ("patch", "1.0.1")


def test_socket_channels_send_methods_and_received_messages(tmp_path: Path) -> None:
    def change(data: dict[str, typing.Any]) -> None:
        data["operations"]["say"]["messages"] = [{"$ref": "#/channels/live/messages/say"}]
        data["operations"]["watch"]["messages"] = [{"$ref": "#/channels/presence/messages/online"}]

    report = _report(tmp_path, change, api="chatroom", document="asyncapi/realtime.yaml")
    kinds = {(c.severity, c.what) for c in report.changes}
    assert ("breaking", "send method removed") in kinds
    assert ("breaking", "received message removed") in kinds


def test_pre_1_0_versions_move_one_place_down() -> None:
    report = diff.Report("0.14.1", "0.14.1", [diff.Change("breaking", "method x", "method removed")])
    assert (report.bump, report.suggested_version) == ("minor", "0.15.0")
    report.changes = [diff.Change("additive", "method y", "new method")]
    assert (report.bump, report.suggested_version) == ("patch", "0.14.2")


def test_the_command_formats_and_fails_on_breaking_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _copy(tmp_path, "petstore", "old", "openapi/pets.yaml")
    new = _copy(
        tmp_path, "petstore", "new", "openapi/pets.yaml", lambda data: data["paths"]["/pets/{pet_id}"].pop("delete")
    )
    assert cli.main(["diff", "--from", str(old), "--specs", str(new)]) == 0
    text = capsys.readouterr().out
    assert "Breaking changes (1):\n  - method pets.delete_pet: method removed" in text
    assert text.splitlines()[-1] == "suggested bump: major"
    assert (
        cli.main(["diff", "--from", str(old), "--specs", str(new), "--format", "markdown", "--fail-on", "breaking"])
        == 1
    )
    markdown = capsys.readouterr().out
    assert markdown.startswith(
        "## petstore 2.0.0\n\n### Breaking changes\n\n- `method pets.delete_pet`: method removed"
    )
    assert markdown.splitlines()[-1] == "suggested bump: major"
    assert cli.main(["diff", "--from", str(old), "--specs", str(old), "--fail-on", "any"]) == 0


def test_from_git_reads_the_specs_at_a_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    specs = _copy(repo, "petstore", "specs", "openapi/pets.yaml")

    def git(*arguments: str) -> None:
        subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    path = specs / "openapi" / "pets.yaml"
    data = yaml.safe_load(path.read_text())
    data["paths"]["/pets/{pet_id}"].pop("delete")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert cli.main(["diff", "--from-git", "HEAD", "--specs", str(specs)]) == 0
    assert "method pets.delete_pet: method removed" in capsys.readouterr().out
    assert cli.main(["diff", "--from-git", "no-such-rev", "--specs", str(specs)]) == 2
    assert "git archive" in capsys.readouterr().err
