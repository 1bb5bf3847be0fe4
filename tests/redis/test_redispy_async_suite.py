"""redis-py's OWN asyncio test suite, run both ways: against redis-py and aio.redis.

Each mode runs the selected files of redis-py's ``tests/test_asyncio/`` (the
sdist of the installed version, cached under ``.venv/redispy-suite/``) in one
pytest process, on its own private ``redis-server`` (see
:mod:`tests.redis.redispy_async_suite`); the two modes run side by side.

- redis-py mode must pass everything but the tests deselected in both modes,
  which it also runs here and must FAIL: a both-ways deselection that redis-py
  passes hides nothing only if it is removed.
- aio mode must have no failure outside ``KNOWN_AIO_FAILURES`` and
  ``AIO_DIFFERENCES``, and every test they name must still fail (strict: the
  known failures only shrink, a difference that goes away is noticed).
- Both must pass more tests than a floor, so a run that collected or
  connected to nothing cannot pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins import redispy_runner
from tests.redis import redispy_async_suite as suite

# Below what each mode passes today (redis-py 8.1.0, Redis 7.0.15): a floor,
# not a target; it catches a run that collected or connected to nothing.
FLOORS = {"redis-py": 1000, "aio": 900}


@pytest.mark.timeout(900)
def test_redispy_async_suite_both_ways(tmp_path: Path) -> None:
    redispy_runner.both_ways(
        suite.__name__, suite.RUNNER, tmp_path, FLOORS, timeout=600
    )
