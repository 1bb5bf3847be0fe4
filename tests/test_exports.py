"""Every public module's ``__all__`` is a tuple of names that exist and are public.

Public modules are found by walking the ``aio`` and ``sync_shims`` packages (any dotted
part starting with ``_`` makes a module private), so a new package is covered the day
it lands; ``REQUIRED`` pins the packages that must stay public.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

import aio
import sync_shims

# The public packages the issues promise; each must be found by the walk below.
REQUIRED = (
    "aio",
    "aio.errors",
    "aio.engine",
    "aio.proto.http",
    "aio.proto.websocket",
    "aio.proto.resp",
    "aio.server",
    "aio.server.supervisor",
    "aio.server.wsgi",
    "aio.redis",
    "sync_shims",
    "sync_shims.redis",
    "sync_shims.gunicorn",
)

# Entry-point modules: the `aio` command's dispatcher calls them; they carry no `__all__`.
NO_ALL = {"aio.cli": "main", "aio.server.cli": "serve_main"}
# Namespaces whose children hold the API.
EMPTY = frozenset({"aio.proto", "sync_shims"})


def _public_modules() -> list[str]:
    names = ["aio", "sync_shims"]
    for root in (aio, sync_shims):
        for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return sorted(names)


PUBLIC = _public_modules()


def test_required_packages_are_public_and_found() -> None:
    missing = [name for name in REQUIRED if name not in PUBLIC]
    assert not missing, f"public packages not found by the walk: {missing}"


@pytest.mark.parametrize("name", PUBLIC)
def test_all_names_exist_and_are_public(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    if name in NO_ALL:
        assert not hasattr(module, "__all__")
        assert callable(getattr(module, NO_ALL[name]))
        return
    exported = module.__all__
    assert isinstance(exported, tuple), f"{name}.__all__ must be a tuple"
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    for attr in exported:
        assert isinstance(attr, str) and not attr.startswith("_"), (name, attr)
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr!r}"


@pytest.mark.parametrize("name", [n for n in REQUIRED if n not in EMPTY])
def test_required_packages_export_something(name: str) -> None:
    module = importlib.import_module(name)
    assert len(module.__all__) > 0, f"{name} exports nothing"


def test_star_import_gives_exactly_all() -> None:
    for name in REQUIRED:
        namespace: dict[str, object] = {}
        exec(f"from {name} import *", namespace)
        namespace.pop("__builtins__", None)
        assert set(namespace) == set(importlib.import_module(name).__all__), name
