"""Start a server command in its own pinned subprocess, wait until it answers, stop it.

Each server runs in a new session (process group) so that stopping it also stops the
workers it forked (gunicorn, hypercorn). Readiness is an actual HTTP request on the
port, checked against the expected body, so a server that listens but answers wrongly
is reported as failed rather than benchmarked.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from benchmarks._harness import Unavailable

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """An ephemeral port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def pin_prefix(cpu: int) -> list[str]:
    """``taskset -c CPU`` when the machine has that core (and taskset), else nothing."""
    try:
        usable = os.sched_getaffinity(0)
    except (AttributeError, OSError):
        return []
    if len(usable) < 2 or cpu not in usable or shutil.which("taskset") is None:
        return []
    return ["taskset", "-c", str(cpu)]


def http_get(port: int, path: str = "/", timeout: float = 2.0) -> tuple[int, bytes]:
    """One ``GET`` with ``Connection: close``; returns ``(status, body)``."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ValueError(f"not an HTTP response: {raw[:80]!r}")
    return int(status_line[1]), body


def rss_kib(pids: Sequence[int]) -> int:
    """The summed ``VmRSS`` of ``pids`` in KiB (from ``/proc/PID/status``)."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time used so far by ``pids`` (all their threads), seconds."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # after the command name: field 14 (utime) and 15 (stime) are the 12th, 13th
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def session_pids(sid: int) -> list[int]:
    """Every live process whose session id is ``sid`` (a server and its workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # fields after the ")" that closes the command name: state ppid pgrp session
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid:
            pids.append(int(entry.name))
    return sorted(pids)


class ServerProcess:
    """A server subprocess: ``with ServerProcess(argv, port, checks) as server: ...``.

    :param argv: the command; it must listen on ``127.0.0.1:port``.
    :param port: the port it was told to use.
    :param checks: ``path -> expected body`` requests that must succeed before use.
    :param cpu: the core to pin the server to (``None``: no pinning).
    :param start_timeout: seconds to wait for the first good answer.
    """

    def __init__(
        self,
        argv: Sequence[str],
        port: int,
        checks: Mapping[str, bytes],
        *,
        cpu: int | None = 0,
        start_timeout: float = 20.0,
    ) -> None:
        self.argv = [*(pin_prefix(cpu) if cpu is not None else []), *argv]
        self.port = port
        self.checks = dict(checks)
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()

    def log_tail(self, lines: int = 1) -> str:
        """The last lines the server printed (stdout and stderr), for failure reasons."""
        self._log.seek(0)
        text = self._log.read().decode(errors="replace").strip().splitlines()
        return " | ".join(line.strip() for line in text[-lines:])

    def pids(self) -> list[int]:
        """The server process and every worker it started."""
        if self.proc is None:
            return []
        return session_pids(self.proc.pid)

    def cpu_seconds(self) -> float:
        """CPU time the server and its workers have used so far, in seconds."""
        return cpu_seconds(self.pids())

    def rss_kib(self) -> int:
        """Resident memory of the server and its workers, in KiB."""
        return rss_kib(self.pids())

    def start(self) -> None:
        """Spawn the server and wait until every check answers as expected.

        :raises Unavailable: ``failed to start: <reason>`` (exit, timeout, wrong body).
        """
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *filter(None, [env.get("PYTHONPATH")])]
        )
        env.setdefault("PYTHONUNBUFFERED", "1")
        try:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise Unavailable(f"failed to start: {exc}") from exc
        deadline = time.monotonic() + self.start_timeout
        last_error = "no answer"
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                raise Unavailable(
                    f"failed to start: exit code {code}: {self.log_tail()}"
                )
            try:
                self._check()
                return
            except (OSError, ValueError) as exc:
                last_error = str(exc) or type(exc).__name__
            time.sleep(0.1)
        self.stop()
        raise Unavailable(
            f"failed to start: no good answer in {self.start_timeout:.0f} s "
            f"({last_error}): {self.log_tail()}"
        )

    def _check(self) -> None:
        for path, expected in self.checks.items():
            status, body = http_get(self.port, path)
            if status != 200 or body != expected:
                # a wrong answer is final, not worth polling again
                self.stop()
                raise Unavailable(
                    f"failed to start: GET {path} answered {status} {body[:60]!r}"
                )

    def stop(self) -> None:
        """SIGTERM the whole process group, then SIGKILL whatever is left after 5 s."""
        proc = self.proc
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # the leader is gone; make sure forked workers go too
            if not session_pids(proc.pid):
                break
        if proc.poll() is None:  # pragma: no cover - SIGKILL always works
            print(f"warning: server {proc.pid} did not stop", file=sys.stderr)

    def close(self) -> None:
        """Stop the server (if running) and release the log file."""
        self.stop()
        self._log.close()

    def __enter__(self) -> ServerProcess:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
