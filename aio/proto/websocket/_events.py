"""Events produced by :class:`~aio.proto.websocket.WebSocketConnection`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ("BytesMessage", "CloseReceived", "Event", "Ping", "Pong", "TextMessage")


@dataclass(frozen=True, slots=True)
class TextMessage:
    """A complete text message, reassembled from its fragments and decoded."""

    data: str


@dataclass(frozen=True, slots=True)
class BytesMessage:
    """A complete binary message, reassembled from its fragments."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Ping:
    """A ping; with ``auto_pong`` the pong is already in ``bytes_to_send()``."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class Pong:
    """A pong (solicited or not)."""

    payload: bytes


@dataclass(frozen=True, slots=True)
class CloseReceived:
    """The peer's close frame: ``code`` is 1005 when the frame had no status."""

    code: int
    reason: str


Event = TextMessage | BytesMessage | Ping | Pong | CloseReceived
