"""What a connection tells the server about its client: ``CLIENT SETINFO``.

redis-py 8's ``redis.driver_info``: a :class:`DriverInfo` names the library
(``LIB-NAME``) and its version (``LIB-VER``) that every connection sends right
after it connects (servers before Redis 7.2 refuse the command; the refusal is
ignored). Libraries built on top of the client add themselves with
:meth:`DriverInfo.add_upstream_driver`, so ``CLIENT LIST`` shows
``aio-redis(django-redis_v5.4.0)``.

aio sends its own name and version by default (``aio-redis`` and
:data:`aio.__version__`), where redis-py sends ``redis-py`` and its version::

    >>> info = DriverInfo().add_upstream_driver("django-redis", "5.4.0")
    >>> info.formatted_name
    'aio-redis(django-redis_v5.4.0)'

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

__all__ = ("DEFAULT_LIB_NAME", "DriverInfo", "resolve_driver_info")

#: The ``LIB-NAME`` a connection sends unless told otherwise.
DEFAULT_LIB_NAME = "aio-redis"


class _Unset:
    """ "Not given" (``None`` is a value here: it means "send nothing")."""

    def __repr__(self) -> str:
        return "<unset>"


#: The default of ``name``/``lib_version``/``driver_info``/``lib_name``.
UNSET: Any = _Unset()

# The server stores these in CLIENT LIST, whose fields are space separated, and
# uses braces and brackets itself: printable ASCII without those, as redis-py.
_FORBIDDEN = frozenset("()[]{}")
_DRIVER_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def _check_token(value: str, what: str) -> None:
    if any(not "!" <= ch <= "~" or ch in _FORBIDDEN for ch in value):
        raise ValueError(
            f"{what} must not contain spaces, newlines, non-printable characters,"
            " or braces"
        )


def _lib_version() -> str:
    from aio import __version__

    return __version__


@dataclass
class DriverInfo:
    """The ``LIB-NAME`` and ``LIB-VER`` sent with ``CLIENT SETINFO`` at connect.

    :param name: the library name; ``aio-redis`` when not given, ``None`` to
        send no ``LIB-NAME``.
    :param lib_version: the library version; aio's when not given, ``None`` to
        send no ``LIB-VER``.

    .. versionadded:: 0.1
    """

    name: str | None = UNSET
    lib_version: str | None = UNSET
    _upstream: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.name is UNSET:
            self.name = DEFAULT_LIB_NAME
        if self.lib_version is UNSET:
            self.lib_version = _lib_version()

    @property
    def upstream_drivers(self) -> list[str]:
        """A copy of the upstream entries, newest first (``"name_vversion"``)."""
        return list(self._upstream)

    def add_upstream_driver(self, driver_name: str, driver_version: str) -> DriverInfo:
        """Name a library built on this client; it comes first in
        :attr:`formatted_name`. Returns ``self``.

        :param driver_name: a package-style name (``django-redis``: a lowercase
            letter, then lowercase letters, digits, ``-`` and ``_``).
        :param driver_version: its version (printable, no spaces or braces).
        :raises ValueError: a name or version the server could not list.
        """
        if driver_name is None:
            raise ValueError("Driver name must not be None")
        if driver_version is None:
            raise ValueError("Driver version must not be None")
        _check_token(driver_name, "Driver name")
        if not _DRIVER_NAME.fullmatch(driver_name):
            raise ValueError(
                "Upstream driver name must use a Python package-style name: "
                "start with a lowercase letter and contain only lowercase letters, "
                "digits, hyphens, and underscores (e.g., 'django-redis')."
            )
        _check_token(driver_version, "Driver version")
        self._upstream.insert(0, f"{driver_name}_v{driver_version}")
        return self

    @property
    def formatted_name(self) -> str | None:
        """The ``LIB-NAME`` sent: ``name``, or ``name(up1_vX;up2_vY)`` with
        upstream drivers; ``None`` when no name is to be sent."""
        name = self.name
        if not isinstance(name, str) or not name:
            return None
        if not self._upstream:
            return name
        return f"{name}({';'.join(self._upstream)})"


def resolve_driver_info(
    driver_info: DriverInfo | None = UNSET,
    lib_name: str | None = UNSET,
    lib_version: str | None = UNSET,
) -> DriverInfo | None:
    """The :class:`DriverInfo` the arguments of a client or connection mean, as
    redis-py resolves them: ``driver_info`` when given (``None``: send nothing),
    else one made of the deprecated ``lib_name``/``lib_version`` (both ``None``:
    send nothing).

    :raises TypeError: ``driver_info`` is neither a :class:`DriverInfo` nor None.
    """
    if driver_info is UNSET:
        if lib_name is None and lib_version is None:
            return None
        return DriverInfo(name=lib_name, lib_version=lib_version)
    if driver_info is None or isinstance(driver_info, DriverInfo):
        return driver_info
    raise TypeError("driver_info must be a DriverInfo instance or None")


def driver_info_from_args(
    driver_info: DriverInfo | None,
    lib_name: str | None,
    lib_version: str | None,
    stacklevel: int = 3,
) -> DriverInfo | None:
    """:func:`resolve_driver_info`, with redis-py's DeprecationWarning when
    ``lib_name`` or ``lib_version`` is given: one per argument, naming
    ``'__init__'`` whatever the class (redis-py's decorator names the function
    it wraps, every client's and connection's constructor)."""
    given = [
        name
        for name, value in (("lib_name", lib_name), ("lib_version", lib_version))
        if value is not UNSET
    ]
    for name in given:
        warnings.warn(
            "Call to '__init__' function with deprecated usage of input argument/s"
            f" '{name}'. (Use 'driver_info' parameter instead. lib_name and"
            " lib_version will be removed in a future version.)",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
    return resolve_driver_info(driver_info, lib_name, lib_version)
