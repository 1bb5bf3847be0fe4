"""Run redis-py's OWN asyncio cluster tests against redis-py or ``aio.redis``.

``python tests/redis/redispy_async_cluster_suite.py [--mode aio|redis-py]
[file.py ...]`` (file names relative to the suite's ``tests/test_asyncio/``;
default: ``test_cluster.py`` and ``test_cluster_transaction.py``) runs them in
one pytest process against a private Redis Cluster (three masters with a replica
each, :func:`tests.plugins.redispy_tree.private_cluster`), with ``redis.asyncio``
redirected to ``aio.redis`` (``redispy_async_redirect.py``) in ``aio`` mode.

The tests deselected below are listed with the reason; CI runs both modes
through ``test_redispy_async_cluster_suite.py``. Results: ``docs/redis.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plugins import redispy_runner

PLUGIN = Path(__file__).resolve().with_name("redispy_async_redirect.py")
DEFAULT_FILES = ("test_cluster.py", "test_cluster_transaction.py")

# Deselected in BOTH modes: they fail with real redis-py against the private
# cluster (Redis 7.0.15 on free ports), or need what it cannot give.
_CI_PORTS = "asks for the node at port 16379 (redis-py CI's cluster)"
DESELECT_ALWAYS: dict[str, str] = {
    "test_cluster.py::TestRedisClusterObj::test_cluster_retry_object": _CI_PORTS,
    "test_cluster.py::TestRedisClusterObj::test_deprecated_lib_name_lib_version": (
        _CI_PORTS
    ),
    "test_cluster.py::TestRedisClusterObj::test_startup_nodes": _CI_PORTS,
    "test_cluster.py::TestClusterRedisCommands::test_acl_log": (
        "Redis 7.0 logs 2 ACL entries where newer servers log 3"
    ),
}

# Deselected in aio mode only: each drives redis-py's internals (its mocks
# stand in for redis-py's own objects, which aio does not use).
_OTEL = "redis-py's OpenTelemetry metric hooks (redis.observability)"
_MOCKED_CLIENT = (
    "get_mocked_redis_client: patches redis-py's ClusterNode.execute_command and"
    " AsyncCommandsParser.initialize to fake a cluster at 127.0.0.1:7000; aio"
    " reads the slot map on its own connections"
)
_MOCK_NODE = (
    "mock_node_resp*/mock_all_nodes_resp: put an AsyncMock of redis-py's"
    " Connection in the node's private _free list, with canned replies"
)
_NODE_PARSE = "patches redis-py's ClusterNode.parse_response"
_NODE_EXECUTE = (
    "patches redis-py's ClusterNode.execute_command, which aio's routing does"
    " not call (it sends on the node's pool)"
)
_NODE_CONNECTIONS = (
    "redis-py's ClusterNode connection plumbing (acquire_connection, release,"
    " _free, disconnect_if_needed, update_active_connections_for_reconnect);"
    " aio's nodes have a pool"
)
DESELECT_AIO: dict[str, str] = {
    **{
        f"test_cluster.py::{name}": _OTEL
        for name in (
            "TestAsyncClusterMetricsRecording",
            "TestAsyncClusterPipelineMetricsRecording",
        )
    },
    **{
        f"test_cluster.py::{name}": _MOCKED_CLIENT
        for name in (
            "TestRedisClusterObj::test_host_port_startup_node",
            "TestRedisClusterObj::test_aclosing",
            "TestRedisClusterObj::test_close_is_aclose",
            "TestClusterRedisCommands::test_cluster_slots",
            "TestClusterRedisCommands::test_cluster_delslots",
            "TestClusterRedisCommands::test_cluster_delslotsrange",
            "TestClusterRedisCommands::test_readonly",
            "TestClusterRedisCommands::test_readwrite",
            "TestNodesManager::test_init_slots_cache_not_all_slots_covered",
            "TestNodesManager::test_init_slots_cache_not_require_full_coverage_success",
            "TestNodesManager::test_init_slots_cache",
            "TestNodesManager::test_init_slots_cache_cluster_mode_disabled",
            "TestNodesManager::test_init_slots_cache_slots_collision",
            "TestNodesManager::test_cluster_one_instance",
            "TestNodesManager::test_init_with_down_node",
            "TestNodesManager::test_init_slots_dynamic_startup_nodes",
            "TestNodesManager::test_move_slot_dispatches_event_when_slot_moves_to_new_node",
            "TestNodesManager::test_move_slot_dispatches_event_on_failover",
            "TestNodesManager::test_move_slot_skips_dispatch_on_circular_redirect",
            "TestClusterConnectionErrorHandling::test_connection_error_calls_move_node_to_end_of_cached_nodes",
            "TestClusterPipeline::test_pipeline_nodes_manager_property",
            "TestClusterPipeline::test_pipeline_set_response_callback",
        )
    },
    **{
        f"test_cluster.py::{name}": _MOCK_NODE
        for name in (
            "TestRedisClusterObj::test_execute_command_node_flag_primaries",
            "TestRedisClusterObj::test_execute_command_node_flag_replicas",
            "TestRedisClusterObj::test_execute_command_node_flag_all_nodes",
            "TestRedisClusterObj::test_execute_command_node_flag_random",
            "TestRedisClusterObj::test_execute_command_default_node",
            "TestRedisClusterObj::test_default_node_is_replaced_after_exception",
            "TestClusterRedisCommands::test_cluster_addslots",
            "TestClusterRedisCommands::test_cluster_addslotsrange",
            "TestClusterRedisCommands::test_cluster_countkeysinslot",
            "TestClusterRedisCommands::test_cluster_count_failure_report",
            "TestClusterRedisCommands::test_cluster_failover",
            "TestClusterRedisCommands::test_cluster_keyslot",
            "TestClusterRedisCommands::test_cluster_meet",
            "TestClusterRedisCommands::test_cluster_nodes",
            "TestClusterRedisCommands::test_cluster_nodes_importing_migrating",
            "TestClusterRedisCommands::test_cluster_replicate",
            "TestClusterRedisCommands::test_cluster_reset",
            "TestClusterRedisCommands::test_cluster_save_config",
            "TestClusterRedisCommands::test_cluster_get_keys_in_slot",
            "TestClusterRedisCommands::test_cluster_set_config_epoch",
            "TestClusterRedisCommands::test_cluster_setslot",
            "TestClusterRedisCommands::test_cluster_setslot_stable",
            "TestClusterRedisCommands::test_cluster_replicas",
            "TestClusterPipeline::test_asking_error",
            "TestClusterPipeline::test_pipeline_with_default_node_error_command",
            "TestClusterPipeline::test_readonly_pipeline_from_readonly_client",
            "TestClusterPipeline::test_readonly_pipeline_with_reading_from_replicas_strategies",
        )
    },
    **{
        f"test_cluster_transaction.py::TestClusterTransaction::{name}": _MOCK_NODE
        for name in (
            "test_retry_transaction_on_connection_error",
            "test_retry_transaction_on_connection_error_with_watched_keys",
        )
    },
    **{
        f"test_cluster.py::TestRedisClusterObj::{name}": _NODE_EXECUTE
        for name in (
            "test_ask_redirection",
            "test_moved_redirection",
            "test_moved_redirection_after_failover",
            "test_moved_redirection_circular_moved",
        )
    },
    **{
        f"test_cluster.py::TestClusterPipeline::{name}": _NODE_PARSE
        for name in (
            "test_cluster_down_error",
            "test_connection_error_not_raised",
            "test_connection_error_raised",
            "test_moved_redirection_on_slave_with_default",
        )
    },
    **{
        f"test_cluster_transaction.py::TestClusterTransaction::{name}": _NODE_PARSE
        for name in (
            "test_retry_transaction_during_unfinished_slot_migration",
            "test_retry_transaction_during_slot_migration_successful",
            "test_retry_transaction_with_watch_during_slot_migration",
        )
    },
    "test_cluster.py::TestClusterNodeConnectionHandling": _NODE_CONNECTIONS,
    "test_cluster.py::TestRedisClusterObj::test_cluster_set_get_retry_object": (
        _NODE_CONNECTIONS
    ),
    "test_cluster.py::TestClusterConnectionErrorHandling::test_connection_error_handles_node_connections": (
        _NODE_CONNECTIONS
    ),
    "test_cluster.py::TestNodesManager::test_initialize_reuses_nodes_cache_nodes_in_slots_cache": (
        _NODE_CONNECTIONS
    ),
    "test_cluster.py::TestNodesManager::test_set_nodes_disconnects_removed_node_connections_after_use": (
        _NODE_CONNECTIONS
    ),
    "test_cluster.py::TestNodesManager::test_load_balancer": (
        "redis-py's private NodesManager.read_load_balancer"
    ),
    "test_cluster.py::TestNodesManager::test_initialize_uses_shuffled_startup_nodes": (
        "patches redis.asyncio.cluster.random.shuffle and redis-py's"
        " NodesManager.initialize internals"
    ),
    "test_cluster.py::TestRedisClusterObj::test_reading_with_load_balancing_strategies": (
        "patches redis-py's Connection (can_read_destructive, _connect...) and"
        " ClusterNode.parse_response"
    ),
    "test_cluster.py::TestRedisClusterObj::test_refresh_using_specific_nodes": (
        "patches redis-py's Connection.send_packed_command and read_response"
    ),
    "test_cluster.py::TestRedisClusterObj::test_cluster_down_overreaches_retry_attempts": (
        "patches redis-py's private RedisCluster._execute_command"
    ),
    "test_cluster.py::TestRedisClusterObj::test_himport_set_moved_after_ask_uses_moved_target": (
        "patches redis-py's private RedisCluster._determine_slot"
    ),
    "test_cluster.py::TestClusterPubSubWithMocks": (
        "builds redis-py's ClusterPubSub on a Mock cluster and calls its private"
        " _get_node_pubsub / connection-pool adapter"
    ),
    **{
        f"test_cluster_transaction.py::TestClusterTransaction::{name}": (
            "reads redis-py's private ClusterPipeline._execution_strategy"
        )
        for name in (
            "test_transaction_discard",
            "test_pipeline_reset_releases_connection_when_cancelled",
        )
    },
}  # fmt: skip

# Deliberate differences, documented in docs/redis.md: expected to fail in aio
# mode (the CI test checks they still do).
AIO_DIFFERENCES: dict[str, str] = {
    "test_cluster.py::TestClusterPipeline::test_blocked_methods": (
        "cluster pipelines accept the multi-key commands redis-py blocks there"
        " (MGET, RENAME, SDIFF... within one slot) and keyless ones (PING,"
        " INFO... on the default node)"
    ),
}

# Behaviour aio.redis does NOT yet share with redis-py, to fix (the CI test
# fails when one of these starts passing, so the list only shrinks).
KNOWN_AIO_FAILURES: dict[str, str] = {}


RUNNER = redispy_runner.Runner(
    ours="aio",
    redirect=PLUGIN,
    default_files=DEFAULT_FILES,
    deselect_always=DESELECT_ALWAYS,
    deselect_ours=DESELECT_AIO,
    differences=AIO_DIFFERENCES,
    known_failures=KNOWN_AIO_FAILURES,
    description=__doc__ or "",
    subdir="test_asyncio/",
    cluster=True,
)

command = RUNNER.command
run = RUNNER.run
main = RUNNER.main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
