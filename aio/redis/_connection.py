"""One connection to a Redis server, on an ``asyncio.Protocol``.

Theory of operation
-------------------
Commands are written as soon as they are issued and their replies come back in the
same order, so the connection keeps a FIFO of ``_Request`` entries (a future, the
codec to decode with, how many replies it collects). Its protocol's
``data_received`` feeds the RESP parser and resolves futures directly: no reader
task, no per-command coroutine switch beyond the caller's own ``await``
(``_connection_protocol.py``, which also routes the replies no command waits for:
pub/sub messages, RESP3 pushes).

Cancellation safety follows from the FIFO: a caller that is cancelled leaves its entry
in place, and the reply, when it arrives, resolves an already-cancelled future and is
dropped. A reply can therefore never reach a later caller. The pool still treats a
connection with entries outstanding as being in an unknown state (a cancelled BLPOP
may block the server side for ever) and closes it instead of reusing it.

A per-command timeout is a deadline on the entry, watched by one timer per
connection (the *watchdog*), armed for the earliest deadline outstanding. Most
commands carry the default 5 s socket timeout and are answered long before it, so
a timer per command (scheduled, then cancelled) would be paid on every command for
nothing: the watchdog is armed once, and when it fires it only re-arms itself for
the earliest deadline still outstanding. When a deadline has passed, the
connection is closed (the stream position is unknown) and every waiter gets a typed
error. Connection loss fails every outstanding entry with ``ConnectionError``.

This module writes commands and watches their deadlines. Connecting (the
credentials, the handshake in one round trip, re-authentication) is in
``_connection_handshake.py``; the HIMPORT fieldsets a session has prepared, in
``_connection_himport.py``; maintenance notifications, in ``_maint.py``.
"""

from __future__ import annotations

import asyncio
import builtins
import ssl as _ssl
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aio.proto.resp import (
    Push,
    RESPEncodeError,
    RESPParser,
    encode_command,
    encode_commands,
)
from aio.redis._connection_handshake import ConnectionHandshake
from aio.redis._connection_himport import ConnectionHImport
from aio.redis._connection_protocol import (
    NEVER_DECODE as NEVER_DECODE,
)
from aio.redis._connection_protocol import (
    _Protocol,
    _Request,
    _SinkRequest,
)
from aio.redis._defaults import (
    DEFAULT_SOCKET_CONNECT_TIMEOUT,
    DEFAULT_SOCKET_KEEPALIVE_OPTIONS,
    DEFAULT_SOCKET_TIMEOUT,
)
from aio.redis._maint import ConnectionMaintenance
from aio.redis.driver_info import UNSET, DriverInfo, driver_info_from_args
from aio.redis.exceptions import (
    ConnectionError,
    DataError,
    TimeoutError,
    error_from_reply,
)
from aio.redis.himport import HImportRegistry
from aio.redis.retry import Retry, resolve_retry

if TYPE_CHECKING:
    from aio.redis.auth.token import TokenInterface

__all__ = ("Connection", "SSLConnection", "UnixDomainSocketConnection")

#: Extra seconds a blocking command (BLPOP, XREAD BLOCK, ...) may take beyond its own
#: timeout before the socket timeout fires; see ``Connection.command_timeout``.
BLOCKING_REPLY_GRACE = 1.0

#: The RESP version a connection speaks when ``protocol`` is not given: 3, as
#: redis-py 8 (``HELLO 3`` at connect; replies keep redis-py's RESP2 Python
#: shapes either way, see ``commands/_convert.py``).
DEFAULT_PROTOCOL = 3


def resp_version(protocol: int | str | None) -> int:
    """The RESP version ``protocol`` (as given to a client or pool) stands for."""
    return DEFAULT_PROTOCOL if protocol is None else int(protocol)


