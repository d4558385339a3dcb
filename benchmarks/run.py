"""sdkgen benchmarks: one table of medians of repeated whole-process runs (stdlib only).

    python benchmarks/run.py [--quick] [--repeats N] [--only 1,3] [--no-install] [--no-write]

Builds its own virtualenvs under .bench/ (sdkgen: the generator; sdk: the generated SDK alone, as
users install it; official: hume==0.14.1; peer: openapi-python-client), runs every measure, prints one markdown table and writes it with the
machine to benchmarks/RESULTS.md (full runs only). A measure that cannot run yet (say, the generated
SDK is incomplete) shows "n/a (reason)" instead of stopping the others. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCH = REPO / ".bench"
WORK = BENCH / "work"
WORKLOADS = HERE / "workloads"
LARGE = REPO.parent / "shared" / "corpus" / "linode" / "openapi.yaml"
"""The largest OpenAPI 3 description of the corpus (Swagger 2.0 ones are larger, but the peer reads no 2.0)."""

UNTAGGED = REPO.parent / "shared" / "corpus" / "pagerduty" / "openapiv3.json"
"""A large corpus description (465 operations), read with its tags stripped by the benchmark: a big untagged API."""
UNTAGGED_SNIPPET = (
    "import httpx; from pagerduty import PagerDutyClient; "
    "c = PagerDutyClient(api_key='k', httpx_client=httpx.Client(transport=httpx.MockTransport("
    "lambda r: httpx.Response(200, json={'abilities': ['sso']})))); c.abilities.list_abilities()"
)
UNTAGGED_BY_HAND = (
    "import httpx; from pydantic import BaseModel\n"
    "class ListAbilitiesResponse(BaseModel):\n    abilities: list[str]\n"
    "c = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={'abilities': ['sso']})))\n"
    "ListAbilitiesResponse.model_validate_json(c.get('https://api.pagerduty.com/abilities').content)"
)
"""The same call written by hand: httpx and one pydantic model of the response."""

IMPORT_SNIPPET = "from hume import HumeClient; c = HumeClient(api_key='k'); c.empathic_voice.configs; c.tts.voices"
FLOOR_SNIPPET = "import httpx, pydantic"
FLOOR_PACKAGES = ("httpx", "pydantic", "websockets")  # what the generated SDK runs on, at the lock's versions


# --------------------------------------------------------------------------- running processes


class NotAvailable(Exception):
    """A measure (or one side of it) cannot run; the message says why."""


@dataclass
class Result:
    seconds: float
    rss_mib: float
    returncode: int
    stdout: str
    stderr: str

    def why(self) -> str:
        lines = [line for line in (self.stderr or self.stdout).strip().splitlines() if line.strip()]
        return (lines[-1] if lines else f"exit code {self.returncode}")[:160]


# A process's peak RSS as the kernel reports it counts the memory of the process it was forked
# from, so peak memory is read through GNU time (about 1.5 MiB) rather than from this driver.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").is_file() else None


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``cmd`` to completion: wall time and peak RSS of the process tree (largest process)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        if GNU_TIME:
            cmd = [GNU_TIME, "-o", rss.name, "-f", "%M", *cmd]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        kib = int(rss.read().split()[-1]) if GNU_TIME else usage.ru_maxrss  # without GNU time: an upper bound
        out.seek(0)
        err.seek(0)
        return Result(
            seconds,
            kib / 1024,
            proc.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


Prepared = tuple[list[str], Path | None, dict[str, str] | None]
"""What a job's ``prepare()`` returns for its next run: (cmd, cwd, env)."""


@dataclass
class Job:
    """One side of a comparison: ``prepare()`` returns (cmd, cwd, env) for the next run."""

    prepare: Callable[[], Prepared]
    results: list[Result] = field(default_factory=list)
    failure: str | None = None

    @classmethod
    def same(cls, cmd: list[str], cwd: Path | None, env: dict[str, str] | None) -> Job:
        """A job that runs the same command in the same folder and environment every time."""
        return cls(lambda: (cmd, cwd, env))


def series(jobs: dict[str, Job], repeats: int, warmup: int = 1) -> dict[str, Job]:
    """Run the jobs round-robin (so drift hits every side alike); a failing side stops, the rest go on."""
    for i in range(warmup + repeats):
        for label, job in jobs.items():
            if job.failure:
                continue
            try:
                cmd, cwd, env = job.prepare()
            except NotAvailable as exc:
                job.failure = str(exc)
                continue
            result = run(cmd, cwd, env)
            if result.returncode != 0:
                job.failure = result.why()
                print(f"    {label}: failed: {result.why()}", file=sys.stderr)
            elif i >= warmup:
                job.results.append(result)
        print(f"    round {i + 1}/{warmup + repeats} done", file=sys.stderr)
    return jobs


