"""``sync_shims.gunicorn``: run WSGI apps with gunicorn's command line and config file.

``python -m sync_shims.gunicorn myapp:app -b 127.0.0.1:8000 -w 4 --threads 8 -c
gunicorn.conf.py`` reads gunicorn's flags, settings and server hooks, and serves the
application on aio's server under aio's supervisor (see ``docs/wsgi.md``).
"""

from __future__ import annotations

from sync_shims.gunicorn._config import Settings as Settings
from sync_shims.gunicorn._config import parse_settings as parse_settings
from sync_shims.gunicorn._hooks import Arbiter as Arbiter
from sync_shims.gunicorn._hooks import Request as Request
from sync_shims.gunicorn._hooks import Response as Response
from sync_shims.gunicorn._hooks import Worker as Worker
from sync_shims.gunicorn._run import main as main
from sync_shims.gunicorn._run import run as run

__all__ = (
    "Arbiter",
    "Request",
    "Response",
    "Settings",
    "Worker",
    "main",
    "parse_settings",
    "run",
)
