"""Lua scripts (EVAL, EVALSHA, SCRIPT *) and functions (FCALL, FUNCTION *).

``register_script`` (a callable ``Script`` that falls back from EVALSHA to
EVAL) belongs to the client, not to these plain commands.
"""

from __future__ import annotations

from typing import Any

from aio.redis._types import EncodableT, KeyT, ResponseT, ScriptTextT
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError

__all__ = ("ScriptingCommands",)


class ScriptingCommands(CommandsBase):
    """Script and function commands, with redis-py's names and return values."""

    def eval(
        self, script: ScriptTextT, numkeys: int, *keys_and_args: KeyT | EncodableT
    ) -> ResponseT:
        """Run a Lua script: the first ``numkeys`` arguments are keys."""
        return self.execute_command("EVAL", script, numkeys, *keys_and_args)

    def eval_ro(
        self, script: ScriptTextT, numkeys: int, *keys_and_args: KeyT | EncodableT
    ) -> ResponseT:
        """Run a read-only Lua script (Redis 7+)."""
        return self.execute_command("EVAL_RO", script, numkeys, *keys_and_args)

    def evalsha(
        self, sha: str, numkeys: int, *keys_and_args: KeyT | EncodableT
    ) -> ResponseT:
        """Run a cached script by SHA1 (NoScriptError if the server lacks it)."""
        return self.execute_command("EVALSHA", sha, numkeys, *keys_and_args)

    def evalsha_ro(
        self, sha: str, numkeys: int, *keys_and_args: KeyT | EncodableT
    ) -> ResponseT:
        """Run a cached read-only script by SHA1 (Redis 7+)."""
        return self.execute_command("EVALSHA_RO", sha, numkeys, *keys_and_args)

    def script_exists(self, *args: str) -> ResponseT:
        """Whether each SHA1 is in the script cache: a list of bools."""
        return self.execute_command("SCRIPT EXISTS", *args)

    def script_flush(self, sync_type: str | None = None) -> ResponseT:
        """Empty the script cache (``"SYNC"`` or ``"ASYNC"``); returns True.

        :raises DataError: for another ``sync_type``.
        """
        if sync_type not in ("SYNC", "ASYNC", None):
            raise DataError("script_flush: sync_type must be 'SYNC', 'ASYNC' or None")
        pieces = [] if sync_type is None else [sync_type]
        return self.execute_command("SCRIPT FLUSH", *pieces)

    def script_kill(self) -> ResponseT:
        """Kill the running script (if it has not written); returns True."""
        return self.execute_command("SCRIPT KILL")

    def script_load(self, script: ScriptTextT) -> ResponseT:
        """Cache a script; returns its SHA1 as str."""
        return self.execute_command("SCRIPT LOAD", script)

    # -- functions (Redis 7+) ---------------------------------------------------------

    def fcall(self, function: str, numkeys: int, *keys_and_args: Any) -> ResponseT:
        """Call a library function: the first ``numkeys`` arguments are keys."""
        return self.execute_command("FCALL", function, numkeys, *keys_and_args)

    def fcall_ro(self, function: str, numkeys: int, *keys_and_args: Any) -> ResponseT:
        """Call a read-only library function."""
        return self.execute_command("FCALL_RO", function, numkeys, *keys_and_args)

    def function_load(self, code: str, replace: bool | None = False) -> ResponseT:
        """Load a library (``#!lua name=...`` header); returns its name."""
        pieces: list[Any] = ["REPLACE"] if replace else []
        return self.execute_command("FUNCTION LOAD", *pieces, code)

    def function_delete(self, library: str) -> ResponseT:
        """Delete a library; returns True."""
        return self.execute_command("FUNCTION DELETE", library)

    def function_flush(self, mode: str = "SYNC") -> ResponseT:
        """Delete every library; returns True."""
        return self.execute_command("FUNCTION FLUSH", mode)

    def function_list(
        self, library: str | None = "*", withcode: bool | None = False
    ) -> ResponseT:
        """Libraries and their functions, as RESP2's nested flat lists."""
        pieces: list[Any] = []
        if library is not None:
            pieces += ["LIBRARYNAME", library]
        if withcode:
            pieces.append("WITHCODE")
        return self.execute_command("FUNCTION LIST", *pieces)

    def function_dump(self) -> ResponseT:
        """A serialized payload of every library (bytes)."""
        return self.execute_command("FUNCTION DUMP", NEVER_DECODE=True)

    def function_restore(
        self, payload: bytes, policy: str | None = "APPEND"
    ) -> ResponseT:
        """Restore libraries from ``function_dump`` (APPEND, REPLACE or FLUSH)."""
        pieces: list[Any] = [payload]
        if policy is not None:
            pieces.append(policy)
        return self.execute_command("FUNCTION RESTORE", *pieces)

    def function_kill(self) -> ResponseT:
        """Kill the running function (if it has not written)."""
        return self.execute_command("FUNCTION KILL")

    def function_stats(self) -> ResponseT:
        """The running function and engine statistics."""
        return self.execute_command("FUNCTION STATS")
