"""SENTINEL commands, sent to a sentinel through a plain client.

``Redis(host=sentinel_host, port=26379).sentinel_masters()`` and friends, as in
redis-py. (Finding a service's master and connecting to it is
:class:`aio.redis.Sentinel`'s job.) The ``once`` and ``return_responses``
options are passed on as redis-py does: they steer a client that fans commands
out to several sentinels, and a plain client ignores them.
"""

from __future__ import annotations

import warnings
from typing import Any

from aio.redis._types import EncodableT, ResponseT
from aio.redis.commands._base import CommandsBase

__all__ = ("SentinelCommands",)


class SentinelCommands(CommandsBase):
    """SENTINEL subcommands, with redis-py's method names and return values."""

    async def sentinel(self, *args: Any) -> None:
        """Deprecated in redis-py (it sends nothing): use the ``sentinel_*``
        methods."""
        warnings.warn(
            DeprecationWarning("Use the individual sentinel_* methods"), stacklevel=2
        )

    def sentinel_get_master_addr_by_name(
        self, service_name: str, return_responses: bool = False
    ) -> ResponseT:
        """``(host, port)`` of the master of ``service_name``, or None."""
        return self.execute_command(
            "SENTINEL GET-MASTER-ADDR-BY-NAME",
            service_name,
            once=True,
            return_responses=return_responses,
        )

    def sentinel_master(
        self, service_name: str, return_responses: bool = False
    ) -> ResponseT:
        """The state of the master of ``service_name``: a dict with str keys,
        numbers as int and ``is_master``/``is_sdown``/... flags as bools."""
        return self.execute_command(
            "SENTINEL MASTER", service_name, return_responses=return_responses
        )

    def sentinel_masters(self) -> ResponseT:
        """Every monitored master's state, keyed by service name."""
        return self.execute_command("SENTINEL MASTERS")

    def sentinel_sentinels(
        self, service_name: str, return_responses: bool = False
    ) -> ResponseT:
        """The other sentinels monitoring ``service_name``: a list of states."""
        return self.execute_command(
            "SENTINEL SENTINELS", service_name, return_responses=return_responses
        )

    def sentinel_slaves(self, service_name: str) -> ResponseT:
        """The replicas of ``service_name``'s master: a list of states."""
        return self.execute_command("SENTINEL SLAVES", service_name)

    def sentinel_monitor(self, name: str, ip: str, port: int, quorum: int) -> ResponseT:
        """Start monitoring a master as ``name``; returns True."""
        return self.execute_command("SENTINEL MONITOR", name, ip, port, quorum)

    def sentinel_remove(self, name: str) -> ResponseT:
        """Stop monitoring ``name``; returns True."""
        return self.execute_command("SENTINEL REMOVE", name)

    def sentinel_set(self, name: str, option: str, value: EncodableT) -> ResponseT:
        """Change a monitoring parameter of ``name``; returns True."""
        return self.execute_command("SENTINEL SET", name, option, value)

    def sentinel_reset(self, pattern: str) -> ResponseT:
        """Forget the state of the masters matching the glob ``pattern``.

        :returns: as redis-py, whether the reply was ``OK``: the server answers
            with the number of masters reset, so this is False.
        """
        return self.execute_command("SENTINEL RESET", pattern, once=True)

    def sentinel_failover(self, new_master_name: str) -> ResponseT:
        """Force a failover of ``new_master_name`` without the other
        sentinels' agreement; returns True."""
        return self.execute_command("SENTINEL FAILOVER", new_master_name)

    def sentinel_ckquorum(self, new_master_name: str) -> ResponseT:
        """Check that the sentinels can reach the quorum to fail over.

        :returns: as redis-py, whether the reply was exactly ``OK``: the
            server's ``OK <n> usable Sentinels...`` makes this False; a failed
            check raises :class:`ResponseError`.
        """
        return self.execute_command("SENTINEL CKQUORUM", new_master_name, once=True)

    def sentinel_flushconfig(self) -> ResponseT:
        """Rewrite the sentinel's configuration file; returns True."""
        return self.execute_command("SENTINEL FLUSHCONFIG")
