"""Maintenance notifications: a server announcing its own maintenance (redis-py 8).

Redis Enterprise and Redis Cloud tell RESP3 clients that asked for it (``CLIENT
MAINT_NOTIFICATIONS ON moving-endpoint-type <type>``, sent in the handshake) about
work that is about to disturb their connections, with push messages:

=================================  ============================================
``MIGRATING <id> <ttl>``           a shard of this node moves: replies may be
``FAILING_OVER <id> <ttl>``        slow (or the node fails over): relax the
``SMIGRATING <id> <slots>``        socket timeouts of this connection...
``MIGRATED <id>``                  ...until this (or ``FAILED_OVER``,
``FAILED_OVER <id>``               ``SMIGRATED``) says it is over.
``MOVING <id> <ttl> <host:port>``  the endpoint moves to ``host`` within ``ttl``
                                   seconds (``null``: the same name resolves
                                   elsewhere soon): every connection to the old
                                   node reconnects to the new host, idle ones at
                                   once, busy ones when given back to the pool,
                                   and after ``ttl`` the pool's connections go
                                   back to the configured address.
=================================  ============================================

The names and behaviour are redis-py's (``redis.maint_notifications``, which its
asyncio client shares): :class:`MaintNotificationsConfig` is what users pass
(``Redis(maint_notifications_config=...)``); pools make one with
``enabled="auto"`` for RESP3 TCP connections; the notification classes are what
:func:`parse_notification` makes of a push message; the two handlers apply them
to a connection (:class:`MaintNotificationsConnectionHandler`) and to a pool
(:class:`MaintNotificationsPoolHandler`); a cluster client's
(:class:`OSSMaintNotificationsHandler`) reads the slot map again on
``SMIGRATED``.

Where aio differs: the handlers run inside the connection's protocol callback as
the push arrives (a push on an idle pooled connection is handled at once, not at
its next use), so their methods are plain functions, not coroutines; the
pool's follow-ups (the end of a MOVING after its ``ttl``) are loop timers, not
tasks. The port of a MOVING endpoint is kept as the configured one, as redis-py
does (its ``new_node_port`` is on the notification).

.. versionadded:: 0.1
"""

from __future__ import annotations

import abc
import asyncio
import enum
import ipaddress
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, Protocol

from aio.redis.exceptions import InvalidResponse

__all__ = (
    "EndpointType",
    "MaintNotificationsConfig",
    "MaintNotificationsConnectionHandler",
    "MaintNotificationsPoolHandler",
    "MaintainedCluster",
    "MaintainedClusterNode",
    "MaintainedConnection",
    "MaintainedPool",
    "MaintenanceNotification",
    "MaintenanceState",
    "NodeFailedOverNotification",
    "NodeFailingOverNotification",
    "NodeMigratedNotification",
    "NodeMigratingNotification",
    "NodeMovingNotification",
    "OSSMaintNotificationsHandler",
    "OSSNodeMigratedNotification",
    "OSSNodeMigratingNotification",
    "parse_notification",
)

logger = logging.getLogger("aio.redis")


class MaintenanceState(enum.Enum):
    """Where a connection stands: normal, told to move, or under maintenance."""

    NONE = "none"
    MOVING = "moving"
    MAINTENANCE = "maintenance"


class EndpointType(enum.Enum):
    """The kind of address a MOVING notification should name (the value is the
    word sent in ``CLIENT MAINT_NOTIFICATIONS ON moving-endpoint-type <word>``)."""

    INTERNAL_IP = "internal-ip"
    INTERNAL_FQDN = "internal-fqdn"
    EXTERNAL_IP = "external-ip"
    EXTERNAL_FQDN = "external-fqdn"
    NONE = "none"

    def __str__(self) -> str:
        return self.value


# -- notifications ---------------------------------------------------------------


