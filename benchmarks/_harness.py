"""The benchmark harness: run aio and its peers alternately, report medians.

How to write a suite
====================

A suite is a module ``benchmarks/<name>.py``; ``python -m benchmarks <name>`` (or
``./dev bench <name>``) runs it. The module defines four things::

    from benchmarks import Case, Contender, RunInfo, Sample, Suite, Unavailable

    SUITE = Suite(
        name="portal",                 # also the stem of docs/benchmarks/<name>.*
        unit="calls/s",
        higher_is_better=True,
        description="One blocking facade call through the portal vs a plain call.",
    )

    def contenders() -> list[Contender]:
        return [
            Contender("aio", is_ours=True, dist="aio-stack"),
            Contender("redis-py", dist="redis", requires=("redis",)),
        ]

    def cases() -> list[Case]:
        return [Case("get"), Case("set", params={"size": 100})]

    def measure(contender: Contender, case: Case, run: RunInfo) -> float | Sample:
        ...  # one round's number for this contender and case, in SUITE.unit

Rules the harness applies, so a suite does not have to:

- **Alternation.** Every round visits every contender (``for round: for contender:
  for case:``), so machine noise hits all of them alike. ``--rounds N`` sets the
  number of rounds (default :attr:`Suite.rounds`); ``--quick`` does one short round
  (``run.quick`` is true: measure briefly, e.g. 2 s instead of 10 s).
- **Missing peers.** A contender whose ``requires`` modules cannot be imported is
  reported as ``n/a (not installed: <modules>)`` and never measured. Its version
  comes from ``importlib.metadata`` for ``dist`` (plus ``also``: ``("uvloop",)``).
- **Failures are results.** ``measure`` may raise :class:`Unavailable` ("failed to
  start: ..."); any other exception is caught too. The case is reported as
  ``n/a (<reason>)`` and the run goes on. A contender that failed in every round shows
  its last reason; one that failed in some rounds shows ``N failed`` beside min..max.
- **Reporting.** The median over rounds is the number; min and max are kept. The
  ratio column is ``ours / peer`` against the peer's ``baseline`` (an ``is_ours``
  contender: by default the first ours of the same ``group``; a peer without a
  group falls back to the first ours; never across groups, and a named baseline
  left out of the run by ``--only`` gives no ratio rather than a wrong one).
  With ``higher_is_better`` a ratio above 1 means aio wins; otherwise below 1 does.
- **Extras.** Return :class:`Sample` to attach secondary numbers (latency, errors)
  by name; their medians go to the JSON and the tables.
- **Shared setup per round.** Optionally define
  ``contender_session(contender, run) -> contextlib.AbstractContextManager[object]``:
  it is entered once per contender per round around all its cases (start a server
  once, measure every case against it) and its value is ``run.session``. Raising
  :class:`Unavailable` there marks all of that contender's cases n/a for the round.
- **Suite preparation.** Optionally define ``prepare(run) -> None`` (install a tool,
  raise a limit); :class:`Unavailable` from it aborts the suite with the reason.

Measure functions are synchronous; a suite that needs asyncio runs its own loop
inside ``measure`` (or, better, in a subprocess it starts).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import logging
import statistics
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

log = logging.getLogger("aio.benchmarks")

__all__ = (
    "Case",
    "CaseResult",
    "Contender",
    "RunInfo",
    "Sample",
    "Suite",
    "SuiteResult",
    "Unavailable",
    "run_suite",
)


class Unavailable(Exception):
    """A contender cannot be measured: the message becomes ``n/a (<message>)``."""


@dataclass(frozen=True)
class Suite:
    """What a suite measures and how to read its numbers."""

    name: str
    unit: str
    higher_is_better: bool = True
    description: str = ""
    rounds: int = 3


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class Contender:
    """One implementation in the comparison (ours or a peer).

    :param name: the label in tables and charts; unique within a suite.
    :param is_ours: true for aio's own implementations.
    :param dist: the distribution whose version is reported (``importlib.metadata``).
    :param requires: modules that must be importable, else ``n/a (not installed)``.
    :param group: contenders are compared within a group (e.g. ``"asgi"``/``"wsgi"``).
    :param baseline: the ours contender a peer's ratio is computed against.
    :param params: free-form settings for the suite's ``measure`` (commands, flags).
    :param also: more distributions whose versions matter (``("uvloop",)``).
    """

    name: str
    is_ours: bool = False
    dist: str | None = None
    requires: tuple[str, ...] = ()
    group: str = ""
    baseline: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    also: tuple[str, ...] = ()

    def version(self) -> str:
        """The version of :attr:`dist`, then those of :attr:`also` in parentheses."""
        main = "-" if self.dist is None else _dist_version(self.dist)
        if not self.also:
            return main
        more = ", ".join(f"{name} {_dist_version(name)}" for name in self.also)
        return f"{main} ({more})"

    def missing(self) -> list[str]:
        """The modules of :attr:`requires` that cannot be found."""
        absent = []
        for module in self.requires:
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                absent.append(module)
        return absent


@dataclass(frozen=True)
class Case:
    """One thing measured for every contender (a request path, a payload size)."""

    name: str
    description: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sample:
    """One round's number plus named secondary numbers (e.g. ``p99_ms``)."""

    value: float
    extras: Mapping[str, float] = field(default_factory=dict)


