"""A distributed lock on one Redis key, redis-py's ``Lock``.

The key holds a random token; only the holder of the token may release, extend or
reacquire it, which three short Lua scripts check atomically on the server. As in
redis-py, the scripts are class attributes (``LUA_*_SCRIPT`` the sources,
``lua_*`` the :class:`~aio.redis.Script` objects, registered by the first lock of
the class and run on each lock's own client), so a subclass may replace them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

from aio.redis.exceptions import LockError, LockNotOwnedError

if TYPE_CHECKING:
    from aio.redis._core import RedisCore
    from aio.redis._script import Script

__all__ = ("Lock",)

logger = logging.getLogger("aio.redis")

# Delete the key only if it still holds our token.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""

# ARGV: token, milliseconds, replace ("1") or add ("0") to the remaining TTL.
_EXTEND = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then
    return 0
end
local ms = tonumber(ARGV[2])
if ARGV[3] == '0' then
    ms = ms + ttl
end
redis.call('pexpire', KEYS[1], ms)
return 1
"""

# ARGV: token, milliseconds: reset the TTL of a lock we hold.
_REACQUIRE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1
"""


#: A lock class's script attributes and the sources they are registered from.
_SCRIPTS = (
    ("lua_release", "LUA_RELEASE_SCRIPT"),
    ("lua_extend", "LUA_EXTEND_SCRIPT"),
    ("lua_reacquire", "LUA_REACQUIRE_SCRIPT"),
)


def register_missing_scripts(cls: type[Any], redis: Any) -> None:
    """Register on ``redis`` each of ``cls``'s ``LUA_*_SCRIPT`` sources whose
    ``lua_*`` script is still ``None`` (shared by the async and blocking locks,
    whose clients each make their own kind of script)."""
    for attribute, source in _SCRIPTS:
        if getattr(cls, attribute) is None:
            setattr(cls, attribute, redis.register_script(getattr(cls, source)))


class Lock:
    """A lock named ``name``, shared by every client of the same Redis.

    :param timeout: seconds after which the lock expires by itself (``None``: never).
    :param sleep: seconds between attempts while blocking.
    :param blocking: whether :meth:`acquire` waits for the lock by default.
    :param blocking_timeout: most seconds :meth:`acquire` waits (``None``: for ever).
    :param thread_local: keep the token per thread (as redis-py does); ``False``
        lets another thread release a lock this one took.
    :param raise_on_release_error: leaving ``async with`` raises when the lock
        was no longer held (released already, or expired); ``False`` logs a
        warning instead. An explicit :meth:`release` always raises.

    Use it as ``async with r.lock("name", timeout=10):``.
    """

    #: Deletes ``KEYS[1]`` if it holds the token ``ARGV[1]``; 1 if deleted.
    LUA_RELEASE_SCRIPT: ClassVar[str] = _RELEASE
    #: ``ARGV``: token, milliseconds, ``"1"`` to replace the TTL or ``"0"`` to
    #: add to it; 1 if extended.
    LUA_EXTEND_SCRIPT: ClassVar[str] = _EXTEND
    #: ``ARGV``: token, milliseconds: sets the TTL of a held lock; 1 if set.
    LUA_REACQUIRE_SCRIPT: ClassVar[str] = _REACQUIRE
    #: The registered scripts (None until the class's first lock registers
    #: them: see :meth:`register_scripts`).
    lua_release: ClassVar[Script | None] = None
    lua_extend: ClassVar[Script | None] = None
    lua_reacquire: ClassVar[Script | None] = None

    def __init__(
        self,
        redis: RedisCore,
        name: str | bytes,
        timeout: float | None = None,
        sleep: float = 0.1,
        blocking: bool = True,
        blocking_timeout: float | None = None,
        thread_local: bool = True,
        raise_on_release_error: bool = True,
    ) -> None:
        self.redis = redis
        self.name = name
        self.timeout = timeout
        self.sleep = sleep
        self.blocking = blocking
        self.blocking_timeout = blocking_timeout
        self.thread_local = bool(thread_local)
        self.raise_on_release_error = raise_on_release_error
        self.local: Any = threading.local() if self.thread_local else SimpleNamespace()
        self.local.token = None
        if self.timeout is not None and self.sleep > self.timeout:
            raise LockError("'sleep' must be less than 'timeout'", lock_name=str(name))
        self.register_scripts()

    def register_scripts(self) -> None:
        """Register the class's ``LUA_*_SCRIPT`` sources as its ``lua_*``
        scripts, those not registered yet (once per class, as redis-py: they
        are run with ``client=`` each lock's own client)."""
        register_missing_scripts(type(self), self.redis)

    async def _run(self, attribute: str, keys: list[Any], args: list[Any]) -> Any:
        script: Script | None = getattr(self, attribute)
        if script is None:  # reset to None (by a subclass, a test) since __init__
            self.register_scripts()
            script = getattr(self, attribute)
        if script is None:
            raise LockError(f"{attribute} is None", lock_name=str(self.name))
        return await script(keys=keys, args=args, client=self.redis)

    def _token(self) -> bytes | None:
        return getattr(self.local, "token", None)

    async def __aenter__(self) -> Lock:
        if await self.acquire():
            return self
        raise LockError(
            "Unable to acquire lock within the time specified", lock_name=str(self.name)
        )

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self.release()
        except LockError:
            if self.raise_on_release_error:
                raise
            logger.warning(
                "Lock %r was not held any more when its async with block ended",
                self.name,
            )

    async def acquire(
        self,
        blocking: bool | None = None,
        blocking_timeout: float | None = None,
        token: str | bytes | None = None,
    ) -> bool:
        """Take the lock; returns False when it could not be taken in time.

        :param token: the value stored in the key (a random one by default).
        """
        sleep = self.sleep
        if token is None:
            token = uuid.uuid4().hex.encode()
        elif isinstance(token, str):
            encoding, errors, _ = self.redis.get_encoder()
            token = token.encode(encoding, errors)
        if blocking is None:
            blocking = self.blocking
        if blocking_timeout is None:
            blocking_timeout = self.blocking_timeout
        loop = asyncio.get_running_loop()
        deadline = None if blocking_timeout is None else loop.time() + blocking_timeout
        while True:
            if await self.do_acquire(token):
                self.local.token = token
                return True
            if not blocking:
                return False
            if deadline is not None and loop.time() + sleep > deadline:
                return False
            await asyncio.sleep(sleep)

    async def do_acquire(self, token: bytes) -> bool:
        """One SET NX attempt."""
        args: list[Any] = ["SET", self.name, token, "NX"]
        if self.timeout is not None:
            args += ["PX", int(self.timeout * 1000)]
        return bool(await self.redis.execute_command(*args))

    async def locked(self) -> bool:
        """True when anyone holds the lock."""
        return await self.redis.execute_command("GET", self.name) is not None

    async def owned(self) -> bool:
        """True when this lock object (its token) holds the lock."""
        stored = await self.redis.execute_command("GET", self.name)
        if isinstance(stored, str):
            encoding, errors, _ = self.redis.get_encoder()
            stored = stored.encode(encoding, errors)
        token = self._token()
        return token is not None and stored == token

    async def release(self) -> None:
        """Release the lock.

        :raises LockError: the lock is not held by this object.
        :raises LockNotOwnedError: it expired and someone else may hold it now.
        """
        token = self._token()
        if token is None:
            raise LockError("Cannot release an unlocked lock", lock_name=str(self.name))
        try:
            await self.do_release(token)
        except LockNotOwnedError:
            self.local.token = None
            raise
        # Cleared only once released: a release cut short (cancelled, or a
        # connection error) keeps the token, so it can be tried again.
        self.local.token = None

    async def do_release(self, expected_token: bytes) -> None:
        """Run the compare-and-delete script."""
        released = await self._run("lua_release", [self.name], [expected_token])
        if not released:
            raise LockNotOwnedError(
                "Cannot release a lock that's no longer owned", lock_name=str(self.name)
            )

    async def extend(self, additional_time: float, replace_ttl: bool = False) -> bool:
        """Add ``additional_time`` seconds to the lock's TTL (or set the TTL to it).

        :raises LockError: not held, or the lock has no timeout.
        :raises LockNotOwnedError: it is held by someone else now.
        """
        token = self._token()
        if token is None:
            raise LockError("Cannot extend an unlocked lock", lock_name=str(self.name))
        if self.timeout is None:
            raise LockError(
                "Cannot extend a lock with no timeout", lock_name=str(self.name)
            )
        return await self.do_extend(additional_time, replace_ttl)

    async def do_extend(self, additional_time: float, replace_ttl: bool) -> bool:
        """Run the extend script."""
        ms = int(additional_time * 1000)
        done = await self._run(
            "lua_extend",
            [self.name],
            [self._token() or b"", ms, "1" if replace_ttl else "0"],
        )
        if not done:
            raise LockNotOwnedError(
                "Cannot extend a lock that's no longer owned", lock_name=str(self.name)
            )
        return True

    async def reacquire(self) -> bool:
        """Reset the TTL of a held lock to ``timeout``.

        :raises LockError: not held, or the lock has no timeout.
        :raises LockNotOwnedError: it is held by someone else now.
        """
        token = self._token()
        if token is None:
            raise LockError(
                "Cannot reacquire an unlocked lock", lock_name=str(self.name)
            )
        if self.timeout is None:
            raise LockError(
                "Cannot reacquire a lock with no timeout", lock_name=str(self.name)
            )
        return await self.do_reacquire()

    async def do_reacquire(self) -> bool:
        """Run the reacquire script."""
        assert self.timeout is not None
        ms = int(self.timeout * 1000)
        done = await self._run("lua_reacquire", [self.name], [self._token() or b"", ms])
        if not done:
            raise LockNotOwnedError(
                "Cannot reacquire a lock that's no longer owned",
                lock_name=str(self.name),
            )
        return True