class MaintenanceNotification(abc.ABC):
    """One announcement from the server: an ``id`` (its sequence number) and how
    long, in seconds, it stays relevant (``ttl``, from its arrival).

    Two notifications are equal when they are of the same class and announce the
    same thing (the same ``id``, and for MOVING the same endpoint): the server
    sends a MOVING on every connection, and the pool acts on it once.
    """

    def __init__(self, id: int, ttl: float) -> None:
        self.id = id
        self.ttl = ttl
        # time.monotonic looked up at each call: tests patch it.
        self.creation_time = time.monotonic()
        self.expire_at = self.creation_time + ttl

    def is_expired(self) -> bool:
        """True once ``ttl`` seconds have passed since the notification arrived."""
        return time.monotonic() > self.creation_time + self.ttl

    @abc.abstractmethod
    def _identity(self) -> tuple[Any, ...]:
        """What makes two notifications of this class the same one."""

    def _fields(self) -> str:
        return f"id={self.id!r}"

    def __repr__(self) -> str:
        now = time.monotonic()
        remaining = max(0.0, self.expire_at - now)
        return (
            f"{type(self).__name__}({self._fields()}, ttl={self.ttl!r}, "
            f"creation_time={self.creation_time}, expires_at={self.expire_at}, "
            f"remaining={remaining:.1f}s, expired={self.is_expired()})"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return False
        assert isinstance(other, MaintenanceNotification)
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._identity()))


class NodeMovingNotification(MaintenanceNotification):
    """``MOVING``: the endpoint will be served by ``new_node_host`` (``None``: not
    yet known, the same name will resolve to the new node) within ``ttl`` seconds."""

    def __init__(
        self,
        id: int,
        new_node_host: str | None,
        new_node_port: int | None,
        ttl: float,
    ) -> None:
        super().__init__(id, ttl)
        self.new_node_host = new_node_host
        self.new_node_port = new_node_port

    def _identity(self) -> tuple[Any, ...]:
        return (self.id, self.new_node_host, self.new_node_port)

    def _fields(self) -> str:
        return (
            f"id={self.id!r}, new_node_host={self.new_node_host!r}, "
            f"new_node_port={self.new_node_port!r}"
        )


class NodeMigratingNotification(MaintenanceNotification):
    """``MIGRATING``: a shard of the node is being migrated; replies may be slow."""

    def _identity(self) -> tuple[Any, ...]:
        return (self.id,)


class NodeMigratedNotification(MaintenanceNotification):
    """``MIGRATED``: the migration announced by a ``MIGRATING`` is over."""

    #: The server gives it no ttl: this is how long it counts as recent.
    DEFAULT_TTL = 5

    def __init__(self, id: int) -> None:
        super().__init__(id, self.DEFAULT_TTL)

    def _identity(self) -> tuple[Any, ...]:
        return (self.id,)


class NodeFailingOverNotification(MaintenanceNotification):
    """``FAILING_OVER``: the node is failing over to its replica."""

    def _identity(self) -> tuple[Any, ...]:
        return (self.id,)


class NodeFailedOverNotification(MaintenanceNotification):
    """``FAILED_OVER``: the failover announced by ``FAILING_OVER`` is over."""

    DEFAULT_TTL = 5

    def __init__(self, id: int) -> None:
        super().__init__(id, self.DEFAULT_TTL)

    def _identity(self) -> tuple[Any, ...]:
        return (self.id,)


class OSSNodeMigratingNotification(MaintenanceNotification):
    """``SMIGRATING`` (cluster API): ``slots`` (``"1-100,200"``) are moving away."""

    DEFAULT_TTL = 30

    def __init__(self, id: int, slots: str | None = None) -> None:
        super().__init__(id, self.DEFAULT_TTL)
        self.slots = slots

    def _identity(self) -> tuple[Any, ...]:
        return (self.id,)

    def _fields(self) -> str:
        return f"id={self.id!r}, slots={self.slots}"


class OSSNodeMigratedNotification(MaintenanceNotification):
    """``SMIGRATED`` (cluster API): slots moved, as
    ``{"src_host:port": [{"dest_host:port": "slot ranges"}, ...]}``."""

    DEFAULT_TTL = 120

    def __init__(
        self,
        id: int,
        nodes_to_slots_mapping: dict[str, list[dict[str, str]]],
    ) -> None:
        super().__init__(id, self.DEFAULT_TTL)
        self.nodes_to_slots_mapping = nodes_to_slots_mapping

    def _identity(self) -> tuple[Any, ...]:
        return (self.id,)

    def _fields(self) -> str:
        return f"id={self.id!r}, nodes_to_slots_mapping={self.nodes_to_slots_mapping}"


