"""The worker side of the supervisor: what runs inside each worker process.

A worker is a fresh interpreter (multiprocessing "spawn"), so every generation
re-imports the application: that is what makes SIGHUP load new code. It receives the
already-bound listening sockets (multiprocessing passes their file descriptors), runs
the aio server on its main thread, and reports liveness through shared memory:

- ``beat[0]``: ``time.monotonic()`` at the last heartbeat (CLOCK_MONOTONIC is one
  clock for every process on the machine, so the supervisor can compare);
- ``beat[1]``: the loop lag the heartbeat task measured last (how late it woke up);
- ``beat[2]``: 1.0 once the server accepts connections.

The heartbeat is a task on the worker's event loop, so a loop blocked by a handler
(``time.sleep`` in a coroutine, a CPU-bound call) stops beating. For that case the
worker registers :mod:`faulthandler` on SIGUSR1: the dump is written by C code at
signal time, even while the main thread is stuck, to a file the supervisor reads
before it kills the worker.

Exit codes: 0 after a graceful stop or when ``limit_max_requests`` was reached,
:data:`BOOT_FAILED` when the application could not be loaded or did not start.
"""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, MutableSequence
from dataclasses import dataclass
from typing import Any

__all__ = (
    "BOOT_FAILED",
    "WorkerContext",
    "current_worker",
    "serve_asgi",
    "serve_config",
    "worker_main",
)

logger = logging.getLogger("aio.server.supervisor")

# The exit code of a worker that could not load or start the application.
BOOT_FAILED = 3
# beat[2]: 0.0 spawning, BOOTING once SIGTERM is handled, 1.0 when serving.
BOOTING = 0.5


@dataclass
class WorkerContext:
    """What the supervisor hands to a worker process.

    :param index: the worker's number (its age: 1 for the first worker started).
    :param sockets: the listening sockets to serve on.
    :param beat: shared ``[last heartbeat, loop lag, state]`` doubles (state:
        0 spawning, :data:`BOOTING`, 1 serving).
    :param heartbeat_interval: seconds between heartbeats.
    :param dump_fd: the file descriptor faulthandler writes stacks to on SIGUSR1
        (an :class:`InheritedFd` in the supervisor, an ``int`` in the worker).
    :param limit_max_requests: this worker's request budget (jitter applied), or None.
    """

    index: int
    sockets: list[socket.socket]
    beat: MutableSequence[float]
    heartbeat_interval: float
    dump_fd: Any
    limit_max_requests: int | None = None
    parent_pid: int = 0

    def mark_ready(self) -> None:
        """Tell the supervisor the worker accepts connections."""
        self.beat[2] = 1.0


# The callable a worker runs; it returns the process exit code.
WorkerTarget = Callable[[WorkerContext], int]


class InheritedFd:
    """A file descriptor that a spawned worker inherits (it arrives as an ``int``).

    multiprocessing passes sockets to spawned children by listing their fds for
    the child at start; ``DupFd`` does the same for any fd while a process starts.
    The dump file is an unnamed temporary file: nothing is left on disk, whatever
    way the supervisor or the worker ends.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        from multiprocessing import reduction

        return (_detach, (reduction.DupFd(self.fd),))


def _detach(dup: Any) -> int:
    fd: int = dup.detach()
    return fd


_context: WorkerContext | None = None


def current_worker() -> WorkerContext | None:
    """The context of this worker process (None outside a supervised worker)."""
    return _context


# Set by SIGTERM before the server runs (the app may still be importing).
_stop_requested = False
_server: Any = None


def _early_stop(signum: int, frame: object) -> None:
    global _stop_requested
    _stop_requested = True
    if _server is not None:
        _server.should_exit = True


def worker_main(target: WorkerTarget, ctx: WorkerContext) -> None:
    """Entry point of a worker process (the ``multiprocessing`` target)."""
    global _context
    _context = ctx
    # Ctrl-C in a terminal reaches the whole process group: only the supervisor acts
    # on it, and it stops the workers with SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A SIGTERM that arrives while the worker boots means "do not start": without
    # a handler it would kill the worker and look like a crash.
    signal.signal(signal.SIGTERM, _early_stop)
    ctx.beat[2] = BOOTING  # from now on SIGTERM is handled, not fatal
    faulthandler.register(signal.SIGUSR1, file=ctx.dump_fd, all_threads=True)
    ctx.beat[0] = time.monotonic()
    code = target(ctx)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


async def _heartbeat(ctx: WorkerContext, server: Any) -> None:
    interval = ctx.heartbeat_interval
    beat = ctx.beat
    loop = asyncio.get_running_loop()
    expected = loop.time() + interval
    while True:
        await asyncio.sleep(interval)
        now = loop.time()
        beat[1] = max(0.0, now - expected)
        beat[0] = time.monotonic()
        expected = now + interval
        if ctx.parent_pid and os.getppid() != ctx.parent_pid:
            # The supervisor died (SIGKILL, OOM): do not live on as an orphan.
            logger.error("worker %d: supervisor is gone; stopping", ctx.index)
            server.should_exit = True
        if beat[2] < 1.0 and getattr(server, "started", False):
            ctx.mark_ready()


async def _serve(server: Any, ctx: WorkerContext) -> None:
    loop = asyncio.get_running_loop()

    def _stop() -> None:
        server.should_exit = True

    # The server may install its own handlers in serve(); these cover it until then.
    loop.add_signal_handler(signal.SIGTERM, _stop)
    if hasattr(server, "on_tick"):
        # The server ticks right after startup, before it handles a connection:
        # "ready" must not wait for the next heartbeat, or a handler that blocks
        # the loop at once would leave the worker "booting" (longer hang limit).
        server.on_tick = ctx.mark_ready
    beating = loop.create_task(_heartbeat(ctx, server))
    try:
        await server.serve(sockets=ctx.sockets)
    finally:
        beating.cancel()
        try:
            await beating
        except asyncio.CancelledError:
            pass


def serve_config(config: Any, ctx: WorkerContext) -> int:
    """Run ``aio.server.Server(config)`` on the worker's sockets until it stops.

    :returns: 0 after a normal stop, :data:`BOOT_FAILED` if the app did not start.
    """
    from aio.server import Server
    from aio.server._loop import loop_factory

    if ctx.limit_max_requests is not None:
        config.limit_max_requests = ctx.limit_max_requests
    try:
        config.load()
    except Exception:
        logger.exception("worker %d: could not load the application", ctx.index)
        return BOOT_FAILED
    global _server
    server = _server = Server(config)
    if _stop_requested:
        return 0
    with asyncio.Runner(loop_factory=loop_factory(config.loop)) as runner:
        runner.run(_serve(server, ctx))
    if server.startup_failed or not (server.started or _stop_requested):
        return BOOT_FAILED
    return 0


def serve_asgi(config: Any, ctx: WorkerContext) -> int:
    """The worker target of ``aio serve --workers N``: configure logging, serve."""
    from aio.server._logging import configure_logging

    # Config.__init__ configured logging in the supervisor; a spawned worker starts
    # with a blank logging setup.
    configure_logging(config.log_config, config.log_level)
    return serve_config(config, ctx)
