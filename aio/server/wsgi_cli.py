"""``aio wsgi module:app``: serve a WSGI application.

The flags mirror ``aio serve`` (uvicorn's names) where they make sense, plus
``--threads`` (the thread pool that runs the blocking application, per worker) and the
supervisor's ``--timeout``/``--max-requests``/``--max-requests-jitter``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from aio.server.cli import header_flag
from aio.server.supervisor import SupervisorOptions
from aio.server.wsgi import DEFAULT_THREADS, WSGISettings, run_wsgi

__all__ = ("build_parser", "main", "settings_from_args")


def build_parser() -> argparse.ArgumentParser:
    """The ``aio wsgi`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="aio wsgi", description="Serve a WSGI application on aio's server."
    )
    add = parser.add_argument
    add("app", help="the WSGI application, as module:attribute")
    add("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    add("--port", type=int, default=8000, help="bind port; 0 picks a free one")
    add("--uds", help="bind to this Unix domain socket")
    add("--fd", type=int, help="serve on this inherited socket file descriptor")
    add(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads running the application per worker (default {DEFAULT_THREADS})",
    )
    add("--workers", type=int, default=1, help="worker processes (default 1)")
    add("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    add("--reload", action="store_true", help="restart when a .py file changes")
    add("--reload-dir", action="append", dest="reload_dirs", default=[])
    add("--timeout", type=float, default=30.0, help="kill a worker hung this long")
    add("--timeout-keep-alive", type=float, default=5.0)
    add("--timeout-graceful-shutdown", type=float, default=None)
    add("--max-requests", type=int, default=None, help="recycle workers after N")
    add("--max-requests-jitter", type=int, default=0)
    add("--limit-concurrency", type=int, default=None)
    add("--backlog", type=int, default=2048)
    add("--root-path", default="")
    add("--proxy-headers", action=argparse.BooleanOptionalAction, default=True)
    add("--forwarded-allow-ips", default=None)
    add("--access-log", action=argparse.BooleanOptionalAction, default=True)
    add("--access-log-format", default=None)
    add("--log-level", default="info")
    add("--log-config", default=None)
    add("--ssl-keyfile", default=None)
    add("--ssl-certfile", default=None)
    add(
        "--header",
        action="append",
        type=header_flag,
        dest="headers",
        default=[],
        help="extra default response header name:value (repeatable)",
    )
    add("--factory", action="store_true", help="app is a factory to call")
    add("--app-dir", default=".", help="look for the app here (default .)")
    add("--env-file", default=None)
    return parser


def settings_from_args(
    args: argparse.Namespace,
) -> tuple[WSGISettings, SupervisorOptions | None]:
    """Turn parsed flags into the server settings and (maybe) supervisor options."""
    from aio.server._logging import LOGGING_CONFIG

    config = {
        "host": args.host,
        "port": args.port,
        "uds": args.uds,
        "fd": args.fd,
        "loop": args.loop,
        "timeout_keep_alive": args.timeout_keep_alive,
        "timeout_graceful_shutdown": args.timeout_graceful_shutdown,
        "limit_concurrency": args.limit_concurrency,
        "backlog": args.backlog,
        "root_path": args.root_path,
        "proxy_headers": args.proxy_headers,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "access_log": args.access_log,
        "access_log_format": args.access_log_format,
        "log_level": args.log_level,
        "log_config": args.log_config or LOGGING_CONFIG,
        "ssl_keyfile": args.ssl_keyfile,
        "ssl_certfile": args.ssl_certfile,
        "headers": list(args.headers),
        "env_file": args.env_file,
    }
    app_dir = os.path.abspath(args.app_dir) if args.app_dir is not None else None
    settings = WSGISettings(
        app=args.app,
        threads=args.threads,
        factory=args.factory,
        app_dir=app_dir,
        config=config,
    )
    options: SupervisorOptions | None = None
    if args.workers > 1 or args.reload or args.max_requests is not None:
        options = SupervisorOptions(
            workers=1 if args.reload else args.workers,
            timeout=args.timeout,
            graceful_timeout=(
                30.0
                if args.timeout_graceful_shutdown is None
                else args.timeout_graceful_shutdown
            ),
            max_requests=args.max_requests,
            max_requests_jitter=args.max_requests_jitter,
            reload=args.reload,
            reload_dirs=args.reload_dirs or [app_dir or os.getcwd()],
        )
        # Supervised workers keep the supervisor's log setup in their own config.
    return settings, options


def main(argv: list[str]) -> int:
    """Entry point of ``aio wsgi``; returns the exit code."""
    args = build_parser().parse_args(argv)
    settings, options = settings_from_args(args)
    if options is not None:
        from aio.server._logging import configure_logging

        configure_logging(settings.config["log_config"], settings.config["log_level"])
    try:
        return run_wsgi(settings, options)
    except ImportError as exc:
        logging.getLogger("aio.server.wsgi").error("%s", exc)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