# Maintenance that starts (relax the timeouts) and ends (restore them).
_STARTS = (
    NodeMigratingNotification,
    NodeFailingOverNotification,
    OSSNodeMigratingNotification,
)
_ENDS = (
    NodeMigratedNotification,
    NodeFailedOverNotification,
    OSSNodeMigratedNotification,
)
_NAMES: dict[type[MaintenanceNotification], str] = {
    NodeMovingNotification: "MOVING",
    NodeMigratingNotification: "MIGRATING",
    NodeMigratedNotification: "MIGRATED",
    NodeFailingOverNotification: "FAILING_OVER",
    NodeFailedOverNotification: "FAILED_OVER",
    OSSNodeMigratingNotification: "SMIGRATING",
    OSSNodeMigratedNotification: "SMIGRATED",
}
#: The first word of every push message that is a maintenance notification.
_MESSAGE_TYPES = frozenset(_NAMES.values())


# -- parsing ----------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("expected an integer, got a boolean")
    if isinstance(value, int):
        return value
    return int(_text(value))


def _seconds(value: Any) -> float:
    ttl = value if isinstance(value, int | float) else float(_text(value))
    if isinstance(ttl, bool) or not ttl >= 0:
        raise ValueError(f"a ttl must be a non-negative number, not {value!r}")
    return ttl


def _split_address(address: str) -> tuple[str, int]:
    # The last colon: an IPv6 literal ("2001:db8::1:6379") has several.
    host, sep, port = address.rpartition(":")
    if not sep or not host:
        raise ValueError(f"{address!r} is not host:port")
    return host, int(port)


def _parse(kind: str, message: Sequence[Any]) -> MaintenanceNotification:
    if kind == "MOVING":
        endpoint = message[3]
        host: str | None = None
        port: int | None = None
        if endpoint is not None:
            host, port = _split_address(_text(endpoint))
        return NodeMovingNotification(
            _integer(message[1]), host, port, _seconds(message[2])
        )
    if kind == "MIGRATING":
        return NodeMigratingNotification(_integer(message[1]), _seconds(message[2]))
    if kind == "FAILING_OVER":
        return NodeFailingOverNotification(_integer(message[1]), _seconds(message[2]))
    if kind == "MIGRATED":
        return NodeMigratedNotification(_integer(message[1]))
    if kind == "FAILED_OVER":
        return NodeFailedOverNotification(_integer(message[1]))
    if kind == "SMIGRATING":
        return OSSNodeMigratingNotification(_integer(message[1]), _text(message[2]))
    # SMIGRATED <id> [[<src host:port> <dest host:port> <slots>], ...]
    mapping: dict[str, list[dict[str, str]]] = {}
    for src, dest, slots in message[2]:
        mapping.setdefault(_text(src), []).append({_text(dest): _text(slots)})
    return OSSNodeMigratedNotification(_integer(message[1]), mapping)


def parse_notification(message: Sequence[Any]) -> MaintenanceNotification | None:
    """The notification a RESP3 push message carries, or ``None`` when the push is
    not a maintenance notification (a pub/sub message, an invalidation...).

    Words may be ``bytes`` or ``str`` (as decoded by the connection); extra
    trailing elements are ignored.

    :raises InvalidResponse: a maintenance push with missing or malformed fields
        (the connection logs it and goes on, as redis-py does).
    """
    if not message:
        return None
    try:
        kind = _text(message[0])
    except TypeError:
        return None
    if kind not in _MESSAGE_TYPES:
        return None
    try:
        return _parse(kind, message)
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        raise InvalidResponse(
            f"malformed {kind} push notification {list(message)!r}: {exc}"
        ) from exc


# -- configuration ----------------------------------------------------------------

_PRIVATE_SUFFIXES = re.compile(r"\.(local|internal|corp|lan|intranet|private)$")


def _is_private_name(host: str) -> bool:
    # No resolved address to go by: single labels and the usual private
    # suffixes are internal names, anything else an external one.
    name = host.lower().rstrip(".")
    return "." not in name or _PRIVATE_SUFFIXES.search(name) is not None


def _is_timeout(value: object) -> bool:
    # Seconds, or -1 (never relax); a bool is not a number of seconds.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value >= 0 or value == -1


class _ResolvesIP(Protocol):
    def get_resolved_ip(self) -> str | None: ...


