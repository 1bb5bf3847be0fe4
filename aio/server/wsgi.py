"""Serve WSGI (PEP 3333) applications on aio's server.

A WSGI application becomes an ASGI application through :class:`WSGIAdapter` (a thread
pool runs the blocking application; the event loop does all the network I/O), and
runs on :class:`aio.server.Server` like any other, alone or under the supervisor::

    from aio.server.wsgi import run

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"Hello"]

    run(app, port=8000, threads=8)

The command line is ``aio wsgi module:app`` (:mod:`aio.server.wsgi_cli`).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from aio.server._supervisor_worker import WorkerContext, serve_config
from aio.server._wsgi_adapter import WSGIAdapter as WSGIAdapter
from aio.server._wsgi_adapter import WSGIApp as WSGIApp
from aio.server._wsgi_io import ClientDisconnectedError as ClientDisconnectedError
from aio.server._wsgi_io import FileWrapper as FileWrapper
from aio.server.supervisor import SupervisorHooks, SupervisorOptions, supervise

__all__ = (
    "DEFAULT_THREADS",
    "ClientDisconnectedError",
    "FileWrapper",
    "WSGIAdapter",
    "WSGIApp",
    "WSGISettings",
    "load_wsgi_app",
    "run",
    "run_wsgi",
    "serve_wsgi_worker",
)

logger = logging.getLogger("aio.server.wsgi")

#: The default size of a worker's thread pool (``AIO_WSGI_THREADS`` overrides it).
DEFAULT_THREADS = int(os.environ.get("AIO_WSGI_THREADS", "8"))


def load_wsgi_app(
    app: str | WSGIApp, *, factory: bool = False, app_dir: str | None = None
) -> WSGIApp:
    """Resolve ``"module:attr"`` (or an object) to a WSGI callable.

    :param factory: call the resolved object with no arguments to get the app.
    :param app_dir: put this directory first on ``sys.path`` before importing.
    :raises ImportError: when the import string does not resolve.
    """
    from aio.server._app import import_from_string

    if app_dir is not None and app_dir not in sys.path:
        sys.path.insert(0, app_dir)
    loaded: Any = import_from_string(app) if isinstance(app, str) else app
    if factory:
        loaded = loaded()
    if not callable(loaded):
        raise TypeError(f"{loaded!r} is not callable: not a WSGI application")
    result: WSGIApp = loaded
    return result


@dataclass
class WSGISettings:
    """Everything a WSGI worker needs to build its server (picklable).

    :param app: the application's import string (or the object, single process only).
    :param threads: the size of each worker's thread pool.
    :param factory: ``app`` names a factory to call.
    :param app_dir: prepended to ``sys.path`` before importing.
    :param config: keyword arguments for :class:`aio.server.Config`.
    :param wrap: an optional picklable callable ``(wsgi_app) -> wsgi_app`` applied
        in each worker (the gunicorn shim puts its request hooks here).

    .. versionadded:: 0.1
    """

    app: Any
    threads: int = DEFAULT_THREADS
    factory: bool = False
    app_dir: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    wrap: Any = None

    def build_config(self, *, multiprocess: bool) -> Any:
        """Import the app, wrap it in a :class:`WSGIAdapter` and make the Config."""
        from aio.server import Config

        wsgi_app = load_wsgi_app(self.app, factory=self.factory, app_dir=self.app_dir)
        if self.wrap is not None:
            wsgi_app = self.wrap(wsgi_app)
        adapter = WSGIAdapter(wsgi_app, threads=self.threads, multiprocess=multiprocess)
        return Config(app=adapter, **self._server_config())

    def _server_config(self) -> dict[str, Any]:
        """``config`` without ``workers`` and ``reload`` (the supervisor's part)."""
        return {
            key: value
            for key, value in self.config.items()
            if key not in ("workers", "reload")
        }


def serve_wsgi_worker(settings: WSGISettings, ctx: WorkerContext) -> int:
    """The worker target of ``aio wsgi --workers N``."""
    from aio.server._logging import configure_logging

    configure_logging(
        settings.config.get("log_config"), settings.config.get("log_level")
    )
    try:
        config = settings.build_config(multiprocess=True)
    except Exception:
        logger.exception("worker %d: could not load the WSGI application", ctx.index)
        return 3
    return serve_config(config, ctx)


def run_wsgi(
    settings: WSGISettings,
    options: SupervisorOptions | None = None,
    hooks: SupervisorHooks | None = None,
) -> int:
    """Serve a WSGI application: in this process, or under the supervisor.

    :param settings: the application and server settings.
    :param options: supervisor options; when None, or with one worker and no
        reload, the server runs in this process.
    :param hooks: supervisor hooks (only used with the supervisor).
    :returns: the process exit code.
    """
    from aio.server import Config
    from aio.server._server import run_config

    if options is None or (options.workers <= 1 and not options.reload):
        # build_config drops workers and reload: run_config serves in this process.
        return run_config(settings.build_config(multiprocess=False))
    if not isinstance(settings.app, str):
        logger.error("--workers and --reload need the application as 'module:attr'")
        return 1
    # The supervisor only needs the socket settings; the app is imported in workers.
    sock = Config(app="unused:app", **settings._server_config()).bind_socket()
    target = functools.partial(serve_wsgi_worker, settings)
    scheme = "https" if settings.config.get("ssl_certfile") else "http"
    return supervise(target, [sock], options, scheme=scheme, hooks=hooks)


def run(app: str | WSGIApp, *, threads: int = DEFAULT_THREADS, **kwargs: Any) -> None:
    """Serve ``app`` until interrupted, like :func:`aio.server.run` for WSGI.

    :param app: a WSGI application or its ``"module:attr"`` import string.
    :param threads: the size of the thread pool.
    :param kwargs: :class:`aio.server.Config` settings (``host``, ``port``...);
        ``workers`` > 1 runs the supervisor (``app`` must then be a string).
    """
    workers = int(kwargs.get("workers") or 1)
    options = SupervisorOptions(workers=workers) if workers > 1 else None
    code = run_wsgi(WSGISettings(app=app, threads=threads, config=kwargs), options)
    if code:
        raise SystemExit(code)
