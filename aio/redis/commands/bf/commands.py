"""The RedisBloom command builders: redis-py's ``redis.commands.bf.commands``.

One mixin per data type, with redis-py's method and argument names (camelCase
ones included: ``errorRate``, ``noScale``, ``destKey``...), sending the words
redis-py sends: :class:`BFCommands` (Bloom filter), :class:`CFCommands` (cuckoo
filter), :class:`CMSCommands` (count-min sketch), :class:`TOPKCommands` (top-k)
and :class:`TDigestCommands` (t-digest). Each method hands its command to
``execute_command``: an awaitable of the converted reply on a client, the
pipeline itself on a pipeline. Every command names its keys (``keys=``), so a
cluster client routes it by them.

As in redis-py, an optional flag is sent when it is given at all, not when it is
true: ``noScale=False`` still sends ``NONSCALING``, ``noCreate=False``
``NOCREATE`` (pass None, the default, to leave them out).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from aio.redis._types import EncodableT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._twins import sends, twin

# The command names (BF_ADD...) come from _names, whose __all__ is their list:
# public here as in redis-py, and used bare by the builders below.
# ruff: noqa: F405
from aio.redis.commands.bf._names import *  # noqa: F403
from aio.redis.commands.bf._names import __all__ as __all__
from aio.redis.exceptions import DataError

__all__ += (
    "AbstractBloom",
    "BFCommands",
    "CFCommands",
    "CMSCommands",
    "TDigestCommands",
    "TOPKCommands",
)


def _append_pairs(
    params: list[Any], items: Sequence[EncodableT], others: Sequence[Any], what: str
) -> None:
    # Each item followed by its increment (or weight), refusing a count that
    # differs: a silent truncation would send other counts than the caller's.
    if len(items) != len(others):
        raise DataError(
            f"items and {what}s differ in length "
            f"({len(items)} and {len(others)}): one {what} per item"
        )
    for item, other in zip(items, others, strict=True):
        params += [item, other]


class AbstractBloom(CommandsBase):
    """The option spellers the command mixins share; public (and static) as in
    redis-py, where code may call them to build its own argument lists."""

    @staticmethod
    def append_items(params: list[Any], items: Sequence[EncodableT]) -> None:
        """Append ``ITEMS`` and the items."""
        params.append("ITEMS")
        params += items

    @staticmethod
    def append_error(params: list[Any], error: float | None) -> None:
        """Append ``ERROR error`` unless ``error`` is None."""
        if error is not None:
            params += ["ERROR", error]

    @staticmethod
    def append_capacity(params: list[Any], capacity: int | None) -> None:
        """Append ``CAPACITY capacity`` unless ``capacity`` is None."""
        if capacity is not None:
            params += ["CAPACITY", capacity]

    @staticmethod
    def append_expansion(params: list[Any], expansion: int | None) -> None:
        """Append ``EXPANSION expansion`` unless ``expansion`` is None."""
        if expansion is not None:
            params += ["EXPANSION", expansion]

    @staticmethod
    def append_no_scale(params: list[Any], noScale: bool | None) -> None:
        """Append ``NONSCALING`` unless ``noScale`` is None (False too sends it)."""
        if noScale is not None:
            params.append("NONSCALING")

    @staticmethod
    def append_weights(params: list[Any], weights: Sequence[EncodableT]) -> None:
        """Append ``WEIGHTS`` and the weights, if there are any."""
        if len(weights) > 0:
            params.append("WEIGHTS")
            params += weights

    @staticmethod
    def append_no_create(params: list[Any], noCreate: bool | None) -> None:
        """Append ``NOCREATE`` unless ``noCreate`` is None (False too sends it)."""
        if noCreate is not None:
            params.append("NOCREATE")

    @staticmethod
    def append_items_and_increments(
        params: list[Any], items: Sequence[EncodableT], increments: Sequence[int]
    ) -> None:
        """Append ``item increment`` pairs.

        :raises DataError: the two sequences differ in length (redis-py sends
            the first ``len(items)`` pairs, or raises ``IndexError``).
        """
        _append_pairs(params, items, increments, "increment")

    @staticmethod
    def append_values_and_weights(
        params: list[Any], items: Sequence[EncodableT], weights: Sequence[EncodableT]
    ) -> None:
        """Append ``value weight`` pairs (same rule as the increments)."""
        _append_pairs(params, items, weights, "weight")

    @staticmethod
    def append_max_iterations(params: list[Any], max_iterations: int | None) -> None:
        """Append ``MAXITERATIONS max_iterations`` unless it is None."""
        if max_iterations is not None:
            params += ["MAXITERATIONS", max_iterations]

    @staticmethod
    def append_bucket_size(params: list[Any], bucket_size: int | None) -> None:
        """Append ``BUCKETSIZE bucket_size`` unless it is None."""
        if bucket_size is not None:
            params += ["BUCKETSIZE", bucket_size]


class BFCommands(AbstractBloom):
    """The Bloom filter commands (``BF.*``) of ``r.bf()``."""

    def create(
        self,
        key: KeyT,
        errorRate: float,
        capacity: int,
        expansion: int | None = None,
        noScale: bool | None = None,
    ) -> ResponseT:
        """Create the Bloom filter ``key`` for ``capacity`` items at a false
        positive rate of ``errorRate`` (BF.RESERVE); ``expansion`` grows each
        new sub-filter, ``noScale`` forbids new ones. Returns True."""
        params: list[Any] = [key, errorRate, capacity]
        self.append_expansion(params, expansion)
        self.append_no_scale(params, noScale)
        return self.execute_command(BF_RESERVE, *params, keys=[key])

    reserve = create

    def add(self, key: KeyT, item: EncodableT) -> ResponseT:
        """Add ``item`` (BF.ADD): 1 if it was new, 0 if it may have been there."""
        return self.execute_command(BF_ADD, key, item, keys=[key])

    def madd(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """Add ``items`` (BF.MADD): a 1 or 0 per item, as :meth:`add`."""
        return self.execute_command(BF_MADD, key, *items, keys=[key])

    def insert(
        self,
        key: KeyT,
        items: Sequence[EncodableT],
        capacity: int | None = None,
        error: float | None = None,
        noCreate: bool | None = None,
        expansion: int | None = None,
        noScale: bool | None = None,
    ) -> ResponseT:
        """Add ``items``, creating the filter with ``capacity`` and ``error``
        if it does not exist, unless ``noCreate`` (BF.INSERT)."""
        params: list[Any] = [key]
        self.append_capacity(params, capacity)
        self.append_error(params, error)
        self.append_expansion(params, expansion)
        self.append_no_create(params, noCreate)
        self.append_no_scale(params, noScale)
        self.append_items(params, items)
        return self.execute_command(BF_INSERT, *params, keys=[key])

    def exists(self, key: KeyT, item: EncodableT) -> ResponseT:
        """1 if ``item`` may be in the filter, 0 if it surely is not (BF.EXISTS)."""
        return self.execute_command(BF_EXISTS, key, item, keys=[key])

    def mexists(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """:meth:`exists` for each of ``items`` (BF.MEXISTS)."""
        return self.execute_command(BF_MEXISTS, key, *items, keys=[key])

    def scandump(self, key: KeyT, iter: int) -> ResponseT:
        """The chunk of the filter after ``iter`` (0 first) for an incremental
        save (BF.SCANDUMP): ``[next_iter, data]``, ``[0, None]`` at the end. The
        data stays bytes even with ``decode_responses``."""
        return self.execute_command(
            BF_SCANDUMP, key, iter, NEVER_DECODE=True, keys=[key]
        )

    def loadchunk(self, key: KeyT, iter: int, data: EncodableT) -> ResponseT:
        """Restore a chunk :meth:`scandump` gave (BF.LOADCHUNK); the filter
        under ``key`` is overwritten."""
        return self.execute_command(BF_LOADCHUNK, key, iter, data, keys=[key])

    def info(self, key: KeyT) -> ResponseT:
        """Capacity, size, filters, items inserted and expansion rate of the
        filter (BF.INFO), as a :class:`~aio.redis.commands.bf.info.BFInfo`."""
        return self.execute_command(BF_INFO, key, keys=[key])

    def card(self, key: KeyT) -> ResponseT:
        """How many items were added and found new (BF.CARD); 0 for no key."""
        return self.execute_command(BF_CARD, key, keys=[key])


class CFCommands(AbstractBloom):
    """The cuckoo filter commands (``CF.*``) of ``r.cf()``."""

    def create(
        self,
        key: KeyT,
        capacity: int,
        expansion: int | None = None,
        bucket_size: int | None = None,
        max_iterations: int | None = None,
    ) -> ResponseT:
        """Create the cuckoo filter ``key`` for ``capacity`` items (CF.RESERVE).
        Returns True."""
        params: list[Any] = [key, capacity]
        self.append_expansion(params, expansion)
        self.append_bucket_size(params, bucket_size)
        self.append_max_iterations(params, max_iterations)
        return self.execute_command(CF_RESERVE, *params, keys=[key])

    reserve = create

    def add(self, key: KeyT, item: EncodableT) -> ResponseT:
        """Add ``item`` (CF.ADD), another copy if it is there already; 1."""
        return self.execute_command(CF_ADD, key, item, keys=[key])

    def addnx(self, key: KeyT, item: EncodableT) -> ResponseT:
        """Add ``item`` unless it may be there (CF.ADDNX): 1 if added, else 0."""
        return self.execute_command(CF_ADDNX, key, item, keys=[key])

    # CF.INSERT and CF.INSERTNX take the same arguments: one builder, whose
    # ``command`` is filled in (see aio.redis.commands._twins).
    @sends(CF_INSERT)
    def insert(
        self,
        command: str,
        key: KeyT,
        items: Sequence[EncodableT],
        capacity: int | None = None,
        nocreate: bool | None = None,
    ) -> ResponseT:
        """Add ``items``, creating the filter with ``capacity`` if need be,
        unless ``nocreate`` (CF.INSERT): a 1 (or -1, filter full) per item."""
        params: list[Any] = [key]
        self.append_capacity(params, capacity)
        self.append_no_create(params, nocreate)
        self.append_items(params, items)
        return self.execute_command(command, *params, keys=[key])

    insertnx = twin(
        insert,
        "insertnx",
        CF_INSERTNX,
        """:meth:`insert` each of ``items`` unless it may be there
        (CF.INSERTNX): 1 added, 0 there, -1 filter full, per item.""",
    )

    def exists(self, key: KeyT, item: EncodableT) -> ResponseT:
        """1 if ``item`` may be in the filter, 0 if it surely is not (CF.EXISTS)."""
        return self.execute_command(CF_EXISTS, key, item, keys=[key])

    def mexists(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """:meth:`exists` for each of ``items`` (CF.MEXISTS)."""
        return self.execute_command(CF_MEXISTS, key, *items, keys=[key])

    def delete(self, key: KeyT, item: EncodableT) -> ResponseT:
        """Delete one copy of ``item`` (CF.DEL): 1 if found, else 0."""
        return self.execute_command(CF_DEL, key, item, keys=[key])

    def count(self, key: KeyT, item: EncodableT) -> ResponseT:
        """How many copies of ``item`` may be in the filter (CF.COUNT)."""
        return self.execute_command(CF_COUNT, key, item, keys=[key])

    def scandump(self, key: KeyT, iter: int) -> ResponseT:
        """The chunk of the filter after ``iter`` (0 first) for an incremental
        save (CF.SCANDUMP): ``[next_iter, data]``, ``[0, None]`` at the end.

        The data stays bytes even with ``decode_responses`` (redis-py decodes
        it, which fails or corrupts binary chunks), as ``BF.SCANDUMP``'s.
        """
        return self.execute_command(
            CF_SCANDUMP, key, iter, NEVER_DECODE=True, keys=[key]
        )

    def loadchunk(self, key: KeyT, iter: int, data: EncodableT) -> ResponseT:
        """Restore a chunk :meth:`scandump` gave (CF.LOADCHUNK)."""
        return self.execute_command(CF_LOADCHUNK, key, iter, data, keys=[key])

    def info(self, key: KeyT) -> ResponseT:
        """Size, buckets, filters, items inserted and deleted, bucket size,
        expansion rate and max iterations (CF.INFO), as a
        :class:`~aio.redis.commands.bf.info.CFInfo`."""
        return self.execute_command(CF_INFO, key, keys=[key])


class CMSCommands(AbstractBloom):
    """The count-min sketch commands (``CMS.*``) of ``r.cms()``."""

    def initbydim(self, key: KeyT, width: int, depth: int) -> ResponseT:
        """Create the sketch ``key`` of ``width`` counters times ``depth`` rows
        (CMS.INITBYDIM). Returns True."""
        return self.execute_command(CMS_INITBYDIM, key, width, depth, keys=[key])

    def initbyprob(self, key: KeyT, error: float, probability: float) -> ResponseT:
        """Create the sketch ``key`` sized for an over-count of at most
        ``error`` (of the total) with ``probability`` of exceeding it
        (CMS.INITBYPROB). Returns True."""
        return self.execute_command(CMS_INITBYPROB, key, error, probability, keys=[key])

    def incrby(
        self, key: KeyT, items: Sequence[EncodableT], increments: Sequence[int]
    ) -> ResponseT:
        """Add ``increments[i]`` to the count of ``items[i]`` (CMS.INCRBY);
        returns the new counts.

        :raises DataError: ``items`` and ``increments`` differ in length.
        """
        params: list[Any] = [key]
        self.append_items_and_increments(params, items, increments)
        return self.execute_command(CMS_INCRBY, *params, keys=[key])

    def query(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """The (over-)estimated count of each of ``items`` (CMS.QUERY)."""
        return self.execute_command(CMS_QUERY, key, *items, keys=[key])

    def merge(
        self,
        destKey: KeyT,
        numKeys: int,
        srcKeys: Sequence[KeyT],
        weights: Sequence[EncodableT] = (),
    ) -> ResponseT:
        """Set ``destKey`` to the sum of the ``numKeys`` sketches ``srcKeys``,
        each times its weight (1 without ``weights``) (CMS.MERGE). Returns True."""
        params: list[Any] = [destKey, numKeys, *srcKeys]
        self.append_weights(params, weights)
        return self.execute_command(CMS_MERGE, *params, keys=[destKey, *srcKeys])

    def info(self, key: KeyT) -> ResponseT:
        """Width, depth and total count of the sketch (CMS.INFO), as a
        :class:`~aio.redis.commands.bf.info.CMSInfo`."""
        return self.execute_command(CMS_INFO, key, keys=[key])


class TOPKCommands(AbstractBloom):
    """The top-k commands (``TOPK.*``) of ``r.topk()``."""

    def reserve(
        self, key: KeyT, k: int, width: int, depth: int, decay: float
    ) -> ResponseT:
        """Create the top-``k`` list ``key`` over a ``width`` x ``depth``
        sketch whose counters decay by ``decay`` (TOPK.RESERVE). Returns True."""
        return self.execute_command(
            TOPK_RESERVE, key, k, width, depth, decay, keys=[key]
        )

    def add(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """Add ``items`` (TOPK.ADD): per item, the item it pushed out of the
        top k, or None."""
        return self.execute_command(TOPK_ADD, key, *items, keys=[key])

    def incrby(
        self, key: KeyT, items: Sequence[EncodableT], increments: Sequence[int]
    ) -> ResponseT:
        """Add ``increments[i]`` to ``items[i]`` (TOPK.INCRBY): per item, the
        item it pushed out, or None.

        :raises DataError: ``items`` and ``increments`` differ in length.
        """
        params: list[Any] = [key]
        self.append_items_and_increments(params, items, increments)
        return self.execute_command(TOPK_INCRBY, *params, keys=[key])

    def query(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """Per item, 1 if it is in the top k, else 0 (TOPK.QUERY)."""
        return self.execute_command(TOPK_QUERY, key, *items, keys=[key])

    def count(self, key: KeyT, *items: EncodableT) -> ResponseT:
        """The estimated count of each of ``items`` (TOPK.COUNT).

        .. deprecated:: RedisBloom 2.4 deprecated the command: a
           DeprecationWarning, as in redis-py.
        """
        warnings.warn(
            "Call to deprecated count. (deprecated since redisbloom 2.4.0) "
            "-- Deprecated since version 4.4.0.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.execute_command(TOPK_COUNT, key, *items, keys=[key])

    def list(self, key: KeyT, withcount: bool = False) -> ResponseT:
        """The items in the top k (TOPK.LIST); with ``withcount``, each item
        followed by its count, in one flat list."""
        params: Any = [key, "WITHCOUNT"] if withcount else [key]
        return self.execute_command(TOPK_LIST, *params, keys=[key])

    def info(self, key: KeyT) -> ResponseT:
        """k, width, depth and decay of the list (TOPK.INFO), as a
        :class:`~aio.redis.commands.bf.info.TopKInfo`."""
        return self.execute_command(TOPK_INFO, key, keys=[key])


class TDigestCommands(AbstractBloom):
    """The t-digest commands (``TDIGEST.*``) of ``r.tdigest()``."""

    def create(self, key: KeyT, compression: int = 100) -> ResponseT:
        """Create the t-digest ``key`` with ``compression`` (TDIGEST.CREATE).
        Returns True."""
        return self.execute_command(
            TDIGEST_CREATE, key, "COMPRESSION", compression, keys=[key]
        )

    def reset(self, key: KeyT) -> ResponseT:
        """Empty the sketch (TDIGEST.RESET); returns the ``OK`` reply as sent."""
        return self.execute_command(TDIGEST_RESET, key, keys=[key])

    def add(self, key: KeyT, values: Sequence[float]) -> ResponseT:
        """Add the observations ``values`` (TDIGEST.ADD); returns ``OK`` as sent."""
        return self.execute_command(TDIGEST_ADD, key, *values, keys=[key])

    def merge(
        self,
        destination_key: KeyT,
        num_keys: int,
        *keys: KeyT,
        compression: int | None = None,
        override: bool = False,
    ) -> ResponseT:
        """Merge the ``num_keys`` sketches ``keys`` into ``destination_key``
        (TDIGEST.MERGE), replacing its values if ``override``; returns ``OK``
        as sent."""
        params: list[Any] = [destination_key, num_keys, *keys]
        if compression is not None:
            params += ["COMPRESSION", compression]
        if override:
            params.append("OVERRIDE")
        return self.execute_command(
            TDIGEST_MERGE, *params, keys=[destination_key, *keys]
        )

    def min(self, key: KeyT) -> ResponseT:
        """The smallest observation, a float (``nan`` when empty) (TDIGEST.MIN)."""
        return self.execute_command(TDIGEST_MIN, key, keys=[key])

    def max(self, key: KeyT) -> ResponseT:
        """The largest observation, a float (``nan`` when empty) (TDIGEST.MAX)."""
        return self.execute_command(TDIGEST_MAX, key, keys=[key])

    def quantile(self, key: KeyT, quantile: float, *quantiles: float) -> ResponseT:
        """The estimated value at each fraction ``quantile``, ``*quantiles``
        (TDIGEST.QUANTILE), a list of floats."""
        return self.execute_command(
            TDIGEST_QUANTILE, key, quantile, *quantiles, keys=[key]
        )

    def cdf(self, key: KeyT, value: float, *values: float) -> ResponseT:
        """The estimated fraction of observations <= each value (TDIGEST.CDF)."""
        return self.execute_command(TDIGEST_CDF, key, value, *values, keys=[key])

    def info(self, key: KeyT) -> ResponseT:
        """Compression, capacity, nodes, weights, compressions and memory of
        the sketch (TDIGEST.INFO), as a
        :class:`~aio.redis.commands.bf.info.TDigestInfo`."""
        return self.execute_command(TDIGEST_INFO, key, keys=[key])

    def trimmed_mean(
        self, key: KeyT, low_cut_quantile: float, high_cut_quantile: float
    ) -> ResponseT:
        """The mean of the observations between the two quantiles
        (TDIGEST.TRIMMED_MEAN), a float."""
        return self.execute_command(
            TDIGEST_TRIMMED_MEAN, key, low_cut_quantile, high_cut_quantile, keys=[key]
        )

    def rank(self, key: KeyT, value: float, *values: float) -> ResponseT:
        """Per value, the estimated number of observations below it plus half
        of those equal (TDIGEST.RANK), a list of ints."""
        return self.execute_command(TDIGEST_RANK, key, value, *values, keys=[key])

    def revrank(self, key: KeyT, value: float, *values: float) -> ResponseT:
        """Per value, the estimated number of observations above it plus half
        of those equal (TDIGEST.REVRANK), a list of ints."""
        return self.execute_command(TDIGEST_REVRANK, key, value, *values, keys=[key])

    def byrank(self, key: KeyT, rank: int, *ranks: int) -> ResponseT:
        """The estimated value of each rank (0 the smallest) (TDIGEST.BYRANK)."""
        return self.execute_command(TDIGEST_BYRANK, key, rank, *ranks, keys=[key])

    def byrevrank(self, key: KeyT, rank: int, *ranks: int) -> ResponseT:
        """The estimated value of each reverse rank (0 the largest)
        (TDIGEST.BYREVRANK)."""
        return self.execute_command(TDIGEST_BYREVRANK, key, rank, *ranks, keys=[key])