class MaintNotificationsConfig:
    """How a client handles maintenance notifications.

    :param enabled: ``True``: ask the server for them (``CLIENT
        MAINT_NOTIFICATIONS ON``) and fail the connection when it refuses;
        ``"auto"`` (the default): ask, and go on quietly when it refuses (every
        server but Redis Enterprise/Cloud); ``False``: never ask.
    :param proactive_reconnect: on MOVING, reconnect to the new endpoint (idle
        connections at once, busy ones when given back).
    :param relaxed_timeout: the socket timeout, in seconds, while maintenance
        is announced (``None``: no timeout then; ``-1``: keep the usual ones).
    :param endpoint_type: the kind of address MOVING should name; ``None``
        infers it from the connection's host (see :meth:`get_endpoint_type`).
    :raises ValueError: a value of none of these kinds.
    """

    def __init__(
        self,
        enabled: bool | Literal["auto"] = "auto",
        proactive_reconnect: bool = True,
        relaxed_timeout: float | None = 10,
        endpoint_type: EndpointType | None = None,
    ) -> None:
        if enabled not in (True, False, "auto") or not isinstance(enabled, bool | str):
            raise ValueError(f"enabled must be True, False or 'auto', not {enabled!r}")
        if relaxed_timeout is not None and not _is_timeout(relaxed_timeout):
            raise ValueError(
                "relaxed_timeout must be seconds (>= 0), None or -1, "
                f"not {relaxed_timeout!r}"
            )
        if endpoint_type is not None and not isinstance(endpoint_type, EndpointType):
            try:
                endpoint_type = EndpointType(endpoint_type)
            except ValueError:
                raise ValueError(
                    f"endpoint_type must be an EndpointType, not {endpoint_type!r}"
                ) from None
        self.enabled = enabled
        self.proactive_reconnect = proactive_reconnect
        self.relaxed_timeout = relaxed_timeout
        self.endpoint_type = endpoint_type

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(enabled={self.enabled}, "
            f"proactive_reconnect={self.proactive_reconnect}, "
            f"relaxed_timeout={self.relaxed_timeout}, "
            f"endpoint_type={self.endpoint_type!r})"
        )

    def is_relaxed_timeouts_enabled(self) -> bool:
        """False when ``relaxed_timeout`` is ``-1`` (timeouts are never relaxed)."""
        return self.relaxed_timeout != -1

    def get_endpoint_type(self, host: str, connection: _ResolvesIP) -> EndpointType:
        """The endpoint type to ask for: ``endpoint_type`` when set; else an IP
        ``host`` is an internal (private) or external IP, and a name is an
        internal or external FQDN by the address it resolved to (by its
        suffix when that is unknown).
        """
        if self.endpoint_type is not None:
            return self.endpoint_type
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            private = address.is_private
            return EndpointType.INTERNAL_IP if private else EndpointType.EXTERNAL_IP
        resolved = connection.get_resolved_ip()
        if resolved:
            try:
                private = ipaddress.ip_address(resolved).is_private
            except ValueError:
                private = _is_private_name(host)
        else:
            private = _is_private_name(host)
        return EndpointType.INTERNAL_FQDN if private else EndpointType.EXTERNAL_FQDN


def _coerce_config(config: Any) -> MaintNotificationsConfig:
    """``config`` as ours: a redis-py ``MaintNotificationsConfig`` (or any object
    with the same attributes) is copied.

    :raises TypeError: an object without them.
    """
    if isinstance(config, MaintNotificationsConfig):
        return config
    try:
        endpoint = config.endpoint_type
        return MaintNotificationsConfig(
            enabled=config.enabled,
            proactive_reconnect=config.proactive_reconnect,
            relaxed_timeout=config.relaxed_timeout,
            endpoint_type=None
            if endpoint is None
            else getattr(endpoint, "value", endpoint),
        )
    except AttributeError:
        raise TypeError(
            "maint_notifications_config must be a MaintNotificationsConfig, "
            f"not {type(config).__name__}"
        ) from None


# -- handlers -----------------------------------------------------------------------


class MaintainedConnection(Protocol):
    """What the handlers need of a connection (aio's :class:`~aio.redis.Connection`)."""

    host: str
    port: int
    maintenance_state: MaintenanceState

    def set_tmp_settings(
        self, tmp_host_address: Any = ..., tmp_relaxed_timeout: float | None = -1
    ) -> None: ...

    def reset_tmp_settings(
        self, reset_host_address: bool = False, reset_relaxed_timeout: bool = False
    ) -> None: ...

    def update_current_socket_timeout(
        self, relaxed_timeout: float | None = None
    ) -> None: ...

    def add_maint_start_notification(self, id: int) -> None: ...

    def reset_received_notifications(self) -> None: ...

    def getpeername(self) -> str | None: ...

    def get_resolved_ip(self) -> str | None: ...


