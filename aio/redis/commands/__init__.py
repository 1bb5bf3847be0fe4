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
from aio.redis.commands.bits import BitCommands as BitCommands
from aio.redis.commands.bits import BitFieldOperation as BitFieldOperation
from aio.redis.commands.connection import ConnectionCommands as ConnectionCommands
from aio.redis.commands.geo import GeoCommands as GeoCommands
from aio.redis.commands.hashes import HashCommands as HashCommands
from aio.redis.commands.hyperloglog import HyperLogLogCommands as HyperLogLogCommands
from aio.redis.commands.keys import KeyCommands as KeyCommands
from aio.redis.commands.lists import ListCommands as ListCommands
from aio.redis.commands.pubsub import PubSubCommands as PubSubCommands
from aio.redis.commands.refused import RefusedCommands as RefusedCommands
from aio.redis.commands.scripting import ScriptingCommands as ScriptingCommands
from aio.redis.commands.server import ServerCommands as ServerCommands
from aio.redis.commands.sets import SetCommands as SetCommands
from aio.redis.commands.sorted_sets import SortedSetCommands as SortedSetCommands
from aio.redis.commands.streams import StreamCommands as StreamCommands
from aio.redis.commands.strings import StringCommands as StringCommands

__all__ = (
    "RESP3_RESPONSE_CALLBACKS",
    "RESPONSE_CALLBACKS",
    "AclCommands",
    "BitCommands",
    "BitFieldOperation",
    "ConnectionCommands",
    "CoreCommands",
    "GeoCommands",
    "HashCommands",
    "HyperLogLogCommands",
    "KeyCommands",
    "ListCommands",
    "PubSubCommands",
    "RefusedCommands",
    "ScriptingCommands",
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
    HashCommands,
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
    RefusedCommands,
):
    """Every command family; mixed into ``Redis`` and ``Pipeline`` by the client."""
