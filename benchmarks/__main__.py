"""``python -m benchmarks SUITE [--rounds N] [--quick]``: run one benchmark suite.

Prints the table of medians and writes ``<suite>.json``, ``.md`` and ``.svg`` to
``docs/benchmarks/`` (or ``--out DIR``). A ``--quick`` run writes files only when
``--out`` is given, so a smoke run never overwrites the committed results.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from benchmarks._harness import Unavailable, run_suite
from benchmarks._report import text_table, write_all

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks"


def available_suites() -> list[str]:
    """The names of the suite modules in this package (public modules with SUITE)."""
    import benchmarks

    names = []
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("_") or info.ispkg:
            continue
        names.append(info.name)
    return sorted(names)


def load_suite(name: str) -> ModuleType:
    """Import ``benchmarks.<name>`` and check it looks like a suite."""
    module = importlib.import_module(f"benchmarks.{name}")
    for attr in ("SUITE", "contenders", "cases", "measure"):
        if not hasattr(module, attr):
            raise SystemExit(f"benchmarks.{name} is not a suite: it has no {attr}")
    return module


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run aio and its peers alternately and compare medians.",
    )
    parser.add_argument("suite", nargs="?", help="suite to run (see --list)")
    parser.add_argument("--list", action="store_true", help="list the suites")
    parser.add_argument("--rounds", type=int, default=None, help="rounds to run")
    parser.add_argument(
        "--quick", action="store_true", help="one short round (smoke test)"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated contender names to run (default: all)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"directory for the JSON/Markdown/SVG results (default {DOCS})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(message)s",
    )
    if args.list or not args.suite:
        print("suites: " + ", ".join(available_suites()))
        return 0 if args.list else 2
    try:
        module = load_suite(args.suite)
    except ModuleNotFoundError as exc:
        if exc.name != f"benchmarks.{args.suite}":
            raise
        print(f"unknown suite {args.suite!r}; suites: {', '.join(available_suites())}")
        return 2
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    try:
        result = run_suite(
            module,
            rounds=args.rounds,
            quick=args.quick,
            only=only,
            progress=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
    except Unavailable as exc:
        print(f"{args.suite}: cannot run: {exc}", file=sys.stderr)
        return 1
    print(text_table(result))
    out = args.out if args.out is not None else (None if args.quick else DOCS)
    if out is not None:
        for path in write_all(result, out):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
