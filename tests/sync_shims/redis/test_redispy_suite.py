"""redis-py's OWN test suite, run both ways: against redis-py and against the facade.

Each mode runs the selected files of redis-py's ``tests/`` (the sdist of the
installed version, cached under ``.venv/redispy-suite/``) in a subprocess, on its
own private ``redis-server`` (see :mod:`tests.sync_shims.redis.redispy_suite`);
the two modes run side by side.

- redis-py mode leaves out the tests deselected in both modes too, and must
  fail nothing.
- facade mode must fail exactly ``KNOWN_FACADE_FAILURES`` and
  ``FACADE_DIFFERENCES`` (strict: a listed test that passes fails this test,
  so the lists only shrink).
- Both must pass more tests than a floor, so a suite that silently collects
  nothing cannot pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins import redispy_runner
from tests.sync_shims.redis import redispy_suite as suite

# Below what each mode passes today (redis-py 8.1.0, Redis 7.0.15): a floor,
# not a target; it catches a run that collected or connected to nothing.
FLOORS = {"redis-py": 850, "facade": 700}


@pytest.mark.timeout(900)
def test_redispy_suite_both_ways(tmp_path: Path) -> None:
    redispy_runner.both_ways(
        suite.__name__,
        suite.RUNNER,
        tmp_path,
        FLOORS,
        # its both-ways deselections are left out in redis-py's mode too
        redispy_runs_always=False,
        timeout=600,
    )


def test_junit_node_ids_name_files_in_subfolders(tmp_path: Path) -> None:
    # The lists key tests by path relative to the runner's folder; JUnit names
    # them by dotted classname, folders included.
    (tmp_path / "test_auth").mkdir()
    (tmp_path / "test_auth" / "test_token.py").touch()
    (tmp_path / "test_asyncio").mkdir()
    (tmp_path / "test_asyncio" / "test_pubsub.py").touch()
    (tmp_path / "test_crc.py").touch()
    node = redispy_runner.junit_node
    assert (
        node("tests.test_auth.test_token.TestJWToken", "test_a[x]", tmp_path)
        == "test_auth/test_token.py::TestJWToken::test_a[x]"
    )
    assert node("tests.test_crc", "test_b", tmp_path) == "test_crc.py::test_b"
    assert (
        node("tests.test_asyncio.test_pubsub.TestA.TestB", "test_c", tmp_path)
        == "test_pubsub.py::TestA::TestB::test_c"
    )
