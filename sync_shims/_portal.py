"""The shared background loop as the facades see it.

Generated twins (``_generated_*.py``) and hand-written shims import these names
and nothing else from the engine, so the blocking side has one narrow seam:

- :func:`call` -- ``call(async_fn, *args, **kwargs)`` blocks until the coroutine
  finished on the background loop and returns its result (or re-raises);
- :func:`run_sync` -- run a plain function on the loop thread;
- :func:`enter_async_context` -- an async context manager as a blocking one;
- :func:`iterate` -- an async iterable as a blocking iterator, fetched in batches;
- :func:`to_thread` -- for async code a facade hands the core: run a user's
  blocking callback in a worker thread, never on the shared loop's thread.

They are bound methods of the process-wide :class:`aio.engine.Portal`, which
looks the loop up on every call, so they stay valid after ``fork``.
"""

from __future__ import annotations

from aio.engine import BlockingContextManager as BlockingContextManager
from aio.engine import BlockingIterator as BlockingIterator
from aio.engine import EngineThreadError as EngineThreadError
from aio.engine import Portal as Portal
from aio.engine import portal as portal
from aio.engine import to_thread as to_thread

__all__ = (
    "BlockingContextManager",
    "BlockingIterator",
    "EngineThreadError",
    "Portal",
    "call",
    "enter_async_context",
    "iterate",
    "portal",
    "run_sync",
    "to_thread",
)

_PORTAL = portal()
call = _PORTAL.call
run_sync = _PORTAL.run_sync
enter_async_context = _PORTAL.enter_async_context
iterate = _PORTAL.iterate
