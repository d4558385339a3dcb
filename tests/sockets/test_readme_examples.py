"""The programs of the generated READMEs' WebSockets sections run, as written, against loopback servers.

``test_usable.py`` type-checks them; here each one runs to its end in a subprocess (``PYTHONPATH``
at the SDK's ``src``, a 60 s timeout), with one change: its client is given ``base_url=`` the
loopback server, by a substitution of the README's constructor line that fails if that line
changes. The server is ``spec_server.py``'s, over the SDK's AsyncAPI documents: it validates
every message the program sends against its schema, answers with what each branch of the
program reads (the two messages it prints, one of a type the SDK does not know, the message
carrying the resume value), closes with the code the example is about (normally, with an error
code, or refuses the handshake) and records every handshake. The test compares what the program
printed with what each branch prints, so a branch not reached fails it.

Two SDKs: Hume's (``generated/``: five programs on ``empathic_voice.chat``) and the speech test
SDK of ``tests/specs/speech/speech.yaml`` (socket-only, zero-config: five on ``listen``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.format import format_files
from generator.pipeline import Project, build_ir
from generator.render import render
from generator.write import write_tree
from tests.conftest import GENERATED, REPO
from tests.sockets.hume_package import API, import_generated
from tests.sockets.spec_server import Plan, Specs, SpecServer
from tests.sockets.test_usable import socket_examples

SPEECH = REPO / "tests" / "specs" / "speech" / "speech.yaml"
UNKNOWN = {"type": "from_the_future", "x": 1}
UNKNOWN_PRINTED = f"unknown message from_the_future {UNKNOWN}"
KINDS = ("loop", "async", "callbacks", "errors", "reconnect")
"""The README's programs, in order; each is recognised by what it shows (``MARKS``) too."""
MARKS = {
    "loop": "for message in socket:",
    "async": "async for message in socket:",
    "callbacks": "socket.start_listening()",
    "errors": "except ApiError as error:",
    "reconnect": "for attempt in range(5):",
}


@dataclass(frozen=True)
class Sdk:
    """An SDK whose README is run, and what its programs send, read and print."""

    name: str
    readme: Path
    src: Path
    server: SpecServer
    clients: tuple[str, str]
    """The sync and async client classes, as the README constructs them."""
    base_url: str
    """What a user would give the client to reach a server of their own (the loopback server)."""
    key_header: str
    """Where the handshake carries the API key."""
    sent: dict[str, typing.Any]
    """The message the programs send (as a model, then as a dict: the same frame)."""
    first: dict[str, typing.Any]
    """The message of the programs' first printing branch, and what that branch prints."""
    first_printed: str
    second: dict[str, typing.Any]
    second_printed: str
    resume: tuple[str, dict[str, typing.Any], str]
    """The resume parameter, the message whose field carries its value, and the value."""

    def program(self, kind: str, sync: bool = True) -> str:
        """The README's ``kind`` program, its client pointed at the loopback server."""
        examples = socket_examples(self.readme.read_text(encoding="utf-8"))
        assert len(examples) == len(KINDS), f"{self.name}: the WebSockets section has {len(examples)} programs"
        code = examples[KINDS.index(kind)]
        assert MARKS[kind] in code, f"{self.name}: the README's {kind} program is not where it was:\n{code}"
        client = self.clients[0 if sync else 1]
        line = f'client = {client}(api_key="YOUR_API_KEY")\n'
        assert code.count(line) == 1, f"{self.name}: the {kind} program no longer constructs {line!r}:\n{code}"
        return code.replace(line, f'client = {client}(api_key="YOUR_API_KEY", base_url="{self.base_url}")\n')

    def run(self, kind: str, *plans: Plan, sync: bool = True) -> list[str]:
        """Run the ``kind`` program against the server following ``plans``; the lines it printed."""
        self.server.reset(*plans)
        environment = {**os.environ, "PYTHONPATH": str(self.src)}
        result = subprocess.run(
            [sys.executable, "-c", self.program(kind, sync)],
            capture_output=True,
            text=True,
            timeout=60,
            env=environment,
            check=False,
        )
        assert result.returncode == 0, f"{self.name} {kind}: exit {result.returncode}\n{result.stderr}"
        assert self.server.errors == [], self.server.errors  # every message sent fits its schema
        assert self.server.plans == [], "a planned connection was not made"
        for handshake in self.server.handshakes:
            assert handshake.headers.get(self.key_header) == "YOUR_API_KEY"  # the constructor's key
        return result.stdout.splitlines()


# ---------------------------------------------------------------------------------------------
# The SDKs and their servers
# ---------------------------------------------------------------------------------------------


