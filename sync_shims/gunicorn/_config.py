"""gunicorn's settings: the command line, ``gunicorn.conf.py`` and GUNICORN_CMD_ARGS.

Precedence is gunicorn's: defaults < the config file < ``GUNICORN_CMD_ARGS`` < the
command line. The config file is a Python file whose module-level names are settings
(``bind``, ``workers``...) and server hooks (``on_starting``, ``post_fork``...).
"""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import shlex
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ("HOOK_NAMES", "Settings", "load_config_file", "parse_settings")

logger = logging.getLogger("aio.server.gunicorn")

DEFAULT_ACCESS_LOG_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
)

HOOK_NAMES = (
    "on_starting",
    "on_reload",
    "when_ready",
    "pre_fork",
    "post_fork",
    "post_worker_init",
    "worker_int",
    "worker_abort",
    "pre_exec",
    "pre_request",
    "post_request",
    "child_exit",
    "worker_exit",
    "nworkers_changed",
    "on_exit",
)


@dataclass
class Settings:
    """The gunicorn settings the shim understands (gunicorn's names and defaults)."""

    wsgi_app: str | None = None
    bind: list[str] = field(default_factory=lambda: ["127.0.0.1:8000"])
    workers: int = 1
    threads: int = 1
    worker_class: str = "sync"
    timeout: float = 30
    graceful_timeout: float = 30
    keepalive: float = 2
    max_requests: int = 0
    max_requests_jitter: int = 0
    accesslog: str | None = None
    access_log_format: str = DEFAULT_ACCESS_LOG_FORMAT
    errorlog: str = "-"
    loglevel: str = "info"
    reload: bool = False
    reload_extra_files: list[str] = field(default_factory=list)
    preload_app: bool = False
    proc_name: str | None = None
    pidfile: str | None = None
    raw_env: list[str] = field(default_factory=list)
    chdir: str | None = None
    pythonpath: str | None = None
    backlog: int = 2048
    forwarded_allow_ips: str | None = None
    limit_request_line: int = 4094
    limit_request_fields: int = 100
    limit_request_field_size: int = 8190
    certfile: str | None = None
    keyfile: str | None = None
    daemon: bool = False
    user: str | None = None
    group: str | None = None
    config: str | None = None

    def apply(self, values: dict[str, Any], source: str) -> None:
        """Set the known settings in ``values``; warn about the unknown ones."""
        known = {f.name for f in fields(self)}
        for name, value in values.items():
            if name in known:
                if name in ("bind", "raw_env", "reload_extra_files") and isinstance(
                    value, str
                ):
                    value = [value]
                setattr(self, name, value)
            elif name not in HOOK_NAMES:
                logger.warning("%s: ignoring unsupported setting %r", source, name)


def load_config_file(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Execute a ``gunicorn.conf.py`` (or ``python:module``).

    :returns: ``(settings, hooks)``: the module-level names that are settings, and
        the callables named like server hooks.
    """
    if path.startswith("python:"):
        import importlib

        namespace = vars(importlib.import_module(path[len("python:") :]))
    else:
        namespace = runpy.run_path(path, run_name="__config__")
    hooks = {
        name: namespace[name] for name in HOOK_NAMES if callable(namespace.get(name))
    }
    settings = {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in HOOK_NAMES
        and not callable(value)
        and not isinstance(value, type(os))
    }
    return settings, hooks


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sync_shims.gunicorn",
        description="Run a WSGI application the gunicorn way, on aio's server.",
        argument_default=argparse.SUPPRESS,
    )
    add = parser.add_argument
    add("wsgi_app", nargs="?", help="the application, module:attribute")
    add("-c", "--config", help="a gunicorn.conf.py file, or python:module")
    add("-b", "--bind", action="append", help="HOST:PORT, unix:PATH or fd://N")
    add("-w", "--workers", type=int)
    add("--threads", type=int)
    add("-k", "--worker-class", dest="worker_class")
    add("-t", "--timeout", type=float)
    add("--graceful-timeout", dest="graceful_timeout", type=float)
    add("--keep-alive", dest="keepalive", type=float)
    add("--max-requests", dest="max_requests", type=int)
    add("--max-requests-jitter", dest="max_requests_jitter", type=int)
    add("--access-logfile", dest="accesslog")
    add("--access-logformat", dest="access_log_format")
    add("--error-logfile", "--log-file", dest="errorlog")
    add("--log-level", dest="loglevel")
    add("--reload", action="store_true")
    add("--reload-extra-file", dest="reload_extra_files", action="append")
    add("--preload", dest="preload_app", action="store_true")
    add("-n", "--name", dest="proc_name")
    add("-p", "--pid", dest="pidfile")
    add("-e", "--env", dest="raw_env", action="append")
    add("--chdir")
    add("--pythonpath")
    add("--backlog", type=int)
    add("--forwarded-allow-ips", dest="forwarded_allow_ips")
    add("--limit-request-line", dest="limit_request_line", type=int)
    add("--limit-request-fields", dest="limit_request_fields", type=int)
    add("--limit-request-field_size", dest="limit_request_field_size", type=int)
    add("--certfile")
    add("--keyfile")
    add("-D", "--daemon", action="store_true")
    add("-u", "--user")
    add("-g", "--group")
    return parser


def parse_settings(
    argv: list[str], environ: dict[str, str] | None = None
) -> tuple[Settings, dict[str, Any]]:
    """Build the settings from the command line, the config file and the environment.

    :returns: ``(settings, hooks)``.
    """
    env = os.environ if environ is None else environ
    parser = _parser()
    cli = vars(parser.parse_args(argv))
    from_env = vars(parser.parse_args(shlex.split(env.get("GUNICORN_CMD_ARGS", ""))))
    settings = Settings()
    hooks: dict[str, Any] = {}
    path = cli.get("config") or from_env.get("config")
    if path is None and os.path.exists("gunicorn.conf.py"):
        path = "gunicorn.conf.py"
    if path is not None:
        values, hooks = load_config_file(path)
        settings.apply(values, path)
        # Absolute: workers re-read the file for their hooks, maybe after --chdir.
        settings.config = path if path.startswith("python:") else os.path.abspath(path)
    settings.apply(from_env, "GUNICORN_CMD_ARGS")
    settings.apply(cli, "command line")
    return settings, hooks
