"""URL helpers, status phrases, and the public API of ``aio.proto.http``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import aio.proto
import aio.proto.http as http
from aio.proto.http import STATUS_PHRASES, percent_decode_path, split_target


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (b"/", (b"/", b"")),
        (b"/a/b?x=1&y=2", (b"/a/b", b"x=1&y=2")),
        (b"/a?", (b"/a", b"")),
        (b"/a?b?c", (b"/a", b"b?c")),
        (b"/a#frag", (b"/a", b"")),
        (b"/a?q#frag", (b"/a", b"q")),
        (b"*", (b"*", b"")),
        (b"http://example.com/p?q=1", (b"/p", b"q=1")),
        (b"http://example.com", (b"/", b"")),
        (b"https://example.com:8443/a/b", (b"/a/b", b"")),
        (b"example.com:443", (b"example.com:443", b"")),
    ],
)
def test_split_target(target: bytes, expected: tuple[bytes, bytes]) -> None:
    assert split_target(target) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"/plain", "/plain"),
        (b"/a%20b", "/a b"),
        (b"/caf%C3%A9", "/café"),
        (b"/caf%c3%a9", "/café"),
        (b"/%2F", "//"),
        (b"/100%", "/100%"),
        (b"/%zz", "/%zz"),
        (b"/%4", "/%4"),
        (b"/%ff", "/\ufffd"),
        (b"/%%41", "/%A"),
    ],
)
def test_percent_decode_path(raw: bytes, expected: str) -> None:
    assert percent_decode_path(raw) == expected


@given(st.text())
def test_percent_decode_round_trip(text: str) -> None:
    encoded = "".join(f"%{b:02X}" for b in text.encode("utf-8")).encode()
    assert percent_decode_path(encoded) == text


@given(st.binary())
def test_percent_decode_never_fails(raw: bytes) -> None:
    assert isinstance(percent_decode_path(raw), str)


def test_status_phrases() -> None:
    assert STATUS_PHRASES[200] == b"OK"
    assert STATUS_PHRASES[404] == b"Not Found"
    assert all(100 <= code < 600 for code in STATUS_PHRASES)


def test_public_api() -> None:
    assert isinstance(http.__all__, tuple)
    assert aio.proto.__all__ == ()
    for name in http.__all__:
        assert hasattr(http, name), name
    # The contract other components build on.
    for name in (
        "Connection",
        "CLIENT",
        "SERVER",
        "Limits",
        "Request",
        "Response",
        "InformationalResponse",
        "Data",
        "EndOfMessage",
        "ConnectionClosed",
        "NEED_DATA",
        "PAUSED",
        "HTTPProtocolError",
        "LocalHTTPProtocolError",
        "RequestLineTooLong",
        "HeaderBlockTooLarge",
        "TooManyHeaders",
        "BodyTooLarge",
        "InvalidHeader",
        "InvalidRequestLine",
        "InvalidContentLength",
        "InvalidChunk",
        "UnsupportedTransferEncoding",
        "RequestSmugglingError",
        "percent_decode_path",
        "split_target",
        "STATUS_PHRASES",
        "IDLE",
        "SEND_BODY",
        "DONE",
        "MUST_CLOSE",
        "CLOSED",
        "ERROR",
    ):
        assert name in http.__all__, name


def test_public_things_are_documented() -> None:
    for name in http.__all__:
        obj = getattr(http, name)
        if callable(obj) and not isinstance(obj, type(http.NEED_DATA)):
            assert obj.__doc__, name


def test_status_hints() -> None:
    assert http.RequestLineTooLong("x").status_hint == 414
    assert http.HeaderBlockTooLarge("x").status_hint == 431
    assert http.TooManyHeaders("x").status_hint == 431
    assert http.BodyTooLarge("x").status_hint == 413
    assert http.InvalidHeader("x").status_hint == 400
    assert http.UnsupportedTransferEncoding("x").status_hint == 501
    assert http.RequestSmugglingError("x").status_hint == 400
    assert http.InvalidRequestLine("x", status_hint=505).status_hint == 505


def test_docs_examples_run() -> None:
    import pathlib
    import re

    page = pathlib.Path(__file__).parents[3] / "docs" / "proto-http.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})
