"""The seam between the command mixins and the client classes that run them.

A mixin method only builds the argument list and calls ``execute_command``; the
class it is mixed into decides what that means: ``Redis`` sends the command and
returns an awaitable of the converted reply, ``Pipeline`` buffers it and returns
itself. The reply converters are looked up by command name in
:mod:`aio.redis.commands._callbacks`.

Conventions every mixin follows (the client relies on them):

* the first argument is the command name; a two-word command is one string
  (``"CONFIG GET"``), which the encoder splits on the space, and which is also
  the key of its reply converter;
* options that are not for the connection flow to the converter as keyword
  arguments (``withscores=True``, ``score_cast_func=float``);
* ``keys=[...]`` names the keys (cluster routing, client-side caching);
* ``NEVER_DECODE=True`` asks for bytes even with ``decode_responses``;
* ``timeout=seconds`` on a blocking command (BLPOP, XREAD BLOCK, WAIT, ...)
  tells the connection how long the server may legitimately stay silent
  (``0`` means forever), so its read timeout can be extended.
"""

from __future__ import annotations

from collections.abc import Callable

from aio.redis._types import ResponseT

__all__ = ("CommandsBase",)


class CommandsBase:
    """Declares ``execute_command`` for the type checker; clients provide it."""

    # An annotation only: the client class mixing these in defines the method.
    execute_command: Callable[..., ResponseT]

    def _decodes_responses(self) -> bool:
        """Whether this client returns str replies (``decode_responses=True``).

        For the few methods whose result the client builds itself (a local
        digest, a RESP3 double turned back into RESP2's text): the clients
        expose ``get_encoder()``; a mixin used without one gets bytes.
        """
        get_encoder = getattr(self, "get_encoder", None)
        return get_encoder is not None and bool(get_encoder()[2])
