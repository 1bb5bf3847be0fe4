"""``Path``: a JSON path as redis-py's ``redis.commands.json.path.Path`` spells it.

The JSON commands send ``str(path)``, so a plain string works as well: ``"."``
and ``".a.b"`` are RedisJSON's legacy paths (one value, scalar replies), ``"$"``
and ``"$..a"`` JSONPath (every match, replies in lists).
"""

from __future__ import annotations

__all__ = ("ROOT_PATH", "Path")

#: The legacy root path, every command's default.
ROOT_PATH = "."


class Path:
    """A path in a JSON document, sent as the string it was made from.

    :param path: the path text (``".a.b"``, ``"$..a"``).
    """

    #: The path text (redis-py's attribute name).
    strPath: str = ""

    def __init__(self, path: str) -> None:
        self.strPath = path

    @staticmethod
    def root_path() -> str:
        """The root of the document in the legacy syntax: ``"."``."""
        return ROOT_PATH

    def __str__(self) -> str:
        return self.strPath

    def __repr__(self) -> str:
        # redis-py's repr is the bare path (some callers format paths with %r).
        return self.strPath