class MaintainedPool(Protocol):
    """What the pool handler needs of a pool (aio's :class:`~aio.redis.ConnectionPool`)."""

    def apply_moving_notification(
        self,
        notification: NodeMovingNotification,
        config: MaintNotificationsConfig,
        moving_address_src: str | None,
        run_proactive_reconnect: bool = False,
    ) -> None: ...

    def run_proactive_reconnect(
        self, moving_address_src: str | None = None
    ) -> None: ...

    def cleanup_moving_notification(
        self,
        notification_hash: int,
        reset_relaxed_timeout: bool,
        reset_host_address: bool,
    ) -> None: ...


def _skips_timeouts(state: MaintenanceState, config: MaintNotificationsConfig) -> bool:
    # A MOVING connection keeps the timeouts its pool gave it until the move
    # is over; and -1 means timeouts are never touched.
    return state == MaintenanceState.MOVING or not config.is_relaxed_timeouts_enabled()


class MaintNotificationsConnectionHandler:
    """Applies MIGRATING/FAILING_OVER/SMIGRATING (relax the connection's socket
    timeouts, the current reply's wait included) and MIGRATED/FAILED_OVER/
    SMIGRATED (restore them) to one connection.

    :param connection: the connection the notifications arrived on.
    :param config: the client's configuration.
    """

    def __init__(
        self, connection: MaintainedConnection, config: MaintNotificationsConfig
    ) -> None:
        self.connection = connection
        self.config = config

    def handle_notification(self, notification: MaintenanceNotification) -> None:
        """Apply a start or end of maintenance; log any other kind as unhandled."""
        if isinstance(notification, _STARTS):
            self.handle_maintenance_start_notification(
                MaintenanceState.MAINTENANCE, notification
            )
        elif isinstance(notification, _ENDS):
            self.handle_maintenance_completed_notification(notification=notification)
        else:
            logger.error("Unhandled notification type: %r", notification)

    def handle_maintenance_start_notification(
        self, maintenance_state: MaintenanceState, notification: MaintenanceNotification
    ) -> None:
        """Relax the connection's timeouts and put it in ``maintenance_state``
        (not when it is MOVING or relaxed timeouts are off)."""
        conn = self.connection
        logger.debug("maintenance starts on %r: %r", conn, notification)
        if _skips_timeouts(conn.maintenance_state, self.config):
            return
        conn.maintenance_state = maintenance_state
        conn.set_tmp_settings(tmp_relaxed_timeout=self.config.relaxed_timeout)
        conn.update_current_socket_timeout(self.config.relaxed_timeout)
        if isinstance(notification, OSSNodeMigratingNotification):
            conn.add_maint_start_notification(notification.id)

    def handle_maintenance_completed_notification(self, **kwargs: Any) -> None:
        """Restore the connection's own timeouts (not when it is MOVING or
        relaxed timeouts are off); ``notification=`` names what ended."""
        conn = self.connection
        if _skips_timeouts(conn.maintenance_state, self.config):
            return
        logger.debug(
            "maintenance over on %r: %r",
            conn,
            kwargs.get("notification") or "MAINTENANCE_COMPLETED",
        )
        conn.reset_tmp_settings(reset_relaxed_timeout=True)
        conn.update_current_socket_timeout(-1)  # -1: back to socket_timeout
        conn.maintenance_state = MaintenanceState.NONE
        conn.reset_received_notifications()


