"""The example of docs/redis.md's "Commands" section runs and prints what it says."""

from __future__ import annotations

import asyncio
import os
import pathlib
import re
import sys

from tests.plugins.fix_redis_commands import db_lock
from tests.plugins.fix_services import require_service

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "redis.md"


def example() -> str:
    match = re.search(
        r"```python\n(# example: commands\n.*?)```", DOC.read_text(), re.S
    )
    assert match, "docs/redis.md has no '# example: commands' block"
    return match.group(1)


async def test_commands_example_prints_what_the_comments_say() -> None:
    host, port = require_service("redis")
    code = example()
    expected = [
        line.split("  # ", 1)[1].strip()
        for line in code.splitlines()
        if line.strip().startswith("print(") and "  # " in line
    ]
    env = {**os.environ, "AIO_REDIS_URL": f"redis://{host}:{port}/10"}
    async with db_lock():
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            code,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await child.communicate()
    assert child.returncode == 0, err.decode()
    assert out.decode().splitlines() == expected
