"""A module-command case for :mod:`tests.redis.scripted_server`: one method
call and the reply the module gives it on each protocol.

The ``scripted_*`` modules (JSON, TimeSeries, vector sets, Bloom) list their
:data:`CASES` with it; a test scripts ``case.reply(wire)`` and runs
``case.call(obj)`` on each library's object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ("SAME", "Case", "RepliesByProtocol")

#: A case's RESP3 reply when it is the RESP2 one.
SAME: Any = object()


class RepliesByProtocol:
    """:meth:`reply` of a case with a ``resp2`` and a ``resp3`` reply."""

    resp2: object
    resp3: object

    def reply(self, protocol: int) -> object:
        """The scripted reply for ``protocol``."""
        return self.resp2 if protocol == 2 or self.resp3 is SAME else self.resp3


@dataclass(frozen=True)
class Case(RepliesByProtocol):
    """One method call and the module's reply to it on each protocol.

    :param call: ``call(module_object)``: the method call (an awaitable, the
        reply, or the pipeline, depending on the object).
    :param resp3: the RESP3 reply, when not the RESP2 one.
    """

    id: str
    call: Callable[[Any], Any]
    resp2: object
    resp3: object = SAME
