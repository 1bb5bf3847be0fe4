"""Turning runtime type objects back into source code, with the imports they need.

The generator resolves every annotation of the async API to real objects
(``typing.get_type_hints``) and renders them here, rather than copying annotation
strings: the strings name things in the *source* module's namespace, and the
generated module has a different one. Rendering from objects tells us exactly
which names to import, lets us alias clashes (the async ``Redis`` becomes
``AsyncRedis`` next to the twin ``Redis``), and lets the generator substitute a
twin for an async class where the spec asks for wrapping.
"""

from __future__ import annotations

import builtins
import enum
import sys
import types
import typing
from collections.abc import Callable, Mapping

__all__ = ("CodegenError", "Imports", "TypeRenderer")


class CodegenError(Exception):
    """The spec or the async API cannot be turned into a typed twin."""


def is_union(tp: object) -> bool:
    """Whether ``tp`` is ``X | Y`` (``types.UnionType``) or ``typing.Union[X, Y]``."""
    return typing.get_origin(tp) is typing.Union or isinstance(tp, types.UnionType)


def public_module(obj: object) -> str:
    """The shortest public module that exports ``obj`` under its own name.

    ``aio.redis._client.Redis`` re-exported by ``aio.redis`` gives ``"aio.redis"``,
    so generated imports follow the public API rather than private paths.
    """
    module: str = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__name__", None)
    parts = module.split(".")
    for end in range(1, len(parts) + 1):
        candidate = ".".join(parts[:end])
        if any(part.startswith("_") for part in parts[:end]) and end < len(parts):
            break
        loaded = sys.modules.get(candidate)
        if loaded is not None and name and getattr(loaded, name, None) is obj:
            return candidate
    return module


class Imports:
    """The ``from module import name [as alias]`` lines of one generated module."""

    def __init__(self, reserved: set[str]) -> None:
        # Names defined by the generated module itself (twins, TypeVars).
        self._reserved = reserved
        self._local: dict[str, tuple[str, str]] = {}
        self._by_target: dict[tuple[str, str], str] = {}

    def ref(self, module: str, name: str, *, prefix: str = "Async") -> str:
        """Return the local name under which ``module.name`` is importable."""
        target = (module, name)
        if target in self._by_target:
            return self._by_target[target]
        candidates = [name, f"{prefix}{name}"]
        candidates += [f"{prefix}{name}{n}" for n in range(2, 100)]
        for local in candidates:
            if local not in self._reserved and local not in self._local:
                self._local[local] = target
                self._by_target[target] = local
                return local
        raise CodegenError(f"cannot find a free local name for {module}.{name}")

    def lines(self) -> list[str]:
        """The import statements, sorted and grouped by module."""
        by_module: dict[str, list[str]] = {}
        for local, (module, name) in self._local.items():
            by_module.setdefault(module, []).append(
                name if local == name else f"{name} as {local}"
            )
        return [
            f"from {module} import {', '.join(sorted(names))}"
            for module, names in sorted(by_module.items())
        ]


class TypeRenderer:
    """Renders annotations for one generated module.

    :param imports: where imported names are recorded.
    :param declare_typevar: called with each TypeVar met; returns its local name.
    """

    def __init__(
        self,
        imports: Imports,
        declare_typevar: Callable[[typing.TypeVar], str],
    ) -> None:
        self.imports = imports
        self._declare_typevar = declare_typevar
        #: Builtin names that a twin's members shadow in its class body (a
        #: ``type()`` command makes ``type[...]`` mean the method): imported
        #: under another name instead.
        self.shadowed: set[str] = set()

    def typing_name(self, name: str) -> str:
        return self.imports.ref("typing", name)

    def cls(self, obj: type) -> str:
        """A class reference, imported unless it is a builtin."""
        if obj.__module__ == "builtins" and getattr(builtins, obj.__qualname__, None):
            if obj.__qualname__ in self.shadowed:
                return self.imports.ref(
                    "builtins", obj.__qualname__, prefix="_builtin_"
                )
            return obj.__qualname__
        if obj is types.NoneType:
            return "None"
        top, _, rest = obj.__qualname__.partition(".")
        if "<locals>" in obj.__qualname__:
            raise CodegenError(
                f"{obj!r} is defined inside a function: cannot import it"
            )
        module = public_module(obj) if not rest else obj.__module__
        local = self.imports.ref(module, top)
        return f"{local}.{rest}" if rest else local

    def render(self, tp: object, subst: Mapping[object, str] | None = None) -> str:
        """Source code for the annotation ``tp``.

        :param subst: objects to render as the given names (async class -> twin).
        """
        if subst:
            for key, value in subst.items():
                if tp is key:
                    return value
        if tp is None or tp is types.NoneType:
            return "None"
        if tp is Ellipsis:
            return "..."
        if tp is typing.Any:
            return self.typing_name("Any")
        if isinstance(tp, typing.TypeVar):
            return self._declare_typevar(tp)
        if isinstance(tp, list):  # the parameter list of Callable[[...], R]
            return "[" + ", ".join(self.render(a, subst) for a in tp) + "]"
        if isinstance(tp, (str, typing.ForwardRef)):
            raise CodegenError(f"unresolved forward reference {tp!r}")
        if isinstance(tp, typing.NewType):
            return self.imports.ref(tp.__module__, tp.__name__)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if is_union(tp):
            return " | ".join(self.render(a, subst) for a in args)
        if origin is typing.Annotated:
            return self.render(args[0], subst)
        if origin is typing.Literal:
            return f"{self.typing_name('Literal')}[{', '.join(self._literal(a) for a in args)}]"
        if origin is not None:
            base = self.render(origin, subst)
            if not args:  # tuple[()]
                return f"{base}[()]"
            return f"{base}[{', '.join(self.render(a, subst) for a in args)}]"
        if isinstance(tp, type):
            return self.cls(tp)
        special = getattr(tp, "_name", None)
        if special and getattr(typing, special, None) is tp:  # Self, NoReturn, Never...
            return self.typing_name(special)
        raise CodegenError(f"cannot render annotation {tp!r}")

    def _literal(self, value: object) -> str:
        if isinstance(value, enum.Enum):
            return f"{self.cls(type(value))}.{value.name}"
        if value is None or isinstance(value, (bool, int, str, bytes)):
            return repr(value)
        raise CodegenError(f"unsupported Literal value {value!r}")

    def default(self, value: object, module: types.ModuleType) -> str:
        """Source code for a parameter default defined in ``module``."""
        if value is None or isinstance(value, (bool, int, str, bytes)):
            return repr(value)
        if (
            isinstance(value, float)
            and value == value
            and value
            not in {
                float("inf"),
                float("-inf"),
            }
        ):
            return repr(value)
        if isinstance(value, enum.Enum):
            return f"{self.cls(type(value))}.{value.name}"
        if isinstance(value, tuple) and all(
            v is None or isinstance(v, (bool, int, str, bytes)) for v in value
        ):
            return repr(value)
        # A builtin (``score_cast_func=float``) is in scope everywhere.
        name = getattr(value, "__name__", None)
        if name and getattr(builtins, name, None) is value:
            if name in self.shadowed:
                return self.imports.ref("builtins", name, prefix="_builtin_")
            return str(name)
        # A sentinel or constant: import the module-level name it is bound to.
        for name, candidate in vars(module).items():
            if candidate is value and not isinstance(value, types.ModuleType):
                return self.imports.ref(module.__name__, name, prefix="_")
        raise CodegenError(
            f"cannot write the default {value!r}: bind it to a module-level name in "
            f"{module.__name__}"
        )
