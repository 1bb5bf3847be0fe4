"""Header-value grammar used by the opening handshake (RFC 6455 §4, §9.1).

``Connection``, ``Upgrade`` and ``Sec-WebSocket-Protocol`` are comma-separated
token lists (RFC 9110 §5.6.1, empty elements allowed and ignored);
``Sec-WebSocket-Extensions`` is a list of ``name *(";" param ["=" value])``
where a value is a token or a quoted-string whose content is itself a token.
Everything here is pure string work that raises
:class:`~aio.proto.websocket.InvalidHandshakeError` on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from aio.proto.websocket._errors import InvalidHandshakeError

__all__ = ("get_all", "parse_extensions", "parse_token_list")

Headers = Sequence[tuple[bytes, bytes]]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_OWS = re.compile(r"[ \t]*")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def get_all(headers: Headers, name: bytes) -> list[str]:
    """All values of header ``name`` (lower-case bytes), decoded as Latin-1."""
    return [v.decode("latin-1") for k, v in headers if k.lower() == name]


def parse_token_list(values: Iterable[str]) -> list[str]:
    """Split comma-separated token lists; tokens keep their case.

    :raises InvalidHandshakeError: an element is not a token.
    """
    tokens: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip(" \t")
            if not item:
                continue
            if not _TOKEN.fullmatch(item):
                raise InvalidHandshakeError(f"invalid token {item!r} in header list")
            tokens.append(item)
    return tokens


class _Scanner:
    """A cursor over one header value, for the extension grammar."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_ows(self) -> None:
        m = _OWS.match(self.text, self.pos)
        if m:
            self.pos = m.end()

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def token(self) -> str:
        m = _TOKEN.match(self.text, self.pos)
        if not m:
            raise InvalidHandshakeError(
                f"expected a token at position {self.pos} of {self.text!r}"
            )
        self.pos = m.end()
        return m.group()

    def value(self) -> str:
        if self.peek() != '"':
            return self.token()
        m = _QUOTED.match(self.text, self.pos)
        if not m:
            raise InvalidHandshakeError(f"unterminated quoted-string in {self.text!r}")
        self.pos = m.end()
        content = re.sub(r"\\(.)", r"\1", m.group(1))
        # §9.1: a quoted value must still be a token once unquoted.
        if not _TOKEN.fullmatch(content):
            raise InvalidHandshakeError(f"quoted value {content!r} is not a token")
        return content


def parse_extensions(
    values: Iterable[str],
) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Parse ``Sec-WebSocket-Extensions`` values into ``(name, params)`` pairs.

    Names and parameter names are lower-cased (extension tokens are
    case-insensitive in practice, and RFC 7692 names are lower-case).

    :raises InvalidHandshakeError: the value does not follow the §9.1 grammar.
    """
    result: list[tuple[str, list[tuple[str, str | None]]]] = []
    for text in values:
        s = _Scanner(text)
        while True:
            s.skip_ows()
            if s.pos == len(text):
                break
            if s.peek() == ",":  # empty list element
                s.pos += 1
                continue
            name = s.token().lower()
            params: list[tuple[str, str | None]] = []
            s.skip_ows()
            while s.peek() == ";":
                s.pos += 1
                s.skip_ows()
                pname = s.token().lower()
                s.skip_ows()
                pvalue: str | None = None
                if s.peek() == "=":
                    s.pos += 1
                    s.skip_ows()
                    pvalue = s.value()
                    s.skip_ows()
                params.append((pname, pvalue))
            result.append((name, params))
            if s.pos == len(text):
                break
            if s.peek() != ",":
                raise InvalidHandshakeError(
                    f"unexpected {s.peek()!r} at position {s.pos} of {text!r}"
                )
            s.pos += 1
    return result
