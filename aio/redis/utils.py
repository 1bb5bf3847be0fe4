"""redis-py's ``redis.asyncio.utils`` and the user-facing part of ``redis.utils``.

``redis.asyncio.utils`` has two names, :func:`from_url` and the :class:`pipeline`
async context manager; they are here for :class:`aio.redis.Redis`. The helpers of
``redis.utils`` that code outside redis-py imports (byte/str conversions, dict
helpers, version comparison, the deprecation decorators, the feature flags) are
here too, shared with the blocking API's :mod:`sync_shims.redis.utils` (which has
its own blocking ``from_url`` and ``pipeline``). Each behaves as redis-py's: same
results, same errors, same warning texts.

Where aio differs, because these flags and the version describe *this* client:

- :data:`HIREDIS_AVAILABLE` is always ``False``: aio never uses hiredis (its
  replies are parsed by :mod:`aio.proto.resp`), whether or not it is installed.
- :data:`CRYPTOGRAPHY_AVAILABLE` is always ``False``: redis-py uses the
  ``cryptography`` package for OCSP checks only, which aio does not do (a client
  asked for ``ssl_validate_ocsp`` refuses with ``RedisError``).
- :func:`get_lib_version` is aio's version, the ``LIB-VER`` its connections send
  (redis-py's is the ``redis`` distribution's).

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aio.redis._connection import _connect_message
from aio.redis.client import from_url as from_url

if TYPE_CHECKING:
    from aio.redis.client import Pipeline, Redis

__all__ = (
    "CRYPTOGRAPHY_AVAILABLE",
    "HIREDIS_AVAILABLE",
    "SSL_AVAILABLE",
    "compare_versions",
    "deprecated_args",
    "deprecated_function",
    "dict_merge",
    "dummy_fail",
    "dummy_fail_async",
    "ensure_string",
    "format_error_message",
    "from_url",
    "get_lib_version",
    "list_keys_to_dict",
    "merge_result",
    "pipeline",
    "safe_str",
    "str_if_bytes",
    "warn_deprecated",
    "warn_deprecated_arg_usage",
)

#: Whether this client parses replies with hiredis: never (see the module doc).
HIREDIS_AVAILABLE = False
#: Whether this client can check certificates over OCSP: never (see above).
CRYPTOGRAPHY_AVAILABLE = False

try:
    import ssl  # noqa: F401
except ImportError:  # pragma: no cover - Python built without OpenSSL
    SSL_AVAILABLE = False
else:
    #: Whether ``rediss://`` (TLS) connections can be made.
    SSL_AVAILABLE = True

_F = TypeVar("_F", bound=Callable[..., Any])


class pipeline:
    """``async with pipeline(r) as p:`` queues the commands of the block on
    ``r.pipeline()`` and executes them when the block ends, as redis-py's
    ``redis.asyncio.utils.pipeline``: also when the block raised (the
    execution's error, if any, then replaces the block's). One use per object.

    .. versionadded:: 0.1
    """

    def __init__(self, redis_obj: Redis) -> None:
        # Redis.pipeline() is typed as the core's; a client's is its Pipeline.
        self.p = cast("Pipeline", redis_obj.pipeline())

    async def __aenter__(self) -> Pipeline:
        return self.p

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.p.execute()
        del self.p


def str_if_bytes(value: Any) -> Any:
    """``value`` decoded as UTF-8 (undecodable bytes replaced) when it is bytes,
    else ``value`` itself."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def safe_str(value: Any) -> str:
    """``str(value)``, bytes decoded as by :func:`str_if_bytes` first."""
    return str(str_if_bytes(value))


def ensure_string(key: Any) -> str:
    """A key as str: bytes decoded as UTF-8 (strictly), a str unchanged.

    :raises TypeError: ``key`` is neither.
    :raises UnicodeDecodeError: the bytes are not UTF-8.
    """
    if isinstance(key, bytes):
        return key.decode("utf-8")
    if isinstance(key, str):
        return key
    raise TypeError("Key must be either a string or bytes")


def dict_merge(*dicts: Mapping[str, Any]) -> dict[str, Any]:
    """One dict of all of ``dicts``' items (later ones win)."""
    merged: dict[str, Any] = {}
    for d in dicts:
        merged.update(d)
    return merged


def list_keys_to_dict(key_list: Iterable[Any], callback: Any) -> dict[Any, Any]:
    """``{key: callback}`` for each key (a table of response callbacks)."""
    return dict.fromkeys(key_list, callback)


def merge_result(command: Any, res: Mapping[Any, Iterable[Any]]) -> list[Any]:
    """The distinct values of all the lists of ``res`` (one per cluster node),
    as one list in no particular order. ``command`` is not used."""
    return list({value for values in res.values() for value in values})