def _connect_message(exc: BaseException, where: str) -> str:
    """redis-py's words for a failed connect: ``Error 111 connecting to
    host:port. Connection refused.`` (``Error <arg> connecting to ...`` for an
    error of one argument, such as OpenSSL's)."""
    if len(exc.args) == 1:
        return f"Error {exc.args[0]} connecting to {where}."
    if len(exc.args) > 1:
        return f"Error {exc.args[0]} connecting to {where}. {exc.args[1]}."
    return f"Error connecting to {where}."


# Buffers at least this long are written on their own, never joined (see _write).
_DIRECT_WRITE = 1 << 14

_CERT_REQS = {
    "none": _ssl.CERT_NONE,
    "optional": _ssl.CERT_OPTIONAL,
    "required": _ssl.CERT_REQUIRED,
}


class Connection(ConnectionHandshake, ConnectionHImport, ConnectionMaintenance):
    """A connection to a Redis server over TCP (see :class:`SSLConnection`,
    :class:`UnixDomainSocketConnection`), with redis-py's constructor arguments.

    It connects lazily (on first use, or :meth:`connect`), runs the handshake
    (``HELLO 3`` or ``AUTH``, ``CLIENT SETNAME``, ``SELECT``, ``CLIENT
    MAINT_NOTIFICATIONS ON`` when ``maint_notifications_config`` enables them) in
    one round trip, and reconnects after a loss on the next use.
    """

    def __init__(
        self,
        *,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
        socket_connect_timeout: float | None = DEFAULT_SOCKET_CONNECT_TIMEOUT,
        socket_keepalive: bool = True,
        socket_keepalive_options: Mapping[int, int | bytes]
        | None = DEFAULT_SOCKET_KEEPALIVE_OPTIONS,
        retry_on_timeout: bool = False,
        retry_on_error: Sequence[type[Exception]] | None = None,
        retry: Retry | None = None,
        encoding: str = "utf-8",
        encoding_errors: str = "strict",
        decode_responses: bool = False,
        health_check_interval: float = 0,
        client_name: str | None = None,
        protocol: int | str | None = None,
        max_bulk_length: int = 512 * 1024 * 1024,
        credential_provider: Any = None,
        driver_info: DriverInfo | None = UNSET,
        lib_name: str | None = UNSET,
        lib_version: str | None = UNSET,
        himport_registry: HImportRegistry | None = None,
        **kwargs: Any,
    ) -> None:
        #: What ``CLIENT SETINFO`` sends at connect (None: nothing), resolved
        #: as redis-py's from ``driver_info`` or the deprecated ``lib_*``.
        self.driver_info = driver_info_from_args(driver_info, lib_name, lib_version)
        #: The fieldsets ``himport_set`` prepares on this connection on first
        #: use (its pool's, shared by every connection of the pool).
        self.himport_registry = himport_registry
        self._reset_himport_state()
        if (username or password) and credential_provider is not None:
            raise DataError(
                "'username' and 'password' cannot be passed along with"
                " 'credential_provider'. Please provide only one of the following"
                " arguments: \n1. 'password' and (optional) 'username'\n"
                "2. 'credential_provider'"
            )
        #: redis-py's credential provider: ``get_credentials_async()`` (or
        #: ``get_credentials()``) gives ``(password,)`` or ``(username,
        #: password)``, asked anew at every connect.
        self.credential_provider = credential_provider
        self._auth: tuple[str | None, str] | None = None
        # A streamed token to AUTH with when this connection is released
        # (set while it is in use; see _reauth.py).
        self._re_auth_token: TokenInterface | None = None
        self.host = host
        self.port = int(port)
        self.db = int(db)
        self.username = username
        self.password = password
        self.socket_timeout = socket_timeout
        self.socket_connect_timeout = (
            socket_connect_timeout
            if socket_connect_timeout is not None
            else socket_timeout
        )
        self.socket_keepalive = socket_keepalive
        #: ``{socket.TCP_KEEPIDLE: 30, ...}``: TCP options set with SO_KEEPALIVE.
        self.socket_keepalive_options = dict(socket_keepalive_options or {})
        self.retry_on_timeout = retry_on_timeout
        # As redis-py's connections: errors to retry on (TimeoutError too with
        # retry_on_timeout), a private copy of ``retry`` widened to them, one
        # retry when only errors are named, none at all by default.
        self.retry, errors = resolve_retry(retry, retry_on_error, retry_on_timeout)
        # Once each: the blocking facade hands over lists it resolved already.
        self.retry_on_error: list[type[Exception]] = list(dict.fromkeys(errors))
        self.encoding = encoding
        self.encoding_errors = encoding_errors
        try:
            self._names_as_bytes = "SET".encode(encoding) != b"SET"
        except LookupError:
            self._names_as_bytes = False  # refused at the first encode, as redis-py
        self.decode_responses = decode_responses
        self.health_check_interval = health_check_interval
        self.client_name = client_name
        self.protocol = resp_version(protocol)
        if self.protocol not in (2, 3):
            raise ConnectionError(f"protocol must be 2 or 3, not {protocol!r}")
        self._encoding: str | None = encoding if decode_responses else None
        self._parser = RESPParser(
            encoding=self._encoding,
            errors=encoding_errors,
            error_factory=error_from_reply,
            max_bulk_length=max_bulk_length,
            # redis-py 8's unified shapes leave some RESP3 sets unconverted,
            # and its parser reads them as lists in the server's order.
            sets_as_lists=self.protocol == 3
            and not kwargs.get("legacy_responses", True),
        )
        self._pending: deque[_Request] = deque()
        # The one timer watching the entries' deadlines, and when it fires.
        self._watchdog: asyncio.TimerHandle | None = None
        self._watch_at = 0.0
        self._protocol: _Protocol | None = None
        self._transport: asyncio.Transport | None = None
        # Set by _connect, with the transport (a command is written first, so
        # none is enqueued before).
        self._loop: asyncio.AbstractEventLoop
        self._gather_writes = False
        self._connect_lock: asyncio.Lock | None = None
        self._next_health_check = 0.0
        self._lost_error: Exception | None = None
        #: Receives replies no command waits for (pub/sub messages).
        self.message_sink: Callable[[Any], None] | None = None
        #: Receives RESP3 push messages.
        self.push_handler: Callable[[Push], None] | None = None
        self._connect_callbacks: list[Callable[[Connection], Any]] = []
        self._unread: deque[asyncio.Future[Any]] = deque()
        self._init_maintenance(kwargs)
        self.extra = kwargs

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self._description()}, db={self.db})>"

    def _description(self) -> str:
        return f"host={self.host},port={self.port}"

    # -- state -----------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        """True while the transport is open."""
        return self._transport is not None and not self._transport.is_closing()

    @property
    def pending_replies(self) -> int:
        """Replies the server still owes (commands sent, replies not yet read)."""
        return len(self._pending)

    def register_connect_callback(self, callback: Callable[[Connection], Any]) -> None:
        """Call ``callback(connection)`` (sync or async) after every (re)connect."""
        self._connect_callbacks.append(callback)

    def deregister_connect_callback(
        self, callback: Callable[[Connection], Any]
    ) -> None:
        """Forget a callback given to :meth:`register_connect_callback`."""
        if callback in self._connect_callbacks:
            self._connect_callbacks.remove(callback)

    # -- connecting ------------------------------------------------------------

    async def _open(self, loop: asyncio.AbstractEventLoop) -> tuple[Any, _Protocol]:
        return await loop.create_connection(
            lambda: _Protocol(self), self.host, self.port
        )

    def _connect_error(self, exc: OSError) -> ConnectionError:
        return ConnectionError(_connect_message(exc, f"{self.host}:{self.port}"))

    async def connect(self) -> None:
        """Connect and run the handshake, unless already connected."""
        if self.is_connected:
            return
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
        async with self._connect_lock:
            if self.is_connected:
                return
            await self._connect()
        for callback in list(self._connect_callbacks):
            result = callback(self)
            if asyncio.iscoroutine(result):
                await result

    async def disconnect(self, nowait: bool = False) -> None:
        """Close the connection; outstanding commands fail with ``ConnectionError``."""
        transport = self._transport
        protocol = self._protocol
        if transport is None or protocol is None:
            return
        self._transport = None
        # Detached first: a close asked for here is not a loss to report (no
        # "closed by server" to the pub/sub reader, whose next read reconnects,
        # as redis-py's does after disconnect()).
        self._protocol = None
        transport.close()
        if not nowait and not protocol.closed.done():
            # Do not hang on a peer that never acknowledges the close.
            try:
                async with asyncio.timeout(1.0):
                    await asyncio.shield(protocol.closed)
            except builtins.TimeoutError:
                transport.abort()
        self._fail_pending(ConnectionError("Connection closed by client."))
        self._reset_himport_state()

    def _abort(self, error: Exception) -> None:
        """Drop the connection now (protocol error, timeout) and fail every waiter."""
        self._lost_error = error
        transport = self._transport
        self._transport = None
        if transport is not None:
            transport.abort()
        self._fail_pending(error)

    def _on_lost(self, exc: Exception | None) -> None:
        self._transport = None
        error = self._lost_error or self._refusal()
        if error is None:
            error = ConnectionError(
                f"Connection closed by server ({self._description()})"
                + (f": {exc}" if exc else ".")
            )
        self._fail_pending(error)
        sink = self.message_sink
        if sink is not None:
            sink(error)

    def _fail_pending(self, error: Exception) -> None:
        pending = self._pending
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        while pending:
            request = pending.popleft()
            if not request.future.done():
                request.future.set_exception(error)

    # -- sending ---------------------------------------------------------------

    @property
    def next_health_check(self) -> float:
        """When (loop time) the next command is preceded by a health-check PING."""
        return self._next_health_check

    @next_health_check.setter
    def next_health_check(self, value: float) -> None:
        self._next_health_check = value

    def _touch(self) -> None:
        if self.health_check_interval:
            loop = asyncio.get_running_loop()
            self._next_health_check = loop.time() + self.health_check_interval

    def _write(self, buffers: Sequence[bytes | bytearray | memoryview]) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            raise ConnectionError(f"Connection to {self._description()} is closed.")
        if len(buffers) == 1:
            transport.write(buffers[0])
            return
        if self._gather_writes:
            transport.writelines(buffers)
            return
        for buffer in buffers:
            if len(buffer) >= _DIRECT_WRITE:
                break
        else:
            transport.writelines(buffers)
            return
        # A large argument (the encoder passes those through uncopied) is written
        # by itself: asyncio's writelines joins every buffer first (a full copy of
        # a 1 MB value), while write() sends straight from the caller's buffer and
        # copies only what the socket does not take at once.
        for buffer in buffers:
            transport.write(buffer)

    def _arm_watchdog(self, loop: asyncio.AbstractEventLoop, when: float) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._watchdog = loop.call_at(when, self._watchdog_fired)
        self._watch_at = when

    def _rearm_watchdog(self) -> None:
        """Watch the earliest deadline outstanding (after deadlines moved)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        self._watchdog_fired()

    def _watchdog_fired(self) -> None:
        self._watchdog = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        earliest: float | None = None
        for request in self._pending:
            deadline = request.deadline
            # A cancelled caller's reply is still awaited, but nobody waits on it.
            if deadline is None or request.future.done():
                continue
            if deadline <= now:
                self._abort(TimeoutError(f"Timeout reading from {self._description()}"))
                return
            if earliest is None or deadline < earliest:
                earliest = deadline
        if earliest is not None:
            self._arm_watchdog(loop, earliest)

    def _enqueue(
        self, count: int, timeout: float | None, encoding: str | None, many: bool
    ) -> asyncio.Future[Any]:
        loop = self._loop
        future: asyncio.Future[Any] = loop.create_future()
        request = _Request(future, encoding, count, many)
        if timeout is not None:
            base = self.socket_timeout
            if base is not None and timeout > base:
                request.extra = timeout - base
            deadline = request.deadline = loop.time() + timeout
            # Later deadlines are picked up when the watchdog fires and re-arms.
            if self._watchdog is None or deadline < self._watch_at:
                self._arm_watchdog(loop, deadline)
        self._pending.append(request)
        return future

    def _command_words(
        self, args: tuple[Any, ...] | list[Any]
    ) -> tuple[Any, ...] | list[Any]:
        name = args[0]
        if isinstance(name, str):
            if self._names_as_bytes:
                # An encoding that does not spell ASCII as ASCII (utf-16...)
                # applies to values only: command words go as UTF-8, as redis-py.
                return (*name.encode().split(), *args[1:])
            if " " in name:
                # Two-word commands ("CONFIG GET") are named as one string.
                return (*name.split(), *args[1:])
        return args

    def _pack(self, args: tuple[Any, ...] | list[Any]) -> list[Any]:
        try:
            return encode_command(
                *self._command_words(args),
                encoding=self.encoding,
                errors=self.encoding_errors,
            )
        except RESPEncodeError as exc:
            raise DataError(str(exc)) from exc

    def pack_command(self, *args: Any) -> list[bytes | bytearray | memoryview]:
        """Encode one command as a list of buffers (redis-py's ``pack_command``)."""
        return self._pack(args)

    def pack_commands(
        self, commands: Iterable[tuple[Any, ...] | list[Any]]
    ) -> list[bytes | bytearray | memoryview]:
        """Encode several commands as one list of buffers."""
        try:
            return encode_commands(
                [self._command_words(c) for c in commands],
                encoding=self.encoding,
                errors=self.encoding_errors,
            )
        except RESPEncodeError as exc:
            raise DataError(str(exc)) from exc

    def send_request(
        self,
        args: tuple[Any, ...] | list[Any],
        *,
        timeout: float | None = None,
        decode: bool = True,
    ) -> asyncio.Future[Any]:
        """Write one command now; return the future of its reply.

        The connection must be connected (:meth:`connect`). ``timeout`` bounds the
        wait for the reply (``None``: wait for ever); ``decode=False`` keeps the
        reply in bytes even with ``decode_responses``.
        """
        buffers = self._pack(args)
        self._write(buffers)
        return self._enqueue(1, timeout, self._encoding if decode else None, False)

    def send_to_sink(self, args: tuple[Any, ...] | list[Any]) -> None:
        """Write one command whose reply, a plain one, goes to ``message_sink``
        in its turn among the replies awaited (a pub/sub's PING on RESP3): a
        command awaited after it (a re-authentication's AUTH) gets its own."""
        self._write(self._pack(args))
        future = self._loop.create_future()
        future.set_result(None)
        self._pending.append(_SinkRequest(future, self._encoding, 1, False))

    def _send_many(
        self,
        commands: Sequence[tuple[Any, ...] | list[Any]],
        timeout: float | None,
        encoding: str | None,
        raw: Sequence[bool] | None = None,
    ) -> asyncio.Future[Any]:
        self._write(self.pack_commands(commands))
        future = self._enqueue(len(commands), timeout, encoding, True)
        if raw is not None and encoding is not None and any(raw):
            self._pending[-1].encodings = [None if r else encoding for r in raw]
        return future

    def send_requests(
        self,
        commands: Sequence[tuple[Any, ...] | list[Any]],
        *,
        timeout: float | None = None,
        decode: bool = True,
        raw: Sequence[bool] | None = None,
    ) -> asyncio.Future[list[Any]]:
        """Write several commands in one ``writelines``; the future gets all replies.

        Error replies are values in the list (instances of
        :class:`~aio.redis.exceptions.ResponseError`), not raised. ``raw``,
        one flag per command, keeps the replies of the flagged ones in bytes
        even with ``decode_responses`` (redis-py's per-command NEVER_DECODE).
        """
        if not commands:
            done: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
            done.set_result([])
            return done
        return self._send_many(
            commands, timeout, self._encoding if decode else None, raw
        )

    async def drain(self) -> None:
        """Wait until the transport's write buffer is below its high-water mark."""
        protocol = self._protocol
        if protocol is None or not protocol.paused:
            return
        loop = asyncio.get_running_loop()
        protocol.drain_waiter = loop.create_future()
        await protocol.drain_waiter

    def command_timeout(self, options: dict[str, Any]) -> float | None:
        """The reply timeout for a command: ``socket_timeout``, extended by the
        ``timeout`` option of blocking commands (``0``: no timeout)."""
        base = self.socket_timeout
        if base is None:
            return None
        blocking = options.get("timeout")
        if blocking is None:
            return base
        try:
            extra = float(blocking)
        except (TypeError, ValueError):
            return base
        # The server answers a timed-out blocking command on its next timer tick
        # (100 ms at the default hz, later under load): allow for that, so the
        # command's own None reply arrives instead of our TimeoutError.
        return None if extra == 0 else base + extra + BLOCKING_REPLY_GRACE

    async def check_health(self) -> None:
        """PING first when the connection was idle past ``health_check_interval``."""
        if not self.health_check_interval or not self.is_connected:
            return
        loop = asyncio.get_running_loop()
        if loop.time() <= self._next_health_check:
            return
        try:
            await self.send_request(("PING",), timeout=self.socket_timeout)
        except (ConnectionError, TimeoutError):
            await self.disconnect(nowait=True)
        self._touch()

    async def execute(self, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
        """Connect if needed, send one command and return its raw reply."""
        transport = self._transport
        # A transport that is closing (the server's close read, the loss not yet
        # reported) is replaced rather than written into, as redis-py's pool
        # replaces a connection that has become readable (EOF).
        if transport is None or transport.is_closing():
            await self.connect()
        elif self.health_check_interval:
            await self.check_health()
            await self.connect()
        # send_request, unrolled: this is every command's path.
        timeout = self.socket_timeout or None
        if timeout is not None and options and "timeout" in options:
            timeout = self.command_timeout(options)
        self._write(self._pack(args))
        future = self._enqueue(
            1, timeout, None if NEVER_DECODE in options else self._encoding, False
        )
        if self._protocol is not None and self._protocol.paused:
            await self.drain()
        reply = await future
        if self.health_check_interval:
            self._touch()
        return reply

    # -- redis-py's lower-level API ------------------------------------------------

    async def send_command(self, *args: Any, **kwargs: Any) -> None:
        """Send a command whose reply is read later with :meth:`read_response`."""
        if self._transport is None:
            await self.connect()
        future = self.send_request(args, timeout=None)
        self._unread.append(future)
        await self.drain()

    async def read_response(
        self,
        disable_decoding: bool = False,
        timeout: float | None = None,  # noqa: ASYNC109 - redis-py's signature
    ) -> Any:
        """Return the reply to the oldest command sent with :meth:`send_command`."""
        unread = self._unread
        if not unread:
            raise ConnectionError("read_response() without a command sent")
        future = unread.popleft()
        wait = timeout if timeout is not None else self.socket_timeout
        try:
            async with asyncio.timeout(wait):
                return await asyncio.shield(future)
        except builtins.TimeoutError as exc:
            self._abort(TimeoutError(f"Timeout reading from {self._description()}"))
            raise TimeoutError(f"Timeout reading from {self._description()}") from exc


class UnixDomainSocketConnection(Connection):
    """A connection over a unix-domain socket (``path``)."""

    # No endpoint for a MOVING to replace.
    maint_notifications_supported = False

    def __init__(self, *, path: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path

    def _description(self) -> str:
        return f"path={self.path}"

    async def _open(self, loop: asyncio.AbstractEventLoop) -> tuple[Any, _Protocol]:
        return await loop.create_unix_connection(lambda: _Protocol(self), self.path)

    def _connect_error(self, exc: OSError) -> ConnectionError:
        return ConnectionError(_connect_message(exc, self.path))


class SSLConnection(Connection):
    """A TLS connection, configured by redis-py's ``ssl_*`` arguments."""

    def __init__(
        self,
        *,
        ssl_keyfile: str | None = None,
        ssl_certfile: str | None = None,
        ssl_cert_reqs: str | _ssl.VerifyMode = "required",
        ssl_include_verify_flags: Sequence[_ssl.VerifyFlags] | None = None,
        ssl_exclude_verify_flags: Sequence[_ssl.VerifyFlags] | None = None,
        ssl_ca_certs: str | None = None,
        ssl_ca_data: str | None = None,
        ssl_ca_path: str | None = None,
        ssl_check_hostname: bool = True,
        ssl_min_version: _ssl.TLSVersion | None = None,
        ssl_ciphers: str | None = None,
        ssl_password: str | None = None,
        ssl_context: _ssl.SSLContext | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.ssl_include_verify_flags = list(ssl_include_verify_flags or ())
        self.ssl_exclude_verify_flags = list(ssl_exclude_verify_flags or ())
        reqs = (
            _CERT_REQS[ssl_cert_reqs.lower()]
            if isinstance(ssl_cert_reqs, str)
            else ssl_cert_reqs
        )
        #: redis-py's names for the verification asked for.
        self.cert_reqs = reqs
        # as redis-py: no certificate checked, no hostname checked either
        self.check_hostname = bool(ssl_check_hostname) and reqs != _ssl.CERT_NONE
        if ssl_context is None:
            try:
                ssl_context = self._make_context(
                    reqs, ssl_check_hostname, ssl_certfile, ssl_keyfile,
                    ssl_ca_certs, ssl_ca_path, ssl_ca_data, ssl_min_version,
                    ssl_ciphers, ssl_password,
                )  # fmt: skip
            except OSError as exc:
                # Unreadable certificates, ciphers OpenSSL refuses: redis-py
                # meets them when it connects, as a ConnectionError.
                raise self._connect_error(exc) from exc
        self.ssl_context = ssl_context

    def _make_context(
        self,
        reqs: _ssl.VerifyMode,
        ssl_check_hostname: bool,
        ssl_certfile: str | None,
        ssl_keyfile: str | None,
        ssl_ca_certs: str | None,
        ssl_ca_path: str | None,
        ssl_ca_data: str | None,
        ssl_min_version: _ssl.TLSVersion | None,
        ssl_ciphers: str | None,
        ssl_password: str | None,
    ) -> _ssl.SSLContext:
        ssl_context = _ssl.create_default_context(
            cafile=ssl_ca_certs, capath=ssl_ca_path, cadata=ssl_ca_data
        )
        ssl_context.check_hostname = bool(ssl_check_hostname) and (
            reqs != _ssl.CERT_NONE
        )
        ssl_context.verify_mode = reqs
        for flag in self.ssl_include_verify_flags:
            ssl_context.verify_flags |= flag
        for flag in self.ssl_exclude_verify_flags:
            ssl_context.verify_flags &= ~flag
        if ssl_certfile:
            ssl_context.load_cert_chain(ssl_certfile, ssl_keyfile, ssl_password)
        if ssl_min_version is not None:
            ssl_context.minimum_version = ssl_min_version
        if ssl_ciphers:
            ssl_context.set_ciphers(ssl_ciphers)
        return ssl_context

    async def _open(self, loop: asyncio.AbstractEventLoop) -> tuple[Any, _Protocol]:
        return await loop.create_connection(
            lambda: _Protocol(self), self.host, self.port, ssl=self.ssl_context
        )
