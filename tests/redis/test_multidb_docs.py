"""The examples of docs/redis_multidb.md run as documented, on two private
redis-servers."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable

import pytest

from tests.plugins.fix_redis import PrivateRedis

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "redis_multidb.md"

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


def example(name: str) -> str:
    match = re.search(
        rf"```python\n(# example: {name}\n.*?)```", DOC.read_text(), re.DOTALL
    )
    assert match, f"{DOC.name} has no '# example: {name}' block"
    return match.group(1)


def run(name: str, servers: list[PrivateRedis]) -> None:
    primary, secondary = servers
    namespace = {
        "__name__": "doc",
        "PRIMARY": (primary.host, primary.port),
        "SECONDARY": (secondary.host, secondary.port),
    }
    exec(compile(example(name), str(DOC), "exec"), namespace)


def test_async_example(
    private_redis_server: Callable[..., PrivateRedis],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run("async", [private_redis_server(), private_redis_server()])
    assert capsys.readouterr().out.splitlines() == [
        "b'hello'",
        "weight of the active database: 1.0",
        "[1, 2]",
    ]


def test_blocking_example(
    private_redis_server: Callable[..., PrivateRedis],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run("blocking", [private_redis_server(), private_redis_server()])
    assert capsys.readouterr().out.splitlines() == ["b'hello'", "[1]"]
