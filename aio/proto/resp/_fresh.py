"""A new ``bytes`` object that a socket can receive into, before anyone sees it.

Theory of operation
-------------------
A large bulk reply (a 1 MB ``GET``) ends up as one ``bytes`` object. Received into
a ``bytearray`` first, it costs one more pass over the megabyte to copy it out,
about as much as the kernel's own copy of it. CPython's ``socket.recv(n)`` avoids
that in C: it allocates ``bytes`` of ``n`` uninitialised bytes
(``PyBytes_FromStringAndSize(NULL, n)``, the documented way to build a bytes
object in place) and receives straight into it. :func:`fresh_bytes` does the same
for a reader that receives into a buffer (``asyncio.BufferedProtocol``): it returns
the new object and a writable view of its contents.

Invariants that keep this sound:

* The object is brand new and only the parser refers to it until every byte has
  been written, so no one can observe it change: its hash is not computed yet,
  nothing else holds it, and it is handed out only when complete.
* The view keeps the object alive (the ctypes array it is made from holds a
  reference), so a view that outlives the parser's state never points at freed
  memory.
* Only for lengths of at least 2: CPython shares the empty and one-byte objects.

Where this is unavailable (an interpreter without ``ctypes.pythonapi``: PyPy, a
build without ctypes) :func:`fresh_bytes` returns ``None`` and the caller falls
back to receiving into its own buffer and copying once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ("fresh_bytes",)


def _build() -> Callable[[int], tuple[bytes, memoryview]] | None:
    if sys.implementation.name != "cpython":
        return None
    try:
        import ctypes
    except ImportError:  # pragma: no cover - CPython built without ctypes
        return None
    api = ctypes.pythonapi
    new = api.PyBytes_FromStringAndSize
    new.restype = ctypes.py_object
    new.argtypes = (ctypes.c_char_p, ctypes.c_ssize_t)
    contents = api.PyBytes_AsString
    contents.restype = ctypes.c_void_p
    contents.argtypes = (ctypes.py_object,)

    def fresh(length: int) -> tuple[bytes, memoryview]:
        obj = new(None, length)
        if type(obj) is not bytes or len(obj) != length:  # pragma: no cover
            raise MemoryError(f"cannot allocate a bytes object of {length} bytes")
        array = (ctypes.c_ubyte * length).from_address(contents(obj))
        # from_address does not own the memory: the array keeps the object alive.
        array._aio_owner = obj  # type: ignore[attr-defined]
        return obj, memoryview(array).cast("B")

    return fresh


_fresh = _build()


def fresh_bytes(length: int) -> tuple[bytes, memoryview] | None:
    """A new ``bytes`` of ``length`` (at least 2) unset bytes and a view to fill it.

    The caller must write every byte through the view before letting anyone else
    see the object. ``None`` where the interpreter offers no way to do this.
    """
    if _fresh is None or length < 2:
        return None
    return _fresh(length)
