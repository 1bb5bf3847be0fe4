"""Maintenance notifications wired into connections and pools (the mixins).

:class:`ConnectionMaintenance` gives :class:`~aio.redis.Connection` redis-py's
maintenance state and hooks (``maintenance_state``, ``set_tmp_settings``,
``update_current_socket_timeout``, ``mark_for_reconnect``...), the handshake
command and the dispatch of maintenance pushes, which the protocol callback
hands over before any other push handler sees them. :class:`PoolMaintenance`
gives :class:`~aio.redis.ConnectionPool` the pool side: the configuration made
at construction (``enabled="auto"`` for RESP3 TCP connections) and what a MOVING
does to the pool's connections and arguments.

Everything runs on the connections' event loop, between two reads: a pool's
connections are updated in one pass without locks, and nothing here waits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from aio.proto.resp import Push
from aio.redis.exceptions import (
    ConnectionError,
    InvalidResponse,
    RedisError,
    ResponseError,
)
from aio.redis.maint_notifications import (
    MaintainedCluster,
    MaintenanceState,
    MaintNotificationsConfig,
    MaintNotificationsConnectionHandler,
    MaintNotificationsPoolHandler,
    NodeMovingNotification,
    OSSMaintNotificationsHandler,
    OSSNodeMigratedNotification,
    _coerce_config,
    _moved_kwargs,
    _moving_kwargs,
    parse_notification,
)

if TYPE_CHECKING:
    from collections import deque

    from aio.redis._connection import Connection

__all__ = (
    "ConnectionMaintenance",
    "PoolMaintenance",
    "cluster_maintenance",
    "resp3_asked",
)

logger = logging.getLogger("aio.redis")

_KEEP: Any = object()  # set_tmp_settings: leave the host as it is
_NO_RESP3 = (
    "Maintenance notifications handlers on connection are only supported with "
    "RESP version 3"
)
# The first words of maintenance pushes, as the parser hands them over.
_WORDS = frozenset(
    w
    for word in (
        "MOVING",
        "MIGRATING",
        "MIGRATED",
        "FAILING_OVER",
        "FAILED_OVER",
        "SMIGRATING",
        "SMIGRATED",
    )
    for w in (word, word.encode())
)


def resp3_asked(protocol: Any) -> bool:
    """Whether ``protocol`` (as given to a pool) means RESP3 (``None`` does)."""
    if protocol is None:
        return True
    try:
        return int(protocol) == 3
    except (TypeError, ValueError):
        return False


def cluster_maintenance(
    cluster: MaintainedCluster, kwargs: dict[str, Any]
) -> tuple[MaintNotificationsConfig | None, OSSMaintNotificationsHandler | None]:
    """A cluster client's configuration and SMIGRATED handler, from the
    arguments of its nodes' connections (``kwargs``, which then carry the
    handler to every one of them). As redis-py's: on (``"auto"``) for RESP3 when
    not configured, and no handler when off.

    :raises RedisError: notifications asked for (``enabled=True`` or
        ``"auto"``) with RESP2.
    """
    config = kwargs.get("maint_notifications_config")
    if config is not None:
        config = _coerce_config(config)
    resp3 = resp3_asked(kwargs.get("protocol"))
    if config is None and resp3:
        config = MaintNotificationsConfig()
    if config is None or not config.enabled:
        return config, None
    if not resp3:
        raise RedisError(
            "Maintenance notifications are only supported with RESP version 3"
        )
    handler = OSSMaintNotificationsHandler(cluster, config)
    kwargs["oss_cluster_maint_notifications_handler"] = handler
    return config, handler


class ConnectionMaintenance:
    """The maintenance side of a connection (a mixin of ``Connection``)."""

    #: Whether connections of this class take maintenance notifications
    #: (a unix-domain socket has no endpoint to move).
    maint_notifications_supported: ClassVar[bool] = True

    maint_notifications_config: MaintNotificationsConfig | None
    maintenance_state: MaintenanceState
    maintenance_notification_hash: int | None
    orig_host_address: str
    orig_socket_timeout: float | None
    orig_socket_connect_timeout: float | None

    if TYPE_CHECKING:  # provided by Connection
        host: str
        port: int
        protocol: int
        socket_timeout: float | None
        socket_connect_timeout: float | None
        _transport: asyncio.Transport | None
        _pending: deque[Any]

        def _abort(self, error: Exception) -> None: ...
        def _description(self) -> str: ...
        def _rearm_watchdog(self) -> None: ...
        def send_request(
            self,
            args: tuple[Any, ...] | list[Any],
            *,
            timeout: float | None = None,
            decode: bool = True,
        ) -> asyncio.Future[Any]: ...

    def _init_maintenance(self, kwargs: dict[str, Any]) -> None:
        """Take the maintenance arguments out of ``kwargs`` (after the address,
        timeouts and protocol are set)."""
        config = kwargs.pop("maint_notifications_config", None)
        pool_handler = kwargs.pop("maint_notifications_pool_handler", None)
        oss_handler = kwargs.pop("oss_cluster_maint_notifications_handler", None)
        self.maintenance_state = kwargs.pop("maintenance_state", MaintenanceState.NONE)
        self.maintenance_notification_hash = kwargs.pop(
            "maintenance_notification_hash", None
        )
        # A pool passes the settings to go back to after a MOVING, None
        # included; a connection made alone goes back to its own.
        self.orig_host_address = kwargs.pop("orig_host_address", None) or self.host
        timeout = kwargs.pop("orig_socket_timeout", _KEEP)
        self.orig_socket_timeout = self.socket_timeout if timeout is _KEEP else timeout
        timeout = kwargs.pop("orig_socket_connect_timeout", _KEEP)
        self.orig_socket_connect_timeout = (
            self.socket_connect_timeout if timeout is _KEEP else timeout
        )
        self._should_reconnect = False
        self._processed_start_maint_notifications: set[int] = set()
        self._skipped_end_maint_notifications: set[int] = set()
        self._maint_notifications_connection_handler: (
            MaintNotificationsConnectionHandler | None
        ) = None
        self._maint_notifications_pool_handler: MaintNotificationsPoolHandler | None = (
            None
        )
        self._oss_cluster_maint_notifications_handler: Any = None
        #: Called with each push first while notifications are on.
        self._maint_dispatch: Any = None
        self.maint_notifications_config = None
        if config is None:
            return
        config = _coerce_config(config)
        if not config.enabled or not self.maint_notifications_supported:
            return
        if self.protocol != 3:
            raise RedisError(_NO_RESP3)
        self.maint_notifications_config = config
        self._maint_notifications_connection_handler = (
            MaintNotificationsConnectionHandler(self, config)
        )
        if pool_handler is not None:
            self._attach_pool_handler(pool_handler)
        self._oss_cluster_maint_notifications_handler = oss_handler
        self._maint_dispatch = self._dispatch_maintenance_push

    def _attach_pool_handler(self, handler: MaintNotificationsPoolHandler) -> None:
        # Each connection holds its own copy, which knows where a MOVING came from.
        own = handler.get_handler_for_connection()
        own.set_connection(self)
        self._maint_notifications_pool_handler = own

    def set_maint_notifications_pool_handler_for_connection(
        self, maint_notifications_pool_handler: MaintNotificationsPoolHandler
    ) -> None:
        """Take notifications from now on, handled with this pool handler's
        configuration (the pool's ``update_maint_notifications_config``)."""
        config = maint_notifications_pool_handler.config
        if self.protocol != 3:
            raise RedisError(_NO_RESP3)
        self._attach_pool_handler(maint_notifications_pool_handler)
        self.maint_notifications_config = config
        if self._maint_notifications_connection_handler is None:
            self._maint_notifications_connection_handler = (
                MaintNotificationsConnectionHandler(self, config)
            )
        else:
            self._maint_notifications_connection_handler.config = config
        self._maint_dispatch = self._dispatch_maintenance_push

    # -- the handshake -------------------------------------------------------------

    def _maint_notifications_command(self) -> tuple[str, ...] | None:
        config = self.maint_notifications_config
        if config is None or self.protocol != 3 or not self.host:
            return None
        endpoint = config.get_endpoint_type(self.host, self)
        return (
            "CLIENT",
            "MAINT_NOTIFICATIONS",
            "ON",
            "moving-endpoint-type",
            endpoint.value,
        )

    def _check_maint_notifications_reply(self, reply: Any) -> None:
        """Act on the reply to ``CLIENT MAINT_NOTIFICATIONS ON``.

        :raises ResponseError: the server refused and ``enabled`` is True.
        """
        if isinstance(reply, RedisError) and not isinstance(reply, ResponseError):
            raise reply
        error = reply if isinstance(reply, ResponseError) else None
        if error is None and reply not in (b"OK", "OK"):
            error = ResponseError(
                "The server doesn't support maintenance notifications"
            )
        if error is None:
            return
        config = self.maint_notifications_config
        if config is not None and config.enabled == "auto":
            # Every server but Redis Enterprise/Cloud refuses: not worth a warning.
            logger.debug("maintenance notifications not enabled: %s", error)
            return
        raise error

    async def activate_maint_notifications_handling_if_enabled(
        self, check_health: bool = True
    ) -> None:
        """Send ``CLIENT MAINT_NOTIFICATIONS ON`` now (it is part of the
        handshake; this is for a connection whose configuration changed).

        :raises ResponseError: the server refused and ``enabled`` is True.
        """
        command = self._maint_notifications_command()
        if command is None:
            return
        try:
            reply = await self.send_request(command)
        except ResponseError as exc:
            reply = exc
        self._check_maint_notifications_reply(reply)

    # -- state -----------------------------------------------------------------------

    def getpeername(self) -> str | None:
        """The address (IP) of the server this connection is connected to."""
        transport = self._transport
        if transport is None:
            return None
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and peer:
            return str(peer[0])
        return None

    def get_resolved_ip(self) -> str | None:
        """The server's IP when connected, else the configured host (no DNS
        lookup: it would block the loop)."""
        return self.getpeername() or self.host

    def mark_for_reconnect(self) -> None:
        """Reconnect when given back to the pool (to the host now configured)."""
        self._should_reconnect = True

    def should_reconnect(self) -> bool:
        """Whether :meth:`mark_for_reconnect` was called since the last connect."""
        return self._should_reconnect

    def reset_should_reconnect(self) -> None:
        """Forget :meth:`mark_for_reconnect`."""
        self._should_reconnect = False

    def _close_for_reconnect(self) -> None:
        # Idle (or just given back): nothing pending, the next use connects
        # anew, to the host now configured.
        self._should_reconnect = False
        if self._transport is not None:
            self._abort(
                ConnectionError(
                    f"Reconnecting {self._description()} for a maintenance."
                )
            )

    def add_maint_start_notification(self, id: int) -> None:
        """Remember a SMIGRATING seen."""
        self._processed_start_maint_notifications.add(id)

    def get_processed_start_notifications(self) -> set[int]:
        """The SMIGRATING ids seen since the last end of maintenance."""
        return self._processed_start_maint_notifications

    def add_skipped_end_notification(self, id: int) -> None:
        """Remember an end of maintenance that was not applied."""
        self._skipped_end_maint_notifications.add(id)

    def get_skipped_end_notifications(self) -> set[int]:
        """The ends of maintenance not applied since the last one that was."""
        return self._skipped_end_maint_notifications

    def reset_received_notifications(self) -> None:
        """Forget the SMIGRATING ids and skipped ends (maintenance is over)."""
        self._processed_start_maint_notifications.clear()
        self._skipped_end_maint_notifications.clear()

    def set_tmp_settings(
        self, tmp_host_address: Any = _KEEP, tmp_relaxed_timeout: float | None = -1
    ) -> None:
        """Use another host (from the next connect) or relaxed timeouts (``-1``:
        keep the timeouts) until :meth:`reset_tmp_settings`."""
        if tmp_host_address and tmp_host_address is not _KEEP:
            self.host = str(tmp_host_address)
        if tmp_relaxed_timeout != -1:
            self.socket_timeout = tmp_relaxed_timeout
            self.socket_connect_timeout = tmp_relaxed_timeout

    def reset_tmp_settings(
        self, reset_host_address: bool = False, reset_relaxed_timeout: bool = False
    ) -> None:
        """Go back to the configured host and/or timeouts."""
        if reset_host_address:
            self.host = self.orig_host_address
        if reset_relaxed_timeout:
            self.socket_timeout = self.orig_socket_timeout
            self.socket_connect_timeout = self.orig_socket_connect_timeout

    def update_current_socket_timeout(
        self, relaxed_timeout: float | None = None
    ) -> None:
        """Re-arm the timeouts of the replies awaited now: ``relaxed_timeout``
        seconds from now (``-1``: ``socket_timeout``; ``None``: none), plus
        what a blocking command waits by itself."""
        timeout = self.socket_timeout if relaxed_timeout == -1 else relaxed_timeout
        if not self._pending:
            return
        now = asyncio.get_running_loop().time()
        for request in self._pending:
            if request.deadline is None:
                continue  # no deadline to move: it waits for ever already
            request.deadline = (
                None if timeout is None else now + timeout + request.extra
            )
        self._rearm_watchdog()

    # -- pushes ----------------------------------------------------------------------

    def _dispatch_maintenance_push(self, push: Push) -> bool:
        """Handle ``push`` if it is a maintenance notification (True), else leave
        it to the other push handlers (False)."""
        if not push:
            return False
        word = push[0]
        if type(word) not in (bytes, str) or word not in _WORDS:
            return False
        try:
            notification = parse_notification(push)
        except InvalidResponse as exc:
            # Not for anyone else either; redis-py logs and drops it too.
            logger.error("ignoring a push: %s", exc)
            return True
        if notification is None:  # pragma: no cover - the word was checked
            return False
        try:
            if isinstance(notification, NodeMovingNotification):
                pool_handler = self._maint_notifications_pool_handler
                if pool_handler is not None:
                    pool_handler.handle_notification(notification)
                return True
            handler = self._maint_notifications_connection_handler
            if handler is not None:
                handler.handle_notification(notification)
            oss = self._oss_cluster_maint_notifications_handler
            if oss is not None and isinstance(
                notification, OSSNodeMigratedNotification
            ):
                oss.handle_notification(notification)
        except Exception:
            # Never let a handler break the read loop of the connection.
            logger.exception("handling %r on %r failed", notification, self)
        return True


class PoolMaintenance:
    """The maintenance side of a pool (a mixin of ``ConnectionPool``)."""

    if TYPE_CHECKING:  # provided by ConnectionPool
        connection_class: type[Connection]
        connection_kwargs: dict[str, Any]
        _available: deque[Connection]
        _in_use: set[Connection]

    _maint_notifications_pool_handler: MaintNotificationsPoolHandler | None

    def _init_maintenance(self) -> None:
        """Configure notifications from ``connection_kwargs`` (as redis-py: on,
        ``"auto"``, for RESP3 connections over TCP when not configured)."""
        kwargs = self.connection_kwargs
        config = kwargs.pop("maint_notifications_config", None)
        # Another pool's handler (its arguments copied): never ours.
        kwargs.pop("maint_notifications_pool_handler", None)
        self._maint_notifications_pool_handler = None
        if config is not None:
            config = _coerce_config(config)
        resp3 = resp3_asked(kwargs.get("protocol"))
        supported = self._maint_notifications_supported()
        if config is None and resp3 and supported:
            config = MaintNotificationsConfig()
        if config is None or not config.enabled:
            return
        if not supported:
            if config.enabled is True:
                raise RedisError(self._unsupported_reason())
            return
        if not resp3:
            raise RedisError(_NO_RESP3)
        handler = MaintNotificationsPoolHandler(self, config)
        self._maint_notifications_pool_handler = handler
        self._set_maintenance_kwargs(handler)

    def _maint_notifications_supported(self) -> bool:
        if "path" in self.connection_kwargs:
            return False
        if not getattr(self.connection_class, "maint_notifications_supported", False):
            return False
        return bool(self.connection_kwargs.get("host"))

    def _unsupported_reason(self) -> str:
        if "path" in self.connection_kwargs:
            return (
                "Maintenance notifications are not supported for Unix domain "
                "socket connections"
            )
        if not getattr(self.connection_class, "maint_notifications_supported", False):
            name = getattr(self.connection_class, "__name__", self.connection_class)
            return (
                "Maintenance notifications are not supported for connection "
                f"class {name}"
            )
        return (
            "Maintenance notifications are not supported for connections without a host"
        )

    def _set_maintenance_kwargs(self, handler: MaintNotificationsPoolHandler) -> None:
        kwargs = self.connection_kwargs
        kwargs["maint_notifications_pool_handler"] = handler
        kwargs["maint_notifications_config"] = handler.config
        if kwargs.get("orig_host_address") is None:
            # What the pool goes back to after a MOVING.
            kwargs["orig_host_address"] = kwargs.get("host")
            kwargs["orig_socket_timeout"] = kwargs.get("socket_timeout")
            kwargs["orig_socket_connect_timeout"] = kwargs.get("socket_connect_timeout")

    def maint_notifications_enabled(self) -> bool | Literal["auto"] | None:
        """``True`` or ``"auto"`` when the pool's connections ask for maintenance
        notifications, ``None`` when they do not."""
        handler = self._maint_notifications_pool_handler
        return None if handler is None else handler.config.enabled

    async def update_maint_notifications_config(
        self, maint_notifications_config: MaintNotificationsConfig
    ) -> None:
        """Turn notifications on (or change their configuration) for a pool made
        without them: new connections ask for them, idle ones reconnect now and
        busy ones when given back.

        :raises ValueError: turning them off once on.
        :raises RedisError: ``enabled=True`` where they cannot work (a unix
            socket, another connection class, no host, RESP2).
        """
        config = _coerce_config(maint_notifications_config)
        handler = self._maint_notifications_pool_handler
        if not config.enabled:
            if handler is not None:
                raise ValueError(
                    "Cannot disable maintenance notifications after enabling them"
                )
            return
        if not self._maint_notifications_supported():
            if config.enabled is True:
                raise RedisError(self._unsupported_reason())
            return
        if not resp3_asked(self.connection_kwargs.get("protocol")):
            raise RedisError(_NO_RESP3)
        if handler is None:
            handler = MaintNotificationsPoolHandler(self, config)
            self._maint_notifications_pool_handler = handler
        else:
            handler.config = config
        self._set_maintenance_kwargs(handler)
        for conn in self._in_use:
            conn.set_maint_notifications_pool_handler_for_connection(handler)
            conn.mark_for_reconnect()
        for conn in self._available:
            conn.set_maint_notifications_pool_handler_for_connection(handler)
            conn._close_for_reconnect()

    def update_connection_kwargs(self, **kwargs: Any) -> None:
        """Change the arguments of the connections made from now on."""
        self.connection_kwargs.update(kwargs)

    def _maintained(self, address: str | None = None) -> Iterator[Connection]:
        # Busy connections first, then idle ones; those connected to
        # ``address`` only, when one is given.
        for conn in (*self._in_use, *self._available):
            if address and conn.getpeername() != address:
                continue
            yield conn

    def apply_moving_notification(
        self,
        notification: NodeMovingNotification,
        config: MaintNotificationsConfig,
        moving_address_src: str | None,
        run_proactive_reconnect: bool = False,
    ) -> None:
        """Point the connections to ``moving_address_src`` (and the pool's new
        ones) at the new host, with relaxed timeouts; with
        ``run_proactive_reconnect``, reconnect them (see
        :meth:`run_proactive_reconnect`)."""
        key = hash(notification)
        relax = config.is_relaxed_timeouts_enabled()
        for conn in self._maintained(moving_address_src):
            conn.maintenance_state = MaintenanceState.MOVING
            conn.maintenance_notification_hash = key
            if notification.new_node_host is not None:
                conn.set_tmp_settings(tmp_host_address=notification.new_node_host)
            if relax:
                conn.set_tmp_settings(tmp_relaxed_timeout=config.relaxed_timeout)
            conn.update_current_socket_timeout(config.relaxed_timeout)
        if run_proactive_reconnect:
            self.run_proactive_reconnect(moving_address_src)
        self.update_connection_kwargs(**_moving_kwargs(notification, config))

    def run_proactive_reconnect(self, moving_address_src: str | None = None) -> None:
        """Reconnect the connections to ``moving_address_src`` (every one when
        ``None``): idle ones are closed now and connect again at their next use,
        busy ones are marked and closed when given back."""
        idle: list[Connection] = []
        for conn in self._maintained(moving_address_src):
            if conn in self._in_use:
                conn.mark_for_reconnect()
            else:
                idle.append(conn)
        for conn in idle:
            conn._close_for_reconnect()

    def cleanup_moving_notification(
        self,
        notification_hash: int,
        reset_relaxed_timeout: bool,
        reset_host_address: bool,
    ) -> None:
        """Undo the MOVING ``notification_hash`` once its ttl is over: the pool's
        arguments (unless a later MOVING changed them) and its connections."""
        kwargs = _moved_kwargs(self.connection_kwargs, notification_hash)
        if kwargs is not None:
            self.update_connection_kwargs(**kwargs)
        conns: Iterable[Connection] = (*self._in_use, *self._available)
        for conn in conns:
            if conn.maintenance_notification_hash != notification_hash:
                continue
            conn.maintenance_state = MaintenanceState.NONE
            conn.maintenance_notification_hash = None
            conn.reset_tmp_settings(
                reset_host_address=reset_host_address,
                reset_relaxed_timeout=reset_relaxed_timeout,
            )
            conn.update_current_socket_timeout(-1)

    def _cancel_maintenance(self) -> None:
        handler = self._maint_notifications_pool_handler
        if handler is not None:
            handler.cancel_scheduled_tasks()
