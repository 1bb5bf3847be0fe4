"""The process supervisor behind ``--workers N`` and ``--reload``.

The supervisor binds the listening socket once, then starts worker processes
("spawn": a fresh interpreter each, which re-imports the application) that all accept
on that socket. It runs a small synchronous monitor loop that sleeps in
``multiprocessing.connection.wait`` on the workers' sentinels and a self-pipe that the
signal handlers write to, and on every wake-up:

- reaps workers that exited and says why (exit code, or the signal that killed it),
  then starts replacements (a worker that exits 0 on its own reached its
  ``--max-requests`` budget: it is recycled);
- finds hung workers: each worker's event loop writes a heartbeat into shared
  memory; one silent for longer than ``timeout`` gets SIGUSR1 (its faulthandler dumps
  every thread's stack to a file), the supervisor logs the stack and how long the
  loop was stuck, then SIGKILLs it and starts a replacement;
- acts on signals: SIGTERM/SIGINT stop gracefully (SIGTERM to each worker, SIGKILL
  after ``graceful_timeout``), SIGHUP starts a new generation of workers and stops
  the old one once the new one is ready, SIGTTIN/SIGTTOU add/remove a worker;
- with ``reload``, restarts the workers when a watched source file changed.

A worker that fails to boot (import error, lifespan startup failure) exits with
:data:`~aio.server._supervisor_worker.BOOT_FAILED`: without reload the supervisor then
stops (rather than restart it in a tight loop) and returns 1; with reload it waits
for the next file change.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import random
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from typing import IO, Any

from aio.server._config import listen_url
from aio.server._reload import ChangeWatcher
from aio.server._supervisor_worker import (
    BOOT_FAILED,
    BOOTING,
    InheritedFd,
    WorkerTarget,
    worker_main,
)
from aio.server._supervisor_worker import WorkerContext as WorkerContext
from aio.server._supervisor_worker import current_worker as current_worker
from aio.server._supervisor_worker import serve_asgi as serve_asgi
from aio.server._supervisor_worker import serve_config as serve_config

__all__ = (
    "Supervisor",
    "SupervisorHooks",
    "SupervisorOptions",
    "WorkerContext",
    "WorkerHandle",
    "current_worker",
    "run_supervised",
    "serve_asgi",
    "serve_config",
    "supervise",
)

logger = logging.getLogger("aio.server.supervisor")

_spawn = multiprocessing.get_context("spawn")


@dataclass
class SupervisorOptions:
    """How the supervisor runs its workers.

    :param workers: how many worker processes to run.
    :param timeout: seconds without a heartbeat after which a worker counts as hung
        and is killed; 0 disables the check.
    :param graceful_timeout: seconds a stopping worker gets to finish its requests
        before it is killed.
    :param max_requests: recycle a worker after about this many requests (None: never).
    :param max_requests_jitter: add ``randint(0, jitter)`` to each worker's budget, so
        that workers do not all restart at once.
    :param reload: restart the workers when a source file changes.
    :param reload_dirs: the directories to watch (the current directory when empty).
    :param reload_includes: glob patterns of the files that count.
    :param reload_excludes: glob patterns of files (names or paths) that do not.
    :param reload_delay: seconds between two polls of the file tree.
    :param dump_wait: seconds to wait for a hung worker's stack dump before SIGKILL.
    :param boot_timeout: the hang limit before a worker serves (it may be importing
        the application), when longer than ``timeout``.

    .. versionadded:: 0.1
    """

    workers: int = 1
    timeout: float = 30.0
    graceful_timeout: float = 30.0
    max_requests: int | None = None
    max_requests_jitter: int = 0
    reload: bool = False
    reload_dirs: list[str] = field(default_factory=list)
    reload_includes: tuple[str, ...] = ("*.py",)
    reload_excludes: tuple[str, ...] = ()
    reload_delay: float = 0.25
    dump_wait: float = 1.0
    boot_timeout: float = 60.0

    @classmethod
    def from_config(cls, config: Any) -> SupervisorOptions:
        """Read the supervisor settings of an :class:`aio.server.Config`."""
        graceful = getattr(config, "timeout_graceful_shutdown", None)
        return cls(
            workers=1 if config.reload else max(1, int(config.workers or 1)),
            timeout=float(getattr(config, "timeout_worker", 30.0) or 0.0),
            graceful_timeout=30.0 if graceful is None else float(graceful),
            max_requests=config.limit_max_requests,
            max_requests_jitter=int(getattr(config, "limit_max_requests_jitter", 0)),
            reload=bool(config.reload),
            reload_dirs=list(config.reload_dirs or []),
            # As uvicorn: "*.py" always counts unless excluded; includes add to it.
            reload_includes=tuple(
                dict.fromkeys(("*.py", *(getattr(config, "reload_includes", ()) or ())))
            ),
            reload_excludes=tuple(getattr(config, "reload_excludes", ()) or ()),
            reload_delay=float(getattr(config, "reload_delay", 0.25) or 0.25),
        )


@dataclass(eq=False)
class WorkerHandle:
    """One worker process, as the supervisor sees it."""

    index: int
    generation: int
    process: BaseProcess
    beat: Any  # the shared [heartbeat, loop lag, ready] array
    dump_file: IO[bytes]  # the unnamed file the worker's faulthandler writes to
    started_at: float
    stopping_since: float | None = None
    term_sent: bool = False
    killed_hung: bool = False

    @property
    def pid(self) -> int | None:
        """The worker's process id (None before it started)."""
        return self.process.pid

    @property
    def ready(self) -> bool:
        """Whether the worker accepts connections."""
        return bool(self.beat[2] >= 1.0)

    @property
    def handles_sigterm(self) -> bool:
        """Whether the worker installed its SIGTERM handler (else SIGTERM kills it)."""
        return bool(self.beat[2] >= BOOTING)


