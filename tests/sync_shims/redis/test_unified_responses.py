"""The blocking ``sync_shims.redis`` clients with ``legacy_responses=False``
(redis-py 8's unified reply shapes) against blocking redis-py 8.1 with the
same flag; the converters themselves are compared command by command in
tests/redis/test_unified_responses.py."""

from __future__ import annotations

from typing import Any

import pytest
import redis

import sync_shims.redis as shim
from aio.redis import DataError

K = "uni-sync:"


def _calls(r: Any) -> list[Any]:
    r.delete(K + "z", K + "x", K + "h")
    r.zadd(K + "z", {"a": 1, "b": 2.5})
    r.xadd(K + "x", {"f": "v"}, id="1-0")
    r.hset(K + "h", "a", "1")
    try:
        pipe = r.pipeline()
        pipe.zrange(K + "z", 0, -1, withscores=True).zpopmax(K + "z", 2)
        return [
            r.zrange(K + "z", 0, -1, withscores=True),
            r.zscan(K + "z"),
            r.xread({K + "x": "0"}),
            r.hrandfield(K + "h", 1, withvalues=True),
            r.bzpopmin([K + "z"], timeout=1),
            r.config_get("maxmemory"),
            pipe.execute(),
        ]
    finally:
        r.delete(K + "z", K + "x", K + "h")


@pytest.mark.parametrize("decode", [False, True], ids=["bytes", "decoded"])
@pytest.mark.parametrize("protocol", [2, 3])
def test_blocking_unified_shapes_as_redis_py(
    redis_url: str, protocol: int, decode: bool
) -> None:
    options = {
        "protocol": protocol,
        "decode_responses": decode,
        "legacy_responses": False,
    }
    ours = shim.Redis.from_url(redis_url, **options)
    theirs = redis.Redis.from_url(redis_url, **options)
    try:
        assert _calls(ours) == _calls(theirs)
    finally:
        ours.close()
        theirs.close()


def test_blocking_from_url_option_and_module_refusal(redis_url: str) -> None:
    r = shim.Redis.from_url(f"{redis_url}?legacy_responses=false")
    try:
        r.zadd(K + "z", {"a": 1})
        assert r.zpopmin(K + "z") == [[b"a", 1.0]]
        with pytest.raises(DataError, match="legacy_responses=False"):
            r.json()
    finally:
        r.delete(K + "z")
        r.close()


@pytest.mark.parametrize("protocol", [2, 3])
def test_blocking_cluster_unified_shapes_as_redis_py(
    redis_cluster: list[tuple[str, int]], protocol: int
) -> None:
    from redis.cluster import RedisCluster as RedispyCluster

    host, port = redis_cluster[0]
    ours = shim.RedisCluster.from_url(
        f"redis://{host}:{port}/0?legacy_responses=false&protocol={protocol}"
    )
    theirs = RedispyCluster(
        host=host, port=port, protocol=protocol, legacy_responses=False
    )
    try:
        assert _calls(ours)[:5] == _calls(theirs)[:5]
        with pytest.raises(DataError, match="legacy_responses=False"):
            ours.ts()
    finally:
        ours.close()
        theirs.close()


def test_blocking_multidb_ft_refuses_a_unified_database(redis_url: str) -> None:
    from urllib.parse import urlsplit

    import sync_shims.redis.multidb.client as multidb
    import sync_shims.redis.multidb.config as config

    url = urlsplit(redis_url)
    databases = [
        config.DatabaseConfig(
            weight=weight,
            client_kwargs={
                "host": url.hostname,
                "port": url.port,
                "legacy_responses": legacy,
            },
        )
        for weight, legacy in [(0.9, True), (0.2, False)]
    ]
    with pytest.warns(UserWarning, match="experimental"):
        client = multidb.MultiDBClient(
            config.MultiDbConfig(databases_config=databases, health_check_interval=60.0)
        )
    try:
        with pytest.raises(DataError, match="legacy_responses=False"):
            client.ft("idx")
    finally:
        client.close()
