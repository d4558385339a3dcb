"""The cookie parameters of a real description (ReadMe's ``parameters-style.yaml``, 9 of them: a string,
an array and an object, in the default style, ``form`` not exploded and ``form`` exploded): each is a
keyword of its method, and the SDK sends them in one ``Cookie`` header to a loopback server. (Its SDK
is also under ``mypy --strict`` in ``test_corpus.py``.)"""

from __future__ import annotations

import importlib
import shutil
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import cli
from generator.pipeline import Project, build_ir
from tests.conftest import needs_shared
from tests.realworld.corpus import CORPUS
from tests.rest.scripted_server import ScriptedServer, json_reply

pytestmark = needs_shared("corpus", "readmeio-parameters-style")

PACKAGE = "corpus_cookie_styles"
SOURCE = CORPUS / "readmeio-parameters-style" / "parameters-style.yaml"


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("styles") / "parameters-style.yaml"
    shutil.copyfile(SOURCE, copy)
    return copy


@pytest.fixture(scope="module")
def styles(spec: Path) -> Iterator[typing.Any]:
    out = spec.parent / "sdk"
    assert cli.main(["generate", str(spec), "--out", str(out), "--package", PACKAGE]) == 0
    sys.path.insert(0, str(out / "src"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out / "src"))


def test_the_nine_cookie_parameters_are_generated(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = build_ir(Project.from_files([spec], package=PACKAGE))
    found = {
        e.py_name: [(p.name, p.py_name, p.explode) for p in e.cookie_params] for e in api.endpoints if e.cookie_params
    }
    assert found == {
        "cookies_standard": [("primitive", "primitive", True), ("array", "array", True), ("object", "object_", True)],
        "cookies_form_non_exploded": [
            ("primitive", "primitive", False),
            ("array", "array", False),
            ("object", "object_", False),
        ],
        "cookies_form_exploded": [
            ("primitive", "primitive", True),
            ("array", "array", True),
            ("object", "object_", True),
        ],
    }
    assert all(p.style == "form" for e in api.endpoints for p in e.cookie_params)
    assert "cookie" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("cookies_standard", "primitive=a%20b; array=x; array=y%3Bz; name=n; description=d%2C1"),
        ("cookies_form_non_exploded", "primitive=a%20b; array=x,y%3Bz; object=name,n,description,d%2C1"),
        ("cookies_form_exploded", "primitive=a%20b; array=x; array=y%3Bz; name=n; description=d%2C1"),
    ],
)
async def test_each_style_is_sent_in_one_cookie_header(
    styles: typing.Any, server: ScriptedServer, method: str, expected: str
) -> None:
    arguments = {"primitive": "a b", "array": ["x", "y;z"], "object_": {"name": "n", "description": "d,1"}}
    server.answer(json_reply({}))
    getattr(styles.CorpusCookieStylesClient(base_url=server.url).cookie, method)(**arguments)
    await getattr(styles.AsyncCorpusCookieStylesClient(base_url=server.url).cookie, method)(**arguments)
    assert len(server.requests) == 2
    for sent in server.requests:
        assert [value for name, value in sent.header_list if name.lower() == "cookie"] == [expected]
