"""Reach the real services (Redis, PostgreSQL, ...) or skip, or fail under CI.

A test that needs a service asks for it through :func:`require_service`. On a
developer's machine an unreachable service skips the test with the reason; with
``CI=true`` it fails, so CI can never go green by skipping.
"""

from __future__ import annotations

import os
import socket

import pytest

SERVICES: dict[str, tuple[str, int]] = {
    "redis": ("127.0.0.1", 6379),
    "postgres": ("127.0.0.1", 5432),
    "mysql": ("127.0.0.1", 3306),
    "rabbitmq": ("127.0.0.1", 5672),
}

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> None:
    """Skip with ``reason`` on a developer's machine, fail under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


def require_service(name: str) -> tuple[str, int]:
    """Return ``(host, port)`` of a reachable service, or skip/fail the test."""
    host, port = SERVICES[name]
    try:
        with socket.create_connection((host, port), timeout=2):
            pass
    except OSError as exc:
        missing(f"{name} is not reachable at {host}:{port}: {exc}")
    return host, port


CONFORMANCE = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared", "conformance"
)


def conformance_dir(name: str) -> str:
    """Path of a suite in ../shared/conformance, or skip/fail when it is absent."""
    path = os.path.normpath(os.path.join(CONFORMANCE, name))
    if not os.path.isdir(path):
        missing(f"conformance suite {name!r} not found at {path}")
    return path