class MaintNotificationsPoolHandler:
    """Applies MOVING to a pool: every connection to the moving node (and every
    new one) gets the new host and the relaxed timeouts, and reconnects there;
    after the notification's ``ttl`` the pool goes back to its own settings.

    Each connection holds a copy (:meth:`get_handler_for_connection`) that knows
    it, so that the pool learns which node moves; the copies share what the pool
    handled, so a MOVING that arrives on every connection is applied once.

    :param pool: the pool (:class:`~aio.redis.ConnectionPool`).
    :param config: the client's configuration.
    """

    def __init__(self, pool: MaintainedPool, config: MaintNotificationsConfig) -> None:
        self.pool = pool
        self.config = config
        self.connection: MaintainedConnection | None = None
        self._processed_notifications: set[MaintenanceNotification] = set()
        self._scheduled: set[asyncio.TimerHandle] = set()

    def set_connection(self, connection: MaintainedConnection) -> None:
        """The connection this copy serves."""
        self.connection = connection

    def get_handler_for_connection(self) -> MaintNotificationsPoolHandler:
        """A copy for one connection, sharing this handler's state."""
        copy = MaintNotificationsPoolHandler(self.pool, self.config)
        copy._processed_notifications = self._processed_notifications
        copy._scheduled = self._scheduled
        return copy

    def remove_expired_notifications(self) -> None:
        """Forget the notifications whose ``ttl`` has passed."""
        expired = [n for n in self._processed_notifications if n.is_expired()]
        self._processed_notifications.difference_update(expired)

    def handle_notification(self, notification: MaintenanceNotification) -> None:
        """Apply a MOVING; any other kind is logged as unhandled."""
        self.remove_expired_notifications()
        if isinstance(notification, NodeMovingNotification):
            self.handle_node_moving_notification(notification)
        else:
            logger.error("Unhandled notification type: %r", notification)

    def handle_node_moving_notification(
        self, notification: NodeMovingNotification
    ) -> None:
        """Re-point the pool, and schedule its reconnects and its return."""
        config = self.config
        if not config.proactive_reconnect and not config.is_relaxed_timeouts_enabled():
            return
        if notification in self._processed_notifications:
            return
        # Only the connections to the node that moves: the one this arrived on.
        source = self.connection.getpeername() if self.connection else None
        logger.debug("MOVING from %s: %r", source, notification)
        self.pool.apply_moving_notification(
            notification=notification,
            config=config,
            moving_address_src=source,
            run_proactive_reconnect=(
                config.proactive_reconnect and notification.new_node_host is not None
            ),
        )
        if config.proactive_reconnect and notification.new_node_host is None:
            # The name will point at the new node: reconnect half-way through.
            self._schedule(notification.ttl / 2, self.run_proactive_reconnect, source)
        self._schedule(
            notification.ttl, self.handle_node_moved_notification, notification
        )
        self._processed_notifications.add(notification)

    def run_proactive_reconnect(self, moving_address_src: str | None = None) -> None:
        """Reconnect the pool's connections to ``moving_address_src`` (all of
        them when ``None``): idle ones now, busy ones when given back."""
        self.pool.run_proactive_reconnect(moving_address_src=moving_address_src)

    def handle_node_moved_notification(
        self, notification: NodeMovingNotification
    ) -> None:
        """The ``ttl`` of a MOVING is over: undo what it changed (unless a later
        MOVING has taken over)."""
        self.pool.cleanup_moving_notification(
            notification_hash=hash(notification),
            reset_relaxed_timeout=self.config.is_relaxed_timeouts_enabled(),
            reset_host_address=self.config.proactive_reconnect,
        )

    def _schedule(
        self, delay: float, callback: Callable[..., None], *args: Any
    ) -> None:
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self._scheduled.discard(handle)
            try:
                callback(*args)
            except Exception:
                logger.exception("maintenance follow-up %r failed", callback)

        handle = loop.call_later(delay, fire)
        self._scheduled.add(handle)

    def cancel_scheduled_tasks(self) -> None:
        """Cancel the follow-ups not yet run (the pool is closing)."""
        for handle in self._scheduled:
            handle.cancel()
        self._scheduled.clear()


class MaintainedClusterNode(Protocol):
    """What the cluster handler needs of a node (aio's ``ClusterNode``)."""

    name: str

    def update_active_connections_for_reconnect(self) -> None: ...

    async def disconnect_free_connections(self) -> None: ...


class MaintainedCluster(Protocol):
    """What the cluster handler needs of a cluster client (aio's
    :class:`~aio.redis.RedisCluster`)."""

    def get_node(
        self,
        host: str | None = None,
        port: int | None = None,
        node_name: str | None = None,
    ) -> Any: ...

    def get_nodes(self) -> list[Any]: ...

    async def _refresh_after_migration(
        self, additional_startup_nodes_info: list[tuple[str, int]]
    ) -> None: ...