def median_of(job: Job, key: Callable[[Result], float]) -> float:
    if job.failure:
        raise NotAvailable(job.failure)
    return statistics.median(key(r) for r in job.results)


def env_for(venv: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env.update(extra)
    return env


def fresh_dir(name: str) -> Path:
    path = WORK / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# --------------------------------------------------------------------------- environments


ENV_RECIPE = f"2 {FLOOR_PACKAGES}"  # change to rebuild the venvs when how they are installed changes


def _digest(*paths: Path) -> str:
    h = hashlib.sha256(ENV_RECIPE.encode())
    for path in paths:
        h.update(path.read_bytes() if path.is_file() else b"-")
    return h.hexdigest()


def _pip(venv: Path, *args: str) -> None:
    result = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args]
    )
    if result.returncode != 0:
        raise NotAvailable(f"pip install {' '.join(args)}: {result.why()}")


def venv(
    name: str, python: str, stamp_inputs: tuple[Path, ...], install: Callable[[Path], None], refresh: bool
) -> Path:
    """``.bench/venv-NAME``, (re)installed when its inputs changed since the last successful install."""
    path = BENCH / f"venv-{name}"
    stamp = path / ".bench-stamp"
    digest = _digest(*stamp_inputs)
    if path.exists() and stamp.is_file() and stamp.read_text() == digest:
        return path
    if not refresh and path.exists():
        return path
    print(f"  setting up {path.relative_to(REPO)}", file=sys.stderr)
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(path)], check=True)
    install(path)
    stamp.write_text(digest)
    return path


@dataclass
class Envs:
    sdkgen: Path | None = None
    sdk: Path | None = None
    official: Path | None = None
    peer: Path | None = None
    ours_sdk: str | None = None  # None when the generated SDK installs and imports; else why not
    problems: dict[str, str] = field(default_factory=dict)


def setup(python: str, refresh: bool) -> Envs:
    envs = Envs()
    lock = REPO / "requirements-lock.txt"
    steps = {
        "official": (
            (HERE / "requirements-official.txt",),
            lambda v: _pip(v, "-r", str(HERE / "requirements-official.txt")),
        ),
        "peer": ((HERE / "requirements-peer.txt",), lambda v: _pip(v, "-r", str(HERE / "requirements-peer.txt"))),
        "sdkgen": ((REPO / "pyproject.toml", lock), lambda v: _pip(v, "-c", str(lock), "-e", str(REPO))),
        "sdk": ((lock,), lambda v: _pip(v, "-c", str(lock), *FLOOR_PACKAGES)),
    }
    for name, (inputs, install) in steps.items():
        try:
            setattr(envs, name, venv(name, python, inputs, install, refresh))
        except (NotAvailable, subprocess.CalledProcessError) as exc:
            envs.problems[name] = str(exc)
    if envs.sdk is None:
        envs.ours_sdk = "sdk venv: " + envs.problems.get("sdk", "not set up")
        return envs
    # The generated SDK: a regular (non-editable) install of generated/ as it is now, as users get it.
    if not (REPO / "generated" / "pyproject.toml").is_file():
        envs.ours_sdk = "generated/ has no pyproject.toml yet"
        return envs
    try:
        if refresh:
            source = WORK / "sdk-source"  # a copy, so that building the wheel writes nothing into generated/
            shutil.rmtree(source, ignore_errors=True)
            shutil.copytree(
                REPO / "generated", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
            )
            _pip(envs.sdk, "-c", str(lock), str(source))
            _pip(envs.sdk, "--no-deps", "--force-reinstall", str(source))
        check = run(
            [str(envs.sdk / "bin" / "python"), "-c", IMPORT_SNIPPET], cwd=fresh_dir("probe"), env=env_for(envs.sdk)
        )
        if check.returncode != 0:
            raise NotAvailable(f"generated SDK does not import: {check.why()}")
    except NotAvailable as exc:
        envs.ours_sdk = str(exc)
    return envs


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    measure: str
    ours: str = "n/a"
    peer: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_mib(m: float) -> str:
    return f"{m:.0f} MiB"


def compare(
    row: Row,
    ours: float | None,
    peer: float | None,
    fmt: Callable[[float], str],
    limit: float | None,
    higher_is_better: bool = False,
) -> Row:
    """Fill ``row``: ratio ours/peer, and whether it meets ``limit`` (<=, or >= when higher is better)."""
    if ours is not None:
        row.ours = fmt(ours)
    if peer is not None:
        row.peer = fmt(peer) if not row.peer else f"{fmt(peer)} {row.peer}"
    if ours is not None and peer is not None:
        ratio = ours / peer
        row.ratio = f"{ratio:.2f}x"
        if limit is not None:
            ok = ratio >= limit if higher_is_better else ratio <= limit
            row.met = "yes" if ok else "**MISSED**"
    elif limit is not None:
        row.met = "n/a"
    return row


