"""The two-sided state machine of an HTTP/1.1 connection.

Each side (client, server) has its own state; events move them, and a few joint
rules fire after every change. The machine knows nothing about bytes: the
connection calls it after parsing or before serialising an event, and it raises
:class:`LocalHTTPProtocolError` when an event is not allowed in the current
state (the connection turns that into a remote error for received events).

Client: IDLE -Request-> SEND_BODY -EndOfMessage-> DONE (or MIGHT_SWITCH_PROTOCOL
when it asked for Upgrade/CONNECT). Server: IDLE -(client's Request)->
SEND_RESPONSE -InformationalResponse-> SEND_RESPONSE -Response-> SEND_BODY
-EndOfMessage-> DONE. A server may also answer from IDLE (an error response to a
request that could not be parsed). Joint rules:

- a proposed switch is accepted by a 101 (Upgrade) or a 2xx to CONNECT: both
  sides go to SWITCHED_PROTOCOL; any other final response refuses it and the
  client goes from MIGHT_SWITCH_PROTOCOL to DONE;
- without keep-alive, DONE becomes MUST_CLOSE on both sides;
- an ERROR or CLOSED side turns keep-alive off; a CLOSED side also turns the
  other side's IDLE into MUST_CLOSE (an ERROR side does not, so that the server
  can still answer a request it could not parse).
"""

from __future__ import annotations

import enum

from ._errors import LocalHTTPProtocolError

__all__ = ("CLIENT", "SERVER", "State", "StateMachine")

CLIENT = "client"
SERVER = "server"


class State(enum.Enum):
    """The state of one side of a connection."""

    IDLE = "IDLE"
    SEND_RESPONSE = "SEND_RESPONSE"
    SEND_BODY = "SEND_BODY"
    DONE = "DONE"
    MUST_CLOSE = "MUST_CLOSE"
    CLOSED = "CLOSED"
    ERROR = "ERROR"
    MIGHT_SWITCH_PROTOCOL = "MIGHT_SWITCH_PROTOCOL"
    SWITCHED_PROTOCOL = "SWITCHED_PROTOCOL"

    def __repr__(self) -> str:
        return self.value


IDLE = State.IDLE
SEND_RESPONSE = State.SEND_RESPONSE
SEND_BODY = State.SEND_BODY
DONE = State.DONE
MUST_CLOSE = State.MUST_CLOSE
CLOSED = State.CLOSED
ERROR = State.ERROR
MIGHT_SWITCH_PROTOCOL = State.MIGHT_SWITCH_PROTOCOL
SWITCHED_PROTOCOL = State.SWITCHED_PROTOCOL


class StateMachine:
    """Both sides' states, keep-alive and the pending protocol switch."""

    __slots__ = ("client", "keep_alive", "pending_switch", "server")

    def __init__(self) -> None:
        self.client = IDLE
        self.server = IDLE
        self.keep_alive = True
        #: ``b"upgrade"`` or ``b"CONNECT"`` while the client proposes a switch.
        self.pending_switch: bytes | None = None

    def _fail(self, what: str, role: str) -> LocalHTTPProtocolError:
        state = self.client if role == CLIENT else self.server
        return LocalHTTPProtocolError(f"{role} cannot {what} in state {state.value}")

    def request(self, switch: bytes | None) -> None:
        """The client sent its request head."""
        if self.client is not IDLE or self.server is not IDLE:
            raise self._fail("start a request", CLIENT)
        self.client = SEND_BODY
        self.server = SEND_RESPONSE
        self.pending_switch = switch

    def informational(self, status: int) -> None:
        """The server sent a 1xx response."""
        if self.server is not SEND_RESPONSE:
            raise self._fail("send a 1xx response", SERVER)
        if status == 101:
            if self.pending_switch != b"upgrade" or self.client is not (
                MIGHT_SWITCH_PROTOCOL
            ):
                raise LocalHTTPProtocolError(
                    "101 Switching Protocols without a finished Upgrade request"
                )
            self.client = self.server = SWITCHED_PROTOCOL

    def response(self, status: int) -> None:
        """The server sent its final response head."""
        if self.server is IDLE and self.client in (IDLE, ERROR):
            # An answer to a request that never parsed (400, 408, ...).
            self.server = SEND_BODY
            self.keep_alive = False
            self._settle()
            return
        if self.server is not SEND_RESPONSE:
            raise self._fail("send a response", SERVER)
        if (
            self.pending_switch == b"CONNECT"
            and 200 <= status < 300
            and self.client is MIGHT_SWITCH_PROTOCOL
        ):
            self.client = self.server = SWITCHED_PROTOCOL
            return
        self.server = SEND_BODY
        self.pending_switch = None
        if self.client is MIGHT_SWITCH_PROTOCOL:
            self.client = DONE
        if not self.keep_alive:
            self._settle()

    def body(self, role: str) -> None:
        """``role`` sent a piece of body."""
        state = self.client if role == CLIENT else self.server
        if state is not SEND_BODY:
            raise self._fail("send body data", role)

    def end(self, role: str) -> None:
        """``role`` finished its message."""
        if role == CLIENT:
            if self.client is not SEND_BODY:
                raise self._fail("end a message", role)
            if self.pending_switch is not None and self.server is SEND_RESPONSE:
                self.client = MIGHT_SWITCH_PROTOCOL
            else:
                self.client = DONE
        else:
            if self.server is not SEND_BODY:
                raise self._fail("end a message", role)
            self.server = DONE
        # Only keep-alive can change a DONE here; CLOSED sides are settled by
        # closed() itself.
        if not self.keep_alive:
            self._settle()

    def closed(self, role: str) -> None:
        """``role`` closed its side of the connection.

        Allowed in any state: our own side may abort a message (a client that
        stops sending a refused body), and the connection has already turned
        a peer's EOF in the middle of a message into an error.
        """
        self._set(role, CLOSED)
        self.keep_alive = False
        self._settle()

    def error(self, role: str) -> None:
        """``role`` broke the protocol; the connection will not be reused."""
        self._set(role, ERROR)
        self.keep_alive = False
        self._settle()

    def disable_keep_alive(self) -> None:
        """A header or the framing rules out another cycle on this connection."""
        self.keep_alive = False
        self._settle()

    def start_next_cycle(self) -> None:
        """Both sides finished a keep-alive exchange: back to IDLE."""
        if self.client is not DONE or self.server is not DONE:
            raise LocalHTTPProtocolError(
                f"not ready for a new cycle (client {self.client.value}, "
                f"server {self.server.value})"
            )
        self.client = self.server = IDLE
        self.pending_switch = None

    def _set(self, role: str, state: State) -> None:
        if role == CLIENT:
            self.client = state
        else:
            self.server = state

    def _settle(self) -> None:
        if not self.keep_alive:
            if self.client is DONE:
                self.client = MUST_CLOSE
            if self.server is DONE:
                self.server = MUST_CLOSE
        # A side in ERROR keeps the other one able to answer (a 400 to a bad
        # request); only CLOSED ends the other side's chance of a new cycle.
        if self.client is CLOSED and self.server is IDLE:
            self.server = MUST_CLOSE
        if self.server is CLOSED and self.client is IDLE:
            self.client = MUST_CLOSE
