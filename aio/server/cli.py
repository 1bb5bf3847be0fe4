"""``aio serve`` and ``aio demo``: the server's command line, with uvicorn's flags.

``aio serve module:attr [flags]`` runs an ASGI application; with ``--workers N``
(N > 1) or ``--reload`` the supervisor (:mod:`aio.server.supervisor`) runs it in
worker processes. ``aio demo`` serves the built-in demo app.
"""

from __future__ import annotations

import argparse
import platform
import ssl
import sys
from collections.abc import Sequence
from typing import Any

from aio import __version__
from aio.engine import LoopUnavailableError
from aio.proto.http import field_lines
from aio.server._app import INTERFACES
from aio.server._config import Config
from aio.server._logging import LOG_LEVELS, LOGGING_CONFIG
from aio.server._server import run_config

_FRAMING = frozenset(("content-length", "transfer-encoding", "connection"))


def header_flag(value: str) -> tuple[str, str]:
    """Parse one ``--header name:value`` of ``aio serve`` and ``aio wsgi``.

    The header goes out with every response, so it is checked here, once: the
    name must be a token, the value latin-1 text without control characters,
    and the framing headers are the server's to set.

    :raises argparse.ArgumentTypeError: saying what is wrong with ``value``.
    """
    name, sep, content = value.partition(":")
    name, content = name.strip(), content.strip()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected name:value, got {value!r}")
    if name.lower() in _FRAMING:
        raise argparse.ArgumentTypeError(
            f"{name!r} frames the response; the server sets it, got {value!r}"
        )
    try:
        encoded = [(name.lower().encode("latin-1"), content.encode("latin-1"))]
    except UnicodeEncodeError:
        encoded = []
    if not encoded or field_lines(encoded) is None:
        raise argparse.ArgumentTypeError(
            "expected a token name and a value without control characters "
            f"(latin-1), got {value!r}"
        )
    return name, content


_BOOLEANS = {
    "1": True,
    "true": True,
    "t": True,
    "yes": True,
    "y": True,
    "on": True,
    "0": False,
    "false": False,
    "f": False,
    "no": False,
    "n": False,
    "off": False,
}


def _bool_value(value: str) -> bool:
    try:
        return _BOOLEANS[value.strip().lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"expected a boolean (true/false), got {value!r}"
        ) from None


