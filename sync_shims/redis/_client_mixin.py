"""What redis-py's blocking clients add over its async ones, written once for
:class:`~sync_shims.redis.Redis` and :class:`~sync_shims.redis.RedisCluster`:
``with`` closes the client, and the client is a mapping of keys
(``client["k"]``, ``client["k"] = v``, ``del client["k"]``, ``"k" in client``).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self


class _BlockingCommands(Protocol):
    """The generated twin's methods the mixin calls."""

    def close(self) -> None: ...
    def get(self, name: Any, /) -> Any: ...
    def set(self, name: Any, value: Any, /) -> Any: ...
    def delete(self, *names: Any) -> Any: ...
    def exists(self, *names: Any) -> Any: ...


class BlockingClientMixin:
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
