"""The real public API descriptions of ``../shared/corpus`` (see its MANIFEST.md) as test cases.

``python -m tests.realworld.corpus <case> <folder>`` generates one case's SDK into
``<folder>`` (the specs folder links to the corpus) and imports every module of it; it prints
``ok <modules>``, or the located error and exits 2 when sdkgen refuses the description.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[str, ...]
    """The OpenAPI/Swagger documents, relative to the corpus; one SDK, a module each when several."""
    mypy: bool = False
    """Whether ``mypy --strict`` checks the SDK (a proportionate subset: the small and middling ones)."""

    @property
    def package(self) -> str:
        return "corpus_" + self.name.replace("-", "_")

    @property
    def folder(self) -> str:
        return self.files[0].split("/")[0]


CASES = (
    Case("assemblyai", ("assemblyai/openapi.yml",), mypy=True),
    Case("canton-json-ledger-api", ("canton-json-ledger-api/openapi.yaml",)),
    Case("deepgram", ("deepgram/openapi.yml",)),
    Case("elevenlabs", ("elevenlabs/api/openapi.json",)),
    Case("harbor", ("harbor/swagger.yaml",)),
    Case("kubernetes", ("kubernetes/swagger.json",)),
    Case("lichess", ("lichess/specs/lichess-api.yaml",)),
    Case("linode", ("linode/openapi.yaml",)),
    Case("mistral", ("mistral/openapi.yaml",)),
    Case("pagerduty", ("pagerduty/openapiv3.json",)),
    Case("readmeio-discriminators", ("readmeio-discriminators/discriminators.yaml",), mypy=True),
    Case("readmeio-file-uploads", ("readmeio-file-uploads/file-uploads.yaml",), mypy=True),
    Case("readmeio-parameters-style", ("readmeio-parameters-style/parameters-style.yaml",), mypy=True),
    Case("readmeio-polymorphism", ("readmeio-polymorphism/polymorphism.yaml",), mypy=True),
    Case("readmeio-schema-types", ("readmeio-schema-types/schema-types.yaml",), mypy=True),
    Case("readmeio-security", ("readmeio-security/security.yaml",), mypy=True),
    Case("readmeio-server-variables", ("readmeio-server-variables/server-variables.yaml",), mypy=True),
    Case("spotify", ("spotify/fixed-spotify-open-api.yml",)),
    Case(
        "supermq",
        tuple(
            f"supermq/apidocs/openapi/{name}.yaml"
            for name in (
                "alarms auth bootstrap certs channels clients domains groups http journal notifiers readers "
                "reports rules users"
            ).split()
        ),
        mypy=True,
    ),
    Case("train-travel", ("train-travel/openapi.yaml",), mypy=True),
)

EXCEPTIONS: dict[str, str] = {}
"""Cases sdkgen legitimately refuses, with the reason (say ``"harbor": "Swagger 2.0 is not read"``):
each must still be refused, the error naming the reason's first words, and a case that
generates must not be listed. None today: every description of the corpus generates."""

FRESH_LIMIT = 150
"""Modules imported first in a fresh module table per SDK (the rest follow): keeps the big ones fast."""


def settings(case: Case) -> dict[str, object]:
    many = len(case.files) > 1
    return {
        "package": case.package,
        "client": "Client",
        "async_client": "AsyncClient",
        "environments": {"production": {"base": "https://api.example.com"}},
        "sources": [
            {"file": "corpus/" + file, **({"module": Path(file).stem.replace("-", "_")} if many else {})}
            for file in case.files
        ],
    }


def fingerprint(case: Case) -> str:
    """What the verdict depends on: the generator, templates, these helpers, the case's corpus folder."""
    import pydantic

    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}|{settings(case)}".encode())
    folders = [REPO / "generator", REPO / "templates", Path(__file__).parent, CORPUS / case.folder]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run(case: Case, folder: Path) -> int:
    from generator.errors import SpecError
    from generator.pipeline import build_files
    from generator.write import write_tree
    from tests.realworld.sdk import import_each_module

    specs = folder / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    copy = specs / "corpus" / case.folder
    if not copy.exists():  # a copy, not a symlink: sdkgen reads nothing that resolves outside the specs folder
        shutil.copytree(CORPUS / case.folder, copy)
    (specs / "sdkgen.yaml").write_text(yaml.safe_dump(settings(case)), encoding="utf-8")
    try:
        files = build_files(specs)
    except SpecError as error:
        print(f"refused: {error}")
        return 2
    write_tree(files, folder / "out")
    modules = import_each_module(case.package, folder / "out" / "src", FRESH_LIMIT)
    print(f"ok {modules}")
    return 0


if __name__ == "__main__":
    by_name = {case.name: case for case in CASES}
    sys.exit(run(by_name[sys.argv[1]], Path(sys.argv[2])))
