"""Run a blocking example of ``docs/redis.md`` as a user would: a fresh
interpreter, started from the project root, configured by environment variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.redis.test_cluster import doc_example

ROOT = Path(__file__).resolve().parents[3]


def run_doc_example(name: str, **env: str) -> list[str]:
    """The printed lines of the python block marked ``# example: <name>``,
    run with ``env`` added to the environment; fails the test if it fails."""
    result = subprocess.run(
        [sys.executable, "-c", doc_example(name)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()
