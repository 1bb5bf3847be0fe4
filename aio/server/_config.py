"""``Config``: every server setting, under uvicorn's names and defaults.

Also the pieces that turn settings into live objects: the listening socket
(:meth:`Config.bind_socket`), the TLS context, the loaded application and the
pre-encoded default response headers.
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
from asyncio.trsock import TransportSocket
from collections.abc import Callable, Sequence
from typing import Any, Literal
from urllib.parse import quote

from aio.server._app import load_app
from aio.server._logging import configure_logging
from aio.server._proxy import TrustedHosts, default_forwarded_allow_ips
from aio.server._types import ASGIApp

logger = logging.getLogger("aio.server")

LifespanMode = Literal["auto", "on", "off"]
# (config, build the context from the ssl_* settings) -> the context to serve with
SSLContextFactory = Callable[["Config", Callable[[], ssl.SSLContext]], ssl.SSLContext]


class Config:
    """The settings of one server.

    Names, meanings and defaults follow ``uvicorn.Config``; the additions are
    ``timeout_request``, ``timeout_header_read``, the ``max_*`` request limits and
    ``access_log_format`` (gunicorn's atoms).

    :param ssl_context_factory: as uvicorn's: called as ``factory(config, default)``
        to make the TLS context; ``default()`` builds it from the ``ssl_*`` settings.

    :param app: an ASGI application, or an import string ``"module:attr"``.
    :param timeout_request: seconds after which a handler that has not finished is
        cancelled; the client gets 504 if nothing was sent yet. ``None``: no limit.
    :param timeout_header_read: seconds a client may take to send a request head,
        counted from its first byte (slowloris protection).
    :param max_request_line: longest request line accepted (414 beyond).
    :param max_header_count: most header fields accepted (431 beyond).
    :param max_header_block: largest header section in bytes (431 beyond).
    :param max_body_size: largest request body in bytes (413 beyond); ``None``:
        no limit.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        app: ASGIApp | str | Any,
        host: str = "127.0.0.1",
        port: int = 8000,
        uds: str | None = None,
        fd: int | None = None,
        loop: str = "auto",
        http: str = "auto",
        ws: str = "auto",
        ws_max_size: int = 16 * 1024 * 1024,
        ws_max_queue: int = 32,
        ws_ping_interval: float | None = 20.0,
        ws_ping_timeout: float | None = 20.0,
        ws_per_message_deflate: bool = True,
        lifespan: LifespanMode = "auto",
        env_file: str | None = None,
        log_config: dict[str, Any] | str | None = None,
        log_level: str | int | None = None,
        access_log: bool = True,
        access_log_format: str | None = None,
        use_colors: bool | None = None,
        interface: str = "auto",
        reload: bool = False,
        reload_dirs: list[str] | str | None = None,
        reload_includes: list[str] | str | None = None,
        reload_excludes: list[str] | str | None = None,
        reload_delay: float = 0.25,
        workers: int | None = None,
        proxy_headers: bool = True,
        server_header: bool = True,
        date_header: bool = True,
        forwarded_allow_ips: list[str] | str | None = None,
        root_path: str = "",
        limit_concurrency: int | None = None,
        limit_max_requests: int | None = None,
        limit_max_requests_jitter: int = 0,
        backlog: int = 2048,
        timeout_keep_alive: float = 5,
        timeout_graceful_shutdown: float | None = None,
        timeout_request: float | None = None,
        timeout_header_read: float | None = 10.0,
        timeout_worker: float = 30.0,
        timeout_worker_healthcheck: float | None = None,
        ssl_keyfile: str | None = None,
        ssl_certfile: str | None = None,
        ssl_keyfile_password: str | None = None,
        ssl_version: int = int(ssl.PROTOCOL_TLS_SERVER),
        ssl_cert_reqs: int = int(ssl.CERT_NONE),
        ssl_ca_certs: str | None = None,
        ssl_ciphers: str = "TLSv1",
        ssl_context_factory: SSLContextFactory | None = None,
        headers: Sequence[tuple[str, str]] | None = None,
        factory: bool = False,
        app_dir: str | None = None,
        h11_max_incomplete_event_size: int | None = None,
        max_request_line: int = 8190,
        max_header_count: int = 100,
        max_header_block: int | None = None,
        max_body_size: int | None = None,
    ) -> None:
        if env_file is not None:
            load_env_file(env_file)  # before anything reads the environment
        self.app = app
        self.host = host
        self.port = port
        self.uds = uds
        self.fd = fd
        self.loop = loop
        self.http = http
        self.ws = ws
        self.ws_max_size = ws_max_size
        self.ws_max_queue = ws_max_queue
        self.ws_ping_interval = ws_ping_interval
        self.ws_ping_timeout = ws_ping_timeout
        self.ws_per_message_deflate = ws_per_message_deflate
        self.lifespan: LifespanMode = lifespan
        self.env_file = env_file
        self.log_config = log_config
        self.log_level = log_level
        self.access_log = access_log
        self.access_log_format = access_log_format
        self.use_colors = use_colors
        self.interface = interface
        self.reload = reload
        self.reload_dirs: list[str] = _as_list(reload_dirs)
        self.reload_includes: list[str] = _as_list(reload_includes)
        self.reload_excludes: list[str] = _as_list(reload_excludes)
        self.reload_delay = reload_delay
        self.workers = workers or 1
        self.proxy_headers = proxy_headers
        self.server_header = server_header
        self.date_header = date_header
        if forwarded_allow_ips is None:
            forwarded_allow_ips = default_forwarded_allow_ips()
        self.forwarded_allow_ips = forwarded_allow_ips
        self.root_path = root_path
        self.limit_concurrency = limit_concurrency
        self.limit_max_requests = limit_max_requests
        self.limit_max_requests_jitter = limit_max_requests_jitter
        self.backlog = backlog
        self.timeout_keep_alive = timeout_keep_alive
        self.timeout_graceful_shutdown = timeout_graceful_shutdown
        self.timeout_request = timeout_request
        self.timeout_header_read = timeout_header_read
        # uvicorn's name for the same limit wins when given.
        self.timeout_worker = (
            timeout_worker
            if timeout_worker_healthcheck is None
            else timeout_worker_healthcheck
        )
        self.ssl_keyfile = ssl_keyfile
        self.ssl_certfile = ssl_certfile
        self.ssl_keyfile_password = ssl_keyfile_password
        self.ssl_version = ssl_version
        self.ssl_cert_reqs = ssl_cert_reqs
        self.ssl_ca_certs = ssl_ca_certs
        self.ssl_ciphers = ssl_ciphers
        self.ssl_context_factory = ssl_context_factory
        self.headers: list[tuple[str, str]] = list(headers or [])
        self.factory = factory
        self.app_dir = app_dir
        self.h11_max_incomplete_event_size = h11_max_incomplete_event_size
        self.max_request_line = max_request_line
        self.max_header_count = max_header_count
        if max_header_block is None:
            max_header_block = h11_max_incomplete_event_size or 65536
        self.max_header_block = max_header_block
        self.max_body_size = max_body_size

        self.loaded = False
        self.loaded_app: ASGIApp | None = None
        self.ssl: ssl.SSLContext | None = None
        self.trusted_hosts = TrustedHosts(forwarded_allow_ips)
        self.encoded_headers: list[tuple[bytes, bytes]] = []

        configure_logging(log_config, log_level)

    @property
    def is_ssl(self) -> bool:
        """Whether TLS is configured (a certificate file or a context factory)."""
        return bool(self.ssl_keyfile or self.ssl_certfile or self.ssl_context_factory)

    @property
    def use_subprocess(self) -> bool:
        """Whether the supervisor must run the server (``workers > 1`` or reload)."""
        return bool(self.reload or self.workers > 1)

    def create_ssl_context(self) -> ssl.SSLContext:
        """Build the server's TLS context.

        With ``ssl_context_factory`` (uvicorn's hook), the factory is called with this
        config and a function that builds the context from the ``ssl_*`` settings,
        which it may call and adjust, or ignore.
        """
        if self.ssl_context_factory is None:
            return self._ssl_context_from_settings()
        context = self.ssl_context_factory(self, self._ssl_context_from_settings)
        if not isinstance(context, ssl.SSLContext):
            raise TypeError(
                "ssl_context_factory must return an ssl.SSLContext, "
                f"not {type(context).__name__}"
            )
        return context

    def _ssl_context_from_settings(self) -> ssl.SSLContext:
        if self.ssl_certfile is None:
            raise ValueError(
                "building the TLS context from the ssl_* settings needs ssl_certfile"
            )
        context = ssl.SSLContext(self.ssl_version)
        password = self.ssl_keyfile_password
        context.load_cert_chain(
            self.ssl_certfile,
            self.ssl_keyfile,
            (lambda: password) if password else None,
        )
        context.verify_mode = ssl.VerifyMode(self.ssl_cert_reqs)
        if self.ssl_ca_certs:
            context.load_verify_locations(self.ssl_ca_certs)
        if self.ssl_ciphers:
            context.set_ciphers(self.ssl_ciphers)
        return context

    def load(self) -> None:
        """Import the app, build the TLS context and the default headers (once)."""
        if self.loaded:
            return
        if self.is_ssl:
            self.ssl = self.create_ssl_context()
        encoded = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in self.headers
        ]
        if self.server_header and not any(name == b"server" for name, _ in encoded):
            encoded.insert(0, (b"server", b"aio"))
        self.encoded_headers = encoded
        try:
            self.loaded_app = load_app(
                self.app,
                factory=self.factory,
                app_dir=self.app_dir,
                interface=self.interface,
                multiprocess=self.workers > 1,
            )
        except Exception:
            logger.exception("Error loading ASGI app")
            raise
        self.loaded = True

    def bind_socket(self) -> socket.socket:
        """Create, bind and listen on the socket for ``fd``, ``uds`` or host/port.

        The supervisor binds once in the parent and hands the socket to workers,
        which pass it to :meth:`Server.serve`.
        """
        sock: socket.socket
        if self.fd is not None:
            sock = socket.socket(fileno=self.fd)
        elif self.uds is not None:
            if os.path.exists(self.uds):
                os.unlink(self.uds)  # a stale socket file from a previous run
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.bind(self.uds)
            os.chmod(self.uds, 0o666)
        else:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((self.host.strip("[]"), self.port))
            except OSError:
                sock.close()
                raise
        sock.listen(self.backlog)
        sock.set_inheritable(True)
        return sock


