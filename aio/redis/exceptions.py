"""The exceptions of :mod:`aio.redis`, named as redis-py names them.

Every class derives from :class:`RedisError` (itself an :class:`aio.AioError`), and,
where one applies, from a shared aio category, so ``except aio.errors.AioTimeoutError``
catches a Redis timeout too::

    RedisError (AioError)
    ├── ConnectionError (TransportError)
    │   ├── AuthenticationError
    │   ├── BusyLoadingError
    │   ├── ExternalAuthProviderError        ``-ERR problem with LDAP service``
    │   └── MaxConnectionsError
    ├── TimeoutError (AioTimeoutError, builtin TimeoutError)
    ├── AuthorizationError
    ├── InvalidResponse (RemoteProtocolError)
    ├── ResponseError                        an error reply (``-ERR ...``)
    │   ├── WrongTypeError                   ``-WRONGTYPE``
    │   ├── NoScriptError  ExecAbortError  ReadOnlyError  OutOfMemoryError
    │   ├── NoPermissionError  ModuleError  AuthenticationWrongNumberOfArgsError
│   ├── NoSuchFieldsetError              ``-ERR no such fieldset`` (HIMPORT)
    │   └── ClusterError: MovedError AskError TryAgainError ClusterDownError ...
    ├── DataError  PubSubError  WatchError
    ├── LockError (also builtin ValueError, like redis-py)
    │   └── LockNotOwnedError
    └── ChildDeadlockedError

``ConnectionError`` and ``TimeoutError`` shadow builtins on purpose: redis-py users
catch them by these names. They exist here and nowhere else in aio.

Error replies are turned into classes by their first word through :func:`lookup`.
"""

from __future__ import annotations

from aio.errors import AioError, AioTimeoutError, RemoteProtocolError, TransportError

__all__ = (
    "AskError",
    "AuthenticationError",
    "AuthenticationWrongNumberOfArgsError",
    "AuthorizationError",
    "BusyLoadingError",
    "ChildDeadlockedError",
    "ClusterCrossSlotError",
    "ClusterDownError",
    "ClusterError",
    "ConnectionError",
    "CrossSlotTransactionError",
    "DataError",
    "ExecAbortError",
    "ExternalAuthProviderError",
    "InvalidResponse",
    "LockError",
    "LockNotOwnedError",
    "MasterDownError",
    "MaxConnectionsError",
    "ModuleError",
    "MovedError",
    "NoPermissionError",
    "NoScriptError",
    "NoSuchFieldsetError",
    "OutOfMemoryError",
    "PubSubError",
    "ReadOnlyError",
    "RedisClusterException",
    "RedisError",
    "ResponseError",
    "SlotNotCoveredError",
    "TimeoutError",
    "TryAgainError",
    "WatchError",
    "WrongTypeError",
    "error_from_reply",
    "lookup",
)


class RedisError(AioError):
    """Root of every error raised by :mod:`aio.redis`."""


class ConnectionError(RedisError, TransportError):
    """The connection to the server failed or was lost."""


class TimeoutError(RedisError, AioTimeoutError):
    """The server did not answer in time (``socket_timeout``/``socket_connect_timeout``)."""


class AuthenticationError(ConnectionError):
    """The server refused the password or the user name."""


class AuthorizationError(ConnectionError):
    """The user is not allowed to run a command needed to set up the connection."""


class BusyLoadingError(ConnectionError):
    """The server is still loading its dataset into memory."""


class ExternalAuthProviderError(ConnectionError):
    """The server's external authentication provider failed (``-ERR problem with
    LDAP service``)."""


class MaxConnectionsError(ConnectionError):
    """A :class:`ConnectionPool` reached ``max_connections``."""


class InvalidResponse(RedisError, RemoteProtocolError):
    """The server sent bytes that are not valid RESP."""

    def __init__(self, message: str) -> None:
        RemoteProtocolError.__init__(self, message)


class ResponseError(RedisError):
    """The server answered a command with an error reply."""


class WrongTypeError(ResponseError):
    """``WRONGTYPE``: the command does not apply to the type of value at the key."""


class DataError(RedisError):
    """The caller passed an argument that cannot be encoded or is inconsistent."""


class PubSubError(RedisError):
    """A pub/sub object was used in a way it does not support."""


class WatchError(RedisError):
    """A watched key changed: the transaction was not executed."""


class NoScriptError(ResponseError):
    """``NOSCRIPT``: no script with this SHA1 is loaded on the server."""


class OutOfMemoryError(ResponseError):
    """``OOM``: the server is over ``maxmemory``."""


class ExecAbortError(ResponseError):
    """``EXECABORT``: the transaction was discarded because of earlier errors."""


class ReadOnlyError(ResponseError):
    """``READONLY``: a write was sent to a read-only replica."""


class NoPermissionError(ResponseError):
    """``NOPERM``: the ACL user may not run this command or touch this key."""


class ModuleError(ResponseError):
    """A module could not be loaded or unloaded."""


class NoSuchFieldsetError(ResponseError):
    """``HIMPORT SET`` named a fieldset this connection has not prepared
    (``ERR no such fieldset``): the server dropped it (``RESET``, eviction)
    without dropping the connection. ``himport_set`` prepares again and retries
    once."""


