"""The RedisTimeSeries command builders: redis-py's ``TimeSeriesCommands``,
with its method names, arguments and the words it sends.

Each method builds its command (see :mod:`._options` for the option words and
their order) and hands it to ``execute_command``: an awaitable of the converted
reply on a client, the pipeline itself on a pipeline (see
:mod:`aio.redis.commands._base`). Building is synchronous, so a refused
combination of options raises at the call, before anything is awaited or
queued. The replies are converted by :mod:`._replies`.

Every keyed command names its keys (``keys=[...]``, not sent), so a cluster
routes it without asking a node (redis-py names them for the read commands
only, and asks the nodes' ``COMMAND`` table for the others: the same node).

Timestamps are Unix milliseconds; ``"*"`` (now), ``"-"`` (the earliest) and
``"+"`` (the latest) are sent as given. Durations (``retention_msecs``,
``bucket_size_msec``...) are milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aio.redis._types import KeyT, Number, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._twins import sends, twin
from aio.redis.commands.timeseries._options import (
    add_aggregation,
    add_block,
    add_bucket_options,
    add_flag,
    add_per_key_aggregation,
    add_querylabels_filter,
    add_range_options,
    add_series_options,
    add_value,
    add_with_labels,
)
from aio.redis.exceptions import DataError

__all__ = (
    "ADD_CMD",
    "ALTER_CMD",
    "CREATERULE_CMD",
    "CREATE_CMD",
    "DECRBY_CMD",
    "DELETERULE_CMD",
    "DEL_CMD",
    "GET_CMD",
    "INCRBY_CMD",
    "INFO_CMD",
    "MADD_CMD",
    "MGET_CMD",
    "MRANGE_CMD",
    "MREVRANGE_CMD",
    "NRANGE_CMD",
    "NREVRANGE_CMD",
    "QUERYINDEX_CMD",
    "QUERYLABELS_CMD",
    "RANGE_CMD",
    "READ_CMD",
    "REVRANGE_CMD",
    "TimeSeriesCommands",
)

# The command names, under redis-py's constant names.
ADD_CMD = "TS.ADD"
ALTER_CMD = "TS.ALTER"
CREATERULE_CMD = "TS.CREATERULE"
CREATE_CMD = "TS.CREATE"
DECRBY_CMD = "TS.DECRBY"
DELETERULE_CMD = "TS.DELETERULE"
DEL_CMD = "TS.DEL"
GET_CMD = "TS.GET"
INCRBY_CMD = "TS.INCRBY"
INFO_CMD = "TS.INFO"
MADD_CMD = "TS.MADD"
MGET_CMD = "TS.MGET"
MRANGE_CMD = "TS.MRANGE"
MREVRANGE_CMD = "TS.MREVRANGE"
NRANGE_CMD = "TS.NRANGE"
NREVRANGE_CMD = "TS.NREVRANGE"
QUERYINDEX_CMD = "TS.QUERYINDEX"
QUERYLABELS_CMD = "TS.QUERYLABELS"
RANGE_CMD = "TS.RANGE"
READ_CMD = "TS.READ"
REVRANGE_CMD = "TS.REVRANGE"

Labels = dict[str, str]


class TimeSeriesCommands(CommandsBase):
    """The ``TS.*`` commands of RedisTimeSeries (built into Redis 8, a module
    before), as redis-py's ``redis.commands.timeseries.TimeSeriesCommands``.

    Mixed into :class:`~aio.redis.commands.timeseries.TimeSeries` (``r.ts()``)
    and its pipeline.

    .. versionadded:: 0.1
    """

    def create(
        self,
        key: KeyT,
        retention_msecs: int | None = None,
        uncompressed: bool | None = False,
        labels: Labels | None = None,
        chunk_size: int | None = None,
        duplicate_policy: str | None = None,
        ignore_max_time_diff: int | None = None,
        ignore_max_val_diff: Number | None = None,
    ) -> ResponseT:
        """Create the time series ``key`` (TS.CREATE).

        :param retention_msecs: how old a sample may get, compared with the
            newest one, before it is dropped (None or 0: never).
        :param uncompressed: store the samples uncompressed.
        :param labels: metadata, ``{name: value}``, that filters match.
        :param chunk_size: bytes per chunk (a multiple of 8, 48..1048576).
        :param duplicate_policy: what a sample at an existing timestamp does:
            ``block``, ``first``, ``last``, ``min``, ``max`` or ``sum``.
        :param ignore_max_time_diff: with ``ignore_max_val_diff`` (both or
            neither): ignore a new sample this close in time (ms) and
            ``ignore_max_val_diff`` close in value to the last one.
        :raises ValueError: only one of the two ``ignore_*`` is given.
        :returns: True.
        """
        params: list[Any] = [key]
        add_series_options(
            params,
            retention_msecs=retention_msecs,
            uncompressed=uncompressed,
            chunk_size=chunk_size,
            duplicate_policy=duplicate_policy,
            labels=labels,
            ignore_max_time_diff=ignore_max_time_diff,
            ignore_max_val_diff=ignore_max_val_diff,
        )
        return self.execute_command(CREATE_CMD, *params, keys=[key])

    def alter(
        self,
        key: KeyT,
        retention_msecs: int | None = None,
        labels: Labels | None = None,
        chunk_size: int | None = None,
        duplicate_policy: str | None = None,
        ignore_max_time_diff: int | None = None,
        ignore_max_val_diff: Number | None = None,
    ) -> ResponseT:
        """Change the options of the series ``key`` (TS.ALTER); the options
        are :meth:`create`'s (the encoding stays), ``labels`` replaces them all.

        :raises ValueError: only one of the two ``ignore_*`` is given.
        :returns: True.
        """
        params: list[Any] = [key]
        add_series_options(
            params,
            retention_msecs=retention_msecs,
            chunk_size=chunk_size,
            duplicate_policy=duplicate_policy,
            labels=labels,
            ignore_max_time_diff=ignore_max_time_diff,
            ignore_max_val_diff=ignore_max_val_diff,
        )
        return self.execute_command(ALTER_CMD, *params, keys=[key])

    def add(
        self,
        key: KeyT,
        timestamp: int | str,
        value: Number | str,
        retention_msecs: int | None = None,
        uncompressed: bool | None = False,
        labels: Labels | None = None,
        chunk_size: int | None = None,
        duplicate_policy: str | None = None,
        ignore_max_time_diff: int | None = None,
        ignore_max_val_diff: Number | None = None,
        on_duplicate: str | None = None,
    ) -> ResponseT:
        """Add the sample ``(timestamp, value)`` to ``key`` (TS.ADD), making the
        series with :meth:`create`'s options if it does not exist.

        :param timestamp: Unix milliseconds, or ``"*"`` for the server's clock.
        :param on_duplicate: this sample's duplicate policy (ON_DUPLICATE),
            over the series' one.
        :raises ValueError: only one of the two ``ignore_*`` is given.
        :returns: the sample's timestamp.
        """
        params: list[Any] = [key, timestamp, value]
        add_series_options(
            params,
            retention_msecs=retention_msecs,
            uncompressed=uncompressed,
            chunk_size=chunk_size,
            duplicate_policy=duplicate_policy,
            labels=labels,
            ignore_max_time_diff=ignore_max_time_diff,
            ignore_max_val_diff=ignore_max_val_diff,
        )
        add_value(params, "ON_DUPLICATE", on_duplicate)
        return self.execute_command(ADD_CMD, *params, keys=[key])

    def madd(self, ktv_tuples: list[tuple[KeyT, int | str, Number | str]]) -> ResponseT:
        """Add samples to existing series (TS.MADD).

        :param ktv_tuples: ``(key, timestamp, value)`` per sample.
        :returns: per sample, its timestamp or the error that refused it.
        """
        params: list[Any] = []
        for key_timestamp_value in ktv_tuples:
            params.extend(key_timestamp_value)
        return self.execute_command(MADD_CMD, *params, keys=params[::3])

    # A @sends builder's ``command`` is filled in, for it and for its twin:
    # the methods users call take the arguments after it (see commands._twins).

    @sends(INCRBY_CMD)
    def incrby(
        self,
        command: str,
        key: KeyT,
        value: Number,
        timestamp: int | str | None = None,
        retention_msecs: int | None = None,
        uncompressed: bool | None = False,
        labels: Labels | None = None,
        chunk_size: int | None = None,
        duplicate_policy: str | None = None,
        ignore_max_time_diff: int | None = None,
        ignore_max_val_diff: Number | None = None,
    ) -> ResponseT:
        """Add ``value`` to the newest sample of ``key`` (TS.INCRBY), or make a
        new sample at ``timestamp`` (not older than the newest) with the newest
        value plus ``value``; the series is made with :meth:`create`'s options
        if it does not exist.

        :raises ValueError: only one of the two ``ignore_*`` is given.
        :returns: the timestamp of the sample changed or added.
        """
        params: list[Any] = [key, value]
        add_value(params, "TIMESTAMP", timestamp)
        add_series_options(
            params,
            retention_msecs=retention_msecs,
            uncompressed=uncompressed,
            chunk_size=chunk_size,
            duplicate_policy=duplicate_policy,
            labels=labels,
            ignore_max_time_diff=ignore_max_time_diff,
            ignore_max_val_diff=ignore_max_val_diff,
        )
        return self.execute_command(command, *params, keys=[key])

    decrby = twin(
        incrby,
        "decrby",
        DECRBY_CMD,
        """Subtract ``value`` from the newest sample of ``key`` (TS.DECRBY):
        :meth:`incrby`'s twin.

        :raises ValueError: only one of the two ``ignore_*`` is given.
        :returns: the timestamp of the sample changed or added.
        """,
    )

    def delete(self, key: KeyT, from_time: int, to_time: int) -> ResponseT:
        """Delete the samples of ``key`` from ``from_time`` to ``to_time``, both
        included (TS.DEL).

        :returns: how many were deleted.
        """
        return self.execute_command(DEL_CMD, key, from_time, to_time, keys=[key])

    def createrule(
        self,
        source_key: KeyT,
        dest_key: KeyT,
        aggregation_type: str,
        bucket_size_msec: int,
        align_timestamp: int | None = None,
    ) -> ResponseT:
        """Compact every sample added to ``source_key`` into ``dest_key``
        (TS.CREATERULE), one ``aggregation_type`` value per bucket.

        :param aggregation_type: ``avg``, ``sum``, ``min``, ``max``, ``range``,
            ``count``, ``first``, ``last``, ``std.p``, ``std.s``, ``var.p``,
            ``var.s``, ``twa``, ``countNaN`` or ``countAll``.
        :param bucket_size_msec: the buckets' duration.
        :param align_timestamp: a timestamp some bucket starts at.
        :returns: True.
        """
        params: list[Any] = [source_key, dest_key]
        add_aggregation(params, aggregation_type, bucket_size_msec)
        if align_timestamp is not None:
            params.append(align_timestamp)
        return self.execute_command(
            CREATERULE_CMD, *params, keys=[source_key, dest_key]
        )

    def deleterule(self, source_key: KeyT, dest_key: KeyT) -> ResponseT:
        """Remove the compaction rule from ``source_key`` to ``dest_key``
        (TS.DELETERULE).

        :returns: True.
        """
        return self.execute_command(
            DELETERULE_CMD, source_key, dest_key, keys=[source_key, dest_key]
        )

    @sends(RANGE_CMD)
    def range(
        self,
        command: str,
        key: KeyT,
        from_time: int | str,
        to_time: int | str,
        count: int | None = None,
        aggregation_type: str | list[str] | None = None,
        bucket_size_msec: int | None = 0,
        filter_by_ts: list[int] | None = None,
        filter_by_min_value: Number | None = None,
        filter_by_max_value: Number | None = None,
        align: int | str | None = None,
        latest: bool | None = False,
        bucket_timestamp: str | None = None,
        empty: bool | None = False,
    ) -> ResponseT:
        """The samples of ``key`` from ``from_time`` to ``to_time``, oldest
        first (TS.RANGE).

        :param from_time: the first timestamp, ``"-"`` for the earliest.
        :param to_time: the last timestamp, ``"+"`` for the latest.
        :param count: at most this many samples.
        :param aggregation_type: one value per bucket of ``bucket_size_msec``
            (:meth:`createrule`'s types); a list of several (Redis 8.8+) gives
            each sample one value per type, in order.
        :param filter_by_ts: only these timestamps.
        :param filter_by_min_value: with ``filter_by_max_value`` (one alone is
            not sent): only values between the two.
        :param align: where buckets start: a timestamp, ``"-"``/``"start"`` or
            ``"+"``/``"end"``.
        :param latest: on a compaction, also the latest (partial) bucket.
        :param bucket_timestamp: the timestamp a bucket is reported at:
            ``"-"``/``"low"``, ``"+"``/``"high"`` or ``"~"``/``"mid"``.
        :param empty: also report empty buckets.
        :returns: ``[(timestamp, value), ...]``.
        """
        params: list[Any] = [key, from_time, to_time]
        add_range_options(
            params,
            latest=latest,
            filter_by_ts=filter_by_ts,
            filter_by_min_value=filter_by_min_value,
            filter_by_max_value=filter_by_max_value,
            count=count,
            align=align,
        )
        add_aggregation(params, aggregation_type, bucket_size_msec)
        add_bucket_options(params, bucket_timestamp, empty)
        return self.execute_command(command, *params, keys=[key])

    revrange = twin(
        range, "revrange", REVRANGE_CMD, ":meth:`range`, newest first (TS.REVRANGE)."
    )

    def read(
        self,
        key: KeyT,
        timestamp: int | str,
        block_milliseconds: int | None = None,
        block_min_count: int | None = None,
        max_count: int | None = None,
    ) -> ResponseT:
        """The samples of ``key`` at or after ``timestamp``, oldest first
        (TS.READ, Redis 8.8+).

        :param timestamp: Unix milliseconds, ``"-"`` (the earliest), ``"+"``
            (the latest sample) or ``"$"`` (only samples added from now on,
            with ``block_milliseconds``).
        :param block_milliseconds: wait up to this long (0: forever) until
            ``block_min_count`` samples (1 by default) qualify. The connection
            waits that long beyond its ``socket_timeout``, as for ``BLPOP``
            (redis-py's times out after ``socket_timeout``).
        :param max_count: at most this many (the oldest).
        :raises DataError: ``block_min_count`` without ``block_milliseconds``.
        :returns: ``[[timestamp, value], ...]``, maybe empty.
        """
        params: list[Any] = [key, timestamp]
        add_block(params, block_milliseconds, block_min_count)
        add_value(params, "MAX_COUNT", max_count)
        if block_milliseconds is None:
            return self.execute_command(READ_CMD, *params, keys=[key])
        # A blocking command: the connection waits this long (0: forever)
        # beyond its socket_timeout, as for BLPOP or XREAD BLOCK.
        return self.execute_command(
            READ_CMD, *params, keys=[key], timeout=block_milliseconds / 1000
        )

    @sends(NRANGE_CMD)
    def nrange(
        self,
        command: str,
        keys: list[KeyT],
        from_time: int | str,
        to_time: int | str,
        count: int | None = None,
        aggregators: str | list[str] | None = None,
        bucket_size_msec: int | None = 0,
        filter_by_ts: list[int] | None = None,
        filter_by_min_value: Number | None = None,
        filter_by_max_value: Number | None = None,
        align: int | str | None = None,
        latest: bool | None = False,
        bucket_timestamp: str | None = None,
        empty: bool | None = False,
    ) -> ResponseT:
        """The samples of several series side by side, oldest first
        (TS.NRANGE): rows ``[timestamp, [value per key, ...]]``, NaN where a key
        has none. In a cluster the keys must share a slot.

        :param keys: the series, in the order of the columns (repeats kept).
        :param aggregators: one spec per key (a bare string for one key), each
            one or several comma-joined aggregators (``["avg,max", "sum"]``);
            a key with several gives a column per aggregator.
        :raises DataError: no keys, or not one aggregation spec per key.

        The other parameters are :meth:`range`'s.
        """
        # numkeys, the keys (order and repeats kept: each is a column of the
        # reply), then TS.RANGE's options with one aggregation spec per key.
        if not keys:
            raise DataError("At least one key must be provided.")
        params: list[Any] = [len(keys), *keys, from_time, to_time]
        add_range_options(
            params,
            latest=latest,
            filter_by_ts=filter_by_ts,
            filter_by_min_value=filter_by_min_value,
            filter_by_max_value=filter_by_max_value,
            count=count,
            align=align,
        )
        add_per_key_aggregation(params, aggregators, bucket_size_msec, len(keys))
        add_bucket_options(params, bucket_timestamp, empty)
        return self.execute_command(command, *params, keys=list(keys))

    nrevrange = twin(
        nrange,
        "nrevrange",
        NREVRANGE_CMD,
        """:meth:`nrange`, newest first (TS.NREVRANGE).

        :raises DataError: no keys, or not one aggregation spec per key.
        """,
    )

    @sends(MRANGE_CMD)
    def mrange(
        self,
        command: str,
        from_time: int | str,
        to_time: int | str,
        filters: list[str],
        count: int | None = None,
        aggregation_type: str | list[str] | None = None,
        bucket_size_msec: int | None = 0,
        with_labels: bool | None = False,
        filter_by_ts: list[int] | None = None,
        filter_by_min_value: Number | None = None,
        filter_by_max_value: Number | None = None,
        groupby: str | None = None,
        reduce: str | None = None,
        select_labels: list[str] | None = None,
        align: int | str | None = None,
        latest: bool | None = False,
        bucket_timestamp: str | None = None,
        empty: bool | None = False,
        exclude_empty: bool | None = False,
    ) -> ResponseT:
        """The samples of every series whose labels match ``filters``, oldest
        first (TS.MRANGE).

        :param filters: label expressions (``"sensor=1"``, ``"area!="``...).
        :param with_labels: report each series' labels (else none are).
        :param select_labels: report only these labels (not with
            ``with_labels``).
        :param groupby: with ``reduce`` (one alone is not sent): merge the
            series by this label's value, with the reducer ``reduce`` (``avg``,
            ``sum``, ``min``, ``max``, ``range``, ``count``, ``std.p``,
            ``std.s``, ``var.p``, ``var.s``).
        :param exclude_empty: leave out series with no sample in the range.
        :raises DataError: ``with_labels`` with ``select_labels``, ``groupby``
            with several aggregators or with ``exclude_empty``.
        :returns: ``[{key: [labels, [(timestamp, value), ...]]}, ...]``, by key.

        The other parameters are :meth:`range`'s.
        """
        # The range options, FILTER, then GROUPBY ... REDUCE.
        if (
            groupby is not None
            and isinstance(aggregation_type, list)
            and len(aggregation_type) > 1
        ):
            raise DataError(
                "GROUPBY is not allowed when multiple aggregators are specified"
            )
        if exclude_empty and groupby is not None:
            raise DataError("EXCLUDEEMPTY is not allowed with GROUPBY")
        params: list[Any] = [from_time, to_time]
        add_range_options(
            params,
            latest=latest,
            filter_by_ts=filter_by_ts,
            filter_by_min_value=filter_by_min_value,
            filter_by_max_value=filter_by_max_value,
            count=count,
            align=align,
            with_labels=with_labels,
            select_labels=select_labels,
        )
        add_aggregation(params, aggregation_type, bucket_size_msec)
        add_bucket_options(params, bucket_timestamp, empty)
        add_flag(params, "EXCLUDEEMPTY", exclude_empty)
        params.extend(("FILTER", *filters))
        # Both or nothing: one without the other is silently left out, as redis-py.
        if groupby is not None and reduce is not None:
            params.extend(("GROUPBY", groupby, "REDUCE", reduce.upper()))
        return self.execute_command(command, *params, aggregation_type=aggregation_type)

    mrevrange = twin(
        mrange,
        "mrevrange",
        MREVRANGE_CMD,
        """:meth:`mrange`, newest first (TS.MREVRANGE).

        :raises DataError: ``with_labels`` with ``select_labels``, ``groupby``
            with several aggregators or with ``exclude_empty``.
        """,
    )

    def get(self, key: KeyT, latest: bool | None = False) -> ResponseT:
        """The newest sample of ``key`` (TS.GET).

        :param latest: on a compaction, the latest (partial) bucket's value.
        :returns: ``(timestamp, value)``, or None for an empty series.
        """
        params: list[Any] = [key]
        add_flag(params, "LATEST", latest)
        return self.execute_command(GET_CMD, *params, keys=[key])

    def mget(
        self,
        filters: list[str],
        with_labels: bool | None = False,
        select_labels: list[str] | None = None,
        latest: bool | None = False,
    ) -> ResponseT:
        """The newest sample of every series whose labels match ``filters``
        (TS.MGET).

        :raises DataError: ``with_labels`` with ``select_labels``.
        :returns: ``[{key: [labels, timestamp, value]}, ...]`` by key
            (``None, None`` for an empty series).
        """
        params: list[Any] = []
        add_flag(params, "LATEST", latest)
        add_with_labels(params, with_labels, select_labels)
        params.extend(("FILTER", *filters))
        return self.execute_command(MGET_CMD, *params)

    def info(self, key: KeyT) -> ResponseT:
        """Information and statistics of ``key`` (TS.INFO).

        :returns: a :class:`~aio.redis.commands.timeseries.info.TSInfo`.
        """
        return self.execute_command(INFO_CMD, key, keys=[key])

    def queryindex(self, filters: list[str]) -> ResponseT:
        """The keys of every series whose labels match ``filters``
        (TS.QUERYINDEX).

        :returns: a list of keys (as text; as redis-py, a key that reads as a
            number comes back as that number).
        """
        return self.execute_command(QUERYINDEX_CMD, *filters)

    def querylabels(
        self, label: str | None = None, filters: Iterable[str] | None = None
    ) -> ResponseT:
        """The label names of the series matching ``filters``, or with
        ``label`` the values that label has on them (TS.QUERYLABELS, Redis
        8.8+).

        :param filters: label expressions; None for every series.
        :raises DataError: ``filters`` is empty (not None).
        :returns: a set.
        """
        params: list[Any] = ["LABELS"] if label is None else ["VALUES", label]
        add_querylabels_filter(params, filters)
        return self.execute_command(QUERYLABELS_CMD, *params)
