"""The SDK settings: ``sdkgen.yaml`` in a specs folder, or nothing but description files.

Reading is two steps. :func:`read_settings` (a specs folder) or :func:`settings_for_files`
(loose description files, zero-config) give a :class:`Draft`: the values the user set and
the list of sources. Once the sources are loaded, :func:`generator.normalise.derive.complete`
fills in the names and environments the user left out from the documents (``info``,
``servers``) and returns the full :class:`Settings`; the credentials and group descriptions
left out (``auth``, ``groups``: ``None`` here) are read by the normalise stage.

This module reads only the settings file: it imports nothing of the pipeline's stages.
"""

from __future__ import annotations

import keyword
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.errors import Location, SpecError
from generator.headers import is_header_name

SETTINGS_FILE = "sdkgen.yaml"
REST_URL_KEY = "base"
"""The URL key of the first OpenAPI sources' servers (and of an API whose documents name no server)."""
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""An HTTP header name (an RFC 9110 token)."""


@dataclass(frozen=True)
class SourceSettings:
    """One API description file and how it maps into the SDK."""

    file: str
    module: tuple[str, ...]
    overlays: tuple[str, ...] = ()
    environment: str | None = None
    """The environment URL key its endpoints (or channels) are relative to."""
    describes: Literal["client", "server"] | None = None
    """AsyncAPI: which side of the API the document describes (None: the document's or the default)."""
    path_groups: int | None = None
    """OpenAPI: how many leading path segments group its untagged operations into sub-clients (0: none;
    None: one when it has at least ``normalise.openapi.PATH_GROUPS_FROM`` untagged operations, else none)."""
    pagination: Any = field(default=None, compare=False)
    """OpenAPI: the source's ``pagination`` mapping as written (read and checked by normalise)."""


@dataclass(frozen=True)
class AuthSettings:
    header: str
    env_var: str | None
    param: str


@dataclass(frozen=True)
class Settings:
    root: Path
    package: str
    distribution: str
    version: str
    title: str
    client: str
    async_client: str
    environment_class: str
    environments: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    """Named environments, each a URL per URL key; none when no document names a server (then the
    client requires its ``base_url``)."""
    default_environment: str | None
    auth: AuthSettings | Literal[False] | None
    """The one API key header the user set; ``False`` for ``auth: null`` (no credentials); ``None`` when
    not set (the documents' ``securitySchemes`` say, see :func:`generator.normalise.derive.credentials`)."""
    groups: tuple[tuple[str, str], ...] | None
    """Sub-client descriptions by dotted path; ``None`` when not set (the documents' tags say)."""
    sources: tuple[SourceSettings, ...]
    origin: str = ""
    """Where the settings come from (the settings file), for messages."""
    request_id_headers: tuple[str, ...] = ()
    """Response headers that carry the request id, beyond those the documents declare (lower case)."""

    @property
    def url_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.environments[0][1]) if self.environments else (REST_URL_KEY,)


@dataclass(frozen=True)
class Draft:
    """What the user said: the settings file's values (none for loose files) and the sources."""

    root: Path
    """The folder source paths are relative to."""
    origin: str
    """The settings file, for messages; for loose files, a description of where settings come from."""
    raw: dict[str, Any]
    sources: tuple[SourceSettings, ...]
    has_file: bool = True

    def reader(self) -> _Reader:
        return _Reader(self.origin, self.raw)

    def location(self, pointer: str = "") -> Location:
        return Location(self.origin, pointer)


def read_settings(specs_dir: Path) -> Draft:
    """Read ``sdkgen.yaml`` in ``specs_dir``: the settings it sets, checked, and its sources."""
    path = specs_dir / SETTINGS_FILE
    shown = str(path)
    if not path.is_file():
        what = "no such folder" if not specs_dir.is_dir() else f"no {SETTINGS_FILE} in it"
        raise SpecError(
            f"{what}; give description files instead (`sdkgen generate api.yaml --out DIR`), "
            f"or write the folder with `sdkgen init api.yaml --specs {specs_dir}`",
            Location(str(specs_dir)),
        )
    from generator.load.yaml_reader import read_yaml

    # Read as the descriptions are: nesting and alias expansion bounded (generator/limits.py).
    raw = read_yaml(shown, path.read_text(encoding="utf-8"), allow_empty=True)[0]
    if raw is None:
        raw = {}
    reader = _Reader(shown, raw)
    sources = reader.sources()
    for index, source in enumerate(sources):
        for ref in (source.file, *source.overlays):
            if not (specs_dir / ref).is_file():
                raise SpecError(f"file {ref!r} does not exist", Location(shown, f"/sources/{index}"))
    return Draft(specs_dir, shown, reader.raw, sources)


def settings_for_files(files: list[Path], package: str | None = None, root: Path | None = None) -> Draft:
    """Settings for loose description files: nothing set but ``package`` (if given); every file a source.

    Source paths (and so the file names in messages) are relative to ``root``: by default the
    current folder when every file is inside it, else the files' closest common folder.
    """
    if not files:
        raise SpecError("no description file given", Location("command line"))
    resolved = []
    for file in files:
        if not file.is_file():
            raise SpecError("no such file" if not file.exists() else "not a file", Location(str(file)))
        resolved.append(file.resolve())
    common = Path(os.path.commonpath([str(path.parent) for path in resolved]))
    if root is None:
        here = Path.cwd().resolve()
        root = here if common == here or here in common.parents else common
    else:
        root = root.resolve()
    raw: dict[str, Any] = {} if package is None else {"package": package}
    origin = "--package" if package is not None else "command line"
    reader = _Reader(origin, raw)
    if package is not None:
        reader.identifier("package")
    sources = tuple(SourceSettings(file=path.relative_to(root).as_posix(), module=()) for path in resolved)
    seen: set[str] = set()
    for source in sources:
        if source.file in seen:
            raise SpecError("the file is given twice", Location(str(root / source.file)))
        seen.add(source.file)
    return Draft(root, origin, raw, sources, has_file=False)


