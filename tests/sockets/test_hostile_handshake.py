"""A channel's address is filled by name (``..`` stays one literal segment), and the password of a
``base_url`` with userinfo is kept out of the ``websockets`` logs."""

from __future__ import annotations

import importlib
import logging
import sys
import types
from collections.abc import Iterator

import pytest

from tests.conftest import REPO

GENERATED_SRC = str(REPO / "generated" / "src")


@pytest.fixture()
def hume_sdk() -> Iterator[types.ModuleType]:
    sys.path.insert(0, GENERATED_SRC)
    try:
        yield importlib.import_module("hume")
    finally:
        sys.path.remove(GENERATED_SRC)


def test_the_password_of_a_base_url_is_a_secret_of_the_handshake(
    hume_sdk: types.ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    socket_client = importlib.import_module("hume.empathic_voice.chat.socket_client")
    socket = importlib.import_module("hume.core._socket")
    client = hume_sdk.HumeClient(api_key="key", base_url="http://user:s3cret@127.0.0.1:9")
    url, _, secrets = socket_client._CHANNEL.handshake(
        client._client_wrapper, path_params={}, query={}, api_key=None, request_options=None
    )
    assert url.startswith("ws://user:s3cret@127.0.0.1:9/") and "s3cret" in secrets
    with caplog.at_level(logging.DEBUG, logger="websockets.client"):
        socket.RedactingLogger(secrets).debug("connecting to %s", url)
    assert "s3cret" not in caplog.text and "user:***@127.0.0.1" in caplog.text
    assert "s3cret" not in repr(client._client_wrapper)


def test_a_channel_address_is_filled_by_name_only(hume_sdk: object) -> None:
    urls = importlib.import_module("hume.core._urls")
    assert urls.fill("/chat/{room}/{room}", {"room": ".."}) == "/chat/%2E%2E/%2E%2E"
    assert urls.fill("/chat/{room}", {"room": "{room.__class__}"}) == "/chat/%7Broom.__class__%7D"
