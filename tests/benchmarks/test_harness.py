"""The benchmark harness on a fake suite: alternation, n/a handling, every output."""

from __future__ import annotations

import json
import sys
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import (
    Case,
    Contender,
    RunInfo,
    Sample,
    Suite,
    SuiteResult,
    Unavailable,
    run_suite,
)
from benchmarks import __main__ as bench_main
from benchmarks._report import _nice_ceiling, fmt, markdown, svg, text_table, to_json

MACHINE = {"cpu": "Test CPU", "cores": "2", "python": "CPython 3.x"}
FAKE = "benchmarks.fake_suite_for_tests"


def make_suite(calls: list[tuple[int, str, str]]) -> types.ModuleType:
    """A suite whose numbers are known: ours 200, peer 100, one broken, one absent."""
    module = types.ModuleType(FAKE)
    module.SUITE = Suite(  # type: ignore[attr-defined]
        name="fake", unit="ops/s", description="A fake suite for tests."
    )
    values = {"ours": 200.0, "peer": 100.0}

    def contenders() -> list[Contender]:
        return [
            Contender("ours", is_ours=True, dist="pytest"),
            Contender("peer", dist="pytest"),
            Contender("broken", dist="pytest"),
            Contender("absent", requires=("no_such_module_for_benchmarks",)),
        ]

    def cases() -> list[Case]:
        return [Case("small", "a small one"), Case("big")]

    def measure(contender: Contender, case: Case, run: RunInfo) -> Sample:
        calls.append((run.round, contender.name, case.name))
        if contender.name == "broken":
            raise Unavailable("failed to start: boom")
        scale = 1.0 if case.name == "small" else 10.0
        # vary per round so the median is the middle value, not the first
        value = values[contender.name] * scale + (run.round - 1) * 5
        return Sample(value, {"p99_ms": 1.5})

    module.contenders = contenders  # type: ignore[attr-defined]
    module.cases = cases  # type: ignore[attr-defined]
    module.measure = measure  # type: ignore[attr-defined]
    return module


@pytest.fixture
def calls() -> list[tuple[int, str, str]]:
    return []


@pytest.fixture
def fake(calls: list[tuple[int, str, str]]) -> Iterator[types.ModuleType]:
    module = make_suite(calls)
    sys.modules[FAKE] = module
    yield module
    del sys.modules[FAKE]


def test_round_robin_and_medians(
    fake: types.ModuleType, calls: list[tuple[int, str, str]]
) -> None:
    result = run_suite(fake, rounds=3, machine=MACHINE)
    # contenders alternate within each round; the absent one is never measured
    order = [(r, c) for r, c, case in calls if case == "small"]
    assert order == [(r, c) for r in range(3) for c in ("ours", "peer", "broken")]
    small = result.results["small"]
    assert small["ours"].values == [195.0, 200.0, 205.0]
    assert small["ours"].median == 200.0
    assert small["peer"].median == 100.0
    assert small["ours"].extra_medians() == {"p99_ms": 1.5}
    assert result.ratio("small", result.contenders[1]) == pytest.approx(2.0)
    assert small["broken"].status == "n/a (failed to start: boom)"
    assert small["absent"].status.startswith("n/a (not installed")
    assert result.versions["ours"] == result.versions["peer"] != "-"


def test_quick_is_one_round(fake: types.ModuleType) -> None:
    result = run_suite(fake, quick=True, machine=MACHINE)
    assert result.rounds == 1
    assert result.results["big"]["ours"].values == [1995.0]


def test_only_filters_contenders(fake: types.ModuleType) -> None:
    result = run_suite(fake, rounds=1, only=["peer"], machine=MACHINE)
    assert [c.name for c in result.contenders] == ["peer"]
    # no ours contender in the run: no ratio, but no crash either
    assert result.ratio("small", result.contenders[0]) is None


def test_session_failure_marks_all_cases(fake: types.ModuleType) -> None:
    class Session:
        def __init__(self, contender: Contender) -> None:
            self.contender = contender

        def __enter__(self) -> str:
            if self.contender.name == "peer":
                raise OSError("port in use")
            return "server"

        def __exit__(self, *exc: object) -> None:
            return None

    seen: list[object] = []
    measure = fake.measure

    def measure_with_session(c: Contender, case: Case, run: RunInfo) -> Sample:
        seen.append(run.session)
        result: Sample = measure(c, case, run)
        return result

    fake.contender_session = lambda c, run: Session(c)  # type: ignore[attr-defined]
    fake.measure = measure_with_session  # type: ignore[attr-defined]
    result = run_suite(fake, rounds=1, machine=MACHINE)
    assert set(seen) == {"server"}
    for case in ("small", "big"):
        assert result.results[case]["peer"].status == "n/a (OSError: port in use)"
        assert result.results[case]["ours"].median is not None


