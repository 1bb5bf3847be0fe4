"""Audit of issue 2's process faults through the ``aio serve`` command itself.

``test_supervisor.py`` drives ``run_supervised`` from Python; these run the command a
user types: a SIGKILLed worker under ``aio serve --workers 2`` is replaced while the
other keeps serving, and SIGINT (supervisor) or SIGTERM (single process) during a slow
request lets it complete before a clean exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import requests

from tests.server.test_supervisor_helpers import ASGI_APP, Supervised


@contextlib.contextmanager
def aio_serve(tmp_path: Path, *flags: str) -> Iterator[Supervised]:
    (tmp_path / "app.py").write_text(ASGI_APP)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    env["SLOW_MARKER"] = str(tmp_path / "slow.started")
    argv = [sys.executable, "-m", "aio", "serve", "app:app", "--port", "0"]
    argv += ["--app-dir", str(tmp_path), *flags]
    sup = Supervised(argv, tmp_path / "serve.log", tmp_path, env)
    try:
        sup.wait_ready()
        yield sup
    finally:
        sup.stop()


def _slow_request_then(sup: Supervised, marker: Path, sig: int) -> requests.Response:
    """Start GET /slow, send ``sig`` once the handler runs, return the response."""
    result: list[requests.Response] = []
    thread = threading.Thread(
        target=lambda: result.append(requests.get(sup.url + "/slow", timeout=15))
    )
    thread.start()
    started = threading.Event()
    for _ in range(300):
        if marker.exists():
            break
        started.wait(0.02)
    assert marker.exists(), sup.text()
    sup.signal(sig)
    assert sup.wait() == 0, sup.text()
    thread.join(15)
    assert result, sup.text()
    return result[0]


def test_sigkilled_worker_is_replaced_while_the_other_serves(tmp_path: Path) -> None:
    with aio_serve(tmp_path, "--workers", "2") as sup:
        sup.wait_for(r"started worker \d+ \(pid \d+\)", count=2)
        pids = sup.pids()
        assert len(pids) == 2
        (victim_id, victim), (_, survivor) = sorted(pids.items())
        os.kill(victim, signal.SIGKILL)
        text = sup.wait_for(r"was killed by signal SIGKILL")
        assert f"(pid {victim}) was killed by signal SIGKILL" in text
        sup.wait_for(r"started worker \d+ \(pid \d+\)", count=3)
        new = set(sup.pids().values()) - {victim, survivor}
        assert len(new) == 1
        # Both the survivor and the replacement answer; the victim never does.
        assert sup.pid_answers(survivor)
        assert sup.pid_answers(new.pop())
        assert all(sup.get("/").split()[0] != str(victim) for _ in range(20))


def test_sigint_to_the_supervisor_lets_a_slow_request_finish(tmp_path: Path) -> None:
    with aio_serve(tmp_path, "--workers", "2") as sup:
        response = _slow_request_then(sup, tmp_path / "slow.started", signal.SIGINT)
        assert response.status_code == 200
        assert "SIGINT" in sup.text()


def test_sigterm_to_a_single_process_lets_a_slow_request_finish(
    tmp_path: Path,
) -> None:
    with aio_serve(tmp_path) as sup:
        response = _slow_request_then(sup, tmp_path / "slow.started", signal.SIGTERM)
        assert response.status_code == 200
        assert response.headers.get("connection") == "close"
        assert "Finished server process" in sup.text()
