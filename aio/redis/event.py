"""The part of redis-py's ``redis.event`` that aio's clients show.

redis-py re-authenticates through an event dispatcher; aio's clients do it
without one (see :mod:`aio.redis.credentials`), and what users meet of it is
:class:`EventException`: a client's ``on_error`` callback, given to a
:class:`~aio.redis.credentials.StreamingCredentialProvider`, raises it with the
provider's error, to the provider that reported the error, as redis-py's does.

.. versionadded:: 0.1
"""

from __future__ import annotations

from enum import Enum

__all__ = ("ClientType", "EventException")


class ClientType(Enum):
    """Which client subscribed to a provider: callbacks to call, or to await.

    .. versionadded:: 0.1
    """

    SYNC = ("sync",)
    ASYNC = ("async",)


class EventException(Exception):
    """An error reported by a credential provider, raised back by the client's
    ``on_error`` callback.

    :param exception: the provider's error (also the message).
    :param event: what the client subscribed with: ``connection_pools``,
        ``client_type`` and ``credential_provider``, as redis-py's
        ``AfterPooledConnectionsInstantiationEvent``.

    .. versionadded:: 0.1
    """

    def __init__(self, exception: Exception, event: object) -> None:
        self.exception = exception
        self.event = event
        super().__init__(exception)
