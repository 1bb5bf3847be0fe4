"""The ASGI lifespan protocol: startup and shutdown around the server's life.

``lifespan="on"`` requires the app to speak it, ``"off"`` never calls it, and
``"auto"`` tries it and carries on quietly when the app raises before answering
(many apps only know ``http``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aio.server._types import ASGIApp, Message

logger = logging.getLogger("aio.server")


class Lifespan:
    """Drives one app's lifespan conversation.

    :param state: the dict shared (as shallow copies) into each request scope.
    """

    def __init__(self, app: ASGIApp, mode: str, state: dict[str, Any]) -> None:
        self.app = app
        self.mode = mode
        self.state = state
        self.startup_failed = False
        self.shutdown_failed = False
        self.should_exit = False
        self.error_occurred = False
        self._receive_queue: asyncio.Queue[Message] = asyncio.Queue()
        self._startup_event = asyncio.Event()
        self._shutdown_event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        """Send ``lifespan.startup`` and wait for the app's answer."""
        logger.info("Waiting for application startup.")
        self._task = asyncio.get_running_loop().create_task(self._main())
        await self._receive_queue.put({"type": "lifespan.startup"})
        await self._startup_event.wait()
        if self.startup_failed or (self.error_occurred and self.mode == "on"):
            logger.error("Application startup failed. Exiting.")
            self.should_exit = True
        else:
            logger.info("Application startup complete.")

    async def shutdown(self) -> None:
        """Send ``lifespan.shutdown`` and wait for the app's answer."""
        if self.error_occurred or self._task is None:
            return
        logger.info("Waiting for application shutdown.")
        await self._receive_queue.put({"type": "lifespan.shutdown"})
        await self._shutdown_event.wait()
        if self.shutdown_failed or (self.error_occurred and self.mode == "on"):
            logger.error("Application shutdown failed. Exiting.")
            self.should_exit = True
        else:
            logger.info("Application shutdown complete.")
        await self._task

    async def _main(self) -> None:
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        try:
            await self.app(scope, self._receive, self._send)
        except Exception as exc:
            self.error_occurred = True
            if self.startup_failed or self.shutdown_failed:
                return  # the app already said what went wrong
            if self.mode == "auto":
                logger.info("ASGI 'lifespan' protocol appears unsupported.")
            else:
                logger.error("Exception in 'lifespan' protocol", exc_info=exc)
        finally:
            self._startup_event.set()
            self._shutdown_event.set()

    async def _receive(self) -> Message:
        return await self._receive_queue.get()

    async def _send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            self._check(not self._startup_event.is_set(), kind)
            self._startup_event.set()
        elif kind == "lifespan.startup.failed":
            self._check(not self._startup_event.is_set(), kind)
            self.startup_failed = True
            self._startup_event.set()
            if message.get("message"):
                logger.error(message["message"])
        elif kind == "lifespan.shutdown.complete":
            self._check(self._startup_event.is_set(), kind)
            self._shutdown_event.set()
        elif kind == "lifespan.shutdown.failed":
            self._check(self._startup_event.is_set(), kind)
            self.shutdown_failed = True
            self._shutdown_event.set()
            if message.get("message"):
                logger.error(message["message"])
        else:
            raise RuntimeError(f"unexpected ASGI lifespan message type {kind!r}")

    @staticmethod
    def _check(ok: bool, kind: str) -> None:
        if not ok:
            raise RuntimeError(f"unexpected ASGI message {kind!r} at this point")
