"""What the runners of redis-py's OWN suites and their CI drivers share.

Four runners (``tests/sync_shims/redis/redispy_suite.py`` and
``redispy_cluster_suite.py`` for the blocking facade,
``tests/redis/redispy_async_suite.py`` and ``redispy_async_cluster_suite.py``
for ``aio.redis``) hold only their data: the files to run, the tests to
deselect in both modes or in ours with the reasons, the deliberate differences
and the known failures. Each builds a :class:`Runner` of them, which makes the
pytest command line, runs it in the extracted suite
(:mod:`tests.plugins.redispy_tree`) and is the runner's command line
(``--mode ours|redis-py``, ``--junit``, ``--keep``).

Their drivers (``test_redispy_*suite.py``) call :func:`both_ways`: it runs a
runner in redis-py's mode and ours side by side and checks each JUnit report
against the lists (:func:`check_outcome`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from tests.plugins import redispy_tree

PLUGINS = Path(__file__).resolve().parent
#: Stand-ins for what the machine lacks (redis-entraid), for the runners that need them.
STANDINS = PLUGINS / "redispy_standins.py"
#: Loaded by every runner in both modes: redis-py's conftest traces every
#: allocation otherwise (several times slower, and no test asserts on it).
TRACEMALLOC_OFF = PLUGINS / "redispy_tracemalloc_off.py"

REDIS_PY = "redis-py"


@dataclass(frozen=True)
class Runner:
    """One runner of redis-py's own tests against redis-py or our code.

    Node ids in the mappings are relative to the directory the runner selects
    files from (``test_x.py::Class::test[param]``); a key ending in ``[``
    deselects every parametrisation of a test.
    """

    #: the name of the mode that runs our code (``aio`` or ``facade``)
    ours: str
    #: the plugin that redirects redis-py's package to ours, in our mode only
    redirect: Path
    #: the files run when none are named (relative to ``tests/<subdir>``)
    default_files: tuple[str, ...]
    #: deselected in both modes: they fail with redis-py here too
    deselect_always: Mapping[str, str]
    #: deselected in our mode only: they drive redis-py's internals
    deselect_ours: Mapping[str, str]
    #: deliberate differences, expected to fail in our mode
    differences: Mapping[str, str]
    #: behaviour not yet shared with redis-py, expected to fail in our mode
    known_failures: Mapping[str, str]
    #: the runner's module docstring (its ``--help``)
    description: str
    #: ``test_asyncio/`` for redis-py's asyncio tests, ``""`` for its sync ones
    subdir: str = ""
    #: plugins loaded in both modes (besides :data:`TRACEMALLOC_OFF`)
    plugins: tuple[Path, ...] = ()
    #: more pytest arguments, in both modes
    extra_args: tuple[str, ...] = ()
    #: against a private cluster instead of a private server
    cluster: bool = False

    @property
    def _both_modes(self) -> tuple[Path, ...]:
        return (*self.plugins, TRACEMALLOC_OFF)

    def command(
        self,
        mode: str,
        files: Collection[str],
        url: str,
        junit: str | None,
        keep: Collection[str] = (),
    ) -> list[str]:
        """The pytest command line run inside the extracted suite.

        :param keep: listed node ids to run all the same (the CI test runs the
            both-ways deselections with redis-py, where they must fail).
        """
        deselect = dict(self.deselect_always)
        if not self.cluster:  # the port it checks is a standalone test's
            deselect.update(redispy_tree.occupied_port_deselections())
        if mode == self.ours:
            deselect.update(self.deselect_ours)
        for node in keep:
            deselect.pop(node, None)
        plugins = [self.redirect] if mode == self.ours else []
        plugins += self._both_modes
        args = redispy_tree.pytest_args(
            url,
            [f"tests/{self.subdir}{name}" for name in files or self.default_files],
            deselect=[f"{self.subdir}{node}" for node in deselect],
            plugins=[plugin.stem for plugin in plugins],
            junit=junit,
            cluster=self.cluster,
        )
        return [*args, *self.extra_args]

    def run(
        self,
        mode: str,
        files: Collection[str],
        junit: str | None = None,
        keep: Collection[str] = (),
    ) -> int:
        """Run the suite in ``mode`` on a private server (or cluster); returns
        pytest's exit code."""
        return redispy_tree.run_in_suite(
            [self.redirect, *self._both_modes],
            lambda url: self.command(mode, files, url, junit, keep),
            sentinels=redispy_tree.needs_sentinels(files or self.default_files),
            cluster=self.cluster,
        )

    def main(self, argv: list[str]) -> int:
        """The runner's command line: ``[--mode M] [--junit F] [--keep N]...
        [file.py ...]``."""
        parser = argparse.ArgumentParser(description=self.description)
        parser.add_argument("--mode", choices=(self.ours, REDIS_PY), default=self.ours)
        parser.add_argument("--junit", default=None)
        parser.add_argument(
            "--keep", action="append", default=[], help="a listed node id to run anyway"
        )
        parser.add_argument("files", nargs="*")
        options = parser.parse_args(argv)
        return self.run(options.mode, options.files, options.junit, options.keep)


# -- the CI tests' side: run a runner, read its report -----------------------------


class Outcome(NamedTuple):
    """One runner's run: node ids passed, node ids failed or errored, and the
    end of its output (for the assertion messages)."""

    passed: set[str]
    bad: set[str]
    tail: str


def run_runner(
    module: str, mode: str, junit: Path, keep: Iterable[str] = (), timeout: float = 900
) -> Outcome:
    """Run ``python -m module --mode mode`` (a runner of this tree's suites) and
    read its JUnit report; node ids are relative to the suite directory the
    runner selects from (``test_x.py::Class::test[param]``)."""
    args = [sys.executable, "-m", module, "--mode", mode, "--junit", str(junit)]
    for node in keep:
        args += ["--keep", node]
    proc = subprocess.run(
        args,
        cwd=redispy_tree.ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(redispy_tree.ROOT)},
    )
    tail = proc.stdout[-3000:] + proc.stderr[-3000:]
    if not junit.exists():
        return Outcome(set(), {"<no report>"}, tail)
    tests = redispy_tree.fetch_suite(redispy_tree.installed_version()) / "tests"
    passed, bad = set(), set()
    for case in ET.parse(junit).iter("testcase"):
        node = junit_node(case.get("classname", ""), case.get("name", ""), tests)
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            bad.add(node)
        elif "skipped" not in kinds:
            passed.add(node)
    return Outcome(passed, bad, tail)


