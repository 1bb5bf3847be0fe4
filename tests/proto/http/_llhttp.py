"""Read llhttp's markdown test corpus and replay its cases on our parser.

The corpus (``/work/shared/conformance/llhttp-tests``, read in place) is a set of
markdown files; each case is a ``<!-- meta=... -->`` comment, an ``http`` block
(the input) and a ``log`` block (llhttp's callbacks). The log's spans carry input
offsets, so expected values are sliced from the decoded input instead of
unescaping the quoted text.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from aio.proto.http import (
    CLIENT,
    DONE,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    NEED_DATA,
    PAUSED,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    Connection,
    ConnectionClosed,
    Data,
    EndOfMessage,
    HTTPProtocolError,
    InformationalResponse,
    Request,
    Response,
)

_ESCAPE = re.compile(rb"\\(r|n|t|f|x[0-9a-fA-F]{2}|[0-7]{1,3})")
_LINE = re.compile(r"^off=(\d+|NULL) (?:len=(\d+) )?(.*)$")


@dataclass
class Message:
    """What one parsed message looked like, for either parser."""

    start: tuple[bytes, ...] = ()
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""
    complete: bool = False


@dataclass
class Case:
    """One corpus case."""

    ident: str
    kind: str
    meta: dict[str, object]
    data: bytes
    messages: list[Message]
    #: "ok", "error", "upgrade" (llhttp pauses on CONNECT/Upgrade) or
    #: "after-close" (bytes after a message that closes the connection).
    outcome: str


def _decode_input(text: str) -> bytes:
    if text.endswith("\n"):
        text = text[:-1]
    text = text.replace("\\\n", "").replace("\n", "\r\n")

    def unescape(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        simple = {b"r": b"\r", b"n": b"\n", b"t": b"\t", b"f": b"\f"}
        if code in simple:
            return simple[code]
        # The upstream harness builds a JS string and encodes it as UTF-8, so
        # an escaped byte above 0x7F becomes two bytes; offsets in the logs
        # count those.
        value = int(code[1:], 16) if code[:1] == b"x" else int(code, 8) & 0xFF
        return chr(value).encode("utf-8")

    return _ESCAPE.sub(unescape, text.encode("utf-8"))


def _expected(data: bytes, log: str) -> tuple[list[Message], str]:
    messages: list[Message] = []
    current: Message | None = None
    spans: dict[str, bytes] = {}
    name = b""
    outcome = "ok"
    for raw in log.strip().splitlines():
        match = _LINE.match(raw.strip())
        if match is None:
            continue
        off_text, length, what = match.groups()
        if what.startswith("error code=22 "):
            outcome = "upgrade"
            break
        if what.startswith("error code=5 "):
            outcome = "after-close"
            break
        if what == "finish=1" and messages:
            # llhttp_finish() ended a read-until-close body.
            messages[-1].complete = True
            break
        if what.startswith("error code=") or what == "finish=2":
            outcome = "error"
            break
        if what == "message begin":
            current = Message()
            messages.append(current)
            spans = {}
            continue
        if current is None:
            continue
        if length is not None and what.startswith("span["):
            kind = what[5 : what.index("]")]
            off = int(off_text)
            piece = data[off : off + int(length)]
            if kind == "body":
                current.body += piece
            else:
                spans[kind] = spans.get(kind, b"") + piece
        elif what == "header_field complete":
            name = spans.pop("header_field", b"")
        elif what == "header_value complete":
            value = spans.pop("header_value", b"")
            current.headers.append((name.lower(), value.strip(b" \t")))
        elif what.startswith("headers complete"):
            if "url" in spans or "method" in spans:
                current.start = (
                    spans.get("method", b""),
                    spans.get("url", b""),
                    spans.get("version", b""),
                )
            else:
                status = re.search(r"status=(\d+)", what)
                assert status is not None
                current.start = (status.group(1).encode(), spans.get("version", b""))
        elif what == "message complete":
            current.complete = True
    # A message whose head never completed is not an event for us.
    while messages and not messages[-1].start:
        messages.pop()
    return messages, outcome


def _split_cases(text: str) -> list[tuple[str, dict[str, object], str, str]]:
    # Line scanner: a case is a meta comment, then the next ```http fence, then
    # the next ```log fence; prose may sit between them.
    out: list[tuple[str, dict[str, object], str, str]] = []
    lines = text.split("\n")
    title = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            title = line.lstrip("#").strip()
        elif line.startswith("<!-- meta="):
            meta = json.loads(line[len("<!-- meta=") : line.rindex("-->")])
            blocks: list[str] = []
            for fence in ("```http", "```log"):
                while lines[i].strip() != fence:
                    i += 1
                i += 1
                body: list[str] = []
                while lines[i].strip() != "```":
                    body.append(lines[i])
                    i += 1
                blocks.append("\n".join(body) + "\n")
            out.append((title, meta, blocks[0], blocks[1]))
        i += 1
    return out


def load_cases(root: str) -> list[Case]:
    """Every case of every markdown file under ``root/test/{request,response}``."""
    cases: list[Case] = []
    for sub in ("request", "response"):
        folder = os.path.join(root, "test", sub)
        for filename in sorted(os.listdir(folder)):
            if not filename.endswith(".md"):
                continue
            with open(os.path.join(folder, filename), encoding="utf-8") as fh:
                text = fh.read()
            seen: dict[str, int] = {}
            for title, meta, http, log in _split_cases(text):
                data = _decode_input(http)
                messages, outcome = _expected(data, log)
                base = f"{sub}/{filename[:-3]}: {title}"
                seen[base] = seen.get(base, 0) + 1
                ident = base if seen[base] == 1 else f"{base} #{seen[base]}"
                cases.append(
                    Case(ident, str(meta["type"]), meta, data, messages, outcome)
                )
    return cases


def replay(case: Case, chunk: int | None = None) -> tuple[list[Message], str]:
    """Run ``case`` through our parser; return its messages and the outcome
    ("ok", "error", "upgrade", "after-close"), comparable with llhttp's.

    Requests are parsed by a server connection that answers each one with an
    empty 200 so that pipelined requests get parsed too; responses by a client
    connection that sends a GET before each. llhttp checks every byte as it
    arrives, we check a head once it is complete: when llhttp rejects a case
    whose head never ends, the head is completed with an empty line before we
    judge, so that the rejection is for the same defect.
    """
    is_request = case.kind.startswith("request")
    conn = Connection(SERVER if is_request else CLIENT, require_host=False)
    messages: list[Message] = []
    if not is_request:
        _send_get(conn)
    data = case.data
    step = chunk or len(data) or 1
    pieces = [data[i : i + step] for i in range(0, len(data), step)]
    if case.kind.endswith("-finish"):
        pieces.append(b"")
    try:
        for piece in pieces:
            conn.receive_data(piece)
            outcome = _pump(conn, is_request, messages)
            if outcome != "ok":
                return messages, outcome
        if case.outcome == "error" and conn.their_state in (IDLE, SEND_RESPONSE):
            conn.receive_data(b"\r\n\r\n")
            outcome = _pump(conn, is_request, messages)
            if outcome != "ok":
                return messages, outcome
    except HTTPProtocolError:
        return messages, "error"
    return messages, "ok"


def _send_get(conn: Connection) -> None:
    # The request offers an upgrade, so that 101 responses in the corpus are
    # answers to something (a 101 nobody asked for is a protocol error).
    headers = [(b"host", b"x"), (b"connection", b"upgrade"), (b"upgrade", b"x")]
    conn.send(Request(b"GET", b"/", headers))
    conn.send(EndOfMessage())


def _pump(conn: Connection, is_request: bool, messages: list[Message]) -> str:
    while True:
        event = conn.next_event()
        if event is NEED_DATA:
            return "ok"
        if event is PAUSED:
            if conn.their_state in (MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL):
                return "upgrade"
            if is_request and conn.our_state is SEND_RESPONSE:
                conn.send_response(200, [], b"")
            if conn.our_state is DONE and conn.their_state is DONE:
                # A pipelined message: finish the cycle and go on.
                conn.start_next_cycle()
                if not is_request:
                    _send_get(conn)
                continue
            return "after-close"
        if isinstance(event, Request):
            messages.append(
                Message((event.method, event.target, event.http_version), event.headers)
            )
        elif isinstance(event, (Response, InformationalResponse)):
            messages.append(
                Message(
                    (str(event.status_code).encode(), event.http_version),
                    event.headers,
                    complete=isinstance(event, InformationalResponse),
                )
            )
        elif isinstance(event, Data):
            messages[-1].body += event.data
        elif isinstance(event, EndOfMessage):
            messages[-1].complete = True
            messages[-1].headers = messages[-1].headers + event.headers
            if conn.their_state is SWITCHED_PROTOCOL or (
                conn.their_state is MIGHT_SWITCH_PROTOCOL
            ):
                return "upgrade"
        else:
            assert isinstance(event, ConnectionClosed)
            return "ok"
