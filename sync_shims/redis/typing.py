"""redis-py's ``redis.typing`` for the blocking API: the names of
:mod:`aio.redis.typing` (one set of aliases for both APIs; see there for where
aio differs from redis-py).
"""

from __future__ import annotations

from aio.redis.typing import AbsExpiryT as AbsExpiryT
from aio.redis.typing import ACLGetUserData as ACLGetUserData
from aio.redis.typing import ACLLogData as ACLLogData
from aio.redis.typing import ACLLogEntry as ACLLogEntry
from aio.redis.typing import AnyChannelT as AnyChannelT
from aio.redis.typing import AnyFieldT as AnyFieldT
from aio.redis.typing import AnyKeyT as AnyKeyT
from aio.redis.typing import AsyncClientProtocol as AsyncClientProtocol
from aio.redis.typing import BitfieldOffsetT as BitfieldOffsetT
from aio.redis.typing import BlockingListPopResponse as BlockingListPopResponse
from aio.redis.typing import BlockingZSetPopResponse as BlockingZSetPopResponse
from aio.redis.typing import BloomScanDumpResponse as BloomScanDumpResponse
from aio.redis.typing import ChannelT as ChannelT
from aio.redis.typing import ClientTrackingInfoResponse as ClientTrackingInfoResponse
from aio.redis.typing import ClusterCommandsProtocol as ClusterCommandsProtocol
from aio.redis.typing import ClusterLink as ClusterLink
from aio.redis.typing import ClusterLinksResponse as ClusterLinksResponse
from aio.redis.typing import ClusterNodeDetail as ClusterNodeDetail
from aio.redis.typing import ClusterShard as ClusterShard
from aio.redis.typing import ClusterShardsResponse as ClusterShardsResponse
from aio.redis.typing import CommandGetKeysAndFlagsEntry as CommandGetKeysAndFlagsEntry
from aio.redis.typing import (
    CommandGetKeysAndFlagsResponse as CommandGetKeysAndFlagsResponse,
)
from aio.redis.typing import CommandsProtocol as CommandsProtocol
from aio.redis.typing import ConsumerT as ConsumerT
from aio.redis.typing import DecodedT as DecodedT
from aio.redis.typing import EncodableT as EncodableT
from aio.redis.typing import EncodedT as EncodedT
from aio.redis.typing import ExceptionMappingT as ExceptionMappingT
from aio.redis.typing import ExpiryT as ExpiryT
from aio.redis.typing import FieldT as FieldT
from aio.redis.typing import GeoCoordinate as GeoCoordinate
from aio.redis.typing import GeoRadiusResponse as GeoRadiusResponse
from aio.redis.typing import GeoSearchItem as GeoSearchItem
from aio.redis.typing import GeoSearchResponse as GeoSearchResponse
from aio.redis.typing import GroupT as GroupT
from aio.redis.typing import HRandFieldResponse as HRandFieldResponse
from aio.redis.typing import HScanPayload as HScanPayload
from aio.redis.typing import HScanResponse as HScanResponse
from aio.redis.typing import KeysT as KeysT
from aio.redis.typing import KeyT as KeyT
from aio.redis.typing import LCSCommandResponse as LCSCommandResponse
from aio.redis.typing import LCSIndexResponse as LCSIndexResponse
from aio.redis.typing import LCSMatch as LCSMatch
from aio.redis.typing import LCSRange as LCSRange
from aio.redis.typing import LCSResult as LCSResult
from aio.redis.typing import ListMultiPopResponse as ListMultiPopResponse
from aio.redis.typing import ModuleListResponse as ModuleListResponse
from aio.redis.typing import Number as Number
from aio.redis.typing import PatternT as PatternT
from aio.redis.typing import PubSubHandler as PubSubHandler
from aio.redis.typing import ResponseT as ResponseT
from aio.redis.typing import ScanResponse as ScanResponse
from aio.redis.typing import ScriptTextT as ScriptTextT
from aio.redis.typing import SentinelMasterAddress as SentinelMasterAddress
from aio.redis.typing import SentinelMastersResponse as SentinelMastersResponse
from aio.redis.typing import SortResponse as SortResponse
from aio.redis.typing import StralgoResponse as StralgoResponse
from aio.redis.typing import StreamEntry as StreamEntry
from aio.redis.typing import StreamIdT as StreamIdT
from aio.redis.typing import StreamRangeResponse as StreamRangeResponse
from aio.redis.typing import Subscription as Subscription
from aio.redis.typing import SyncClientProtocol as SyncClientProtocol
from aio.redis.typing import TimeoutSecT as TimeoutSecT
from aio.redis.typing import TimeSeriesMRangeResponse as TimeSeriesMRangeResponse
from aio.redis.typing import TimeSeriesMRangeSeries as TimeSeriesMRangeSeries
from aio.redis.typing import TimeSeriesNRangeResponse as TimeSeriesNRangeResponse
from aio.redis.typing import TimeSeriesRangeResponse as TimeSeriesRangeResponse
from aio.redis.typing import TimeSeriesSample as TimeSeriesSample
from aio.redis.typing import XClaimResponse as XClaimResponse
from aio.redis.typing import XPendingRangeEntry as XPendingRangeEntry
from aio.redis.typing import XPendingRangeResponse as XPendingRangeResponse
from aio.redis.typing import XReadGroupClaimEntry as XReadGroupClaimEntry
from aio.redis.typing import XReadGroupResponse as XReadGroupResponse
from aio.redis.typing import XReadGroupStreamResponse as XReadGroupStreamResponse
from aio.redis.typing import XReadResponse as XReadResponse
from aio.redis.typing import ZMPopResponse as ZMPopResponse
from aio.redis.typing import ZRandMemberResponse as ZRandMemberResponse
from aio.redis.typing import ZScanPair as ZScanPair
from aio.redis.typing import ZScanResponse as ZScanResponse
from aio.redis.typing import ZScoreBoundT as ZScoreBoundT
from aio.redis.typing import ZSetRangeResponse as ZSetRangeResponse
from aio.redis.typing import ZSetScoredMembers as ZSetScoredMembers

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