def _bool_flag(
    parser: argparse.ArgumentParser, name: str, default: bool, help: str
) -> None:
    parser.add_argument(
        f"--{name}", action=argparse.BooleanOptionalAction, default=default, help=help
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``aio serve`` argument parser (flag names as uvicorn's)."""
    p = argparse.ArgumentParser(
        prog="aio serve", description="Run an ASGI application."
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"aio {__version__} ({platform.python_implementation()} "
        f"{platform.python_version()} on {platform.system()})",
    )
    p.add_argument("app", help="the application, as module:attribute")
    p.add_argument("--host", default="127.0.0.1", help="bind address (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="bind port (8000; 0: any)")
    p.add_argument("--uds", default=None, help="bind to a Unix domain socket")
    p.add_argument("--fd", type=int, default=None, help="serve an inherited socket fd")
    p.add_argument("--workers", type=int, default=None, help="worker processes")
    p.add_argument(
        "--loop",
        default="auto",
        choices=["auto", "asyncio", "uvloop"],
        help="event loop",
    )
    p.add_argument(
        "--interface",
        default="auto",
        choices=list(INTERFACES),
        help="application interface (auto: detect ASGI2/ASGI3; wsgi: PEP 3333)",
    )
    p.add_argument("--http", default="auto", help="HTTP implementation (auto)")
    p.add_argument(
        "--ws",
        default="auto",
        choices=["auto", "none", "websockets", "websockets-sansio", "wsproto"],
        help="WebSocket support (auto; none disables)",
    )
    p.add_argument("--ws-max-size", type=int, default=16777216)
    p.add_argument("--ws-max-queue", type=int, default=32)
    p.add_argument("--ws-ping-interval", type=float, default=20.0)
    p.add_argument("--ws-ping-timeout", type=float, default=20.0)
    # uvicorn spells it `--ws-per-message-deflate BOOLEAN`; the bare flag and the
    # `--no-` form work too.
    p.add_argument(
        "--ws-per-message-deflate",
        nargs="?",
        const=True,
        default=True,
        type=_bool_value,
        metavar="BOOLEAN",
        help="permessage-deflate (true)",
    )
    p.add_argument(
        "--no-ws-per-message-deflate",
        dest="ws_per_message_deflate",
        action="store_false",
    )
    p.add_argument(
        "--lifespan", default="auto", choices=["auto", "on", "off"], help="lifespan"
    )
    p.add_argument("--reload", action="store_true", help="restart on code changes")
    p.add_argument("--reload-dir", action="append", dest="reload_dirs", default=None)
    p.add_argument(
        "--reload-include",
        action="append",
        dest="reload_includes",
        default=None,
        help="glob of files that trigger a reload (repeatable; *.py always)",
    )
    p.add_argument(
        "--reload-exclude",
        action="append",
        dest="reload_excludes",
        default=None,
        help="glob of files (names or paths) that never trigger a reload",
    )
    p.add_argument("--reload-delay", type=float, default=0.25)
    p.add_argument("--env-file", default=None, help="KEY=VALUE file loaded first")
    p.add_argument("--log-config", default=None, help=".json, .yaml or .ini file")
    p.add_argument("--log-level", default=None, choices=sorted(LOG_LEVELS))
    _bool_flag(p, "access-log", True, "the access log (on)")
    p.add_argument(
        "--access-log-format", default=None, help="gunicorn atoms, e.g. '%%(h)s %%(r)s'"
    )
    p.add_argument("--use-colors", action=argparse.BooleanOptionalAction, default=None)
    _bool_flag(p, "proxy-headers", True, "trust X-Forwarded-*/Forwarded (on)")
    _bool_flag(p, "server-header", True, "send 'server: aio' (on)")
    _bool_flag(p, "date-header", True, "send 'date' (on)")
    p.add_argument("--forwarded-allow-ips", default=None)
    p.add_argument("--root-path", default="")
    p.add_argument("--limit-concurrency", type=int, default=None)
    p.add_argument("--limit-max-requests", type=int, default=None)
    p.add_argument(
        "--limit-max-requests-jitter",
        "--max-requests-jitter",
        type=int,
        default=0,
        help="(aio) add up to N to each worker's --limit-max-requests",
    )
    p.add_argument(
        "--timeout-worker",
        "--timeout",
        "--timeout-worker-healthcheck",
        type=float,
        default=30.0,
        help="(aio) replace a worker whose loop gives no heartbeat for this long",
    )
    p.add_argument("--backlog", type=int, default=2048)
    p.add_argument("--timeout-keep-alive", type=float, default=5)
    p.add_argument("--timeout-graceful-shutdown", type=float, default=None)
    p.add_argument("--timeout-request", type=float, default=None, help="(aio)")
    p.add_argument("--timeout-header-read", type=float, default=10.0, help="(aio)")
    p.add_argument("--ssl-keyfile", default=None)
    p.add_argument("--ssl-certfile", default=None)
    p.add_argument("--ssl-keyfile-password", default=None)
    p.add_argument("--ssl-version", type=int, default=int(ssl.PROTOCOL_TLS_SERVER))
    p.add_argument("--ssl-cert-reqs", type=int, default=int(ssl.CERT_NONE))
    p.add_argument("--ssl-ca-certs", default=None)
    p.add_argument("--ssl-ciphers", default="TLSv1")
    p.add_argument(
        "--header",
        action="append",
        type=header_flag,
        dest="headers",
        default=None,
        help="extra default response header name:value (repeatable)",
    )
    p.add_argument("--factory", action="store_true", help="app is a factory")
    p.add_argument("--app-dir", default="", help="put this directory on sys.path")
    p.add_argument("--h11-max-incomplete-event-size", type=int, default=None)
    p.add_argument("--max-body-size", type=int, default=None, help="(aio) 413 above")
    return p


def config_from_args(args: argparse.Namespace) -> Config:
    """Build the :class:`Config` for parsed ``aio serve`` arguments."""
    options: dict[str, Any] = vars(args).copy()
    options.pop("app")
    app_dir = options.pop("app_dir")
    if options["log_config"] is None:
        options["log_config"] = LOGGING_CONFIG
    return Config(args.app, app_dir=app_dir or ".", **options)


def serve_main(argv: Sequence[str]) -> int:
    """``aio serve``: returns the process exit code."""
    args = build_parser().parse_args(list(argv))
    try:
        config = config_from_args(args)
    except (OSError, ValueError) as exc:
        print(f"aio serve: {exc}", file=sys.stderr)
        return 1
    try:
        if not config.use_subprocess:
            config.load()
    except Exception as exc:
        print(f"aio serve: cannot load {args.app}: {exc}", file=sys.stderr)
        return 1
    try:
        return run_config(config)
    except LoopUnavailableError as exc:
        print(f"aio serve: {exc}", file=sys.stderr)
        return 1


def demo_main(argv: Sequence[str]) -> int:
    """``aio demo``: serve the demo app (http://127.0.0.1:8000 by default)."""
    p = argparse.ArgumentParser(prog="aio demo", description="Serve the demo app.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    args = p.parse_args(list(argv))
    config = Config(
        "aio.server._demo:app",
        host=args.host,
        port=args.port,
        log_config=LOGGING_CONFIG,
    )
    return run_config(config)
