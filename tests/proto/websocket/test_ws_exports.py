"""``aio.proto.websocket.__all__`` is a tuple of names that exist."""

from __future__ import annotations

import aio.proto.websocket as ws


def test_all_names_exist() -> None:
    assert isinstance(ws.__all__, tuple)
    assert sorted(ws.__all__) == list(ws.__all__)
    for name in ws.__all__:
        assert hasattr(ws, name), name
