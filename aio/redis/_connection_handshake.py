"""Connecting a redis :class:`~aio.redis._connection.Connection`: the transport
opened, the credentials asked for (off the loop when their source blocks), the
handshake (``HELLO``/``AUTH``, ``CLIENT SETNAME``, ``CLIENT SETINFO``,
``SELECT``, ``CLIENT MAINT_NOTIFICATIONS``) in one round trip, and
re-authentication with a streamed token."""

from __future__ import annotations

import asyncio
import builtins
import socket
import sys
from typing import TYPE_CHECKING, Any

from aio.engine import to_thread
from aio.redis.credentials import CredentialProvider
from aio.redis.exceptions import (
    AuthenticationError,
    ConnectionError,
    DataError,
    RedisError,
    ResponseError,
    TimeoutError,
)

if TYPE_CHECKING:
    from collections import deque
    from collections.abc import Sequence

    from aio.proto.resp import RESPParser
    from aio.redis._connection_protocol import _Protocol, _Request
    from aio.redis.auth.token import TokenInterface
    from aio.redis.driver_info import DriverInfo


async def _ask_provider(provider: Any) -> Any:
    """A credential provider's answer, without blocking the loop.

    A provider with its own ``get_credentials_async`` is awaited. One with only
    a blocking ``get_credentials`` (the base class's async default just calls it,
    and every provider written for redis-py's blocking client is of that kind)
    runs in a worker thread: it may read a file or fetch a token, and on the
    engine's shared loop it would stall every client of the process. redis-py's
    async client calls it on the loop; the result is the same.
    """
    if _blocking_source(type(provider)):
        return await to_thread(provider.get_credentials)
    return await provider.get_credentials_async()


def _blocking_source(cls: type) -> bool:
    """Whether ``cls`` gets credentials only through a blocking method: its most
    derived getter is ``get_credentials``, or ``get_credentials_async`` is the
    base class's default (which calls it). A subclass of
    ``UsernamePasswordCredentialProvider`` overriding only ``get_credentials``
    is one, though its parent's async getter has no I/O."""
    for klass in cls.__mro__:
        defined = vars(klass)
        if "get_credentials_async" in defined:
            return klass is CredentialProvider
        if "get_credentials" in defined:
            return True
    return True


