"""redis-py's OWN test tree, shared by the runners of its sync and asyncio suites.

The pieces the runners (:mod:`tests.plugins.redispy_runner`: redis-py's sync
and asyncio suites and cluster tests, against the facade or ``aio.redis``) need:
the sdist of the installed redis-py, fetched once (``pip download --no-binary
:all:``) into ``.venv/redispy-suite/<version>/`` (never into the tracked tree); a
private ``redis-server`` on a free 127.0.0.1 port (the suite runs FLUSHALL,
CONFIG SET requirepass, CLIENT KILL...: never the shared server), listening with
TLS too on certificates made with trustme where the suite looks for them, and,
for ``test_sentinel.py``, two private sentinels, or a private cluster; and the
pytest command line run inside the extracted tree, with plugins copied next to
it (outside our ``tests`` package, whose name the suite's package shares).
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".venv" / "redispy-suite"
DB = 13
# What redis-py's own CI deselects against one standalone server.
# (Its ``ssl`` tests run: the private server listens with TLS too.)
MARKERS = "not onlycluster and not redismod and not replica"
# ... and against a cluster (its cluster files; no TLS cluster here).
CLUSTER_MARKERS = "not onlynoncluster and not redismod and not ssl and not replica"
# The private cluster: three masters with a replica each, as redis-py's CI has
# (its tests read from replicas, SCAN them, fail over to them); the suite's
# --redis-cluster-nodes waits for that many nodes.
CLUSTER_MASTERS = 3
CLUSTER_REPLICAS = 1
CLUSTER_NODES = CLUSTER_MASTERS * (1 + CLUSTER_REPLICAS)
#: The ACL user of the suite's client-certificate test (its ssl_utils.CN_USERNAME).
CN_USERNAME = "test_user"


def installed_version() -> str:
    """The version of the installed redis-py (whose suite is run)."""
    return importlib.metadata.version("redis")


def fetch_suite(version: str) -> Path:
    """The extracted sdist of redis-py ``version`` (downloaded once, then cached)."""
    suite = CACHE / version / f"redis-{version}"
    if (suite / "tests" / "conftest.py").is_file():
        return suite
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="redispy-sdist-", dir=CACHE) as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
             ":all:", f"redis=={version}", "-d", str(work), "-q"],
            check=True,
        )  # fmt: skip
        (sdist,) = work.glob("redis-*.tar.gz")
        with tarfile.open(sdist) as archive:
            archive.extractall(work, filter="data")
        # the package under test is the installed one (or ours), not the sdist's
        shutil.rmtree(work / f"redis-{version}" / "redis")
        (CACHE / version).mkdir(exist_ok=True)
        # rename is atomic: a concurrent run either sees the whole tree or none
        try:
            os.rename(work / f"redis-{version}", suite)
        except OSError:
            if not (suite / "tests" / "conftest.py").is_file():
                raise
    return suite


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ping(port: int, proc: subprocess.Popen[bytes]) -> None:
    end = time.monotonic() + 15
    while time.monotonic() < end and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"private redis-server on port {port} did not start")


def _spawn(args_for: Callable[[int], list[str]]) -> tuple[int, subprocess.Popen[bytes]]:
    """A ``redis-server`` started with ``args_for(port)`` on a free port, answering."""
    for _attempt in range(5):
        port = _free_port()
        proc = subprocess.Popen(
            args_for(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_ping(port, proc)
        except RuntimeError:
            proc.kill()
            proc.wait(timeout=10)
            continue  # the port was taken in between: try another
        return port, proc
    raise RuntimeError("could not start a private redis-server")


def _binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    return binary


class Server(NamedTuple):
    """A private server's ports."""

    port: int
    #: its TLS port (certificates from :func:`tls_files`), if asked for
    tls_port: int | None = None


