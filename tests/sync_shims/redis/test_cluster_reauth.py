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
from types import ModuleType
from typing import Any

import pytest
import redis as redispy
import redis.auth.token as redispy_token
import redis.credentials as redispy_credentials
import redis.event as redispy_event

import sync_shims.redis as shim
import sync_shims.redis.auth.token as shim_token
import sync_shims.redis.credentials as shim_credentials
import sync_shims.redis.event as shim_event

OLD, OLD_PASSWORD = "cluster-app-old", "old-s3cret"
NEW, NEW_PASSWORD = "cluster-app-new", "new-s3cret"

SHIM = (shim, shim_credentials, shim_token, shim_event)
REDISPY = (redispy, redispy_credentials, redispy_token, redispy_event)
LIBS = pytest.mark.parametrize("libs", [SHIM, REDISPY], ids=["shim", "redis-py"])

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
                admin.acl_setuser(user, enabled=True, reset_passwords=True, passwords=[f"+{password}"], commands=["+@all"], keys=["*"], channels=["*"])  # fmt: skip
        yield clients
    finally:
        for admin in clients.values():
            admin.acl_deluser(OLD, NEW)
            admin.close()


def _provider(creds: ModuleType) -> Any:
    class Streaming(creds.StreamingCredentialProvider):  # type: ignore[name-defined,misc]
        """OLD's credentials at connect; keeps the client's callbacks."""

        def __init__(self) -> None:
            self.next: Any = None
            self.error: Any = None

        def get_credentials(self) -> tuple[str, str]:
            return OLD, OLD_PASSWORD

        def on_next(self, callback: Any) -> None:
            self.next = callback

        def on_error(self, callback: Any) -> None:
            self.error = callback

        def is_streaming(self) -> bool:
            return True

    return Streaming()


def _token(token_module: ModuleType, user: str, password: str) -> Any:
    return token_module.SimpleToken(password, -1, 0, {"oid": user})


def _cluster(lib: ModuleType, admins: Admins, provider: Any) -> Any:
    host, port = next(iter(admins)).split(":")
    return lib.RedisCluster(
        host=host, port=int(port), credential_provider=provider, decode_responses=True
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


@LIBS
def test_every_node_re_authenticates(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = _cluster(lib, admins, provider)
    try:
        assert provider.next is not None
        assert _whoami_everywhere(client) == dict.fromkeys(admins, OLD)

        provider.next(_token(token, NEW, NEW_PASSWORD))  # blocks until done

        users = _users(admins)
        assert all(users[name] and set(users[name]) == {NEW} for name in admins)
        assert _whoami_everywhere(client) == dict.fromkeys(admins, NEW)
    finally:
        client.close()


@LIBS
def test_a_command_in_flight_re_authenticates_when_it_returns(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = _cluster(lib, admins, provider)
    try:
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
    finally:
        client.close()


@LIBS
def test_on_error_raises_event_exception(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, _, event = libs
    provider = _provider(creds)
    client = _cluster(lib, admins, provider)
    try:
        error = RuntimeError("token service down")
        with pytest.raises(event.EventException) as caught:
            provider.error(error)
        assert caught.value.exception is error
        assert caught.value.event.credential_provider is provider
        assert caught.value.event.client_type is event.ClientType.SYNC
        assert _whoami_everywhere(client) == dict.fromkeys(admins, OLD)
    finally:
        client.close()


@LIBS
def test_refused_token_raises_to_the_provider(
    admins: Admins, libs: tuple[ModuleType, ...]
) -> None:
    lib, creds, token, _ = libs
    provider = _provider(creds)
    client = _cluster(lib, admins, provider)
    try:
        _whoami_everywhere(client)
        with pytest.raises(lib.AuthenticationError, match="invalid username-password"):
            provider.next(_token(token, NEW, "wrong"))
    finally:
        client.close()
