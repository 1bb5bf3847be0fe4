"""The example of docs/redis.md's "Blocking API" section runs as documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.sync_shims.redis.conftest import DB

DOC = Path(__file__).resolve().parents[3] / "docs" / "redis.md"


def test_blocking_example_runs(server: tuple[str, int], db_lock: None) -> None:
    match = re.search(
        r"```python\n# example: blocking\n(.*?)```", DOC.read_text(), re.S
    )
    assert match is not None
    host, port = server
    env = {**os.environ, "AIO_REDIS_URL": f"redis://{host}:{port}/{DB}"}
    result = subprocess.run(
        [sys.executable, "-c", match.group(1)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=DOC.parent.parent,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "b'8'",
        "[9, b'9']",
        "b'18'",
        "news: b'hello'",
        "b'18'",
        "WrongTypeError",
    ]
