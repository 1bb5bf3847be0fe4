"""The ``*.INFO`` replies of RedisBloom as objects: redis-py's ``redis.commands.bf.info``.

``BF.INFO``, ``CF.INFO``, ``CMS.INFO``, ``TOPK.INFO`` and ``TDIGEST.INFO`` answer
with field/value pairs: a flat array on RESP2, a map on RESP3. Each class takes
either and keeps the values as they came (bytes or str as the client decodes,
integers, and on RESP3 doubles: ``TopKInfo.decay`` is ``b"0.9"`` on RESP2 and
``0.9`` on RESP3, as in redis-py), under redis-py's attribute names. ``info[name]``
reads an attribute, ``info.get(name)`` too, with None for an unknown one.

Beyond redis-py: every class has ``get`` (redis-py's ``CMSInfo`` and ``TopKInfo``
have only ``[]``), a ``repr`` that shows the values, ``==`` by values, and a
reply without one of the fields raises
:class:`~aio.redis.exceptions.InvalidResponse` naming the command and the field
(redis-py: a bare ``KeyError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from aio.redis.exceptions import InvalidResponse

__all__ = ("BFInfo", "CFInfo", "CMSInfo", "TDigestInfo", "TopKInfo")


def _field_name(command: str, name: Any) -> str:
    # Field names compare as text whatever decode_responses is.
    if isinstance(name, bytes):
        return name.decode("utf-8", "replace")
    if isinstance(name, str):
        return name
    raise InvalidResponse(f"{command}: a field name is not text: {name!r}")


def _fields(command: str, reply: Any) -> dict[str, Any]:
    """The reply's fields by name: a RESP3 map, or RESP2's flat array of pairs."""
    if isinstance(reply, Mapping):
        pairs = list(reply.items())
    elif isinstance(reply, list) and len(reply) % 2 == 0:
        pairs = list(zip(reply[::2], reply[1::2], strict=True))
    else:
        raise InvalidResponse(
            f"{command}: expected field/value pairs, got {type(reply).__name__} "
            f"{reply!r}"
        )
    return {_field_name(command, name): value for name, value in pairs}


class _Info:
    """Reads the reply fields named in ``_FIELDS`` into attributes."""

    #: The command whose reply this is (for error messages).
    _COMMAND: ClassVar[str]
    #: attribute name -> the field's name in the reply.
    _FIELDS: ClassVar[dict[str, str]]

    def __init__(self, args: Any) -> None:
        fields = _fields(self._COMMAND, args)
        for attribute, field in self._FIELDS.items():
            try:
                setattr(self, attribute, fields[field])
            except KeyError:
                raise InvalidResponse(
                    f"{self._COMMAND}: the reply has no {field!r} field"
                ) from None

    def get(self, item: str) -> Any:
        """The attribute ``item``, or None when there is no such attribute."""
        return getattr(self, item, None)

    def __getitem__(self, item: str) -> Any:
        """The attribute ``item`` (``AttributeError`` if unknown, as redis-py)."""
        return getattr(self, item)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(self[name] == other[name] for name in self._FIELDS)

    __hash__ = None  # type: ignore[assignment]  # equal by mutable values

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self[name]!r}" for name in self._FIELDS)
        return f"{type(self).__name__}({shown})"


class BFInfo(_Info):
    """``BF.INFO``: a Bloom filter's ``capacity``, ``size`` (bytes),
    ``filterNum`` (sub-filters), ``insertedNum`` and ``expansionRate``."""

    _COMMAND = "BF.INFO"
    _FIELDS = {
        "capacity": "Capacity",
        "size": "Size",
        "filterNum": "Number of filters",
        "insertedNum": "Number of items inserted",
        "expansionRate": "Expansion rate",
    }
    capacity: Any = None
    size: Any = None
    filterNum: Any = None
    insertedNum: Any = None
    expansionRate: Any = None


class CFInfo(_Info):
    """``CF.INFO``: a cuckoo filter's ``size``, ``bucketNum``, ``filterNum``,
    ``insertedNum``, ``deletedNum``, ``bucketSize``, ``expansionRate`` and
    ``maxIteration``."""

    _COMMAND = "CF.INFO"
    _FIELDS = {
        "size": "Size",
        "bucketNum": "Number of buckets",
        "filterNum": "Number of filters",
        "insertedNum": "Number of items inserted",
        "deletedNum": "Number of items deleted",
        "bucketSize": "Bucket size",
        "expansionRate": "Expansion rate",
        "maxIteration": "Max iterations",
    }
    size: Any = None
    bucketNum: Any = None
    filterNum: Any = None
    insertedNum: Any = None
    deletedNum: Any = None
    bucketSize: Any = None
    expansionRate: Any = None
    maxIteration: Any = None


class CMSInfo(_Info):
    """``CMS.INFO``: a count-min sketch's ``width``, ``depth`` and total ``count``."""

    _COMMAND = "CMS.INFO"
    _FIELDS = {"width": "width", "depth": "depth", "count": "count"}
    width: Any = None
    depth: Any = None
    count: Any = None


class TopKInfo(_Info):
    """``TOPK.INFO``: a top-k's ``k``, ``width``, ``depth`` and ``decay``."""

    _COMMAND = "TOPK.INFO"
    _FIELDS = {"k": "k", "width": "width", "depth": "depth", "decay": "decay"}
    k: Any = None
    width: Any = None
    depth: Any = None
    decay: Any = None


class TDigestInfo(_Info):
    """``TDIGEST.INFO``: a t-digest's ``compression``, ``capacity``,
    ``merged_nodes``, ``unmerged_nodes``, ``merged_weight``, ``unmerged_weight``,
    ``total_compressions`` and ``memory_usage``."""

    _COMMAND = "TDIGEST.INFO"
    _FIELDS = {
        "compression": "Compression",
        "capacity": "Capacity",
        "merged_nodes": "Merged nodes",
        "unmerged_nodes": "Unmerged nodes",
        "merged_weight": "Merged weight",
        "unmerged_weight": "Unmerged weight",
        "total_compressions": "Total compressions",
        "memory_usage": "Memory usage",
    }
    compression: Any = None
    capacity: Any = None
    merged_nodes: Any = None
    unmerged_nodes: Any = None
    merged_weight: Any = None
    unmerged_weight: Any = None
    total_compressions: Any = None
    memory_usage: Any = None
