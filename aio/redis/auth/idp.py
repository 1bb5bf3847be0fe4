"""redis-py's ``redis.auth.idp``: the interfaces of an identity provider.

An identity provider hands out tokens
(:class:`~aio.redis.auth.token.TokenInterface`);
:class:`~aio.redis.auth.token_manager.TokenManager` asks it for a new one
before the current one expires. Packages such as redis-entraid implement them.

.. versionadded:: 0.1
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from aio.redis.auth.token import TokenInterface

__all__ = ("IdentityProviderConfigInterface", "IdentityProviderInterface")


class IdentityProviderInterface(ABC):
    """A source of tokens.

    .. versionadded:: 0.1
    """

    @abstractmethod
    def request_token(self, force_refresh: bool = False) -> TokenInterface:
        """A token, fresh from the provider when ``force_refresh``.

        :raises RequestTokenErr: the provider could not give one.
        """


class IdentityProviderConfigInterface(ABC):
    """The configuration that builds an identity provider.

    .. versionadded:: 0.1
    """

    @abstractmethod
    def get_provider(self) -> IdentityProviderInterface:
        """The configured identity provider."""
