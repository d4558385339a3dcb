"""Build an IR from spec documents given as Python data, written to a temporary specs folder.

The documents are read by the real loader's registry but not validated against the
OpenAPI/AsyncAPI schemas, so tests can feed the normaliser input the loader would reject
(an unknown ``type``) and stay fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from generator import ir
from generator.load import LoadedSource, Registry
from generator.normalise import normalise
from generator.normalise.derive import complete
from generator.settings import read_settings

SETTINGS: dict[str, Any] = {
    "package": "demo",
    "client": "DemoClient",
    "async_client": "AsyncDemoClient",
    "environments": {"production": {"base": "https://api.example.com", "ws": "wss://ws.example.com"}},
    "auth": {"header": "X-Key", "env_var": "DEMO_KEY"},
}


def openapi(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An OpenAPI 3.1 document."""
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths or {}}
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    document.update(extra)
    return document


def operation(response: Any = None, **extra: Any) -> dict[str, Any]:
    """An operation answering 200 with a JSON ``response`` schema (or nothing)."""
    ok: dict[str, Any] = {"description": "ok"}
    if response is not None:
        ok["content"] = {"application/json": {"schema": response}}
    return {"responses": {"200": ok}, **extra}


def write(root: Path, files: dict[str, Any], sources: list[dict[str, Any]], **settings: Any) -> Path:
    """Write ``files`` (data as YAML, or JSON for ``.json``; text as is) and ``sdkgen.yaml``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            text = content
        elif name.endswith(".json"):
            text = json.dumps(content, ensure_ascii=False)
        else:
            text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
    (root / "sdkgen.yaml").write_text(yaml.safe_dump({**SETTINGS, **settings, "sources": sources}), encoding="utf-8")
    return root


def build(root: Path, files: dict[str, Any], sources: list[dict[str, Any]] | None = None, **settings: Any) -> ir.Api:
    """The IR of ``files``; by default every file is a source, in module ``demo`` (REST at ``base``)."""
    if sources is None:
        sources = [
            (
                {"file": name, "module": "demo"}
                if "asyncapi" in content
                else {"file": name, "module": "demo", "environment": "base"}
            )
            for name, content in files.items()
        ]
    write(root, files, sources, **settings)
    draft = read_settings(root)
    registry = Registry(root)
    documents = [registry.document(source.file) for source in draft.sources]
    loaded = tuple(
        LoadedSource(source, "asyncapi" if "asyncapi" in doc.data else "openapi", "3", doc, registry)
        for source, doc in zip(draft.sources, documents)
    )
    return normalise(*complete(draft, loaded))


def build_one(root: Path, document: dict[str, Any], **settings: Any) -> ir.Api:
    return build(root, {"api.yaml": document}, **settings)


def typedef(api: ir.Api, py_name: str) -> ir.TypeDef:
    matches = [t for t in api.types if t.py_name == py_name]
    assert len(matches) == 1, f"{py_name}: {[t.py_name for t in api.types]}"
    return matches[0]


def field(api: ir.Api, type_name: str, wire: str) -> ir.Field:
    found = typedef(api, type_name)
    assert isinstance(found, ir.ObjectType)
    return next(f for f in found.fields if f.name == wire)


def endpoint(api: ir.Api, endpoint_id: str) -> ir.Endpoint:
    return next(e for e in api.endpoints if e.id == endpoint_id)


def named(api: ir.Api, ref: ir.TypeRef | None) -> ir.TypeDef:
    assert isinstance(ref, ir.Named), ref
    return api.type_by_id(ref.id)
