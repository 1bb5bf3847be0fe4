"""``r.bf()``, ``r.cf()``, ``r.cms()``, ``r.topk()``, ``r.tdigest()``: the
RedisBloom command objects.

Each holds a client (a :class:`~aio.redis.Redis`, a pipeline of one, or a
cluster client) and runs its commands through the client's
``execute_command``. Making one registers its reply converters on the client's
``response_callbacks`` for the protocol the client speaks, as redis-py does
(``"BF.INFO" in r.response_callbacks`` afterwards).
"""

from __future__ import annotations

from typing import Any, ClassVar

from aio.redis._connection import resp_version
from aio.redis.commands.bf._replies import bloom_callbacks
from aio.redis.commands.bf.commands import (
    BFCommands,
    CFCommands,
    CMSCommands,
    TDigestCommands,
    TOPKCommands,
)

__all__ = ("BFBloom", "CFBloom", "CMSBloom", "TDigestBloom", "TOPKBloom")


class _Bloom:
    """Binds the commands of one RedisBloom type to ``client``."""

    #: Which converters to register (a key of ``bloom_callbacks``).
    _FAMILY: ClassVar[str]
    #: The mixin holding this object's commands (redis-py's attribute).
    commandmixin: ClassVar[type]

    def __init__(self, client: Any, **kwargs: Any) -> None:
        # **kwargs: taken and ignored, as redis-py's constructors do.
        self.client = client
        self.execute_command = client.execute_command
        protocol = resp_version(client.get_connection_kwargs().get("protocol"))
        for command, callback in bloom_callbacks(self._FAMILY, protocol).items():
            client.set_response_callback(command, callback)


class BFBloom(_Bloom, BFCommands):
    """The Bloom filter commands of a client (``r.bf()``): awaitables on a
    client, queued on a pipeline.

    .. versionadded:: 0.1
    """

    _FAMILY = "bf"
    commandmixin = BFCommands


class CFBloom(_Bloom, CFCommands):
    """The cuckoo filter commands of a client (``r.cf()``).

    .. versionadded:: 0.1
    """

    _FAMILY = "cf"
    commandmixin = CFCommands


class CMSBloom(_Bloom, CMSCommands):
    """The count-min sketch commands of a client (``r.cms()``).

    .. versionadded:: 0.1
    """

    _FAMILY = "cms"
    commandmixin = CMSCommands


class TOPKBloom(_Bloom, TOPKCommands):
    """The top-k commands of a client (``r.topk()``).

    .. versionadded:: 0.1
    """

    _FAMILY = "topk"
    commandmixin = TOPKCommands


class TDigestBloom(_Bloom, TDigestCommands):
    """The t-digest commands of a client (``r.tdigest()``).

    .. versionadded:: 0.1
    """

    _FAMILY = "tdigest"
    commandmixin = TDigestCommands
