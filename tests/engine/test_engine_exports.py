"""``aio.engine``'s public API is exactly its ``__all__``."""

from __future__ import annotations

import aio
from aio import engine


def test_public_names_are_exported() -> None:
    public = {
        name
        for name, value in vars(engine).items()
        if not name.startswith("_") and not isinstance(value, type(engine))
    }
    public -= {"annotations"}
    assert public == set(engine.__all__)


def test_aio_run_is_the_engine_run() -> None:
    assert aio.run is engine.run


def test_engine_errors_are_aio_errors() -> None:
    for error in (
        engine.EngineError,
        engine.EngineThreadError,
        engine.LoopUnavailableError,
    ):
        assert issubclass(error, aio.AioError)
    assert issubclass(engine.EngineThreadError, RuntimeError)
