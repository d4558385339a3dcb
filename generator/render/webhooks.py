"""Webhook payload parsers: a ``webhooks`` module per group that has webhooks or callbacks.

``parse_<name>(payload)`` validates one webhook's payload (bytes, text or decoded JSON) into
its type; with several in the module, ``parse(payload)`` takes any of them: their union,
validated by pydantic's smart mode (the member that fits best; a constant tag decides).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.ir import Api, Webhook
from generator.naming import WEBHOOK_PARSE_ANY
from generator.render.annotations import Imports, annotation
from generator.render.names import dotted, runtime
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring


@dataclass(frozen=True)
class ParserView:
    name: str
    annotation: str
    docstring: str


def webhook_module(api: Api, webhook: Webhook) -> str:
    return dotted(api.package, *webhook.group, webhook.module_name)


def webhook_modules(api: Api) -> dict[str, tuple[Webhook, ...]]:
    """``{module: its webhooks}``."""
    found: dict[str, list[Webhook]] = {}
    for webhook in api.webhooks:
        found.setdefault(webhook_module(api, webhook), []).append(webhook)
    return {module: tuple(members) for module, members in found.items()}


def render_webhooks(api: Api) -> dict[str, str]:
    return {module: _render(api, module, members) for module, members in webhook_modules(api).items()}


def _render(api: Api, module: str, webhooks: tuple[Webhook, ...]) -> str:
    imports = Imports(module=module, reserved={w.py_name for w in webhooks} | {WEBHOOK_PARSE_ANY})
    cast = imports.typing("cast")
    core = runtime(api, "webhooks")
    payload = imports.name(core, "Payload")
    parse_payload = imports.name(core, "parse_payload")
    parsers = []
    for webhook in webhooks:
        what = f"the payload of {webhook.name!r}"
        text = (webhook.description or "").strip()
        text = f"Parse {what}.\n\n{text}" if text else f"Parse {what}."
        parsers.append(ParserView(webhook.py_name, annotation(api, webhook.type, imports), docstring(text, "    ")))
    members = list(dict.fromkeys(parser.annotation for parser in parsers))
    union = None
    if len(webhooks) > 1:
        union = members[0] if len(members) == 1 else f"{imports.typing('Union')}[{', '.join(members)}]"
    return render_template(
        "webhooks.py.j2",
        header=HEADER,
        imports=imports.render(),
        payload=payload,
        parse_payload=parse_payload,
        parsers=parsers,
        union=union,
        parse_any=WEBHOOK_PARSE_ANY,
        cast=cast,
    )
