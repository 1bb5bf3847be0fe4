"""The engine's exceptions.

::

    AioError
    └── EngineError                       root of the engine's own errors
        ├── EngineThreadError (RuntimeError)     a blocking call on the loop thread
        └── LoopUnavailableError (RuntimeError)  the asked-for event loop cannot be used
"""

from __future__ import annotations

from aio.errors import AioError

__all__ = ("EngineError", "EngineThreadError", "LoopUnavailableError")


class EngineError(AioError):
    """Base class of the errors raised by :mod:`aio.engine` itself."""


class EngineThreadError(EngineError, RuntimeError):
    """A blocking call was made on the engine's own loop thread.

    Blocking there would deadlock: the call waits for the loop, and the loop waits
    for the call. The message names the async API to await instead.
    """


class LoopUnavailableError(EngineError, RuntimeError):
    """The requested event loop implementation is unknown or not installed."""