class AuthenticationWrongNumberOfArgsError(ResponseError):
    """AUTH was sent with a user name to a server that supports only a password."""


class LockError(RedisError, ValueError):
    """A :class:`~aio.redis.Lock` operation failed (like redis-py, also a ValueError)."""

    def __init__(
        self, message: str | None = None, lock_name: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.lock_name = lock_name


class LockNotOwnedError(LockError):
    """The lock is not (or no longer) owned by this token."""


class ChildDeadlockedError(RedisError):
    """A forked child tried to use a connection pool of its parent while it was locked."""


class RedisClusterException(RedisError):
    """A Redis Cluster client problem (not an error reply)."""


class ClusterError(ResponseError):
    """A Redis Cluster error reply."""


class ClusterDownError(ClusterError):
    """``CLUSTERDOWN``: the cluster cannot serve requests right now."""


class MasterDownError(ClusterDownError):
    """``MASTERDOWN``: the replica lost its master."""


class TryAgainError(ResponseError):
    """``TRYAGAIN``: a multi-key command hit a slot being migrated."""


class ClusterCrossSlotError(ResponseError):
    """``CROSSSLOT``: the keys of one command live in different slots."""


class CrossSlotTransactionError(RedisClusterException):
    """A cluster transaction touched keys of more than one slot."""


class SlotNotCoveredError(RedisClusterException):
    """No node serves the slot of a key."""


class _RedirectError(ResponseError):
    """Base of the MOVED/ASK redirections: ``<slot> <host>:<port>`` in the message."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.args = (message,)
        parts = message.split(" ")
        self.slot_id = int(parts[0]) if parts and parts[0].isdigit() else -1
        node = parts[1] if len(parts) > 1 else ""
        host, _, port = node.rpartition(":")
        self.host = host
        self.port = int(port) if port.isdigit() else 0
        self.node_addr = (self.host, self.port)


class MovedError(_RedirectError):
    """``MOVED``: the slot is served by another node."""


class AskError(_RedirectError):
    """``ASK``: the slot is being migrated; ask the other node for this key once."""


# Error replies start with an upper-case word that names their kind. The word is
# stripped from the message for the classes whose redis-py counterpart strips it
# (ResponseError subclasses keep the rest of the text as their message).
_PREFIXES: dict[str, type[RedisError]] = {
    "ERR": ResponseError,
    "WRONGTYPE": WrongTypeError,
    "EXECABORT": ExecAbortError,
    "LOADING": BusyLoadingError,
    "NOSCRIPT": NoScriptError,
    "READONLY": ReadOnlyError,
    "NOAUTH": AuthenticationError,
    "WRONGPASS": AuthenticationError,
    "NOPERM": NoPermissionError,
    "OOM": OutOfMemoryError,
    "MOVED": MovedError,
    "ASK": AskError,
    "TRYAGAIN": TryAgainError,
    "CLUSTERDOWN": ClusterDownError,
    "MASTERDOWN": MasterDownError,
    "CROSSSLOT": ClusterCrossSlotError,
}

# Messages recognised by their full text rather than by a prefix.
_MESSAGES: dict[str, type[RedisError]] = {
    "wrong number of arguments for 'auth' command": AuthenticationWrongNumberOfArgsError,
    # some server versions spell the command in upper case
    "wrong number of arguments for 'AUTH' command": AuthenticationWrongNumberOfArgsError,
    # sent by a server at maxclients, before it closes the new connection
    "max number of clients reached": ConnectionError,
    "problem with LDAP service": ExternalAuthProviderError,
    "Client sent AUTH, but no password is set": AuthenticationError,
    "invalid password": AuthenticationError,
    # Redis 6+: AUTH while the default user has no password (redis-py maps it too)
    "AUTH <password> called without any password configured for the default user. "
    "Are you sure your configuration is correct?": AuthenticationError,
    "Error loading the extension. Please check the server logs.": ModuleError,
    "Error unloading module: no such module with that name": ModuleError,
    "Error unloading module: operation not possible.": ModuleError,
    "Error unloading module: the module exports one or more module-side data "
    "types, can't unload": ModuleError,
    "no such fieldset": NoSuchFieldsetError,
}

# WRONGTYPE keeps its word in the message (redis-py has no class for it, so its
# users see the full text); every other known prefix is stripped, as redis-py does.
_KEPT = frozenset({"WRONGTYPE"})


def lookup(prefix: str) -> type[RedisError]:
    """Return the exception class for an error-reply prefix such as ``"WRONGTYPE"``.

    Unknown prefixes map to :class:`ResponseError`.
    """
    return _PREFIXES.get(prefix, ResponseError)


def error_from_reply(message: str) -> RedisError:
    """Build the typed exception for the text of an error reply (without ``-``).

    :param message: e.g. ``"WRONGTYPE Operation against a key holding ..."``.
    :returns: an instance of the class :func:`lookup` names, carrying the text.
    """
    word, _, rest = message.partition(" ")
    cls = _PREFIXES.get(word)
    if cls is None:
        special = _MESSAGES.get(message)
        return special(message) if special is not None else ResponseError(message)
    if word in _KEPT:
        return cls(message)
    special = _MESSAGES.get(rest)
    if special is not None:
        return special(rest)
    return cls(rest)
