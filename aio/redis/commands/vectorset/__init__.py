"""Vector sets: ``r.vset()``, redis-py's ``redis.commands.vectorset`` on aio.

``r.vset()`` (and ``pipe.vset()``) gives a :class:`VectorSet` whose methods
send the vector-set commands of Redis 8 (``VADD``, ``VSIM``, ``VEMB``...) with
the words redis-py sends, and convert the replies to the Python values redis-py
returns, on RESP2 and RESP3::

    vs = r.vset()
    await vs.vadd("points", [0.1, 0.2], "a", attributes={"color": "red"})
    await vs.vsim("points", [0.1, 0.25], with_scores=True)  # {b"a": 0.99...}
    await vs.vgetattr("points", "a")  # {"color": "red"}

:class:`QuantizationOptions` (``from aio.redis.commands.vectorset.commands
import QuantizationOptions``, as from redis-py's module) picks ``VADD``'s
storage; :class:`VectorSetReplyError` is raised for a reply that is not what
its command answers.
"""

from __future__ import annotations

from aio.redis.commands.vectorset._client import AsyncVectorSet as AsyncVectorSet
from aio.redis.commands.vectorset._client import VectorSet as VectorSet
from aio.redis.commands.vectorset._replies import (
    VectorSetAttributesError as VectorSetAttributesError,
)
from aio.redis.commands.vectorset._replies import (
    VectorSetReplyError as VectorSetReplyError,
)
from aio.redis.commands.vectorset.commands import CallbacksOptions as CallbacksOptions
from aio.redis.commands.vectorset.commands import (
    QuantizationOptions as QuantizationOptions,
)
from aio.redis.commands.vectorset.commands import (
    VectorSetCommands as VectorSetCommands,
)

__all__ = (
    "AsyncVectorSet",
    "CallbacksOptions",
    "QuantizationOptions",
    "VectorSet",
    "VectorSetAttributesError",
    "VectorSetCommands",
    "VectorSetReplyError",
)
