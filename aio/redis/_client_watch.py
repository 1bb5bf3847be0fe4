"""``watch()``/``unwatch()`` on a client (plain or cluster), as redis-py's.

WATCH only means something on the connection of a transaction, which a
client's commands do not hold between calls: redis-py's clients, plain and
cluster, asyncio and blocking, warn (``DeprecationWarning``) and send nothing.
A pipeline's ``watch()``/``unwatch()`` are the real commands.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ("WarnsWatch",)


class WarnsWatch:
    """The two methods, for the clients' classes (a pipeline overrides them)."""

    async def watch(self, *names: Any) -> None:
        """Not a command on a client: WATCH only means something on the
        connection of a transaction, so, as redis-py, this warns
        (``DeprecationWarning``) and sends nothing: call it on a
        :meth:`pipeline`."""
        warnings.warn(
            DeprecationWarning("Call WATCH from a Pipeline object"), stacklevel=2
        )

    async def unwatch(self) -> None:
        """As :meth:`watch`: warns (``DeprecationWarning``) and sends nothing;
        call it on a :meth:`pipeline`."""
        warnings.warn(
            DeprecationWarning("Call UNWATCH from a Pipeline object"), stacklevel=2
        )
