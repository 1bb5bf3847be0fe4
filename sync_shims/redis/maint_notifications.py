"""redis-py's ``redis.maint_notifications``: maintenance notifications.

The names are :mod:`aio.redis.maint_notifications`'s, shared with the async
core that handles the notifications (on the engine's loop, as the pushes
arrive): ``Redis(maint_notifications_config=MaintNotificationsConfig(...))``
configures them, and a blocking pool reports its configuration with
``maint_notifications_enabled()``. The handlers' methods are plain functions,
as redis-py's blocking ones are.
"""

from __future__ import annotations

from aio.redis.maint_notifications import EndpointType as EndpointType
from aio.redis.maint_notifications import MaintainedConnection as MaintainedConnection
from aio.redis.maint_notifications import MaintainedPool as MaintainedPool
from aio.redis.maint_notifications import (
    MaintenanceNotification as MaintenanceNotification,
)
from aio.redis.maint_notifications import MaintenanceState as MaintenanceState
from aio.redis.maint_notifications import (
    MaintNotificationsConfig as MaintNotificationsConfig,
)
from aio.redis.maint_notifications import (
    MaintNotificationsConnectionHandler as MaintNotificationsConnectionHandler,
)
from aio.redis.maint_notifications import (
    MaintNotificationsPoolHandler as MaintNotificationsPoolHandler,
)
from aio.redis.maint_notifications import (
    NodeFailedOverNotification as NodeFailedOverNotification,
)
from aio.redis.maint_notifications import (
    NodeFailingOverNotification as NodeFailingOverNotification,
)
from aio.redis.maint_notifications import (
    NodeMigratedNotification as NodeMigratedNotification,
)
from aio.redis.maint_notifications import (
    NodeMigratingNotification as NodeMigratingNotification,
)
from aio.redis.maint_notifications import (
    NodeMovingNotification as NodeMovingNotification,
)
from aio.redis.maint_notifications import (
    OSSNodeMigratedNotification as OSSNodeMigratedNotification,
)
from aio.redis.maint_notifications import (
    OSSNodeMigratingNotification as OSSNodeMigratingNotification,
)
from aio.redis.maint_notifications import parse_notification as parse_notification

__all__ = (
    "EndpointType",
    "MaintNotificationsConfig",
    "MaintNotificationsConnectionHandler",
    "MaintNotificationsPoolHandler",
    "MaintainedConnection",
    "MaintainedPool",
    "MaintenanceNotification",
    "MaintenanceState",
    "NodeFailedOverNotification",
    "NodeFailingOverNotification",
    "NodeMigratedNotification",
    "NodeMigratingNotification",
    "NodeMovingNotification",
    "OSSNodeMigratedNotification",
    "OSSNodeMigratingNotification",
    "parse_notification",
)
