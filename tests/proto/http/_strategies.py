"""Hypothesis strategies for valid HTTP/1.1 messages, as events and as bytes."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Names that change framing or connection handling are added deliberately, not
# drawn at random.
RESERVED = {
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "upgrade",
    "expect",
    "te",
    "trailer",
    "keep-alive",
    "proxy-connection",
}
# llhttp (httptools) knows a fixed method list; stick to it for the oracle.
METHODS = [b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"PROPFIND"]
TARGET_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/%?"
)

names = (
    st.text(TCHARS, min_size=1, max_size=12)
    .filter(lambda n: n.lower() not in RESERVED)
    .map(lambda n: n.encode())
)
# Values: visible ASCII and obs-text with inner spaces/tabs, never surrounding
# whitespace (which a parser strips).
_VALUE_CHARS = bytes([0x09, *range(0x20, 0x7F), *range(0x80, 0x100)])
values = st.binary(max_size=24).map(
    lambda raw: bytes(_VALUE_CHARS[b % len(_VALUE_CHARS)] for b in raw).strip(b" \t")
)
_ASCII_VALUE_CHARS = bytes([0x09, *range(0x20, 0x7F)])
ascii_values = st.binary(max_size=24).map(
    lambda raw: bytes(
        _ASCII_VALUE_CHARS[b % len(_ASCII_VALUE_CHARS)] for b in raw
    ).strip(b" \t")
)
headers = st.lists(st.tuples(names, values), max_size=8)
targets = st.text(TARGET_CHARS, max_size=30).map(lambda t: ("/" + t).encode())
bodies = st.binary(max_size=200)


@dataclass
class Message:
    """A generated request: its bytes and what a parser should report."""

    method: bytes
    target: bytes
    version: bytes
    headers: list[tuple[bytes, bytes]]  # as sent (mixed-case names)
    body: bytes
    raw: bytes


@st.composite
def requests(draw: st.DrawFn, *, ascii_only: bool = False) -> Message:
    """A valid request, framed by Content-Length, chunked, or without a body."""
    method = draw(st.sampled_from(METHODS))
    target = draw(targets)
    version = draw(st.sampled_from([b"1.1", b"1.1", b"1.0"]))
    hdrs = draw(
        st.lists(st.tuples(names, ascii_values if ascii_only else values), max_size=8)
    )
    if version == b"1.1":
        hdrs.insert(draw(st.integers(0, len(hdrs))), (b"Host", b"example.com"))
    body = draw(bodies)
    framing = draw(st.sampled_from(["length", "chunked", "none"]))
    if version == b"1.0" and framing == "chunked":
        framing = "length"
    if framing == "none":
        body = b""
    chunks = b""
    if framing == "length":
        hdrs.append((b"Content-Length", b"%d" % len(body)))
    elif framing == "chunked":
        hdrs.append((b"Transfer-Encoding", b"chunked"))
        sizes = draw(st.lists(st.integers(1, 50), max_size=10))
        pos = 0
        for size in sizes:
            piece = body[pos : pos + size]
            if not piece:
                break
            chunks += b"%x\r\n%b\r\n" % (len(piece), piece)
            pos += len(piece)
        if pos < len(body):
            chunks += b"%X\r\n%b\r\n" % (len(body) - pos, body[pos:])
        chunks += b"0\r\n\r\n"
    head = b"%b %b HTTP/%b\r\n" % (method, target, version)
    head += b"".join(b"%b: %b\r\n" % (n, v) for n, v in hdrs) + b"\r\n"
    raw = head + (chunks if framing == "chunked" else body)
    return Message(method, target, version, hdrs, body, raw)


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Apply ``(kind, position, byte)`` edits: 0 flip, 1 insert, 2 delete."""
    buf = bytearray(data)
    for kind, position, byte in edits:
        if not buf:
            buf.append(byte)
            continue
        at = position % len(buf)
        if kind == 0:
            buf[at] ^= byte or 1
        elif kind == 1:
            buf.insert(at, byte)
        else:
            del buf[at]
    return bytes(buf)


edits = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.integers(0, 255)),
    min_size=1,
    max_size=4,
)


@dataclass
class ResponseMessage:
    """A generated response: its bytes and what a parser should report."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    raw: bytes


@st.composite
def responses(draw: st.DrawFn) -> ResponseMessage:
    """A valid keep-alive response framed by Content-Length or chunked."""
    status = draw(st.sampled_from([200, 201, 202, 301, 302, 400, 404, 418, 500, 503]))
    hdrs = draw(st.lists(st.tuples(names, values), max_size=8))
    body = draw(bodies)
    if draw(st.booleans()):
        hdrs.append((b"Content-Length", b"%d" % len(body)))
        raw_body = body
    else:
        hdrs.append((b"Transfer-Encoding", b"chunked"))
        sizes = draw(st.lists(st.integers(1, 50), max_size=10))
        raw_body, pos = b"", 0
        for size in sizes:
            piece = body[pos : pos + size]
            if not piece:
                break
            raw_body += b"%x\r\n%b\r\n" % (len(piece), piece)
            pos += len(piece)
        if pos < len(body):
            raw_body += b"%x\r\n%b\r\n" % (len(body) - pos, body[pos:])
        raw_body += b"0\r\n\r\n"
    reason = draw(st.sampled_from([b"OK", b"", b"Some Reason", b"x"]))
    head = b"HTTP/1.1 %d %b\r\n" % (status, reason)
    head += b"".join(b"%b: %b\r\n" % (n, v) for n, v in hdrs) + b"\r\n"
    return ResponseMessage(status, hdrs, body, head + raw_body)