class OSSMaintNotificationsHandler:
    """Applies SMIGRATED to a cluster client, as redis-py's: the slot map is read
    again (the nodes the slots went to asked too, after the known ones), the
    connections in use to the nodes the slots left reconnect when given back,
    and the idle ones of a node no longer in the map are closed.

    The connections of every node hold this one handler. A notification comes
    on each of them: it is applied once (again only if applying it failed),
    in a task of its own (the map is read over the network, and a push arrives
    inside a connection's read callback); :meth:`aclose` ends those tasks.

    :param cluster_client: the cluster client.
    :param config: the client's configuration.
    """

    def __init__(
        self, cluster_client: MaintainedCluster, config: MaintNotificationsConfig
    ) -> None:
        self.cluster_client = cluster_client
        self.config = config
        self._processed_notifications: set[MaintenanceNotification] = set()
        self._in_progress: set[MaintenanceNotification] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def remove_expired_notifications(self) -> None:
        """Forget the notifications whose ``ttl`` has passed."""
        expired = [n for n in self._processed_notifications if n.is_expired()]
        self._processed_notifications.difference_update(expired)

    def handle_notification(self, notification: MaintenanceNotification) -> None:
        """Start applying an SMIGRATED (unless it is being, or was, applied);
        any other kind is logged as unhandled."""
        if not isinstance(notification, OSSNodeMigratedNotification):
            logger.error("Unhandled notification type: %r", notification)
            return
        self.remove_expired_notifications()
        if (
            notification in self._in_progress
            or notification in self._processed_notifications
        ):
            return
        self._in_progress.add(notification)
        task = asyncio.get_running_loop().create_task(self._apply(notification))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _apply(self, notification: OSSNodeMigratedNotification) -> None:
        try:
            await self.handle_oss_maintenance_completed_notification(notification)
        except Exception:
            # Not processed: a redelivery (on another connection) tries again.
            logger.exception("handling %r failed", notification)
        finally:
            self._in_progress.discard(notification)

    async def handle_oss_maintenance_completed_notification(
        self, notification: OSSNodeMigratedNotification
    ) -> None:
        """Apply ``notification`` now (see the class).

        :raises RedisClusterException: no node answered with a usable map.
        """
        cluster = self.cluster_client
        logger.debug("SMIGRATED: %r", notification)
        sources: list[MaintainedClusterNode] = []
        targets: list[tuple[str, int]] = []
        for source, moves in notification.nodes_to_slots_mapping.items():
            try:
                node = cluster.get_node(*_split_address(source))
                for move in moves:
                    targets.extend(_split_address(target) for target in move)
            except ValueError as exc:
                logger.error("ignoring a part of %r: %s", notification, exc)
                continue
            if node is not None:
                sources.append(node)
        await cluster._refresh_after_migration(targets)
        current = {node.name for node in cluster.get_nodes()}
        for node in sources:
            # Busy ones may serve a subscription or a blocking command: they
            # reconnect once their command is over.
            node.update_active_connections_for_reconnect()
            if node.name not in current:
                await node.disconnect_free_connections()
        self._processed_notifications.add(notification)

    async def aclose(self) -> None:
        """End the notifications being applied (the client is closing)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _moving_kwargs(
    notification: NodeMovingNotification, config: MaintNotificationsConfig
) -> dict[str, Any]:
    """The pool's connection arguments that a MOVING changes."""
    kwargs: dict[str, Any] = {
        "maintenance_state": MaintenanceState.MOVING,
        "maintenance_notification_hash": hash(notification),
    }
    if notification.new_node_host is not None:
        kwargs["host"] = notification.new_node_host
    if config.is_relaxed_timeouts_enabled():
        kwargs["socket_timeout"] = config.relaxed_timeout
        kwargs["socket_connect_timeout"] = config.relaxed_timeout
    return kwargs


def _moved_kwargs(
    kwargs: Mapping[str, Any], notification_hash: int
) -> dict[str, Any] | None:
    """The pool's connection arguments once the MOVING ``notification_hash`` is
    over; ``None`` when a later MOVING holds them."""
    if kwargs.get("maintenance_notification_hash") != notification_hash:
        return None
    return {
        "maintenance_state": MaintenanceState.NONE,
        "maintenance_notification_hash": None,
        "host": kwargs.get("orig_host_address"),
        "socket_timeout": kwargs.get("orig_socket_timeout"),
        "socket_connect_timeout": kwargs.get("orig_socket_connect_timeout"),
    }
