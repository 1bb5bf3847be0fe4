"""One connection to a Redis server, on an ``asyncio.Protocol``.

Theory of operation
-------------------
Commands are written as soon as they are issued and their replies come back in the
same order, so the connection keeps a FIFO of :class:`_Request` entries (a future, the
codec to decode with, how many replies it collects). ``data_received`` feeds the RESP
parser and resolves futures directly: no reader task, no per-command coroutine
switch beyond the caller's own ``await``.

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

In pub/sub mode, replies that arrive while no command waits (every message, and in
RESP2 the subscription confirmations) go to ``message_sink``. RESP3 push messages go
to ``push_handler`` when one is set; with maintenance notifications on, those that
are notifications are handled first and go no further (``_maint.py``).
"""

from __future__ import annotations

import asyncio
import builtins
import logging
import socket
import ssl as _ssl
import sys
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from aio.engine import to_thread
from aio.proto.resp import (
    NEED_DATA,
    Push,
    RESPEncodeError,
    RESPParser,
    RESPProtocolError,
    encode_command,
    encode_commands,
)
from aio.redis._defaults import (
    DEFAULT_SOCKET_CONNECT_TIMEOUT,
    DEFAULT_SOCKET_KEEPALIVE_OPTIONS,
    DEFAULT_SOCKET_TIMEOUT,
)
from aio.redis._maint import ConnectionMaintenance
from aio.redis.credentials import CredentialProvider
from aio.redis.driver_info import UNSET, DriverInfo, driver_info_from_args
from aio.redis.exceptions import (
    AuthenticationError,
    ConnectionError,
    DataError,
    InvalidResponse,
    NoSuchFieldsetError,
    RedisError,
    ResponseError,
    TimeoutError,
    error_from_reply,
)

if TYPE_CHECKING:
    from aio.redis.auth.token import TokenInterface
from aio.redis.himport import (
    HImportFieldset,
    HImportRegistry,
    discard_command,
    parse_himport_set_args,
    prepare_command,
    set_command,
)
from aio.redis.retry import Retry, resolve_retry

__all__ = ("Connection", "SSLConnection", "UnixDomainSocketConnection")

#: redis-py's option for a reply kept in bytes even with ``decode_responses``.
NEVER_DECODE = "NEVER_DECODE"

logger = logging.getLogger("aio.redis")

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


def _connect_message(exc: OSError, where: str) -> str:
    """redis-py's words for a failed connect: ``Error 111 connecting to
    host:port. Connection refused.`` (``Error <arg> connecting to ...`` for an
    error of one argument, such as OpenSSL's)."""
    if len(exc.args) == 1:
        return f"Error {exc.args[0]} connecting to {where}."
    if len(exc.args) > 1:
        return f"Error {exc.args[0]} connecting to {where}. {exc.args[1]}."
    return f"Error connecting to {where}."


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


# Buffers at least this long are written on their own, never joined (see _write).
_DIRECT_WRITE = 1 << 14
# The receive buffer. Smaller than asyncio's own 256 KiB: the start of a large
# body arrives here and is copied before the rest is received in place.
_READ_SIZE = 1 << 16

_CERT_REQS = {
    "none": _ssl.CERT_NONE,
    "optional": _ssl.CERT_OPTIONAL,
    "required": _ssl.CERT_REQUIRED,
}


class _Request:
    """An entry of the reply FIFO."""

    __slots__ = (
        "count",
        "deadline",
        "encoding",
        "encodings",
        "extra",
        "future",
        "results",
    )

    def __init__(
        self,
        future: asyncio.Future[Any],
        encoding: str | None,
        count: int,
        many: bool,
    ) -> None:
        self.future = future
        self.encoding = encoding
        self.count = count
        # A request for a list of replies (a pipeline) collects them here.
        self.results: list[Any] | None = [] if many else None
        # Per reply of such a request, when they differ (a pipeline command
        # read as bytes on a decoding connection: redis-py's NEVER_DECODE).
        self.encodings: list[str | None] | None = None
        #: The loop time by which its reply must be complete (None: no limit).
        self.deadline: float | None = None
        # Seconds its timeout has beyond the socket timeout (a blocking
        # command's own wait): kept when maintenance moves the deadline.
        self.extra = 0.0


