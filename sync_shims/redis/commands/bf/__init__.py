"""redis-py's blocking ``redis.commands.bf``: ``r.bf()``, ``r.cf()``, ``r.cms()``,
``r.topk()``, ``r.tdigest()`` on aio's engine.

Each accessor gives an object whose methods block for the reply of their
RedisBloom command (on a pipeline: queue it and return the pipeline), with
redis-py's names, arguments and results; behaviour and reply conversion are
:mod:`aio.redis.commands.bf`'s. The command is built in the calling thread, so
bad arguments raise and ``topk().count``'s ``DeprecationWarning`` is issued
there, as in redis-py. The command names are constants here too
(``BF_ADD == "BF.ADD"``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from aio.redis.commands.bf import AbstractBloom as AbstractBloom
from aio.redis.commands.bf import BFBloom as AsyncBFBloom
from aio.redis.commands.bf import CFBloom as AsyncCFBloom
from aio.redis.commands.bf import CMSBloom as AsyncCMSBloom
from aio.redis.commands.bf import TDigestBloom as AsyncTDigestBloom
from aio.redis.commands.bf import TOPKBloom as AsyncTOPKBloom
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
from aio.redis.commands.bf.info import BFInfo as BFInfo
from aio.redis.commands.bf.info import CFInfo as CFInfo
from aio.redis.commands.bf.info import CMSInfo as CMSInfo
from aio.redis.commands.bf.info import TDigestInfo as TDigestInfo
from aio.redis.commands.bf.info import TopKInfo as TopKInfo
from sync_shims._generated_redis_bf import BFCommandsTwin as BFCommands
from sync_shims._generated_redis_bf import CFCommandsTwin as CFCommands
from sync_shims._generated_redis_bf import CMSCommandsTwin as CMSCommands
from sync_shims._generated_redis_bf import TDigestCommandsTwin as TDigestCommands
from sync_shims._generated_redis_bf import TOPKCommandsTwin as TOPKCommands
from sync_shims._portal import call
from sync_shims.redis._client_mixin import _await

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis
    from sync_shims.redis.cluster import ClusterPipeline, RedisCluster

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
    "AbstractBloom",
    "BFBloom",
    "BFCommands",
    "BFInfo",
    "CFBloom",
    "CFCommands",
    "CFInfo",
    "CMSBloom",
    "CMSCommands",
    "CMSInfo",
    "TDigestBloom",
    "TDigestCommands",
    "TDigestInfo",
    "TOPKBloom",
    "TOPKCommands",
    "TopKInfo",
)


class _BlockingBloom:
    """Wraps the aio command object of ``client``'s async client (or pipeline)
    and runs its commands blocking."""

    #: The aio class whose object this one wraps.
    _ASYNC: ClassVar[type[Any]]
    #: The blocking mixin holding this object's commands (redis-py's attribute).
    commandmixin: ClassVar[type]
    _async: Any

    def __init__(
        self, client: Redis | RedisCluster | ClusterPipeline, **kwargs: Any
    ) -> None:
        # The aio object registers the reply converters on the async client,
        # which the blocking client shares (``r.response_callbacks``).
        self._async = self._ASYNC(client._async, **kwargs)
        #: The client (or pipeline) the commands run on.
        self.client = client

    @property
    def execute_command(self) -> Callable[..., Any]:
        """The client's ``execute_command`` (the commands' way out)."""
        return self.client.execute_command

    def _execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        # Built here, in the calling thread (errors and warnings raise here);
        # run on the loop, or queued by a pipeline, which then comes back.
        result = fn(*args, **kwargs)
        if result is self.client._async:
            return self.client
        if inspect.isawaitable(result):
            return call(_await, result)
        return result


class BFBloom(_BlockingBloom, BFCommands):
    """The Bloom filter commands of a blocking client or pipeline (``r.bf()``)."""

    _ASYNC = AsyncBFBloom
    commandmixin = BFCommands


class CFBloom(_BlockingBloom, CFCommands):
    """The cuckoo filter commands of a blocking client or pipeline (``r.cf()``)."""

    _ASYNC = AsyncCFBloom
    commandmixin = CFCommands


class CMSBloom(_BlockingBloom, CMSCommands):
    """The count-min sketch commands of a blocking client or pipeline
    (``r.cms()``)."""

    _ASYNC = AsyncCMSBloom
    commandmixin = CMSCommands


class TOPKBloom(_BlockingBloom, TOPKCommands):
    """The top-k commands of a blocking client or pipeline (``r.topk()``)."""

    _ASYNC = AsyncTOPKBloom
    commandmixin = TOPKCommands


class TDigestBloom(_BlockingBloom, TDigestCommands):
    """The t-digest commands of a blocking client or pipeline (``r.tdigest()``)."""

    _ASYNC = AsyncTDigestBloom
    commandmixin = TDigestCommands
