"""redis-py's OWN asyncio cluster tests, run both ways: against redis-py and aio.

Each mode runs ``test_cluster.py`` and ``test_cluster_transaction.py`` of
redis-py's ``tests/test_asyncio/`` (the sdist of the installed version, cached
under ``.venv/redispy-suite/``) in one pytest process against a private cluster
of its own (see :mod:`tests.redis.redispy_async_cluster_suite`); the two modes
run side by side.

- redis-py mode must pass everything but the tests deselected in both modes,
  which it also runs here and must FAIL: a both-ways deselection that redis-py
  passes hides nothing only if it is removed.
- aio mode must fail exactly ``KNOWN_AIO_FAILURES`` and ``AIO_DIFFERENCES``
  (each still failing: the lists only shrink).
- Both must pass more tests than a floor, so a run that collected or
  connected to nothing cannot pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins import redispy_runner
from tests.redis import redispy_async_cluster_suite as suite

# Below what each mode passes today (redis-py 8.1.0, Redis 7.0.15): a floor,
# not a target; it catches a run that collected or connected to nothing.
FLOORS = {"redis-py": 220, "aio": 150}


@pytest.mark.timeout(1200)
def test_redispy_async_cluster_suite_both_ways(tmp_path: Path) -> None:
    redispy_runner.both_ways(suite.__name__, suite.RUNNER, tmp_path, FLOORS)
