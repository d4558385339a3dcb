"""The render stage: the IR in, every file of the generated SDK out (unformatted).

``render(api)`` returns ``{posix path relative to generated/: text}``. Python files are
formatted by ruff afterwards, so templates need not care about layout.

The tree:

- ``pyproject.toml``, ``README.md``, ``reference.md``;
- ``src/<package>/``: ``__init__.py`` (lazy exports), ``py.typed``, ``version.py``,
  ``environment.py``, ``client.py`` (the root clients), ``core/`` (the runtime);
- per group ``(a, b)``: ``a/b/client.py``, and with endpoints ``a/b/raw_client.py`` and
  ``a/b/_endpoints.py``;
- per type module ``m``: ``m/types/<type>.py``; per namespace: ``<a>/errors/<error>.py``;
- the WebSocket modules of :mod:`generator.render.sockets`.
"""

from __future__ import annotations

from generator import ir
from generator.ir import Api
from generator.render import clients, docs, endpoints, errors, models, packages
from generator.render.credentials import credentials_view
from generator.render.layout import ENVIRONMENT, REQUEST_IDS, VERSION, Layout
from generator.render.names import CORE, dotted, group_module
from generator.render.sockets import render_sockets
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring_body, string_literal
from generator.render.webhooks import render_webhooks


def render(api: Api) -> dict[str, str]:
    layout = Layout(api)
    package = api.package
    modules: dict[str, str] = dict(layout.runtime_modules)
    modules[dotted(package, CORE, "client_wrapper")] = _client_wrapper(api)
    modules[dotted(package, CORE, REQUEST_IDS)] = render_request_ids(api.request_id_headers)
    modules[dotted(package, ENVIRONMENT)] = _environment(api)
    modules[dotted(package, VERSION)] = _version(api)
    modules.update(models.render_models(api))
    for module, (class_name, status) in layout.error_classes.items():
        modules[module] = errors.render_error_module(api, class_name, status)
    for group in (g.path for g in api.groups):
        modules[group_module(api, group)] = clients.render_client_module(api, group)
        if api.endpoints_of(group):
            modules[group_module(api, group, raw=True)] = clients.render_raw_client_module(api, group)
            modules[endpoints.endpoints_module(api, group)] = endpoints.render_endpoints_module(api, group)
    modules.update(render_sockets(api))
    modules.update(render_webhooks(api))
    for extension in api.extensions.modules:
        modules[dotted(package, extension.module)] = _handwritten(extension)
    files = {layout.file(module): text for module, text in modules.items()}
    files.update(packages.render_packages(api, layout))
    files[layout.package_file("py.typed")] = ""
    files["pyproject.toml"] = docs.render_pyproject(api)
    files["README.md"] = docs.render_readme(api)
    files["reference.md"] = docs.render_reference(api)
    return dict(sorted(files.items()))


def _handwritten(extension: ir.ExtensionModule) -> str:
    """A hand-written module as it is, below a line saying where to edit it."""
    return f"# Hand-written: copied from {extension.source.file} (edit it there).\n{extension.text}"


def render_request_ids(headers: tuple[str, ...]) -> str:
    """The core module naming the headers ``request_id`` reads (:attr:`~generator.ir.Api.request_id_headers`)."""
    return render_template("core/request_ids.py.j2", header=HEADER, headers=[string_literal(name) for name in headers])


def _client_wrapper(api: Api) -> str:
    credentials = credentials_view(api)
    return render_template(
        "core/client_wrapper.py.j2",
        header=HEADER,
        package=api.package,
        environment_class=api.environment_class,
        default_environment=_default_name(api),
        no_server_message=string_literal(
            f"No base URL: the description of {api.title} gives no absolute server URL; pass base_url=... "
            f"(or environment=...) to {api.client}."
        ),
        user_agent=string_literal(f"{api.package}-python/{api.version}"),
        credentials=credentials,
        key=credentials.api_key if credentials else None,
        schemes=credentials if credentials and credentials.schemes else None,
    )


def _default_name(api: Api) -> str | None:
    default = clients.default_environment(api)
    return default.py_name if default is not None else None


def _environment(api: Api) -> str:
    keys = [{"name": key, "literal": string_literal(key)} for key in api.url_keys]
    environments = [
        {
            "py_name": environment.py_name,
            "urls": [{"name": key, "literal": string_literal(url)} for key, url in environment.urls],
        }
        for environment in api.environments
    ]
    return render_template(
        "environment.py.j2",
        header=HEADER,
        name=api.environment_class,
        title=docstring_body(api.title),
        default=_default_name(api),
        keys=keys,
        environments=environments,
    )


def _version(api: Api) -> str:
    return f'{HEADER}\n"""The version of this SDK."""\n\n__version__ = {string_literal(api.version)}\n'
