"""Loading the application: ``"module:attr"`` strings, factories, ASGI2 detection."""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any, cast

from aio.server._types import ASGI2App, ASGIApp, Receive, Scope, Send
from aio.server._wsgi_adapter import WSGIAdapter


class ImportFromStringError(ImportError):
    """The ``module:attr`` string could not be resolved to an object."""


def import_from_string(import_str: str) -> Any:
    """Import ``"package.module:attr.sub"`` and return the attribute.

    :raises ImportFromStringError: when the string is malformed, the module cannot be
        imported, or the attribute does not exist.
    """
    module_str, _, attrs_str = import_str.partition(":")
    if not module_str or not attrs_str:
        raise ImportFromStringError(
            f'Import string "{import_str}" must be in format "<module>:<attribute>".'
        )
    try:
        module = importlib.import_module(module_str)
    except ModuleNotFoundError as exc:
        if exc.name != module_str:
            raise  # an import inside the user's module failed: show the real error
        raise ImportFromStringError(f'Could not import module "{module_str}".') from exc
    instance: Any = module
    try:
        for attr in attrs_str.split("."):
            instance = getattr(instance, attr)
    except AttributeError as exc:
        raise ImportFromStringError(
            f'Attribute "{attrs_str}" not found in module "{module_str}".'
        ) from exc
    return instance


def is_asgi3(app: object) -> bool:
    """Guess whether ``app`` is an ASGI3 callable (``(scope, receive, send)``).

    ASGI2 apps are classes instantiated with the scope, or callables taking one
    argument; anything whose call is a coroutine function counts as ASGI3.
    """
    if inspect.isclass(app):
        return hasattr(app, "__await__")
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(app, "__call__", None)  # noqa: B004 - want the bound method
    return inspect.iscoroutinefunction(call)


class ASGI2Middleware:
    """Present an ASGI2 (double-callable) application as ASGI3."""

    def __init__(self, app: ASGI2App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        instance = self.app(scope)
        await instance(receive, send)


INTERFACES = ("auto", "asgi3", "asgi2", "wsgi")


def load_app(
    app: Any,
    *,
    factory: bool = False,
    app_dir: str | None = None,
    interface: str = "auto",
    multiprocess: bool = False,
) -> ASGIApp:
    """Resolve ``app`` (an object or an import string) to an ASGI3 callable.

    :param factory: call the resolved object with no arguments to get the app.
    :param app_dir: put this directory first on ``sys.path`` before importing.
    :param interface: ``"auto"`` (detect ASGI2 or ASGI3), ``"asgi3"``, ``"asgi2"``
        or ``"wsgi"`` (run a PEP 3333 app on a thread pool), as uvicorn's
        ``--interface``.
    :param multiprocess: a WSGI app's ``wsgi.multiprocess`` (several workers).
    """
    if interface not in INTERFACES:
        raise ValueError(
            f"interface must be one of {', '.join(INTERFACES)}, got {interface!r}"
        )
    if app_dir is not None and app_dir not in sys.path:
        sys.path.insert(0, app_dir)
    loaded = import_from_string(app) if isinstance(app, str) else app
    if factory:
        loaded = loaded()
    if not callable(loaded):
        raise ImportFromStringError(f"{loaded!r} is not callable: not an ASGI app")
    if interface == "wsgi":
        return cast(ASGIApp, WSGIAdapter(loaded, multiprocess=multiprocess))
    if interface == "asgi2" or (interface == "auto" and not is_asgi3(loaded)):
        return ASGI2Middleware(cast(ASGI2App, loaded))
    return cast(ASGIApp, loaded)
