"""The accessors of the blocking module command objects: ``r.json()``,
``r.ft()``, ``r.ts()``, ``r.vset()``, ``r.bf()``, ``r.cf()``, ``r.cms()``,
``r.topk()`` and ``r.tdigest()``, as redis-py's ``RedisModuleCommands`` gives
them.

:class:`ModuleCommands` is inherited by :class:`~sync_shims.redis.Redis` (and
so its pipeline); :class:`ClusterModuleCommands` by
:class:`~sync_shims.redis.RedisCluster` and its pipeline, whose JSON and
time-series objects route each command by its keys. Each accessor imports its
module when called, so a client that never uses a module never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.modules import refuse_unified_modules

if TYPE_CHECKING:
    from aio.redis.commands.json import Decoder
    from aio.redis.commands.json import Encoder as JSONEncoder
    from sync_shims.redis.commands.bf import (
        BFBloom,
        CFBloom,
        CMSBloom,
        TDigestBloom,
        TOPKBloom,
    )
    from sync_shims.redis.commands.json import JSON
    from sync_shims.redis.commands.json._cluster import ClusterJSON
    from sync_shims.redis.commands.search import Search
    from sync_shims.redis.commands.timeseries import ClusterTimeSeries, TimeSeries
    from sync_shims.redis.commands.vectorset import VectorSet

__all__ = ("ClusterModuleCommands", "ModuleCommands")


# Each command object takes the blocking client (or pipeline) it was asked
# from; the mixin does not know which class that is, so ``self`` goes in as Any.
class ModuleCommands:
    """The module command objects of a blocking client or pipeline: each
    method blocks for its reply, or is queued on a pipeline."""

    def json(
        self, encoder: JSONEncoder | None = None, decoder: Decoder | None = None
    ) -> JSON:
        """The RedisJSON commands, blocking (on a pipeline: queued); see
        :mod:`sync_shims.redis.commands.json`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.json import JSON

        return JSON(cast(Any, self), encoder=encoder, decoder=decoder)

    def ft(self, index_name: str = "idx") -> Search:
        """The search commands of the index ``index_name``, blocking (on a
        pipeline: queued; on a cluster routed as redis-py's cluster routes
        them); see :mod:`sync_shims.redis.commands.search`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.search import Search

        return Search(cast(Any, self), index_name)

    def ts(self) -> TimeSeries:
        """The RedisTimeSeries commands, blocking (on a pipeline: queued); see
        :mod:`sync_shims.redis.commands.timeseries`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.timeseries import TimeSeries

        return TimeSeries(self)

    def vset(self) -> VectorSet:
        """The vector-set commands, blocking (on a pipeline: queued; on a
        cluster each sent to its key's node); see
        :mod:`sync_shims.redis.commands.vectorset`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.vectorset import VectorSet

        return VectorSet(cast(Any, self))

    def bf(self) -> BFBloom:
        """The Bloom filter commands, blocking (on a pipeline: queued; on a
        cluster each sent to its key's node); see
        :mod:`sync_shims.redis.commands.bf`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.bf import BFBloom

        return BFBloom(cast(Any, self))

    def cf(self) -> CFBloom:
        """The cuckoo filter commands, blocking (on a pipeline: queued; on a
        cluster each sent to its key's node)."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.bf import CFBloom

        return CFBloom(cast(Any, self))

    def cms(self) -> CMSBloom:
        """The count-min sketch commands, blocking (on a pipeline: queued; on a
        cluster each sent to its keys' node)."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.bf import CMSBloom

        return CMSBloom(cast(Any, self))

    def topk(self) -> TOPKBloom:
        """The top-k commands, blocking (on a pipeline: queued; on a cluster
        each sent to its key's node)."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.bf import TOPKBloom

        return TOPKBloom(cast(Any, self))

    def tdigest(self) -> TDigestBloom:
        """The t-digest commands, blocking (on a pipeline: queued; on a cluster
        each sent to its keys' node)."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.bf import TDigestBloom

        return TDigestBloom(cast(Any, self))


class ClusterModuleCommands(ModuleCommands):
    """The module command objects of a blocking cluster client or its
    pipeline: the JSON and time-series ones route each command by its keys."""

    def json(
        self, encoder: JSONEncoder | None = None, decoder: Decoder | None = None
    ) -> ClusterJSON:
        """The RedisJSON commands, blocking, each sent to its key's node (on a
        pipeline: queued, ``pipe.json().set(...)``); see
        :mod:`sync_shims.redis.commands.json`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.json._cluster import ClusterJSON

        return ClusterJSON(cast(Any, self), encoder=encoder, decoder=decoder)

    def ts(self) -> ClusterTimeSeries:
        """The RedisTimeSeries commands, blocking, each keyed one sent to its
        keys' node (on a pipeline: queued, ``pipe.ts().add("t", 1, 2.5)``); see
        :mod:`sync_shims.redis.commands.timeseries`."""
        refuse_unified_modules(self)
        from sync_shims.redis.commands.timeseries import ClusterTimeSeries

        return ClusterTimeSeries(self)
