"""The core examples of docs/redis.md (quick start, RESP core) run as documented."""

from __future__ import annotations

import pathlib
import re

import pytest

from tests.plugins.fix_redis import db_lock
from tests.plugins.fix_services import require_service

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "redis.md"


def example(name: str) -> str:
    match = re.search(
        rf"```python\n(# example: {name}\n.*?)```", DOC.read_text(), re.DOTALL
    )
    assert match, f"docs/redis.md has no '# example: {name}' block"
    return match.group(1)


def test_quickstart_example(capsys: pytest.CaptureFixture[str]) -> None:
    require_service("redis")
    with db_lock():  # the example uses database 9
        exec(compile(example("quickstart"), str(DOC), "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "b'hello'",
        "1",
        "b'aio.redis is out'",
    ]


def test_resp_example() -> None:
    exec(compile(example("resp"), str(DOC), "exec"), {"__name__": "doc"})
