"""``ConnectionPool.from_url``: what wins between the URL and keyword arguments,
and how query values are decoded, with redis-py's ``from_url`` as the oracle."""

from __future__ import annotations

import pytest
import redis as redispy

from aio.redis import BlockingConnectionPool, ConnectionPool
from aio.redis._pool import parse_url

CASES = [
    # (url, keyword arguments)
    ("redis://localhost/2", {"db": 1}),
    ("redis://localhost/2?db=3", {"db": 1}),
    ("redis://localhost?db=3", {"db": 1}),
    ("redis://localhost/", {"db": 1}),
    ("redis://localhost", {"db": 1}),
    ("unix:///socket?db=2", {"db": 1}),
    ("redis://localhost?client_name=worker%2520name", {}),
    ("redis://localhost?client_name=worker%20name", {}),
    ("redis://localhost:6380?socket_timeout=2", {"socket_timeout": 9.0}),
    ("redis://u:p@localhost", {"password": "other"}),
    ("redis://localhost?socket_read_size=65536", {}),
]
KEYS = (
    "db",
    "client_name",
    "socket_timeout",
    "socket_read_size",
    "password",
    "host",
    "port",
    "path",
)


@pytest.mark.parametrize(("url", "kwargs"), CASES)
def test_from_url_matches_redis_py(url: str, kwargs: dict[str, object]) -> None:
    ours = ConnectionPool.from_url(url, **kwargs).connection_kwargs
    theirs = redispy.ConnectionPool.from_url(url, **kwargs).connection_kwargs
    for key in KEYS:
        assert ours.get(key) == theirs.get(key), (url, key)


def test_url_wins_over_keyword_arguments() -> None:
    pool = BlockingConnectionPool.from_url(
        "redis://localhost/2?max_connections=7&timeout=3", db=1, max_connections=50
    )
    assert pool.connection_kwargs["db"] == 2
    assert pool.max_connections == 7
    assert pool.timeout == 3.0


@pytest.mark.parametrize(
    "url", ["redis:foo.bar.com:12345", "localhost", "http://h", "redis:/h"]
)
def test_scheme_needs_its_slashes(url: str) -> None:
    with pytest.raises(ValueError, match=r"schemes \(redis://, rediss://, unix://\)"):
        parse_url(url)
    with pytest.raises(ValueError):
        redispy.ConnectionPool.from_url(url)  # the oracle refuses them too
