"""What redis-py's blocking clients add over its async ones, written once for
:class:`~sync_shims.redis.Redis` and :class:`~sync_shims.redis.RedisCluster`:
``with`` closes the client, and the client is a mapping of keys
(``client["k"]``, ``client["k"] = v``, ``del client["k"]``, ``"k" in client``);
what their two blocking pipelines share (queueing in the calling thread); and
``load_external_module``, for all four.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Protocol, Self

from sync_shims._portal import call


class _BlockingCommands(Protocol):
    """The generated twin's methods the mixin calls."""

    def close(self) -> None: ...
    def get(self, name: Any, /) -> Any: ...
    def set(self, name: Any, value: Any, /) -> Any: ...
    def delete(self, *names: Any) -> Any: ...
    def exists(self, *names: Any) -> Any: ...


class ExternalModules:
    """``load_external_module``, on the blocking object itself: the async
    core's would attach the function to the async client, out of the blocking
    caller's reach (so the spec leaves it out of the generated twins)."""

    def load_external_module(self, funcname: str, func: Callable[..., Any]) -> None:
        """Attach ``func`` to this client as ``funcname`` (how redis-py plugs in
        the command namespaces of third-party modules: ``r.foo().dothing()``).
        """
        setattr(self, funcname, func)


class BlockingClientMixin(ExternalModules):
    """``with`` support and the key-mapping protocol, on top of a twin's
    ``close``/``get``/``set``/``delete``/``exists``."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self: _BlockingCommands,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __getitem__(self: _BlockingCommands, name: Any) -> Any:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __setitem__(self: _BlockingCommands, name: Any, value: Any) -> None:
        self.set(name, value)

    def __delitem__(self: _BlockingCommands, name: Any) -> None:
        self.delete(name)

    def __contains__(self: _BlockingCommands, name: Any) -> bool:
        return bool(self.exists(name))


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class _Resettable(Protocol):
    def reset(self) -> None: ...


class BlockingPipelineMixin(ExternalModules):
    """A blocking pipeline over an async one (``_async``): commands are queued in
    the calling thread (the async pipeline's queueing touches only its own list,
    no loop round trip) and chain; a command the async pipeline runs at once
    (after WATCH, or one split per slot) is awaited on the engine's loop. ``with``
    resets the pipeline. Listed first in the bases, before the client twin."""

    _async: Any

    def _execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        if result is self._async:
            return self
        if inspect.isawaitable(result):
            return call(_await, result)
        return result

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Queue a command (returns the pipeline), or run it now while WATCHing."""
        return self._execute(self._async.execute_command, *args, **options)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}({self._async!r})>"

    def __len__(self) -> int:
        return len(self._async)

    def __bool__(self) -> bool:
        return True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self: _Resettable,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.reset()
