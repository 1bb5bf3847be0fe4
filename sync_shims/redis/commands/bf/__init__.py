"""redis-py's blocking ``redis.commands.bf``: ``r.bf()``, ``r.cf()``, ``r.cms()``,
``r.topk()``, ``r.tdigest()`` on aio's engine.

Each accessor gives an object whose methods block for the reply of their
RedisBloom command (on a pipeline: queue it and return the pipeline), with
redis-py's names, arguments and results; behaviour and reply conversion are
:mod:`aio.redis.commands.bf`'s. The command is built in the calling thread, so
bad arguments raise and ``topk().count``'s ``DeprecationWarning`` is issued
there, as in redis-py. The command names are constants here too
(``BF_ADD == "BF.ADD"``). As redis-py's, each object is an
:class:`AbstractBloom` (aio's, which is ``redis.commands.bf.AbstractBloom``
here) and so has its static ``append_*`` option spellers; the command mixins
(``BFCommands``...) are not.
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

# The command names (BF_ADD...): the core's list, public here as in redis-py.
from aio.redis.commands.bf._names import *  # noqa: F403
from aio.redis.commands.bf._names import __all__ as __all__
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

__all__ += (
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


class BFBloom(_BlockingBloom, BFCommands, AbstractBloom):
    """The Bloom filter commands of a blocking client or pipeline (``r.bf()``)."""

    _ASYNC = AsyncBFBloom
    commandmixin = BFCommands


class CFBloom(_BlockingBloom, CFCommands, AbstractBloom):
    """The cuckoo filter commands of a blocking client or pipeline (``r.cf()``)."""

    _ASYNC = AsyncCFBloom
    commandmixin = CFCommands


class CMSBloom(_BlockingBloom, CMSCommands, AbstractBloom):
    """The count-min sketch commands of a blocking client or pipeline
    (``r.cms()``)."""

    _ASYNC = AsyncCMSBloom
    commandmixin = CMSCommands


class TOPKBloom(_BlockingBloom, TOPKCommands, AbstractBloom):
    """The top-k commands of a blocking client or pipeline (``r.topk()``)."""

    _ASYNC = AsyncTOPKBloom
    commandmixin = TOPKCommands


class TDigestBloom(_BlockingBloom, TDigestCommands, AbstractBloom):
    """The t-digest commands of a blocking client or pipeline (``r.tdigest()``)."""

    _ASYNC = AsyncTDigestBloom
    commandmixin = TDigestCommands
