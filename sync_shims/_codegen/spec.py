"""The facade spec: every blocking twin that ``python -m sync_shims._codegen`` writes.

Each :class:`Facade` becomes one checked-in module ``sync_shims/_generated_<name>.py``.
To expose an aio class to blocking code, add a :class:`Twin` naming the class and
the members to expose, run ``python -m sync_shims._codegen``, and commit the
generated file with the spec change (CI runs ``--check``). See ``docs/facades.md``.

Example (the shape of an entry; component owners add the real ones)::

    Facade(
        name="redis",
        doc="Blocking twins of the aio Redis client.",
        twins=(
            Twin(
                "aio.redis:Redis",
                members=("get", "set", "pipeline", "scan_iter", "aclose", "__aenter__"),
                wrap={"pipeline": "Pipeline"},
                batch={"scan_iter": 100},
            ),
            Twin("aio.redis:Pipeline", members=("execute", "__aenter__")),
        ),
    )
"""

from __future__ import annotations

from sync_shims._codegen._model import Facade as Facade
from sync_shims._codegen._model import Function as Function
from sync_shims._codegen._model import Twin as Twin

__all__ = ("FACADES", "Facade", "Function", "Twin")

FACADES: tuple[Facade, ...] = ()