def hume(spec_server: SpecServer) -> Sdk:
    package = import_generated()
    assert package.__file__ is not None
    specs = spec_server.specs
    chat = specs.channels["empathic-voice:chat"]
    example = {message.name: specs.example(message) for message in chat.receives}
    prosody = example["AssistantProsody"]
    models = package.empathic_voice.AssistantProsody.model_validate(prosody).models
    return Sdk(
        name="hume",
        readme=GENERATED / "README.md",
        src=Path(package.__file__).resolve().parents[1],
        server=spec_server,
        clients=(API.ir.client, API.ir.async_client),
        base_url=f"http://127.0.0.1:{spec_server.port}",  # the REST base; the WebSocket URLs follow it
        key_header="X-Hume-Api-Key",
        sent={"type": "audio_input", "data": "data"},
        first=example["AssistantMessage"],
        first_printed=str(package.empathic_voice.AssistantMessage.model_validate(example["AssistantMessage"]).message),
        second=prosody,
        second_printed=str(models),  # message.models
        resume=("resumed_chat_group_id", {**example["ChatMetadata"], "chat_group_id": "group-7"}, "group-7"),
    )


@pytest.fixture(scope="module")
def speech_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sdk]:
    out = tmp_path_factory.mktemp("speech")
    write_tree(format_files(render(build_ir(Project.from_files([SPEECH])))), out)
    server = SpecServer(Specs(SPEECH.parent, [SPEECH])).start()
    try:
        yield Sdk(
            name="speech",
            readme=out / "README.md",
            src=out / "src",
            server=server,
            clients=("SpeechClient", "AsyncSpeechClient"),
            base_url=f"ws://127.0.0.1:{server.port}",  # a socket-only API: its one URL is a WebSocket's
            key_header="X-Speech-Key",
            sent={"type": "audio", "data": "data"},
            first={"type": "transcript", "text": "hello world", "final": True},
            first_printed="hello world",  # message.text
            second={"type": "session_started", "session_id": "s-123"},
            second_printed="s-123",  # message.session_id
            resume=("resume_session_id", {"type": "session_started", "session_id": "s-456"}, "s-456"),
        )
    finally:
        server.stop()


@pytest.fixture(params=["hume", "speech"])
def sdk(request: pytest.FixtureRequest) -> Sdk:
    if request.param == "hume":
        return hume(request.getfixturevalue("spec_server"))
    return typing.cast(Sdk, request.getfixturevalue("speech_sdk"))


def frames(*messages: dict[str, typing.Any]) -> list[str | bytes]:
    return [json.dumps(message) for message in messages]


# ---------------------------------------------------------------------------------------------
# The programs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
def test_the_send_and_receive_program_runs(sdk: Sdk, sync: bool) -> None:
    """Sends the message as a model and as a dict (one frame each, validated by the server);
    every branch of the loop prints; the server's normal close (1000) ends the loop."""
    printed = sdk.run(
        "loop" if sync else "async",
        Plan(expect=2, replies=frames(sdk.first, sdk.second, UNKNOWN)),
        sync=sync,
    )
    assert printed == [sdk.first_printed, sdk.second_printed, UNKNOWN_PRINTED]
    assert [message for _, message in sdk.server.received] == [sdk.sent, sdk.sent]


def test_the_callbacks_program_runs(sdk: Sdk) -> None:
    """Each handler runs: open, each message, the error close (to the "error" handler), close."""
    printed = sdk.run(
        "callbacks", Plan(expect=1, replies=frames(sdk.first, UNKNOWN), close_code=4000, close_reason="bye")
    )
    assert printed[0] == "open" and printed[3:] == [
        "error the server closed the connection with code 4000: bye",
        "closed",
    ], printed
    assert printed[1].startswith(f"received type='{sdk.first['type']}'"), printed
    assert printed[2].startswith("received UnknownMessage(tag='from_the_future'"), printed
    assert [message for _, message in sdk.server.received] == [sdk.sent]


def test_the_errors_program_runs(sdk: Sdk) -> None:
    """A close with an error code is a ``SocketClosedError`` from the server's side, the normal
    closes (1000, 1001, none) are not errors; a refused handshake is an ``ApiError`` with its
    status and body."""
    printed = sdk.run("errors", Plan(replies=frames(sdk.first), close_code=1011, close_reason="server fault"))
    assert len(printed) == 2 and printed[0].startswith(f"type='{sdk.first['type']}'"), printed
    assert printed[1] == "1011 server fault False"
    for normal in (1001, None):  # "going away", and a close frame without a code: normal closes too
        printed = sdk.run("errors", Plan(replies=frames(sdk.first), close_code=normal))
        assert len(printed) == 1 and printed[0].startswith(f"type='{sdk.first['type']}'"), printed
    printed = sdk.run("errors", Plan(reject_status=401))
    assert printed == ["401 rejected by the test plan", ""]  # the body ends with a newline
    assert len(sdk.server.handshakes) == 1


def test_the_reconnecting_program_resumes(sdk: Sdk) -> None:
    """Dropped with an error code after the message carrying the resume value, the program
    reconnects (after its one-second wait) with that value, and stops at the normal close."""
    param, carrier, value = sdk.resume
    printed = sdk.run(
        "reconnect",
        Plan(replies=frames(carrier, sdk.first, UNKNOWN), close_code=1012, close_reason="restarting"),
        Plan(replies=frames(sdk.first)),
    )
    assert printed == [sdk.first_printed, UNKNOWN_PRINTED, "dropped (1012), reconnecting", sdk.first_printed]
    first, second = sdk.server.handshakes
    assert param not in dict(first.query) and dict(second.query)[param] == value
    assert first.path == second.path
