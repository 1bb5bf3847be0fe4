"""``--reload``: the file watcher, and the supervisor restarting on a change."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
import requests

from aio.server._reload import ChangeWatcher
from tests.server.test_supervisor_helpers import supervised


def _bump(path: Path, text: str) -> None:
    path.write_text(text)
    # make the change visible even on a file system with coarse mtimes
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_stat_watcher_sees_changes_of_matching_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "__pycache__").mkdir()
    watcher = ChangeWatcher([str(tmp_path)], use_watchfiles=False)
    assert watcher.backend == "stat"
    assert watcher.changes() == []
    _bump(tmp_path / "a.py", "x = 2\n")
    _bump(tmp_path / "notes.txt", "changed\n")
    (tmp_path / "__pycache__" / "a.py").write_text("ignored\n")
    assert watcher.changes() == [str(tmp_path / "a.py")]
    assert watcher.changes() == []
    (tmp_path / "b.py").write_text("new\n")
    assert watcher.changes() == [str(tmp_path / "b.py")]
    (tmp_path / "a.py").unlink()
    assert watcher.changes() == [str(tmp_path / "a.py")]
    watcher.close()


def test_reload_loses_no_request(tmp_path: Path) -> None:
    # Requests go out back to back, each on a new connection, while the app
    # changes three times: the new worker starts before the old one stops, and
    # the old one answers what it accepted, so every request gets a 200.
    config = f"reload=True, reload_dirs=[{str(tmp_path)!r}], reload_delay=0.1"
    with supervised(tmp_path, config=config) as sup:
        sup.wait_for(r"watching .* for changes")
        answers: list[str] = []
        failures: list[BaseException] = []
        done = threading.Event()

        def hammer() -> None:
            while not done.is_set():
                try:
                    answers.append(sup.get("/"))
                except requests.RequestException as exc:
                    failures.append(exc)

        client = threading.Thread(target=hammer)
        client.start()
        try:
            app = tmp_path / "app.py"
            for number in range(2, 5):
                served = len(answers)
                _bump(app, re.sub(r'"v\d"', f'"v{number}"', app.read_text()))
                sup.wait_for(r"reloading: .*app\.py changed", count=number - 1)
                sup.wait_for(r"worker \d+ \(pid \d+\) stopped", count=number - 1)
                while len(answers) < served + 20 and not failures:
                    time.sleep(0.01)  # requests kept flowing across the switch
        finally:
            done.set()
            client.join(15)
        assert failures == []
        # Old and new workers overlap during a switch, so versions interleave
        # then; each version was served by a worker of its own.
        assert answers[-1].split()[1] == "v4"
        workers = {tuple(answer.split()) for answer in answers}
        assert sorted(version for _, version in workers) == ["v1", "v2", "v3", "v4"]


def test_watchfiles_watcher_sees_changes_of_matching_files_only(
    tmp_path: Path,
) -> None:
    # Added by the issue-2 audit: the backend used when watchfiles is installed.
    pytest.importorskip("watchfiles")
    woken = threading.Event()
    (tmp_path / "a.py").write_text("x = 1\n")
    watcher = ChangeWatcher([str(tmp_path)], wake=woken.set)
    try:
        assert watcher.backend == "watchfiles"
        assert watcher.changes() == []
        # The watch thread starts asynchronously: keep touching the file until the
        # change is reported (each wake is one batch of changes).
        (tmp_path / "notes.txt").write_text("not watched\n")
        for _ in range(100):
            _bump(tmp_path / "a.py", "x = 2\n")
            if woken.wait(0.1):
                break
        assert woken.is_set()
        changed = watcher.changes()
        assert str(tmp_path / "a.py") in changed
        assert all(path.endswith(".py") for path in changed)
    finally:
        watcher.close()


def test_excludes_and_includes_as_uvicorn(tmp_path: Path) -> None:
    # Added by the issue-2 audit: --reload-include / --reload-exclude.
    (tmp_path / "gen").mkdir()
    for name in ("a.py", "b_test.py", "gen/c.py", "conf.toml"):
        (tmp_path / name).write_text("1\n")
    watcher = ChangeWatcher(
        [str(tmp_path)],
        ("*.py", "*.toml"),
        excludes=("*_test.py", str(tmp_path / "gen" / "*")),
        use_watchfiles=False,
    )
    for name in ("a.py", "b_test.py", "gen/c.py", "conf.toml"):
        _bump(tmp_path / name, "2\n")
    assert watcher.changes() == [str(tmp_path / "a.py"), str(tmp_path / "conf.toml")]
    watcher.close()


def test_reload_flags_reach_the_supervisor(monkeypatch: pytest.MonkeyPatch) -> None:
    # Config() applies the CLI's logging config: keep it out of this process.
    monkeypatch.setattr("aio.server._config.configure_logging", lambda *a: None)
    from aio.server import Config
    from aio.server.cli import build_parser, config_from_args
    from aio.server.supervisor import SupervisorOptions

    args = build_parser().parse_args(
        [
            "m:app",
            "--reload",
            "--reload-include",
            "*.toml",
            "--reload-include",
            "*.py",
            "--reload-exclude",
            "*_test.py",
            "--timeout-worker-healthcheck",
            "9",
        ]
    )
    config = config_from_args(args)
    options = SupervisorOptions.from_config(config)
    assert options.reload_includes == ("*.py", "*.toml")
    assert options.reload_excludes == ("*_test.py",)
    assert options.timeout == 9
    plain = SupervisorOptions.from_config(
        config_from_args(build_parser().parse_args(["m:app"]))
    )
    assert (plain.reload_includes, plain.reload_excludes) == (("*.py",), ())
    # uvicorn's Config keyword for the worker health limit.
    assert Config("m:app", timeout_worker_healthcheck=4).timeout_worker == 4
    assert Config("m:app", reload_excludes="x*").reload_excludes == ["x*"]
