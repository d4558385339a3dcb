"""The files around the code: ``pyproject.toml``, ``README.md`` and ``reference.md``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator import responses
from generator.ir import Api, Endpoint
from generator.naming import api_subject
from generator.render import clients, signatures
from generator.render.annotations import Imports
from generator.render.credentials import credentials_view
from generator.render.examples import example_call
from generator.render.names import CORE
from generator.render.socket_docs import reference_channels, socket_readme
from generator.render.templating import render_template
from generator.render.text import (
    first_sentence,
    markdown_block,
    markdown_code,
    markdown_indented,
    markdown_inline,
)

DEPENDENCIES = ("httpx>=0.21.2", "pydantic>=2.5.0", "typing-extensions>=4.6.1", "websockets>=15.0")
"""Every dependency a generated SDK can have, at the lowest version the runtime works with, as
``tests/rest/test_dependency_floors.py`` proves: ``websockets.asyncio`` is new in 13.0 and the sync
client's keepalive (``ping_interval``) in 15.0; ``TypeAliasType`` in typing-extensions 4.6, which
pydantic 2.5 needs too. :func:`dependencies` picks those an SDK uses."""


def dependencies(api: Api) -> list[str]:
    """The SDK's dependencies: ``websockets`` only when it has WebSocket channels."""
    return [d for d in DEPENDENCIES if not d.startswith("websockets") or api.channels]


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def render_pyproject(api: Api) -> str:
    return render_template(
        "pyproject.toml.j2",
        name=_toml_string(api.package.replace("_", "-")),
        version=_toml_string(api.version),
        description=_toml_string(first_sentence(api.description) or f"Python SDK for the {api_subject(api.title)} API"),
        dependencies=[_toml_string(d) for d in dependencies(api)],
        extras=[(name, [_toml_string(r) for r in requirements]) for name, requirements in api.extensions.extras],
        package=api.package,
    )


@dataclass
class ParamDoc:
    name: str
    annotation: str
    """Markdown inline code."""
    required: bool
    description: str
    """Markdown, indented to continue the parameter's list item."""


@dataclass
class MethodDoc:
    anchor: str
    accessor: str
    summary: str
    description: str
    example: str
    params: list[ParamDoc]
    returns: str
    """Markdown inline code."""


@dataclass
class GroupDoc:
    title: str
    anchor: str
    description: str
    methods: list[MethodDoc]


def reference_groups(api: Api) -> list[GroupDoc]:
    groups = []
    for group in sorted(g.path for g in api.groups):
        endpoints = api.endpoints_of(group)
        if not endpoints:
            continue
        title = ".".join(("client", *group))
        groups.append(
            GroupDoc(
                title=title,
                anchor=title.replace(".", "").lower(),
                description=markdown_block(clients.group_description(api, group)),
                methods=[_method_doc(api, endpoint) for endpoint in endpoints],
            )
        )
    return groups


def _method_doc(api: Api, endpoint: Endpoint) -> MethodDoc:
    imports = Imports(module=f"{api.package}.reference")
    params = signatures.parameters(endpoint)
    accessor = ".".join(("client", *endpoint.group, endpoint.py_name))
    return MethodDoc(
        anchor=accessor.replace(".", "-").lower(),
        accessor=accessor,
        summary=markdown_inline(endpoint.summary or first_sentence(endpoint.description)),
        description=markdown_block(endpoint.description or endpoint.summary),
        example=example_call(api, endpoint, sync=True),
        params=[
            ParamDoc(
                name=param.name,
                annotation=markdown_code(signatures.param_annotation(api, param, imports, typing_only=True)),
                required=param.required,
                description=markdown_indented(param.description, "    "),
            )
            for param in params
        ],
        returns=markdown_code(signatures.data_type(api, endpoint, imports, sync=True, typing_only=True)),
    )


def render_reference(api: Api) -> str:
    return render_template(
        "reference.md.j2",
        title=markdown_inline(api_subject(api.title)),
        groups=reference_groups(api),
        channels=reference_channels(api),
    )


