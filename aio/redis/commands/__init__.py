"""Redis command families as mixins, and the reply converters the client applies.

Each family is a mixin whose methods build a command and hand it to
``self.execute_command`` (see :mod:`aio.redis.commands._base` for the contract);
``CoreCommands`` combines them and is what ``aio.redis.Redis`` and its
``Pipeline`` inherit. Method names, argument names and order, defaults and the
Python shapes of the replies follow redis-py, on RESP2 and RESP3 alike.
"""

from __future__ import annotations

from aio.redis.commands._callbacks import (
    RESP3_RESPONSE_CALLBACKS as RESP3_RESPONSE_CALLBACKS,
)
from aio.redis.commands._callbacks import RESPONSE_CALLBACKS as RESPONSE_CALLBACKS
from aio.redis.commands.acl import AclCommands as AclCommands
from aio.redis.commands.arrays import (
    ArrayAggregateOperations as ArrayAggregateOperations,
)
from aio.redis.commands.arrays import ArrayCommands as ArrayCommands
from aio.redis.commands.arrays import (
    ArrayPredicateCombinator as ArrayPredicateCombinator,
)
from aio.redis.commands.arrays import ArrayPredicateType as ArrayPredicateType
from aio.redis.commands.bits import BitCommands as BitCommands
from aio.redis.commands.bits import BitFieldOperation as BitFieldOperation
from aio.redis.commands.connection import ConnectionCommands as ConnectionCommands
from aio.redis.commands.geo import GeoCommands as GeoCommands
from aio.redis.commands.hashes import HashCommands as HashCommands
from aio.redis.commands.hashes import HashDataPersistOptions as HashDataPersistOptions
from aio.redis.commands.himport import HImportCommands as HImportCommands
from aio.redis.commands.hyperloglog import HyperLogLogCommands as HyperLogLogCommands
from aio.redis.commands.keys import KeyCommands as KeyCommands
from aio.redis.commands.lists import ListCommands as ListCommands
from aio.redis.commands.pubsub import PubSubCommands as PubSubCommands
from aio.redis.commands.refused import RefusedCommands as RefusedCommands
from aio.redis.commands.scripting import ScriptingCommands as ScriptingCommands
from aio.redis.commands.sentinel import SentinelCommands as SentinelCommands
from aio.redis.commands.server import HotkeysMetricsTypes as HotkeysMetricsTypes
from aio.redis.commands.server import ServerCommands as ServerCommands
from aio.redis.commands.sets import SetCommands as SetCommands
from aio.redis.commands.sorted_sets import SortedSetCommands as SortedSetCommands
from aio.redis.commands.streams import StreamCommands as StreamCommands
from aio.redis.commands.strings import DataPersistOptions as DataPersistOptions
from aio.redis.commands.strings import StringCommands as StringCommands

__all__ = (
    "RESP3_RESPONSE_CALLBACKS",
    "RESPONSE_CALLBACKS",
    "AclCommands",
    "ArrayAggregateOperations",
    "ArrayCommands",
    "ArrayPredicateCombinator",
    "ArrayPredicateType",
    "BitCommands",
    "BitFieldOperation",
    "ConnectionCommands",
    "CoreCommands",
    "DataPersistOptions",
    "GeoCommands",
    "HashCommands",
    "HImportCommands",
    "HashDataPersistOptions",
    "HotkeysMetricsTypes",
    "HyperLogLogCommands",
    "KeyCommands",
    "ListCommands",
    "PubSubCommands",
    "RefusedCommands",
    "ScriptingCommands",
    "SentinelCommands",
    "ServerCommands",
    "SetCommands",
    "SortedSetCommands",
    "StreamCommands",
    "StringCommands",
)


class CoreCommands(
    StringCommands,
    BitCommands,
    KeyCommands,
    ListCommands,
    ArrayCommands,
    HashCommands,
    HImportCommands,
    SetCommands,
    SortedSetCommands,
    HyperLogLogCommands,
    GeoCommands,
    StreamCommands,
    ServerCommands,
    ConnectionCommands,
    ScriptingCommands,
    PubSubCommands,
    AclCommands,
    SentinelCommands,
    RefusedCommands,
):
    """Every command family; mixed into ``Redis`` and ``Pipeline`` by the client."""
