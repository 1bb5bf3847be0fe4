"""Async APIs the facade generator must refuse, with a message saying why."""

from __future__ import annotations

from typing import Any


class Unannotated:
    async def get(self, key) -> str:  # type: ignore[no-untyped-def]  # bare param
        return key


class NoReturnAnnotation:
    async def get(self, key: str):  # type: ignore[no-untyped-def]
        return key


class Weird:
    async def get(self, key: str, missing: object = object()) -> str:
        return key

    @staticmethod
    async def helper() -> None:
        return None

    attribute: Any = 1


def not_a_class() -> None:
    return None
