"""``aio.redis.utils`` against redis-py's ``redis.utils`` and ``redis.asyncio.utils``
as oracles: the same inputs give the same results, errors and warnings (text,
category and the line they point at); ``from_url`` and ``pipeline`` against the
real server, side by side with redis-py's asyncio client. The flags that describe
the client (hiredis, cryptography) and the library version are aio's own."""

from __future__ import annotations

import asyncio
import collections
import ssl
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio
import redis.asyncio.utils
import redis.utils
from hypothesis import given
from hypothesis import strategies as st

import aio
import aio.redis
import aio.redis.utils as ours
from aio.redis import RedisError
from aio.redis.driver_info import DriverInfo


def outcome(func: Callable[..., Any], *args: Any) -> Any:
    """``("ok", result)`` or ``("error", class, message)``."""
    try:
        return ("ok", func(*args))
    except Exception as exc:
        return ("error", type(exc), str(exc))


def same_outcome(name: str, *args: Any) -> None:
    assert outcome(getattr(ours, name), *args) == outcome(
        getattr(redis.utils, name), *args
    )


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
values = st.binary(max_size=32) | st.text(max_size=32) | scalars


# -- flags and version ------------------------------------------------------------


def test_flags_describe_this_client() -> None:
    # aio parses replies itself (aio.proto.resp): never hiredis
    assert ours.HIREDIS_AVAILABLE is False
    assert ours.SSL_AVAILABLE is redis.utils.SSL_AVAILABLE is True
    assert ours.CRYPTOGRAPHY_AVAILABLE is False


def test_no_ocsp_so_no_cryptography() -> None:
    # what CRYPTOGRAPHY_AVAILABLE gates in redis-py: aio refuses it
    with pytest.raises(RedisError, match="OCSP"):
        _ = aio.redis.Redis(ssl=True, ssl_validate_ocsp=True)


def test_lib_version_is_what_connections_send() -> None:
    assert ours.get_lib_version() == aio.__version__
    assert ours.get_lib_version() == DriverInfo().lib_version
    # same form as redis-py's (a dotted version string)
    assert all(part.isdigit() for part in ours.get_lib_version().split("."))
    assert isinstance(redis.utils.get_lib_version(), str)


# -- conversions --------------------------------------------------------------------


@given(values)
def test_str_if_bytes_and_safe_str(value: Any) -> None:
    same_outcome("str_if_bytes", value)
    same_outcome("safe_str", value)


@pytest.mark.parametrize(
    "value", [b"\xff\xfe", "é".encode(), bytearray(b"ab"), memoryview(b"ab"), [b"a"]]
)
def test_str_if_bytes_edges(value: Any) -> None:
    same_outcome("str_if_bytes", value)
    assert ours.safe_str(value) == redis.utils.safe_str(value)


@given(values)
def test_ensure_string(value: Any) -> None:
    same_outcome("ensure_string", value)


@pytest.mark.parametrize("value", [b"\xff", bytearray(b"a"), memoryview(b"a"), 1])
def test_ensure_string_errors(value: Any) -> None:
    result = outcome(ours.ensure_string, value)
    assert result[0] == "error"
    assert result == outcome(redis.utils.ensure_string, value)


# -- dict and list helpers ----------------------------------------------------------

dicts = st.dictionaries(st.text(max_size=4), st.integers(), max_size=5)


@given(st.lists(dicts, max_size=5))
def test_dict_merge(parts: list[dict[str, int]]) -> None:
    same_outcome("dict_merge", *parts)


def test_dict_merge_takes_pairs_and_refuses_the_rest() -> None:
    same_outcome("dict_merge", [("a", 1)], {"a": 2, "b": 3})
    same_outcome("dict_merge", {"a": 1}, 5)
    same_outcome("dict_merge", ["ab", "cd"])


@given(st.lists(st.text(max_size=4) | st.integers(), max_size=8))
def test_list_keys_to_dict(keys: list[Any]) -> None:
    callback = object()
    same_outcome("list_keys_to_dict", keys, callback)
    assert list(ours.list_keys_to_dict(keys, callback)) == list(dict.fromkeys(keys))


