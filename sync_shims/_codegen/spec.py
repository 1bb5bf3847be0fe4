"""The facade spec: every blocking twin that ``python -m sync_shims._codegen`` writes.

Each :class:`Facade` becomes one checked-in module ``sync_shims/_generated_<name>.py``.
To expose an aio class to blocking code, add a :class:`Twin` naming the class and
the members to expose, run ``python -m sync_shims._codegen``, and commit the
generated file with the spec change (CI runs ``--check``). See ``docs/facades.md``.

Example (the shape of an entry; component owners add the real ones)::

    Facade(
        name="redis",
        doc="Blocking twins of the aio Redis client.",
        twins=(
            Twin(
                "aio.redis:Redis",
                members=("get", "set", "pipeline", "scan_iter", "aclose", "__aenter__"),
                wrap={"pipeline": "Pipeline"},
                batch={"scan_iter": 100},
            ),
            Twin("aio.redis:Pipeline", members=("execute", "__aenter__")),
        ),
    )
"""

from __future__ import annotations

from sync_shims._codegen._model import Facade as Facade
from sync_shims._codegen._model import Function as Function
from sync_shims._codegen._model import Twin as Twin

__all__ = ("FACADES", "Facade", "Function", "Twin")

_REDIS_SCAN = ("scan_iter", "hscan_iter", "sscan_iter", "zscan_iter")
# Command-mixin methods the blocking clients and pipelines write by hand
# (sync_shims.redis._client_mixin): a generated one would act on the async object.
_HAND_WRITTEN = ("load_external_module",)

FACADES: tuple[Facade, ...] = (
    Facade(
        name="redis",
        doc="Blocking twins of the aio Redis client (see sync_shims.redis).",
        twins=(
            Twin(
                "aio.redis:Redis",
                name="RedisTwin",
                members=(
                    "execute_command",
                    "get_connection_kwargs",
                    "get_retry",
                    "set_retry",
                    "set_response_callback",
                    "himport_prepare",
                    "himport_discard",
                    "himport_discard_all",
                    # redis-py's plain-client cluster(), watch() and unwatch()
                    # (the last two only warn: WATCH belongs on a pipeline)
                    "cluster",
                    "watch",
                    "unwatch",
                    "aclose",
                ),
                members_of=("aio.redis.commands:CoreCommands",),
                exclude=_HAND_WRITTEN,
                dispatch="_execute",
                batch=dict.fromkeys(_REDIS_SCAN, 100),
            ),
            Twin(
                "aio.redis:PubSub",
                name="PubSubTwin",
                members=(
                    "subscribed",
                    "connect",
                    "subscribe",
                    "unsubscribe",
                    "psubscribe",
                    "punsubscribe",
                    "ssubscribe",
                    "sunsubscribe",
                    "ping",
                    "get_message",
                    "listen",
                    # reset() is hand-written (sync_shims.redis.client.PubSub:
                    # close(), not the async deprecated alias): not generated.
                    "aclose",
                ),
            ),
            Twin(
                "aio.redis:Lock",
                name="LockTwin",
                members=(
                    "acquire",
                    "release",
                    "extend",
                    "reacquire",
                    "locked",
                    "owned",
                ),
            ),
            Twin(
                "aio.redis:Monitor",
                name="MonitorTwin",
                members=("__aenter__", "next_command", "listen", "aclose"),
            ),
        ),
    ),
    Facade(
        name="redis_cluster",
        doc="Blocking twins of the aio Redis Cluster client (see sync_shims.redis.cluster).",
        twins=(
            Twin(
                "aio.redis:RedisCluster",
                name="RedisClusterTwin",
                members=(
                    "execute_command",
                    "get_nodes",
                    "get_primaries",
                    "get_replicas",
                    "get_random_node",
                    "get_default_node",
                    "set_default_node",
                    "get_node",
                    "keyslot",
                    "get_node_from_key",
                    "get_nodes_from_slot",
                    "get_random_primary_node",
                    "get_random_primary_or_all_nodes",
                    "replace_default_node",
                    "get_connection_kwargs",
                    "set_response_callback",
                    "set_retry",
                    "mget_nonatomic",
                    "mset_nonatomic",
                    "himport_prepare",
                    "himport_discard",
                    "himport_discard_all",
                    # redis-py's client watch()/unwatch(): they only warn
                    "watch",
                    "unwatch",
                    "aclose",
                ),
                # the CLUSTER commands (cluster_info, cluster_nodes, ...) too
                members_of=(
                    "aio.redis.commands:CoreCommands",
                    "aio.redis.cluster:ClusterCommands",
                ),
                exclude=_HAND_WRITTEN,
                dispatch="_execute",
                batch=dict.fromkeys(_REDIS_SCAN, 100),
            ),
            Twin(
                "aio.redis:ClusterPipeline",
                name="ClusterPipelineTwin",
                members=(
                    "execute",
                    "reset",
                    "multi",
                    "watch",
                    "unwatch",
                    "discard",
                    "watching",
                    "explicit_transaction",
                    "set_response_callback",
                    "himport_prepare",
                    "himport_discard",
                    "himport_discard_all",
                ),
                members_of=(
                    "aio.redis.commands:CoreCommands",
                    "aio.redis.cluster:ClusterCommands",
                ),
                exclude=_HAND_WRITTEN,
                dispatch="_execute",
                batch=dict.fromkeys(_REDIS_SCAN, 100),
            ),
        ),
    ),
    Facade(
        name="redis_json",
        doc="Blocking twins of the aio RedisJSON commands (see sync_shims.redis.commands.json).",
        twins=(
            Twin(
                "aio.redis.commands.json:JSONCommands",
                name="JSONCommandsTwin",
                members=(),
                members_of=("aio.redis.commands.json:JSONCommands",),
                # by hand: on a pipeline they return the facade's pipeline
                exclude=("set_file", "set_path"),
                dispatch="_execute",
            ),
        ),
    ),
    Facade(
        name="redis_bf",
        doc="Blocking twins of the aio RedisBloom commands (see sync_shims.redis.commands.bf).",
        twins=tuple(
            Twin(
                f"aio.redis.commands.bf:{mixin}",
                name=f"{mixin}Twin",
                members=(),
                members_of=(f"aio.redis.commands.bf:{mixin}",),
                dispatch="_execute",
            )
            for mixin in (
                "BFCommands",
                "CFCommands",
                "CMSCommands",
                "TOPKCommands",
                "TDigestCommands",
            )
        ),
    ),
    Facade(
        name="redis_search",
        doc="Blocking twins of the aio search commands (see sync_shims.redis.commands.search).",
        twins=(
            Twin(
                "aio.redis.commands.search:SearchCommands",
                name="SearchCommandsTwin",
                members=(),
                members_of=("aio.redis.commands.search:SearchCommands",),
                dispatch="_execute",
            ),
        ),
    ),
)
