"""pytest plugin for redis-py's OWN test suite, in every mode: what this machine lacks.

Loaded with ``-p redispy_standins`` by :mod:`tests.plugins.redispy_tree` (copied
next to the downloaded suite, like the redirect plugins). redis-py's
``tests/entraid_utils.py`` imports ``redis-entraid`` (Azure Entra ID token
providers), a package its CI installs and ours does not: it needs Azure
credentials to be of any use. ``test_credentials.py`` (sync and asyncio) imports
``AuthType`` from it at module level, while its Entra ID test classes skip by
themselves (``skipif(not EntraIdCredentialsProvider)``) without the package.
So, without ``redis-entraid``, ``tests.entraid_utils`` is a stand-in that names
``AuthType``'s members and skips whoever asks it for a provider.
"""

from __future__ import annotations

import enum
import fcntl
import importlib.util
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest


def _no_entraid(*args: Any, **kwargs: Any) -> NoReturn:
    pytest.skip("requires redis-entraid (Azure Entra ID), not installed")


if importlib.util.find_spec("redis_entraid") is None:

    class AuthType(enum.Enum):
        """The kinds of Entra ID authentication the suite parametrises over."""

        MANAGED_IDENTITY = "managed_identity"
        SERVICE_PRINCIPAL = "service_principal"
        DEFAULT_AZURE_CREDENTIAL = "default_azure_credential"

    _standin = types.ModuleType("tests.entraid_utils", __doc__)
    _standin.AuthType = AuthType  # type: ignore[attr-defined]
    _standin.get_entra_id_credentials_provider = _no_entraid  # type: ignore[attr-defined]
    _standin.identity_provider = _no_entraid  # type: ignore[attr-defined]
    # Found by `from tests.entraid_utils import ...` before any file is looked for.
    sys.modules["tests.entraid_utils"] = _standin


# Modules of the suite that bind fixed ports: at most one run inside them at once.
_FIXED_PORT_MODULES = frozenset({"test_cwe_404"})


@pytest.fixture(autouse=True, scope="module")
def _fixed_ports_one_run_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.module.__name__.rpartition(".")[2] not in _FIXED_PORT_MODULES:
        yield
        return
    # The suite's root (tests/..) is shared by both modes' runs.
    lock = Path(request.config.rootpath) / ".fixed-ports.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
