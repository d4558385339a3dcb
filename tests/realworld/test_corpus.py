"""sdkgen on every OpenAPI/Swagger description of ``../shared/corpus``: each generates, every
module imports and every model builds (a module table per sample of modules, see
``tests/realworld/sdk.py``); ``mypy --strict`` passes on the small and middling ones (the
largest take minutes: left out); five SDKs call a sample of their operations on a Prism mock
of their API; what is refused is listed in ``corpus.EXCEPTIONS`` with its reason, and a stale
entry fails.

The cases run two at a time (each in a child process), and a case whose inputs (generator,
templates, corpus folder, these helpers, Python and pydantic versions) are unchanged since it
last passed is not run again: its verdict is in pytest's cache. ``SDKGEN_CORPUS_FRESH=1``
ignores the cache.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import typing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import needs_shared
from tests.realworld.corpus import CASES, CORPUS, EXCEPTIONS, REPO, Case, fingerprint

pytestmark = needs_shared("corpus")

_DESCRIPTION = re.compile(r"""^ {0,2}["']?(openapi|swagger)["']?\s*:\s*["']?[23]\.""", re.MULTILINE)
"""A top-level ``openapi: 3.x`` or ``swagger: "2.0"`` key (YAML at column 0, pretty JSON at 2)."""


def _verdict(case: Case, folder: Path) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.realworld.corpus", case.name, str(folder)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = result.stdout.strip().splitlines()
    return result.returncode, (lines[-1] if lines else "") + ("\n" + result.stderr[-3000:] if result.returncode else "")


@pytest.fixture(scope="module")
def verdicts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Every case's (exit code, last output line), cached ones from pytest's cache."""
    root = tmp_path_factory.mktemp("corpus")
    cache = request.config.cache
    fresh = os.environ.get("SDKGEN_CORPUS_FRESH") == "1"
    keys = {case.name: fingerprint(case) for case in CASES}
    done: dict[str, tuple[int, str]] = {}
    todo = []
    for case in CASES:
        cached = None if fresh or cache is None else cache.get(f"sdkgen/corpus/{case.name}", None)
        if cached is not None and cached[0] == keys[case.name]:
            done[case.name] = (cached[1], cached[2])
        else:
            todo.append(case)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for case, verdict in zip(todo, pool.map(lambda case: _verdict(case, root / case.name), todo)):
            done[case.name] = verdict
            if cache is not None and verdict[0] in (0, 2):
                cache.set(f"sdkgen/corpus/{case.name}", [keys[case.name], verdict[0], verdict[1].splitlines()[0]])
    return done


def test_every_description_of_the_corpus_is_a_case() -> None:
    found = set()
    for path in CORPUS.rglob("*"):
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            if _DESCRIPTION.search(path.read_text(encoding="utf-8", errors="replace")):
                found.add(path.relative_to(CORPUS).as_posix())
    assert found == {file for case in CASES for file in case.files}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_description_generates_and_imports(case: Case, verdicts: dict[str, tuple[int, str]]) -> None:
    code, output = verdicts[case.name]
    if case.name in EXCEPTIONS:
        reason = EXCEPTIONS[case.name]
        assert code == 2, f"{case.name} is listed as refused ({reason}) but generates: remove the stale entry"
        assert reason.split(" (")[0].split(" is ")[0] in output, output
        return
    assert code == 0, output
    assert output.startswith("ok ") and int(output.split()[1]) > 10


def test_every_exception_is_a_case() -> None:
    assert set(EXCEPTIONS) <= {case.name for case in CASES}


