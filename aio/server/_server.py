"""``Server``: listen, run the lifespan, tick, and shut down gracefully.

Life of a server::

    startup     lifespan.startup, then listen (bind, or the sockets given)
    main loop   a tick every 0.1 s: refresh the date header, call ``on_tick``,
                check ``should_exit`` and ``limit_max_requests``
    shutdown    stop listening; busy connections close after their response,
                idle ones (a just-accepted one too) after a short grace in which
                a request that arrives is still answered; after
                ``timeout_graceful_shutdown`` (or a second Ctrl-C:
                ``force_exit``) the remaining handlers are cancelled; then
                lifespan.shutdown
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Generator, Sequence
from typing import Any

from aio.server._config import Config, listen_url
from aio.server._http import HTTPProtocol
from aio.server._lifespan import Lifespan
from aio.server._logging import LOGGING_CONFIG
from aio.server._loop import loop_factory
from aio.server._state import ServerState

logger = logging.getLogger("aio.server")

#: Exit status of a server whose application failed to start (as uvicorn).
STARTUP_FAILURE = 3

TICK = 0.1


class Server:
    """Serves one :class:`Config` on the running event loop.

    Attributes a supervisor or an embedding program may use: ``started`` (listening),
    ``should_exit`` (set it to stop gracefully), ``force_exit`` (set it to stop
    now), ``startup_failed``, ``servers`` (the ``asyncio.Server`` objects, e.g. to
    read the bound port), ``server_state`` and ``on_tick``, a callable run every
    tick (about ten times a second) in the loop thread, for heartbeats.

    .. versionadded:: 0.1
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.server_state = ServerState([], config.date_header)
        self.started = False
        self.should_exit = False
        self.force_exit = False
        self.startup_failed = False
        self.servers: list[asyncio.Server] = []
        self.lifespan: Lifespan | None = None
        self.on_tick: Callable[[], None] | None = None
        self.app_state: dict[str, Any] = {}
        self._captured: list[int] = []

    # -- entry points ----------------------------------------------------------

    def run(self, sockets: Sequence[socket.socket] | None = None) -> None:
        """Run :meth:`serve` on a new event loop of the configured kind (blocking)."""
        with asyncio.Runner(loop_factory=loop_factory(self.config.loop)) as runner:
            runner.run(self.serve(sockets=sockets))

    async def serve(self, sockets: Sequence[socket.socket] | None = None) -> None:
        """Serve until asked to exit.

        :param sockets: already bound, listening sockets to serve on (a supervisor
            binds once and hands them to its workers); by default the server binds
            ``host``/``port``, ``uds`` or ``fd`` itself.
        """
        with self._capture_signals():
            await self._serve(sockets)

    async def _serve(self, sockets: Sequence[socket.socket] | None) -> None:
        config = self.config
        if not config.loaded:
            config.load()
        self.server_state = ServerState(config.encoded_headers, config.date_header)
        logger.info("Started server process [%d]", os.getpid())
        await self.startup(sockets=sockets)
        if self.should_exit:
            return
        await self.main_loop()
        await self.shutdown(sockets=sockets)
        logger.info("Finished server process [%d]", os.getpid())

    # -- phases ------------------------------------------------------------------

    async def startup(self, sockets: Sequence[socket.socket] | None = None) -> None:
        """Run lifespan startup, then start listening."""
        config = self.config
        assert config.loaded_app is not None
        if config.lifespan != "off":
            self.lifespan = Lifespan(config.loaded_app, config.lifespan, self.app_state)
            await self.lifespan.startup()
            if self.lifespan.should_exit:
                self.should_exit = True
                self.startup_failed = True
                return
        loop = asyncio.get_running_loop()
        state = self.server_state
        app_state = self.app_state

        def factory() -> HTTPProtocol:
            return HTTPProtocol(config, state, app_state, loop)

        own = sockets is None
        listen = list(sockets) if sockets is not None else []
        try:
            if own:
                listen.append(config.bind_socket())
            for sock in listen:
                server = await loop.create_server(
                    factory, sock=sock, ssl=config.ssl, backlog=config.backlog
                )
                self.servers.append(server)
        except OSError as exc:
            logger.error("%s", exc)
            if own:
                for sock in listen:
                    sock.close()
            if self.lifespan is not None:
                await self.lifespan.shutdown()
            self.should_exit = True
            self.startup_failed = True
            return
        scheme = "https" if config.ssl is not None else "http"
        for server in self.servers:
            for sock in server.sockets:
                url = listen_url(sock, scheme)
                logger.info("aio running on %s (Press CTRL+C to quit)", url)
        self.started = True

    async def main_loop(self) -> None:
        """Tick until ``should_exit`` (or the request limit is reached)."""
        # A periodic tick, not a wait for one event: it also refreshes the date
        # header and runs the heartbeat hook.
        while not self._tick():  # noqa: ASYNC110
            await asyncio.sleep(TICK)

    def _tick(self) -> bool:
        self.server_state.update_date()
        if self.on_tick is not None:
            self.on_tick()
        if self.should_exit:
            return True
        limit = self.config.limit_max_requests
        if limit is not None and self.server_state.total_requests >= limit:
            logger.warning(
                "Maximum request limit of %d exceeded. Terminating process.", limit
            )
            return True
        return False

    async def shutdown(self, sockets: Sequence[socket.socket] | None = None) -> None:
        """Stop listening, let requests in flight finish, then lifespan shutdown."""
        logger.info("Shutting down")
        state = self.server_state
        state.shutting_down = True
        for server in self.servers:
            server.close()
        for sock in sockets or ():
            sock.close()
        for connection in list(state.connections):
            connection.shutdown()
        timeout = self.config.timeout_graceful_shutdown
        try:
            async with asyncio.timeout(timeout):
                await self._wait_for_connections()
        except TimeoutError:
            logger.error(
                "Cancel %d running task(s), timeout graceful shutdown exceeded",
                len(state.tasks),
            )
        self._abort_all()
        if state.runner is not None:
            state.runner.close()  # end the idle handler tasks
        if self.lifespan is not None and not self.force_exit:
            await self.lifespan.shutdown()

    async def _wait_for_connections(self) -> None:
        state = self.server_state
        if state.connections and not self.force_exit:
            logger.info("Waiting for connections to close. (CTRL+C to force quit)")
        # Polled: connections and tasks come and go from many places, and
        # force_exit is set from a signal handler.
        while state.connections and not self.force_exit:  # noqa: ASYNC110
            await asyncio.sleep(TICK)
        if state.tasks and not self.force_exit:
            logger.info(
                "Waiting for background tasks to complete. (CTRL+C to force quit)"
            )
        while state.tasks and not self.force_exit:  # noqa: ASYNC110
            await asyncio.sleep(TICK)

    def _abort_all(self) -> None:
        state = self.server_state
        for task in list(state.tasks):
            task.cancel()
        for connection in list(state.connections):
            abort = getattr(connection, "abort", None)
            if abort is not None:
                abort()

    # -- signals -----------------------------------------------------------------

    def handle_exit(self, sig: int, frame: Any = None) -> None:
        """First SIGINT/SIGTERM: graceful shutdown; a second SIGINT: force exit."""
        self._captured.append(sig)
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True

    @contextlib.contextmanager
    def _capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signals can only be handled in the main thread
            return
        loop = asyncio.get_running_loop()
        installed: list[signal.Signals] = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.handle_exit, sig)
                installed.append(sig)
            except (NotImplementedError, RuntimeError):  # pragma: no cover
                pass
        try:
            yield
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)


def run(app: Any, **kwargs: Any) -> None:
    """Serve ``app`` until interrupted (blocking), like ``uvicorn.run``.

    Keyword arguments are :class:`Config`'s. With ``workers > 1`` or ``reload``,
    ``app`` must be an import string and the supervisor runs the workers.
    Exits the process with status 3 when the application fails to start.

    .. versionadded:: 0.1
    """
    kwargs.setdefault("log_config", LOGGING_CONFIG)
    config = Config(app, **kwargs)
    code = run_config(config)
    if code:
        sys.exit(code)


def run_config(config: Config) -> int:
    """Serve ``config`` (supervised when it asks for workers or reload); exit code."""
    if config.use_subprocess:
        if not isinstance(config.app, str):
            logger.warning(
                "You must pass the application as an import string to enable "
                "'reload' or 'workers'."
            )
            return 1
        # The supervisor lives in its own module (workers and reload); imported
        # only when asked for.
        supervisor = importlib.import_module("aio.server.supervisor")
        code: int = supervisor.run_supervised(config)
        return code
    server = Server(config)
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - signal raced the handlers
        pass
    return STARTUP_FAILURE if server.startup_failed else 0
