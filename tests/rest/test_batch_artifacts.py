"""``get_and_write_job_artifacts``: a hand-written method (specs/extensions/) of the generated batch client."""

from __future__ import annotations

import importlib
import typing
from pathlib import Path

import httpx
import pytest

from tests.rest.conftest import hume_api
from tests.rest.scripted_server import Drop, Reply, ScriptedServer

API = hume_api()
ARCHIVE = b"PK\x03\x04" + bytes(range(256)) * 64


def _client(server: ScriptedServer, sync: bool = True) -> typing.Any:
    package = importlib.import_module(API.package)
    return getattr(package, API.client if sync else API.async_client)(api_key="k", base_url=server.url)


def test_the_archive_is_written_to_the_file(server: ScriptedServer, tmp_path: Path) -> None:
    server.answer(
        Reply(200, ARCHIVE, {"Content-Type": "application/octet-stream"}, chunks=[ARCHIVE[:1000], ARCHIVE[1000:]])
    )
    target = tmp_path / "artifacts.zip"
    _client(server).expression_measurement.batch.get_and_write_job_artifacts(id="job 1", file_name=target)
    assert target.read_bytes() == ARCHIVE
    assert server.requests[0].path == "/v0/batch/jobs/job%201/artifacts"


async def test_async_writes_the_archive_too(server: ScriptedServer, tmp_path: Path) -> None:
    server.answer(Reply(200, ARCHIVE, {"Content-Type": "application/octet-stream"}))
    target = tmp_path / "artifacts.zip"
    await _client(server, sync=False).expression_measurement.batch.get_and_write_job_artifacts(
        id="job", file_name=str(target)
    )
    assert target.read_bytes() == ARCHIVE


def test_a_failed_download_leaves_no_file(server: ScriptedServer, tmp_path: Path) -> None:
    server.answer(Drop())
    target = tmp_path / "artifacts.zip"
    with pytest.raises(httpx.TransportError):
        _client(server).expression_measurement.batch.get_and_write_job_artifacts(
            id="job", file_name=target, request_options={"max_retries": 0}
        )
    assert not target.exists()