@given(st.dictionaries(st.text(max_size=6), st.lists(st.integers(-3, 3) | st.text())))
def test_merge_result(res: dict[str, list[Any]]) -> None:
    result = ours.merge_result("KEYS", res)
    expected = redis.utils.merge_result("KEYS", res)
    assert collections.Counter(result) == collections.Counter(expected)
    assert len(set(result)) == len(result)


def test_merge_result_unhashable() -> None:
    same_outcome("merge_result", "KEYS", {"n1": [[1]]})


# -- versions and messages ----------------------------------------------------------

versions = st.lists(st.integers(0, 30), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)


@given(versions, versions)
def test_compare_versions(left: str, right: str) -> None:
    same_outcome("compare_versions", left, right)
    same_outcome("compare_versions", left, left + ".0")


@pytest.mark.parametrize(
    ("left", "right"),
    [("7.2", "7.2.0"), ("7.10", "7.9"), ("", "1"), ("7.x", "7.1"), ("1..2", "1"),
     (" 7 . 2", "7.2"), ("-1", "0"), ("7.2", None)],
)  # fmt: skip
def test_compare_versions_edges(left: Any, right: Any) -> None:
    same_outcome("compare_versions", left, right)


@pytest.mark.parametrize(
    "exc",
    [
        OSError(),
        OSError("boom"),
        OSError(111, "Connection refused"),
        ConnectionRefusedError(111, "Connection refused", "extra"),
        ssl.SSLError("certificate verify failed"),
        ValueError(None),
    ],
)
def test_format_error_message(exc: BaseException) -> None:
    same_outcome("format_error_message", "localhost:6379", exc)


def test_dummy_fail() -> None:
    same_outcome("dummy_fail")
    assert outcome(asyncio.run, ours.dummy_fail_async()) == outcome(
        asyncio.run, redis.utils.dummy_fail_async()
    )


# -- deprecation warnings -------------------------------------------------------------