class SupervisorHooks:
    """Callbacks into the supervisor's life, run in the supervisor process.

    Subclass and override; every method does nothing by default. The gunicorn shim
    maps gunicorn's server hooks onto these.
    """

    def on_starting(self, supervisor: Supervisor) -> None:
        """Before the socket is bound and the first worker starts."""

    def when_ready(self, supervisor: Supervisor) -> None:
        """After the first workers were started."""

    def pre_fork(self, supervisor: Supervisor, worker: WorkerHandle) -> None:
        """Just before a worker process starts."""

    def on_reload(self, supervisor: Supervisor) -> None:
        """When a new generation of workers starts (SIGHUP, or a reload)."""

    def child_exit(self, supervisor: Supervisor, worker: WorkerHandle) -> None:
        """After a worker process exited."""

    def on_exit(self, supervisor: Supervisor) -> None:
        """Just before the supervisor returns."""


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "is gone"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by signal {name}"
    return f"exited with code {code}"


class Supervisor:
    """Run ``target`` in ``options.workers`` processes on ``sockets``, and supervise.

    :param target: the picklable callable each worker runs (see
        :func:`aio.server._supervisor_worker.serve_config`).
    :param sockets: the bound, listening sockets the workers share.
    :param options: the supervision settings.
    :param hooks: callbacks run in the supervisor process.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        target: WorkerTarget,
        sockets: list[socket.socket],
        options: SupervisorOptions,
        hooks: SupervisorHooks | None = None,
    ) -> None:
        self.target = target
        self.sockets = sockets
        self.options = options
        self.hooks = hooks or SupervisorHooks()
        self.target_count = options.workers
        self.workers: list[WorkerHandle] = []
        self.generation = 0
        self._next_index = 1
        self._signals: list[int] = []
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._stopping = False
        self._exit_code = 0
        self._boot_failed = False
        self._backoff = 0.0
        self._spawn_not_before = 0.0
        self._heartbeat_interval = (
            max(0.05, min(1.0, options.timeout / 4)) if options.timeout else 1.0
        )

    # -- signals -------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: object) -> None:
        self._signals.append(signum)
        self.wake()

    def wake(self) -> None:
        """Wake the monitor loop (safe from signal handlers and other threads)."""
        try:
            os.write(self._wake_w, b"!")
        except BlockingIOError:
            pass  # the pipe is full: the loop wakes anyway

    def _install_signals(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for sig in (
            signal.SIGTERM,
            signal.SIGINT,
            signal.SIGHUP,
            signal.SIGTTIN,
            signal.SIGTTOU,
        ):
            previous[sig] = signal.signal(sig, self._on_signal)
        return previous

    def _handle_signals(self) -> None:
        while self._signals:
            sig = self._signals.pop(0)
            name = signal.Signals(sig).name
            if sig in (signal.SIGTERM, signal.SIGINT):
                if self._stopping and sig == signal.SIGINT:
                    logger.info("%s again: killing the workers", name)
                    self._kill_all()
                elif not self._stopping:
                    logger.info("%s: stopping %d workers", name, len(self.workers))
                    self.stop()
            elif self._stopping:
                continue
            elif sig == signal.SIGHUP:
                logger.info("SIGHUP: starting new workers, then stopping the old ones")
                self.restart()
            elif sig == signal.SIGTTIN:
                self.target_count += 1
                logger.info("SIGTTIN: workers %d", self.target_count)
            elif sig == signal.SIGTTOU:
                if self.target_count > 1:
                    self.target_count -= 1
                logger.info("SIGTTOU: workers %d", self.target_count)

    # -- workers -----------------------------------------------------------------------

    def spawn(self) -> WorkerHandle:
        """Start one worker process of the current generation."""
        index = self._next_index
        self._next_index += 1
        beat = _spawn.RawArray("d", 3)
        beat[0] = time.monotonic()
        dump_file = tempfile.TemporaryFile()  # closed when reaped
        budget = self.options.max_requests
        if budget is not None and self.options.max_requests_jitter > 0:
            budget += random.randint(0, self.options.max_requests_jitter)
        ctx = WorkerContext(
            index=index,
            sockets=self.sockets,
            beat=beat,
            heartbeat_interval=self._heartbeat_interval,
            dump_fd=InheritedFd(dump_file.fileno()),
            limit_max_requests=budget,
            parent_pid=os.getpid(),
        )
        process = _spawn.Process(
            target=worker_main, args=(self.target, ctx), name=f"aio-worker-{index}"
        )
        handle = WorkerHandle(
            index=index,
            generation=self.generation,
            process=process,
            beat=beat,
            dump_file=dump_file,
            started_at=time.monotonic(),
        )
        self.hooks.pre_fork(self, handle)
        process.start()
        self.workers.append(handle)
        logger.info("started worker %d (pid %s)", index, process.pid)
        return handle

    def _signal(self, worker: WorkerHandle, sig: int) -> None:
        if worker.pid is not None:
            try:
                os.kill(worker.pid, sig)
            except ProcessLookupError:
                pass  # already gone: the reaper will see it

    def stop_worker(self, worker: WorkerHandle) -> None:
        """Ask one worker to stop gracefully (SIGTERM; SIGKILL after the timeout)."""
        if worker.stopping_since is None:
            worker.stopping_since = time.monotonic()
        if not worker.term_sent and worker.handles_sigterm:
            # A worker still starting up gets SIGTERM once it can handle it
            # (see _check_heartbeats), so that it exits cleanly.
            worker.term_sent = True
            self._signal(worker, signal.SIGTERM)

    def stop(self) -> None:
        """Stop all workers gracefully, then leave the monitor loop."""
        self._stopping = True
        for worker in self.workers:
            self.stop_worker(worker)

    def restart(self) -> None:
        """Start a new generation of workers; the old one stops once it is ready."""
        self.generation += 1
        self._boot_failed = False
        self.hooks.on_reload(self)
        for _ in range(self.target_count):
            self.spawn()

    def _kill_all(self) -> None:
        for worker in self.workers:
            self._signal(worker, signal.SIGKILL)

    def _reap(self) -> None:
        for worker in list(self.workers):
            if worker.process.is_alive():
                continue
            worker.process.join()
            code = worker.process.exitcode
            self.workers.remove(worker)
            worker.dump_file.close()
            self.hooks.child_exit(self, worker)
            if worker.stopping_since is not None:
                logger.info(
                    "worker %d (pid %s) stopped: %s",
                    worker.index,
                    worker.pid,
                    _exit_reason(code),
                )
                continue
            if worker.killed_hung:
                continue  # already logged with its stack
            if code == 0:
                logger.info(
                    "worker %d (pid %s) exited after its request budget; replacing it",
                    worker.index,
                    worker.pid,
                )
            elif code == BOOT_FAILED:
                logger.error(
                    "worker %d (pid %s) failed to boot (exit code %d)",
                    worker.index,
                    worker.pid,
                    code,
                )
                self._boot_failed = True
                older = any(w.generation != self.generation for w in self.workers)
                if not self.options.reload and not older:
                    self._exit_code = 1
                    self.stop()
            else:
                logger.error(
                    "worker %d (pid %s) %s; starting a replacement",
                    worker.index,
                    worker.pid,
                    _exit_reason(code),
                )
                if not worker.ready:
                    # It died before serving: back off, or a worker that crashes
                    # at import time would be restarted in a tight loop.
                    self._backoff = min(5.0, self._backoff * 2 or 0.25)
                    self._spawn_not_before = time.monotonic() + self._backoff

    def _check_heartbeats(self, now: float) -> None:
        timeout = self.options.timeout
        for worker in self.workers:
            if worker.stopping_since is not None:
                if not worker.term_sent:
                    self.stop_worker(worker)
                if now - worker.stopping_since > self.options.graceful_timeout:
                    logger.warning(
                        "worker %d (pid %s) did not stop within %.1f s; killing it",
                        worker.index,
                        worker.pid,
                        self.options.graceful_timeout,
                    )
                    self._signal(worker, signal.SIGKILL)
                    worker.stopping_since = now  # do not re-kill on every tick
                continue
            if not timeout or worker.killed_hung:
                continue
            silent = time.monotonic() - worker.beat[0]
            # Until it serves, a worker is importing the app and starting up:
            # allow at least boot_timeout, so a slow import on a busy machine is
            # not mistaken for a hang (a boot that never ends is still caught).
            limit = timeout if worker.ready else max(timeout, self.options.boot_timeout)
            if silent > limit:
                self._kill_hung(worker, silent)

    def _kill_hung(self, worker: WorkerHandle, silent: float) -> None:
        worker.killed_hung = True
        self._signal(worker, signal.SIGUSR1)
        stack = _read_dump(worker.dump_file, self.options.dump_wait)
        logger.error(
            "worker %d (pid %s) is hung: its event loop did not run for %.1f s "
            "(timeout %.1f s; last measured loop lag %.3f s); killing it with SIGKILL "
            "and starting a replacement. Stack at the time:\n%s",
            worker.index,
            worker.pid,
            silent,
            self.options.timeout,
            worker.beat[1],
            stack or "(no stack dump received)",
        )
        self._signal(worker, signal.SIGKILL)

    def _retire_old_generations(self) -> None:
        current = [w for w in self.workers if w.generation == self.generation]
        old = [w for w in self.workers if w.generation != self.generation]
        if not old:
            return
        if all(w.ready for w in current) and len(current) >= self.target_count:
            for worker in old:
                self.stop_worker(worker)
        elif self._boot_failed:
            # The new code does not start: keep the old workers serving.
            logger.error("new workers failed to boot; keeping the old ones")
            for worker in old:
                worker.generation = self.generation
            self._boot_failed = False

    def _scale(self) -> None:
        if self._stopping or self._boot_failed:
            return
        if self._backoff and any(w.ready for w in self.workers):
            self._backoff = 0.0
        if time.monotonic() < self._spawn_not_before:
            return
        active = [
            w
            for w in self.workers
            if w.stopping_since is None
            and not w.killed_hung
            and w.generation == self.generation
        ]
        for _ in range(self.target_count - len(active)):
            self.spawn()
        extra = len(active) - self.target_count
        if extra > 0:
            # Retire the newest first: the older ones have warm caches.
            for worker in sorted(active, key=lambda w: w.index, reverse=True)[:extra]:
                self.stop_worker(worker)

    # -- the monitor loop ------------------------------------------------------------

    def run(self) -> int:
        """Start the workers and supervise them until stopped.

        :returns: the process exit code (0 after a graceful stop, 1 when workers
            could not boot).
        """
        previous = self._install_signals()
        watcher = (
            ChangeWatcher(
                self.options.reload_dirs,
                self.options.reload_includes,
                excludes=self.options.reload_excludes,
                wake=self.wake,
            )
            if self.options.reload
            else None
        )
        if watcher is not None:
            logger.info(
                "watching %s for changes (%s)",
                ", ".join(watcher.dirs),
                watcher.backend,
            )
        tick = min(self._heartbeat_interval, self.options.reload_delay, 0.5)
        try:
            self.hooks.on_starting(self)
            for _ in range(self.target_count):
                self.spawn()
            self.hooks.when_ready(self)
            while self.workers or not self._stopping:
                sentinels: list[Any] = [w.process.sentinel for w in self.workers]
                wait([*sentinels, self._wake_r], timeout=tick)
                _drain(self._wake_r)
                self._handle_signals()
                self._reap()
                now = time.monotonic()
                self._check_heartbeats(now)
                if watcher is not None and not self._stopping:
                    changed = watcher.changes()
                    if changed:
                        logger.info("reloading: %s changed", ", ".join(changed[:5]))
                        self.restart()
                self._retire_old_generations()
                self._scale()
        finally:
            if watcher is not None:
                watcher.close()
            self._kill_all()
            for worker in self.workers:
                worker.process.join(5)
                worker.dump_file.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            os.close(self._wake_r)
            os.close(self._wake_w)
            self.hooks.on_exit(self)
        logger.info("supervisor stopped")
        return self._exit_code


def _drain(fd: int) -> None:
    os.set_blocking(fd, False)
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def _read_dump(file: IO[bytes], wait_for: float) -> str:
    # faulthandler writes the dump from the signal handler; wait until something
    # arrived and the size stopped changing.
    fd = file.fileno()
    deadline = time.monotonic() + wait_for
    size = -1
    while time.monotonic() < deadline:
        current = os.fstat(fd).st_size
        if current > 0 and current == size:
            break
        size = current
        time.sleep(0.05)
    data = os.pread(fd, os.fstat(fd).st_size, 0)
    return data.decode("utf-8", errors="replace")


def supervise(
    target: WorkerTarget,
    sockets: list[socket.socket],
    options: SupervisorOptions,
    *,
    scheme: str = "http",
    hooks: SupervisorHooks | None = None,
) -> int:
    """Log where we listen, run a :class:`Supervisor` and close the sockets."""
    logger.info(
        "aio supervisor (pid %d) running on %s with %d worker%s%s",
        os.getpid(),
        ", ".join(listen_url(sock, scheme) for sock in sockets),
        options.workers,
        "" if options.workers == 1 else "s",
        " (reload)" if options.reload else "",
    )
    try:
        return Supervisor(target, sockets, options, hooks).run()
    finally:
        for sock in sockets:
            sock.close()


def run_supervised(config: Any) -> int:
    """Run ``aio serve`` with ``--workers N`` or ``--reload``: bind, spawn, supervise.

    :param config: an :class:`aio.server.Config` whose ``app`` is an import string
        (workers re-import it).
    :returns: the process exit code.

    .. versionadded:: 0.1
    """
    if not isinstance(config.app, str):
        logger.error(
            "--workers and --reload need the application as an import string "
            "('module:attr'), not an object"
        )
        return 1
    options = SupervisorOptions.from_config(config)
    sock = config.bind_socket()
    target: Callable[[WorkerContext], int] = functools.partial(serve_asgi, config)
    return supervise(
        target, [sock], options, scheme="https" if config.is_ssl else "http"
    )
