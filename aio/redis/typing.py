"""redis-py's ``redis.typing``: the type aliases users annotate their code with.

Every public name of redis-py 8.1's ``redis.typing`` is here with the same
meaning, so ``from redis.typing import KeyT, EncodableT`` becomes
``from aio.redis.typing import KeyT, EncodableT`` (the blocking API's
``sync_shims.redis.typing`` is this very module's names). The argument aliases the
client itself uses (``KeyT``, ``EncodableT``, ``ResponseT``...) and the pub/sub
``Subscription`` and ``PubSubHandler`` are those of :mod:`aio.redis._types`
(``aio.redis.Subscription`` is the same class), re-exported; the reply-shape
aliases (``ScanResponse``, ``XReadResponse``...) and the protocols are defined
here.

Where aio differs:

- ``AnyKeyT``, ``AnyFieldT`` and ``AnyChannelT`` are redis-py's constrained
  ``TypeVar`` s (so that ``Mapping[AnyKeyT, X]`` accepts a ``dict[str, X]``).
  ``AnyKeyT`` is the client's own (:mod:`aio.redis._types`); the client's hash
  and stream field mappings are keyed by ``FieldKeyT``, which also admits the
  numbers and ``bytearray`` its fields may be.
- ``CommandsProtocol`` asks only for ``execute_command`` (redis-py's also names
  its private ``_event_dispatcher``), and ``ClusterCommandsProtocol`` adds nothing
  to it (redis-py's adds its ``encoder``, which aio's cluster client has not).
- ``AsyncClientProtocol``/``SyncClientProtocol`` match classes carrying
  redis-py's ``_is_async_client`` marker, which redis-py's overloads rely on; aio's
  clients do not declare it.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Protocol, TypeAlias, TypeVar

from aio.redis._types import AbsExpiryT as AbsExpiryT
from aio.redis._types import AnyKeyT as AnyKeyT
from aio.redis._types import BitfieldOffsetT as BitfieldOffsetT
from aio.redis._types import ChannelT as ChannelT
from aio.redis._types import ConsumerT as ConsumerT
from aio.redis._types import DecodedT as DecodedT
from aio.redis._types import EncodableT as EncodableT
from aio.redis._types import EncodedT as EncodedT
from aio.redis._types import ExpiryT as ExpiryT
from aio.redis._types import FieldT as FieldT
from aio.redis._types import GroupT as GroupT
from aio.redis._types import KeysT as KeysT
from aio.redis._types import KeyT as KeyT
from aio.redis._types import Number as Number
from aio.redis._types import PatternT as PatternT
from aio.redis._types import PubSubHandler as PubSubHandler
from aio.redis._types import ResponseT as ResponseT
from aio.redis._types import ScriptTextT as ScriptTextT
from aio.redis._types import StreamIdT as StreamIdT
from aio.redis._types import Subscription as Subscription
from aio.redis._types import TimeoutSecT as TimeoutSecT
from aio.redis._types import ZScoreBoundT as ZScoreBoundT

__all__ = (
    "ACLGetUserData",
    "ACLLogData",
    "ACLLogEntry",
    "AbsExpiryT",
    "AnyChannelT",
    "AnyFieldT",
    "AnyKeyT",
    "AsyncClientProtocol",
    "BitfieldOffsetT",
    "BlockingListPopResponse",
    "BlockingZSetPopResponse",
    "BloomScanDumpResponse",
    "ChannelT",
    "ClientTrackingInfoResponse",
    "ClusterCommandsProtocol",
    "ClusterLink",
    "ClusterLinksResponse",
    "ClusterNodeDetail",
    "ClusterShard",
    "ClusterShardsResponse",
    "CommandGetKeysAndFlagsEntry",
    "CommandGetKeysAndFlagsResponse",
    "CommandsProtocol",
    "ConsumerT",
    "DecodedT",
    "EncodableT",
    "EncodedT",
    "ExceptionMappingT",
    "ExpiryT",
    "FieldT",
    "GeoCoordinate",
    "GeoRadiusResponse",
    "GeoSearchItem",
    "GeoSearchResponse",
    "GroupT",
    "HRandFieldResponse",
    "HScanPayload",
    "HScanResponse",
    "KeyT",
    "KeysT",
    "LCSCommandResponse",
    "LCSIndexResponse",
    "LCSMatch",
    "LCSRange",
    "LCSResult",
    "ListMultiPopResponse",
    "ModuleListResponse",
    "Number",
    "PatternT",
    "PubSubHandler",
    "ResponseT",
    "ScanResponse",
    "ScriptTextT",
    "SentinelMasterAddress",
    "SentinelMastersResponse",
    "SortResponse",
    "StralgoResponse",
    "StreamEntry",
    "StreamIdT",
    "StreamRangeResponse",
    "Subscription",
    "SyncClientProtocol",
    "TimeSeriesMRangeResponse",
    "TimeSeriesMRangeSeries",
    "TimeSeriesNRangeResponse",
    "TimeSeriesRangeResponse",
    "TimeSeriesSample",
    "TimeoutSecT",
    "XClaimResponse",
    "XPendingRangeEntry",
    "XPendingRangeResponse",
    "XReadGroupClaimEntry",
    "XReadGroupResponse",
    "XReadGroupStreamResponse",
    "XReadResponse",
    "ZMPopResponse",
    "ZRandMemberResponse",
    "ZScanPair",
    "ZScanResponse",
    "ZScoreBoundT",
    "ZSetRangeResponse",
    "ZSetScoredMembers",
)

# -- generic arguments ----------------------------------------------------------

# Mapping is invariant in its key: a constrained TypeVar lets one signature take
# a dict keyed by str, or by bytes, or by memoryview (each mapping its own kind).
AnyFieldT = TypeVar("AnyFieldT", bytes, str, memoryview)
AnyChannelT = TypeVar("AnyChannelT", bytes, str, memoryview)

#: Server error prefixes to exception classes (a nested mapping refines a prefix
#: by the rest of the message), as a parser's ``EXCEPTION_CLASSES``.
ExceptionMappingT: TypeAlias = Mapping[
    str, type[Exception] | Mapping[str, type[Exception]]
]

# -- protocols ------------------------------------------------------------------


class AsyncClientProtocol(Protocol):
    """A client whose commands return awaitables (redis-py's marker)."""

    _is_async_client: Literal[True]


class SyncClientProtocol(Protocol):
    """A client whose commands return their replies (redis-py's marker)."""

    _is_async_client: Literal[False]


class CommandsProtocol(Protocol):
    """What command mixins need of their client: ``execute_command``."""

    def execute_command(self, *args: Any, **options: Any) -> ResponseT:
        """Send one command; its reply (or an awaitable of it)."""
        ...


class ClusterCommandsProtocol(CommandsProtocol, Protocol):
    """What cluster command mixins need of their client (as
    :class:`CommandsProtocol`)."""


# -- reply shapes ---------------------------------------------------------------
# The replies of commands as the client returns them, RESP2 and RESP3 forms
# together (bytes, or str with ``decode_responses=True``).

_Text: TypeAlias = bytes | str

# ACL
ACLGetUserData: TypeAlias = (
    dict[str, bool | list[str] | list[list[str]] | list[dict[str, str]]] | None
)
ACLLogEntry: TypeAlias = dict[str, str | float | dict[str, str | int]]
ACLLogData: TypeAlias = list[ACLLogEntry]

# server and connection
CommandGetKeysAndFlagsEntry: TypeAlias = list[_Text | list[_Text]]
CommandGetKeysAndFlagsResponse: TypeAlias = list[CommandGetKeysAndFlagsEntry]
ClientTrackingInfoResponse: TypeAlias = list[_Text] | dict[str, Any]
ModuleListResponse: TypeAlias = list[bytes | int | float | str | None]

# keys, lists, hashes
ScanResponse: TypeAlias = tuple[int, list[_Text]]
SortResponse: TypeAlias = list[_Text] | list[tuple[_Text, ...]] | int
BlockingListPopResponse: TypeAlias = tuple[_Text, _Text] | list[_Text] | None
ListMultiPopResponse: TypeAlias = list[_Text | list[_Text]] | None
HRandFieldResponse: TypeAlias = _Text | list[_Text] | list[list[_Text]] | None
HScanPayload: TypeAlias = dict[_Text, _Text] | list[_Text]
HScanResponse: TypeAlias = tuple[int, HScanPayload]

# geo
GeoCoordinate: TypeAlias = tuple[float, float] | list[float]
GeoSearchItem: TypeAlias = _Text | list[_Text | float | int | GeoCoordinate]
GeoSearchResponse: TypeAlias = list[GeoSearchItem]
GeoRadiusResponse: TypeAlias = GeoSearchResponse | int

# streams
StreamEntry: TypeAlias = tuple[_Text | None, dict[_Text, _Text] | None]
StreamRangeResponse: TypeAlias = list[StreamEntry]
XClaimResponse: TypeAlias = StreamRangeResponse | list[_Text]
XPendingRangeEntry: TypeAlias = dict[str, _Text | int]
XPendingRangeResponse: TypeAlias = list[XPendingRangeEntry]
#: An entry XREADGROUP ... CLAIM returns: id, fields, idle time, delivery count.
XReadGroupClaimEntry: TypeAlias = tuple[
    _Text, dict[_Text, _Text], _Text | int, _Text | int
]
XReadGroupStreamResponse: TypeAlias = StreamRangeResponse | list[XReadGroupClaimEntry]
XReadResponse: TypeAlias = (
    list[list[Any]]
    | dict[_Text, list[StreamRangeResponse]]
    | dict[_Text, StreamRangeResponse]
)
XReadGroupResponse: TypeAlias = (
    list[list[Any]]
    | dict[_Text, list[XReadGroupStreamResponse]]
    | dict[_Text, XReadGroupStreamResponse]
)

# cluster and sentinel
ClusterNodeDetail: TypeAlias = dict[
    str, str | bool | list[list[str]] | list[dict[str, str]]
]
ClusterLink: TypeAlias = dict[str, Any] | list[Any]
ClusterLinksResponse: TypeAlias = list[ClusterLink]
ClusterShard: TypeAlias = dict[str, Any]
ClusterShardsResponse: TypeAlias = list[ClusterShard]
SentinelMasterAddress: TypeAlias = tuple[_Text, int] | None
SentinelMastersResponse: TypeAlias = dict[str, dict[str, Any]] | list[dict[str, Any]]

# modules: time series, bloom
TimeSeriesSample: TypeAlias = tuple[int, float] | list[int | float]
TimeSeriesRangeResponse: TypeAlias = list[TimeSeriesSample]
TimeSeriesMRangeSeries: TypeAlias = list[Any]
TimeSeriesMRangeResponse: TypeAlias = list[Any] | dict[_Text, TimeSeriesMRangeSeries]
#: TS.NRANGE/TS.NREVRANGE rows: ``[timestamp, [value of each key...]]``.
TimeSeriesNRangeResponse: TypeAlias = list[list[int | list[float]]]
BloomScanDumpResponse: TypeAlias = tuple[int, bytes | None]

# sorted sets
BlockingZSetPopResponse: TypeAlias = (
    tuple[_Text, _Text, float] | list[_Text | float] | None
)
ZMPopResponse: TypeAlias = list[_Text | list[list[Any]]] | None
ZRandMemberResponse: TypeAlias = (
    _Text | None | list[_Text] | list[_Text | float] | list[list[Any]]
)
ZSetScoredMembers: TypeAlias = list[tuple[_Text, Any]] | list[list[Any]]
ZSetRangeResponse: TypeAlias = list[_Text] | ZSetScoredMembers
ZScanPair: TypeAlias = tuple[_Text, float] | list[_Text | float]
ZScanResponse: TypeAlias = tuple[int, list[ZScanPair]]

# strings: LCS (and the STRALGO it replaced)
LCSRange: TypeAlias = tuple[int, int] | list[int]
LCSMatch: TypeAlias = list[int | LCSRange]
LCSResult: TypeAlias = dict[str, int | list[LCSMatch]]
LCSIndexResponse: TypeAlias = list[Any] | dict[_Text, Any]
LCSCommandResponse: TypeAlias = _Text | int | LCSIndexResponse
StralgoResponse: TypeAlias = str | int | LCSResult
