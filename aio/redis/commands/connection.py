"""Connection commands: PING, ECHO, SELECT, AUTH, QUIT, RESET, READONLY,
READWRITE and CLIENT *.

SELECT, AUTH and RESET change the state of the one connection they run on; with
a pool, prefer ``Redis(db=..., password=...)`` so every connection gets them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aio.redis._types import EncodableT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError

__all__ = ("ConnectionCommands",)

_CLIENT_TYPES = ("normal", "master", "slave", "replica", "pubsub")


class ConnectionCommands(CommandsBase):
    """Connection commands, with redis-py's method names and return values."""

    def ping(self, **kwargs: Any) -> ResponseT:
        """PING the server; returns True."""
        return self.execute_command("PING", **kwargs)

    def echo(self, value: EncodableT, **kwargs: Any) -> ResponseT:
        """Return ``value`` from the server."""
        return self.execute_command("ECHO", value, **kwargs)

    def select(self, index: int, **kwargs: Any) -> ResponseT:
        """Switch this connection to database ``index``; returns True."""
        return self.execute_command("SELECT", index, **kwargs)

    def auth(
        self, password: str, username: str | None = None, **kwargs: Any
    ) -> ResponseT:
        """Authenticate this connection (ACL ``username`` optional); returns True."""
        pieces: list[Any] = [] if username is None else [username]
        return self.execute_command("AUTH", *pieces, password, **kwargs)

    def quit(self, **kwargs: Any) -> ResponseT:
        """Ask the server to close the connection; returns True."""
        return self.execute_command("QUIT", **kwargs)

    def reset(self) -> ResponseT:
        """Reset the connection's state; returns ``"RESET"``."""
        return self.execute_command("RESET")

    def readonly(self, **kwargs: Any) -> ResponseT:
        """Let this connection to a cluster replica serve reads; returns True.

        Per connection: ``RedisCluster(read_from_replicas=True)`` sends it on
        every replica connection itself.
        """
        return self.execute_command("READONLY", **kwargs)

    def readwrite(self, **kwargs: Any) -> ResponseT:
        """Undo :meth:`readonly` on this connection; returns True."""
        return self.execute_command("READWRITE", **kwargs)

    # -- CLIENT ---------------------------------------------------------------------

    def client_id(self, **kwargs: Any) -> ResponseT:
        """This connection's client ID."""
        return self.execute_command("CLIENT ID", **kwargs)

    def client_getname(self, **kwargs: Any) -> ResponseT:
        """This connection's name (str) or None."""
        return self.execute_command("CLIENT GETNAME", **kwargs)

    def client_setname(self, name: str, **kwargs: Any) -> ResponseT:
        """Name this connection; returns True."""
        return self.execute_command("CLIENT SETNAME", name, **kwargs)

    def client_setinfo(self, attr: str, value: str, **kwargs: Any) -> ResponseT:
        """Set LIB-NAME or LIB-VER for this connection (Redis 7.2+)."""
        return self.execute_command("CLIENT SETINFO", attr, value, **kwargs)

    def client_info(self, **kwargs: Any) -> ResponseT:
        """This connection's CLIENT INFO as a dict."""
        return self.execute_command("CLIENT INFO", **kwargs)

    def client_list(
        self,
        _type: str | None = None,
        client_id: Sequence[EncodableT] = (),
        **kwargs: Any,
    ) -> ResponseT:
        """Connected clients, one dict each; filter by type or IDs.

        :raises DataError: for an unknown client type.
        """
        args: list[Any] = []
        if _type is not None:
            if str(_type).lower() not in _CLIENT_TYPES:
                raise DataError(f"client_list: type must be one of {_CLIENT_TYPES}")
            args += ["TYPE", _type]
        if client_id:
            args += ["ID", *client_id]
        return self.execute_command("CLIENT LIST", *args, **kwargs)

    def client_kill(self, address: str, **kwargs: Any) -> ResponseT:
        """Close the client at ``ip:port``; returns True."""
        return self.execute_command("CLIENT KILL", address, **kwargs)

    def client_kill_filter(
        self,
        _id: int | str | None = None,
        _type: str | None = None,
        addr: str | None = None,
        skipme: bool | None = None,
        laddr: str | None = None,
        user: str | None = None,
        maxage: int | None = None,
        **kwargs: Any,
    ) -> ResponseT:
        """Close clients matching filters; returns how many were closed.

        :raises DataError: when no filter is given or the type is unknown.
        """
        args: list[Any] = []
        if _type is not None:
            if str(_type).lower() not in _CLIENT_TYPES:
                raise DataError(
                    f"client_kill_filter: type must be one of {_CLIENT_TYPES}"
                )
            args += ["TYPE", _type]
        if skipme is not None:
            if not isinstance(skipme, bool):
                raise DataError("client_kill_filter: skipme must be a bool")
            args += ["SKIPME", "YES" if skipme else "NO"]
        for token, value in (
            ("ID", _id),
            ("ADDR", addr),
            ("LADDR", laddr),
            ("USER", user),
            ("MAXAGE", maxage),
        ):
            if value is not None:
                args += [token, value]
        if not args:
            raise DataError("client_kill_filter: at least one filter is required")
        return self.execute_command("CLIENT KILL", *args, **kwargs)

    def client_pause(self, timeout: int, all: bool = True, **kwargs: Any) -> ResponseT:
        """Pause clients for ``timeout`` ms (only writes with ``all=False``)."""
        if not isinstance(timeout, int):
            raise DataError("client_pause: timeout must be an integer (ms)")
        args: list[Any] = [timeout] if all else [timeout, "WRITE"]
        return self.execute_command("CLIENT PAUSE", *args, **kwargs)

    def client_unpause(self, **kwargs: Any) -> ResponseT:
        """End a CLIENT PAUSE."""
        return self.execute_command("CLIENT UNPAUSE", **kwargs)

    def client_unblock(
        self, client_id: int, error: bool = False, **kwargs: Any
    ) -> ResponseT:
        """Unblock a client blocked in BLPOP & co; returns whether it was blocked."""
        args: list[Any] = ["CLIENT UNBLOCK", client_id]
        if error:
            args.append("ERROR")
        return self.execute_command(*args, **kwargs)

    def client_reply(self, reply: str, **kwargs: Any) -> ResponseT:
        """CLIENT REPLY ON/OFF/SKIP (OFF/SKIP leave replies unread: use with care)."""
        if reply not in ("ON", "OFF", "SKIP"):
            raise DataError("client_reply: reply must be ON, OFF or SKIP")
        return self.execute_command("CLIENT REPLY", reply, **kwargs)

    def client_no_evict(self, mode: str) -> ResponseT:
        """CLIENT NO-EVICT ON/OFF."""
        return self.execute_command("CLIENT NO-EVICT", mode)

    def client_no_touch(self, mode: str) -> ResponseT:
        """CLIENT NO-TOUCH ON/OFF (Redis 7.2+)."""
        return self.execute_command("CLIENT NO-TOUCH", mode)

    def client_tracking(
        self,
        on: bool = True,
        clientid: int | None = None,
        prefix: Sequence[KeyT] = (),
        bcast: bool = False,
        optin: bool = False,
        optout: bool = False,
        noloop: bool = False,
        **kwargs: Any,
    ) -> ResponseT:
        """Turn client-side caching invalidation tracking on or off."""
        if len(prefix) != 0 and not bcast:
            raise DataError("client_tracking: prefix can only be used with bcast")
        pieces: list[Any] = ["ON" if on else "OFF"]
        if clientid is not None:
            pieces += ["REDIRECT", clientid]
        for p in prefix:
            pieces += ["PREFIX", p]
        for token, flag in (
            ("BCAST", bcast),
            ("OPTIN", optin),
            ("OPTOUT", optout),
            ("NOLOOP", noloop),
        ):
            if flag:
                pieces.append(token)
        return self.execute_command("CLIENT TRACKING", *pieces, **kwargs)

    def client_tracking_on(
        self,
        clientid: int | None = None,
        prefix: Sequence[KeyT] = (),
        bcast: bool = False,
        optin: bool = False,
        optout: bool = False,
        noloop: bool = False,
    ) -> ResponseT:
        """``client_tracking(True, ...)``."""
        return self.client_tracking(
            True, clientid, prefix, bcast, optin, optout, noloop
        )

    def client_tracking_off(
        self,
        clientid: int | None = None,
        prefix: Sequence[KeyT] = (),
        bcast: bool = False,
        optin: bool = False,
        optout: bool = False,
        noloop: bool = False,
    ) -> ResponseT:
        """``client_tracking(False, ...)``."""
        return self.client_tracking(
            False, clientid, prefix, bcast, optin, optout, noloop
        )

    def client_trackinginfo(self, **kwargs: Any) -> ResponseT:
        """Tracking state of this connection as a flat list."""
        return self.execute_command("CLIENT TRACKINGINFO", **kwargs)

    def client_getredir(self, **kwargs: Any) -> ResponseT:
        """The client ID tracking notifications are redirected to (-1 none)."""
        return self.execute_command("CLIENT GETREDIR", **kwargs)
