"""aio: an async-first Python ecosystem on one asyncio engine."""

from __future__ import annotations

from aio.engine import run as run
from aio.errors import AioError as AioError

__all__ = ("AioError", "run")
__version__ = "0.1.0"
