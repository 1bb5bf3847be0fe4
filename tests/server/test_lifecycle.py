"""Limits, timeouts, graceful shutdown and the lifespan protocol."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from aio.server import Config, Server
from tests.server._helpers import raw_request, serving


async def respond(send: Any, status: int = 200, body: bytes = b"ok") -> None:
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def test_limit_concurrency_answers_503() -> None:
    entered = asyncio.Event()
    release = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        entered.set()
        await release.wait()
        await respond(send)

    async with serving(app, limit_concurrency=1) as srv:
        async with httpx.AsyncClient() as client:
            slow = asyncio.ensure_future(client.get(srv.url))
            await entered.wait()
            busy = await client.get(srv.url)
            assert busy.status_code == 503
            release.set()
            assert (await slow).status_code == 200


async def test_timeout_request_gives_504_and_logs_stack(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cancelled = asyncio.Event()

    async def hung_handler_for_test(scope: Any, receive: Any, send: Any) -> None:
        try:
            await asyncio.Event().wait()  # never set: a hung handler
        except asyncio.CancelledError:
            cancelled.set()
            raise

    caplog.set_level(logging.ERROR, logger="aio.server")
    async with serving(hung_handler_for_test, timeout_request=0.3) as srv:
        data = await raw_request(srv.address, b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
        await asyncio.wait_for(cancelled.wait(), 5)
    assert data.startswith(b"HTTP/1.1 504")
    assert "timed out" in caplog.text
    assert "hung_handler_for_test" in caplog.text  # the handler's stack


async def test_graceful_shutdown_lets_inflight_request_finish() -> None:
    entered = asyncio.Event()
    release = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        entered.set()
        await release.wait()
        await respond(send, body=b"finished")

    config = Config(app, port=0, lifespan="off")
    server = Server(config)
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient() as client:
        # an idle keep-alive connection, closed at shutdown
        idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", port)
        request = asyncio.ensure_future(client.get(f"http://127.0.0.1:{port}/"))
        await entered.wait()
        server.should_exit = True
        assert await asyncio.wait_for(idle_reader.read(), 5) == b""
        # new connections are refused once shutdown started
        while server.servers[0].is_serving():
            await asyncio.sleep(0.01)
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", port)
        release.set()
        response = await request
        idle_writer.close()
    assert response.status_code == 200
    assert response.content == b"finished"
    assert response.headers["connection"] == "close"
    await asyncio.wait_for(task, 5)


async def _started(app: Any) -> tuple[Server, asyncio.Future[None], int]:
    server = Server(Config(app, port=0, lifespan="off"))
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, server.servers[0].sockets[0].getsockname()[1]


async def _shutting_down(server: Server) -> None:
    server.should_exit = True
    while not server.server_state.shutting_down:
        await asyncio.sleep(0.01)
    assert not server.servers[0].is_serving()


@pytest.mark.parametrize("first_bytes", [b"", b"GET / HTTP/1.1\r\nHo"])
async def test_connection_accepted_before_shutdown_gets_its_request_answered(
    first_bytes: bytes,
) -> None:
    # The switch-over window of a reload: the old worker accepted a connection
    # (and maybe read part of its request) just before its graceful stop.
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await respond(send, body=b"answered")

    server, task, port = await _started(app)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(first_bytes)
    while not server.server_state.connections:  # accepted
        await asyncio.sleep(0.01)
    if first_bytes:
        [connection] = server.server_state.connections
        while getattr(connection, "phase", None) != 1:  # HEAD: bytes were read
            await asyncio.sleep(0.01)
    await _shutting_down(server)
    rest = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[len(first_bytes) :]
    writer.write(rest)
    response = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert response.startswith(b"HTTP/1.1 200 ")
    assert b"\r\nconnection: close\r\n" in response
    assert response.endswith(b"answered")
    await asyncio.wait_for(task, 5)


async def test_quiet_connection_is_closed_after_the_grace() -> None:
    server, task, port = await _started(lambda *args: respond(args[2]))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while not server.server_state.connections:
        await asyncio.sleep(0.01)
    await _shutting_down(server)
    assert await asyncio.wait_for(reader.read(), 5) == b""
    await asyncio.wait_for(task, 5)  # the server did not wait for it forever
    writer.close()


async def test_graceful_shutdown_timeout_cancels_handlers() -> None:
    entered = asyncio.Event()
    cancelled = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        entered.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    server = Server(Config(app, port=0, lifespan="off", timeout_graceful_shutdown=0.2))
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    await entered.wait()
    server.should_exit = True
    await asyncio.wait_for(task, 5)
    assert cancelled.is_set()
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()


async def test_limit_max_requests_makes_serve_return() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await respond(send)

    server = Server(Config(app, port=0, lifespan="off", limit_max_requests=3))
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient() as client:
        for _ in range(3):
            await client.get(f"http://127.0.0.1:{port}/")
    await asyncio.wait_for(task, 5)
    assert server.server_state.total_requests == 3


def lifespan_app(events: list[str], fail: str | None = None) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                events.append(message["type"])
                if message["type"] == "lifespan.startup":
                    scope["state"]["db"] = "connected"
                    if fail == "startup":
                        await send(
                            {"type": "lifespan.startup.failed", "message": "no db!"}
                        )
                        return
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        scope["state"]["mutated"] = True  # a copy: must not leak to others
        await respond(send, body=repr(sorted(scope["state"].items())).encode())

    return app


async def test_lifespan_startup_shutdown_and_state() -> None:
    events: list[str] = []
    async with serving(lifespan_app(events), lifespan="on") as srv:
        async with httpx.AsyncClient() as client:
            first = await client.get(srv.url)
            second = await client.get(srv.url)
        assert events == ["lifespan.startup"]
    assert events == ["lifespan.startup", "lifespan.shutdown"]
    assert (
        first.content == second.content == b"[('db', 'connected'), ('mutated', True)]"
    )
    assert srv.server.app_state == {"db": "connected"}


async def test_lifespan_startup_failure(caplog: pytest.LogCaptureFixture) -> None:
    server = Server(Config(lifespan_app([], fail="startup"), port=0, lifespan="on"))
    await asyncio.wait_for(server.serve(), 5)
    assert server.startup_failed
    assert not server.started
    assert "no db!" in caplog.text


async def test_lifespan_auto_tolerates_http_only_app() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        await respond(send)

    async with serving(app, lifespan="auto") as srv:
        async with httpx.AsyncClient() as client:
            assert (await client.get(srv.url)).status_code == 200


async def test_lifespan_on_requires_support() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("http only")

    server = Server(Config(app, port=0, lifespan="on"))
    await asyncio.wait_for(server.serve(), 5)
    assert server.startup_failed


async def test_on_tick_hook_runs() -> None:
    ticks = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await respond(send)

    server = Server(Config(app, port=0, lifespan="off"))
    server.on_tick = ticks.set
    task = asyncio.ensure_future(server.serve())
    await asyncio.wait_for(ticks.wait(), 5)
    server.should_exit = True
    await asyncio.wait_for(task, 5)
