"""Commands redis-py deliberately refuses, refused the same way (and SYNC).

redis-py raises ``NotImplementedError`` (with these messages) for commands that
crash the server, switch the connection's protocol under its parser, or print
text meant for ``redis-cli``. Code written for redis-py may rely on that refusal
(its own suite does), so these methods mirror it exactly: this is a chosen
compatibility behaviour, not a missing feature. The commands themselves stay
reachable through ``execute_command`` (as in redis-py).

SYNC is the one command here that redis-py sends: its reply cannot be parsed
as RESP (see :meth:`RefusedCommands.sync`), so it is refused with a message
saying so instead of leaving a connection stuck in replica mode.
"""

from __future__ import annotations

from typing import Any, NoReturn

from aio.redis.commands._base import CommandsBase

__all__ = ("RefusedCommands",)


def _refuse(command: str, page: str | None = None) -> NoReturn:
    if page is None:
        raise NotImplementedError(
            f"{command} is intentionally not implemented in the client."
        )
    # redis-py's multi-line form, indentation included (callers compare it).
    raise NotImplementedError(
        f"\n            {command} is intentionally not implemented in the client."
        f"\n\n            For more information, see https://redis.io/commands/{page}"
        "\n            "
    )


class RefusedCommands(CommandsBase):
    """The commands redis-py answers with ``NotImplementedError``, likewise.

    Coroutine methods where ``redis.asyncio``'s are (they raise when awaited),
    plain ones where its are (they raise on the call).
    """

    def hello(self) -> NoReturn:
        """Refused as in redis-py: HELLO would switch the protocol under the
        connection's parser (use ``Redis(protocol=3)``)."""
        _refuse("HELLO")

    def failover(self) -> NoReturn:
        """Refused as in redis-py (use ``execute_command("FAILOVER", ...)``)."""
        _refuse("FAILOVER")

    async def command_info(self, **kwargs: Any) -> NoReturn:
        """Refused as in redis-py (``command()`` gives every command's info)."""
        _refuse("COMMAND INFO")

    def command_docs(self, *args: Any) -> NoReturn:
        """Refused as in redis-py."""
        _refuse("COMMAND DOCS")

    async def debug_segfault(self, **kwargs: Any) -> NoReturn:
        """Refused as in redis-py: it crashes the server."""
        _refuse("DEBUG SEGFAULT", "debug-segfault")

    async def script_debug(self, *args: Any) -> NoReturn:
        """Refused as in redis-py: the Lua debugger needs ``redis-cli``."""
        _refuse("SCRIPT DEBUG")

    async def memory_doctor(self, **kwargs: Any) -> NoReturn:
        """Refused as in redis-py: a report for humans (``redis-cli``)."""
        _refuse("MEMORY DOCTOR", "memory-doctor")

    async def memory_help(self, **kwargs: Any) -> NoReturn:
        """Refused as in redis-py: help text for ``redis-cli``."""
        _refuse("MEMORY HELP", "memory-help")

    def latency_doctor(self) -> NoReturn:
        """Refused as in redis-py: a report for humans (``redis-cli``)."""
        _refuse("LATENCY DOCTOR", "latency-doctor")

    def latency_graph(self) -> NoReturn:
        """Refused as in redis-py: an ASCII graph for ``redis-cli``."""
        _refuse("LATENCY GRAPH", "latency-graph")

    async def sync(self) -> NoReturn:
        """Refused (redis-py sends it): SYNC answers with the dataset as RDB
        bytes without RESP's closing CRLF, then the replication stream, which
        no RESP parser can follow. :meth:`psync` gives the handshake line;
        ``redis-cli --rdb FILE`` fetches a snapshot."""
        raise NotImplementedError(
            "SYNC is not supported: its reply (RDB bytes, then the replication"
            " stream) is not RESP. Use psync() for the handshake, or"
            " `redis-cli --rdb FILE` for a snapshot."
        )

    def latency_histogram(self, *args: Any) -> NoReturn:
        """Refused as in redis-py."""
        _refuse("LATENCY HISTOGRAM")
