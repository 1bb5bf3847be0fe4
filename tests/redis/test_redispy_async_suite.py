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

import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.plugins import redispy_tree
from tests.plugins.fix_services import missing
from tests.redis import redispy_async_suite as suite

# Below what each mode passes today (redis-py 8.1.0, Redis 7.0.15): a floor,
# not a target; it catches a run that collected or connected to nothing.
FLOORS = {"redis-py": 1000, "aio": 900}


def _outcomes(junit: Path) -> tuple[set[str], set[str]]:
    """(node ids passed, node ids failed or errored) from a JUnit report, as
    ``test_x.py::Class::test_name[param]`` relative to ``tests/test_asyncio``."""
    passed, bad = set(), set()
    for case in ET.parse(junit).iter("testcase"):
        # tests.test_asyncio.<module>[.<Class>...]
        module, *classes = case.get("classname", "").split(".")[2:]
        node = "::".join([f"{module}.py", *classes, case.get("name", "")])
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            bad.add(node)
        elif "skipped" not in kinds:
            passed.add(node)
    return passed, bad


def _covers(key: str, node: str) -> bool:
    return node == key or node.startswith((f"{key}[", f"{key}::"))


def _run(mode: str, tmp: Path, keep: Iterable[str]) -> tuple[set[str], set[str], str]:
    junit = tmp / f"{mode}.xml"
    args = [sys.executable, "-m", "tests.redis.redispy_async_suite"]
    args += ["--mode", mode, "--junit", str(junit)]
    for node in keep:
        args += ["--keep", node]
    proc = subprocess.run(
        args,
        cwd=redispy_tree.ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(redispy_tree.ROOT)},
    )
    tail = proc.stdout[-3000:] + proc.stderr[-3000:]
    if not junit.exists():
        return set(), {"<no report>"}, tail
    passed, bad = _outcomes(junit)
    return passed, bad, tail


@pytest.mark.timeout(900)
def test_redispy_async_suite_both_ways(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        missing("redis-server is not installed")
    if importlib.util.find_spec("redis") is None:
        missing("redis-py is not installed")
    try:
        redispy_tree.fetch_suite(redispy_tree.installed_version())
    except subprocess.CalledProcessError as exc:
        missing(f"cannot download the redis-py sdist from PyPI: {exc}")
    always = set(suite.DESELECT_ALWAYS)
    with ThreadPoolExecutor(2) as pool:
        runs = {
            "redis-py": pool.submit(_run, "redis-py", tmp_path, always),
            "aio": pool.submit(_run, "aio", tmp_path, ()),
        }
        results = {mode: run.result() for mode, run in runs.items()}

    expected = {
        "redis-py": always,
        "aio": set(suite.KNOWN_AIO_FAILURES) | set(suite.AIO_DIFFERENCES),
    }
    for mode, (passed, bad, tail) in results.items():
        keys = expected[mode]
        unexpected = {n for n in bad if not any(_covers(k, n) for k in keys)}
        assert not unexpected, (
            f"{mode}: unexpected failures {sorted(unexpected)}\n{tail}"
        )
        # Every test an entry names must still fail: one passing means the
        # entry (or that parametrisation of it) is stale.
        stale = {
            key
            for key in keys
            if any(_covers(key, n) for n in passed)
            or not any(_covers(key, n) for n in bad)
        }
        assert not stale, f"{mode}: now passing, remove from the list: {sorted(stale)}"
        assert len(passed) >= FLOORS[mode], f"{mode}: only {len(passed)} passed\n{tail}"
    print({mode: len(result[0]) for mode, result in results.items()}, "passed")
