"""Watching source files for ``--reload``.

:class:`ChangeWatcher` answers "did a watched file change since the last call?"
without blocking, so the supervisor can ask it from its monitor loop. By default it
polls ``os.stat`` mtimes (cheap enough for a source tree every 0.25-1 s, and needs
nothing installed). When :mod:`watchfiles` is importable it is used instead: a daemon
thread blocks in ``watchfiles.watch`` and records changes, and ``wake`` is called so
the supervisor's loop does not wait for its next tick.
"""

from __future__ import annotations

import fnmatch
import importlib
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator

__all__ = ("ChangeWatcher",)

logger = logging.getLogger("aio.server.reload")

_SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules", ".mypy_cache"}


class ChangeWatcher:
    """Detect changes of files matching ``patterns`` under ``dirs``.

    :param dirs: the directories to watch (the current directory when empty).
    :param patterns: glob patterns of the file names that count.
    :param excludes: glob patterns (of a file name, or of its full path) that do
        not count even when ``patterns`` match, as uvicorn's ``--reload-exclude``.
    :param use_watchfiles: use :mod:`watchfiles` when it is importable.
    :param wake: called (from the watcher thread) when watchfiles saw a change.
    """

    def __init__(
        self,
        dirs: Iterable[str],
        patterns: Iterable[str] = ("*.py",),
        *,
        excludes: Iterable[str] = (),
        use_watchfiles: bool = True,
        wake: Callable[[], None] | None = None,
    ) -> None:
        self.dirs = [os.path.abspath(d) for d in dirs] or [os.getcwd()]
        self.patterns = tuple(patterns)
        self.excludes = tuple(excludes)
        self._wake = wake
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._mtimes: dict[str, float] = {}
        watchfiles = None
        if use_watchfiles:
            try:
                watchfiles = importlib.import_module("watchfiles")
            except ImportError:
                watchfiles = None
        if watchfiles is not None:
            self._thread = threading.Thread(
                target=self._watch, args=(watchfiles,), daemon=True
            )
            self._thread.start()
        else:
            self._mtimes = dict(self._scan())

    @property
    def backend(self) -> str:
        """``"watchfiles"`` or ``"stat"``."""
        return "watchfiles" if self._thread is not None else "stat"

    def _matches(self, path: str) -> bool:
        name = os.path.basename(path)
        if any(
            fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern)
            for pattern in self.excludes
        ):
            return False
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.patterns)

    def _scan(self) -> Iterator[tuple[str, float]]:
        for root in self.dirs:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    if self._matches(path):
                        try:
                            yield path, os.stat(path).st_mtime
                        except OSError:
                            continue  # removed while we walked

    def _watch(self, watchfiles: object) -> None:
        watch = getattr(watchfiles, "watch")  # noqa: B009  # untyped optional module
        for changes in watch(*self.dirs, stop_event=self._stop):
            paths = {path for _, path in changes if self._matches(path)}
            if paths:
                with self._lock:
                    self._changed |= paths
                if self._wake is not None:
                    self._wake()

    def changes(self) -> list[str]:
        """The files that changed since the previous call (empty: none)."""
        if self._thread is not None:
            with self._lock:
                changed, self._changed = self._changed, set()
            return sorted(changed)
        current = dict(self._scan())
        changed = {
            path for path, mtime in current.items() if self._mtimes.get(path) != mtime
        }
        changed |= self._mtimes.keys() - current.keys()
        self._mtimes = current
        return sorted(changed)

    def close(self) -> None:
        """Stop the watchfiles thread, if any."""
        self._stop.set()
