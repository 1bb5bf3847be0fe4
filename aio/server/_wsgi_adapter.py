"""Run a WSGI application as an ASGI application, on a thread pool.

One request is one hop to a pool thread, in the common case:

1. on the loop: the first ``http.request`` message is awaited before the hop, so a
   request without a body (or with a small one) never needs the loop again to read;
2. on the pool thread: the application is called and its iterable consumed. The
   first body chunk is held back: if the iterable ends after it, the whole response
   goes back to the loop in the hop's return value (with a ``content-length`` added
   when the application did not set one) and is sent as one write;
3. a streaming response (a second chunk, or ``write()``) sends each chunk from the
   thread with ``run_coroutine_threadsafe(send(...)).result()``: the thread waits until
   the server accepted the chunk, so a slow client slows the application down
   (backpressure) instead of filling memory.

``close()`` of the application's iterable is always called, on the pool thread, also
when the client disconnected (detected by a failing ``send`` or, once the request body
was read, by an ``http.disconnect`` that a watcher task receives).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from types import TracebackType
from typing import Any

from aio.server._wsgi_environ import build_environ
from aio.server._wsgi_io import (
    ClientDisconnectedError,
    ErrorStream,
    FileWrapper,
    InputStream,
)
from aio.server._wsgi_pool import ThreadPool

__all__ = ("WSGIAdapter",)

logger = logging.getLogger("aio.server.wsgi")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
Environ = dict[str, Any]
StartResponse = Callable[..., Callable[[bytes], None]]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_ERROR_BODY = b"Internal Server Error"
_ERROR_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(_ERROR_BODY)).encode()),
]


class _Call:
    """The state of one request, shared by the loop side and the pool thread."""

    __slots__ = (
        "body_done",
        "disconnected",
        "headers",
        "headers_sent",
        "is_head",
        "loop",
        "receive",
        "send",
        "status",
        "watcher",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop, receive: Receive, send: Send):
        self.loop = loop
        self.receive = receive
        self.send = send
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] | None = None
        self.headers_sent = False
        self.is_head = False
        self.body_done = False
        self.disconnected = False
        self.watcher: asyncio.Task[None] | None = None

    # -- loop side -------------------------------------------------------------

    async def _next_body(self) -> tuple[bytes, bool]:
        message = await self.receive()
        if message["type"] == "http.disconnect":
            self.disconnected = True
            self.body_done = True
            raise ClientDisconnectedError("client disconnected during the request body")
        more = bool(message.get("more_body", False))
        if not more:
            self.body_done = True
        return message.get("body", b""), more

    async def _watch(self) -> None:
        # Only started once the body is fully read, so it never races wsgi.input.
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                return

    async def _send(self, message: Message) -> None:
        if self.disconnected:
            raise ClientDisconnectedError("client disconnected")
        if self.watcher is None and self.body_done:
            # The watcher belongs to this call: __call__ cancels it in its finally.
            self.watcher = self.loop.create_task(self._watch())
        try:
            await self.send(message)
        except OSError as exc:
            self.disconnected = True
            raise ClientDisconnectedError(f"client disconnected: {exc}") from exc

    # -- pool thread side --------------------------------------------------------

    def pull(self) -> tuple[bytes, bool]:
        """wsgi.input's source: block the thread until the loop has the next chunk."""
        return asyncio.run_coroutine_threadsafe(self._next_body(), self.loop).result()

    def send_blocking(self, message: Message) -> None:
        asyncio.run_coroutine_threadsafe(self._send(message), self.loop).result()

    def start_response(
        self,
        status: str,
        headers: list[tuple[str, str]],
        exc_info: ExcInfo | None = None,
    ) -> Callable[[bytes], None]:
        if exc_info is not None:
            try:
                if self.headers_sent:
                    # PEP 3333: too late to change the response; re-raise.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None  # break the traceback reference cycle
        elif self.headers is not None:
            raise AssertionError("start_response called a second time without exc_info")
        if len(status) < 3 or not status[:3].isdigit():
            raise ValueError(f"invalid WSGI status {status!r}: want '200 OK'")
        self.status = int(status[:3])
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers
        ]
        return self.write

    def _start_message(self) -> Message:
        if self.headers is None:
            raise RuntimeError("the WSGI application did not call start_response")
        self.headers_sent = True
        return {
            "type": "http.response.start",
            "status": self.status,
            "headers": self.headers,
        }

    def write(self, data: bytes) -> None:
        """The legacy ``write()`` callable returned by start_response."""
        if not self.headers_sent:
            self.send_blocking(self._start_message())
        if data:
            self.send_blocking(
                {"type": "http.response.body", "body": data, "more_body": True}
            )

    def run(self, app: WSGIApp, environ: Environ) -> bytes | None:
        """Call the application and consume its iterable.

        :returns: the last chunk to send (the whole body when nothing was sent yet);
            the loop sends it with ``more_body=False``. None when nothing remains.
        """
        result = app(environ, self.start_response)
        try:
            pending: bytes | None = None
            for chunk in result:
                if self.disconnected:
                    raise ClientDisconnectedError("client disconnected")
                if not chunk:
                    continue
                if pending is not None:
                    if not self.headers_sent:
                        self.send_blocking(self._start_message())
                    self.send_blocking(
                        {
                            "type": "http.response.body",
                            "body": pending,
                            "more_body": True,
                        }
                    )
                pending = chunk
            if self.headers is None:
                raise RuntimeError("the WSGI application did not call start_response")
            if not self.headers_sent:
                body = pending or b""
                if not self.is_head and not any(
                    name == b"content-length" for name, _ in self.headers
                ):
                    self.headers.append((b"content-length", str(len(body)).encode()))
            return pending
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


