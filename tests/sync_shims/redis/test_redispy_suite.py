"""redis-py's OWN test suite, run both ways: against redis-py and against the facade.

Each mode runs the selected files of redis-py's ``tests/`` (the sdist of the
installed version, cached under ``.venv/redispy-suite/``) in a subprocess, on its
own private ``redis-server`` (see :mod:`redispy_suite`). Both must have no
failure and no error outside ``KNOWN_FACADE_FAILURES`` and ``FACADE_DIFFERENCES``
(strict: a listed test that passes fails this test, so the lists only shrink),
and pass more tests than a floor, so a suite that silently collects nothing
cannot pass.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.plugins.fix_services import missing
from tests.sync_shims.redis import redispy_suite

# Below what each mode passes today (redis-py 8.1.0, Redis 7.0.15): a floor, not
# a target; it catches a run that collected or connected to nothing.
FLOORS = {"redis-py": 850, "facade": 700}


def _outcomes(junit: Path) -> tuple[int, set[str]]:
    """(number passed, node ids that failed or errored) from a JUnit report."""
    passed, bad = 0, set()
    for case in ET.parse(junit).iter("testcase"):
        module, *classes = case.get("classname", "").split(".")[1:]
        node = "::".join([f"{module}.py", *classes, case.get("name", "")])
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            bad.add(node)
        elif not kinds & {"skipped"}:
            passed += 1
    return passed, bad


def _run(mode: str, tmp: Path) -> tuple[int, set[str], str]:
    junit = tmp / f"{mode}.xml"
    args = [
        sys.executable,
        redispy_suite.__file__,
        "--mode",
        mode,
        "--junit",
        str(junit),
    ]
    proc = subprocess.run(
        args, capture_output=True, text=True, check=False, timeout=600
    )
    if not junit.exists():
        return 0, {"<no report>"}, proc.stdout[-3000:] + proc.stderr[-3000:]
    passed, bad = _outcomes(junit)
    return passed, bad, proc.stdout[-3000:]


@pytest.mark.timeout(900)
def test_redispy_suite_both_ways(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        missing("redis-server is not installed")
    if importlib.util.find_spec("redis") is None:
        missing("redis-py is not installed")
    try:
        redispy_suite.fetch_suite(redispy_suite.installed_version())
    except subprocess.CalledProcessError as exc:
        missing(f"cannot download the redis-py sdist from PyPI: {exc}")
    with ThreadPoolExecutor(2) as pool:
        runs = {m: pool.submit(_run, m, tmp_path) for m in ("redis-py", "facade")}
        results = {m: f.result() for m, f in runs.items()}
    known = set(redispy_suite.KNOWN_FACADE_FAILURES)
    known |= set(redispy_suite.FACADE_DIFFERENCES)
    for mode, (passed, bad, tail) in results.items():
        expected = known if mode == "facade" else set()
        assert not bad - expected, f"{mode}: unexpected failures\n{tail}"
        assert not expected - bad, (
            f"{mode}: now passing, remove from KNOWN_FACADE_FAILURES or "
            "FACADE_DIFFERENCES: "
            f"{sorted(expected - bad)}"
        )
        assert passed >= FLOORS[mode], f"{mode}: only {passed} passed\n{tail}"
    print({mode: result[0] for mode, result in results.items()}, "passed")
