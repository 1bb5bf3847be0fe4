"""redis-py's ``redis.auth.err``: the errors of token-based authentication.

::

    Exception
     +-- RequestTokenErr        the identity provider failed to give a token
     +-- InvalidTokenSchemaErr  a token lacks a required claim (``exp``)
     +-- TokenRenewalErr        renewing a token failed (an expired token, a
                                listener that raised)

They derive from ``Exception`` directly, not from ``RedisError``, as redis-py's:
code written against redis-py catches them by these names.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ("InvalidTokenSchemaErr", "RequestTokenErr", "TokenRenewalErr")


class RequestTokenErr(Exception):
    """The identity provider could not give a token (retried by
    :class:`~aio.redis.auth.token_manager.TokenManager` as its policy says).

    .. versionadded:: 0.1
    """


class InvalidTokenSchemaErr(Exception):
    """A token lacks claims it must have.

    :param missing_fields: the names of the missing claims.

    .. versionadded:: 0.1
    """

    def __init__(self, missing_fields: Iterable[str] = ()) -> None:
        super().__init__(
            "Unexpected token schema. Following fields are missing: "
            + ", ".join(missing_fields)
        )


class TokenRenewalErr(Exception):
    """Renewing a token failed: the new one had expired already, or the
    listener given it raised (the cause is the argument).

    .. versionadded:: 0.1
    """
