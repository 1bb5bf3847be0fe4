"""The RedisJSON command builders: redis-py's ``JSONCommands``, word for word.

Each method encodes its JSON arguments with ``self._encode`` (the encoder given
to ``r.json(encoder=...)``), builds the command as redis-py sends it and hands it
to ``execute_command``: an awaitable of the converted reply on a client, the
pipeline itself on a pipeline (see :mod:`aio.redis.commands._base`). Encoding
happens when the method is called, so an object the encoder refuses raises
``TypeError`` at once, before anything is awaited or queued.

``path`` arguments are sent as ``str(path)``: a string or a
:class:`~aio.redis.commands.json.path.Path`. JSON values (``obj``, ``*args``,
``scalar``) are ``Any``: whatever the encoder takes.
"""

from __future__ import annotations

import enum
import json
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from aio.engine import to_thread
from aio.redis._types import KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands.json.path import ROOT_PATH, Path
from aio.redis.exceptions import DataError

__all__ = ("Encoder", "FPHAType", "JSONCommands", "PathT")

#: A JSON path argument: text, or a :class:`Path`.
PathT = str | Path


class Encoder(Protocol):
    """What ``r.json(encoder=...)`` takes: ``json.JSONEncoder`` or alike."""

    def encode(self, o: Any, /) -> str:
        """The JSON text of ``o``."""
        ...


