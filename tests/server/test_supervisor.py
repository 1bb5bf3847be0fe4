"""The supervisor end to end: real worker processes serving a real app."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
import requests

from aio.server.supervisor import SupervisorOptions, _exit_reason
from tests.server.test_supervisor_helpers import supervised

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def test_exit_reasons_name_the_signal() -> None:
    assert _exit_reason(-9) == "was killed by signal SIGKILL"
    assert _exit_reason(-15) == "was killed by signal SIGTERM"
    assert _exit_reason(2) == "exited with code 2"


def test_options_from_config() -> None:
    from aio.server import Config

    config = Config(
        "app:app",
        workers=3,
        timeout_worker=7,
        limit_max_requests=10,
        timeout_graceful_shutdown=4,
    )
    options = SupervisorOptions.from_config(config)
    assert options.workers == 3
    assert options.timeout == 7
    assert options.max_requests == 10
    assert options.graceful_timeout == 4
    reload = SupervisorOptions.from_config(Config("app:app", workers=3, reload=True))
    assert reload.workers == 1 and reload.reload


def test_two_workers_and_a_sigkilled_one_is_replaced(tmp_path: Path) -> None:
    with supervised(tmp_path, config="workers=2") as sup:
        sup.wait_for(r"started worker \d+ \(pid \d+\)", count=2)
        pids = sup.pids()
        assert len(pids) == 2
        victim, survivor = pids[1], pids[2]
        os.kill(victim, signal.SIGKILL)
        text = sup.wait_for(r"worker 1 \(pid \d+\) was killed by signal SIGKILL")
        assert f"worker 1 (pid {victim}) was killed by signal SIGKILL" in text
        sup.wait_for(r"started worker 3 \(pid \d+\)")
        replacement = sup.pids()[3]
        assert sup.pid_answers(replacement)
        os.kill(survivor, 0)  # the other worker was left alone
        assert str(survivor) in {sup.get("/").split()[0] for _ in range(100)}


def test_hung_worker_is_killed_and_its_stack_logged(tmp_path: Path) -> None:
    with supervised(tmp_path, config="workers=1, timeout_worker=2") as sup:
        first = sup.pids()[1]

        def hang() -> None:
            try:
                requests.get(sup.url + "/hang", timeout=15)
            except requests.RequestException:
                pass  # the worker is killed under us: the connection breaks

        thread = threading.Thread(target=hang)
        thread.start()
        text = sup.wait_for(r"is hung", timeout=20)
        assert f"worker 1 (pid {first}) is hung" in text
        text = sup.wait_for(r"started worker 2 \(pid \d+\)")
        # the dump names the handler that blocked the loop, and the line
        assert "in hang_forever" in text
        assert "did not run for" in text
        thread.join(15)
        assert sup.pid_answers(sup.pids()[2], attempts=5)


def test_sigterm_lets_a_slow_request_finish_then_exits_0(tmp_path: Path) -> None:
    with supervised(tmp_path, config="workers=2") as sup:
        result: list[requests.Response] = []
        thread = threading.Thread(
            target=lambda: result.append(requests.get(sup.url + "/slow", timeout=15))
        )
        thread.start()
        marker = tmp_path / "slow.started"
        for _ in range(200):
            if marker.exists():
                break
            threading.Event().wait(0.02)
        assert marker.exists()
        sup.signal(signal.SIGTERM)
        assert sup.wait() == 0
        thread.join(15)
        assert result and result[0].status_code == 200
        assert "SIGTERM: stopping 2 workers" in sup.text()


def test_sighup_starts_new_workers_and_stops_the_old(tmp_path: Path) -> None:
    with supervised(tmp_path, config="workers=2") as sup:
        sup.wait_for(r"started worker \d+", count=2)
        old = set(sup.pids().values())
        (tmp_path / "app.py").write_text(
            (tmp_path / "app.py").read_text().replace('"v1"', '"v2"')
        )
        sup.signal(signal.SIGHUP)
        sup.wait_for(r"started worker \d+", count=4)
        sup.wait_for(r"worker [12] \(pid \d+\) stopped", count=2)
        new = set(sup.pids().values()) - old
        assert len(new) == 2
        # the new generation re-imported the app: new code, new pids
        for _ in range(10):
            pid, version = sup.get("/").split()
            assert int(pid) in new and version == "v2"


def test_ttin_adds_and_ttou_removes_a_worker(tmp_path: Path) -> None:
    with supervised(tmp_path, config="workers=1") as sup:
        sup.signal(signal.SIGTTIN)
        sup.wait_for(r"started worker 2 \(pid \d+\)")
        sup.wait_for(r"SIGTTIN: workers 2")
        sup.signal(signal.SIGTTOU)
        # the newest worker is retired, gracefully
        sup.wait_for(r"worker 2 \(pid \d+\) stopped: exited with code 0")
        assert sup.pid_answers(sup.pids()[1], attempts=5)


def test_max_requests_recycles_the_worker(tmp_path: Path) -> None:
    with supervised(tmp_path, config="workers=1, limit_max_requests=3") as sup:
        first = sup.pids()[1]
        seen = {sup.get("/").split()[0] for _ in range(8)}
        sup.wait_for(r"worker 1 \(pid \d+\) exited after its request budget")
        sup.wait_for(r"started worker 2 \(pid \d+\)")
        assert str(first) in seen
        assert sup.pid_answers(sup.pids()[2], attempts=10)


def test_boot_failure_stops_the_supervisor_with_1(tmp_path: Path) -> None:
    broken = "raise ImportError('this app cannot be imported')\n"
    with supervised(tmp_path, config="workers=2", app=broken, wait=False) as sup:
        assert sup.wait() == 1
        text = sup.text()
        assert "failed to boot" in text
        assert "this app cannot be imported" in text
