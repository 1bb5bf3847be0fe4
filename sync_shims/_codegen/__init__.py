"""The generator of blocking facades: ``python -m sync_shims._codegen [--check]``.

It reads the spec (:mod:`sync_shims._codegen.spec`), introspects the aio classes it
names, and writes one typed module of blocking twins per facade into
``sync_shims/_generated_<name>.py``. With ``--check`` it writes nothing and exits
1 if any file is stale, missing, or no longer in the spec. See ``docs/facades.md``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from sync_shims._codegen._generate import HEADER, render_facade
from sync_shims._codegen._model import Facade as Facade
from sync_shims._codegen._model import Function as Function
from sync_shims._codegen._model import Twin as Twin
from sync_shims._codegen._types import CodegenError as CodegenError

__all__ = (
    "DEFAULT_OUT",
    "DEFAULT_SPEC",
    "CodegenError",
    "Facade",
    "Function",
    "Twin",
    "check",
    "generate",
    "load_spec",
    "write",
)

#: Where generated modules live: the ``sync_shims`` package directory.
DEFAULT_OUT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = "sync_shims._codegen.spec"
_PROJECT_ROOT = DEFAULT_OUT.parent


def load_spec(module_name: str = DEFAULT_SPEC) -> tuple[Facade, ...]:
    """The ``FACADES`` tuple of a spec module."""
    facades = getattr(importlib.import_module(module_name), "FACADES", None)
    if not isinstance(facades, tuple) or not all(
        isinstance(f, Facade) for f in facades
    ):
        raise CodegenError(f"{module_name}.FACADES must be a tuple of Facade")
    return facades


def _format(source: str, filename: Path) -> str:
    # ruff is the project's formatter; formatting here keeps CI's
    # `ruff format --check` and this generator's `--check` in agreement.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--stdin-filename",
            str(filename),
            "-",
        ],
        input=source,
        capture_output=True,
        text=True,
        cwd=_PROJECT_ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise CodegenError(
            f"ruff format failed on the generated {filename.name}:\n{result.stderr}"
        )
    return result.stdout


def generate(
    facades: Sequence[Facade], out: Path = DEFAULT_OUT, spec_name: str = DEFAULT_SPEC
) -> dict[Path, str]:
    """The formatted source of every generated module, by path.

    :raises CodegenError: the spec or the async API cannot be rendered.
    """
    twin_modules: dict[str, str] = {}
    for facade in facades:
        for name in [t.twin_name for t in facade.twins]:
            if name in twin_modules:
                raise CodegenError(f"two twins are named {name!r}")
            twin_modules[name] = facade.module
    files: dict[Path, str] = {}
    for facade in facades:
        path = out / f"{facade.module}.py"
        source = render_facade(facade, twin_modules, spec_name)
        files[path] = _format(source, path)
    return files


def _generated_files(out: Path) -> set[Path]:
    """Files in ``out`` that this generator wrote (by their header)."""
    found = set()
    for path in out.glob("_generated_*.py"):
        with path.open(encoding="utf-8") as file:
            if file.readline().rstrip("\n") == HEADER:
                found.add(path)
    return found


def write(files: dict[Path, str], out: Path = DEFAULT_OUT) -> list[Path]:
    """Write changed files and delete generated ones no longer in the spec.

    :returns: the paths written or deleted.
    """
    touched = []
    out.mkdir(parents=True, exist_ok=True)
    for path, source in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8")
            touched.append(path)
    for orphan in sorted(_generated_files(out) - set(files)):
        orphan.unlink()
        touched.append(orphan)
    return touched


def check(files: dict[Path, str], out: Path = DEFAULT_OUT) -> list[str]:
    """Problems that ``write`` would fix, one line each (empty: up to date)."""
    problems = []
    for path, source in sorted(files.items()):
        if not path.exists():
            problems.append(f"missing: {path}")
        elif path.read_text(encoding="utf-8") != source:
            problems.append(f"stale: {path}")
    problems += [
        f"not in the spec: {p}" for p in sorted(_generated_files(out) - set(files))
    ]
    return problems
