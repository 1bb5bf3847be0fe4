"""redis-py's ``redis.lock.Lock``, blocking, on :class:`aio.redis.Lock`.

With ``thread_local=True`` (the default, as in redis-py) a lock's token is kept
per *calling* thread. The async lock runs on the engine's loop thread, where
``threading.local`` would see one thread for all callers, so the token store is
keyed by a context variable that each blocking call sets in its own thread (the
portal runs the call in a copy of the caller's context).

The Lua scripts are redis-py's class attributes: ``LUA_*_SCRIPT`` sources and
``lua_*`` scripts (blocking :class:`~sync_shims.redis.client.Script` objects,
registered by the first lock of the class); the async lock underneath runs
the scripts of its facade's class, so a subclass that replaces them is obeyed.
"""

from __future__ import annotations

import logging
import threading
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self

from aio.redis import Lock as AsyncLock
from aio.redis._lock import register_missing_scripts
from aio.redis.exceptions import LockError
from sync_shims._generated_redis import LockTwin

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis, Script

__all__ = ("Lock",)

logger = logging.getLogger("aio.redis.sync")

_CALLER: ContextVar[int] = ContextVar("sync_shims.redis.lock.caller", default=0)


class _CallerLocal:
    """``lock.local`` of the async lock: ``token`` per blocking caller thread."""

    def __init__(self) -> None:
        self._tokens: dict[int, bytes | None] = {}

    @property
    def token(self) -> bytes | None:
        return self._tokens.get(_CALLER.get())

    @token.setter
    def token(self, value: bytes | None) -> None:
        if value is None:
            self._tokens.pop(_CALLER.get(), None)
        else:
            self._tokens[_CALLER.get()] = value


def _mark_caller() -> None:
    _CALLER.set(threading.get_ident())


class Lock(LockTwin):
    """A distributed lock named ``name`` (redis-py's arguments and methods:
    ``acquire``, ``release``, ``extend``, ``reacquire``, ``locked``, ``owned``).

    Use it as ``with r.lock("name", timeout=10):``.

    :raises LockError: entering ``with`` could not acquire the lock in time.
    :raises LockNotOwnedError: releasing or extending a lock not owned.
    """

    LUA_RELEASE_SCRIPT: ClassVar[str] = AsyncLock.LUA_RELEASE_SCRIPT
    LUA_EXTEND_SCRIPT: ClassVar[str] = AsyncLock.LUA_EXTEND_SCRIPT
    LUA_REACQUIRE_SCRIPT: ClassVar[str] = AsyncLock.LUA_REACQUIRE_SCRIPT
    #: The registered scripts (None until the class's first lock registers
    #: them: see :meth:`register_scripts`).
    lua_release: ClassVar[Script | None] = None
    lua_extend: ClassVar[Script | None] = None
    lua_reacquire: ClassVar[Script | None] = None

    def __init__(
        self,
        redis: Redis,
        name: str | bytes,
        timeout: float | None = None,
        sleep: float = 0.1,
        blocking: bool = True,
        blocking_timeout: float | None = None,
        thread_local: bool = True,
        raise_on_release_error: bool = True,
    ) -> None:
        lock = AsyncLock(
            redis._async,
            name,
            timeout=timeout,
            sleep=sleep,
            blocking=blocking,
            blocking_timeout=blocking_timeout,
            thread_local=False,
            raise_on_release_error=raise_on_release_error,
        )
        if thread_local:
            lock.local = _CallerLocal()
        lock.thread_local = thread_local
        super().__init__(lock)
        self.redis = redis
        self.register_scripts()

    def register_scripts(self) -> None:
        """Register the class's ``LUA_*_SCRIPT`` sources as its ``lua_*``
        scripts, those not registered yet (once per class, as redis-py), and
        hand them to the async lock, which runs them on this lock's client."""
        cls = type(self)
        register_missing_scripts(cls, self.redis)
        core = self._async
        core.lua_release = cls.lua_release._async  # type: ignore[misc,union-attr]
        core.lua_extend = cls.lua_extend._async  # type: ignore[misc,union-attr]
        core.lua_reacquire = cls.lua_reacquire._async  # type: ignore[misc,union-attr]

    def __getattr__(self, name: str) -> Any:
        # name, timeout, sleep, blocking, blocking_timeout, local, thread_local
        return getattr(self._async, name)

    def __enter__(self) -> Self:
        if self.acquire():
            return self
        raise LockError(
            "Unable to acquire lock within the time specified",
            lock_name=str(self._async.name),
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.release()
        except LockError:
            if self._async.raise_on_release_error:
                raise
            logger.warning(
                "Lock %r was not owned when released at the end of its with block",
                self._async.name,
            )

    def acquire(
        self,
        blocking: bool | None = None,
        blocking_timeout: float | None = None,
        token: str | bytes | None = None,
    ) -> bool:
        """Take the lock; False when it could not be taken in time."""
        _mark_caller()
        return super().acquire(blocking, blocking_timeout, token)

    def release(self) -> None:
        """Release the lock this thread holds.

        :raises LockNotOwnedError: it is not held (by this token) any more.
        """
        _mark_caller()
        super().release()

    def extend(self, additional_time: float, replace_ttl: bool = False) -> bool:
        """Add ``additional_time`` seconds (or set the TTL with ``replace_ttl``)."""
        _mark_caller()
        return super().extend(additional_time, replace_ttl)

    def reacquire(self) -> bool:
        """Reset the TTL to ``timeout``."""
        _mark_caller()
        return super().reacquire()

    def owned(self) -> bool:
        """Whether this thread holds the lock."""
        _mark_caller()
        return super().owned()
