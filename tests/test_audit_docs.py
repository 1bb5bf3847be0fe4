"""The examples in docs/engine.md, docs/facades.md and docs/wsgi.md run as written.

docs/server.md, docs/websocket.md and docs/redis.md have their own example tests;
these pages had none (found by the issue-2 audit).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.server.test_supervisor_helpers import Supervised

ROOT = Path(__file__).resolve().parents[1]


def python_blocks(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def run_python(folder: Path, code: str, *pythonpath: str) -> str:
    (folder / "example.py").write_text(code)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *pythonpath])
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_engine_task_group_example(tmp_path: Path) -> None:
    (block,) = [b for b in python_blocks("engine.md") if "aio.run(main, 5)" in b]
    out = run_python(tmp_path, block)
    # once on asyncio, once on uvloop (a dev dependency)
    assert out.splitlines() == ["[0, 1, 4, 9, 16] 30"] * 2


def test_engine_portal_example(tmp_path: Path) -> None:
    (block,) = [b for b in python_blocks("engine.md") if "p = portal()" in b]
    out = run_python(tmp_path, block)
    assert out.splitlines() == [
        "3",
        "open",
        "session",
        "close",
        "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
        "True",
    ]


def test_facades_generated_twin_example(tmp_path: Path) -> None:
    twins = tmp_path / "twins"
    twins.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sync_shims._codegen",
            "--spec",
            "tests.sync_shims._fixture_spec",
            "--out",
            str(twins),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    (block,) = [b for b in python_blocks("facades.md") if "open_store" in b]
    out = run_python(tmp_path, block, str(twins))
    assert out.splitlines() == ["1 ['a', 'b', 'c']", "['a', 'b', 'c', 'd']", "True"]


def test_wsgi_hello_under_the_gunicorn_face_with_the_docs_config(
    tmp_path: Path,
) -> None:
    blocks = python_blocks("wsgi.md")
    (hello,) = [b for b in blocks if b.startswith("# hello.py")]
    (conf,) = [b for b in blocks if b.startswith("# gunicorn.conf.py")]
    (tmp_path / "hello.py").write_text(hello)
    (tmp_path / "gunicorn.conf.py").write_text(conf)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    # The page's config binds port 8000 with 4 workers: the command line wins.
    argv = [sys.executable, "-m", "sync_shims.gunicorn", "hello:app"]
    argv += ["-c", "gunicorn.conf.py", "-b", "127.0.0.1:0", "-w", "1"]
    sup = Supervised(argv, tmp_path / "shim.log", tmp_path, env)
    try:
        sup.wait_ready()
        r = httpx.post(sup.url + "/greet", content=b"docs")
        assert (r.status_code, r.text) == (200, "Hello, docs\n")
        sup.wait_for(r"ready with 1 workers")  # the page's when_ready hook
        sup.wait_for(r"POST /greet -> 200")  # its post_request hook
        sup.signal(signal.SIGTERM)
        assert sup.wait() == 0
    finally:
        sup.stop()
