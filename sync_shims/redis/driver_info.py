"""redis-py's ``redis.driver_info``: :class:`DriverInfo`, the ``LIB-NAME`` and
``LIB-VER`` every connection sends with ``CLIENT SETINFO`` at connect.

The very classes of :mod:`aio.redis.driver_info`: the blocking clients hand them
to the async core. By default a connection sends ``aio-redis`` and aio's
version (redis-py sends ``redis-py`` and its own);
``Redis(driver_info=DriverInfo().add_upstream_driver("django-redis", "5.4.0"))``
sends ``aio-redis(django-redis_v5.4.0)``, ``driver_info=None`` nothing.
"""

from __future__ import annotations

from aio.redis.driver_info import DriverInfo as DriverInfo
from aio.redis.driver_info import resolve_driver_info as resolve_driver_info

__all__ = ("DriverInfo", "resolve_driver_info")
