"""``TS.INFO``'s reply as an object: :class:`TSInfo`, redis-py's
``redis.commands.timeseries.info.TSInfo``.

RedisTimeSeries answers ``TS.INFO`` with a flat array of name/value pairs on
RESP2 and with a map on RESP3; both give the same attributes. The names on the
wire are camelCase (``totalSamples``); the attributes are redis-py's snake_case
ones (``total_samples``), and ``info["totalSamples"]`` / ``info.get(...)`` take
either spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio.redis.commands.timeseries._text import native_str, pairs_to_dict

__all__ = ("TSInfo",)

# The wire's camelCase names and the attributes that hold their values.
_ATTRIBUTES = {
    "sourceKey": "source_key",
    "chunkCount": "chunk_count",
    "memoryUsage": "memory_usage",
    "totalSamples": "total_samples",
    "retentionTime": "retention_msecs",
    "lastTimestamp": "last_timestamp",
    "firstTimestamp": "first_timestamp",
    "maxSamplesPerChunk": "max_samples_per_chunk",
    "chunkSize": "chunk_size",
    "duplicatePolicy": "duplicate_policy",
}
# Old servers give a chunk's capacity in samples, 16 bytes each.
_BYTES_PER_SAMPLE = 16


class TSInfo:
    """Information and statistics of one time series (``r.ts().info(key)``).

    Attributes (None when the server did not send the field): ``rules``,
    ``labels`` (a dict of str), ``source_key``, ``chunk_count``,
    ``memory_usage``, ``total_samples``, ``retention_msecs``,
    ``last_timestamp``, ``first_timestamp``, ``chunk_size`` and
    ``duplicate_policy`` (a str) where the server reports them, and
    ``max_samples_per_chunk`` on old servers (``chunk_size`` is then 16 times
    it). ``rules`` is the server's list of ``[dest, bucket, aggregation, ...]``
    on RESP2 and its map ``{dest: [bucket, aggregation, ...]}`` on RESP3, as in
    redis-py.

    :param args: the ``TS.INFO`` reply: a flat list of pairs or a map.

    .. versionadded:: 0.1
    """

    # Class-level defaults, as redis-py's (spellings included): what an
    # attribute reads as before a reply sets it.
    rules: Any = []
    labels: Any = []
    sourceKey: Any = None
    chunk_count: Any = None
    memory_usage: Any = None
    total_samples: Any = None
    retention_msecs: Any = None
    last_time_stamp: Any = None
    first_time_stamp: Any = None
    max_samples_per_chunk: Any = None
    chunk_size: Any = None
    duplicate_policy: Any = None

    def __init__(self, args: Any) -> None:
        if isinstance(args, Mapping):
            # RESP3: a map, its values as sent. Keys are decoded here (redis-py
            # looks str keys up in a map whose keys are bytes unless the client
            # decodes, and so finds nothing).
            fields = {native_str(name): value for name, value in args.items()}
            self.rules = fields.get("rules") or {}
            labels = fields.get("labels") or {}
            self.labels = {native_str(k): native_str(v) for k, v in labels.items()}
        else:
            fields = dict(zip(map(native_str, args[::2]), args[1::2], strict=False))
            self.rules = fields.get("rules")
            self.labels = pairs_to_dict(fields.get("labels"))
        self.source_key = fields.get("sourceKey")
        self.chunk_count = fields.get("chunkCount")
        self.memory_usage = fields.get("memoryUsage")
        self.total_samples = fields.get("totalSamples")
        self.retention_msecs = fields.get("retentionTime")
        self.last_timestamp = fields.get("lastTimestamp")
        self.first_timestamp = fields.get("firstTimestamp")
        if "maxSamplesPerChunk" in fields:
            self.max_samples_per_chunk = fields["maxSamplesPerChunk"]
            self.chunk_size = self.max_samples_per_chunk * _BYTES_PER_SAMPLE
        if "chunkSize" in fields:
            self.chunk_size = fields["chunkSize"]
        if "duplicatePolicy" in fields:
            policy = fields["duplicatePolicy"]
            self.duplicate_policy = (
                policy.decode() if isinstance(policy, bytes) else policy
            )

    def get(self, item: str) -> Any:
        """The field ``item`` (either spelling), or None."""
        try:
            return self[item]
        except AttributeError:
            return None

    def __getitem__(self, item: str) -> Any:
        return getattr(self, _ATTRIBUTES.get(item, item))
