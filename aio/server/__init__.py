"""``aio.server``: the ASGI 3.0 server (HTTP/1.1, WebSocket, lifespan).

Programmatic use mirrors uvicorn::

    from aio.server import Config, Server, run

    run("myapp:app", host="127.0.0.1", port=8000)          # blocking

    server = Server(Config(app, port=0))                     # inside a loop
    await server.serve()

The command line is ``aio serve module:attr`` (see :mod:`aio.server.cli`).
"""

from __future__ import annotations

from aio.server._app import ImportFromStringError as ImportFromStringError
from aio.server._app import import_from_string as import_from_string
from aio.server._config import Config as Config
from aio.server._cycle import ClientDisconnected as ClientDisconnected
from aio.server._server import STARTUP_FAILURE as STARTUP_FAILURE
from aio.server._server import Server as Server
from aio.server._server import run as run

__all__ = (
    "STARTUP_FAILURE",
    "ClientDisconnected",
    "Config",
    "ImportFromStringError",
    "Server",
    "import_from_string",
    "run",
)