def render_readme(api: Api) -> str:
    endpoints = [e for group in sorted(g.path for g in api.groups) for e in api.endpoints_of(group)]
    simple = next(
        (
            e
            for e in endpoints
            if e.pagination is None and not signatures.streamed(e) and responses.is_typed(e.response.kind)
        ),
        None,
    )
    paginated = next((e for e in endpoints if e.pagination is not None), None)
    streamed = next((e for e in endpoints if signatures.streamed(e)), None)
    first = simple or next(iter(endpoints), None)
    return render_template(
        "README.md.j2",
        title=markdown_inline(api.title),
        subject=markdown_inline(api_subject(api.title)),
        description=markdown_block(api.description),
        distribution=api.package.replace("_", "-"),
        client=api.client,
        async_client=api.async_client,
        core=f"{api.package}.{CORE}",
        env_var=api.api_key.env_vars[0] if api.api_key else None,
        auth_param=api.api_key.params[0] if api.api_key else None,
        credentials=_credentials(api),
        own_tokens=_own_tokens(api),
        no_server=api.default_environment is None,
        request_id_headers=", ".join(f"`{name}`" for name in api.request_id_headers),
        environment_class=api.environment_class,
        features=_features(api, paginated, streamed),
        dependencies=_dependency_names(api),
        first_example=example_call(api, first, sync=True) if first else None,
        async_example=example_call(api, first, sync=False) if first else None,
        raw_example=example_call(api, first, sync=True, raw=True) if first else None,
        pager_example=example_call(api, paginated, sync=True) if paginated else None,
        stream_example=example_call(api, streamed, sync=True) if streamed else None,
        error_example=_error_example(api, endpoints),
        streaming_call=".".join(("client", *first.group, "with_streaming_response", first.py_name)) if first else None,
        binary=any(e.response.kind == "binary" for e in endpoints),
        uploads=any(e.body is not None and e.body.kind in ("multipart", "binary") for e in endpoints),
        cookies=_cookies(endpoints),
        log_name=api.package.split(".")[0],
        log_env=api.package.split(".")[0].upper() + "_LOG",
        webhooks=_webhook_modules(api),
        rest=bool(endpoints),
        sockets=socket_readme(api),
        groups=[
            (markdown_code(".".join(("client", *group))), markdown_inline(clients.group_description(api, group)))
            for group in sorted(g.path for g in api.groups)
            if group
        ],
    )


def _webhook_modules(api: Api) -> list[tuple[str, str]]:
    """``(module, "`parse_a`, `parse_b`")`` for each webhooks module."""
    found: dict[str, list[str]] = {}
    for webhook in api.webhooks:
        module = ".".join((api.package, *webhook.group, webhook.module_name))
        found.setdefault(module, []).append(f"`{webhook.py_name}`")
    return [(module, ", ".join(names)) for module, names in sorted(found.items())]


def _features(api: Api, paginated: Endpoint | None, streamed: Endpoint | None) -> str:
    """What the README's first paragraph says the SDK has: only what it has."""
    features = []
    if paginated is not None:
        features.append("pagination")
    if streamed is not None:
        features.append("streaming")
    if api.channels:
        features.append("WebSocket channels")
    if api.endpoints:
        features += ["retries", "typed errors"]
    else:
        features.append("typed messages")
    return "sync and async, with " + ", ".join(features[:-1]) + " and " + features[-1]


def _cookies(endpoints: list[Endpoint]) -> str | None:
    """The README's list of the cookie parameters' names (the first few), or None when there is none."""
    names = list(dict.fromkeys(markdown_code(p.py_name) for e in endpoints for p in e.cookie_params))
    if not names:
        return None
    shown = names[:5] + (["..."] if len(names) > 5 else [])
    return ", ".join(shown)


def _dependency_names(api: Api) -> str:
    names = [f"`{d.split('>')[0].split('=')[0]}`" for d in dependencies(api)]
    names = [f"{n} (v2)" if n == "`pydantic`" else n for n in names]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _credentials(api: Api) -> list[tuple[str, str, str]]:
    """The README's table of credentials: keyword, environment variable, what it is."""
    view = credentials_view(api)
    keywords = view.keywords if view is not None and view.api_key is None else ()  # the API key has its sentence
    return [(markdown_code(k.name), markdown_code(k.env_var or ""), markdown_inline(k.summary)) for k in keywords]


def _own_tokens(api: Api) -> str | None:
    """The keywords that take an access token the user brings, for the README: ```access_token```."""
    view = credentials_view(api)
    names = [markdown_code(name) for name in view.own_tokens] if view is not None else []
    return " or ".join(names) or None


def _error_example(api: Api, endpoints: list[Endpoint]) -> str | None:
    candidates = [e for e in endpoints if e.errors and not signatures.streamed(e)]
    candidates.sort(key=lambda e: e.pagination is not None)
    if not candidates:
        return None
    return example_call(api, candidates[0], sync=True, catch=candidates[0].errors[0])