def compare_versions(version1: str, version2: str) -> int:
    """Compare two dotted versions (``"7.2.4"``), missing parts counting as 0.

    :raises ValueError: a part is not an integer.
    :returns: ``-1`` if ``version1`` is the greater, ``1`` if ``version2`` is,
        ``0`` if they are equal (redis-py's order, the reverse of ``cmp``).
    """
    left = [int(part) for part in version1.split(".")]
    right = [int(part) for part in version2.split(".")]
    width = max(len(left), len(right))
    left += [0] * (width - len(left))
    right += [0] * (width - len(right))
    if left > right:
        return -1
    if left < right:
        return 1
    return 0


def format_error_message(host_error: str, exception: BaseException) -> str:
    """redis-py's text for a failed connect to ``host_error`` (``host:port``):
    ``Error 111 connecting to localhost:6379. Connection refused.``, the very
    words aio's connections raise with."""
    return _connect_message(exception, host_error)


def get_lib_version() -> str:
    """The library version this client's connections send (``LIB-VER``): aio's."""
    from aio import __version__

    return __version__


def dummy_fail() -> None:
    """A ``fail`` callback that does nothing, for ``Retry.call_with_retry``."""


async def dummy_fail_async() -> None:
    """An async ``fail`` callback that does nothing."""


# -- deprecation ----------------------------------------------------------------


def warn_deprecated(
    name: str, reason: str = "", version: str = "", stacklevel: int = 2
) -> None:
    """Warn (``DeprecationWarning``) that ``name`` is deprecated:
    ``Call to deprecated NAME. (REASON) -- Deprecated since version VERSION.``"""
    message = f"Call to deprecated {name}."
    if reason:
        message += f" ({reason})"
    if version:
        message += f" -- Deprecated since version {version}."
    warnings.warn(message, DeprecationWarning, stacklevel=stacklevel)


def warn_deprecated_arg_usage(
    arg_name: list[str] | str,
    function_name: str,
    reason: str = "",
    version: str = "",
    stacklevel: int = 2,
) -> None:
    """Warn (``DeprecationWarning``) that ``function_name`` was called with the
    deprecated argument(s) ``arg_name``, in redis-py's words."""
    message = (
        f"Call to '{function_name}' function with deprecated"
        f" usage of input argument/s '{arg_name}'."
    )
    if reason:
        message += f" ({reason})"
    if version:
        message += f" -- Deprecated since version {version}."
    warnings.warn(message, DeprecationWarning, stacklevel=stacklevel)


def _wrap(func: _F, before: Callable[[tuple[Any, ...], dict[str, Any]], None]) -> _F:
    """``func`` calling ``before(args, kwargs)`` first (a coroutine function
    stays one)."""
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            before(args, kwargs)
            return await func(*args, **kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before(args, kwargs)
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def deprecated_function(
    reason: str = "", version: str = "", name: str | None = None
) -> Callable[[_F], _F]:
    """Decorator: each call of the function warns that it is deprecated
    (:func:`warn_deprecated`, naming ``name`` or the function), pointing at the
    caller.

    .. versionadded:: 0.1
    """

    def decorator(func: _F) -> _F:
        label = name or func.__name__

        def before(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
            # frames: warn_deprecated, before, the wrapper, the caller
            warn_deprecated(label, reason, version, stacklevel=4)

        return _wrap(func, before)

    return decorator


def deprecated_args(
    args_to_warn: list[str] | None = None,
    allowed_args: list[str] | None = None,
    reason: str = "",
    version: str = "",
) -> Callable[[_F], _F]:
    """Decorator: a call passing one of ``args_to_warn`` (``"*"``: any argument
    but ``self`` and ``allowed_args``) warns with
    :func:`warn_deprecated_arg_usage`, once per entry of ``args_to_warn``.

    Positional arguments are named after the function's own code object (so a
    function that is itself a ``*args`` wrapper names none), and the warning
    points two frames above the decorated function, where redis-py's does (it
    is made for two stacked decorators on a constructor).

    .. versionadded:: 0.1
    """
    to_warn = ["*"] if args_to_warn is None else args_to_warn
    allowed = allowed_args or []

    def decorator(func: _F) -> _F:
        code = func.__code__
        positional = code.co_varnames[: code.co_argcount]

        def before(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
            given = dict(zip(positional, args, strict=False))
            given.update(kwargs)
            given.pop("self", None)
            for name in allowed:
                given.pop(name, None)
            for arg in to_warn:
                # frames: warn_deprecated_arg_usage, before, the wrapper, the
                # caller, and the one redis-py's points at
                if arg == "*" and given:
                    warn_deprecated_arg_usage(
                        list(given), func.__name__, reason, version, stacklevel=5
                    )
                elif arg in given:
                    warn_deprecated_arg_usage(
                        arg, func.__name__, reason, version, stacklevel=5
                    )

        return _wrap(func, before)

    return decorator
