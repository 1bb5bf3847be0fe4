"""redis-py's ``redis.credentials``: credential providers for the blocking client.

The very classes of :mod:`aio.redis.credentials` (they do no I/O of their own):
subclass :class:`CredentialProvider` and pass it as
``Redis(credential_provider=...)``. The blocking client hands the provider to the
async core, which asks it at every connect: a provider with only
``get_credentials()`` (every one written for redis-py's blocking client) is called
in a worker thread, not on the engine's shared loop thread, where a slow source
would stall every client of the process.
"""

from __future__ import annotations

from aio.redis.credentials import CredentialProvider as CredentialProvider
from aio.redis.credentials import (
    StreamingCredentialProvider as StreamingCredentialProvider,
)
from aio.redis.credentials import (
    UsernamePasswordCredentialProvider as UsernamePasswordCredentialProvider,
)

__all__ = (
    "CredentialProvider",
    "StreamingCredentialProvider",
    "UsernamePasswordCredentialProvider",
)
