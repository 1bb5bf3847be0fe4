"""``python -m sync_shims._codegen [--check] [--spec MODULE] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sync_shims._codegen import (
    DEFAULT_OUT,
    DEFAULT_SPEC,
    CodegenError,
    check,
    generate,
    load_spec,
    write,
)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the blocking facades, or check that they are up to date."""
    parser = argparse.ArgumentParser(
        prog="python -m sync_shims._codegen",
        description="Write the blocking twins listed in the facade spec.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing stale, missing or orphaned files",
    )
    parser.add_argument("--spec", default=DEFAULT_SPEC, help="spec module (FACADES)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory"
    )
    args = parser.parse_args(argv)
    try:
        files = generate(load_spec(args.spec), args.out, args.spec)
    except CodegenError as exc:
        print(f"sync_shims._codegen: {exc}", file=sys.stderr)
        return 2
    if args.check:
        problems = check(files, args.out)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python -m sync_shims._codegen", file=sys.stderr)
            return 1
        return 0
    for path in write(files, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
