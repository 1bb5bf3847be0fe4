"""Run part of redis-py's OWN test suite against ``sync_shims.redis`` (opt-in).

``python tests/sync_shims/redis/redispy_suite.py [test_file.py ...]`` downloads the
sdist of the installed redis-py version (``pip download --no-binary :all:``) into
a temporary directory, never into the repository, and runs the chosen files of
its ``tests/`` with ``redis`` redirected to the facade (``redispy_redirect.py``),
on database 11 of the Redis at 127.0.0.1:6379 (under the same file lock as our
suite). Tests needing modules, a cluster, Sentinel or TLS skip by themselves
(redis-py's own markers); tests of redis-py internals (its parsers, connection
classes, OpenTelemetry hooks, mocked sockets) are expected to fail. Not part of
``./dev test``: it needs the network and minutes. Results: ``docs/redis.md``.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT_FILES = (
    "test_commands.py",
    "test_pipeline.py",
    "test_pubsub.py",
    "test_lock.py",
    "test_scripting.py",
    "test_encoding.py",
    "test_data_structure.py",
)
LOCK_PATH = os.path.join(tempfile.gettempdir(), "aio-tests-redis-db11.lock")


def main(files: list[str]) -> int:
    version = importlib.metadata.version("redis")
    with tempfile.TemporaryDirectory(prefix="redispy-suite-") as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
             ":all:", f"redis=={version}", "-d", str(work), "-q"],
            check=True,
        )  # fmt: skip
        (sdist,) = work.glob("redis-*.tar.gz")
        with tarfile.open(sdist) as archive:
            archive.extractall(work, filter="data")
        suite = work / f"redis-{version}"
        shutil.rmtree(
            suite / "redis"
        )  # the package under test is ours (and theirs installed)
        shutil.copy(HERE / "redispy_redirect.py", work / "redispy_redirect.py")
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{work}"}
        command = [
            sys.executable, "-m", "pytest", "-p", "redispy_redirect",
            "-p", "no:cacheprovider", "-q", "--timeout", "30", "-W", "ignore",
            "--timeout-method", "signal",
            "--redis-url", "redis://127.0.0.1:6379/11",
            # drives redis-py's socket internals from a helper thread: hangs
            "--deselect", "tests/test_pubsub.py::TestPubSubAutoReconnect",
            *[f"tests/{name}" for name in files or DEFAULT_FILES],
        ]  # fmt: skip
        fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return subprocess.run(command, cwd=suite, env=env, check=False).returncode
        finally:
            os.close(fd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
