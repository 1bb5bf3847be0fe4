"""``python -m sync_shims.gunicorn``: gunicorn's CLI, config file and hooks."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_shims.gunicorn import Settings, parse_settings
from sync_shims.gunicorn._run import _bind_kwargs, log_config
from tests.server.test_supervisor_helpers import Supervised

FLASK_APP = """
import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/")
def index():
    return f"{os.getpid()} {os.environ.get('SHIM_ENV', '-')}"


@app.route("/echo", methods=["POST"])
def echo():
    return request.get_data()
"""

HOOKS_CONF = """
import os

bind = "127.0.0.1:0"
workers = 2
threads = 4
worker_class = "gthread"
timeout = 10
graceful_timeout = 5
accesslog = {accesslog!r}
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s'
raw_env = ["SHIM_ENV=from-conf"]
pidfile = {pidfile!r}

HOOKS = {hooks!r}


def _record(*parts):
    with open(HOOKS, "a") as f:
        f.write(" ".join(str(p) for p in parts) + "\\n")


def on_starting(server):
    _record("on_starting", server.pid == os.getpid())


def when_ready(server):
    server.log.info("hooks: ready")
    _record("when_ready", server.num_workers)


def pre_fork(server, worker):
    _record("pre_fork", worker.age)


def post_fork(server, worker):
    _record("post_fork", worker.pid == os.getpid())


def post_worker_init(worker):
    _record("post_worker_init", worker.pid)


def pre_request(worker, req):
    _record("pre_request", req.method, req.path)


def post_request(worker, req, environ, resp):
    _record("post_request", req.method, req.path, resp.status_code, resp.sent)


def worker_exit(server, worker):
    _record("worker_exit", worker.pid)


def child_exit(server, worker):
    _record("child_exit", worker.pid)


def on_exit(server):
    _record("on_exit")