class ConnectionHandshake:
    """Connecting and authenticating (a mixin of ``Connection``)."""

    if TYPE_CHECKING:  # provided by Connection (and ConnectionMaintenance)
        credential_provider: Any
        username: str | None
        password: str | None
        client_name: str | None
        driver_info: DriverInfo | None
        db: int
        protocol: int
        socket_connect_timeout: float | None
        socket_keepalive: bool
        socket_keepalive_options: dict[int, int | bytes]
        _auth: tuple[str | None, str] | None
        _re_auth_token: TokenInterface | None
        _parser: RESPParser
        _pending: deque[_Request]
        _protocol: _Protocol | None
        _transport: asyncio.Transport | None
        _loop: asyncio.AbstractEventLoop
        _gather_writes: bool
        _lost_error: Exception | None
        _should_reconnect: bool

        @property
        def is_connected(self) -> bool: ...
        async def _open(
            self, loop: asyncio.AbstractEventLoop
        ) -> tuple[Any, _Protocol]: ...
        def _connect_error(self, exc: OSError) -> ConnectionError: ...
        def _description(self) -> str: ...
        def _touch(self) -> None: ...
        def _reset_himport_state(self) -> None: ...
        def _maint_notifications_command(self) -> tuple[str, ...] | None: ...
        def _check_maint_notifications_reply(self, reply: Any) -> None: ...
        def _send_many(
            self,
            commands: Sequence[tuple[Any, ...] | list[Any]],
            timeout: float | None,
            encoding: str | None,
            raw: Sequence[bool] | None = None,
        ) -> asyncio.Future[Any]: ...
        async def execute(
            self, args: tuple[Any, ...], options: dict[str, Any]
        ) -> Any: ...

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.socket_connect_timeout):
                transport, protocol = await self._open(loop)
        except TimeoutError:
            raise
        except builtins.TimeoutError as exc:
            raise TimeoutError(f"Timeout connecting to {self._description()}") from exc
        except OSError as exc:
            raise self._connect_error(exc) from exc
        sock = transport.get_extra_info("socket")
        if sock is not None and self.socket_keepalive and sock.family != socket.AF_UNIX:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            for option, value in self.socket_keepalive_options.items():
                sock.setsockopt(socket.IPPROTO_TCP, option, value)
        self._parser.reset()
        self._pending.clear()
        self._reset_himport_state()
        self._lost_error = None
        self._should_reconnect = False
        self._transport = transport
        # uvloop's writelines hands every buffer to one writev, and asyncio's
        # socket transport does too from Python 3.12 (sendmsg); before that it
        # joins them, so large arguments are written one by one (see _write).
        self._gather_writes = sys.version_info >= (3, 12) or type(
            transport
        ).__module__.startswith("uvloop")
        self._protocol = protocol
        # The loop the transport is on: every reply future and deadline of
        # this connection belongs to it (saves a lookup per command).
        self._loop = loop
        try:
            await self._handshake()
        except BaseException:
            transport.abort()
            self._transport = None
            raise
        self._touch()

    def _handshake_commands(self) -> list[tuple[Any, ...]]:
        commands: list[tuple[Any, ...]] = []
        auth = self._auth
        if self.protocol == 3:
            hello: list[Any] = ["HELLO", 3]
            if auth is not None:
                hello += ["AUTH", auth[0] or "default", auth[1]]
            if self.client_name:
                hello += ["SETNAME", self.client_name]
            commands.append(tuple(hello))
        else:
            if auth is not None:
                commands.append(("AUTH", *auth) if auth[0] else ("AUTH", auth[1]))
            if self.client_name:
                commands.append(("CLIENT", "SETNAME", self.client_name))
        # After SETNAME and before SELECT, where redis-py sends them; their
        # replies are ignored (servers before 7.2 know no CLIENT SETINFO).
        info = self.driver_info
        if info is not None:
            if info.formatted_name:
                commands.append(("CLIENT", "SETINFO", "LIB-NAME", info.formatted_name))
            if info.lib_version:
                commands.append(("CLIENT", "SETINFO", "LIB-VER", info.lib_version))
        if self.db:
            commands.append(("SELECT", self.db))
        maintenance = self._maint_notifications_command()
        if maintenance is not None:
            commands.append(maintenance)
        return commands

    async def _credentials(self) -> tuple[str | None, str] | None:
        """``(username or None, password)`` to authenticate with, as redis-py
        picks them: the credential provider's, else ``username``/``password``
        (a username alone authenticates with an empty password; an empty
        password alone not at all)."""
        provider = self.credential_provider
        if provider is not None:
            creds = tuple(await _ask_provider(provider))
        elif self.username:
            creds = (self.username, self.password or "")
        elif self.password:
            creds = (self.password,)
        else:
            return None
        if len(creds) == 1:
            return None, creds[0]
        if len(creds) == 2:
            return creds[0] or None, creds[1]
        raise DataError(
            "credentials must be (password,) or (username, password),"
            f" not {len(creds)} values"
        )

    async def _handshake(self) -> None:
        self._auth = await self._credentials()
        if self._lost_error is not None and not self.is_connected:
            # Lost while the provider was asked (in a worker thread): a server
            # at maxclients says why and closes before anything is written.
            raise self._lost_error
        commands = self._handshake_commands()
        if not commands:
            return
        future = self._send_many(commands, self.socket_connect_timeout, None)
        replies = await future
        for args, reply in zip(commands, replies, strict=True):
            if args[:2] == ("CLIENT", "MAINT_NOTIFICATIONS"):
                self._check_maint_notifications_reply(reply)
                continue
            if args[:2] == ("CLIENT", "SETINFO"):
                continue
            if not isinstance(reply, RedisError):
                continue
            if args[0] == "AUTH" or (args[0] == "HELLO" and "AUTH" in args):
                if isinstance(reply, ResponseError | AuthenticationError):
                    raise AuthenticationError(str(reply)) from reply
            if isinstance(reply, AuthenticationError):
                raise reply
            raise ConnectionError(
                f"{args[0]} failed while connecting: {reply}"
            ) from reply

    def _refusal(self) -> ConnectionError | None:
        """The error a server sent before closing, among the replies a batch
        (the handshake) has collected so far: a server at maxclients answers the
        first command with ``-ERR max number of clients reached`` and closes."""
        if not self._pending:
            return None
        for reply in self._pending[0].results or ():
            # Exactly the class error_from_reply gives a refusal: not its
            # subclasses (an AUTH's AuthenticationError, BusyLoadingError).
            if type(reply) is ConnectionError:
                return reply
        return None

    # -- re-authentication (redis-py's lower-level API) ---------------------------

    def set_re_auth_token(self, token: TokenInterface) -> None:
        """Keep ``token`` for :meth:`re_auth` (the pool re-authenticates a
        connection marked so when it is released)."""
        self._re_auth_token = token

    async def re_auth(self) -> None:
        """Send ``AUTH <oid> <token>`` with the token given to
        :meth:`set_re_auth_token`, if any, and forget it.

        :raises AuthenticationError: the server refused the token.
        """
        token = self._re_auth_token
        if token is not None:
            await self.execute(("AUTH", token.try_get("oid"), token.get_value()), {})
            self._re_auth_token = None
