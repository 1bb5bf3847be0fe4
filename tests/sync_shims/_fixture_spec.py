"""The facade spec the generator's tests use (see ``_fixture_api``)."""

from __future__ import annotations

from sync_shims._codegen.spec import Facade, Function, Twin

API = "tests.sync_shims._fixture_api"

FACADES = (
    Facade(
        name="fixture",
        doc="Blocking twins of the test fixture API.",
        twins=(
            Twin(
                f"{API}:Store",
                members=(
                    "__aenter__",
                    "closed",
                    "get",
                    "set",
                    "values",
                    "item",
                    "fail",
                    "describe",
                    "update",
                    "execute",
                    "mode",
                    "keys",
                    "items",
                    "transaction",
                    "__aiter__",
                    "aclose",
                ),
                wrap={"item": "Item", "items": "Item"},
                batch={"keys": 2, "__aiter__": 3},
            ),
            Twin(f"{API}:Item", members=("key", "describe")),
            Twin(f"{API}:Box", members=("get", "swap")),
            Twin(f"{API}:SpecialStore", members=("special", "get", "__aenter__")),
        ),
        functions=(Function(f"{API}:open_store", wrap="Store"),),
    ),
)
