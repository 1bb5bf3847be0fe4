"""``python -m sync_shims.gunicorn``: gunicorn's command line on aio's supervisor.

There is always a master (aio's supervisor) and ``workers`` worker processes, as in
gunicorn. Each worker runs aio's server on its main thread; WSGI applications run on
a pool of ``threads`` threads per worker (``sync`` is one thread, ``gthread`` many).
"""

from __future__ import annotations

import functools
import logging
import logging.config
import os
import sys
from typing import Any

from aio.server.supervisor import SupervisorOptions, supervise
from aio.server.wsgi import WSGISettings, load_wsgi_app, serve_wsgi_worker
from sync_shims.gunicorn._config import Settings, parse_settings
from sync_shims.gunicorn._hooks import GunicornHooks, WorkerHooks

__all__ = ("ASGI_WORKER_CLASSES", "WSGI_WORKER_CLASSES", "main", "run")

logger = logging.getLogger("aio.server.gunicorn")

WSGI_WORKER_CLASSES = {"sync", "gthread"}
ASGI_WORKER_CLASSES = {
    "aio",
    "uvicorn.workers.UvicornWorker",
    "uvicorn.workers.UvicornH11Worker",
    "uvicorn_worker.UvicornWorker",
}


def log_config(cfg: Settings) -> dict[str, Any]:
    """The dictConfig for gunicorn's ``errorlog``/``accesslog``/``loglevel``."""

    def handler(target: str, formatter: str, default_stream: str) -> dict[str, Any]:
        if target == "-":
            return {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "stream": default_stream,
            }
        return {
            "class": "logging.FileHandler",
            "formatter": formatter,
            "filename": target,
        }

    level = logging.getLevelName(cfg.loglevel.upper())
    if not isinstance(level, int):
        level = logging.INFO  # an unknown name: gunicorn would refuse it
    handlers = {"error": handler(cfg.errorlog, "generic", "ext://sys.stderr")}
    loggers: dict[str, Any] = {
        "aio.server": {"handlers": ["error"], "level": level, "propagate": False},
        "aio.server.access": {"level": "INFO", "propagate": False, "handlers": []},
    }
    if cfg.accesslog is not None:
        handlers["access"] = handler(cfg.accesslog, "access", "ext://sys.stdout")
        loggers["aio.server.access"]["handlers"] = ["access"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "generic": {
                "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s",
                "datefmt": "%Y-%m-%d %H:%M:%S %z",
            },
            "access": {"format": "%(message)s"},
        },
        "handlers": handlers,
        "loggers": loggers,
    }


def _bind_kwargs(bind: str) -> dict[str, Any]:
    # gunicorn's forms: unix:PATH, fd://N, [v6]:PORT, HOST:PORT, HOST
    try:
        if bind.startswith("unix:"):
            if not bind[5:]:
                raise ValueError("empty socket path")
            return {"uds": bind[5:]}
        if bind.startswith("fd://"):
            return {"fd": int(bind[5:])}
        if bind.startswith("["):
            host, sep, rest = bind[1:].partition("]")
            if not sep or (rest and not rest.startswith(":")):
                raise ValueError("unclosed '[' or junk after ']'")
            return {"host": host, "port": _port(rest[1:] or "8000")}
        host, sep, port = bind.rpartition(":")
        if not sep:
            return {"host": bind, "port": 8000}
        return {"host": host or "0.0.0.0", "port": _port(port)}
    except ValueError as exc:
        raise ValueError(
            f"invalid bind {bind!r}: {exc} (want HOST:PORT, [V6]:PORT, unix:PATH "
            "or fd://N)"
        ) from None


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} out of range")
    return port


