"""The ``sdkgen`` command: ``generate``, ``check``, ``init`` and ``ir``.

Exit codes: 0 success; 1 ``check`` found the output folder stale; 2 bad input or a usage
error (one message naming the file, JSON pointer and line, no traceback, nothing written);
3 a bug in sdkgen itself (one message and a hint to report it; ``SDKGEN_TRACEBACK=1`` shows
the traceback).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import cache
from generator.errors import MAX_ERRORS, SpecError, SpecErrors

BUG_REPORT_HINT = (
    "this is a bug in sdkgen, not in your specs; please report it with the command you ran "
    "(set SDKGEN_TRACEBACK=1 to see the traceback)"
)
EXIT_BUG = 3

_DESCRIPTION = """\
Generate a typed Python SDK (REST clients, models, WebSocket clients, docs) from
OpenAPI 3.x, Swagger 2.0 and AsyncAPI 2.x/3.x descriptions.

Two ways to say what to generate:
  sdkgen generate api.yaml [events.yaml ...] --out DIR
      one or more description files and no settings: names, environments and
      credentials are derived from the documents
  sdkgen generate --specs DIR --out DIR
      a specs folder holding sdkgen.yaml (see `sdkgen init`) and the descriptions
"""

_EPILOG = """\
exit codes: 0 done, 1 `check` found the output stale, 2 bad input, 3 a bug in sdkgen
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("sdkgen")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _add_inputs(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "spec_files",
        nargs="*",
        type=Path,
        metavar="SPEC",
        help="OpenAPI or AsyncAPI files (YAML or JSON) to generate from without a settings file",
    )
    command.add_argument(
        "--specs",
        type=Path,
        metavar="DIR",
        help="specs folder holding sdkgen.yaml and the descriptions it lists (default: specs, when no SPEC is given)",
    )
    command.add_argument(
        "--package",
        metavar="NAME",
        help="Python package name of the SDK, with SPEC files (default: derived from info.title)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdkgen", description=_DESCRIPTION, epilog=_EPILOG, formatter_class=_Formatter
    )
    parser.add_argument("--version", action="version", version=f"sdkgen {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {
        "generate": (
            "write the SDK into the output folder",
            "Write the SDK into the output folder, replacing what an earlier run wrote there.\n"
            "The folder is swapped in whole: on any error it is left as it was.",
        ),
        "check": (
            "exit 1 if the output folder differs from what the specs give",
            "Generate in memory and compare with the output folder: exit 0 when it matches,\n"
            "1 when it is stale (with a summary of the files that differ), 2 on bad input.",
        ),
        "init": (
            "write a specs folder with an sdkgen.yaml holding what sdkgen derives",
            "Copy the description files into a specs folder and write a commented sdkgen.yaml\n"
            "holding every setting sdkgen derives from them, ready to edit. Then run\n"
            "`sdkgen generate --specs DIR --out OUT`.",
        ),
        "diff": (
            "say what changed for SDK users since other specs, and the version to release",
            "Compare the SDK the specs give with the one older specs gave (--from DIR, or --from-git REV\n"
            "for the specs folder at a git revision): every change to clients, methods, parameters,\n"
            "models, fields, enums, errors and WebSocket channels, grouped as breaking, additive or\n"
            "cosmetic for the SDK's users. The last line is `suggested bump: major|minor|patch|none`.",
        ),
        "ir": (
            "print the intermediate model as JSON",
            "Print the intermediate model (what the generator understood of the specs) as JSON.",
        ),
    }
    for name, (summary, description) in commands.items():
        command = sub.add_parser(name, help=summary, description=description, formatter_class=_Formatter)
        if name == "init":
            command.add_argument("spec_files", nargs="+", type=Path, metavar="SPEC", help="OpenAPI or AsyncAPI files")
            command.add_argument(
                "--specs", type=Path, metavar="DIR", default=Path("specs"), help="folder to write (default: specs)"
            )
            command.add_argument(
                "--package", metavar="NAME", help="Python package name of the SDK (default: derived from info.title)"
            )
            continue
        if name == "diff":
            command.add_argument(
                "--specs", type=Path, metavar="DIR", default=Path("specs"), help="the new specs (default: specs)"
            )
            source = command.add_mutually_exclusive_group(required=True)
            source.add_argument("--from", dest="old", type=Path, metavar="DIR", help="the old specs folder")
            source.add_argument(
                "--from-git", metavar="REV", help="the specs folder at this git revision (e.g. HEAD, v1.2.0)"
            )
            command.add_argument(
                "--format", choices=("text", "markdown"), default="text", help="report format (default: text)"
            )
            command.add_argument(
                "--fail-on",
                choices=("breaking", "additive", "any"),
                help="exit 1 when there is a change of this kind or worse (for CI)",
            )
            continue
        _add_inputs(command)
        if name in ("generate", "check"):
            command.add_argument(
                "--out", type=Path, metavar="DIR", default=Path("generated"), help="output folder (default: generated)"
            )
            command.add_argument(
                "--no-cache",
                action="store_true",
                help=f"neither read nor write the run record ({cache.CACHE_DIR}/ beside the output folder)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args, parser)
    except SpecErrors as errors:
        for error in errors.errors:
            print(f"sdkgen: error: {error}", file=sys.stderr)
        if len(errors.errors) >= MAX_ERRORS:
            print(f"sdkgen: stopped after {MAX_ERRORS} errors", file=sys.stderr)
        return 2
    except SpecError as error:
        print(f"sdkgen: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sdkgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`sdkgen ir | head`): nothing to report.
        sys.stderr.close()
        return 1
    except OSError as error:
        if error.filename is None:  # not about a path the user gave (e.g. a template of ours missing): a bug
            return _internal_error(error)
        # A file or folder we were told to use cannot be read or written: the user's to fix.
        print(f"sdkgen: error: {error.filename}: {error.strerror or error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - every other failure is a bug of ours: one line, no traceback
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    if os.environ.get("SDKGEN_TRACEBACK"):
        raise error
    detail = str(error).splitlines()[0] if str(error) else ""
    print(f"sdkgen: internal error: {type(error).__name__}{': ' if detail else ''}{detail}", file=sys.stderr)
    print(f"sdkgen: {BUG_REPORT_HINT}", file=sys.stderr)
    return EXIT_BUG


def _command_line(*parts: object) -> str:
    return " ".join(shlex.quote(str(part)) for part in parts)


def _diff(args: argparse.Namespace) -> int:
    from generator import diff, pipeline

    new = pipeline.build_ir(pipeline.Project.from_folder(args.specs))
    if args.old is not None:
        old = pipeline.build_ir(pipeline.Project.from_folder(args.old))
    else:
        with diff.specs_at_revision(args.from_git, args.specs) as folder:
            old = pipeline.build_ir(pipeline.Project.from_folder(folder))
    report = diff.compare(old, new)
    text = diff.format_markdown(report, new.package) if args.format == "markdown" else diff.format_text(report)
    sys.stdout.write(text)
    failing: dict[str, tuple[diff.Severity, ...]] = {
        "breaking": ("breaking",),
        "additive": ("breaking", "additive"),
        "any": diff.SEVERITIES,
    }
    if args.fail_on is not None and any(report.of(severity) for severity in failing[args.fail_on]):
        return 1
    return 0


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from generator import pipeline

    if args.command == "init":
        from generator import init

        written = init.init(list(args.spec_files), args.specs, args.package)
        print(
            f"sdkgen: wrote {written}; edit it, then run `{_command_line('sdkgen', 'generate', '--specs', args.specs, '--out', 'generated')}`"
        )
        return 0

    if args.command == "diff":
        return _diff(args)

    if args.spec_files and args.specs is not None:
        parser.error("give either SPEC files or --specs DIR, not both")
    if args.package is not None and not args.spec_files:
        parser.error("--package goes with SPEC files; in a specs folder, set `package:` in sdkgen.yaml")
    project: pipeline.Project
    if args.spec_files:
        project = pipeline.Project.from_files(list(args.spec_files), args.package)
        inputs: list[object] = list(args.spec_files)
        if args.package is not None:
            inputs += ["--package", args.package]
    else:
        specs = args.specs if args.specs is not None else Path("specs")
        project = pipeline.Project.from_folder(specs)
        inputs = ["--specs", specs]

    if args.command == "ir":
        from generator.ir import to_json

        sys.stdout.write(to_json(pipeline.build_ir(project)))
        return 0

    from generator import write

    out: Path = args.out
    # The run record fingerprints a specs folder; loose files may $ref files beside them, so they get none.
    use_cache = not args.no_cache and project.cacheable
    shown = project.shown
    if use_cache and cache.is_current(project.root, out):
        state = "is up to date with" if args.command == "generate" else "matches"
        print(f"sdkgen: {out} {state} {shown} (nothing changed since the last run)")
        return 0
    if args.command == "generate":
        from generator.format import format_folder
        from generator.normalise.pagination import summary
        from generator.render import render

        api = pipeline.build_ir(project)
        rendered = render(api)  # bad specs are reported before the output folder is looked at
        write.check_replaceable(out)
        files = write.write_tree(rendered, out, format_folder)
        if use_cache:
            cache.remember(project.root, out, files)
        print(f"sdkgen: wrote {len(files)} files to {out}")
        print(f"sdkgen: {summary(api.endpoints)}")
        return 0
    files = pipeline.build_files(project)
    drift = write.compare_tree(files, out)
    if not drift:
        if use_cache:
            cache.remember(project.root, out, files)
        print(f"sdkgen: {out} matches {shown}")
        return 0
    again = _command_line("sdkgen", "generate", *inputs, "--out", out)
    print(f"sdkgen: {out} is stale; run `{again}` and commit the result:", file=sys.stderr)
    print(drift.summary(files, write.read_tree(out)), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
