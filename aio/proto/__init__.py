"""Sans-I/O wire protocols: bytes in, typed events out, bytes to send.

Nothing in this package does I/O, reads a clock or imports asyncio; the only part of
aio it imports is :mod:`aio.errors`. Each protocol lives in its own subpackage
(:mod:`aio.proto.http`, ...) and is used through that subpackage's ``__all__``.
"""

from __future__ import annotations

__all__ = ()
