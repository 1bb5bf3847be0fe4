"""HIMPORT (Redis 8.9): hashes written from a prepared list of field names.

``himport_set`` is the command applications call; the client prepares the
fieldset on the connection that serves it (see :mod:`aio.redis.himport`), so
the ``*_internal`` methods, which send the bare wire commands, are for tests
and tools only: a fieldset prepared by hand on one pooled connection is unknown
to the others. The client methods that declare fieldsets (``himport_prepare``,
``himport_discard``, ``himport_discard_all``) live on the client.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aio.redis._types import EncodableT, FieldT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError
from aio.redis.himport import (
    HIMPORT_DISCARD,
    HIMPORT_DISCARDALL,
    HIMPORT_PREPARE,
    HIMPORT_SET,
)

__all__ = ("HImportCommands", "to_int")


def to_int(response: Any, **options: Any) -> int:
    """An integer reply as ``int`` (redis-py's ``int`` callback)."""
    return int(response)


class HImportCommands(CommandsBase):
    """The HIMPORT commands, with redis-py 8.1's names and replies."""

    def himport_set(
        self, key: KeyT, fieldset_name: str, values: Iterable[EncodableT]
    ) -> ResponseT:
        """Write ``key`` as a hash: the fields of ``fieldset_name`` (declared
        with ``himport_prepare``) get ``values``, in order. Returns True.

        The connection that runs it prepares the fieldset first, in the same
        write, when it has not yet (or has an older declaration); a fieldset
        the server lost is prepared again and the SET retried once (not in a
        pipeline, whose fieldsets are prepared once before the batch).

        :raises DataError: ``values`` is a single string or bytes.
        :raises ResponseError: the server refused the PREPARE or the SET.
        """
        if isinstance(values, str | bytes | bytearray | memoryview):
            raise DataError(
                "HIMPORT values must be a collection of values, not a string"
            )
        return self.execute_command(
            HIMPORT_SET, key, fieldset_name, *values, keys=[key]
        )

    def himport_prepare_internal(
        self, fieldset_name: str, fields: Iterable[FieldT]
    ) -> ResponseT:
        """Send ``HIMPORT PREPARE fieldset_name field...`` on whichever
        connection runs it (True). Use the client's ``himport_prepare``."""
        return self.execute_command(HIMPORT_PREPARE, fieldset_name, *fields)

    def himport_discard_internal(self, fieldset_name: str) -> ResponseT:
        """Send ``HIMPORT DISCARD fieldset_name`` (1 removed, 0 unknown). Use
        the client's ``himport_discard``."""
        return self.execute_command(HIMPORT_DISCARD, fieldset_name)

    def himport_discard_all_internal(self) -> ResponseT:
        """Send ``HIMPORT DISCARDALL`` (the number removed). Use the client's
        ``himport_discard_all``."""
        return self.execute_command(HIMPORT_DISCARDALL)