def listen_url(sock: socket.socket | TransportSocket, scheme: str) -> str:
    """Where ``sock`` listens, as the URL the server and the supervisor log.

    ``http://127.0.0.1:8000``, ``http://[::1]:8000``, or for a Unix socket
    ``http+unix://%2Ftmp%2Fapp.sock``: the path percent-encoded into the host part,
    the form that requests-unixsocket and httpie-unixsocket accept.

    :param sock: a bound socket (or asyncio's view of one).
    :param scheme: ``"http"`` or ``"https"``.
    """
    address = sock.getsockname()
    if sock.family == socket.AF_UNIX:
        path = os.fsdecode(address)
        if path.startswith("\0"):
            path = "@" + path[1:]  # Linux abstract namespace, as ss(8) shows it
        return f"{scheme}+unix://{quote(path, safe='')}"
    host, port = address[0], address[1]
    if sock.family == socket.AF_INET6:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def _as_list(value: list[str] | str | None) -> list[str]:
    if isinstance(value, str):
        return [value]
    return list(value or [])


def load_env_file(path: str) -> None:
    """Read ``KEY=VALUE`` lines (``#`` comments, optional quotes, ``export``)
    into ``os.environ`` without overriding variables already set."""
    with open(path, encoding="utf-8") as file:
        for raw in file:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("export "):
                line = line[7:].lstrip()
            key, sep, value = line.partition("=")
            if not sep:
                continue
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            os.environ.setdefault(key.strip(), value)