class _SinkRequest(_Request):
    """An entry whose reply goes to ``message_sink`` in its turn: a pub/sub's
    command (PING...) on RESP3, whose reply is a plain one (not a push), so an
    AUTH written after it (re-authentication) is not answered by it. Its
    future is done from the start: the reply takes the dropped replies' path
    (off the hot path), a loss fails nothing (the sink hears of it), and no
    deadline is watched."""

    __slots__ = ()


class _Protocol(asyncio.BufferedProtocol):
    """The asyncio side of a :class:`Connection`: bytes in, futures resolved.

    A buffered protocol, so that the body of a large bulk reply (a 1 MB GET) is
    received straight into the one buffer it is copied out of once complete
    (``RESPParser.body_buffer``): no chunk objects, no join, and reads as large as
    the rest of the body. Everything else is received into a reused buffer and
    handed to the parser as ``bytes``.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.transport: asyncio.Transport | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.paused = False
        self.drain_waiter: asyncio.Future[None] | None = None
        self._buffer = memoryview(bytearray(_READ_SIZE))
        self._in_place = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport: no isinstance check.
        self.transport = cast(asyncio.Transport, transport)

    def get_buffer(self, sizehint: int) -> memoryview:
        body = self.conn._parser.body_buffer()
        if body is not None:
            self._in_place = True
            return body
        self._in_place = False
        return self._buffer

    def buffer_updated(self, nbytes: int) -> None:
        if self._in_place:
            if self.conn._parser.body_received(nbytes):
                self.data_received(b"")  # the body is complete: parse on
            return
        # A copy: the parser may keep what it is given, and the buffer is reused.
        self.data_received(self._buffer[:nbytes].tobytes())

    def data_received(self, data: bytes) -> None:
        conn = self.conn
        parser = conn._parser
        pending = conn._pending
        if data:
            parser.feed(data)
        default = conn._encoding
        while True:
            if pending:
                head = pending[0]
                encodings = head.encodings
                parser.encoding = (
                    head.encoding
                    if encodings is None
                    else encodings[len(head.results or ())]
                )
            else:
                parser.encoding = default
            try:
                reply = parser.gets()
            except RESPProtocolError as exc:
                conn._abort(InvalidResponse(f"Protocol error: {exc}"))
                return
            if reply is NEED_DATA:
                return
            if type(reply) is Push:
                # Out of band (RESP3): never the reply to a command.
                maintenance = conn._maint_dispatch
                if maintenance is not None and maintenance(reply):
                    continue
                if conn.push_handler is not None:
                    conn.push_handler(reply)
                else:
                    logger.debug("dropping a push message: %.80r", reply)
                continue
            if not pending:
                sink = conn.message_sink
                if sink is not None:
                    sink(reply)
                elif type(reply) is ConnectionError:
                    # A server refusing the connection (at maxclients) says why
                    # before it closes, maybe before the first command is sent:
                    # that is the reason to report for the loss.
                    conn._lost_error = reply
                else:
                    logger.warning(
                        "dropping a reply no command waits for: %.80r", reply
                    )
                continue
            request = pending[0]
            results = request.results
            if results is not None:
                results.append(reply)
                if len(results) < request.count:
                    continue
                reply = results
            pending.popleft()
            future = request.future
            if future.done():
                # The caller was cancelled or timed out: drop its reply; or
                # the reply is a pub/sub's, in its turn among the others.
                if type(request) is _SinkRequest:
                    sink = conn.message_sink
                    if sink is not None:
                        sink(reply)
                continue
            if results is None and isinstance(reply, RedisError):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    def eof_received(self) -> bool | None:
        return None  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        if self.drain_waiter is not None and not self.drain_waiter.done():
            self.drain_waiter.set_result(None)
        # A late notice from a transport this connection already replaced is ignored.
        if self.conn._protocol is self:
            self.conn._on_lost(exc)

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        if self.drain_waiter is not None and not self.drain_waiter.done():
            self.drain_waiter.set_result(None)


class Connection(ConnectionMaintenance):
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

    def _reset_himport_state(self) -> None:
        # A new server session has no fieldsets prepared: the next himport_set
        # prepares again. Name -> the registry version prepared here, and the
        # registry revision whose discards this session has caught up with.
        self._himport_prepared: dict[str, int] = {}
        self._himport_reconciled_revision = 0

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

    # -- HIMPORT: fieldsets are session state ------------------------------------

    async def _exchange(
        self, commands: list[tuple[Any, ...]], options: dict[str, Any]
    ) -> list[Any]:
        # Several commands in one write; error replies come back as values, so
        # every reply is read before any is raised (the session stays in step).
        future = self.send_requests(
            commands,
            timeout=self.command_timeout(options) if self.socket_timeout else None,
            decode=NEVER_DECODE not in options,
        )
        await self.drain()
        return await future

    async def _himport_reconcile(self, options: dict[str, Any]) -> None:
        """DISCARD the fieldsets prepared here that the registry no longer has
        (once per registry change), as redis-py before an HIMPORT SET."""
        registry = self.himport_registry
        if registry is None or self._himport_reconciled_revision == registry.revision:
            return
        # The revision is read before the names: a change racing this exchange
        # leaves this session behind, so the next use catches up with it.
        revision = registry.revision
        stale = registry.names_to_discard(list(self._himport_prepared))
        if stale:
            replies = await self._exchange([discard_command(n) for n in stale], options)
            for name in stale:
                self._himport_prepared.pop(name, None)
            for reply in replies:
                if isinstance(reply, RedisError):
                    raise reply
        self._himport_reconciled_revision = revision

    async def execute_himport_set(
        self, operands: tuple[Any, Any, list[Any]], options: dict[str, Any]
    ) -> Any:
        """Run ``HIMPORT SET key name values...`` with this session prepared:
        owed DISCARDs first, then ``HIMPORT PREPARE`` in the same write as the
        SET when the registry's fieldset is not prepared here (in this
        version), and once more after ``no such fieldset`` (the server lost it).
        Returns the SET's raw reply.

        :raises ResponseError: the PREPARE's error (the cause) before the SET's.
        """
        if self._transport is None:
            await self.connect()
        await self._himport_reconcile(options)
        key, name, values = operands
        registry = self.himport_registry
        fieldset = registry.get(name) if registry is not None else None
        retried = False
        while True:
            commands = []
            if fieldset is not None and (
                self._himport_prepared.get(name) != fieldset.version
            ):
                commands.append(prepare_command(name, fieldset.fields))
            commands.append(set_command(key, name, values))
            replies = await self._exchange(commands, options)
            if len(commands) == 2:
                assert fieldset is not None
                if isinstance(replies[0], RedisError):
                    raise replies[0]
                self._himport_prepared[name] = fieldset.version
            reply = replies[-1]
            if not isinstance(reply, RedisError):
                return reply
            if (
                isinstance(reply, NoSuchFieldsetError)
                and fieldset is not None
                and len(commands) == 1
                and not retried
            ):
                self._himport_prepared.pop(name, None)
                retried = True
                continue
            raise reply

    async def himport_preflight(
        self, commands: Iterable[Sequence[Any]], options: dict[str, Any]
    ) -> None:
        """Prepare, in one write, the registry's fieldsets that the ``HIMPORT
        SET``s among ``commands`` (a pipeline's) use and this session lacks.

        :raises ResponseError: the first PREPARE refused (after all are read).
        """
        registry = self.himport_registry
        if registry is None:
            return
        if self._transport is None:
            await self.connect()
        await self._himport_reconcile(options)
        wanted: dict[str, HImportFieldset] = {}
        for args in commands:
            operands = parse_himport_set_args(args)
            if operands is None or operands[1] in wanted:
                continue
            fieldset = registry.get(operands[1])
            if fieldset is not None and (
                self._himport_prepared.get(fieldset.name) != fieldset.version
            ):
                wanted[fieldset.name] = fieldset
        if not wanted:
            return
        replies = await self._exchange(
            [prepare_command(n, fs.fields) for n, fs in wanted.items()], options
        )
        error: RedisError | None = None
        for fieldset, reply in zip(wanted.values(), replies, strict=True):
            if isinstance(reply, RedisError):
                error = error or reply
            else:
                self._himport_prepared[fieldset.name] = fieldset.version
        if error is not None:
            raise error

    # -- redis-py's lower-level API ------------------------------------------------

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
