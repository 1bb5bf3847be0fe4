"""Helpers for the process tests: a supervisor subprocess whose log we can poll."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ASGI_APP = """
import asyncio
import os
import time

VERSION = "v1"


def hang_forever():
    time.sleep(60)  # blocks the event loop: the supervisor must notice


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    path = scope["path"]
    if path == "/hang":
        hang_forever()
    if path == "/slow":
        open(os.environ["SLOW_MARKER"], "w").close()
        await asyncio.sleep(1.0)
    body = f"{os.getpid()} {VERSION}".encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})
"""


class Supervised:
    """A supervisor running in a subprocess (its own session) with a log file."""

    def __init__(self, argv: list[str], log: Path, cwd: Path, env: dict[str, str]):
        self.log = log
        self._file = open(log, "wb")  # closed in stop()
        self.proc = subprocess.Popen(
            argv,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.url = ""

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 15.0, count: int = 1) -> str:
        """Poll the log until ``pattern`` matched ``count`` times; return the text."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if len(re.findall(pattern, text)) >= count:
                return text
            if (
                self.proc.poll() is not None
                and time.monotonic() > deadline - timeout + 1
            ):
                text = self.text()
                if len(re.findall(pattern, text)) >= count:
                    return text
                raise AssertionError(
                    f"supervisor exited ({self.proc.returncode}) before {pattern!r}:\n"
                    + text
                )
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {pattern!r}:\n" + self.text())

    def wait_ready(self) -> str:
        text = self.wait_for(r"running on (http://[\d.]+:\d+)")
        match = re.search(r"running on (http://[\d.]+:\d+)", text)
        assert match is not None
        self.url = match.group(1)
        self.get("/")  # blocks in the backlog until a worker accepts
        return self.url

    def get(self, path: str, timeout: float = 10.0) -> str:
        response = requests.get(
            self.url + path, headers={"Connection": "close"}, timeout=timeout
        )
        response.raise_for_status()
        return response.text

    def pids(
        self, pattern: str = r"started worker (\d+) \(pid (\d+)\)"
    ) -> dict[int, int]:
        return {int(i): int(p) for i, p in re.findall(pattern, self.text())}

    def pid_answers(self, pid: int, attempts: int = 200, within: float = 20.0) -> bool:
        """Whether worker ``pid`` answers one of our requests.

        The kernel hands each new connection to whichever worker accepts first, and a
        freshly started worker is still importing the app when the supervisor logs
        it: keep asking (at least ``attempts`` times) until ``within`` seconds pass.
        """
        deadline = time.monotonic() + within
        tries = 0
        while tries < attempts or time.monotonic() < deadline:
            if self.get("/").split()[0] == str(pid):
                return True
            tries += 1
            if tries >= attempts:
                time.sleep(0.02)  # let a starting worker reach accept()
        return False

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 20.0) -> int:
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        else:
            # the workers are in the same session: never leave one behind
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self._file.close()


def start_supervisor(
    tmp_path: Path, code: str, env: dict[str, str] | None = None
) -> Supervised:
    """Run ``code`` (Python) in a subprocess with tmp_path as its directory."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), str(tmp_path)]
    )
    full_env["SLOW_MARKER"] = str(tmp_path / "slow.started")
    full_env.update(env or {})
    return Supervised(
        [sys.executable, "-c", code], tmp_path / "supervisor.log", tmp_path, full_env
    )


@contextlib.contextmanager
def supervised(
    tmp_path: Path, *, config: str, app: str = ASGI_APP, wait: bool = True
) -> Iterator[Supervised]:
    """Write the app, run ``run_supervised(Config(...config...))``, always clean up."""
    (tmp_path / "app.py").write_text(app)
    code = (
        "import sys\n"
        "from aio.server import Config\n"
        "from aio.server._logging import LOGGING_CONFIG\n"
        "from aio.server.supervisor import run_supervised\n"
        f"config = Config('app:app', port=0, log_config=LOGGING_CONFIG, "
        f"app_dir={str(tmp_path)!r}, {config})\n"
        "sys.exit(run_supervised(config))\n"
    )
    sup = start_supervisor(tmp_path, code)
    try:
        if wait:
            sup.wait_ready()
        yield sup
    finally:
        sup.stop()