@dataclass
class RunInfo:
    """What ``measure`` knows about the run it is part of."""

    quick: bool
    round: int
    rounds: int
    session: object = None


@dataclass
class CaseResult:
    """All rounds of one contender on one case."""

    values: list[float] = field(default_factory=list)
    extras: dict[str, list[float]] = field(default_factory=dict)
    failure: str | None = None
    failed_rounds: int = 0

    def fail(self, reason: str) -> None:
        """Record a round that produced no number."""
        self.failure = reason
        self.failed_rounds += 1

    @property
    def median(self) -> float | None:
        """The median over the successful rounds, or ``None`` if none succeeded."""
        return statistics.median(self.values) if self.values else None

    def extra_medians(self) -> dict[str, float]:
        """The median of each extra over the rounds that reported it."""
        return {k: statistics.median(v) for k, v in self.extras.items() if v}

    @property
    def status(self) -> str:
        """``"ok"`` or ``"n/a (<reason>)"``."""
        if self.values:
            return "ok"
        return f"n/a ({self.failure or 'not measured'})"


@dataclass
class SuiteResult:
    """Everything a run produced; the input of every report format."""

    suite: Suite
    contenders: list[Contender]
    cases: list[Case]
    rounds: int
    quick: bool
    machine: dict[str, str]
    versions: dict[str, str]
    started: str
    seconds: float
    results: dict[str, dict[str, CaseResult]]  # case name -> contender name -> result

    def baseline_of(self, contender: Contender) -> Contender | None:
        """The ours contender a peer is compared with (``None`` for ours)."""
        if contender.is_ours:
            return None
        ours = [c for c in self.contenders if c.is_ours]
        if contender.baseline is not None:
            # a named baseline left out of this run (--only) means no ratio,
            # never a ratio against something else
            named = [c for c in ours if c.name == contender.baseline]
            return named[0] if named else None
        same_group = [c for c in ours if c.group == contender.group]
        if same_group:
            return same_group[0]
        if contender.group:
            return None  # never compare across groups (ASGI vs WSGI)
        return ours[0] if ours else None

    def ratio(self, case: str, contender: Contender) -> float | None:
        """``baseline median / contender median`` on ``case``, when both exist."""
        base = self.baseline_of(contender)
        if base is None:
            return None
        ours = self.results[case][base.name].median
        theirs = self.results[case][contender.name].median
        if ours is None or theirs is None or theirs == 0:
            return None
        return ours / theirs


def _reason(exc: BaseException) -> str:
    # one line, short enough for a table cell
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    if not isinstance(exc, Unavailable):
        first = f"{type(exc).__name__}: {first}"
    return first[:160]


