"""Type-checking code that uses the client, as a user's ``mypy --strict`` does.

``Mapping`` is invariant in its key type, so a parameter spelt
``Mapping[str | bytes | memoryview, V]`` refuses a ``dict[str, V]`` held in a typed
variable: the most common way to call ``mset``, ``zadd``, ``hset(mapping=...)``,
``xadd`` or ``xread``. redis-py's signatures use constrained ``TypeVar`` s for
those keys; so do ours, async and blocking, and this test keeps them so.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

USAGE = """
import aio.redis
import sync_shims.redis

async def use_async(r: aio.redis.Redis) -> None:
    values: dict[str, int] = {"a": 1}
    scores: dict[str, float] = {"m": 1.0}
    raw: dict[bytes, bytes] = {b"f": b"v"}
    streams: dict[str, str] = {"s": "0"}
    weights: dict[str, float] = {"z1": 2.0}
    await r.mset(values)
    await r.msetnx(values)
    await r.zadd("z", scores)
    await r.hset("h", mapping=values)
    await r.hset("h", mapping=raw)
    await r.xadd("s", raw)
    await r.xread(streams)
    await r.zunionstore("dest", weights)

def use_blocking(r: sync_shims.redis.Redis) -> None:
    values: dict[str, int] = {"a": 1}
    scores: dict[str, float] = {"m": 1.0}
    fields: dict[str, str] = {"f": "v"}
    streams: dict[bytes, int] = {b"s": 0}
    r.mset(values)
    r.zadd("z", scores)
    r.hset("h", mapping=fields)
    r.xadd("s", fields)
    r.xread(streams)
    r.zinterstore("dest", scores)
"""


def test_typed_mappings_pass_mypy_strict(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(USAGE)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            # the project's own modules are the project's gate; report the usage
            "--follow-imports=silent",
            str(usage),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