class _Reader:
    """Typed access to the raw settings mapping, raising SpecError with a pointer."""

    def __init__(self, file: str, raw: Any) -> None:
        if not isinstance(raw, dict):
            raise SpecError("settings must be a mapping", Location(file))
        self.file = file
        self.raw = raw

    def fail(self, pointer: str, message: str) -> SpecError:
        return SpecError(message, Location(self.file, pointer))

    def text(self, key: str, default: str | None = None) -> str:
        value = self.raw.get(key, default)
        if value is None:
            raise self.fail(f"/{key}", f"missing required setting {key!r}")
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(f"/{key}", f"{key!r} must be a string")
        return str(value)

    def identifier(self, key: str, default: str | None = None) -> str:
        value = self.text(key, default)
        for part in value.split(".") if key == "package" else [value]:
            if not _IDENTIFIER.match(part) or keyword.iskeyword(part):
                raise self.fail(f"/{key}", f"{value!r} is not a valid Python identifier")
        return value

    def environments(self) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
        raw = self.raw.get("environments")
        if not isinstance(raw, dict) or not raw:
            raise self.fail("/environments", "'environments' must map environment names to URL mappings")
        result = []
        keys: list[str] | None = None
        for name, urls in raw.items():
            if not isinstance(urls, dict) or not urls:
                raise self.fail(f"/environments/{name}", "an environment must map URL keys to URLs")
            if keys is None:
                keys = [str(k) for k in urls]
            elif [str(k) for k in urls] != keys:
                raise self.fail(f"/environments/{name}", f"URL keys must be {keys} in every environment")
            for key, url in urls.items():
                if not _IDENTIFIER.match(str(key)) or not isinstance(url, str):
                    raise self.fail(f"/environments/{name}/{key}", "URL keys must be identifiers and URLs strings")
            result.append((str(name), tuple((str(k), str(v)) for k, v in urls.items())))
        return tuple(result)

    def auth(self) -> AuthSettings | None:
        raw = self.raw.get("auth")
        if raw is None:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("header"), str):
            raise self.fail("/auth", "'auth' must be a mapping with a 'header'")
        param = str(raw.get("param", "api_key"))
        if not _IDENTIFIER.match(param) or keyword.iskeyword(param):
            raise self.fail("/auth/param", f"{param!r} is not a valid Python identifier")
        env_var = raw.get("env_var")
        return AuthSettings(header=raw["header"], env_var=str(env_var) if env_var else None, param=param)

    def header_names(self, key: str) -> tuple[str, ...]:
        """A list of HTTP header names (lower case, in order, each once); none when not set."""
        raw = self.raw.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(is_header_name(n) for n in raw):
            raise self.fail(f"/{key}", f"{key!r} must be a list of HTTP header names")
        return tuple(dict.fromkeys(name.lower() for name in raw))

    def groups(self) -> tuple[tuple[str, str], ...]:
        raw = self.raw.get("groups") or {}
        if not isinstance(raw, dict):
            raise self.fail("/groups", "'groups' must map dotted group paths to descriptions")
        return tuple(sorted((str(k), str(v)) for k, v in raw.items()))

    def sources(self) -> tuple[SourceSettings, ...]:
        raw = self.raw.get("sources")
        if not isinstance(raw, list) or not raw:
            raise self.fail("/sources", "'sources' must list the API description files")
        result = []
        for index, item in enumerate(raw):
            pointer = f"/sources/{index}"
            if not isinstance(item, dict) or not isinstance(item.get("file"), str):
                raise self.fail(pointer, "a source must be a mapping with a 'file'")
            module = str(item.get("module", ""))
            parts = tuple(part for part in module.split(".") if part)
            for part in parts:
                if not _IDENTIFIER.match(part) or keyword.iskeyword(part):
                    raise self.fail(f"{pointer}/module", f"{module!r} is not a dotted Python module path")
            overlays = item.get("overlays") or []
            if not isinstance(overlays, list) or not all(isinstance(o, str) for o in overlays):
                raise self.fail(f"{pointer}/overlays", "'overlays' must be a list of file paths")
            environment = item.get("environment")
            describes = item.get("describes")
            if describes is not None and describes not in ("client", "server"):
                raise self.fail(f"{pointer}/describes", "'describes' must be 'client' or 'server'")
            path_groups = item.get("path_groups")
            if path_groups is not None and (type(path_groups) is not int or path_groups < 0):
                raise self.fail(f"{pointer}/path_groups", "'path_groups' must be a number of path segments (0: none)")
            result.append(
                SourceSettings(
                    file=item["file"],
                    module=parts,
                    overlays=tuple(overlays),
                    environment=str(environment) if environment is not None else None,
                    describes="client" if describes == "client" else "server" if describes == "server" else None,
                    path_groups=path_groups,
                    pagination=item.get("pagination"),
                )
            )
        return tuple(result)
