"""The access log: uvicorn's default line and gunicorn's atoms."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from aio.server._logging import AccessAtoms, configure_logging
from tests.server._helpers import serving


async def app(scope: Any, receive: Any, send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"x-out", b"outval"), (b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"12345"})


async def test_default_access_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aio.server.access")
    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            await client.get(srv.url + "/p?q=1")
    lines = [r.getMessage() for r in caplog.records if r.name == "aio.server.access"]
    assert len(lines) == 1
    assert lines[0].startswith("127.0.0.1:")
    assert lines[0].endswith(' - "GET /p?q=1 HTTP/1.1" 201')


async def test_gunicorn_atoms(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aio.server.access")
    fmt = (
        "h=%(h)s l=%(l)s u=%(u)s r=[%(r)s] m=%(m)s U=%(U)s q=%(q)s H=%(H)s s=%(s)s "
        "B=%(B)s b=%(b)s f=%(f)s a=%(a)s i=%({x-in}i)s o=%({x-out}o)s "
        "miss=%({x-none}i)s T=%(T)s D=%(D)s M=%(M)s L=%(L)s t=%(t)s"
    )
    async with serving(app, access_log_format=fmt) as srv:
        async with httpx.AsyncClient() as client:
            await client.post(
                srv.url + "/path?a=b",
                content=b"x",
                headers={
                    "Referer": "http://ref/",
                    "User-Agent": "ua/1",
                    "X-In": "inval",
                },
            )
    (line,) = [r.getMessage() for r in caplog.records if r.name == "aio.server.access"]
    fields = dict(
        part.split("=", 1) for part in line.replace("[", "").split(" ") if "=" in part
    )
    assert fields["h"] == "127.0.0.1"
    assert fields["l"] == "-"
    assert fields["u"] == "-"
    assert fields["m"] == "POST"
    assert fields["U"] == "/path"
    assert fields["q"] == "a=b"
    assert fields["H"] == "HTTP/1.1"
    assert fields["s"] == "201"
    assert fields["B"] == "5"
    assert fields["b"] == "5"
    assert fields["f"] == "http://ref/"
    assert fields["a"] == "ua/1"
    assert fields["i"] == "inval"
    assert fields["o"] == "outval"
    assert fields["miss"] == "-"
    assert fields["T"] == "0"
    assert int(fields["D"]) >= 0
    assert int(fields["M"]) >= 0
    assert float(fields["L"]) >= 0
    assert "r=[POST /path?a=b HTTP/1.1]" in line


async def test_access_log_disabled(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aio.server.access")
    async with serving(app, access_log=False) as srv:
        async with httpx.AsyncClient() as client:
            await client.get(srv.url)
    assert not [r for r in caplog.records if r.name == "aio.server.access"]


def test_atoms_lazy_and_empty_body() -> None:
    scope = {
        "headers": [],
        "query_string": b"",
        "path": "/",
        "method": "GET",
        "http_version": "1.0",
        "client": None,
    }
    atoms = AccessAtoms(scope, 204, [], 0, 0.5)
    fmt = "%(h)s %(b)s %(B)s %(H)s %(s)s"  # the access log uses %-formatting
    assert fmt % atoms == "- - 0 HTTP/1.0 204"


def test_log_config_files(tmp_path: Path) -> None:
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "loggers": {"aio.server.test-json": {"level": "WARNING"}},
    }
    path = tmp_path / "log.json"
    path.write_text(json.dumps(config))
    configure_logging(str(path), None)
    assert logging.getLogger("aio.server.test-json").level == logging.WARNING
    ini = tmp_path / "log.ini"
    ini.write_text(
        "[loggers]\nkeys=root,t\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"
        "[logger_root]\nhandlers=\n[logger_t]\nlevel=ERROR\nhandlers=h\n"
        "qualname=aio.server.test-ini\n[handler_h]\nclass=NullHandler\nargs=()\n"
    )
    configure_logging(str(ini), None)
    assert logging.getLogger("aio.server.test-ini").level == logging.ERROR