class FPHAType(enum.StrEnum):
    """``JSON.SET``'s ``FPHA`` option: the float type RedisJSON (8.7+) stores
    homogeneous float arrays with."""

    BF16 = "BF16"
    FP16 = "FP16"
    FP32 = "FP32"
    FP64 = "FP64"

    @classmethod
    def from_value(cls, value: FPHAType | str) -> FPHAType:
        """The member for ``value``, a member or its name in any case.

        :raises DataError: ``value`` names no float type.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls(value.upper())
            except ValueError:
                pass
        raise DataError(
            f"Invalid FPHA type: {value}. "
            f"Must be one of {', '.join(t.value for t in cls)}"
        )


def _decode_keys(obj: Any) -> Any:
    # ``decode_keys=True``: bytes keys of the top-level mapping become UTF-8 str
    # (the encoder refuses bytes keys), moved to the end as redis-py moves them,
    # so the JSON text sent is the same; a copy, the caller's object is untouched.
    if not isinstance(obj, Mapping):
        return obj
    out = dict(obj)
    for key in obj:
        if isinstance(key, bytes):
            out[key.decode("utf-8")] = out.pop(key)
    return out


def _read_json_file(file_name: str) -> Any:
    with open(file_name, encoding="utf-8") as fp:
        return json.load(fp)


def _json_files(root_folder: str) -> list[str]:
    return [
        os.path.join(root, name)
        for root, _dirs, files in os.walk(root_folder)
        for name in files
    ]


def _deprecated(name: str, why: str) -> None:
    warnings.warn(f"{name}() is deprecated: {why}", DeprecationWarning, stacklevel=3)


class JSONCommands(CommandsBase):
    """The ``JSON.*`` commands, with redis-py's method names, arguments and
    results (mixed into :class:`~aio.redis.commands.json.JSON` and the JSON
    pipeline)."""

    # Set by the classes that mix this in.
    _encoder: Encoder

    def _encode(self, obj: Any) -> str:
        """``obj`` as JSON text, with this object's encoder."""
        return self._encoder.encode(obj)

    def arrappend(
        self, name: KeyT, path: PathT | None = ROOT_PATH, *args: Any
    ) -> ResponseT:
        """Append the JSON values ``args`` to the array at ``path`` (JSON.ARRAPPEND).

        :returns: the new length (a list of them, None where no array, for a
            JSONPath).
        """
        pieces = [name, str(path), *(self._encode(o) for o in args)]
        return self.execute_command("JSON.ARRAPPEND", *pieces)

    def arrindex(
        self,
        name: KeyT,
        path: PathT,
        scalar: Any,
        start: int | None = None,
        stop: int | None = None,
    ) -> ResponseT:
        """The index of ``scalar`` in the array at ``path``, -1 if absent
        (JSON.ARRINDEX); ``start`` inclusive, ``stop`` exclusive (given only
        with ``start``)."""
        pieces: list[Any] = [name, str(path), self._encode(scalar)]
        if start is not None:
            pieces.append(start)
            if stop is not None:
                pieces.append(stop)
        return self.execute_command("JSON.ARRINDEX", *pieces, keys=[name])

    def arrinsert(
        self, name: KeyT, path: PathT, index: int | str, *args: Any
    ) -> ResponseT:
        """Insert the JSON values ``args`` before ``index`` in the array at
        ``path`` (JSON.ARRINSERT); returns the new length(s)."""
        pieces = [name, str(path), index, *(self._encode(o) for o in args)]
        return self.execute_command("JSON.ARRINSERT", *pieces)

    def arrlen(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """The length of the array at ``path`` (JSON.ARRLEN); None for a missing
        key with a legacy path."""
        return self.execute_command("JSON.ARRLEN", name, str(path), keys=[name])

    def arrpop(
        self,
        name: KeyT,
        path: PathT | None = ROOT_PATH,
        index: int | str | None = -1,
    ) -> ResponseT:
        """Remove and return the element at ``index`` of the array at ``path``
        (JSON.ARRPOP): decoded for a legacy path, JSON text per match for a
        JSONPath (as redis-py)."""
        return self.execute_command("JSON.ARRPOP", name, str(path), index)

    def arrtrim(
        self, name: KeyT, path: PathT, start: int | str, stop: int | str
    ) -> ResponseT:
        """Trim the array at ``path`` to ``start``..``stop`` inclusive
        (JSON.ARRTRIM); returns the new length(s)."""
        return self.execute_command("JSON.ARRTRIM", name, str(path), start, stop)

    def type(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """The JSON type name(s) of the value(s) at ``path`` (JSON.TYPE)."""
        return self.execute_command("JSON.TYPE", name, str(path), keys=[name])

    def resp(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """The value at ``path`` in RESP form (JSON.RESP): objects as
        ``["{", key, value, ...]``, arrays as ``["[", ...]``, floats as text."""
        return self.execute_command("JSON.RESP", name, str(path), keys=[name])

    def objkeys(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """The keys of the object at ``path`` (JSON.OBJKEYS)."""
        return self.execute_command("JSON.OBJKEYS", name, str(path), keys=[name])

    def objlen(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """The number of keys of the object at ``path`` (JSON.OBJLEN)."""
        return self.execute_command("JSON.OBJLEN", name, str(path), keys=[name])

    def numincrby(self, name: KeyT, path: PathT, number: int | float) -> ResponseT:
        """Add ``number`` to the number at ``path`` (JSON.NUMINCRBY); returns the
        new value (a list for a JSONPath)."""
        text = str(path)
        return self.execute_command(
            "JSON.NUMINCRBY", name, text, self._encode(number), _json_path=text
        )

    def nummultby(self, name: KeyT, path: PathT, number: int | float) -> ResponseT:
        """Multiply the number at ``path`` by ``number`` (JSON.NUMMULTBY).

        .. deprecated:: RedisJSON deprecated the command: a DeprecationWarning,
           as in redis-py.
        """
        _deprecated("nummultby", "RedisJSON deprecated JSON.NUMMULTBY")
        text = str(path)
        return self.execute_command(
            "JSON.NUMMULTBY", name, text, self._encode(number), _json_path=text
        )

    def clear(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """Empty the arrays and objects at ``path``, zero the numbers
        (JSON.CLEAR); returns how many values were cleared."""
        return self.execute_command("JSON.CLEAR", name, str(path))

    def delete(self, key: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """Delete the value(s) at ``path`` (JSON.DEL; the root deletes the key);
        returns how many were deleted."""
        return self.execute_command("JSON.DEL", key, str(path))

    def forget(self, key: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """Same as :meth:`delete` (redis-py's alias: it sends JSON.DEL)."""
        return self.delete(key, path)

    def get(
        self, name: KeyT, *args: PathT, no_escape: bool | None = False
    ) -> ResponseT:
        """The value at the root, or at the paths ``args`` (JSON.GET), decoded.

        One legacy path gives its value, one JSONPath a list of matches, several
        paths a dict keyed by path. A missing key gives None.

        :param no_escape: send ``NOESCAPE`` (non-ASCII text unescaped).
        """
        pieces: list[Any] = [name]
        if no_escape:
            pieces.append("noescape")
        if args:
            pieces.extend(str(p) for p in args)
        else:
            pieces.append(ROOT_PATH)
        return self.execute_command("JSON.GET", *pieces, keys=[name])

    def mget(self, keys: Sequence[KeyT | int], path: PathT) -> ResponseT:
        """The value at ``path`` in each of ``keys`` (JSON.MGET); None for a
        missing key."""
        names = list(keys)
        return self.execute_command("JSON.MGET", *names, str(path), keys=names)

    def set(
        self,
        name: KeyT,
        path: PathT,
        obj: Any,
        nx: bool | None = False,
        xx: bool | None = False,
        decode_keys: bool | None = False,
        fpha: FPHAType | str | None = None,
    ) -> ResponseT:
        """Set the value at ``path`` to ``obj`` (JSON.SET).

        :param nx: only if nothing is there yet; ``xx``: only if something is.
        :param decode_keys: decode the ``bytes`` keys of ``obj`` (top level) as
            UTF-8 first.
        :param fpha: ``FPHA`` float type for homogeneous float arrays (RedisJSON
            8.7+), an :class:`FPHAType` or its name in any case.
        :returns: True, or None when ``nx``/``xx`` prevented it.
        :raises DataError: both ``nx`` and ``xx``, or an unknown ``fpha``.
        :raises TypeError: the encoder refuses ``obj`` (raised at the call).
        """
        if decode_keys:
            obj = _decode_keys(obj)
        pieces: list[Any] = [name, str(path), self._encode(obj)]
        if nx and xx:
            raise DataError(
                "nx and xx are mutually exclusive: use one, the other or "
                "neither - but not both"
            )
        if nx:
            pieces.append("NX")
        elif xx:
            pieces.append("XX")
        if fpha is not None:
            pieces += ["FPHA", FPHAType.from_value(fpha).value]
        return self.execute_command("JSON.SET", *pieces)

    def mset(self, triplets: Iterable[tuple[KeyT, PathT, Any]]) -> ResponseT:
        """Set several values, ``(key, path, obj)`` each, atomically (JSON.MSET)."""
        pieces: list[Any] = []
        for key, path, obj in triplets:
            pieces += [key, str(path), self._encode(obj)]
        return self.execute_command("JSON.MSET", *pieces)

    def merge(
        self, name: KeyT, path: PathT, obj: Any, decode_keys: bool | None = False
    ) -> ResponseT:
        """Merge ``obj`` into the value(s) at ``path`` (JSON.MERGE, RFC 7396:
        a null deletes a member)."""
        if decode_keys:
            obj = _decode_keys(obj)
        return self.execute_command("JSON.MERGE", name, str(path), self._encode(obj))

    def strlen(self, name: KeyT, path: PathT | None = None) -> ResponseT:
        """The length of the string at ``path`` (the root if None) (JSON.STRLEN)."""
        pieces: list[Any] = [name]
        if path is not None:
            pieces.append(str(path))
        return self.execute_command("JSON.STRLEN", *pieces, keys=[name])

    def toggle(self, name: KeyT, path: PathT | None = ROOT_PATH) -> ResponseT:
        """Flip the boolean at ``path`` (JSON.TOGGLE); returns the new value
        (1/0 per match, None for a non-boolean, with a JSONPath)."""
        return self.execute_command("JSON.TOGGLE", name, str(path))

    def strappend(
        self, name: KeyT, value: str, path: PathT | None = ROOT_PATH
    ) -> ResponseT:
        """Append ``value`` to the string at ``path`` (JSON.STRAPPEND); returns
        the new length(s)."""
        return self.execute_command(
            "JSON.STRAPPEND", name, str(path), self._encode(value)
        )

    def debug(
        self,
        subcommand: str,
        key: KeyT | None = None,
        path: PathT | None = ROOT_PATH,
    ) -> ResponseT:
        """``JSON.DEBUG MEMORY key path`` (bytes used by the value) or
        ``JSON.DEBUG HELP``.

        :raises DataError: another subcommand, or MEMORY without a key.
        """
        if subcommand not in ("MEMORY", "HELP"):
            raise DataError(
                f"JSON.DEBUG: the only valid subcommands are MEMORY and HELP, "
                f"not {subcommand!r}"
            )
        pieces: list[Any] = [subcommand]
        if subcommand == "MEMORY":
            if key is None:
                raise DataError("JSON.DEBUG MEMORY: no key specified")
            pieces += [key, str(path)]
        return self.execute_command("JSON.DEBUG", *pieces)

    def jsonget(self, *args: Any, **kwargs: Any) -> ResponseT:
        """Deprecated alias of :meth:`get` (redisjson-py's name)."""
        _deprecated("jsonget", "call get()")
        return self.get(*args, **kwargs)

    def jsonmget(self, *args: Any, **kwargs: Any) -> ResponseT:
        """Deprecated alias of :meth:`mget` (redisjson-py's name)."""
        _deprecated("jsonmget", "call mget()")
        return self.mget(*args, **kwargs)

    def jsonset(self, *args: Any, **kwargs: Any) -> ResponseT:
        """Deprecated alias of :meth:`set` (redisjson-py's name)."""
        _deprecated("jsonset", "call set()")
        return self.set(*args, **kwargs)

    async def set_file(
        self,
        name: KeyT,
        path: PathT,
        file_name: str,
        nx: bool | None = False,
        xx: bool | None = False,
        decode_keys: bool | None = False,
        fpha: FPHAType | str | None = None,
    ) -> Any:
        """:meth:`set` the value at ``path`` to the JSON document in the file
        ``file_name`` (read in a worker thread).

        :raises json.JSONDecodeError: the file is not JSON (nothing is sent).
        :returns: as :meth:`set` (on a pipeline: the pipeline, command queued).
        """
        obj = await to_thread(_read_json_file, file_name)
        return await self.set(
            name, path, obj, nx=nx, xx=xx, decode_keys=decode_keys, fpha=fpha
        )

    async def set_path(
        self,
        json_path: PathT,
        root_folder: str,
        nx: bool | None = False,
        xx: bool | None = False,
        decode_keys: bool | None = False,
        fpha: FPHAType | str | None = None,
    ) -> dict[str, bool]:
        """:meth:`set_file` every file under ``root_folder`` (recursively), each
        to the key named by the file's path without its extension.

        Differs from redis-py, which cuts the path at its first dot (a dotted
        directory name shortens the key): the extension only is dropped.

        :returns: file path -> True, or False for a file that is not JSON.
        """
        results: dict[str, bool] = {}
        for file_path in await to_thread(_json_files, root_folder):
            key = os.path.splitext(file_path)[0]
            try:
                await self.set_file(
                    key,
                    json_path,
                    file_path,
                    nx=nx,
                    xx=xx,
                    decode_keys=decode_keys,
                    fpha=fpha,
                )
            except json.JSONDecodeError:
                results[file_path] = False
            else:
                results[file_path] = True
        return results
