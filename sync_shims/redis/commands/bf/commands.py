"""``redis.commands.bf.commands``: the command names, and the blocking command
mixins under redis-py's names (``BFCommands``... are the generated twins of
aio's, whose methods block for the reply)."""

from __future__ import annotations

from aio.redis.commands.bf.commands import BF_ADD as BF_ADD
from aio.redis.commands.bf.commands import BF_CARD as BF_CARD
from aio.redis.commands.bf.commands import BF_EXISTS as BF_EXISTS
from aio.redis.commands.bf.commands import BF_INFO as BF_INFO
from aio.redis.commands.bf.commands import BF_INSERT as BF_INSERT
from aio.redis.commands.bf.commands import BF_LOADCHUNK as BF_LOADCHUNK
from aio.redis.commands.bf.commands import BF_MADD as BF_MADD
from aio.redis.commands.bf.commands import BF_MEXISTS as BF_MEXISTS
from aio.redis.commands.bf.commands import BF_RESERVE as BF_RESERVE
from aio.redis.commands.bf.commands import BF_SCANDUMP as BF_SCANDUMP
from aio.redis.commands.bf.commands import CF_ADD as CF_ADD
from aio.redis.commands.bf.commands import CF_ADDNX as CF_ADDNX
from aio.redis.commands.bf.commands import CF_COUNT as CF_COUNT
from aio.redis.commands.bf.commands import CF_DEL as CF_DEL
from aio.redis.commands.bf.commands import CF_EXISTS as CF_EXISTS
from aio.redis.commands.bf.commands import CF_INFO as CF_INFO
from aio.redis.commands.bf.commands import CF_INSERT as CF_INSERT
from aio.redis.commands.bf.commands import CF_INSERTNX as CF_INSERTNX
from aio.redis.commands.bf.commands import CF_LOADCHUNK as CF_LOADCHUNK
from aio.redis.commands.bf.commands import CF_MEXISTS as CF_MEXISTS
from aio.redis.commands.bf.commands import CF_RESERVE as CF_RESERVE
from aio.redis.commands.bf.commands import CF_SCANDUMP as CF_SCANDUMP
from aio.redis.commands.bf.commands import CMS_INCRBY as CMS_INCRBY
from aio.redis.commands.bf.commands import CMS_INFO as CMS_INFO
from aio.redis.commands.bf.commands import CMS_INITBYDIM as CMS_INITBYDIM
from aio.redis.commands.bf.commands import CMS_INITBYPROB as CMS_INITBYPROB
from aio.redis.commands.bf.commands import CMS_MERGE as CMS_MERGE
from aio.redis.commands.bf.commands import CMS_QUERY as CMS_QUERY
from aio.redis.commands.bf.commands import TDIGEST_ADD as TDIGEST_ADD
from aio.redis.commands.bf.commands import TDIGEST_BYRANK as TDIGEST_BYRANK
from aio.redis.commands.bf.commands import TDIGEST_BYREVRANK as TDIGEST_BYREVRANK
from aio.redis.commands.bf.commands import TDIGEST_CDF as TDIGEST_CDF
from aio.redis.commands.bf.commands import TDIGEST_CREATE as TDIGEST_CREATE
from aio.redis.commands.bf.commands import TDIGEST_INFO as TDIGEST_INFO
from aio.redis.commands.bf.commands import TDIGEST_MAX as TDIGEST_MAX
from aio.redis.commands.bf.commands import TDIGEST_MERGE as TDIGEST_MERGE
from aio.redis.commands.bf.commands import TDIGEST_MIN as TDIGEST_MIN
from aio.redis.commands.bf.commands import TDIGEST_QUANTILE as TDIGEST_QUANTILE
from aio.redis.commands.bf.commands import TDIGEST_RANK as TDIGEST_RANK
from aio.redis.commands.bf.commands import TDIGEST_RESET as TDIGEST_RESET
from aio.redis.commands.bf.commands import TDIGEST_REVRANK as TDIGEST_REVRANK
from aio.redis.commands.bf.commands import TDIGEST_TRIMMED_MEAN as TDIGEST_TRIMMED_MEAN
from aio.redis.commands.bf.commands import TOPK_ADD as TOPK_ADD
from aio.redis.commands.bf.commands import TOPK_COUNT as TOPK_COUNT
from aio.redis.commands.bf.commands import TOPK_INCRBY as TOPK_INCRBY
from aio.redis.commands.bf.commands import TOPK_INFO as TOPK_INFO
from aio.redis.commands.bf.commands import TOPK_LIST as TOPK_LIST
from aio.redis.commands.bf.commands import TOPK_QUERY as TOPK_QUERY
from aio.redis.commands.bf.commands import TOPK_RESERVE as TOPK_RESERVE
from sync_shims._generated_redis_bf import BFCommandsTwin as BFCommands
from sync_shims._generated_redis_bf import CFCommandsTwin as CFCommands
from sync_shims._generated_redis_bf import CMSCommandsTwin as CMSCommands
from sync_shims._generated_redis_bf import TDigestCommandsTwin as TDigestCommands
from sync_shims._generated_redis_bf import TOPKCommandsTwin as TOPKCommands

__all__ = (
    "BF_ADD",
    "BF_CARD",
    "BF_EXISTS",
    "BF_INFO",
    "BF_INSERT",
    "BF_LOADCHUNK",
    "BF_MADD",
    "BF_MEXISTS",
    "BF_RESERVE",
    "BF_SCANDUMP",
    "CF_ADD",
    "CF_ADDNX",
    "CF_COUNT",
    "CF_DEL",
    "CF_EXISTS",
    "CF_INFO",
    "CF_INSERT",
    "CF_INSERTNX",
    "CF_LOADCHUNK",
    "CF_MEXISTS",
    "CF_RESERVE",
    "CF_SCANDUMP",
    "CMS_INCRBY",
    "CMS_INFO",
    "CMS_INITBYDIM",
    "CMS_INITBYPROB",
    "CMS_MERGE",
    "CMS_QUERY",
    "TDIGEST_ADD",
    "TDIGEST_BYRANK",
    "TDIGEST_BYREVRANK",
    "TDIGEST_CDF",
    "TDIGEST_CREATE",
    "TDIGEST_INFO",
    "TDIGEST_MAX",
    "TDIGEST_MERGE",
    "TDIGEST_MIN",
    "TDIGEST_QUANTILE",
    "TDIGEST_RANK",
    "TDIGEST_RESET",
    "TDIGEST_REVRANK",
    "TDIGEST_TRIMMED_MEAN",
    "TOPK_ADD",
    "TOPK_COUNT",
    "TOPK_INCRBY",
    "TOPK_INFO",
    "TOPK_LIST",
    "TOPK_QUERY",
    "TOPK_RESERVE",
    "BFCommands",
    "CFCommands",
    "CMSCommands",
    "TDigestCommands",
    "TOPKCommands",
)
