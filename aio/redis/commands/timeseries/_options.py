"""The option words of the RedisTimeSeries commands, in the order redis-py
sends them.

Each function appends one option (its keyword and values) to ``params`` when
it is given, and leaves ``params`` alone otherwise; the few that refuse a
combination raise before anything is sent, with redis-py's exception types
(:class:`~aio.redis.exceptions.DataError`, ``ValueError`` for the insertion
filter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aio.redis.exceptions import DataError

__all__ = (
    "add_aggregation",
    "add_block",
    "add_bucket_options",
    "add_flag",
    "add_insertion_filter",
    "add_labels",
    "add_per_key_aggregation",
    "add_querylabels_filter",
    "add_range_options",
    "add_series_options",
    "add_value",
    "add_with_labels",
)

Params = list[Any]


def add_value(params: Params, keyword: str, value: Any) -> None:
    """``keyword value`` when ``value`` is not None (RETENTION, COUNT, ...)."""
    if value is not None:
        params.extend((keyword, value))


def add_flag(params: Params, keyword: str, on: Any) -> None:
    """``keyword`` alone when ``on`` is true (LATEST, EMPTY, ...)."""
    if on:
        params.append(keyword)


def add_labels(params: Params, labels: Mapping[Any, Any] | None) -> None:
    """``LABELS name value ...`` for a non-empty mapping."""
    if labels:
        params.append("LABELS")
        for name, value in labels.items():
            params.extend((name, value))


def add_insertion_filter(
    params: Params, max_time_diff: Any = None, max_val_diff: Any = None
) -> None:
    """``IGNORE max_time_diff max_val_diff``: both or neither.

    :raises ValueError: only one of them is given (redis-py's type).
    """
    if (max_time_diff is None) != (max_val_diff is None):
        raise ValueError(
            "Both ignore_max_time_diff and ignore_max_val_diff must be set."
        )
    if max_time_diff is not None:
        params.extend(("IGNORE", str(max_time_diff), str(max_val_diff)))


def add_series_options(
    params: Params,
    *,
    retention_msecs: Any = None,
    uncompressed: Any = False,
    chunk_size: Any = None,
    duplicate_policy: Any = None,
    labels: Mapping[Any, Any] | None = None,
    ignore_max_time_diff: Any = None,
    ignore_max_val_diff: Any = None,
) -> None:
    """The options a series is made with (TS.CREATE, ALTER, ADD, INCRBY...)."""
    add_value(params, "RETENTION", retention_msecs)
    if uncompressed:
        params.extend(("ENCODING", "UNCOMPRESSED"))
    add_value(params, "CHUNK_SIZE", chunk_size)
    add_value(params, "DUPLICATE_POLICY", duplicate_policy)
    add_labels(params, labels)
    add_insertion_filter(params, ignore_max_time_diff, ignore_max_val_diff)


def add_aggregation(params: Params, aggregation_type: Any, bucket_size: Any) -> None:
    """``AGGREGATION type bucket``; a list of types is sent comma-joined."""
    if aggregation_type is None:
        return
    if isinstance(aggregation_type, list):
        aggregation_type = ",".join(aggregation_type)
    params.extend(("AGGREGATION", aggregation_type, bucket_size))


def add_per_key_aggregation(
    params: Params, aggregators: Any, bucket_size: Any, numkeys: int
) -> None:
    """TS.NRANGE's ``AGGREGATION spec ... bucket``: one spec per key (a bare
    string is one spec), each maybe several comma-joined aggregators.

    :raises DataError: not one spec per key.
    """
    if aggregators is None:
        return
    specs = [aggregators] if isinstance(aggregators, str) else list(aggregators)
    if len(specs) != numkeys:
        raise DataError(
            f"AGGREGATION requires exactly one aggregation spec per key (expected "
            f"{numkeys}, got {len(specs)}); a spec may list multiple "
            "comma-separated aggregators."
        )
    params.extend(("AGGREGATION", *specs, bucket_size))


def add_with_labels(params: Params, with_labels: Any, select_labels: Any) -> None:
    """``WITHLABELS`` or ``SELECTED_LABELS name ...``.

    :raises DataError: both are asked for.
    """
    if with_labels and select_labels:
        raise DataError("with_labels and select_labels cannot be provided together.")
    add_flag(params, "WITHLABELS", with_labels)
    if select_labels:
        params.extend(("SELECTED_LABELS", *select_labels))


def add_range_options(
    params: Params,
    *,
    latest: Any,
    filter_by_ts: Sequence[Any] | None,
    filter_by_min_value: Any,
    filter_by_max_value: Any,
    count: Any,
    align: Any,
    with_labels: Any = None,
    select_labels: Any = None,
) -> None:
    """The range filters, in the order TS.RANGE and TS.MRANGE take them:
    LATEST, FILTER_BY_TS, FILTER_BY_VALUE (sent only with both bounds),
    WITHLABELS/SELECTED_LABELS (TS.MRANGE), COUNT, ALIGN."""
    add_flag(params, "LATEST", latest)
    if filter_by_ts is not None:
        params.extend(("FILTER_BY_TS", *filter_by_ts))
    if filter_by_min_value is not None and filter_by_max_value is not None:
        params.extend(("FILTER_BY_VALUE", filter_by_min_value, filter_by_max_value))
    add_with_labels(params, with_labels, select_labels)
    add_value(params, "COUNT", count)
    add_value(params, "ALIGN", align)


def add_bucket_options(params: Params, bucket_timestamp: Any, empty: Any) -> None:
    """``BUCKETTIMESTAMP how`` and ``EMPTY``, after the aggregation."""
    add_value(params, "BUCKETTIMESTAMP", bucket_timestamp)
    add_flag(params, "EMPTY", empty)


def add_block(params: Params, milliseconds: Any, min_count: Any) -> None:
    """TS.READ's ``BLOCK milliseconds min_count`` (min_count 1 by default).

    :raises DataError: ``min_count`` without ``milliseconds``.
    """
    if milliseconds is None:
        if min_count is not None:
            raise DataError(
                "block_min_count requires block_milliseconds to be set; the "
                "BLOCK group is all-or-nothing."
            )
        return
    params.extend(("BLOCK", milliseconds, 1 if min_count is None else min_count))


def add_querylabels_filter(params: Params, filters: Iterable[Any] | None) -> None:
    """TS.QUERYLABELS's ``FILTER expr ...``; None for every series.

    :raises DataError: an empty collection (rather than widening to all).
    """
    if filters is None:
        return
    expressions = list(filters)
    if not expressions:
        raise DataError(
            "filters cannot be an empty collection; pass None to query all "
            "indexed series."
        )
    params.extend(("FILTER", *expressions))
