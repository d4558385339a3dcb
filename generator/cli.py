"""The ``sdkgen`` command: ``ir``, ``generate`` and ``check``.

Exit codes: 0 success, 1 ``check`` found ``generated/`` stale, 2 bad input (one message,
no traceback, nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import cache
from generator.errors import MAX_ERRORS, SpecError, SpecErrors


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdkgen", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("ir", "print the intermediate model as JSON"),
        ("generate", "regenerate the SDK into the output folder"),
        ("check", "exit 1 if the output folder differs from what the specs give"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--specs", type=Path, default=Path("specs"), help="specs folder (default: specs)")
        if name != "ir":
            command.add_argument(
                "--out", type=Path, default=Path("generated"), help="output folder (default: generated)"
            )
            command.add_argument(
                "--no-cache", action="store_true", help=f"ignore and do not write {cache.CACHE_DIR}/ beside the output"
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SpecErrors as errors:
        for error in errors.errors:
            print(f"sdkgen: error: {error}", file=sys.stderr)
        if len(errors.errors) >= MAX_ERRORS:
            print(f"sdkgen: stopped after {MAX_ERRORS} errors", file=sys.stderr)
        return 2
    except SpecError as error:
        print(f"sdkgen: error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from generator import pipeline, write
    from generator.ir import to_json

    if args.command == "ir":
        sys.stdout.write(to_json(pipeline.build_ir(args.specs)))
        return 0
    use_cache = not args.no_cache
    if use_cache and cache.is_current(args.specs, args.out):
        state = "is up to date with" if args.command == "generate" else "matches"
        print(f"sdkgen: {args.out} {state} {args.specs} (nothing changed since the last run)")
        return 0
    files = pipeline.build_files(args.specs)
    if args.command == "generate":
        write.write_tree(files, args.out)
        if use_cache:
            cache.remember(args.specs, args.out, files)
        print(f"sdkgen: wrote {len(files)} files to {args.out}")
        return 0
    drift = write.compare_tree(files, args.out)
    if not drift:
        if use_cache:
            cache.remember(args.specs, args.out, files)
        print(f"sdkgen: {args.out} matches {args.specs}")
        return 0
    print(f"sdkgen: {args.out} is stale; run `make generate` and commit the result:", file=sys.stderr)
    print(drift.summary(files, write.read_tree(args.out)), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
