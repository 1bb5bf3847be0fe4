"""Twin commands: two commands that take the same arguments and differ only in
their name (TS.RANGE and TS.REVRANGE, CF.INSERT and CF.INSERTNX...).

One builder serves both: a method whose argument after ``self`` is the
command's name. :func:`sends` makes it the public method of one command, and
:func:`twin` makes the other's from it. The methods users see are plain
functions without that argument: their signature (what ``help()`` and
``inspect.signature`` show, and what mypy checks), name and docstring are the
public ones, so the facade generator and redis-py's callers see no difference.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from aio.redis._types import ResponseT

__all__ = ("sends", "twin")

_S = TypeVar("_S")
_P = ParamSpec("_P")


def sends(
    command: str,
) -> Callable[
    [Callable[Concatenate[_S, str, _P], ResponseT]],
    Callable[Concatenate[_S, _P], ResponseT],
]:
    """Make the decorated builder, whose argument after ``self`` is the
    command's name, the method that sends ``command``; its name and docstring
    are the builder's."""

    def decorate(
        build: Callable[Concatenate[_S, str, _P], ResponseT],
    ) -> Callable[Concatenate[_S, _P], ResponseT]:
        return _sending(build, command)

    return decorate


def twin(
    method: Callable[Concatenate[_S, _P], ResponseT],
    name: str,
    command: str,
    doc: str,
) -> Callable[Concatenate[_S, _P], ResponseT]:
    """The method ``name`` that builds what the :func:`sends` method ``method``
    builds and sends it as ``command``, documented by ``doc``."""
    return _sending(inspect.unwrap(method), command, name, doc)


def _sending(
    build: Callable[Concatenate[_S, str, _P], ResponseT],
    command: str,
    name: str | None = None,
    doc: str | None = None,
) -> Callable[Concatenate[_S, _P], ResponseT]:
    def method(self: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> ResponseT:
        return build(self, command, *args, **kwargs)

    # The builder's name, docstring and module; __wrapped__ lets twin() find
    # the builder again.
    functools.update_wrapper(method, build)
    if name is not None:
        method.__name__ = name
        method.__qualname__ = f"{build.__qualname__.rpartition('.')[0]}.{name}"
    if doc is not None:
        method.__doc__ = doc
    # The public signature: the builder's without the command's name. Set
    # through __dict__ (typeshed's function type has no __signature__); it
    # also stops inspect from following __wrapped__ to the builder.
    signature = inspect.signature(build)
    self_parameter, command_parameter, *parameters = signature.parameters.values()
    method.__dict__["__signature__"] = signature.replace(
        parameters=[self_parameter, *parameters]
    )
    method.__annotations__ = {
        parameter: annotation
        for parameter, annotation in build.__annotations__.items()
        if parameter != command_parameter.name
    }
    return method