@contextmanager
def private_server(tls: Path | None = None) -> Iterator[Server]:
    """A throwaway ``redis-server`` on 127.0.0.1; yields its ports.

    :param tls: a directory of :func:`tls_files`: also listen with TLS
        (client certificates optional, as the suite's TLS tests expect).
    """
    binary = _binary()
    with tempfile.TemporaryDirectory(prefix="redispy-server-") as workdir:
        tls_port = None if tls is None else _free_port()

        def args_for(port: int) -> list[str]:
            args = [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", workdir, "--enable-debug-command",
                "yes",
            ]  # fmt: skip
            if tls is not None:
                args += [
                    "--tls-port", str(tls_port),
                    "--tls-cert-file", str(tls / "redis.crt"),
                    "--tls-key-file", str(tls / "redis.key"),
                    "--tls-ca-cert-file", str(tls / "ca.crt"),
                    "--tls-auth-clients", "optional",
                ]  # fmt: skip
            return args

        port, proc = _spawn(args_for)
        try:
            yield Server(port, tls_port)
        finally:
            proc.kill()
            proc.wait(timeout=10)


def tls_files(suite: Path) -> Path:
    """The certificates redis-py's ``tests/ssl_utils.py`` reads from the tree's
    ``dockers/standalone/tls/`` (not in the sdist), made once with trustme: a
    CA (``ca.crt``), the server's for localhost and 127.0.0.1 (``redis.*``), a
    client's (``client.*``) and one whose CN is the suite's ACL user
    (``test_user.*``)."""
    target = suite / "dockers" / "standalone" / "tls"
    if (target / "ca.crt").is_file():
        return target
    import trustme  # a dev dependency, needed only here

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tls-", dir=target.parent))
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(work / "ca.crt"))
    for name, cert in (
        ("redis", ca.issue_cert("localhost", "127.0.0.1")),
        ("client", ca.issue_cert("client", common_name="client")),
        (CN_USERNAME, ca.issue_cert("test-user", common_name=CN_USERNAME)),
    ):
        cert.private_key_pem.write_to_path(str(work / f"{name}.key"))
        cert.cert_chain_pems[0].write_to_path(str(work / f"{name}.crt"))
    try:  # atomic, as fetch_suite: a run side by side sees all or nothing
        os.rename(work, target)
    except OSError:
        shutil.rmtree(work)
        if not (target / "ca.crt").is_file():
            raise
    return target


#: The service name redis-py's suite asks its deployed sentinels about.
SENTINEL_SERVICE = "redis-py-test"


@contextmanager
def private_sentinels(count: int = 2) -> Iterator[list[int]]:
    """``count`` throwaway sentinels watching a throwaway master of their own as
    :data:`SENTINEL_SERVICE`; yields the sentinels' ports.

    Their master is not the suite's server: a sentinel's PINGs, INFOs and hello
    messages there would show in the suite's MONITOR, CLIENT LIST and pub/sub
    tests. ``down-after-milliseconds`` is long so that nothing fails over.
    """
    binary = _binary()
    with (
        private_server() as (master, _),
        tempfile.TemporaryDirectory(prefix="redispy-sentinel-") as workdir,
    ):
        procs: list[subprocess.Popen[bytes]] = []

        def args_for(port: int) -> list[str]:
            # a sentinel rewrites its configuration file: one each, writable
            conf = Path(workdir) / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {workdir}\n"
                f"sentinel monitor {SENTINEL_SERVICE} 127.0.0.1 {master} 1\n"
                f"sentinel down-after-milliseconds {SENTINEL_SERVICE} 60000\n"
            )
            return [binary, str(conf), "--sentinel"]

        try:
            ports = []
            for _ in range(count):
                port, proc = _spawn(args_for)
                procs.append(proc)
                ports.append(port)
            yield ports
        finally:
            for proc in procs:
                proc.kill()
                proc.wait(timeout=10)


# redis-py's TestPubSubRedisDown asserts that nothing listens on localhost:6390,
# a port these suites do not own: left out only while something does (another
# server on a shared machine), in both suites.
_PORT_6390_TESTS = ("test_pubsub.py::TestPubSubRedisDown::test_channel_subscribe",)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("localhost", port), timeout=1):
            return True
    except OSError:
        return False


def occupied_port_deselections() -> dict[str, str]:
    """The tests to leave out because a port they assume free is taken."""
    if _listening(6390):
        return dict.fromkeys(_PORT_6390_TESTS, "localhost:6390 is in use")
    return {}


