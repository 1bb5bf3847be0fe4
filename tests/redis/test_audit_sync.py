"""Audit of issue 3, item 9 and "Bad input and faults", for the blocking face.

Each test runs twice, against redis-py itself and against ``sync_shims.redis``
(the import is the only difference), on private servers:

- the server killed while a pipeline is held unanswered: ConnectionError, and
  the client serves again after the restart;
- many threads sharing one client while the server dies and comes back;
- the blocking pool's timeout;
- ``unix://`` and ``rediss://`` URLs through ``from_url``;
- ``fork`` while other threads of the parent are using the client.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from types import ModuleType
from typing import Any

import pytest


@pytest.fixture(params=["redis", "sync_shims.redis"])
def mod(request: pytest.FixtureRequest) -> ModuleType:
    return importlib.import_module(request.param)


def _no_retry(mod: ModuleType) -> Any:
    # redis-py retries connection errors by default (with backoff); both sides
    # are compared without retries so the error itself is what is tested.
    retry = importlib.import_module(f"{mod.__name__}.retry")
    backoff = importlib.import_module(f"{mod.__name__}.backoff")
    return retry.Retry(backoff.NoBackoff(), 0)


def _wait_blocked(admin: Any, count: int) -> None:
    for _ in range(1000):
        if int(admin.info("clients")["blocked_clients"]) == count:
            return
        time.sleep(0.005)
    raise AssertionError(f"never {count} blocked client(s)")


def test_server_killed_while_a_pipeline_is_held(
    mod: ModuleType, private_redis_server: Any
) -> None:
    server = private_redis_server()
    r = mod.Redis(host=server.host, port=server.port, retry=_no_retry(mod))
    admin = mod.Redis(host=server.host, port=server.port)
    r.set("n", 0)
    admin.execute_command("CLIENT PAUSE", 10000, "WRITE")
    outcome: list[BaseException | list[Any]] = []

    def run() -> None:
        try:
            with r.pipeline(transaction=True) as pipe:
                for _ in range(100):
                    pipe.incr("n")
                outcome.append(pipe.execute())
        except BaseException as exc:  # reported in the test's thread
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    _wait_blocked(admin, 1)
    admin.close()
    server.kill()
    thread.join(30)
    assert not thread.is_alive()
    (error,) = outcome
    assert isinstance(error, mod.ConnectionError), error
    server.start()
    with r.pipeline() as pipe:
        assert pipe.incr("n").incr("n").execute() == [1, 2]
    assert r.get("n") == b"2"
    r.close()


def test_threads_share_a_client_across_a_server_restart(
    mod: ModuleType, private_redis_server: Any
) -> None:
    server = private_redis_server()
    r = mod.Redis(host=server.host, port=server.port, retry=_no_retry(mod))
    threads_n = 8
    working = threading.Barrier(threads_n + 1)
    failed = threading.Barrier(threads_n + 1)
    restarted = threading.Event()
    errors: list[BaseException] = []
    seen_error: list[bool] = [False] * threads_n

    def worker(n: int) -> None:
        try:
            r.set(f"t{n}", n)
            working.wait(30)
            # Until this thread sees the server gone (it is killed meanwhile).
            for _ in range(100000):
                try:
                    r.get(f"t{n}")
                except mod.ConnectionError:
                    seen_error[n] = True
                    break
            failed.wait(30)
            restarted.wait(30)
            # The same client serves every thread again.
            for i in range(20):
                r.set(f"t{n}", i)
                assert r.get(f"t{n}") == str(i).encode()
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    working.wait(30)
    server.kill()
    failed.wait(30)
    server.start()
    restarted.set()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert seen_error == [True] * threads_n
    r.close()


def test_blocking_pool_timeout(mod: ModuleType, private_redis_server: Any) -> None:
    server = private_redis_server()
    pool = mod.BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=1, timeout=0.05
    )
    r = mod.Redis(connection_pool=pool)
    # A WATCHing pipeline holds the pool's only connection.
    pipe = r.pipeline()
    pipe.watch("k")
    with pytest.raises(mod.ConnectionError, match="No connection available"):
        r.get("k")
    pipe.reset()
    assert r.get("k") is None
    pool.disconnect()


@pytest.mark.parametrize("name", ["redis", "sync_shims.redis"])
def test_pool_get_connection_and_release(name: str, private_redis_server: Any) -> None:
    mod = importlib.import_module(name)
    server = private_redis_server()
    pool = mod.BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=1, timeout=0.05
    )
    held = pool.get_connection()
    with pytest.raises(mod.ConnectionError, match="No connection available"):
        pool.get_connection()
    pool.release(held)
    assert pool.get_connection() is held
    pool.disconnect()


def test_unix_url(mod: ModuleType, private_redis_server: Any) -> None:
    server = private_redis_server("--requirepass", "pw")
    r = mod.from_url(f"unix://{server.unix_socket}?db=3&password=pw")
    assert r.set("k", "unix")
    assert r.get("k") == b"unix"
    assert int(r.client_info()["db"]) == 3
    r.close()
    bad = mod.from_url(f"unix://{server.unix_socket}?password=no")
    with pytest.raises(mod.AuthenticationError):
        bad.ping()
    bad.close()


def test_rediss_url(mod: ModuleType, private_redis_server: Any, tmp_path: Any) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    paths = {name: str(tmp_path / f"{name}.pem") for name in ("ca", "cert", "key")}
    ca.cert_pem.write_to_path(paths["ca"])
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    cert.private_key_pem.write_to_path(paths["key"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        tls_port = int(sock.getsockname()[1])
    private_redis_server(
        "--tls-port", str(tls_port),
        "--tls-cert-file", paths["cert"],
        "--tls-key-file", paths["key"],
        "--tls-ca-cert-file", paths["ca"],
        "--tls-auth-clients", "no",
    )  # fmt: skip
    r = mod.from_url(f"rediss://127.0.0.1:{tls_port}/0", ssl_ca_certs=paths["ca"])
    assert r.set("k", "tls")
    assert r.get("k") == b"tls"
    r.close()
    untrusted = mod.from_url(f"rediss://127.0.0.1:{tls_port}/0")
    with pytest.raises(mod.ConnectionError):
        untrusted.ping()
    untrusted.close()


def test_fork_while_other_threads_use_the_client(
    mod: ModuleType, private_redis_server: Any
) -> None:
    # A module-level client under a pre-forking server: the parent keeps using
    # it from threads while children are forked; each child gets its own
    # replies on its own connections, and the parent never sees a child's.
    server = private_redis_server()
    r = mod.Redis(host=server.host, port=server.port)
    r.set("parent", "P")
    r.set("child", "C")
    stop = threading.Event()
    wrong: list[Any] = []

    def busy() -> None:
        while not stop.is_set():
            value = r.get("parent")
            if value != b"P":
                wrong.append(value)

    threads = [threading.Thread(target=busy) for _ in range(4)]
    for thread in threads:
        thread.start()
    codes = []
    try:
        for _ in range(10):
            pid = os.fork()
            if pid == 0:  # the child reports through its exit code only
                code = 1
                try:
                    ok = all(r.get("child") == b"C" for _ in range(20))
                    code = 0 if ok else 2
                finally:
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            codes.append(os.waitstatus_to_exitcode(status))
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert codes == [0] * 10
    assert wrong == []
    r.close()