def test_text_and_markdown(fake: types.ModuleType) -> None:
    result = run_suite(fake, rounds=3, machine=MACHINE)
    table = text_table(result)
    assert "fake: ops/s, higher is better; median of 3 round(s)" in table
    assert "Test CPU" in table
    assert "2.00x vs ours" in table
    assert "n/a (failed to start: boom)" in table
    assert "n/a (not installed: no_such_module_for_benchmarks)" in table
    md = markdown(result)
    assert md.startswith("# Benchmark: fake\n")
    assert "| **ours** |" in md
    assert "![fake chart](fake.svg)" in md
    # every table row has as many cells as the header
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len({line.count("|") for line in rows}) == 1


def test_json_round_trips(fake: types.ModuleType) -> None:
    result = run_suite(fake, rounds=3, machine=MACHINE)
    data = json.loads(json.dumps(to_json(result)))
    assert data["suite"] == "fake"
    assert data["machine"] == MACHINE
    peer = data["results"]["big"]["peer"]
    assert peer["median"] == 1000.0
    assert peer["baseline"] == "ours"
    assert peer["ratio"] == pytest.approx(2.0)
    assert data["results"]["big"]["broken"]["median"] is None
    assert [c["name"] for c in data["contenders"]][:2] == ["ours", "peer"]


def test_svg_is_well_formed_with_a_bar_per_result(fake: types.ModuleType) -> None:
    result = run_suite(fake, rounds=1, machine=MACHINE)
    root = ET.fromstring(svg(result))
    ns = "{http://www.w3.org/2000/svg}"
    titles = [t.text or "" for t in root.iter(f"{ns}title")]
    # 2 cases x 2 measured contenders get bars; the failures get an n/a label
    assert len(titles) == 4
    assert any(t.startswith("ours: 1,995") for t in titles)
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts.count("n/a") == 4


def test_main_writes_files(fake: types.ModuleType, tmp_path: Path) -> None:
    code = bench_main.main(["fake_suite_for_tests", "--quick", "--out", str(tmp_path)])
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fake.json",
        "fake.md",
        "fake.svg",
    ]


def test_main_unknown_suite(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_main.main(["no_such_suite"]) == 2
    assert "unknown suite" in capsys.readouterr().out


def test_format_helpers() -> None:
    assert fmt(None) == "-"
    assert fmt(12345.6) == "12,346"
    assert fmt(3.14159) == "3.14"
    assert fmt(0.012345) == "0.0123"
    assert _nice_ceiling(0) == 1.0
    assert _nice_ceiling(1234) == 1500
    assert _nice_ceiling(2100) == 2500
    assert _nice_ceiling(57_000) == 60_000
    assert _nice_ceiling(0.07) == pytest.approx(0.08)
    assert _nice_ceiling(100) == 100


def test_versions_of_contender_and_its_parts() -> None:
    assert Contender("x").version() == "-"
    both = Contender("x", dist="pytest", also=("no-such-dist-for-bench",))
    assert (
        both.version() == f"{pytest.__version__} (no-such-dist-for-bench not installed)"
    )


def test_partial_failures_are_counted(fake: types.ModuleType) -> None:
    measure = fake.measure

    def flaky(c: Contender, case: Case, run: RunInfo) -> Sample:
        if c.name == "peer" and run.round == 0:
            raise RuntimeError("connection reset")
        result: Sample = measure(c, case, run)
        return result

    fake.measure = flaky  # type: ignore[attr-defined]
    result = run_suite(fake, rounds=3, machine=MACHINE)
    cell = result.results["small"]["peer"]
    assert cell.values == [100.0, 105.0]
    assert cell.failed_rounds == 1
    assert cell.status == "ok"
    assert "100..105, 1 failed" in text_table(result)
    data = to_json(result)["results"]["small"]["peer"]
    assert data["failed_rounds"] == 1
    assert data["last_failure"] == "RuntimeError: connection reset"


def test_baselines_stay_within_their_group() -> None:
    ours_a = Contender("aio", is_ours=True, group="asgi")
    ours_w = Contender("aio wsgi", is_ours=True, group="wsgi")
    peer_a = Contender("uvicorn", group="asgi")
    peer_w = Contender("gunicorn", group="wsgi", baseline="aio wsgi")
    lone = Contender("other")
    named_missing = Contender("granian", group="asgi", baseline="aio+uvloop")

    def result(contenders: list[Contender]) -> SuiteResult:
        return SuiteResult(
            Suite("s", "u"), contenders, [], 1, False, {}, {}, "", 0.0, {}
        )

    full = result([ours_a, ours_w, peer_a, peer_w, lone, named_missing])
    assert full.baseline_of(peer_a) is ours_a
    assert full.baseline_of(peer_w) is ours_w
    assert full.baseline_of(lone) is ours_a
    assert full.baseline_of(named_missing) is None
    assert full.baseline_of(ours_a) is None
    without_wsgi = result([ours_a, Contender("gunicorn", group="wsgi")])
    assert without_wsgi.baseline_of(without_wsgi.contenders[1]) is None