"""


def start_shim(tmp_path: Path, argv: list[str]) -> Supervised:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2])])
    return Supervised(
        [sys.executable, "-m", "sync_shims.gunicorn", *argv],
        tmp_path / "shim.log",
        tmp_path,
        env,
    )


def test_flask_app_with_a_config_file_and_hooks(tmp_path: Path) -> None:
    (tmp_path / "flaskapp.py").write_text(FLASK_APP)
    hooks_log = tmp_path / "hooks.log"
    access_log = tmp_path / "access.log"
    pidfile = tmp_path / "master.pid"
    (tmp_path / "gunicorn.conf.py").write_text(
        HOOKS_CONF.format(
            hooks=str(hooks_log), accesslog=str(access_log), pidfile=str(pidfile)
        )
    )
    sup = start_shim(tmp_path, ["flaskapp:app", "-c", "gunicorn.conf.py"])
    try:
        sup.wait_ready()
        sup.wait_for(r"started worker \d+ \(pid \d+\)", count=2)
        assert pidfile.read_text().strip() == str(sup.proc.pid)
        pid, env_value = sup.get("/").split()
        assert env_value == "from-conf"  # raw_env reached the workers
        with httpx.Client(base_url=sup.url) as client:
            response = client.post("/echo", content=b"ping")
            assert response.text == "ping"
        sup.wait_for(r"hooks: ready")
        sup.signal(signal.SIGTERM)
        assert sup.wait() == 0
    finally:
        sup.stop()
    hooks = hooks_log.read_text().splitlines()
    names = [line.split()[0] for line in hooks]
    assert "on_starting True" in hooks
    assert "when_ready 2" in hooks
    assert names.count("pre_fork") == 2
    assert names.count("post_fork") == 2 and "post_fork True" in hooks
    assert names.count("post_worker_init") == 2
    assert "pre_request POST /echo" in hooks
    assert "post_request POST /echo 200 4" in hooks
    assert names.count("worker_exit") == 2
    assert names.count("child_exit") == 2
    assert names[-1] == "on_exit"
    access = access_log.read_text()
    assert '127.0.0.1 "POST /echo HTTP/1.1" 200 4' in access
    assert not pidfile.exists()  # removed at exit


def test_cli_flags_without_config_file(tmp_path: Path) -> None:
    (tmp_path / "flaskapp.py").write_text(FLASK_APP)
    sup = start_shim(
        tmp_path,
        [
            "flaskapp:app",
            "-b",
            "127.0.0.1:0",
            "-w",
            "1",
            "--threads",
            "2",
            "-t",
            "10",
            "--max-requests",
            "3",
            "--access-logfile",
            "-",
            "--log-level",
            "info",
            "-e",
            "SHIM_ENV=cli",
            "-k",
            "sync",
        ],
    )
    try:
        sup.wait_ready()
        for _ in range(6):
            assert sup.get("/").split()[1] == "cli"
        sup.wait_for(r"exited after its request budget")
        sup.signal(signal.SIGINT)
        assert sup.wait() == 0
        assert '"GET / HTTP/1.1" 200' in sup.text()
    finally:
        sup.stop()


def test_asgi_worker_class(tmp_path: Path) -> None:
    (tmp_path / "asgiapp.py").write_text(
        "async def app(scope, receive, send):\n"
        "    if scope['type'] != 'http':\n"
        "        return\n"
        "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'asgi ok'})\n"
    )
    sup = start_shim(
        tmp_path,
        ["asgiapp:app", "-b", "127.0.0.1:0", "-k", "uvicorn.workers.UvicornWorker"],
    )
    try:
        sup.wait_ready()
        assert requests.get(sup.url, timeout=5).text == "asgi ok"
        sup.signal(signal.SIGTERM)
        assert sup.wait() == 0
    finally:
        sup.stop()


def test_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text(
        "bind = '127.0.0.1:9000'\nworkers = 3\nthreads = 2\nloglevel = 'debug'\n"
        "def on_starting(server):\n    pass\n"
    )
    monkeypatch.chdir(tmp_path)
    cfg, hooks = parse_settings(
        ["app:app", "-c", str(conf), "-w", "5"],
        {"GUNICORN_CMD_ARGS": "--threads 7 -w 4"},
    )
    assert cfg.wsgi_app == "app:app"
    assert cfg.bind == ["127.0.0.1:9000"]  # file
    assert cfg.threads == 7  # env beats file
    assert cfg.workers == 5  # command line beats env
    assert cfg.loglevel == "debug"
    assert set(hooks) == {"on_starting"}
    default, _ = parse_settings(["app:app"], {})
    assert default == Settings(wsgi_app="app:app")


def test_bind_forms() -> None:
    assert _bind_kwargs("127.0.0.1:8080") == {"host": "127.0.0.1", "port": 8080}
    assert _bind_kwargs("localhost") == {"host": "localhost", "port": 8000}
    assert _bind_kwargs("[::1]:9000") == {"host": "::1", "port": 9000}
    assert _bind_kwargs("unix:/tmp/x.sock") == {"uds": "/tmp/x.sock"}
    assert _bind_kwargs("fd://3") == {"fd": 3}
    assert _bind_kwargs(":5000") == {"host": "0.0.0.0", "port": 5000}


def test_log_config_targets(tmp_path: Path) -> None:
    cfg = Settings(errorlog=str(tmp_path / "e.log"), accesslog="-")
    config = log_config(cfg)
    assert config["handlers"]["error"]["filename"] == str(tmp_path / "e.log")
    assert config["handlers"]["access"]["stream"] == "ext://sys.stdout"
    assert log_config(Settings())["loggers"]["aio.server.access"]["handlers"] == []


@pytest.mark.parametrize(
    "bind", ["host:port", "[::1", "[::1]x", "unix:", "fd://x", "h:70000", "h:-1"]
)
def test_malformed_binds_are_reported(bind: str) -> None:
    with pytest.raises(ValueError, match="invalid bind"):
        _bind_kwargs(bind)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_bind_parser_raises_only_value_error(bind: str) -> None:
    try:
        result = _bind_kwargs(bind)
    except ValueError as exc:
        assert "invalid bind" in str(exc)
    else:
        assert set(result) in ({"host", "port"}, {"uds"}, {"fd"})


def test_bad_config_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync_shims.gunicorn import main

    conf = tmp_path / "broken.conf.py"
    conf.write_text("workers = (\n")
    assert main(["app:app", "-c", str(conf)]) == 1
    assert main(["app:app", "-b", "nohost:notaport"]) == 1
    err = capsys.readouterr().err
    assert "Error:" in err and "invalid bind" in err
