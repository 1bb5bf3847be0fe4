"""Logging setup and the access log.

Loggers: ``aio.server`` (lifecycle), ``aio.server.error`` (application errors) and
``aio.server.access`` (one line per response). The access line is only built when
the access logger is enabled for INFO: on the hot path a disabled access log costs
one boolean test per request.

``access_log_format`` takes gunicorn's atoms (``%(h)s %(r)s %(s)s``...,
``%({name}i)s`` for a request header, ``%({name}o)s`` for a response header);
without it the line reads like uvicorn's: ``127.0.0.1:5000 - "GET / HTTP/1.1" 200``.
"""

from __future__ import annotations

import configparser
import json
import logging
import logging.config
import os
import time
from collections.abc import Iterable
from typing import Any

access_logger = logging.getLogger("aio.server.access")

LOG_LEVELS: dict[str, int] = {
    "critical": logging.CRITICAL,
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": 5,
}

LOGGING_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"format": "%(levelname)s:     %(message)s"},
        "access": {"format": "%(levelname)s:     %(message)s"},
    },
    "handlers": {
        "default": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "aio.server": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "aio.server.error": {"level": "INFO"},
        "aio.server.access": {
            "handlers": ["access"],
            "level": "INFO",
            "propagate": False,
        },
    },
}


def configure_logging(
    log_config: dict[str, Any] | str | None, log_level: str | int | None
) -> None:
    """Apply ``log_config`` (a dict, or a .json/.yaml/.ini file) and ``log_level``.

    With neither given nothing is configured, so that an embedding application (or
    pytest's caplog) keeps control of logging; the CLI passes the default config.
    """
    if isinstance(log_config, dict):
        logging.config.dictConfig(log_config)
    elif isinstance(log_config, str):
        if log_config.endswith(".json"):
            with open(log_config, encoding="utf-8") as file:
                logging.config.dictConfig(json.load(file))
        elif log_config.endswith((".yaml", ".yml")):
            import yaml  # type: ignore[import-untyped]  # optional: only if installed

            with open(log_config, encoding="utf-8") as file:
                logging.config.dictConfig(yaml.safe_load(file))
        elif os.path.exists(log_config):
            logging.config.fileConfig(log_config, disable_existing_loggers=False)
        else:
            raise configparser.Error(f"log config file not found: {log_config}")
    if log_level is not None:
        level = (
            LOG_LEVELS[log_level.lower()] if isinstance(log_level, str) else log_level
        )
        for name in ("aio.server", "aio.server.error", "aio.server.access"):
            logging.getLogger(name).setLevel(level)


class AccessAtoms(dict[str, str]):
    """gunicorn's access-log atoms for one response, computed lazily.

    ``%({name}i)s`` and ``%({name}o)s`` resolve through :meth:`__missing__`, so a
    format only pays for the header lookups it uses.
    """

    def __init__(
        self,
        scope: Any,
        status: int,
        response_headers: Iterable[tuple[bytes, bytes]],
        length: int,
        duration: float,
    ) -> None:
        # Pre-filled so the mapping is never empty: logging only treats a single
        # argument as the %-mapping when it is truthy.
        super().__init__(s=str(status))
        self.scope = scope
        self.status = status
        self.response_headers = response_headers
        self.length = length
        self.duration = duration

    def __missing__(self, key: str) -> str:
        value: str = self._compute(key)
        self[key] = value
        return value

    def _header(self, headers: Any, name: str) -> str:
        wanted = name.lower().encode("latin-1")
        for key, value in headers:
            if key.lower() == wanted:
                return str(value.decode("latin-1"))
        return "-"

    def _compute(self, key: str) -> str:
        scope = self.scope
        if key.startswith("{") and len(key) > 3 and key[-2] == "}":
            if key[-1] == "i":
                return self._header(scope["headers"], key[1:-2])
            if key[-1] == "o":
                return self._header(self.response_headers, key[1:-2])
            if key[-1] == "e":
                return os.environ.get(key[1:-2], "-")
        query = str(scope["query_string"].decode("latin-1"))
        path = str(scope["path"])
        if key == "h":
            client = scope.get("client")
            return str(client[0]) if client else "-"
        if key == "l":
            return "-"
        if key == "u":
            return "-"
        if key == "t":
            return time.strftime("[%d/%b/%Y:%H:%M:%S %z]")
        if key == "r":
            target = f"{path}?{query}" if query else path
            return f"{scope['method']} {target} HTTP/{scope['http_version']}"
        if key == "m":
            return str(scope["method"])
        if key == "U":
            return str(path)
        if key == "q":
            return query
        if key == "H":
            return f"HTTP/{scope['http_version']}"
        if key == "s":
            return str(self.status)
        if key == "B":
            return str(self.length)
        if key == "b":
            return str(self.length) if self.length else "-"
        if key == "f":
            return self._header(scope["headers"], "referer")
        if key == "a":
            return self._header(scope["headers"], "user-agent")
        if key == "T":
            return str(int(self.duration))
        if key == "D":
            return str(int(self.duration * 1_000_000))
        if key == "M":
            return str(int(self.duration * 1000))
        if key == "L":
            return f"{self.duration:.6f}"
        if key == "p":
            return f"<{os.getpid()}>"
        return "-"


def log_access(
    fmt: str | None,
    scope: Any,
    status: int,
    response_headers: Iterable[tuple[bytes, bytes]],
    length: int,
    started: float,
) -> None:
    """Emit the access line for one response (the caller checked the logger)."""
    duration = time.perf_counter() - started
    if fmt is None:
        client = scope.get("client")
        addr = f"{client[0]}:{client[1]}" if client else "-"
        query = scope["query_string"]
        target = scope["path"] + ("?" + query.decode("latin-1") if query else "")
        access_logger.info(
            '%s - "%s %s HTTP/%s" %d',
            addr,
            scope["method"],
            target,
            scope["http_version"],
            status,
        )
        return
    atoms = AccessAtoms(scope, status, response_headers, length, duration)
    access_logger.info(fmt, atoms)
