"""The blocking ``RedisCluster``'s re-authentication when a
``StreamingCredentialProvider`` pushes a token, on the private cluster
(``redis_cluster``) with two ACL users made on every node, with redis-py's
blocking ``redis.cluster.RedisCluster`` as the oracle.

The provider calls the client's callbacks from its own thread (here, the
test's), as redis-py's token manager does with a blocking client: the call
returns once every node's connections are re-authenticated.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from types import ModuleType
from typing import Any

import pytest
import redis as redispy

from tests.redis.reauth_scaffold import (
    BLOCKING_LIBS,
    Session,
    acl_user,
    cluster,
    session,
)
from tests.redis.reauth_scaffold import token as _token

OLD, OLD_PASSWORD = "cluster-app-old", "old-s3cret"
NEW, NEW_PASSWORD = "cluster-app-new", "new-s3cret"


Nodes = list[tuple[str, int]]
Admins = dict[str, redispy.Redis]


@pytest.fixture
def admins(redis_cluster: Nodes) -> Iterator[Admins]:
    """A plain redis-py client per node, by name, with the ACL users OLD and
    NEW made on every node; they go at the end, and their connections too."""
    clients = {
        f"{host}:{port}": redispy.Redis(host=host, port=port, decode_responses=True)
        for host, port in redis_cluster
    }
    try:
        for admin in clients.values():
            for user, password in ((OLD, OLD_PASSWORD), (NEW, NEW_PASSWORD)):
                admin.acl_setuser(user, **acl_user(password, reset_passwords=True))
        yield clients
    finally:
        for admin in clients.values():
            admin.acl_deluser(OLD, NEW)
            admin.close()


def _session(
    libs: tuple[ModuleType, ...], admins: Admins
) -> AbstractContextManager[Session]:
    """A streaming provider of OLD and a cluster client subscribed to it,
    closed at the end."""
    return session(
        libs,
        OLD,
        OLD_PASSWORD,
        lambda lib, p: cluster(lib, admins, p, decode_responses=True),
    )


def _whoami_everywhere(client: Any) -> dict[str, str]:
    return {
        node.name: client.execute_command("ACL WHOAMI", target_nodes=node)
        for node in client.get_nodes()
    }


def _users(admins: Admins) -> dict[str, list[str]]:
    users = {}
    for name, admin in admins.items():
        listed = (c["user"] for c in admin.client_list())
        users[name] = sorted(u for u in listed if u in (OLD, NEW))
    return users


@BLOCKING_LIBS
def test_every_node_re_authenticates(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    with _session(libs, admins) as (provider, client, lib, token):
        assert provider.next is not None
        assert _whoami_everywhere(client) == dict.fromkeys(admins, OLD)

        provider.next(_token(token, NEW, NEW_PASSWORD))  # blocks until done

        users = _users(admins)
        assert all(users[name] and set(users[name]) == {NEW} for name in admins)
        assert _whoami_everywhere(client) == dict.fromkeys(admins, NEW)


@BLOCKING_LIBS
def test_a_command_in_flight_re_authenticates_when_it_returns(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    with _session(libs, admins) as (provider, client, lib, token):
        name = client.get_node_from_key("queue").name
        admin = admins[name]
        popped: list[Any] = []
        blocked = threading.Thread(
            target=lambda: popped.append(client.blpop("queue", timeout=0))
        )
        blocked.start()
        try:
            while not any(c["cmd"] == "blpop" for c in admin.client_list()):
                threading.Event().wait(0.01)
            provider.next(_token(token, NEW, NEW_PASSWORD))
            assert NEW not in _users(admins)[name]  # blocked: not yet
        finally:
            admin.lpush("queue", "x")
            blocked.join()
        assert list(popped[0]) == ["queue", "x"]
        # back in its node's pool: AUTH on release, in both
        assert _users(admins)[name] == [NEW]


@BLOCKING_LIBS
def test_on_error_raises_event_exception(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    event = libs[3]
    with _session(libs, admins) as (provider, client, *_):
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            provider.error(error)
        assert caught.value.exception is error
        assert caught.value.event.credential_provider is provider
        assert caught.value.event.client_type is event.ClientType.SYNC
        assert _whoami_everywhere(client) == dict.fromkeys(admins, OLD)


@BLOCKING_LIBS
def test_refused_token_raises_to_the_provider(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    with _session(libs, admins) as (provider, client, lib, token):
        _whoami_everywhere(client)
        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            provider.next(_token(token, NEW, "wrong"))
