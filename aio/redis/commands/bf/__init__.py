"""RedisBloom commands: ``r.bf()``, ``r.cf()``, ``r.cms()``, ``r.topk()``,
``r.tdigest()``, redis-py's ``redis.commands.bf`` on aio.

Each accessor gives an object whose methods send one data type's commands
(Bloom filter ``BF.*``, cuckoo filter ``CF.*``, count-min sketch ``CMS.*``,
top-k ``TOPK.*``, t-digest ``TDIGEST.*``; built into Redis 8, the RedisBloom
module before) with the words redis-py sends, and convert the replies to the
values redis-py returns, on RESP2 and RESP3::

    await r.bf().create("seen", 0.01, 1000)  # True
    await r.bf().add("seen", "ada")  # 1
    await r.bf().mexists("seen", "ada", "bob")  # [1, 0]
    await r.tdigest().quantile("latency", 0.5, 0.99)  # [12.0, 80.5]

On a pipeline (``pipe.bf().add(...)``) the commands are queued. The ``*.INFO``
replies are :mod:`~aio.redis.commands.bf.info` objects; the command names are
constants here too (``BF_ADD == "BF.ADD"``), as in redis-py. ``AsyncBFBloom`` and the
other ``Async*`` names are redis-py's names for the same classes.
"""

from __future__ import annotations

from aio.redis.commands.bf._client import BFBloom as BFBloom
from aio.redis.commands.bf._client import CFBloom as CFBloom
from aio.redis.commands.bf._client import CMSBloom as CMSBloom
from aio.redis.commands.bf._client import TDigestBloom as TDigestBloom
from aio.redis.commands.bf._client import TOPKBloom as TOPKBloom

# Every name of the commands module (the command names, AbstractBloom, the
# mixins) is public here too, as redis-py's package star-imports that module.
from aio.redis.commands.bf.commands import *  # noqa: F403
from aio.redis.commands.bf.commands import __all__ as __all__
from aio.redis.commands.bf.info import BFInfo as BFInfo
from aio.redis.commands.bf.info import CFInfo as CFInfo
from aio.redis.commands.bf.info import CMSInfo as CMSInfo
from aio.redis.commands.bf.info import TDigestInfo as TDigestInfo
from aio.redis.commands.bf.info import TopKInfo as TopKInfo

# redis-py's names of its asyncio classes: here they are the same ones.
AsyncBFBloom = BFBloom
AsyncCFBloom = CFBloom
AsyncCMSBloom = CMSBloom
AsyncTOPKBloom = TOPKBloom
AsyncTDigestBloom = TDigestBloom

__all__ += (
    "AsyncBFBloom",
    "AsyncCFBloom",
    "AsyncCMSBloom",
    "AsyncTDigestBloom",
    "AsyncTOPKBloom",
    "BFBloom",
    "BFInfo",
    "CFBloom",
    "CFInfo",
    "CMSBloom",
    "CMSInfo",
    "TDigestBloom",
    "TDigestInfo",
    "TOPKBloom",
    "TopKInfo",
)
