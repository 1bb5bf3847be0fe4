"""``redis.commands.bf.info``: the ``*.INFO`` reply objects, the same classes as aio's."""

from __future__ import annotations

from aio.redis.commands.bf.info import BFInfo as BFInfo
from aio.redis.commands.bf.info import CFInfo as CFInfo
from aio.redis.commands.bf.info import CMSInfo as CMSInfo
from aio.redis.commands.bf.info import TDigestInfo as TDigestInfo
from aio.redis.commands.bf.info import TopKInfo as TopKInfo

__all__ = ("BFInfo", "CFInfo", "CMSInfo", "TDigestInfo", "TopKInfo")
