"""The generated Redis twins: complete, faithful signatures, the dispatch hook."""

from __future__ import annotations

import inspect
from typing import Any

import aio.redis
from sync_shims import _generated_redis as generated
from sync_shims._codegen._generate import public_methods
from sync_shims.redis import Pipeline, Redis


def test_every_command_method_has_a_blocking_twin() -> None:
    names = public_methods("aio.redis.commands:CoreCommands")
    assert len(names) > 250
    for name in names:
        # load_external_module is hand-written (it must attach to the blocking
        # client): the spec excludes it from the twin.
        owner = Redis if name == "load_external_module" else generated.RedisTwin
        twin = getattr(owner, name)
        ours = list(inspect.signature(twin).parameters.values())[1:]
        theirs = list(
            inspect.signature(getattr(aio.redis.Redis, name)).parameters.values()
        )[1:]
        assert [(p.name, p.kind, p.default) for p in ours] == [
            (p.name, p.kind, p.default) for p in theirs
        ], name


def test_builtin_shadowed_by_a_command_is_aliased() -> None:
    # RedisTwin.type() exists, so annotations must not say `type[...]`.
    source = inspect.getsource(generated)
    assert "from builtins import type as _builtin_type" in source
    assert "score_cast_func: _builtin_type |" in source


def test_commands_go_through_the_dispatch_hook() -> None:
    seen: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []

    class Recording(Redis):
        def _execute(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            seen.append((fn, args, kwargs))
            return "reply"

    client = Recording(port=1)  # never connects: the hook answers
    assert client.zrange("z", 0, -1, withscores=True) == "reply"
    fn, args, kwargs = seen[0]
    assert fn.__name__ == "zrange" and fn.__self__ is client._async
    assert args[:3] == ("z", 0, -1) and args[4] is True  # withscores, positional


def test_pipeline_queues_without_the_loop() -> None:
    client = Redis(port=1)
    pipe = client.pipeline()
    assert isinstance(pipe, Pipeline)
    assert pipe.set("a", 1).get("a") is pipe
    assert [args for args, _ in pipe.command_stack] == [("SET", "a", 1), ("GET", "a")]
    pipe.reset()
    assert len(pipe) == 0
