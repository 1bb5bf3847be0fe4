"""pytest plugin for redis-py's OWN test suite: no ``tracemalloc`` while it runs.

Loaded with ``-p redispy_tracemalloc_off`` by every runner
(:mod:`tests.plugins.redispy_runner`), in both modes. redis-py's ``tests/conftest.py`` starts ``tracemalloc`` for the whole
session (``enable_tracemalloc``, a session fixture used by every test) so that
a ResourceWarning names where its object was made; the runners ignore
warnings, and tracing every allocation makes a pure-Python client's setup (the
cluster clients read the ``COMMAND`` table for every test) ten times slower.
Nothing a test asserts depends on it.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Generator
from typing import Any

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, Any]:
    """Stop tracing as soon as ``enable_tracemalloc`` has started it."""
    result = yield
    if fixturedef.argname == "enable_tracemalloc":
        tracemalloc.stop()
    return result
