"""Every public package's ``__all__`` names exist and are what it exports."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["aio", "aio.errors", "sync_shims"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert isinstance(exported, tuple)
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr!r}"