def _session(
    module: ModuleType, contender: Contender, run: RunInfo
) -> contextlib.AbstractContextManager[object]:
    factory: Callable[..., contextlib.AbstractContextManager[object]] | None = getattr(
        module, "contender_session", None
    )
    if factory is None:
        return contextlib.nullcontext(None)
    return factory(contender, run)


def _record(result: CaseResult, outcome: float | Sample) -> None:
    sample = outcome if isinstance(outcome, Sample) else Sample(float(outcome))
    result.values.append(float(sample.value))
    for key, value in sample.extras.items():
        result.extras.setdefault(key, []).append(float(value))


def _one_round(
    module: ModuleType,
    contenders: Sequence[Contender],
    cases: Sequence[Case],
    results: dict[str, dict[str, CaseResult]],
    run: RunInfo,
) -> None:
    for contender in contenders:
        slots = [results[case.name][contender.name] for case in cases]
        log.info("round %d/%d: %s", run.round + 1, run.rounds, contender.name)
        try:
            with _session(module, contender, run) as session:
                run.session = session
                for case, slot in zip(cases, slots, strict=True):
                    try:
                        _record(slot, module.measure(contender, case, run))
                    except Exception as exc:
                        log.debug("%s/%s failed", contender.name, case.name)
                        log.debug("%s", traceback.format_exc())
                        slot.fail(_reason(exc))
        except Exception as exc:
            log.debug("%s session failed: %s", contender.name, traceback.format_exc())
            for slot in slots:
                slot.fail(_reason(exc))
        finally:
            run.session = None


def run_suite(
    module: ModuleType,
    *,
    rounds: int | None = None,
    quick: bool = False,
    only: Sequence[str] = (),
    machine: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> SuiteResult:
    """Run a suite module round-robin and collect every round's numbers.

    :param module: a module with ``SUITE``, ``contenders()``, ``cases()``, ``measure()``.
    :param rounds: rounds to run; default ``SUITE.rounds`` (1 with ``quick``).
    :param quick: one short round, for smoke tests.
    :param only: restrict to these contender names (empty: all).
    :param machine: the machine description to record (default: this machine).
    :param progress: called with a one-line message before each round.
    :raises Unavailable: from the suite's ``prepare`` hook.
    :returns: the collected results, ready for :mod:`benchmarks._report`.
    """
    from benchmarks._machine import describe_machine, loadavg

    suite: Suite = module.SUITE
    n_rounds = 1 if quick and rounds is None else (rounds or suite.rounds)
    contenders: list[Contender] = list(module.contenders())
    if only:
        contenders = [c for c in contenders if c.name in only]
    cases: list[Case] = list(module.cases())
    results = {case.name: {c.name: CaseResult() for c in contenders} for case in cases}

    runnable = []
    for contender in contenders:
        absent = contender.missing()
        if absent:
            for case in cases:
                results[case.name][
                    contender.name
                ].failure = f"not installed: {', '.join(absent)}"
        else:
            runnable.append(contender)

    prepare = getattr(module, "prepare", None)
    if prepare is not None:
        prepare(RunInfo(quick=quick, round=0, rounds=n_rounds))

    # described before the rounds: the load average then says how busy it was
    machine_info = dict(machine) if machine is not None else describe_machine()
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    t0 = time.monotonic()
    for index in range(n_rounds):
        if progress is not None:
            progress(f"{suite.name}: round {index + 1}/{n_rounds}")
        run = RunInfo(quick=quick, round=index, rounds=n_rounds)
        _one_round(module, runnable, cases, results, run)
    seconds = time.monotonic() - t0
    if machine is None:
        machine_info["loadavg_at_end"] = loadavg()

    return SuiteResult(
        suite=suite,
        contenders=contenders,
        cases=cases,
        rounds=n_rounds,
        quick=quick,
        machine=machine_info,
        versions={c.name: c.version() for c in contenders},
        started=started,
        seconds=seconds,
        results=results,
    )


@contextlib.contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """Measure elapsed wall time: ``with timer() as elapsed: ...; elapsed()``."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())