def _server_config(cfg: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {
        "timeout_keep_alive": cfg.keepalive,
        "timeout_graceful_shutdown": cfg.graceful_timeout,
        "backlog": cfg.backlog,
        "access_log": cfg.accesslog is not None,
        "access_log_format": cfg.access_log_format,
        "log_config": log_config(cfg),
        "max_request_line": cfg.limit_request_line or 65536,
        "max_header_count": cfg.limit_request_fields or 32768,
        "ssl_certfile": cfg.certfile,
        "ssl_keyfile": cfg.keyfile,
    }
    if cfg.forwarded_allow_ips is not None:
        config["forwarded_allow_ips"] = cfg.forwarded_allow_ips
    return config


def _prepare(cfg: Settings) -> None:
    for unsupported in ("daemon", "user", "group"):
        if getattr(cfg, unsupported):
            logger.warning("%s is not supported by this shim; ignored", unsupported)
    if cfg.chdir:
        os.chdir(cfg.chdir)
    for entry in (cfg.pythonpath or "").split(","):
        if entry.strip():
            sys.path.insert(0, os.path.abspath(entry.strip()))
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # gunicorn imports from the current directory
    for item in cfg.raw_env:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--env wants KEY=VALUE, got {item!r}")
        os.environ[key] = value  # spawned workers inherit the environment
    if cfg.proc_name:
        try:
            import setproctitle  # type: ignore[import-not-found]  # optional

            setproctitle.setproctitle(f"gunicorn: master [{cfg.proc_name}]")
        except ImportError:
            pass


def run(cfg: Settings, hooks: dict[str, Any]) -> int:
    """Serve the application described by ``cfg``; returns the exit code."""
    from aio.server import Config

    if not cfg.wsgi_app:
        logger.error("No application module specified.")
        return 1
    _prepare(cfg)
    server_config = _server_config(cfg)
    logging.config.dictConfig(server_config["log_config"])
    worker_class = cfg.worker_class
    if worker_class not in WSGI_WORKER_CLASSES | ASGI_WORKER_CLASSES:
        logger.warning(
            "worker class %r is not supported; using threads (gthread) instead",
            worker_class,
        )
        worker_class = "gthread"
    if cfg.preload_app:
        # Workers are spawned, not forked, so they import the app again; preloading
        # still fails fast, in the master, when the app cannot be imported.
        load_wsgi_app(cfg.wsgi_app)
    options = SupervisorOptions(
        workers=max(1, cfg.workers),
        timeout=float(cfg.timeout),
        graceful_timeout=float(cfg.graceful_timeout),
        max_requests=cfg.max_requests or None,
        max_requests_jitter=cfg.max_requests_jitter,
        reload=cfg.reload,
        reload_dirs=[os.getcwd()],
    )
    sockets = [
        Config(
            app="unused:app", backlog=cfg.backlog, **_bind_kwargs(bind)
        ).bind_socket()
        for bind in cfg.bind
    ]
    target: Any
    if worker_class in ASGI_WORKER_CLASSES:
        asgi_config = Config(app=cfg.wsgi_app, lifespan="auto", **server_config)
        target = functools.partial(_asgi_worker, asgi_config, WorkerHooks(cfg))
    else:
        threads = cfg.threads if worker_class == "gthread" or cfg.threads > 1 else 1
        settings = WSGISettings(
            app=cfg.wsgi_app,
            threads=max(1, threads),
            config=server_config,
            wrap=WorkerHooks(cfg),
        )
        target = functools.partial(serve_wsgi_worker, settings)
    if cfg.pidfile:
        with open(cfg.pidfile, "w", encoding="ascii") as file:
            file.write(f"{os.getpid()}\n")
    try:
        scheme = "https" if cfg.certfile else "http"
        return supervise(
            target, sockets, options, scheme=scheme, hooks=GunicornHooks(cfg, hooks)
        )
    finally:
        if cfg.pidfile:
            try:
                os.unlink(cfg.pidfile)
            except OSError:
                pass


def _asgi_worker(config: Any, worker_hooks: WorkerHooks, ctx: Any) -> int:
    from aio.server.supervisor import serve_asgi

    worker_hooks(None)  # post_fork, post_worker_init, worker_exit
    result: int = serve_asgi(config, ctx)
    return result


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sync_shims.gunicorn``."""
    try:
        cfg, hooks = parse_settings(sys.argv[1:] if argv is None else argv)
        for bind in cfg.bind:
            _bind_kwargs(bind)  # report a bad bind before anything starts
    except (OSError, ValueError, SyntaxError) as exc:
        # gunicorn's behaviour: one line on stderr, exit status 1
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return run(cfg, hooks)
