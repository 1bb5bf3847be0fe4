"""Side-by-side benchmarks of aio and its peer libraries.

``python -m benchmarks SUITE`` runs one suite (see :mod:`benchmarks._harness` for how
to write one, and ``docs/benchmarks/README.md`` for how to read the results).
"""

from __future__ import annotations

from benchmarks._harness import Case as Case
from benchmarks._harness import CaseResult as CaseResult
from benchmarks._harness import Contender as Contender
from benchmarks._harness import RunInfo as RunInfo
from benchmarks._harness import Sample as Sample
from benchmarks._harness import Suite as Suite
from benchmarks._harness import SuiteResult as SuiteResult
from benchmarks._harness import Unavailable as Unavailable
from benchmarks._harness import run_suite as run_suite

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
