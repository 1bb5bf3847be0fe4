"""Client process of the ``idle_connections`` suite: hold N idle keep-alive connections.

``python -m benchmarks._idle_client PORT COUNT`` opens COUNT connections to
127.0.0.1:PORT, sends one keep-alive ``GET /`` on each and reads the response, then
leaves them idle. It talks to the harness over stdin/stdout, one line each:

- it prints ``open N`` once N connections are idle (N < COUNT if some failed);
- on ``check`` it sends one request on a fresh connection and prints
  ``check <status>`` (or ``check failed <reason>``), then ``closed K``: how many of the
  idle connections the server has closed meanwhile;
- on ``quit`` (or end of input) it closes everything and exits.

It runs in its own process so that the client's memory and CPU never count as the
server's, and raises ``RLIMIT_NOFILE`` to its hard limit to be allowed that many sockets.
"""

from __future__ import annotations

import asyncio
import resource
import sys

HOST = "127.0.0.1"
BATCH = 250


def raise_nofile_limit() -> int:
    """Raise the soft limit on open files to the hard limit; return the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else 1 << 20
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def request(port: int) -> bytes:
    """A keep-alive ``GET /`` request."""
    return f"GET / HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response with a Content-Length body; return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    await reader.readexactly(length)
    return status


Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def open_one(port: int) -> Conn:
    """Connect and complete one keep-alive exchange."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(request(port))
    await writer.drain()
    await read_response(reader)
    return reader, writer


async def check(port: int) -> str:
    """One request on a fresh connection: ``"200"`` or ``"failed <reason>"``."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
        writer.write(request(port))
        status = await asyncio.wait_for(read_response(reader), 10)
        writer.close()
        return str(status)
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
        return f"failed {type(exc).__name__}: {exc}"
    except TimeoutError:
        return "failed no answer within 10 s"


async def main(port: int, count: int) -> None:
    """Open the connections, then obey the harness's commands."""
    raise_nofile_limit()
    conns: list[Conn] = []
    failures = 0
    for start in range(0, count, BATCH):
        batch = [
            asyncio.wait_for(open_one(port), 30)
            for _ in range(min(BATCH, count - start))
        ]
        for outcome in await asyncio.gather(*batch, return_exceptions=True):
            if isinstance(outcome, BaseException):
                failures += 1
            else:
                conns.append(outcome)
    print(f"open {len(conns)} failed {failures}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "check":
            print(f"check {await check(port)}", flush=True)
            closed = sum(1 for reader, _ in conns if reader.at_eof())
            print(f"closed {closed}", flush=True)
        else:  # "quit" or end of input
            break
    for _, writer in conns:
        writer.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
