"""Names that become files must fit a file system: at most :data:`~generator.limits.MAX_NAME_LENGTH`."""

from __future__ import annotations

from typing import Callable

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