def render(rows: list[Row]) -> str:
    head = ["measure", "ours", "peer", "ratio", "target", "met?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append(f"| {r.measure} | {r.ours} | {r.peer} | {r.ratio} | {r.target} | {r.met} |")
    return "\n".join(lines)


def na(why: Exception | str) -> str:
    return f"n/a ({why})"


# --------------------------------------------------------------------------- the measures


class Bench:
    def __init__(self, args: argparse.Namespace, envs: Envs) -> None:
        self.args = args
        self.envs = envs
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.commands: list[str] = []
        self.specs = WORK / "specs"  # a private copy: the benchmark edits it, never specs/
        shutil.rmtree(self.specs, ignore_errors=True)
        shutil.copytree(REPO / "specs", self.specs)
        self.rest_specs = sorted((self.specs / "openapi").glob("*.y*ml"))

    def venv_dir(self, which: str) -> Path:
        """The venv ``which`` (sdkgen, sdk, official or peer) of ``self.envs``; NotAvailable says why it is not there."""
        path: Path | None = getattr(self.envs, which)
        if path is None:
            raise NotAvailable(f"{which} venv: {self.envs.problems.get(which, 'not set up')}")
        return path

    def py(self, which: str) -> str:
        return str(self.venv_dir(which) / "bin" / "python")

    def need_sdk(self) -> None:
        self.py("sdk")
        if self.envs.ours_sdk:
            raise NotAvailable(self.envs.ours_sdk)

    def cmdline(self, label: str, cmd: list[str]) -> None:
        quoted = (
            f'"{part}"' if re.search(r"[\s;()']", part) and '"' not in part else shlex.quote(part) for part in cmd
        )
        shown = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", " ".join(quoted).replace(str(REPO) + "/", ""))
        self.commands.append(f"- {label}: `{shown}`")

    # (1) and (6): full regeneration, cold -------------------------------------------------

    def _ours_generate(self, out: Path) -> list[str]:
        sdkgen = str(self.venv_dir("sdkgen") / "bin" / "sdkgen")
        return [sdkgen, "generate", "--specs", str(self.specs), "--out", str(out)]

    def _clear_caches(self) -> None:
        for cache in list(self.specs.rglob(".sdkgen-cache")) + list(WORK.glob("*/.sdkgen-cache")):
            shutil.rmtree(cache, ignore_errors=True)

    def _peer_inputs(self) -> list[Path]:
        """The four REST specs as openapi-python-client gets them: as they are, or bundled if they refer across files."""
        if not self.rest_specs:
            raise NotAvailable("specs/openapi/ has no REST specs yet")
        cross = re.compile(r"""\$ref['"]?\s*:\s*['"]?[^'"#\s]+\.(ya?ml|json)""")
        if not any(cross.search(p.read_text(encoding="utf-8")) for p in self.rest_specs):
            self.notes.append(
                "openapi-python-client read the REST specs as they are (no overlays: they only hold sdkgen's x-sdk-* names)."
            )
            return self.rest_specs
        bundled = fresh_dir("peer-input")
        outputs = []
        for spec in self.rest_specs:
            out = bundled / (spec.stem + ".json")
            result = run([self.py("sdkgen"), str(WORKLOADS / "bundle.py"), str(spec), str(out)])
            if result.returncode != 0:
                raise NotAvailable(f"bundling {spec.name}: {result.why()}")
            outputs.append(out)
        self.notes.append(
            "openapi-python-client does not follow $refs into other files, so it read each REST spec bundled into one "
            "self-contained JSON file by benchmarks/workloads/bundle.py (untimed; same schemas, no overlays: they only hold "
            "sdkgen's x-sdk-* names)."
        )
        return outputs

    def _peer_job(self, inputs: list[Path]) -> Job:
        opc = self.venv_dir("peer") / "bin" / "openapi-python-client"
        env = env_for(self.venv_dir("peer"))

        def prepare() -> Prepared:
            tmp = fresh_dir("peer-cold")
            env["HOME"] = env["XDG_CACHE_HOME"] = str(tmp)
            script = " && ".join(
                f"{shlex.quote(str(opc))} generate --path {shlex.quote(str(p))} --output-path {shlex.quote(str(tmp / p.stem))} --overwrite"
                for p in inputs
            )
            return ["sh", "-c", script], tmp, env

        return Job(prepare)

    def full_regeneration(self) -> None:
        jobs: dict[str, Job] = {}
        ours_fail = peer_fail = None
        try:
            self.py("sdkgen")

            def prepare_ours() -> Prepared:
                self._clear_caches()
                tmp = fresh_dir("ours-cold")
                env = env_for(self.venv_dir("sdkgen"), HOME=str(tmp), XDG_CACHE_HOME=str(tmp))
                return self._ours_generate(tmp / "out"), tmp, env

            jobs["ours"] = Job(prepare_ours)
            self.cmdline("(1) ours, cold, fresh output folder and caches", self._ours_generate(WORK / "ours-cold/out"))
        except NotAvailable as exc:
            ours_fail = str(exc)
        try:
            self.py("peer")
            inputs = self._peer_inputs()
            jobs["peer"] = self._peer_job(inputs)
            opc = str(self.venv_dir("peer") / "bin" / "openapi-python-client")
            for i, spec in enumerate(inputs, 1):
                shown = [
                    opc,
                    "generate",
                    "--path",
                    str(spec),
                    "--output-path",
                    str(WORK / "peer-cold" / spec.stem),
                    "--overwrite",
                ]
                self.cmdline(f"(1) peer {i}/{len(inputs)} (the four run in one `sh -c`, into a fresh folder)", shown)
            self._peer_warnings(inputs)
        except NotAvailable as exc:
            peer_fail = str(exc)
        print("(1) full regeneration, cold", file=sys.stderr)
        series(jobs, self.args.repeats)
        ours_job, peer_job = jobs.get("ours"), jobs.get("peer")
        row = Row(
            "(1) full regeneration, cold (REST+sockets+docs+format) vs openapi-python-client, 4 REST specs",
            target="<= 0.5x",
        )
        mem = Row("(6) peak memory of (1) (largest process)")
        ours_t, peer_t, ours_m, peer_m = [None] * 4
        try:
            ours_t = median_of(ours_job, lambda r: r.seconds) if ours_job else None
            ours_m = median_of(ours_job, lambda r: r.rss_mib) if ours_job else None
        except NotAvailable as exc:
            ours_fail = str(exc)
        try:
            peer_t = median_of(peer_job, lambda r: r.seconds) if peer_job else None
            peer_m = median_of(peer_job, lambda r: r.rss_mib) if peer_job else None
        except NotAvailable as exc:
            peer_fail = str(exc)
        if ours_fail:
            row.ours = mem.ours = na(ours_fail)
        if peer_fail:
            row.peer = mem.peer = na(peer_fail)
        self.rows += [compare(row, ours_t, peer_t, fmt_seconds, 0.5), compare(mem, ours_m, peer_m, fmt_mib, None)]

    # (7): the largest OpenAPI description of the corpus, cold -----------------------------

    def large_description(self) -> None:
        """``sdkgen generate FILE`` (zero-config, no cache) vs openapi-python-client on one big document."""
        row = Row(
            f"(7) one large description, cold: {LARGE.parent.name}/{LARGE.name} ({LARGE.stat().st_size / 1e6:.1f} MB) vs openapi-python-client"
            if LARGE.is_file()
            else "(7) one large description",
            target="<= 0.35x",
        )
        if not LARGE.is_file():
            row.ours = row.peer = na(f"{LARGE} is not there (../shared/corpus)")
            self.rows.append(row)
            return
        jobs: dict[str, Job] = {}
        sdkgen = str(self.venv_dir("sdkgen") / "bin" / "sdkgen")
        self.py("sdkgen")

        def prepare_ours() -> Prepared:
            tmp = fresh_dir("ours-large")
            env = env_for(self.venv_dir("sdkgen"), HOME=str(tmp), XDG_CACHE_HOME=str(tmp))
            return [sdkgen, "generate", str(LARGE), "--out", str(tmp / "out")], tmp, env

        jobs["ours"] = Job(prepare_ours)
        self.cmdline("(7) ours", [sdkgen, "generate", str(LARGE), "--out", str(WORK / "ours-large/out")])
        try:
            self.py("peer")
            opc_bin = self.venv_dir("peer") / "bin" / "openapi-python-client"
            peer_env = env_for(self.venv_dir("peer"))

            def prepare_peer() -> Prepared:
                tmp = fresh_dir("peer-large")
                peer_env["HOME"] = peer_env["XDG_CACHE_HOME"] = str(tmp)
                out = tmp / LARGE.stem
                # It exits 1 when it skipped parts of the document (it warns about some of linode's
                # schemas) though it wrote the client: a run counts when the client is there.
                script = (
                    f"{shlex.quote(str(opc_bin))} generate --path {shlex.quote(str(LARGE))} "
                    f"--output-path {shlex.quote(str(out))} --overwrite >/dev/null 2>&1; test -f {shlex.quote(str(out / 'pyproject.toml'))}"
                )
                return ["sh", "-c", script], tmp, peer_env

            jobs["peer"] = Job(prepare_peer)
            self.notes.append(
                "(7) openapi-python-client exits 1 on the large description (it skips some of its schemas, with warnings) but writes the client; a run counts when the client is there."
            )
            opc = str(self.venv_dir("peer") / "bin" / "openapi-python-client")
            self.cmdline(
                "(7) peer",
                [
                    opc,
                    "generate",
                    "--path",
                    str(LARGE),
                    "--output-path",
                    str(WORK / "peer-cold" / LARGE.stem),
                    "--overwrite",
                ],
            )
        except NotAvailable as exc:
            row.peer = na(str(exc))
        print("(7) one large description, cold", file=sys.stderr)
        series(jobs, max(3, self.args.repeats // 2))
        ours_t = median_of(jobs["ours"], lambda r: r.seconds)
        peer_t = median_of(jobs["peer"], lambda r: r.seconds) if "peer" in jobs else None
        self.rows.append(compare(row, ours_t, peer_t, fmt_seconds, 0.35))

    # (8): a big untagged API, grouped by path ----------------------------------------------

    def untagged(self) -> None:
        """Import + client + one call of the SDK of a large description with its tags stripped (its
        operations grouped into sub-clients by path) vs ``import httpx, pydantic``, both in venv-sdk."""
        row = Row(
            "(8) import + client + one call, 465-operation untagged SDK (pagerduty, tags stripped) vs `import httpx, pydantic`",
            target="<= 1.5x",
        )
        if not UNTAGGED.is_file():
            row.ours = row.peer = na(f"{UNTAGGED} is not there (../shared/corpus)")
            self.rows.append(row)
            return
        try:
            work = fresh_dir("untagged")
            document = json.loads(UNTAGGED.read_text(encoding="utf-8"))
            document.pop("tags", None)
            for item in document.get("paths", {}).values():
                for operation in item.values() if isinstance(item, dict) else ():
                    if isinstance(operation, dict):
                        operation.pop("tags", None)
            stripped = work / "pagerduty.json"
            stripped.write_text(json.dumps(document), encoding="utf-8")
            sdkgen = str(self.venv_dir("sdkgen") / "bin" / "sdkgen")
            made = run(
                [sdkgen, "generate", str(stripped), "--out", str(work / "out")], work, env_for(self.venv_dir("sdkgen"))
            )
            if made.returncode != 0:
                raise NotAvailable(f"generating the untagged SDK: {made.why()}")
            # Byte-compiled, as `pip install` leaves a package (PYTHONDONTWRITEBYTECODE may be set here).
            compiled = run(
                [self.py("sdk"), "-m", "compileall", "-q", str(work / "out" / "src")],
                work,
                env_for(self.venv_dir("sdk")),
            )
            if compiled.returncode != 0:
                raise NotAvailable(f"compiling the untagged SDK: {compiled.why()}")
            cwd = fresh_dir("untagged-run")
            jobs: dict[str, Job] = {}
            for label, snippet, extra in (
                ("ours", UNTAGGED_SNIPPET, {"PYTHONPATH": str(work / "out" / "src")}),
                ("floor", FLOOR_SNIPPET, {}),
                ("by hand", UNTAGGED_BY_HAND, {}),
            ):
                cmd = [self.py("sdk"), "-c", snippet]
                env = env_for(self.venv_dir("sdk"), **extra)
                jobs[label] = Job.same(cmd, cwd, env)
                self.cmdline(f"(8) {label}", cmd)
            print("(8) a big untagged API: import + client + one call", file=sys.stderr)
            series(jobs, self.args.repeats * 2, warmup=2)
            ours = median_of(jobs["ours"], lambda r: r.seconds)
            floor = median_of(jobs["floor"], lambda r: r.seconds)
            by_hand = median_of(jobs["by hand"], lambda r: r.seconds)
        except NotAvailable as exc:
            row.ours = na(str(exc))
            self.rows.append(row)
            return
        self.rows.append(compare(row, ours, floor, fmt_seconds, 1.5))
        hand_row = Row(
            "(8b) the same, vs the same call written by hand (httpx and one pydantic model of the response)",
            target="<= 1.15x",
        )
        self.rows.append(compare(hand_row, ours, by_hand, fmt_seconds, 1.15))
        self.notes.append(
            f"(8): the call written by hand, with one pydantic model, takes {by_hand / floor:.2f}x "
            "`import httpx, pydantic` by itself: the first model class loads pydantic's model machinery, "
            "which `import pydantic` leaves unloaded. (8b) is what the SDK adds to that call."
        )

    def _peer_warnings(self, inputs: list[Path]) -> None:
        """One untimed run per spec, to say in the notes what openapi-python-client skipped."""
        tmp = fresh_dir("peer-probe")
        opc = str(self.venv_dir("peer") / "bin" / "openapi-python-client")
        for spec in inputs:
            result = run(
                [opc, "generate", "--path", str(spec), "--output-path", str(tmp / spec.stem), "--overwrite"],
                tmp,
                env_for(self.venv_dir("peer")),
            )
            if result.returncode != 0:
                raise NotAvailable(f"openapi-python-client on {spec.name}: {result.why()}")
            text = result.stdout + result.stderr
            skipped = len(re.findall(r"^(WARNING|ERROR|Unable to)", text, re.M))
            if skipped:
                self.notes.append(
                    f"openapi-python-client reported {skipped} warning(s) on {spec.name} (it skips what it cannot read)."
                )

    # (2) no-op and one-spec-changed regeneration ------------------------------------------

    def incremental(self) -> None:
        rows = [
            Row("(2) no-op regeneration (nothing changed)", peer="", target="< 0.3 s"),
            Row("(2) one-spec-changed regeneration"),
        ]
        try:
            self.py("sdkgen")
            out = fresh_dir("ours-incremental") / "out"
            env = env_for(self.venv_dir("sdkgen"))
            cmd = self._ours_generate(out)
            self._clear_caches()
            first = run(cmd, WORK, env)  # the previous run the no-op follows
            if first.returncode != 0:
                raise NotAvailable(first.why())
            edited = self._editable_description()
            counter = iter(range(1_000_000))

            def prepare_changed() -> Prepared:
                path, line_no = edited
                lines = path.read_text(encoding="utf-8").split("\n")
                lines[line_no] = re.sub(
                    r"( \(bench rev \d+\))?$", f" (bench rev {next(counter)})", lines[line_no], count=1
                )
                path.write_text("\n".join(lines), encoding="utf-8")
                return cmd, WORK, env

            print("(2) no-op regeneration", file=sys.stderr)
            noop = series({"ours": Job(lambda: (cmd, WORK, env))}, self.args.repeats)["ours"]
            print("(2) one-spec-changed regeneration", file=sys.stderr)
            changed = series({"ours": Job(prepare_changed)}, self.args.repeats)["ours"]
            self.cmdline("(2) ours, no-op: the same command again into the same output folder", cmd)
            self.notes.append(
                f"(2) one spec changed: each run appends a new revision number to one description in "
                f"{edited[0].relative_to(self.specs)} (line {edited[1] + 1}) of a copy of specs/ and regenerates into the previous output."
            )
            t = median_of(noop, lambda r: r.seconds)
            rows[0].ours, rows[0].met = fmt_seconds(t), ("yes" if t < 0.3 else "**MISSED**")
            rows[1].ours = fmt_seconds(median_of(changed, lambda r: r.seconds))
        except NotAvailable as exc:
            rows[0].ours = rows[1].ours = na(exc)
            rows[0].met = "n/a"
        self.rows += rows

    def _editable_description(self) -> tuple[Path, int]:
        """A plain one-line ``description:`` inside ``paths:`` of a REST spec (a doc change the SDK shows)."""
        plain = re.compile(r"^\s+description: [^'\"|>&*!{\[#][^#]*$")
        for spec in self.rest_specs:
            lines = spec.read_text(encoding="utf-8").split("\n")
            in_paths = False
            for i, line in enumerate(lines):
                in_paths = in_paths or line.startswith("paths:")
                if in_paths and plain.match(line) and not line.rstrip().endswith(":"):
                    return spec, i
        raise NotAvailable("no plain one-line description found in specs/openapi/*.yaml to edit")

    # (3) and (6): import and client construction ------------------------------------------

    def import_time(self) -> None:
        jobs: dict[str, Job] = {}
        cwd = fresh_dir("import")  # nothing importable here, so `python -c` finds only the venvs' packages
        problems: dict[str, str] = {}
        for label, which, snippet in (
            ("ours", "sdk", IMPORT_SNIPPET),
            ("official", "official", IMPORT_SNIPPET),
            ("floor", "sdk", FLOOR_SNIPPET),
        ):
            try:
                if label == "ours":
                    self.need_sdk()
                cmd = [self.py(which), "-c", snippet]
                env = env_for(self.venv_dir(which))
                jobs[label] = Job.same(cmd, cwd, env)
                self.cmdline(f"(3) {label}", cmd)
            except NotAvailable as exc:
                problems[label] = str(exc)
        probe = (
            IMPORT_SNIPPET + "; import sys; print(*(m for m in ('httpx', 'httpcore', 'pydantic') if m in sys.modules))"
        )
        loaded = [
            f"{label}: {', '.join(run([self.py(which), '-c', probe], cwd, env_for(getattr(self.envs, which))).stdout.split()) or 'none'}"
            for label, which in (("ours", "sdk"), ("official", "official"))
            if label in jobs
        ]
        self.notes.append(
            f"(3) which of httpx, httpcore, pydantic are loaded once the snippet ran: {'; '.join(loaded)}."
        )
        print("(3) import and client construction", file=sys.stderr)
        series(jobs, self.args.repeats * 2, warmup=2)  # short runs: twice the repeats
        values: dict[str, tuple[float, float] | None] = {}
        for label in ("ours", "official", "floor"):
            try:
                job = jobs.get(label)
                if job is None:
                    raise NotAvailable(problems[label])
                values[label] = (median_of(job, lambda r: r.seconds), median_of(job, lambda r: r.rss_mib))
            except NotAvailable as exc:
                problems[label] = str(exc)
                values[label] = None

        def side(label: str, i: int) -> float | None:
            pair = values[label]
            return pair[i] if pair else None

        rows = [
            Row(
                "(3) import + HumeClient(...) + .empathic_voice.configs + .tts.voices vs `import httpx, pydantic` (floor)",
                target="<= 1.2x",
            ),
            Row("(3) the same vs official hume==0.14.1", target="<= 0.6x"),
            Row("(6) peak memory of (3) vs official hume==0.14.1"),
            Row("(6) peak memory of the floor `import httpx, pydantic`"),
        ]
        compare(rows[0], side("ours", 0), side("floor", 0), fmt_seconds, 1.2)
        compare(rows[1], side("ours", 0), side("official", 0), fmt_seconds, 0.6)
        compare(rows[2], side("ours", 1), side("official", 1), fmt_mib, None)
        compare(rows[3], side("ours", 1), side("floor", 1), fmt_mib, None)
        for row, peer in zip(rows, ("floor", "official", "official", "floor")):
            if values["ours"] is None:
                row.ours = na(problems["ours"])
            if values[peer] is None:
                row.peer = na(problems[peer])
        self.rows += rows

    # (4) per-call overhead -------------------------------------------------------------

    def per_call(self, page: Path) -> None:
        server = subprocess.Popen(
            [sys.executable, str(WORKLOADS / "server.py"), str(page), "--max-seconds", "1800"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert server.stdin is not None and server.stdout is not None  # both are pipes
        try:
            url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
            jobs: dict[str, Job] = {}
            problems: dict[str, str] = {}
            for label, which in (("ours", "sdk"), ("official", "official"), ("raw", "sdk")):
                try:
                    if which == "sdk":
                        self.need_sdk()
                    cmd = [self.py(which), str(WORKLOADS / "calls.py"), label, url, "--calls", str(self.args.calls)]
                    jobs[label] = Job.same(cmd, WORK, env_for(self.venv_dir(which)))
                    self.cmdline(f"(4) {label}", cmd)
                except NotAvailable as exc:
                    problems[label] = str(exc)
            print(f"(4) per-call overhead, {self.args.calls} calls", file=sys.stderr)
            series(jobs, self.args.repeats)
        finally:
            server.stdin.close()
            server.wait(timeout=10)
        per_call: dict[str, float | None] = {}
        for label in ("ours", "official", "raw"):
            try:
                if label not in jobs:
                    raise NotAvailable(problems[label])
                per_call[label] = median_of(jobs[label], lambda r: json.loads(r.stdout)["us_per_call"]) / 1e6
            except NotAvailable as exc:
                problems[label] = str(exc)
                per_call[label] = None
        n = self.args.calls
        rows = [
            Row(
                f"(4) per call, {n} sequential list_configs on loopback vs raw httpx + model_validate_json",
                target="<= 1.15x",
            ),
            Row(f"(4) per call, {n} sequential list_configs on loopback vs official hume==0.14.1", target="< 1x"),
        ]
        fmt_us = lambda s: f"{s * 1e6:.0f} µs"  # noqa: E731
        compare(rows[0], per_call["ours"], per_call["raw"], fmt_us, 1.15)
        compare(rows[1], per_call["ours"], per_call["official"], fmt_us, 0.9999)
        for row, peer in zip(rows, ("raw", "official")):
            if per_call["ours"] is None:
                row.ours = na(problems["ours"])
            if per_call[peer] is None:
                row.peer = na(problems[peer])
        self.rows += rows

    # (5) socket message decode -----------------------------------------------------------

    def decode(self, corpus: Path) -> None:
        jobs: dict[str, Job] = {}
        problems: dict[str, str] = {}
        for label, which in (("ours", "sdk"), ("official", "official"), ("floor", "sdk")):
            try:
                if which == "sdk":
                    self.need_sdk()
                cmd = [self.py(which), str(WORKLOADS / "decode.py"), label, str(corpus)]
                jobs[label] = Job.same(cmd, WORK, env_for(self.venv_dir(which)))
                self.cmdline(f"(5) {label}", cmd)
            except NotAvailable as exc:
                problems[label] = str(exc)
        print(f"(5) socket decode, {self.args.messages} messages", file=sys.stderr)
        series(jobs, self.args.decode_repeats, warmup=0)
        rate: dict[str, float | None] = {}
        types: dict[str, dict[str, int]] = {}
        for label in ("ours", "official", "floor"):
            try:
                if label not in jobs:
                    raise NotAvailable(problems[label])
                rate[label] = median_of(
                    jobs[label], lambda r: (lambda d: d["messages"] / d["seconds"])(json.loads(r.stdout))
                )
                types[label] = json.loads(jobs[label].results[0].stdout)["types"]
            except NotAvailable as exc:
                problems[label] = str(exc)
                rate[label] = None
        row = Row(
            f"(5) EVI socket decode, {self.args.messages} mixed server messages, throughput vs official hume==0.14.1",
            target=">= 100x",
        )
        compare(row, rate["ours"], rate["official"], lambda r: f"{r:,.0f} msg/s", 100.0, higher_is_better=True)
        floor = Row(
            "(5) the same decode vs one pydantic-core discriminated-union `validate_json` per frame (floor)",
            target=">= 0.9x",
        )
        compare(floor, rate["ours"], rate["floor"], lambda r: f"{r:,.0f} msg/s", 0.9, higher_is_better=True)
        for each, peer in ((row, "official"), (floor, "floor")):
            if rate["ours"] is None:
                each.ours = na(problems["ours"])
            if rate[peer] is None:
                each.peer = na(problems[peer])
        if types.get("ours") and types.get("floor") and types["ours"] != types["floor"]:
            self.notes.append(f"(5) decoded classes differ: ours {types['ours']}, floor {types['floor']}")
        if types.get("ours") and types.get("official") and types["ours"] != types["official"]:
            self.notes.append(f"(5) decoded classes differ: ours {types['ours']}, official {types['official']}")
        elif types.get("official"):
            self.notes.append(f"(5) corpus mix (decoded classes): {types['official']}")
        self.rows += [row, floor]


# --------------------------------------------------------------------------- main


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem = f"{int(found.group(1)) / 1024 / 1024:.0f} GiB RAM" if found else "unknown RAM"
    except OSError:
        mem = "unknown RAM"
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "templates", "specs", "generated"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    commit += " with uncommitted changes" if commit and dirty else ""
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem}; {platform.platform()}; Python {platform.python_version()}; "
        f"sdkgen commit {commit or '?'}; {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, calls and messages (for a smoke run)")
    parser.add_argument(
        "--repeats", type=int, help="timed runs per side (default 7, quick 3); each after one warm-up run"
    )
    parser.add_argument("--decode-repeats", type=int, help="runs of the decode measure (default 3, quick 1)")
    parser.add_argument("--calls", type=int, help="list_configs calls per run (default 2000, quick 300)")
    parser.add_argument("--messages", type=int, help="EVI messages decoded per run (default 50000, quick 5000)")
    parser.add_argument(
        "--only", default="1,2,3,4,5,7,8", help="comma-separated measures to run (6 comes with 1 and 3)"
    )
    parser.add_argument("--no-install", action="store_true", help="use the venvs under .bench/ as they are")
    parser.add_argument("--no-write", action="store_true", help="do not write benchmarks/RESULTS.md")
    parser.add_argument("--python", default=sys.executable, help="interpreter the venvs are made from")
    args = parser.parse_args(argv)
    quick = args.quick
    args.repeats = args.repeats or (3 if quick else 7)
    args.decode_repeats = args.decode_repeats or (1 if quick else 3)
    args.calls = args.calls or (300 if quick else 2000)
    args.messages = args.messages or (5000 if quick else 50_000)
    only = {int(x) for x in args.only.split(",") if x.strip()}

    BENCH.mkdir(exist_ok=True)
    WORK.mkdir(exist_ok=True)
    print("setting up environments", file=sys.stderr)
    envs = setup(args.python, refresh=not args.no_install)
    # Made in a child process: the corpus would otherwise swell this process, which every child's peak RSS counts.
    made = subprocess.run([sys.executable, str(WORKLOADS / "data.py"), str(BENCH / "data"), str(args.messages)],
                          check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    corpus, page = Path(made[0]), Path(made[1])
    bench = Bench(args, envs)
    if 1 in only:
        bench.full_regeneration()
    if 2 in only:
        bench.incremental()
    if 3 in only:
        bench.import_time()
    if 4 in only:
        bench.per_call(page)
    if 5 in only:
        bench.decode(corpus)
    if 7 in only:
        bench.large_description()
    if 8 in only:
        bench.untagged()

    table = render(bench.rows)
    where = machine()
    print()
    print(table)
    print(f"\nMachine: {where}")
    for note in bench.notes:
        print(f"- {note}")
    if not args.no_write and not quick and only == {1, 2, 3, 4, 5, 7, 8}:
        write_results(table, where, args, bench)
        print(f"\nwrote {(HERE / 'RESULTS.md').relative_to(REPO)}")
    return 0


def write_results(table: str, where: str, args: argparse.Namespace, bench: Bench) -> None:
    text = f"""# Benchmark results

Latest full run of `make bench` (`python benchmarks/run.py`). What each row measures: [README.md](README.md).

Machine: {where}

Each figure is the median of {args.repeats} whole-process runs after a warm-up run ((3): {args.repeats * 2} runs after 2
warm-ups; (5): {args.decode_repeats} runs); each ratio is ours / the other side, both measured in this same run,
alternating sides run by run. (4) and (5) time the loop inside each process.

{table}

Notes:

{chr(10).join("- " + n for n in bench.notes) or "- none"}

Commands (venvs under `.bench/`):

{chr(10).join(bench.commands)}
"""
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
