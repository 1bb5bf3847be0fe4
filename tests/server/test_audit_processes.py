"""Audit of issue 2's process faults through the ``aio serve`` command itself.

``test_supervisor.py`` drives ``run_supervised`` from Python; these run the command a
user types: a SIGKILLed worker under ``aio serve --workers 2`` is replaced while the
other keeps serving, and SIGINT (supervisor) or SIGTERM (single process) during a slow
request lets it complete before a clean exit.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import signal
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from aio.server import supervisor
from aio.server.supervisor import (
    Supervisor,
    SupervisorOptions,
    WorkerContext,
)
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


def _never_run(ctx: WorkerContext) -> int:
    raise AssertionError("no worker process is started in this test")


def test_max_requests_jitter_spreads_the_worker_budgets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each worker gets max_requests + randint(0, jitter), so that workers started
    # together do not all recycle at once. No process is started: the spawn
    # context's Process is replaced by a recorder.
    budgets: list[int | None] = []

    class Recorder:
        pid = 4242

        def __init__(
            self, target: object, args: tuple[object, WorkerContext], name: str
        ):
            budgets.append(args[1].limit_max_requests)

        def start(self) -> None:
            pass

    spawn = types.SimpleNamespace(RawArray=multiprocessing.RawArray, Process=Recorder)
    monkeypatch.setattr(supervisor, "_spawn", spawn)
    random.seed(2)
    options = SupervisorOptions(workers=1, max_requests=100, max_requests_jitter=10)
    sup = Supervisor(_never_run, [], options)
    try:
        for _ in range(40):
            sup.spawn()
        assert all(b is not None and 100 <= b <= 110 for b in budgets), budgets
        assert len(set(budgets)) > 1
        # Without jitter every worker gets exactly max_requests.
        sup.options = SupervisorOptions(workers=1, max_requests=100)
        budgets.clear()
        for _ in range(5):
            sup.spawn()
        assert budgets == [100] * 5
    finally:
        for worker in sup.workers:
            worker.dump_file.close()
        os.close(sup._wake_r)
        os.close(sup._wake_w)