def pytest_args(
    url: str,
    paths: Iterable[str],
    *,
    deselect: Iterable[str] = (),
    plugins: Iterable[str] = (),
    junit: str | None = None,
    cluster: bool = False,
) -> list[str]:
    """The pytest command line run inside the extracted suite.

    :param url: the private server's URL (``--redis-url``).
    :param paths: test paths relative to the tree (``tests/test_x.py``).
    :param deselect: node ids under ``tests/`` to leave out.
    :param plugins: plugin modules to load with ``-p`` (placed next to the
        tree by :func:`run_in_suite`).
    :param junit: where to write a JUnit XML report, if anywhere.
    :param cluster: ``url`` is a node of :func:`private_cluster` (the
        cluster markers, and the number of nodes to wait for).
    """
    args = [sys.executable, "-m", "pytest"]
    for plugin in plugins:
        args += ["-p", plugin]
    args += [
        "-p", "no:cacheprovider", "-q", "-W", "ignore", "--timeout", "30",
        "--timeout-method", "signal", "--redis-url", url, "-o", "addopts=",
        "-m", CLUSTER_MARKERS if cluster else MARKERS, "-o", "filterwarnings=",
        "-o", "asyncio_mode=auto",
    ]  # fmt: skip
    if cluster:
        args += ["--redis-cluster-nodes", str(CLUSTER_NODES)]
    for node in deselect:
        args += ["--deselect", f"tests/{node}"]
    if junit:
        args += ["--junitxml", junit]
    return [*args, *paths]


@contextmanager
def private_cluster() -> Iterator[int]:
    """A throwaway Redis Cluster on 127.0.0.1 (:data:`CLUSTER_MASTERS` masters,
    :data:`CLUSTER_REPLICAS` replica each, on consecutive ports, as redis-py's
    ``test_address_remap`` assumes); yields the port of its first master."""
    if shutil.which("redis-cli") is None:
        raise RuntimeError("redis-cli is not installed")
    _binary()
    # fix_redis_topology imports pytest: only when a cluster is wanted
    from tests.plugins.fix_redis_topology import start_cluster

    with start_cluster(CLUSTER_MASTERS, CLUSTER_REPLICAS) as nodes:
        yield nodes[0][1]


def needs_sentinels(files: Iterable[str]) -> bool:
    """Whether a selection of suite files asks for deployed sentinels."""
    return any(Path(name.split("::")[0]).name == "test_sentinel.py" for name in files)


def run_in_suite(
    plugins: Iterable[Path],
    build: Callable[[str], list[str]],
    *,
    sentinels: bool = False,
    cluster: bool = False,
) -> int:
    """Run ``build(url)`` inside the extracted suite against a private server.

    :param plugins: plugin files to place next to the tree (importable by name).
    :param build: the command line for the server at ``url``.
    :param sentinels: also start :func:`private_sentinels` and name them to the
        suite (``--sentinels``, ``--master-service``).
    :param cluster: against a :func:`private_cluster` instead (``url`` names
        its first master, database 0; no TLS, no sentinels).
    :returns: the command's exit code.
    """
    suite = fetch_suite(installed_version())
    for source in plugins:
        # Plugins are ours and may change after the sdist was cached: refresh
        # them (write then rename, so a run side by side never imports half a file).
        target = suite.parent / source.name
        partial = target.with_name(f".{source.stem}.{os.getpid()}.tmp")
        shutil.copy(source, partial)
        os.replace(partial, target)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{suite.parent}"}
    env.pop("PYTEST_ADDOPTS", None)
    if cluster:
        with private_cluster() as port:
            args = build(f"redis://127.0.0.1:{port}/0")
            return subprocess.run(args, cwd=suite, env=env, check=False).returncode
    with ExitStack() as stack:
        server = stack.enter_context(private_server(tls_files(suite)))
        args = build(f"redis://127.0.0.1:{server.port}/{DB}")
        args += ["--redis-ssl-url", f"rediss://localhost:{server.tls_port}"]
        if sentinels:
            ports = stack.enter_context(private_sentinels())
            args += ["--sentinels", ",".join(f"127.0.0.1:{p}" for p in ports)]
            args += ["--master-service", SENTINEL_SERVICE]
        return subprocess.run(args, cwd=suite, env=env, check=False).returncode
