"""Server management commands: INFO, CONFIG, FLUSHDB, SLOWLOG, MEMORY, SAVE...

Also MODULE LOAD/LOADEX/UNLOAD, HOTKEYS (Redis 8.6+) and PSYNC.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from aio.redis import exceptions
from aio.redis._connection import NEVER_DECODE
from aio.redis._types import EncodableT, KeysT, KeyT, PatternT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import list_or_args, option_word
from aio.redis.exceptions import DataError, RedisError

__all__ = ("HotkeysMetricsTypes", "ServerCommands")


class HotkeysMetricsTypes(enum.Enum):
    """What HOTKEYS START ranks keys by: CPU time or network bytes."""

    CPU = "CPU"
    NET = "NET"


class ServerCommands(CommandsBase):
    """Server commands, with redis-py's method names and return values."""

    def info(self, section: str | None = None, *args: str, **kwargs: Any) -> ResponseT:
        """Server information as a dict (``info("memory")`` for one section)."""
        if section is None:
            return self.execute_command("INFO", **kwargs)
        return self.execute_command("INFO", section, *args, **kwargs)

    def dbsize(self, **kwargs: Any) -> ResponseT:
        """The number of keys in the current database."""
        return self.execute_command("DBSIZE", **kwargs)

    def flushdb(self, asynchronous: bool = False, **kwargs: Any) -> ResponseT:
        """Delete every key of the current database; returns True."""
        args = ["ASYNC"] if asynchronous else []
        return self.execute_command("FLUSHDB", *args, **kwargs)

    def flushall(self, asynchronous: bool = False, **kwargs: Any) -> ResponseT:
        """Delete every key of every database; returns True."""
        args = ["ASYNC"] if asynchronous else []
        return self.execute_command("FLUSHALL", *args, **kwargs)

    def swapdb(self, first: int, second: int, **kwargs: Any) -> ResponseT:
        """Swap two databases; returns True."""
        return self.execute_command("SWAPDB", first, second, **kwargs)

    def time(self, **kwargs: Any) -> ResponseT:
        """The server clock: ``(seconds, microseconds)``."""
        return self.execute_command("TIME", **kwargs)

    def lastsave(self, **kwargs: Any) -> ResponseT:
        """When the last save succeeded, as a datetime."""
        return self.execute_command("LASTSAVE", **kwargs)

    def save(self, **kwargs: Any) -> ResponseT:
        """Save the dataset synchronously; returns True."""
        return self.execute_command("SAVE", **kwargs)

    def bgsave(self, schedule: bool = True, **kwargs: Any) -> ResponseT:
        """Save in the background (``schedule``: after a running rewrite)."""
        args = ["SCHEDULE"] if schedule else []
        return self.execute_command("BGSAVE", *args, **kwargs)

    def bgrewriteaof(self, **kwargs: Any) -> ResponseT:
        """Rewrite the append-only file in the background; returns True."""
        return self.execute_command("BGREWRITEAOF", **kwargs)

    def config_get(
        self, pattern: PatternT = "*", *args: PatternT, **kwargs: Any
    ) -> ResponseT:
        """Configuration parameters matching the patterns: ``{name: value}``."""
        return self.execute_command("CONFIG GET", pattern, *args, **kwargs)

    def config_set(
        self, name: KeyT, value: EncodableT, *args: KeyT | EncodableT, **kwargs: Any
    ) -> ResponseT:
        """Set configuration parameters (more name/value pairs in ``args``)."""
        return self.execute_command("CONFIG SET", name, value, *args, **kwargs)

    def config_resetstat(self, **kwargs: Any) -> ResponseT:
        """Reset the INFO statistics; returns True."""
        return self.execute_command("CONFIG RESETSTAT", **kwargs)

    def config_rewrite(self, **kwargs: Any) -> ResponseT:
        """Rewrite redis.conf with the running configuration."""
        return self.execute_command("CONFIG REWRITE", **kwargs)

    def debug_object(self, key: KeyT, **kwargs: Any) -> ResponseT:
        """DEBUG OBJECT as a dict (``refcount``, ``encoding``, ``serializedlength``...)."""
        return self.execute_command("DEBUG OBJECT", key, **kwargs)

    def memory_usage(
        self, key: KeyT, samples: int | None = None, **kwargs: Any
    ) -> ResponseT:
        """Bytes used by ``key`` and its value (None if missing)."""
        args: list[Any] = []
        if isinstance(samples, int):
            args += ["SAMPLES", samples]
        return self.execute_command("MEMORY USAGE", key, *args, **kwargs)

    def memory_stats(self, **kwargs: Any) -> ResponseT:
        """MEMORY STATS as a dict with str keys."""
        return self.execute_command("MEMORY STATS", **kwargs)

    def memory_purge(self, **kwargs: Any) -> ResponseT:
        """Ask the allocator to release memory; returns True."""
        return self.execute_command("MEMORY PURGE", **kwargs)

    def slowlog_get(self, num: int | None = None, **kwargs: Any) -> ResponseT:
        """The slow log: one dict per entry (newest first), arguments as bytes."""
        args: list[Any] = [] if num is None else [num]
        # Logged arguments may be binary: redis-py keeps them bytes even when
        # decoding, and so do we.
        return self.execute_command("SLOWLOG GET", *args, NEVER_DECODE=True, **kwargs)

    def slowlog_len(self, **kwargs: Any) -> ResponseT:
        """The number of entries in the slow log."""
        return self.execute_command("SLOWLOG LEN", **kwargs)

    def slowlog_reset(self, **kwargs: Any) -> ResponseT:
        """Empty the slow log; returns True."""
        return self.execute_command("SLOWLOG RESET", **kwargs)

    def wait(self, num_replicas: int, timeout: int, **kwargs: Any) -> ResponseT:
        """Wait up to ``timeout`` ms for replicas to acknowledge; returns how many did."""
        return self.execute_command(
            "WAIT", num_replicas, timeout, timeout=timeout / 1000, **kwargs
        )

    def command_count(self, **kwargs: Any) -> ResponseT:
        """The number of commands the server knows."""
        return self.execute_command("COMMAND COUNT", **kwargs)

    def command_list(
        self,
        module: str | None = None,
        category: str | None = None,
        pattern: str | None = None,
    ) -> ResponseT:
        """Command names, optionally filtered by module, ACL category or pattern."""
        pieces: list[Any] = []
        if module is not None:
            pieces += ["MODULE", module]
        if category is not None:
            pieces += ["ACLCAT", category]
        if pattern is not None:
            pieces += ["PATTERN", pattern]
        if pieces:
            pieces.insert(0, "FILTERBY")
        return self.execute_command("COMMAND LIST", *pieces)

    def command(self, **kwargs: Any) -> ResponseT:
        """Details of every command the server knows: a dict keyed by name."""
        return self.execute_command("COMMAND", **kwargs)

    def command_getkeysandflags(self, *args: EncodableT) -> ResponseT:
        """The key arguments of a full command line, each with its key flags."""
        return self.execute_command("COMMAND GETKEYSANDFLAGS", *args)

    def command_getkeys(self, *args: EncodableT) -> ResponseT:
        """The key arguments of a full command line."""
        return self.execute_command("COMMAND GETKEYS", *args)

    def lolwut(self, *version_numbers: str | float, **kwargs: Any) -> ResponseT:
        """Redis' art (and version); ``lolwut(5)`` picks the art version."""
        if version_numbers:
            return self.execute_command("LOLWUT", "VERSION", *version_numbers, **kwargs)
        return self.execute_command("LOLWUT", **kwargs)

    async def shutdown(
        self,
        save: bool = False,
        nosave: bool = False,
        now: bool = False,
        force: bool = False,
        abort: bool = False,
        **kwargs: Any,
    ) -> None:
        """Stop the server; returns when the connection drops, as redis-py does.

        :raises DataError: for ``save`` with ``nosave``.
        :raises RedisError: when the server answered instead of going away.
        """
        if save and nosave:
            raise DataError("shutdown: save and nosave cannot both be set")
        flags = (("SAVE", save), ("NOSAVE", nosave), ("NOW", now), ("FORCE", force))
        args = [token for token, on in (*flags, ("ABORT", abort)) if on]
        try:
            await self.execute_command("SHUTDOWN", *args, **kwargs)
        except exceptions.ConnectionError:
            return  # the server closed the connection: it is shutting down
        raise RedisError("SHUTDOWN seems to have failed.")

    def slaveof(
        self, host: str | None = None, port: int | None = None, **kwargs: Any
    ) -> ResponseT:
        """Replicate ``host:port``, or stop replicating when both are None."""
        if host is None and port is None:
            return self.execute_command("SLAVEOF", "NO", "ONE", **kwargs)
        return self.execute_command("SLAVEOF", host, port, **kwargs)

    def memory_malloc_stats(self, **kwargs: Any) -> ResponseT:
        """The allocator's statistics, as text."""
        return self.execute_command("MEMORY MALLOC-STATS", **kwargs)

    def migrate(
        self,
        host: str,
        port: int,
        keys: KeysT,
        destination_db: int,
        timeout: int,
        copy: bool = False,
        replace: bool = False,
        auth: str | None = None,
        **kwargs: Any,
    ) -> ResponseT:
        """Move keys to another server (``timeout`` in ms); ``copy`` keeps them here.

        :raises DataError: when no key is given.
        """
        names = list_or_args(keys, [])
        if not names:
            raise DataError("migrate: at least one key is required")
        pieces: list[Any] = []
        if copy:
            pieces.append("COPY")
        if replace:
            pieces.append("REPLACE")
        if auth:
            pieces += ["AUTH", auth]
        pieces += ["KEYS", *names]
        # The empty key slot: KEYS below carries them (the multi-key form).
        return self.execute_command(
            "MIGRATE", host, port, "", destination_db, timeout, *pieces, **kwargs
        )

    def waitaof(
        self, num_local: int, num_replicas: int, timeout: int, **kwargs: Any
    ) -> ResponseT:
        """Wait up to ``timeout`` ms for AOF fsyncs (Redis 7.2+): ``[local, replicas]``."""
        return self.execute_command(
            "WAITAOF",
            num_local,
            num_replicas,
            timeout,
            timeout=timeout / 1000,
            **kwargs,
        )

    def module_list(self) -> ResponseT:
        """Loaded modules, one dict each."""
        return self.execute_command("MODULE LIST")

    def latency_history(self, event: str) -> ResponseT:
        """``[[timestamp, latency_ms], ...]`` samples of one latency event."""
        return self.execute_command("LATENCY HISTORY", event)

    def role(self) -> ResponseT:
        """The replication role and its details, as the server sends them."""
        return self.execute_command("ROLE")

    def replicaof(self, *args: Any, **kwargs: Any) -> ResponseT:
        """REPLICAOF host port, or REPLICAOF NO ONE."""
        return self.execute_command("REPLICAOF", *args, **kwargs)

    def latency_latest(self) -> ResponseT:
        """The latest latency spike per event."""
        return self.execute_command("LATENCY LATEST")

    def latency_reset(self, *events: str) -> ResponseT:
        """Reset latency history; returns how many event series were reset."""
        return self.execute_command("LATENCY RESET", *events)

    # -- modules ----------------------------------------------------------------------

    def module_load(self, path: str, *args: EncodableT) -> ResponseT:
        """Load the module at ``path`` on the server, passing it ``args``;
        returns True.

        :raises ModuleError: the server could not load it.
        """
        return self.execute_command("MODULE LOAD", path, *args)

    def module_loadex(
        self,
        path: str,
        options: list[str] | None = None,
        args: list[str] | None = None,
    ) -> ResponseT:
        """MODULE LOADEX: load a module with ``CONFIG`` directives (``options``:
        flat name/value words) and ``ARGS``."""
        pieces: list[Any] = []
        if options is not None:
            pieces += ["CONFIG", *options]
        if args is not None:
            pieces += ["ARGS", *args]
        return self.execute_command("MODULE LOADEX", path, *pieces)

    def module_unload(self, name: str) -> ResponseT:
        """Unload the module ``name``; returns True.

        :raises ModuleError: no module of that name is loaded.
        """
        return self.execute_command("MODULE UNLOAD", name)

    def load_external_module(self, funcname: str, func: Callable[..., Any]) -> None:
        """Attach ``func`` to this client as ``funcname`` (how redis-py plugs in
        the command namespaces of third-party modules: ``r.foo().dothing()``)."""
        setattr(self, funcname, func)

    # -- HOTKEYS (Redis 8.6+) -------------------------------------------------------

    def hotkeys_start(
        self,
        metrics: Sequence[HotkeysMetricsTypes],
        count: int | None = None,
        duration: int | None = None,
        sample_ratio: int | None = None,
        slots: Sequence[int] | None = None,
        **kwargs: Any,
    ) -> ResponseT:
        """Start ranking the hottest keys by ``metrics`` (:class:`HotkeysMetricsTypes`).

        :param count: how many keys each ranking keeps.
        :param duration: stop by itself after this many seconds.
        :param sample_ratio: track each command with probability 1/ratio.
        :param slots: only keys of these hash slots (cluster mode).
        :raises DataError: for an unknown metric.
        """
        words = [option_word(m, "HOTKEYS metric", ("CPU", "NET")) for m in metrics]
        pieces: list[Any] = ["METRICS", len(words), *words]
        for token, value in (
            ("COUNT", count),
            ("DURATION", duration),
            ("SAMPLE", sample_ratio),
        ):
            if value is not None:
                pieces += [token, value]
        if slots is not None:
            pieces += ["SLOTS", len(slots), *slots]
        return self.execute_command("HOTKEYS START", *pieces, **kwargs)

    def hotkeys_stop(self, **kwargs: Any) -> ResponseT:
        """Stop the running hotkeys session (its results stay readable)."""
        return self.execute_command("HOTKEYS STOP", **kwargs)

    def hotkeys_get(self, **kwargs: Any) -> ResponseT:
        """The current or last hotkeys session: a list with one dict (one per
        node where replies are aggregated), or None when there is none."""
        return self.execute_command("HOTKEYS GET", **kwargs)

    def hotkeys_reset(self, **kwargs: Any) -> ResponseT:
        """Discard the last session's results (an error while one runs)."""
        return self.execute_command("HOTKEYS RESET", **kwargs)

    # -- replication --------------------------------------------------------------------

    async def psync(self, replicationid: str, offset: int) -> bytes:
        """Start replication as a replica would: returns the server's first
        line (``b"FULLRESYNC <replid> <offset>"`` or ``b"CONTINUE ..."``).

        What follows (the dataset, then the command stream) is not RESP, so
        the command runs on a connection of its own that is closed after
        that line, never given back to the pool in replica mode.

        :raises RedisError: on a client without a connection pool (cluster).
        """
        pool = getattr(self, "connection_pool", None)
        if pool is None:
            raise RedisError("psync() needs a client with a connection_pool")
        conn = await pool.get_connection()
        try:
            reply = await conn.execute(
                ("PSYNC", replicationid, offset), {NEVER_DECODE: True}
            )
        finally:
            await conn.disconnect()
            await pool.release(conn)
        return bytes(reply)
