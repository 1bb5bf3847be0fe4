"""The example of docs/redis.md's "Blocking API" section runs as documented."""

from __future__ import annotations

from tests.sync_shims.redis.conftest import DB
from tests.sync_shims.redis.doc_examples import run_doc_example


def test_blocking_example_runs(server: tuple[str, int], db_lock: None) -> None:
    host, port = server
    lines = run_doc_example("blocking", AIO_REDIS_URL=f"redis://{host}:{port}/{DB}")
    assert lines == [
        "b'8'",
        "[9, b'9']",
        "b'18'",
        "news: b'hello'",
        "b'18'",
        "WrongTypeError",
    ]
