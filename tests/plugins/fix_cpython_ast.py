"""Serialise ``ast.parse`` across threads during the test run (CPython 3.11 bug).

CPython 3.11 keeps the AST constructor's recursion depth in state shared by all
threads (cpython gh-106905). When two threads build ASTs at once -- pytest
formatting a report or rewriting an import on the main thread while the
engine's loop thread formats a traceback (3.11's tracebacks parse the source
line for their ``^^^`` markers) -- the count goes wrong and ``ast.parse`` raises
``SystemError: AST constructor recursion depth mismatch``, which pytest reports
as an INTERNALERROR that ends the whole session. Our code has no part in it;
the tests do use threads on purpose (blocking facades, the engine's loop).

This plugin wraps ``ast.parse`` in one re-entrant lock, with the cyclic garbage
collector paused inside (a finalizer run by a collection in the middle of a
conversion could parse again on the same thread). It changes nothing but timing.
"""

from __future__ import annotations

import ast
import gc
import sys
import threading
from typing import Any

_LOCK = threading.RLock()
_original_parse = ast.parse


def _serialised_parse(*args: Any, **kwargs: Any) -> Any:
    with _LOCK:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return _original_parse(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()


if sys.version_info < (3, 12):
    ast.parse = _serialised_parse