class WSGIAdapter:
    """An ASGI application that runs a WSGI application on a thread pool.

    :param app: the WSGI application.
    :param threads: the size of the thread pool (the number of requests the
        application handles at the same time in this process).
    :param multiprocess: the value of ``wsgi.multiprocess`` (True under workers).

    .. versionadded:: 0.1
    """

    def __init__(self, app: WSGIApp, *, threads: int = 8, multiprocess: bool = False):
        self.app = app
        self.threads = threads
        # Threads start on first use, so that a worker process gets its own.
        self._pool = ThreadPool(threads)
        self._base: dict[str, Any] = {
            "wsgi.version": (1, 0),
            "wsgi.errors": ErrorStream(),
            "wsgi.multithread": threads > 1,
            "wsgi.multiprocess": multiprocess,
            "wsgi.run_once": False,
            "wsgi.file_wrapper": FileWrapper,
            "wsgi.input_terminated": True,
        }

    def shutdown(self) -> None:
        """Stop the thread pool after the running requests finished."""
        self._pool.shutdown()

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(
                f"WSGI applications serve HTTP only, not {scope['type']}"
            )
        loop = asyncio.get_running_loop()
        call = _Call(loop, receive, send)
        environ = build_environ(scope, self._base, scope["headers"])
        if "HTTP_EXPECT" in environ:
            # 100-continue: the server answers "100" on the first receive(), so
            # only the application's first read may ask for the body.
            first, more = b"", True
        else:
            # Read ahead of the hop: a small body is usually there already.
            try:
                first, more = await call._next_body()
            except ClientDisconnectedError:
                return
        environ["wsgi.input"] = InputStream(first, more, call.pull)
        if scope["method"] == "HEAD":
            call.is_head = True
        try:
            try:
                last = await self._pool.run(call.run, self.app, environ)
            except ClientDisconnectedError:
                return
            except Exception:
                if call.headers_sent:
                    raise  # the server closes the connection
                logger.exception("Exception in WSGI application")
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": _ERROR_HEADERS,
                    }
                )
                await send({"type": "http.response.body", "body": _ERROR_BODY})
                return
            if not call.headers_sent:
                await send(call._start_message())
            if not call.disconnected:
                await send({"type": "http.response.body", "body": last or b""})
        finally:
            if call.watcher is not None:
                call.watcher.cancel()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        # WSGI has no lifespan; acknowledge it and release the pool on shutdown.
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.get_running_loop().run_in_executor(None, self.shutdown)
                await send({"type": "lifespan.shutdown.complete"})
                return
