"""The accessors of the module command objects: ``r.json()``, ``r.ft()``,
``r.ts()``, ``r.vset()``, ``r.bf()``, ``r.cf()``, ``r.cms()``, ``r.topk()`` and
``r.tdigest()``, as redis-py's ``RedisModuleCommands`` gives them.

:class:`ModuleCommands` is inherited by :class:`~aio.redis.Redis` (and so its
pipeline); :class:`ClusterModuleCommands` by
:class:`~aio.redis.RedisCluster` and its pipeline, whose JSON and time-series
objects route each command by its keys. Each accessor imports its module when
called, so a client that never uses a module never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from aio.redis.commands.bf import (
        BFBloom,
        CFBloom,
        CMSBloom,
        TDigestBloom,
        TOPKBloom,
    )
    from aio.redis.commands.json import JSON, Decoder, Encoder
    from aio.redis.commands.json._cluster import ClusterJSON
    from aio.redis.commands.search import Search
    from aio.redis.commands.timeseries import ClusterTimeSeries, TimeSeries
    from aio.redis.commands.vectorset import VectorSet

__all__ = ("ClusterModuleCommands", "ModuleCommands", "refuse_unified_modules")


def refuse_unified_modules(owner: Any) -> None:
    """Refuse a module command object to a client made with
    ``legacy_responses=False``: aio converts the module replies to redis-py's
    legacy shapes only, and giving those where the unified ones were asked for
    would silently break code written for them.

    :raises DataError: the client (or pipeline) asked for the unified shapes.
    """
    if not owner.get_connection_kwargs().get("legacy_responses", True):
        from aio.redis.exceptions import DataError

        raise DataError(
            "legacy_responses=False: the unified reply shapes of the module "
            "commands (JSON, search, time series, probabilistic, vector sets) "
            "are not supported by aio.redis; use a client with "
            "legacy_responses=True for them"
        )


# Each command object takes the client (or pipeline) it was asked from; the
# mixin does not know which class that is, so ``self`` goes in as Any.
class ModuleCommands:
    """The module command objects of a client or pipeline: commands sent by
    the client, queued on a pipeline."""

    def json(
        self, encoder: Encoder | None = None, decoder: Decoder | None = None
    ) -> JSON:
        """The RedisJSON commands (``await r.json().get("doc", "$")``); on a
        pipeline they are queued. See :mod:`aio.redis.commands.json`.

        :param encoder: makes JSON arguments (``json.JSONEncoder()`` by default).
        :param decoder: parses JSON replies (``json.JSONDecoder()`` by default).
        """
        refuse_unified_modules(self)
        from aio.redis.commands.json import JSON

        return JSON(cast(Any, self), encoder=encoder, decoder=decoder)

    def ft(self, index_name: str = "idx") -> Search:
        """The search commands of the index ``index_name``
        (``await r.ft("idx").search("hello")``); on a pipeline they are queued
        (their replies unconverted, as redis-py's). See
        :mod:`aio.redis.commands.search`."""
        refuse_unified_modules(self)
        from aio.redis.commands.search import Search

        return Search(cast(Any, self), index_name)

    def ts(self) -> TimeSeries:
        """The RedisTimeSeries commands (``await r.ts().range("t", "-", "+")``);
        on a pipeline they are queued. See :mod:`aio.redis.commands.timeseries`.
        """
        refuse_unified_modules(self)
        from aio.redis.commands.timeseries import TimeSeries

        return TimeSeries(cast(Any, self))

    def vset(self) -> VectorSet:
        """The vector-set commands (``await r.vset().vcard("points")``); on a
        pipeline they are queued, on a cluster each is sent to its key's node.
        See :mod:`aio.redis.commands.vectorset`."""
        refuse_unified_modules(self)
        from aio.redis.commands.vectorset import VectorSet

        return VectorSet(cast(Any, self))

    def bf(self) -> BFBloom:
        """The Bloom filter commands (``await r.bf().add("seen", "ada")``); on a
        pipeline they are queued, on a cluster each is sent to its key's node.
        See :mod:`aio.redis.commands.bf`."""
        refuse_unified_modules(self)
        from aio.redis.commands.bf import BFBloom

        return BFBloom(self)

    def cf(self) -> CFBloom:
        """The cuckoo filter commands (``await r.cf().add("seen", "ada")``),
        queued on a pipeline, sent to their key's node on a cluster."""
        refuse_unified_modules(self)
        from aio.redis.commands.bf import CFBloom

        return CFBloom(self)

    def cms(self) -> CMSBloom:
        """The count-min sketch commands (``await r.cms().query("hits", "/")``),
        queued on a pipeline, sent to their keys' node on a cluster."""
        refuse_unified_modules(self)
        from aio.redis.commands.bf import CMSBloom

        return CMSBloom(self)

    def topk(self) -> TOPKBloom:
        """The top-k commands (``await r.topk().list("top")``), queued on a
        pipeline, sent to their key's node on a cluster."""
        refuse_unified_modules(self)
        from aio.redis.commands.bf import TOPKBloom

        return TOPKBloom(self)

    def tdigest(self) -> TDigestBloom:
        """The t-digest commands (``await r.tdigest().quantile("lat", 0.99)``),
        queued on a pipeline, sent to their keys' node on a cluster."""
        refuse_unified_modules(self)
        from aio.redis.commands.bf import TDigestBloom

        return TDigestBloom(self)


class ClusterModuleCommands(ModuleCommands):
    """The module command objects of a cluster client or its pipeline: the
    JSON and time-series ones route each command by its keys."""

    def json(
        self, encoder: Encoder | None = None, decoder: Decoder | None = None
    ) -> ClusterJSON:
        """The RedisJSON commands, each sent to its key's node (``await
        rc.json().get("doc", "$")``); on a pipeline they are queued. See
        :mod:`aio.redis.commands.json`.

        :param encoder: makes JSON arguments (``json.JSONEncoder()`` by default).
        :param decoder: parses JSON replies (``json.JSONDecoder()`` by default).
        """
        refuse_unified_modules(self)
        from aio.redis.commands.json._cluster import ClusterJSON

        return ClusterJSON(cast(Any, self), encoder=encoder, decoder=decoder)

    def ts(self) -> ClusterTimeSeries:
        """The RedisTimeSeries commands, each keyed one sent to its keys' node
        (``await rc.ts().get("t")``); on a pipeline they are queued. See
        :mod:`aio.redis.commands.timeseries`.
        """
        refuse_unified_modules(self)
        from aio.redis.commands.timeseries import ClusterTimeSeries

        return ClusterTimeSeries(cast(Any, self))
