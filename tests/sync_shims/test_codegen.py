"""The facade generator, end to end on a fixture API (``_fixture_api``)."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import signal
import subprocess
import sys
import threading
import traceback
import types
from pathlib import Path

import pytest

from sync_shims import _portal
from sync_shims._codegen import (
    CodegenError,
    Facade,
    Function,
    Twin,
    check,
    generate,
    load_spec,
    write,
)
from sync_shims._codegen.__main__ import main
from sync_shims._codegen._generate import HEADER
from sync_shims._portal import EngineThreadError
from tests.sync_shims import _fixture_api
from tests.sync_shims._fixture_spec import FACADES

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests.sync_shims._fixture_spec"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    assert main(["--spec", SPEC, "--out", str(out)]) == 0
    return out / "_generated_fixture.py"


@pytest.fixture(scope="module")
def twin(generated: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("_generated_fixture", generated)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_store(twin: types.ModuleType) -> object:
    return twin.Store(_fixture_api.Store())


# -- the generated source -----------------------------------------------------------


def test_header_and_compiles(generated: Path) -> None:
    source = generated.read_text()
    assert source.splitlines()[0] == HEADER
    compile(source, str(generated), "exec")


def test_rename_map_applied(generated: Path) -> None:
    source = generated.read_text()
    for blocking in ("def __enter__", "def __exit__", "def __iter__", "def close("):
        assert blocking in source
    for async_only in (
        "def aclose",
        "def __aenter__",
        "def __aiter__",
        "AsyncIterator",
    ):
        assert async_only not in source


def test_signatures_and_docstrings_kept(twin: types.ModuleType) -> None:
    get = inspect.signature(twin.Store.get)
    assert (
        str(get)
        == "(self, key: 'str', /, default: 'int | None' = None) -> 'int | None'"
    )
    assert str(inspect.signature(twin.Store.set)) == (
        "(self, key: 'str', value: 'int', *, replace: 'bool' = True) -> 'None'"
    )
    assert (
        str(inspect.signature(twin.Store.values))
        == "(self, *keys: 'str') -> 'list[int]'"
    )
    assert (
        str(inspect.signature(twin.Store.update)) == "(self, **items: 'int') -> 'Self'"
    )
    assert inspect.signature(twin.Store.keys).return_annotation == "Iterator[str]"
    assert inspect.getdoc(twin.Store.get) == inspect.getdoc(_fixture_api.Store.get)
    assert inspect.getdoc(twin.Store.close) == "Close the store."
    assert "An in-memory async key-value store." in (twin.Store.__doc__ or "")
    assert twin.__all__ == ("Box", "Item", "SpecialStore", "Store", "open_store")


def test_generated_code_passes_mypy_strict(generated: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(
        "from _generated_fixture import Box, Item, Store, open_store\n"
        "from tests.sync_shims._fixture_api import Box as AsyncBox\n"
        "def use() -> int:\n"
        "    with open_store(preload={'a': 1}) as store:\n"
        "        value: int | None = store.get('a')\n"
        "        item: Item | None = store.item('a')\n"
        "        keys: list[str] = list(store.keys())\n"
        "        with store.transaction() as draft:\n"
        "            draft['b'] = 2\n"
        "        pairs: list[tuple[str, int]] = list(store)\n"
        "        same: Store = store.update(c=3)\n"
        "        reply: str = store.execute('PING')\n"
        "    box = Box(AsyncBox(1))\n"
        "    number: int = box.swap(2) + box.get()\n"
        "    return (value or 0) + len(keys) + len(pairs) + bool(item) + bool(same) + number\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            str(generated),
            str(usage),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"MYPYPATH": str(generated.parent), "PATH": ""},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_stable(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", str(generated)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the generated twins at run time -------------------------------------------------


def test_blocking_calls(twin: types.ModuleType) -> None:
    store = make_store(twin)
    assert store.get("a") is None  # type: ignore[attr-defined]
    assert store.get("a", 5) == 5  # type: ignore[attr-defined]
    store.set("a", 1)  # type: ignore[attr-defined]
    store.set("a", 2, replace=False)  # type: ignore[attr-defined]
    assert store.get("a") == 1  # type: ignore[attr-defined]
    store.set("b", 3)  # type: ignore[attr-defined]
    assert store.values("a", "zzz", "b") == [1, 3]  # type: ignore[attr-defined]
    assert store.describe() == "default"  # type: ignore[attr-defined]
    assert store.describe(None) == "given"  # type: ignore[attr-defined]
    assert store.mode("fast") == "fast:None"  # type: ignore[attr-defined]
    assert store.execute("PING", "x") == "PING x"  # type: ignore[attr-defined]


def test_plain_method_returning_self_returns_the_twin(twin: types.ModuleType) -> None:
    store = make_store(twin)
    assert store.update(x=1, y=2) is store  # type: ignore[attr-defined]
    assert store.values("x", "y") == [1, 2]  # type: ignore[attr-defined]


def test_exceptions_keep_type_and_async_frames(twin: types.ModuleType) -> None:
    store = make_store(twin)
    with pytest.raises(_fixture_api.FixtureError, match="boom") as info:
        store.fail("boom")  # type: ignore[attr-defined]
    frames = traceback.extract_tb(info.value.__traceback__)
    # outermost: this test; innermost: the async method that raised, on the loop
    assert frames[0].name == "test_exceptions_keep_type_and_async_frames"
    assert frames[-1].filename == _fixture_api.__file__
    assert frames[-1].name == "fail"


def test_context_manager_runs_in_one_task(twin: types.ModuleType) -> None:
    inner = _fixture_api.Store()
    with twin.Store(inner) as store:
        assert isinstance(store, twin.Store)
        assert not store.closed
    assert store.closed
    assert inner.log[0].startswith("enter in <Task")
    assert inner.log[-1] == "exit None"
    with pytest.raises(KeyError), twin.Store(_fixture_api.Store()) as other:
        raise KeyError("x")
    assert other._async.log[-1] == "exit KeyError"


def test_iterators_batched(twin: types.ModuleType) -> None:
    store = make_store(twin)
    store.update(k1=1, k2=2, k3=3, other=4)  # type: ignore[attr-defined]
    keys = store.keys("k")  # type: ignore[attr-defined]
    assert next(keys) == "k1"
    # batch=2 for keys: one round trip produced two keys
    assert store._async.log == ["yield k1", "yield k2"]  # type: ignore[attr-defined]
    assert list(keys) == ["k2", "k3"]
    assert list(store) == [("k1", 1), ("k2", 2), ("k3", 3), ("other", 4)]


def test_wrapped_results(twin: types.ModuleType) -> None:
    store = make_store(twin)
    store.set("a", 7)  # type: ignore[attr-defined]
    item = store.item("a")  # type: ignore[attr-defined]
    assert isinstance(item, twin.Item)
    assert item.key == "a"
    assert item.describe() == "a=7"
    assert store.item("missing") is None  # type: ignore[attr-defined]
    items = list(store.items())  # type: ignore[attr-defined]
    assert [type(i) for i in items] == [twin.Item]
    opened = twin.open_store("x", preload={"z": 26})
    assert isinstance(opened, twin.Store)
    assert opened.get("z") == 26


def test_async_context_manager_method(twin: types.ModuleType) -> None:
    store = make_store(twin)
    with store.transaction() as draft:  # type: ignore[attr-defined]
        draft["new"] = 1
    assert store.get("new") == 1  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), store.transaction() as draft:  # type: ignore[attr-defined]
        draft["lost"] = 1
        raise RuntimeError("rollback")
    assert store.get("lost") is None  # type: ignore[attr-defined]


def test_close(twin: types.ModuleType) -> None:
    store = make_store(twin)
    assert not store.closed  # type: ignore[attr-defined]
    store.close()  # type: ignore[attr-defined]
    assert store.closed  # type: ignore[attr-defined]


def test_twins_work_from_many_threads(twin: types.ModuleType) -> None:
    store = make_store(twin)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(50):
                store.set(f"{n}:{i}", i)  # type: ignore[attr-defined]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(list(store.keys())) == 400  # type: ignore[attr-defined]


def test_twins_work_from_a_thread_running_its_own_loop(twin: types.ModuleType) -> None:
    # A notebook's thread: its own loop is running while the twin blocks it.
    store = make_store(twin)

    async def cell() -> int | None:
        asyncio.get_running_loop()
        store.set("nb", 7)  # type: ignore[attr-defined]
        return store.get("nb")  # type: ignore[attr-defined,no-any-return]

    result: list[int | None] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(cell())))
    thread.start()
    thread.join()
    assert result == [7]


def test_twin_on_the_engine_thread_names_the_async_api(twin: types.ModuleType) -> None:
    store = make_store(twin)

    async def nested() -> None:
        store.get("k")  # type: ignore[attr-defined]

    with pytest.raises(EngineThreadError, match=r"await .*Store\.get"):
        _portal.call(nested)


def test_ctrl_c_during_a_blocking_twin_call_cancels_it(twin: types.ModuleType) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread only")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT handler replaced by the test runner")
    started = threading.Event()
    cancelled = threading.Event()

    class Stuck(_fixture_api.Store):
        async def get(self, key: str, /, default: int | None = None) -> int | None:
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise
            return None

    store = twin.Store(Stuck())
    main_ident = threading.main_thread().ident
    assert main_ident is not None

    def interrupt() -> None:
        started.wait(10)
        signal.pthread_kill(main_ident, signal.SIGINT)

    interrupter = threading.Thread(target=interrupt)
    interrupter.start()
    with pytest.raises(KeyboardInterrupt):
        store.get("k")
    interrupter.join()
    assert cancelled.is_set()  # the coroutine was cancelled before the re-raise
    store.set("after", 1)
    assert store.values("after") == [1]  # the twin still works


# -- --check, write, and the real spec -----------------------------------------------


def test_check_detects_missing_stale_and_orphans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--spec", SPEC, "--out", str(tmp_path), "--check"]) == 1
    assert "missing:" in capsys.readouterr().err
    assert main(["--spec", SPEC, "--out", str(tmp_path)]) == 0
    assert main(["--spec", SPEC, "--out", str(tmp_path), "--check"]) == 0
    target = tmp_path / "_generated_fixture.py"
    target.write_text(target.read_text() + "# hand edit\n")
    assert main(["--spec", SPEC, "--out", str(tmp_path), "--check"]) == 1
    assert "stale:" in capsys.readouterr().err
    orphan = tmp_path / "_generated_gone.py"
    orphan.write_text(HEADER + "\n")
    assert main(["--spec", SPEC, "--out", str(tmp_path)]) == 0
    assert not orphan.exists()  # a generated file no longer in the spec is removed
    assert main(["--spec", SPEC, "--out", str(tmp_path), "--check"]) == 0
    orphan.write_text(HEADER + "\n")
    assert main(["--spec", SPEC, "--out", str(tmp_path), "--check"]) == 1
    assert "not in the spec" in capsys.readouterr().err


def test_write_is_idempotent(tmp_path: Path) -> None:
    files = generate(FACADES, tmp_path, SPEC)
    assert write(files, tmp_path) == [tmp_path / "_generated_fixture.py"]
    assert write(generate(FACADES, tmp_path, SPEC), tmp_path) == []
    assert check(files, tmp_path) == []


def test_real_spec_is_up_to_date() -> None:
    # What CI's `python -m sync_shims._codegen --check` verifies.
    assert check(generate(load_spec())) == []


def test_cli_check_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sync_shims._codegen", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# -- refusals ------------------------------------------------------------------------

BAD = "tests.sync_shims._fixture_bad"


@pytest.mark.parametrize(
    ("twin_spec", "message"),
    [
        (Twin(f"{BAD}:Unannotated", members=("get",)), "no annotation"),
        (Twin(f"{BAD}:NoReturnAnnotation", members=("get",)), "no return annotation"),
        (Twin(f"{BAD}:Weird", members=("get",)), "cannot write the default"),
        (Twin(f"{BAD}:Weird", members=("helper",)), "static"),
        (Twin(f"{BAD}:Weird", members=("nope",)), "no such member"),
        (Twin(f"{BAD}:Weird", members=("attribute",)), "not a method"),
        (Twin(f"{BAD}:not_a_class", members=()), "not a class"),
        (Twin(f"{BAD}:Missing", members=()), "no attribute"),
        (Twin("no_colon_here", members=()), "expected"),
        (
            Twin(
                "tests.sync_shims._fixture_api:Store",
                members=("item",),
                wrap={"item": "Nope"},
            ),
            "not a twin",
        ),
    ],
)
def test_refusals_name_the_problem(
    twin_spec: Twin, message: str, tmp_path: Path
) -> None:
    with pytest.raises(CodegenError, match=message):
        generate((Facade("bad", twins=(twin_spec,)),), tmp_path, "test")


def test_duplicate_twin_names_refused(tmp_path: Path) -> None:
    twin = Twin("tests.sync_shims._fixture_api:Item", members=("describe",))
    with pytest.raises(CodegenError, match="two twins"):
        generate(
            (Facade("a", twins=(twin,)), Facade("b", twins=(twin,))), tmp_path, "t"
        )


def test_function_spec_default_name(tmp_path: Path) -> None:
    files = generate(
        (
            Facade(
                "fn", functions=(Function("tests.sync_shims._fixture_api:open_store"),)
            ),
        ),
        tmp_path,
        "t",
    )
    source = next(iter(files.values()))
    assert "def open_store(" in source
    assert ") -> Store:" in source  # not wrapped: the async Store is returned
    assert "    Store,\n" in source or "import Store" in source


def test_bad_spec_module(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--spec", "tests.sync_shims._fixture_api", "--check"]) == 2
    assert "FACADES" in capsys.readouterr().err


def test_generic_and_inherited_twins(twin: types.ModuleType) -> None:
    box = twin.Box(_fixture_api.Box("a"))
    assert box.swap("b") == "a"
    assert box.get() == "b"
    with twin.SpecialStore(_fixture_api.SpecialStore()) as special:
        assert special.special() == "special"
        assert special.get("x", 1) == 1
