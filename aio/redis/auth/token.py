"""redis-py's ``redis.auth.token``: the tokens of token-based authentication.

A token (:class:`TokenInterface`) is what a
:class:`~aio.redis.credentials.StreamingCredentialProvider` streams to its
clients' ``on_next``: its value is the password, its ``oid`` claim the
username. A client re-authenticates its open connections with each new one
(``AUTH <try_get("oid")> <get_value()>``; see :mod:`aio.redis.credentials`).

Times are milliseconds since the epoch, as in redis-py; ``-1`` as the expiry
means "never expires" (:meth:`TokenInterface.ttl` is then ``-1`` too).

.. versionadded:: 0.1
"""

from __future__ import annotations

import importlib
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from aio.redis.auth.err import InvalidTokenSchemaErr

__all__ = ("JWToken", "SimpleToken", "TokenInterface", "TokenResponse")


def _now_ms() -> float:
    return time.time() * 1000


class TokenInterface(ABC):
    """A credential with an expiry and claims.

    .. versionadded:: 0.1
    """

    @abstractmethod
    def is_expired(self) -> bool:
        """Whether the token has expired (never, for an expiry of ``-1``)."""

    @abstractmethod
    def ttl(self) -> float:
        """Milliseconds left before expiry (``-1``: it never expires)."""

    @abstractmethod
    def try_get(self, key: str) -> Any:
        """The claim named ``key``, or None."""

    @abstractmethod
    def get_value(self) -> str:
        """The token itself: what ``AUTH`` sends as the password."""

    @abstractmethod
    def get_expires_at_ms(self) -> float:
        """When the token expires, in milliseconds since the epoch."""

    @abstractmethod
    def get_received_at_ms(self) -> float:
        """When the token was received, in milliseconds since the epoch."""


class TokenResponse:
    """A token as an identity provider's answer.

    :param token: the token.

    .. versionadded:: 0.1
    """

    def __init__(self, token: TokenInterface) -> None:
        self._token = token

    def get_token(self) -> TokenInterface:
        """The token."""
        return self._token

    def get_ttl_ms(self) -> float:
        """The token's whole lifetime: expiry minus reception, in milliseconds."""
        return self._token.get_expires_at_ms() - self._token.get_received_at_ms()


class SimpleToken(TokenInterface):
    """A token given as its parts.

    :param value: the token (the password ``AUTH`` sends).
    :param expires_at_ms: its expiry in milliseconds since the epoch; ``-1``
        for one that never expires.
    :param received_at_ms: when it was received.
    :param claims: its claims; ``"oid"`` is the username ``AUTH`` sends.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        value: str,
        expires_at_ms: float,
        received_at_ms: float,
        claims: Mapping[str, Any],
    ) -> None:
        self.value = value
        self.expires_at = expires_at_ms
        self.received_at = received_at_ms
        self.claims = claims

    def ttl(self) -> float:
        """Milliseconds left before expiry (``-1``: it never expires)."""
        if self.expires_at == -1:
            return -1
        return self.expires_at - _now_ms()

    def is_expired(self) -> bool:
        """Whether the expiry has passed (never, for ``-1``)."""
        if self.expires_at == -1:
            return False
        return self.ttl() <= 0

    def try_get(self, key: str) -> Any:
        """The claim named ``key``, or None."""
        return self.claims.get(key)

    def get_value(self) -> str:
        """The token's value."""
        return self.value

    def get_expires_at_ms(self) -> float:
        """The expiry given to the constructor."""
        return self.expires_at

    def get_received_at_ms(self) -> float:
        """The reception time given to the constructor."""
        return self.received_at


class JWToken(TokenInterface):
    """A JSON Web Token, its claims read without checking its signature (the
    server checks it), as redis-py's.

    Needs the PyJWT package (``import jwt``), which aio does not depend on.

    :param token: the encoded token; its payload must have an ``exp`` claim
        (seconds since the epoch, ``-1``: never expires).
    :raises ImportError: PyJWT is not installed.
    :raises InvalidTokenSchemaErr: the payload has no ``exp``.

    .. versionadded:: 0.1
    """

    #: The claims every token must have.
    REQUIRED_FIELDS = frozenset({"exp"})

    def __init__(self, token: str) -> None:
        try:
            # Imported by name: PyJWT is optional (no dependency, no stubs).
            jwt = importlib.import_module("jwt")
        except ImportError as exc:
            raise ImportError(
                f"The PyJWT library is required for {type(self).__name__}."
            ) from exc
        self._value = token
        algorithm = jwt.get_unverified_header(token).get("alg")
        self._decoded: dict[str, Any] = jwt.decode(
            token, options={"verify_signature": False}, algorithms=[algorithm]
        )
        missing = self.REQUIRED_FIELDS - self._decoded.keys()
        if missing:
            raise InvalidTokenSchemaErr(sorted(missing))

    def is_expired(self) -> bool:
        """Whether ``exp`` has passed (never, for ``-1``)."""
        if self._decoded["exp"] == -1:
            return False
        return bool(self._decoded["exp"] * 1000 <= _now_ms())

    def ttl(self) -> float:
        """Milliseconds left before ``exp`` (``-1``: it never expires)."""
        if self._decoded["exp"] == -1:
            return -1
        return float(self._decoded["exp"] * 1000 - _now_ms())

    def try_get(self, key: str) -> Any:
        """The claim named ``key``, or None."""
        return self._decoded.get(key)

    def get_value(self) -> str:
        """The encoded token."""
        return self._value

    def get_expires_at_ms(self) -> float:
        """``exp`` in milliseconds."""
        return float(self._decoded["exp"] * 1000)

    def get_received_at_ms(self) -> float:
        """Now, as redis-py's (a JWT does not say when it was received)."""
        return _now_ms()