def _invoke(func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    return func(*args, **kwargs)  # the caller


def _recorded(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func``'s result and the warnings it gave: text, category, file, line."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _invoke(func, args, kwargs)  # the caller's caller
    return result, [(str(w.message), w.category, w.filename, w.lineno) for w in caught]


async def _await(func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    return await func(*args, **kwargs)  # the caller


async def _await_twice(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await _await(func, args, kwargs)  # the caller's caller


def _recorded_async(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = asyncio.run(_await_twice(func, *args, **kwargs))
    return result, [(str(w.message), w.category, w.filename, w.lineno) for w in caught]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"reason": "use other"}, {"version": "5.0"}, {"reason": "r", "version": "1"}],
)
def test_warn_deprecated(kwargs: dict[str, str]) -> None:
    mine = _recorded(ours.warn_deprecated, "old", **kwargs)
    theirs = _recorded(redis.utils.warn_deprecated, "old", **kwargs)
    assert mine == theirs
    assert theirs[1][0][1] is DeprecationWarning
    mine = _recorded(ours.warn_deprecated_arg_usage, ["a", "b"], "f", **kwargs)
    assert mine == _recorded(redis.utils.warn_deprecated_arg_usage, ["a", "b"], "f", **kwargs)  # fmt: skip


def _make_function(deco: Callable[..., Any], is_async: bool) -> Callable[..., Any]:
    if is_async:

        async def fetch_async(key: str, default: Any = None) -> Any:
            return (key, default)

        return deco(fetch_async)  # type: ignore[no-any-return]

    def fetch(key: str, default: Any = None) -> Any:
        return (key, default)

    return deco(fetch)  # type: ignore[no-any-return]


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize(
    "kwargs", [{}, {"reason": "use get", "version": "7.0", "name": "fetch_all"}]
)
def test_deprecated_function(is_async: bool, kwargs: dict[str, str]) -> None:
    record = _recorded_async if is_async else _recorded
    mine = record(_make_function(ours.deprecated_function(**kwargs), is_async), "k")
    theirs = record(
        _make_function(redis.utils.deprecated_function(**kwargs), is_async), "k"
    )
    assert mine == theirs
    assert mine[0] == ("k", None)
    (message, category, filename, _line) = mine[1][0]
    assert category is DeprecationWarning and filename == __file__


DEPRECATED_ARGS_CASES = [
    ({}, ("k",), {}),
    ({}, (), {"key": "k"}),
    ({"args_to_warn": ["default"]}, ("k",), {}),
    ({"args_to_warn": ["default"]}, ("k", 1), {}),
    ({"args_to_warn": ["default"]}, ("k",), {"default": 1}),
    ({"args_to_warn": ["key", "default"], "version": "2"}, ("k", 1), {}),
    ({"args_to_warn": ["*"], "allowed_args": ["key"]}, ("k",), {}),
    ({"args_to_warn": ["*"], "allowed_args": ["key"], "reason": "r"}, ("k", 2), {}),
]


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize(("deco_kwargs", "args", "kwargs"), DEPRECATED_ARGS_CASES)
def test_deprecated_args(
    is_async: bool, deco_kwargs: dict[str, Any], args: Any, kwargs: Any
) -> None:
    record = _recorded_async if is_async else _recorded
    mine_f = _make_function(ours.deprecated_args(**deco_kwargs), is_async)
    theirs_f = _make_function(redis.utils.deprecated_args(**deco_kwargs), is_async)
    mine = record(mine_f, *args, **kwargs)
    assert mine == record(theirs_f, *args, **kwargs)
    assert mine_f.__name__ == theirs_f.__name__
    assert all(filename == __file__ for (_m, _c, filename, _l) in mine[1])


def test_deprecated_args_on_methods_and_stacked() -> None:
    # ``self`` is never reported; two stacked decorators on a constructor, as
    # redis-py uses them, point at the line that builds the object.
    def make(utils: Any) -> type:
        class Client:
            @utils.deprecated_args(args_to_warn=["lib_name"], reason="use driver")
            @utils.deprecated_args(args_to_warn=["*"], allowed_args=["host"])
            def __init__(self, host: str = "h", lib_name: Any = None) -> None:
                self.host = host

        return Client

    mine = _recorded(make(ours), "x", lib_name="n")
    theirs = _recorded(make(redis.utils), "x", lib_name="n")
    assert mine[1] == theirs[1]
    assert len(mine[1]) == 2


# -- from_url and pipeline, on the server ---------------------------------------------


async def test_from_url(redis_url: str) -> None:
    mine = ours.from_url(redis_url, decode_responses=True)
    theirs = redis.asyncio.utils.from_url(redis_url, decode_responses=True)
    try:
        assert isinstance(mine, aio.redis.Redis)
        assert (await mine.client_info())["db"] == (await theirs.client_info())["db"]
        await theirs.set("utils:url", "é")
        assert await mine.get("utils:url") == "é"
    finally:
        await mine.delete("utils:url")
        await mine.aclose()
        await theirs.aclose()


async def _pipeline_run(utils: Any, client: Any, fail: bool) -> Any:
    """Queue SET and INCR in ``utils.pipeline(client)``; what was visible inside
    the block, and the error that left it."""
    inside = None
    try:
        async with utils.pipeline(client) as p:
            p.set("utils:p", "1")
            p.incr("utils:p")
            inside = await client.get("utils:p")
            if fail:
                raise ValueError("in the block")
    except ValueError as exc:
        return inside, str(exc)
    return inside, None


@pytest.mark.parametrize("fail", [False, True])
async def test_pipeline(redis_url: str, fail: bool) -> None:
    results = []
    for utils, module in ((ours, aio.redis), (redis.asyncio.utils, redis.asyncio)):
        client = module.Redis.from_url(redis_url)
        try:
            await client.delete("utils:p")
            run = await _pipeline_run(utils, client, fail)
            # queued only inside the block; executed at its end, also after an
            # error in it (redis-py's asyncio helper)
            results.append((run, await client.get("utils:p")))
        finally:
            await client.delete("utils:p")
            await client.aclose()
    assert results[0] == results[1]
    assert results[0][1] == b"2"


async def test_pipeline_is_single_use(redis_url: str) -> None:
    errors = []
    for utils, module in ((ours, aio.redis), (redis.asyncio.utils, redis.asyncio)):
        client = module.Redis.from_url(redis_url)
        try:
            context = utils.pipeline(client)
            async with context as p:
                p.ping()
            with pytest.raises(AttributeError) as info:
                async with context:
                    pass
            errors.append(type(info.value))
        finally:
            await client.aclose()
    assert errors == [AttributeError, AttributeError]
