"""The one event-loop engine: run a program, choose the loop, run things concurrently.

- :func:`run` runs a coroutine function on asyncio (optionally uvloop);
  :func:`loop_factory` / :func:`new_event_loop` let servers choose the loop
  (``--loop auto|asyncio|uvloop``, ``AIO_LOOP``).
- Structured concurrency is anyio's, re-exported here so components import one
  place: task groups, cancel scopes, timeouts, synchronisation primitives, memory
  object streams, TCP/Unix streams and listeners.
- :func:`to_thread` offloads blocking work to a bounded pool of threads.
- :func:`portal` gives blocking code (the ``sync_shims`` facades) access to the
  shared background loop, a daemon thread started on first use.

See ``docs/engine.md``.
"""

from __future__ import annotations

from anyio import TASK_STATUS_IGNORED as TASK_STATUS_IGNORED
from anyio import BrokenResourceError as AnyioBrokenResourceError
from anyio import CancelScope as CancelScope
from anyio import CapacityLimiter as CapacityLimiter
from anyio import ClosedResourceError as AnyioClosedResourceError
from anyio import Condition as Condition
from anyio import EndOfStream as EndOfStream
from anyio import Event as Event
from anyio import Lock as Lock
from anyio import Semaphore as Semaphore
from anyio import connect_tcp as connect_tcp
from anyio import connect_unix as connect_unix
from anyio import create_memory_object_stream as create_memory_object_stream
from anyio import create_task_group as create_task_group
from anyio import create_tcp_listener as create_tcp_listener
from anyio import create_unix_listener as create_unix_listener
from anyio import current_time as current_time
from anyio import fail_after as fail_after
from anyio import get_cancelled_exc_class as get_cancelled_exc_class
from anyio import move_on_after as move_on_after
from anyio import sleep as sleep
from anyio import sleep_forever as sleep_forever
from anyio.abc import ByteStream as ByteStream
from anyio.abc import ObjectStream as ObjectStream
from anyio.abc import SocketStream as SocketStream
from anyio.abc import TaskGroup as TaskGroup
from anyio.abc import TaskStatus as TaskStatus

from aio.engine._errors import EngineError as EngineError
from aio.engine._errors import EngineThreadError as EngineThreadError
from aio.engine._errors import LoopUnavailableError as LoopUnavailableError
from aio.engine._loop import LoopName as LoopName
from aio.engine._loop import loop_factory as loop_factory
from aio.engine._loop import new_event_loop as new_event_loop
from aio.engine._loop import resolve_loop_name as resolve_loop_name
from aio.engine._loop import run as run
from aio.engine._loop import uvloop_available as uvloop_available
from aio.engine._portal import BlockingContextManager as BlockingContextManager
from aio.engine._portal import BlockingIterator as BlockingIterator
from aio.engine._portal import Portal as Portal
from aio.engine._portal import portal as portal
from aio.engine._threads import thread_limiter as thread_limiter
from aio.engine._threads import to_thread as to_thread

__all__ = (
    "TASK_STATUS_IGNORED",
    "AnyioBrokenResourceError",
    "AnyioClosedResourceError",
    "BlockingContextManager",
    "BlockingIterator",
    "ByteStream",
    "CancelScope",
    "CapacityLimiter",
    "Condition",
    "EndOfStream",
    "EngineError",
    "EngineThreadError",
    "Event",
    "Lock",
    "LoopName",
    "LoopUnavailableError",
    "ObjectStream",
    "Portal",
    "Semaphore",
    "SocketStream",
    "TaskGroup",
    "TaskStatus",
    "connect_tcp",
    "connect_unix",
    "create_memory_object_stream",
    "create_task_group",
    "create_tcp_listener",
    "create_unix_listener",
    "current_time",
    "fail_after",
    "get_cancelled_exc_class",
    "loop_factory",
    "move_on_after",
    "new_event_loop",
    "portal",
    "resolve_loop_name",
    "run",
    "sleep",
    "sleep_forever",
    "thread_limiter",
    "to_thread",
    "uvloop_available",
)
