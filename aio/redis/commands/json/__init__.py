"""RedisJSON commands: ``r.json()``, redis-py's ``redis.commands.json`` on aio.

``r.json()`` (and ``pipe.json()``) gives a :class:`JSON` object whose methods
send the ``JSON.*`` commands of the RedisJSON module (built into Redis 8, a
module before) with the words redis-py sends, and convert the replies to the
Python values redis-py returns, on RESP2 and RESP3::

    doc = r.json()
    await doc.set("user:1", "$", {"name": "Ada", "langs": ["en"]})
    await doc.arrappend("user:1", "$.langs", "fr")  # [2]
    await doc.get("user:1", "$.name")  # ["Ada"]

:class:`Path` spells paths as redis-py's ``redis.commands.json.path.Path``;
:class:`JSONReplyError` is raised for a reply that is not JSON.
"""

from __future__ import annotations

from aio.redis.commands.json._client import JSON as JSON
from aio.redis.commands.json._client import JSONPipeline as JSONPipeline
from aio.redis.commands.json._commands import Encoder as Encoder
from aio.redis.commands.json._commands import FPHAType as FPHAType
from aio.redis.commands.json._commands import JSONCommands as JSONCommands
from aio.redis.commands.json._replies import Decoder as Decoder
from aio.redis.commands.json._replies import JSONReplyError as JSONReplyError
from aio.redis.commands.json.path import Path as Path

__all__ = (
    "JSON",
    "Decoder",
    "Encoder",
    "FPHAType",
    "JSONCommands",
    "JSONPipeline",
    "JSONReplyError",
    "Path",
)
