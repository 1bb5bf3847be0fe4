"""redis-py's ``redis.credentials``: where a connection gets its credentials.

A client or pool given ``credential_provider=`` asks the provider for
credentials each time one of its connections connects (a new connection, or
one connecting again after a loss): ``(password,)`` authenticates the
``default`` user, ``(username, password)`` an ACL user. The async client
awaits :meth:`CredentialProvider.get_credentials_async`; its default calls
:meth:`CredentialProvider.get_credentials`, so a provider that only has a
blocking source (a file, an environment variable) overrides that one alone::

    class FromFile(CredentialProvider):
        def get_credentials(self) -> tuple[str, str]:
            return "app", Path("/run/secrets/redis").read_text().strip()

    client = aio.redis.Redis(credential_provider=FromFile())

A provider whose source is asynchronous (a token service) overrides
``get_credentials_async`` too. ``sync_shims.redis.credentials`` holds these very
classes: the blocking client hands the provider to the async core. A provider
whose ``get_credentials_async`` is the default (it only has a blocking source)
is asked in a worker thread, never on the event loop's thread.

:class:`StreamingCredentialProvider` is redis-py's interface for providers that
push new credentials (token-based auth such as redis-entraid's; the tokens are
:mod:`aio.redis.auth`'s). It is asked at each connect like any provider, and a
client given one subscribes to its ``on_next``/``on_error`` when it is made, as
redis-py's: with each token pushed, its idle connections (and a single-connection
client's, and RESP3 pub/sub ones) send ``AUTH <token.try_get("oid")>
<token.get_value()>`` at once, those in use when they come back to the pool. A
token the server refuses raises ``AuthenticationError`` from ``on_next`` (or from
the release); ``on_error`` raises :class:`~aio.redis.event.EventException` back
to the provider. The async client's callbacks are coroutine functions (the
provider awaits them); the blocking client's are plain functions, called from the
provider's thread. See ``docs/redis.md`` ("Streaming credentials").

.. versionadded:: 0.1
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeAlias

__all__ = (
    "CredentialProvider",
    "StreamingCredentialProvider",
    "UsernamePasswordCredentialProvider",
)

#: What a provider returns: ``(password,)`` or ``(username, password)``.
Credentials: TypeAlias = tuple[str] | tuple[str, str]


class CredentialProvider:
    """The credentials of a connection, asked for at every connect.

    Subclass it and override :meth:`get_credentials` (and, for an asynchronous
    source, :meth:`get_credentials_async`).

    .. versionadded:: 0.1
    """

    def get_credentials(self) -> Credentials:
        """The credentials to authenticate with.

        :returns: ``(password,)`` or ``(username, password)``.
        :raises NotImplementedError: the subclass overrides neither this nor
            :meth:`get_credentials_async` (the base class has no source of
            credentials; redis-py's raises the same).
        """
        # The interface contract, not an unfinished feature: the base class is
        # not abstract, as in redis-py, because a provider may define only
        # get_credentials_async (async clients never call this one).
        raise NotImplementedError(
            f"{type(self).__name__} must implement get_credentials()"
            " (or get_credentials_async() for the async client)"
        )

    async def get_credentials_async(self) -> Credentials:
        """The credentials, for the async client (which awaits this method).

        By default the result of :meth:`get_credentials`. aio's connections do
        not call this default on the event loop: they run
        :meth:`get_credentials` in a worker thread instead, so a blocking source
        never stalls the loop. Override this one for an asynchronous source.

        :returns: ``(password,)`` or ``(username, password)``.
        """
        # redis-py's default also logs a warning asking for an override; here
        # the blocking facade calls this default for every provider written for
        # redis-py's blocking client, so a warning would only be noise.
        return self.get_credentials()


class StreamingCredentialProvider(CredentialProvider, ABC):
    """A provider that streams credentials (renewed tokens) in the background.

    Besides :meth:`get_credentials`, it takes the callbacks to call with each
    new credential (:meth:`on_next`) and with a failure to get one
    (:meth:`on_error`).

    .. versionadded:: 0.1
    """

    @abstractmethod
    def on_next(self, callback: Callable[[Any], None]) -> None:
        """Set the callback called with each new credential the stream gives.

        :param callback: called with the new credential.
        """

    @abstractmethod
    def on_error(self, callback: Callable[[Exception], None]) -> None:
        """Set the callback called when getting the next credential fails.

        :param callback: called with the error.
        """

    @abstractmethod
    def is_streaming(self) -> bool:
        """Whether the background stream of credentials is running.

        :returns: True while it runs.
        """


class UsernamePasswordCredentialProvider(CredentialProvider):
    """Fixed credentials: a username (optional) and a password.

    :param username: the ACL user; empty or None authenticates the ``default``
        user with the password alone.
    :param password: the password (None is the empty password).

    .. versionadded:: 0.1
    """

    def __init__(self, username: str | None = None, password: str | None = None):
        self.username = username or ""
        self.password = password or ""

    def get_credentials(self) -> Credentials:
        """``(username, password)``, or ``(password,)`` without a username.

        :returns: the credentials given to the constructor.
        """
        if self.username:
            return self.username, self.password
        return (self.password,)

    async def get_credentials_async(self) -> Credentials:
        """The same as :meth:`get_credentials`.

        :returns: the credentials given to the constructor.
        """
        return self.get_credentials()
