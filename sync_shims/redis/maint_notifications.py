"""redis-py's ``redis.maint_notifications``: maintenance notifications.

The names are :mod:`aio.redis.maint_notifications`'s, shared with the async
core that handles the notifications (on the engine's loop, as the pushes
arrive): ``Redis(maint_notifications_config=MaintNotificationsConfig(...))``
configures them, and a blocking pool reports its configuration with
``maint_notifications_enabled()``. The handlers' methods are plain functions,
as redis-py's blocking ones are.
"""

from __future__ import annotations

# The core's names, all of them and nothing else: its __all__ is the list.
from aio.redis.maint_notifications import *  # noqa: F403
from aio.redis.maint_notifications import __all__ as __all__
