"""What a description may not steer: names that become files must fit a file system (at most
:data:`~generator.limits.MAX_NAME_LENGTH`), and path templates and channel addresses hold only
literal text and ``{name}`` parameters (no format specs, no expressions), which the runtime's
``core/_urls.fill`` substitutes by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator import ir, naming
from generator.errors import Collector, Location, SpecError
from generator.limits import MAX_NAME_LENGTH


def check_name_lengths(api: ir.Api, locate: Callable[[ir.Source], Location]) -> None:
    """Every module, package and folder name the SDK would have (types, groups, error classes) is at
    most :data:`MAX_NAME_LENGTH` characters; each longer one is a SpecError at what named it."""
    collector = Collector()

    def check(parts: tuple[str, ...], what: str, source: ir.Source) -> None:
        for part in parts:
            if len(part) > MAX_NAME_LENGTH:
                shown = f"{part[:30]}...{part[-10:]}"
                collector.add(
                    SpecError(
                        f"the {what} name {shown!r} has {len(part):,} characters; a name that becomes a file "
                        f"may have at most {MAX_NAME_LENGTH} (set x-sdk-name, x-sdk-group or the module in sdkgen.yaml)",
                        locate(source),
                    )
                )
                return

    for typedef in api.types:
        check((*typedef.module, naming.snake(typedef.py_name)), "type", typedef.source)
    for endpoint in api.endpoints:
        check(endpoint.group, "group", endpoint.source)
        for error in endpoint.errors:
            check((naming.snake(error.class_name),), "error class", endpoint.source)
    for channel in api.channels:
        check(channel.group, "group", channel.source)
    collector.done()


PARAMETER = re.compile(r"\{([A-Za-z0-9_.~-]+)\}")
"""A ``{name}`` in a path template or channel address: the runtime's ``core/_urls.py`` knows the same."""


def template_problem(template: str) -> str | None:
    """Why ``template`` is not literal text and ``{name}`` parameters only, or None when it is."""
    rest = PARAMETER.sub("", template)
    if "{" not in rest and "}" not in rest:
        return None
    start = rest.find("{")
    shown = rest[start : start + 40] if start >= 0 else rest[rest.find("}") :][:40]
    return (
        f"a brace that does not enclose a parameter name (letters, digits, '_', '.', '~' and '-'), at {shown!r}; "
        "write the literal character percent-encoded (%7B, %7D)"
    )


def check_templates(api: ir.Api, locate: Callable[[ir.Source], Location]) -> None:
    """Every endpoint path and channel address is a valid template (see :func:`template_problem`)."""
    collector = Collector()
    for endpoint in api.endpoints:
        problem = template_problem(endpoint.path)
        if problem is not None:
            collector.add(SpecError(f"the path {_short(endpoint.path)!r} has {problem}", locate(endpoint.source)))
    for channel in api.channels:
        problem = template_problem(channel.address)
        if problem is not None:
            collector.add(SpecError(f"the address {_short(channel.address)!r} has {problem}", locate(channel.source)))
    collector.done()


def _short(text: str) -> str:
    return text if len(text) <= 80 else f"{text[:60]}...{text[-15:]}"