@pytest.mark.parametrize("case", [c for c in CASES if c.mypy], ids=[c.name for c in CASES if c.mypy])
def test_corpus_sdk_passes_mypy_strict(case: Case, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    cache = request.config.cache
    key = "mypy-" + fingerprint(case)
    if (
        os.environ.get("SDKGEN_CORPUS_FRESH") != "1"
        and cache is not None
        and cache.get(f"sdkgen/corpus-mypy/{case.name}", None) == key
    ):
        return
    from tests.realworld.corpus import run

    assert run(case, tmp_path) == 0
    from mypy import api as mypy

    out, err, status = mypy.run(
        ["--strict", "--no-incremental", "--cache-dir", os.devnull, str(tmp_path / "out" / "src" / case.package)]
    )
    assert status == 0, (out + err)[-5000:]
    if cache is not None:
        cache.set(f"sdkgen/corpus-mypy/{case.name}", key)


def _sample(api: typing.Any, ref: typing.Any) -> typing.Any:
    """A value of a path parameter's type that Prism accepts, or None for a type not sampled."""
    from generator import ir

    if isinstance(ref, ir.Primitive):
        return {"string": "a1", "integer": 1, "number": 1.5, "boolean": True}.get(ref.name)
    if isinstance(ref, ir.Named):
        typedef = api.type_by_id(ref.id)
        if isinstance(typedef, ir.EnumType) and typedef.values:
            return typedef.values[0].value
        if isinstance(typedef, ir.AliasType):
            return _sample(api, typedef.target)
    return None


PRISM_CASES = ("train-travel", "spotify", "assemblyai", "deepgram", "mistral")
"""Descriptions whose SDKs call a Prism mock of them (small and middling ones, one process each)."""
PRISM_SAMPLE = 8
"""Operations called per SDK: the first GETs that need no argument and do not page."""


@pytest.mark.parametrize("name", PRISM_CASES)
def test_corpus_sdk_calls_a_mock_of_its_api(name: str, tmp_path: Path) -> None:
    """Prism (``--dynamic``: data made from the schemas) answers; every answer parses into the
    SDK's types, or is an error status the SDK raises as its ``ApiError``."""
    import importlib
    import time

    from generator.pipeline import build_ir
    from tests.realworld.corpus import run

    prism = REPO / "node_modules" / ".bin" / "prism"
    if not prism.exists():
        pytest.fail(f"Prism is not installed ({prism} is missing): run `npm ci`", pytrace=False)
    case = next(c for c in CASES if c.name == name)
    assert run(case, tmp_path) == 0
    api = build_ir(tmp_path / "specs")
    from tests.rest.conftest import free_port

    port = free_port()
    log = tmp_path / "prism.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(prism), "mock", "-d", str(CORPUS / case.files[0]), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
    src = str(tmp_path / "out" / "src")
    sys.path.insert(0, src)
    try:
        deadline = time.monotonic() + 60
        while "Prism is listening" not in log.read_text(errors="replace"):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.1)
        package = importlib.import_module(case.package)
        api_error = importlib.import_module(f"{case.package}.core.api_error")
        own = {"environment", "base_url", "headers", "timeout", "max_retries", "follow_redirects", "httpx_client"}
        own |= {"max_response_size", "max_line_size"}
        credentials = {n: "token" for n in inspect.signature(package.Client).parameters if n not in own}
        client = package.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": "Bearer token"}, **credentials
        )
        called = []
        for endpoint in api.endpoints:
            params = (*endpoint.path_params, *endpoint.query_params, *endpoint.header_params, *endpoint.cookie_params)
            arguments = {p.py_name: _sample(api, p.type) for p in endpoint.path_params}
            if (
                endpoint.http_method != "GET"
                or endpoint.body is not None
                or endpoint.pagination is not None
                or any(p.required and p.location != "path" for p in params)
                or None in arguments.values()
                or endpoint.response.kind not in ("json", "text", "empty")
            ):
                continue
            target = client
            for part in endpoint.group:
                target = getattr(target, part)
            try:
                getattr(target, endpoint.py_name)(**arguments)
            except api_error.MalformedResponseError as error:
                pytest.fail(f"{endpoint.id}: the mock's answer does not parse: {error}")
            except api_error.ApiError as error:
                assert error.status_code is not None and error.status_code >= 400, endpoint.id
            called.append(endpoint.id)
            if len(called) == PRISM_SAMPLE:
                break
        assert called, "no operation could be called without arguments"
    finally:
        sys.path.remove(src)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