def junit_node(classname: str, name: str, tests: Path) -> str:
    """The node id, relative to the folder a runner selects from, of a JUnit
    test case: ``classname`` is ``tests[.test_asyncio].<folders>.<module>
    [.<Class>...]``, where the module is the first dotted prefix that is a file
    of the suite's ``tests`` (``maint_notifications/test_x.py::Class::test``)."""
    parts = classname.split(".")[1:]
    if parts[:1] == ["test_asyncio"]:
        parts, tests = parts[1:], tests / "test_asyncio"
    split = next(
        (i for i in range(1, len(parts) + 1)
         if tests.joinpath(*parts[:i]).with_suffix(".py").is_file()),
        1,
    )  # fmt: skip
    module = "/".join(parts[:split])
    return "::".join([f"{module}.py", *parts[split:], name])


def covers(key: str, node: str) -> bool:
    """Whether a listed key names ``node``: the node itself, a class of it,
    or every parametrisation of a test (``key[``: a parametrisation prefix)."""
    return (
        node == key
        or node.startswith((f"{key}[", f"{key}::"))
        or (key.endswith("[") and node.startswith(key))
    )


def check_outcome(
    mode: str, outcome: Outcome, must_fail: Iterable[str], floor: int
) -> None:
    """Assert that ``outcome`` failed exactly the tests ``must_fail`` names
    (each of them still failing: an entry that passes is stale) and passed at
    least ``floor`` tests (a run that collected or connected to nothing)."""
    keys = set(must_fail)
    unexpected = {n for n in outcome.bad if not any(covers(k, n) for k in keys)}
    assert not unexpected, (
        f"{mode}: unexpected failures {sorted(unexpected)}\n{outcome.tail}"
    )
    stale = {
        key
        for key in keys
        if any(covers(key, n) for n in outcome.passed)
        or not any(covers(key, n) for n in outcome.bad)
    }
    assert not stale, f"{mode}: now passing, remove from the list: {sorted(stale)}"
    passed = len(outcome.passed)
    assert passed >= floor, f"{mode}: only {passed} passed\n{outcome.tail}"


def _require(cluster: bool) -> None:
    """Skip (or fail under CI) when the machine cannot run the suite."""
    from tests.plugins.fix_services import missing  # imports pytest

    for binary in ("redis-server", "redis-cli") if cluster else ("redis-server",):
        if shutil.which(binary) is None:
            missing(f"{binary} is not installed")
    if importlib.util.find_spec("redis") is None:
        missing("redis-py is not installed")
    try:
        redispy_tree.fetch_suite(redispy_tree.installed_version())
    except subprocess.CalledProcessError as exc:
        missing(f"cannot download the redis-py sdist from PyPI: {exc}")


def both_ways(
    module: str,
    runner: Runner,
    tmp: Path,
    floors: Mapping[str, int],
    *,
    redispy_runs_always: bool = True,
    timeout: float = 900,
) -> dict[str, Outcome]:
    """Run the runner ``module`` (whose :class:`Runner` is ``runner``) in
    redis-py's mode and in ours side by side, and check both reports.

    - redis-py's mode must pass everything but the both-ways deselections,
      which it runs here and must FAIL (one that redis-py passes hides nothing
      only if it is removed); with ``redispy_runs_always=False`` it leaves them
      out and must fail nothing.
    - Our mode must fail exactly the known failures and the differences (each
      still failing: the lists only shrink).
    - Each must pass at least ``floors[mode]`` tests.

    :returns: the outcomes by mode.
    """
    _require(runner.cluster)
    always = set(runner.deselect_always) if redispy_runs_always else set()
    keep = {REDIS_PY: always, runner.ours: set[str]()}
    expected = {
        REDIS_PY: always,
        runner.ours: set(runner.known_failures) | set(runner.differences),
    }
    with ThreadPoolExecutor(2) as pool:
        runs = {
            mode: pool.submit(
                run_runner, module, mode, tmp / f"{mode}.xml", keep[mode], timeout
            )
            for mode in keep
        }
        results = {mode: run.result() for mode, run in runs.items()}
    for mode, outcome in results.items():
        check_outcome(mode, outcome, expected[mode], floors[mode])
    print({mode: len(outcome.passed) for mode, outcome in results.items()}, "passed")
    return results
