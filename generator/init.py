"""``sdkgen init``: a specs folder for loose description files, with the settings sdkgen derives.

The folder gets a copy of every document the descriptions load (``$ref``'d files too, at the
same relative places) and an ``sdkgen.yaml`` that spells out every derived setting with a
comment, so that generating from the folder gives what generating from the files gives, and
the user has one place to change names, environments, credentials and groups.

A description with no server URL sdkgen can use (none, a relative one, a variable without a
default) gets no ``environments``: its client takes the API's URL as ``base_url``, and the
settings say how to give it a default.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generator.errors import Location, SpecError
from generator.ir import SecurityScheme, only_api_key
from generator.settings import SETTINGS_FILE, Settings

_HEADER = """\
# sdkgen settings, written by `sdkgen init` from what it derived of the descriptions below.
# Edit freely: every key but `sources` may also be left out, and sdkgen derives it again.
# The format is described in sdkgen's docs/spec-format.md.
"""


def _scalar(value: Any) -> str:
    """A YAML scalar: strings double-quoted (JSON's escapes are YAML's), so no value is misread."""
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False)


def settings_text(
    settings: Settings,
    schemes: tuple[SecurityScheme, ...],
    groups: tuple[tuple[str, str], ...],
) -> str:
    """``sdkgen.yaml`` for ``settings`` and the credentials and groups read from the documents, commented."""
    lines = [_HEADER.rstrip("\n")]
    lines += [
        "",
        "# Python import name of the generated package, and its name on PyPI.",
        f"package: {_scalar(settings.package)}",
        f"distribution: {_scalar(settings.distribution)}",
        "# Version of the generated package.",
        f"version: {_scalar(settings.version)}",
        "# The API's name, used in the docs.",
        f"title: {_scalar(settings.title)}",
        "# Class names of the sync and async clients, and of the environments.",
        f"client: {_scalar(settings.client)}",
        f"async_client: {_scalar(settings.async_client)}",
        f"environment_class: {_scalar(settings.environment_class)}",
    ]
    if settings.environments:
        lines += [
            "# Environments from the documents' servers (variables at their defaults). Each maps every",
            "# URL key to a URL: REST sources use the key their `environment` names, channels their server's.",
            "environments:",
        ]
        for name, urls in settings.environments:
            lines.append(f"  {_scalar(name)}:")
            lines.extend(f"    {key}: {_scalar(url)}" for key, url in urls)
        lines.append(f"default_environment: {_scalar(settings.default_environment)}")
    else:
        lines += [
            "# No document gives an absolute server URL: the client requires base_url=... . To give it a default, add",
            "# environments: {production: {base: https://api.example.com}}",
        ]
    key = only_api_key(schemes)
    if key is not None:
        lines += [
            "# The API key: the header that carries it (from securitySchemes), the environment variable",
            "# read when the client is given none, and the client's constructor keyword.",
            "auth:",
            f"  header: {_scalar(key.key_name)}",
            f"  env_var: {_scalar(key.env_vars[0])}",
            f"  param: {_scalar(key.params[0])}",
        ]
    elif schemes:
        lines.append("# Credentials, derived from the documents' securitySchemes: each a keyword of the client,")
        lines.append("# read from its environment variable when not given. (Leave `auth` out to keep them;")
        lines.append("# `auth: null` turns them off.)")
        for scheme in schemes:
            given = ", ".join(f"{p} ({e})" for p, e in zip(scheme.params, scheme.env_vars))
            lines.append(f"#   {scheme.name}: {scheme.kind.replace('_', ' ')}: {given}")
    else:
        lines += [
            "# No API key header is declared in the documents' securitySchemes. To send one:",
            "# auth: {header: X-Api-Key, env_var: MY_API_KEY, param: api_key}",
            "auth: null",
        ]
    lines += [
        "# Response headers that carry the request id (`request_id`), tried before those the documents",
        "# declare and the usual ones (x-request-id, request-id...):",
        "# request_id_headers: [X-Trace-Token]",
    ]
    lines.append("# Descriptions of the sub-clients (from the documents' tags), by dotted path.")
    if groups:
        lines.append("groups:")
        lines.extend(f"  {_scalar(path)}: {_scalar(text)}" for path, text in groups)
    else:
        lines.append("groups: {}")
    lines += [
        "# The descriptions, relative to this folder. `module` is where a file's types live (dotted;",
        '# "" is the package itself), `environment` the URL key of a REST file, `overlays` OpenAPI',
        "# Overlay files applied to it before it is read.",
        "sources:",
    ]
    for source in settings.sources:
        lines.append(f"  - file: {_scalar(source.file)}")
        lines.append(f"    module: {_scalar('.'.join(source.module))}")
        if source.environment is not None:
            lines.append(f"    environment: {_scalar(source.environment)}")
        if source.overlays:
            lines.append(f"    overlays: [{', '.join(_scalar(o) for o in source.overlays)}]")
    return "\n".join(lines) + "\n"


def init(files: list[Path], specs_dir: Path, package: str | None = None) -> Path:
    """Write ``specs_dir`` for ``files``; returns the settings file. Nothing is written on error."""
    from generator import pipeline
    from generator.normalise import normalise

    target = specs_dir / SETTINGS_FILE
    if target.exists():
        raise SpecError(
            f"{SETTINGS_FILE} already exists; edit it, or choose another folder",
            Location(str(target)),
        )
    if specs_dir.exists() and not specs_dir.is_dir():
        raise SpecError("not a folder", Location(str(specs_dir)))
    common = Path(os.path.commonpath([str(file.resolve().parent) for file in files])) if files else Path.cwd()
    project = pipeline.Project.from_files(files, package, root=common)
    settings, sources = pipeline.resolve(project)
    api = normalise(settings, sources)  # the descriptions must generate before a folder is written for them
    groups = tuple((".".join(g.path), g.description) for g in api.groups if g.path and g.description)
    root = project.root
    loaded = [document.file for document in sources[0].registry.documents()]
    for relative in loaded:
        existing = specs_dir / relative
        if existing.exists() and existing.resolve() != (root / relative).resolve():
            raise SpecError(
                "a different file is already there; choose another folder",
                Location(str(existing)),
            )
    text = settings_text(settings, api.security_schemes, groups)
    specs_dir.resolve().parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{specs_dir.name or 'specs'}-init-", dir=specs_dir.resolve().parent))
    try:
        for relative in loaded:
            source = root / relative
            copy = staging / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        (staging / SETTINGS_FILE).write_text(text, encoding="utf-8", newline="\n")
        if not specs_dir.exists():
            os.rename(staging, specs_dir)
        else:  # the folder exists (it may hold the descriptions already): add what is missing, settings last
            for relative in [*loaded, SETTINGS_FILE]:
                destination = specs_dir / relative
                if not destination.exists():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(staging / relative, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
