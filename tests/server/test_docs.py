"""The examples in docs/server.md run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "server.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)


def test_embedded_server_example_runs(tmp_path: Path) -> None:
    blocks = python_blocks()
    hello = next(b for b in blocks if b.startswith("# hello.py"))
    embedded = next(b for b in blocks if "async def main" in b)
    (tmp_path / "hello.py").write_text(hello)
    (tmp_path / "example.py").write_text(embedded)
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    proc = subprocess.run(
        [sys.executable, "example.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"listening on \d+", proc.stdout)


def test_blocking_run_example_is_valid_python() -> None:
    blocking = next(b for b in python_blocks() if "run(app, host" in b)
    compile(blocking, "docs/server.md", "exec")
