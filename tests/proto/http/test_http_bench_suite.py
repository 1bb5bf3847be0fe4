"""The ``http_parse`` benchmark suite drives each contender correctly (no timing)."""

from __future__ import annotations

import pytest

from benchmarks import Case, Contender, http_parse


@pytest.mark.parametrize("case", http_parse.cases(), ids=lambda c: c.name)
@pytest.mark.parametrize("contender", http_parse.contenders(), ids=lambda c: c.name)
def test_every_contender_handles_every_case(contender: Contender, case: Case) -> None:
    factory = {
        "aio": http_parse._aio,
        "h11": http_parse._h11,
        "httptools": http_parse._httptools,
    }
    name = contender.name
    count = case.params.get("count", 1)
    one = factory[name](http_parse.PAYLOADS[case.params["payload"]], count)
    # Several rounds on one connection: keep-alive cycles must keep working.
    assert [one() for _ in range(3)] == [count] * 3
