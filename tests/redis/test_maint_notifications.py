"""Maintenance notifications without sockets: the configuration, the notification
classes, push parsing, the connection and pool handlers, and what pools put in
their connection arguments, each checked against redis-py 8.1 (the oracle) where
it has the same thing. Over the wire: ``test_maint_notifications_wire.py``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from unittest import mock

import pytest
import redis.asyncio as redispy_asyncio
import redis.maint_notifications as oracle
from redis._parsers.base import MaintenanceNotificationsParser

from aio.redis import (
    BlockingConnectionPool,
    Connection,
    ConnectionPool,
    Redis,
    UnixDomainSocketConnection,
)
from aio.redis.exceptions import InvalidResponse, RedisError
from aio.redis.maint_notifications import (
    EndpointType,
    MaintenanceNotification,
    MaintenanceState,
    MaintNotificationsConfig,
    MaintNotificationsConnectionHandler,
    MaintNotificationsPoolHandler,
    NodeFailedOverNotification,
    NodeFailingOverNotification,
    NodeMigratedNotification,
    NodeMigratingNotification,
    NodeMovingNotification,
    OSSNodeMigratedNotification,
    OSSNodeMigratingNotification,
    parse_notification,
)

HOST = "12.45.34.56"
MOVED = "1.2.3.4"


# -- configuration -------------------------------------------------------------------


def test_config_defaults_and_repr_as_redis_py() -> None:
    ours, theirs = MaintNotificationsConfig(), oracle.MaintNotificationsConfig()
    assert (ours.enabled, ours.proactive_reconnect, ours.relaxed_timeout) == (
        theirs.enabled,
        theirs.proactive_reconnect,
        theirs.relaxed_timeout,
    )
    assert ours.endpoint_type is None
    assert repr(ours) == repr(theirs)
    custom = {"enabled": True, "proactive_reconnect": False, "relaxed_timeout": 30}
    assert repr(MaintNotificationsConfig(**custom)) == repr(
        oracle.MaintNotificationsConfig(**custom)
    )


@pytest.mark.parametrize("relaxed", [20, 0, None, -1, 0.5])
def test_relaxed_timeouts_enabled_as_redis_py(relaxed: float | None) -> None:
    ours = MaintNotificationsConfig(relaxed_timeout=relaxed)
    theirs = oracle.MaintNotificationsConfig(relaxed_timeout=relaxed)
    assert ours.is_relaxed_timeouts_enabled() is theirs.is_relaxed_timeouts_enabled()
    assert ours.relaxed_timeout == relaxed


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"enabled": "yes"}, "enabled must be"),
        ({"enabled": 1}, "enabled must be"),
        ({"relaxed_timeout": -2}, "relaxed_timeout must be"),
        ({"relaxed_timeout": "10"}, "relaxed_timeout must be"),
        ({"relaxed_timeout": True}, "relaxed_timeout must be"),
        ({"endpoint_type": "intranet"}, "endpoint_type must be"),
    ],
)
def test_config_refuses_bad_values(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MaintNotificationsConfig(**kwargs)


def test_endpoint_type_given_by_its_word() -> None:
    config = MaintNotificationsConfig(endpoint_type="external-fqdn")  # type: ignore[arg-type]
    assert config.endpoint_type is EndpointType.EXTERNAL_FQDN
    assert [t.value for t in EndpointType] == [t.value for t in oracle.EndpointType]
    assert str(EndpointType.NONE) == str(oracle.EndpointType.NONE) == "none"


class _Resolved:
    def __init__(self, ip: str | None) -> None:
        self.ip = ip

    def get_resolved_ip(self) -> str | None:
        return self.ip


@pytest.mark.parametrize(
    ("host", "resolved"),
    [
        ("127.0.0.1", None),
        ("192.168.1.1", "192.168.1.1"),
        ("8.8.8.8", None),
        ("::1", None),
        ("2001:4860:4860::8888", None),
        ("localhost", "127.0.0.1"),
        ("db123.redis.com", "8.8.8.8"),
        ("redis.internal.company.com", "10.8.8.8"),
        ("server.local", None),
        ("example.com", None),
        ("single-label", None),
        ("x.corp", "8.8.8.8"),
    ],
)
def test_endpoint_type_as_redis_py(host: str, resolved: str | None) -> None:
    ours = MaintNotificationsConfig().get_endpoint_type(host, _Resolved(resolved))
    theirs = oracle.MaintNotificationsConfig().get_endpoint_type(
        host,
        _Resolved(resolved),  # type: ignore[arg-type]
    )
    assert ours.value == theirs.value


def test_endpoint_type_override() -> None:
    config = MaintNotificationsConfig(endpoint_type=EndpointType.NONE)
    assert config.get_endpoint_type("8.8.8.8", _Resolved(None)) is EndpointType.NONE


# -- notifications ---------------------------------------------------------------------


def _both(name: str, *args: Any) -> tuple[Any, Any]:
    import aio.redis.maint_notifications as ours

    return getattr(ours, name)(*args), getattr(oracle, name)(*args)


_SAMPLES = [
    ("NodeMovingNotification", 1, "h1", 6379, 10),
    ("NodeMovingNotification", 1, "h1", 6379, 20),
    ("NodeMovingNotification", 1, "h2", 6379, 10),
    ("NodeMovingNotification", 1, "h1", 6380, 10),
    ("NodeMovingNotification", 2, "h1", 6379, 10),
    ("NodeMovingNotification", 1, None, None, 10),
    ("NodeMigratingNotification", 1, 5),
    ("NodeMigratingNotification", 1, 9),
    ("NodeMigratingNotification", 2, 5),
    ("NodeMigratedNotification", 1),
    ("NodeFailingOverNotification", 1, 5),
    ("NodeFailedOverNotification", 1),
    ("OSSNodeMigratingNotification", 1, "1-10"),
    ("OSSNodeMigratingNotification", 1, "11-20"),
    ("OSSNodeMigratedNotification", 1, {"a:1": [{"b:2": "1-10"}]}),
]


def test_equality_and_hashing_as_redis_py() -> None:
    pairs = [_both(name, *args) for name, *args in _SAMPLES]
    for i, (ours_a, theirs_a) in enumerate(pairs):
        for ours_b, theirs_b in pairs[i:]:
            same = theirs_a == theirs_b
            assert (ours_a == ours_b) is same, (ours_a, ours_b)
            if same:
                assert hash(ours_a) == hash(ours_b)
    assert len({ours for ours, _ in pairs}) == len({theirs for _, theirs in pairs})


@pytest.mark.parametrize(("name", "args"), [(s[0], s[1:]) for s in _SAMPLES[5:]])
def test_repr_ttl_and_expiry_as_redis_py(name: str, args: tuple[Any, ...]) -> None:
    with mock.patch("time.monotonic", return_value=1000.0):
        ours, theirs = _both(name, *args)
    assert (ours.id, ours.ttl, ours.creation_time, ours.expire_at) == (
        theirs.id,
        theirs.ttl,
        theirs.creation_time,
        theirs.expire_at,
    )
    with mock.patch("time.monotonic", return_value=1002.0):
        if getattr(ours, "new_node_host", "") is None:
            # redis-py quotes the None ('None'); ours is the value's repr.
            assert "new_node_host=None," in repr(ours)
        else:
            assert repr(ours) == repr(theirs)
    for now in (1000 + ours.ttl, 1000 + ours.ttl + 1):
        with mock.patch("time.monotonic", return_value=float(now)):
            assert ours.is_expired() is theirs.is_expired()


def test_default_ttls_as_redis_py() -> None:
    for cls in (
        NodeMigratedNotification,
        NodeFailedOverNotification,
        OSSNodeMigratingNotification,
        OSSNodeMigratedNotification,
    ):
        assert cls.DEFAULT_TTL == getattr(oracle, cls.__name__).DEFAULT_TTL


def test_base_class_is_abstract() -> None:
    with pytest.raises(TypeError):
        MaintenanceNotification(id=1, ttl=10)  # type: ignore[abstract]


# -- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        [b"MOVING", 1, 10, b"1.2.3.4:6379"],
        ["MOVING", 7, 3, "2001:db8::1:6380"],
        [b"MOVING", 2, 10, None],
        [b"MIGRATING", 3, 5],
        [b"MIGRATING", 3, 5, [b"shard-1"]],
        ["FAILING_OVER", 4, 20],
        [b"MIGRATED", 3],
        [b"FAILED_OVER", 4, [b"shard-1"]],
        [b"SMIGRATING", 5, b"1-10,12"],
        [b"SMIGRATED", 6, [[b"a:1", b"b:2", b"1-10"], [b"a:1", b"c:3", b"11-20"]]],
    ],
)
def test_parse_as_redis_py(message: list[Any]) -> None:
    kind = message[0].decode() if isinstance(message[0], bytes) else message[0]
    parser = MaintenanceNotificationsParser
    theirs: Any
    if kind == "MOVING":
        theirs = parser.parse_moving_msg(message)
    elif kind == "SMIGRATING":
        theirs = parser.parse_oss_maintenance_start_msg(message)
    elif kind == "SMIGRATED":
        theirs = parser.parse_oss_maintenance_completed_msg(message)
    else:
        cls = getattr(oracle, type(parse_notification(message)).__name__)
        if kind in ("MIGRATING", "FAILING_OVER"):
            theirs = parser.parse_maintenance_start_msg(message, cls)
        else:
            theirs = parser.parse_maintenance_completed_msg(message, cls)
    ours = parse_notification(message)
    assert type(ours).__name__ == type(theirs).__name__
    assert vars(ours).keys() == vars(theirs).keys()
    for key in vars(ours):
        if key not in ("creation_time", "expire_at"):
            assert getattr(ours, key) == getattr(theirs, key), key


@pytest.mark.parametrize(
    "message",
    [[], [b"message", b"ch", b"hi"], [b"invalidate", [b"k"]], [42], [[b"MOVING"]]],
)
def test_other_pushes_are_not_notifications(message: list[Any]) -> None:
    assert parse_notification(message) is None


@pytest.mark.parametrize(
    "message",
    [
        [b"MOVING", 1, 10],  # no endpoint
        [b"MOVING", 1, 10, b"no-port"],
        [b"MOVING", 1, 10, b"host:port"],
        [b"MOVING", b"x", 10, None],
        [b"MIGRATING", 1],  # no ttl
        [b"MIGRATING", 1, -5],
        [b"MIGRATING", True, 5],
        [b"FAILED_OVER"],
        [b"SMIGRATING", 1, 7],
        [b"SMIGRATED", 1, [[b"a:1", b"b:2"]]],
    ],
)
def test_malformed_notifications_are_typed_errors(message: list[Any]) -> None:
    with pytest.raises(InvalidResponse, match="malformed"):
        parse_notification(message)


# -- the connection handler -----------------------------------------------------------------


def _connection(**kwargs: Any) -> Connection:
    config = kwargs.pop("config", MaintNotificationsConfig(relaxed_timeout=30))
    return Connection(
        host=HOST,
        socket_timeout=2,
        socket_connect_timeout=3,
        protocol=3,
        maint_notifications_config=config,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (NodeMigratingNotification(1, 5), NodeMigratedNotification(1)),
        (NodeFailingOverNotification(2, 5), NodeFailedOverNotification(2)),
        (
            OSSNodeMigratingNotification(3, "1-10"),
            OSSNodeMigratedNotification(3, {}),
        ),
    ],
)
def test_connection_handler_relaxes_then_restores(
    start: MaintenanceNotification, end: MaintenanceNotification
) -> None:
    conn = _connection()
    handler = conn._maint_notifications_connection_handler
    assert handler is not None
    handler.handle_notification(start)
    assert conn.maintenance_state is MaintenanceState.MAINTENANCE
    assert (conn.socket_timeout, conn.socket_connect_timeout) == (30, 30)
    handler.handle_notification(end)
    assert conn.maintenance_state is MaintenanceState.NONE
    assert (conn.socket_timeout, conn.socket_connect_timeout) == (2, 3)
    assert conn.get_processed_start_notifications() == set()


def test_connection_handler_leaves_a_moving_connection_alone() -> None:
    conn = _connection()
    conn.maintenance_state = MaintenanceState.MOVING
    handler = MaintNotificationsConnectionHandler(conn, MaintNotificationsConfig())
    handler.handle_notification(NodeMigratingNotification(1, 5))
    assert conn.maintenance_state is MaintenanceState.MOVING
    assert conn.socket_timeout == 2


def test_connection_handler_without_relaxed_timeouts() -> None:
    conn = _connection(config=MaintNotificationsConfig(relaxed_timeout=-1))
    handler = conn._maint_notifications_connection_handler
    assert handler is not None
    handler.handle_notification(NodeFailingOverNotification(1, 5))
    assert conn.maintenance_state is MaintenanceState.NONE
    assert conn.socket_timeout == 2


def test_connection_handler_logs_a_moving(caplog: pytest.LogCaptureFixture) -> None:
    conn = _connection()
    handler = MaintNotificationsConnectionHandler(conn, MaintNotificationsConfig())
    with caplog.at_level(logging.ERROR, logger="aio.redis"):
        handler.handle_notification(NodeMovingNotification(1, MOVED, 6379, 5))
    assert "Unhandled notification type" in caplog.text
    assert conn.maintenance_state is MaintenanceState.NONE


def test_connection_without_config_takes_no_notifications() -> None:
    for config in (None, MaintNotificationsConfig(enabled=False)):
        conn = Connection(host=HOST, protocol=3, maint_notifications_config=config)
        assert conn.maint_notifications_config is None
        assert conn._maint_notifications_command() is None
    with pytest.raises(RedisError, match="only supported with RESP version 3"):
        Connection(host=HOST, protocol=2, maint_notifications_config=config_on())


def config_on(**kwargs: Any) -> MaintNotificationsConfig:
    return MaintNotificationsConfig(enabled=True, **kwargs)


def test_handshake_command_names_the_endpoint_type() -> None:
    conn = Connection(
        host="127.0.0.1", protocol=3, maint_notifications_config=config_on()
    )
    assert conn._maint_notifications_command() == (
        "CLIENT",
        "MAINT_NOTIFICATIONS",
        "ON",
        "moving-endpoint-type",
        "internal-ip",
    )
    # HELLO first, CLIENT SETINFO (LIB-NAME, LIB-VER) between, this one last.
    hello, *setinfo, command = conn._handshake_commands()
    assert hello[0] == "HELLO"
    assert [c[:3] for c in setinfo] == [
        ("CLIENT", "SETINFO", "LIB-NAME"),
        ("CLIENT", "SETINFO", "LIB-VER"),
    ]
    assert command[:2] == ("CLIENT", "MAINT_NOTIFICATIONS")


# -- pools --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"host": HOST},
        {"host": HOST, "protocol": 3},
        {"host": HOST, "protocol": "3"},
        {"host": HOST, "protocol": 2},
        {"host": HOST, "maint_notifications_config": config_on()},
        {"host": HOST, "maint_notifications_config": MaintNotificationsConfig(False)},
        {},
        {"connection_class": UnixDomainSocketConnection, "path": "/tmp/r.sock"},
    ],
    ids=str,
)
def test_pool_configuration_as_redis_py(kwargs: dict[str, Any]) -> None:
    theirs_kwargs = dict(kwargs)
    if "maint_notifications_config" in kwargs:
        enabled = kwargs["maint_notifications_config"].enabled
        theirs_kwargs["maint_notifications_config"] = oracle.MaintNotificationsConfig(
            enabled=enabled
        )
    if "connection_class" in kwargs:
        theirs_kwargs["connection_class"] = redispy_asyncio.UnixDomainSocketConnection
    ours = ConnectionPool(**kwargs)
    theirs = redispy_asyncio.ConnectionPool(**theirs_kwargs)
    assert ours.maint_notifications_enabled() == theirs.maint_notifications_enabled()
    keys = (
        "maint_notifications_config",
        "maint_notifications_pool_handler",
        "orig_host_address",
        "orig_socket_timeout",
        "orig_socket_connect_timeout",
    )
    for key in keys:
        assert (key in ours.connection_kwargs) is (key in theirs.connection_kwargs), key
    if ours.maint_notifications_enabled():
        handler = ours.connection_kwargs["maint_notifications_pool_handler"]
        assert isinstance(handler, MaintNotificationsPoolHandler)
        assert handler is ours._maint_notifications_pool_handler
        assert handler.pool is ours
        assert ours.connection_kwargs["orig_host_address"] == HOST


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"host": HOST, "protocol": 2}, "only supported with RESP version 3"),
        (
            {"connection_class": UnixDomainSocketConnection, "path": "/tmp/r.sock"},
            "not supported for Unix domain socket connections",
        ),
        ({}, "not supported for connections without a host"),
    ],
)
def test_pool_refuses_where_notifications_cannot_work(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(RedisError, match=message):
        ConnectionPool(maint_notifications_config=config_on(), **kwargs)
    with pytest.raises(oracle_redis_error(), match=message):
        redispy_asyncio.ConnectionPool(
            maint_notifications_config=oracle.MaintNotificationsConfig(enabled=True),
            **{
                **kwargs,
                **(
                    {"connection_class": redispy_asyncio.UnixDomainSocketConnection}
                    if "connection_class" in kwargs
                    else {}
                ),
            },
        )


def oracle_redis_error() -> type[Exception]:
    import redis.exceptions

    return redis.exceptions.RedisError


def test_pool_refuses_a_foreign_connection_class() -> None:
    class Foreign:
        def __init__(self, **kwargs: Any) -> None:
            self.kwargs = kwargs

    with pytest.raises(RedisError, match="not supported for connection class Foreign"):
        ConnectionPool(
            connection_class=Foreign,  # type: ignore[arg-type]
            host=HOST,
            maint_notifications_config=config_on(),
        )
    pool = ConnectionPool(connection_class=Foreign, host=HOST)  # type: ignore[arg-type]
    assert pool.maint_notifications_enabled() is None
    assert "maint_notifications_config" not in pool.make_connection().kwargs  # type: ignore[attr-defined]


def test_pool_takes_redis_py_config_objects() -> None:
    theirs = oracle.MaintNotificationsConfig(
        enabled=True, relaxed_timeout=7, endpoint_type=oracle.EndpointType.EXTERNAL_IP
    )
    pool = ConnectionPool(host=HOST, maint_notifications_config=theirs)
    config = pool.connection_kwargs["maint_notifications_config"]
    assert isinstance(config, MaintNotificationsConfig)
    assert (config.enabled, config.relaxed_timeout) == (True, 7)
    assert config.endpoint_type is EndpointType.EXTERNAL_IP
    with pytest.raises(TypeError, match="must be a MaintNotificationsConfig"):
        ConnectionPool(host=HOST, maint_notifications_config=True)


def test_client_config_reaches_its_pool() -> None:
    config = config_on()
    client = Redis(host=HOST, maint_notifications_config=config)
    pool = client.connection_pool
    assert pool.connection_kwargs["maint_notifications_config"] is config
    handler = pool._maint_notifications_pool_handler
    assert handler is not None and handler.config is config
    conn = pool.make_connection()
    assert conn.maint_notifications_config is config
    own = conn._maint_notifications_pool_handler
    assert own is not None and own is not handler
    assert own.connection is conn and own.pool is pool
    assert own._processed_notifications is handler._processed_notifications
    with pytest.raises(RedisError, match="only supported with RESP version 3"):
        Redis(host=HOST, protocol=2, maint_notifications_config=config)


def _moving_pool(
    pool_class: type[ConnectionPool] = ConnectionPool, **config: Any
) -> ConnectionPool:
    return pool_class(
        host=HOST,
        port=6379,
        socket_timeout=2,
        socket_connect_timeout=3,
        maint_notifications_config=config_on(**{"relaxed_timeout": 30, **config}),
    )


@pytest.mark.parametrize("pool_class", [ConnectionPool, BlockingConnectionPool])
def test_moving_then_its_end_as_redis_py(pool_class: type[ConnectionPool]) -> None:
    pool = _moving_pool(pool_class)
    busy, idle = pool._take(), pool._take()
    assert busy is not None and idle is not None
    pool._release(idle)
    config = pool.connection_kwargs["maint_notifications_config"]
    notification = NodeMovingNotification(1, MOVED, 6380, 5)
    pool.apply_moving_notification(notification, config, None, True)
    for conn in (busy, idle, pool.make_connection()):
        assert conn.maintenance_state is MaintenanceState.MOVING
        assert conn.maintenance_notification_hash == hash(notification)
        assert (conn.host, conn.port) == (MOVED, 6379)  # the port stays, as redis-py
        assert (conn.socket_timeout, conn.socket_connect_timeout) == (30, 30)
        assert conn.orig_host_address == HOST
    assert busy.should_reconnect() and not idle.should_reconnect()
    kwargs = pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"]) == (MOVED, 6379)
    assert kwargs["maintenance_state"] is MaintenanceState.MOVING
    pool.cleanup_moving_notification(hash(notification), True, True)
    for conn in (busy, idle, pool.make_connection()):
        assert conn.maintenance_state is MaintenanceState.NONE
        assert conn.maintenance_notification_hash is None
        assert (conn.host, conn.socket_timeout, conn.socket_connect_timeout) == (
            HOST,
            2,
            3,
        )
    assert kwargs["maintenance_state"] is MaintenanceState.NONE
    assert kwargs["host"] == HOST


def test_overlapping_movings_end_in_order() -> None:
    pool = _moving_pool()
    conn = pool._take()
    assert conn is not None
    config = pool.connection_kwargs["maint_notifications_config"]
    first = NodeMovingNotification(1, MOVED, 6379, 5)
    second = NodeMovingNotification(2, "5.6.7.8", 6379, 5)
    pool.apply_moving_notification(first, config, None)
    pool.apply_moving_notification(second, config, None)
    pool.cleanup_moving_notification(hash(first), True, True)
    assert pool.connection_kwargs["host"] == "5.6.7.8"
    assert conn.host == "5.6.7.8"
    assert conn.maintenance_notification_hash == hash(second)
    pool.cleanup_moving_notification(hash(second), True, True)
    assert pool.connection_kwargs["host"] == conn.host == HOST


def test_moving_without_relaxed_timeouts_keeps_them() -> None:
    pool = _moving_pool(relaxed_timeout=-1)
    conn = pool._take()
    assert conn is not None
    config = pool.connection_kwargs["maint_notifications_config"]
    pool.apply_moving_notification(NodeMovingNotification(1, MOVED, 1, 5), config, None)
    assert (conn.host, conn.socket_timeout) == (MOVED, 2)
    assert pool.connection_kwargs["socket_timeout"] == 2


class _RecordingPool:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def apply_moving_notification(self, **kwargs: Any) -> None:
        self.calls.append(("apply", kwargs))

    def run_proactive_reconnect(self, moving_address_src: str | None = None) -> None:
        self.calls.append(("reconnect", moving_address_src))

    def cleanup_moving_notification(self, **kwargs: Any) -> None:
        self.calls.append(("cleanup", kwargs))


async def test_pool_handler_applies_a_moving_once_and_schedules_its_end() -> None:
    pool = _RecordingPool()
    handler = MaintNotificationsPoolHandler(pool, config_on())  # type: ignore[arg-type]
    copy = handler.get_handler_for_connection()
    copy.set_connection(_connection())
    notification = NodeMovingNotification(1, MOVED, 6379, 60)
    copy.handle_notification(notification)
    handler.handle_notification(NodeMovingNotification(1, MOVED, 6379, 60))
    assert [name for name, _ in pool.calls] == ["apply"]
    assert pool.calls[0][1]["run_proactive_reconnect"] is True
    assert pool.calls[0][1]["moving_address_src"] is None  # not connected
    (timer,) = handler._scheduled
    loop = asyncio.get_running_loop()
    assert 59 < timer.when() - loop.time() <= 60
    handler.cancel_scheduled_tasks()
    assert timer.cancelled() and not handler._scheduled


async def test_pool_handler_reconnects_half_way_when_no_host_is_named() -> None:
    pool = _RecordingPool()
    handler = MaintNotificationsPoolHandler(pool, config_on())  # type: ignore[arg-type]
    handler.handle_notification(NodeMovingNotification(1, None, None, 0))
    # ttl 0: both follow-ups are due at once, in order.
    for _ in range(3):
        await asyncio.sleep(0)
    assert [name for name, _ in pool.calls] == ["apply", "reconnect", "cleanup"]
    assert pool.calls[0][1]["run_proactive_reconnect"] is False
    assert not handler._scheduled


def test_pool_handler_does_nothing_when_both_features_are_off(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = _RecordingPool()
    config = config_on(proactive_reconnect=False, relaxed_timeout=-1)
    handler = MaintNotificationsPoolHandler(pool, config)  # type: ignore[arg-type]
    handler.handle_notification(NodeMovingNotification(1, MOVED, 1, 5))
    with caplog.at_level(logging.ERROR, logger="aio.redis"):
        handler.handle_notification(NodeMigratingNotification(1, 5))
    assert pool.calls == []
    assert "Unhandled notification type" in caplog.text


async def test_update_config_turns_notifications_on_later() -> None:
    pool = ConnectionPool(
        host=HOST, maint_notifications_config=MaintNotificationsConfig(False)
    )
    busy, idle = pool._take(), pool._take()
    assert busy is not None and idle is not None
    pool._release(idle)
    assert busy.maint_notifications_config is None
    config = config_on()
    await pool.update_maint_notifications_config(config)
    assert pool.maint_notifications_enabled() is True
    assert pool.connection_kwargs["maint_notifications_config"] is config
    for conn in (busy, idle):
        assert conn.maint_notifications_config is config
        assert conn._maint_dispatch is not None
    assert busy.should_reconnect() and not idle.should_reconnect()
    with pytest.raises(ValueError, match="Cannot disable"):
        await pool.update_maint_notifications_config(MaintNotificationsConfig(False))
    unix = ConnectionPool(connection_class=UnixDomainSocketConnection, path="/tmp/r")
    await unix.update_maint_notifications_config(MaintNotificationsConfig())
    assert unix.maint_notifications_enabled() is None
    with pytest.raises(RedisError, match="Unix domain socket"):
        await unix.update_maint_notifications_config(config)
