"""gunicorn's server hooks on top of aio's supervisor.

gunicorn passes its ``Arbiter`` (``server``), a ``Worker``, a parsed request and its
response to the hooks of ``gunicorn.conf.py``. Hooks touch only a few attributes
of them (``server.log``, ``server.cfg``, ``server.pid``, ``worker.pid``,
``worker.age``, ``req.method``, ``req.path``, ``resp.status``...): these are small
stand-ins with those attributes.

Master-side hooks run in the supervisor process through :class:`GunicornHooks`.
Worker-side hooks run in each worker: workers are spawned, not forked, so a worker
re-reads the config file to get the hook functions (:class:`WorkerHooks`).
"""

from __future__ import annotations

import atexit
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from aio.server.supervisor import (
    Supervisor,
    SupervisorHooks,
    WorkerHandle,
    current_worker,
)
from sync_shims.gunicorn._config import Settings, load_config_file

__all__ = ("Arbiter", "GunicornHooks", "Request", "Response", "Worker", "WorkerHooks")

logger = logging.getLogger("aio.server.gunicorn")


class Arbiter:
    """What hooks see as ``server``: the master process."""

    def __init__(self, cfg: Settings, pid: int, supervisor: Supervisor | None = None):
        self.cfg = cfg
        self.pid = pid
        self.log = logger
        self.supervisor = supervisor
        self.app = cfg.wsgi_app

    @property
    def num_workers(self) -> int:
        """The number of workers the master wants running."""
        if self.supervisor is None:
            return self.cfg.workers
        return self.supervisor.target_count

    @property
    def WORKERS(self) -> dict[int, Worker]:  # gunicorn's name
        """pid -> worker, for the workers alive now."""
        if self.supervisor is None:
            return {}
        return {
            w.pid: Worker(self.cfg, w.pid, w.index, self.pid)
            for w in self.supervisor.workers
            if w.pid is not None
        }


class Worker:
    """What hooks see as ``worker``."""

    def __init__(self, cfg: Settings, pid: int | None, age: int, ppid: int):
        self.cfg = cfg
        self.pid = pid
        self.age = age
        self.ppid = ppid
        self.log = logger
        self.alive = True
        self.booted = False
        self.nr = 0  # requests handled, like gunicorn's counter

    def __repr__(self) -> str:
        return f"<Worker {self.pid} age={self.age}>"


@dataclass
class Request:
    """What ``pre_request``/``post_request`` see as ``req``."""

    method: str
    uri: str
    path: str
    query: str
    version: tuple[int, int]
    scheme: str
    headers: list[tuple[str, str]]
    remote_addr: str


@dataclass
class Response:
    """What ``post_request`` sees as ``resp``."""

    status: str
    status_code: int
    headers: list[tuple[str, str]]
    sent: int = 0

    @property
    def response_length(self) -> int:
        """Body bytes sent (gunicorn's name)."""
        return self.sent


def _call(hooks: dict[str, Any], name: str, *args: Any) -> None:
    hook = hooks.get(name)
    if hook is None:
        return
    try:
        hook(*args)
    except Exception:
        logger.exception("exception in %s hook", name)


class GunicornHooks(SupervisorHooks):
    """The master-side hooks, adapted to :class:`SupervisorHooks`."""

    def __init__(self, cfg: Settings, hooks: dict[str, Any]) -> None:
        self.cfg = cfg
        self.hooks = hooks
        self.arbiter = Arbiter(cfg, os.getpid())

    def _server(self, supervisor: Supervisor) -> Arbiter:
        self.arbiter.supervisor = supervisor
        return self.arbiter

    def _worker(self, handle: WorkerHandle) -> Worker:
        return Worker(self.cfg, handle.pid, handle.index, os.getpid())

    def on_starting(self, supervisor: Supervisor) -> None:
        _call(self.hooks, "on_starting", self._server(supervisor))

    def when_ready(self, supervisor: Supervisor) -> None:
        _call(self.hooks, "when_ready", self._server(supervisor))

    def on_reload(self, supervisor: Supervisor) -> None:
        _call(self.hooks, "on_reload", self._server(supervisor))

    def pre_fork(self, supervisor: Supervisor, worker: WorkerHandle) -> None:
        _call(self.hooks, "pre_fork", self._server(supervisor), self._worker(worker))

    def child_exit(self, supervisor: Supervisor, worker: WorkerHandle) -> None:
        _call(self.hooks, "child_exit", self._server(supervisor), self._worker(worker))

    def on_exit(self, supervisor: Supervisor) -> None:
        _call(self.hooks, "on_exit", self._server(supervisor))


def _request(environ: dict[str, Any]) -> Request:
    path = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    protocol = environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    major, _, minor = protocol.partition("/")[2].partition(".")
    headers = [
        (key[5:].replace("_", "-"), value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    headers.extend(
        (key.replace("_", "-"), environ[key])
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH")
        if key in environ
    )
    return Request(
        method=environ.get("REQUEST_METHOD", "GET"),
        uri=path + ("?" + query if query else ""),
        path=path,
        query=query,
        version=(int(major or 1), int(minor or 1)),
        scheme=environ.get("wsgi.url_scheme", "http"),
        headers=headers,
        remote_addr=environ.get("REMOTE_ADDR", ""),
    )


class _Body:
    """Wraps the app's iterable to count bytes and run post_request on close()."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.sent)


@dataclass
class WorkerHooks:
    """The worker-side hooks (picklable: it holds only the settings).

    Called once in each worker with the loaded WSGI application (it is the
    :class:`aio.server.wsgi.WSGISettings` ``wrap``): runs ``post_fork`` and
    ``post_worker_init``, registers ``worker_exit``, and wraps the application
    for ``pre_request``/``post_request`` when the config file defines them.
    """

    cfg: Settings

    def _hooks(self) -> dict[str, Any]:
        if self.cfg.config is None:
            return {}
        return load_config_file(self.cfg.config)[1]

    def __call__(self, app: Any) -> Any:
        hooks = self._hooks()
        ctx = current_worker()
        server = Arbiter(self.cfg, os.getppid())
        worker = Worker(self.cfg, os.getpid(), ctx.index if ctx else 0, os.getppid())
        _call(hooks, "post_fork", server, worker)
        worker.booted = True
        _call(hooks, "post_worker_init", worker)

        def on_exit() -> None:
            worker.alive = False
            _call(hooks, "worker_exit", server, worker)

        atexit.register(on_exit)
        if "pre_request" not in hooks and "post_request" not in hooks:
            return app
        return _RequestHooks(app, hooks, worker)


class _RequestHooks:
    """WSGI middleware running ``pre_request`` and ``post_request``."""

    def __init__(self, app: Any, hooks: dict[str, Any], worker: Worker) -> None:
        self.app = app
        self.hooks = hooks
        self.worker = worker

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        req = _request(environ)
        self.worker.nr += 1
        _call(self.hooks, "pre_request", self.worker, req)
        resp = Response(status="", status_code=0, headers=[])
        started = time.monotonic()

        def hooked_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            resp.status = status
            resp.status_code = int(status[:3])
            resp.headers = list(headers)
            return start_response(status, headers, exc_info)

        def done(sent: int) -> None:
            resp.sent = sent
            environ.setdefault("aio.request_time", time.monotonic() - started)
            _call(self.hooks, "post_request", self.worker, req, environ, resp)

        body = self.app(environ, hooked_start_response)
        return _Body(body, done)
