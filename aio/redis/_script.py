"""Lua scripts run by SHA1 (EVALSHA), loaded on demand."""

from __future__ import annotations

import hashlib
import inspect
from typing import TYPE_CHECKING, Any

from aio.redis.exceptions import NoScriptError

if TYPE_CHECKING:
    from aio.redis._core import RedisCore

__all__ = ("Script",)


class Script:
    """A Lua script bound to a client; calling it runs it with EVALSHA.

    ``await script(keys=[...], args=[...])`` sends EVALSHA; when the server does not
    know the script (``NOSCRIPT``: first use, ``SCRIPT FLUSH``, a restart) it is
    loaded with SCRIPT LOAD and run again. Called with a pipeline as ``client``, the
    call is queued and the pipeline loads missing scripts before it executes.
    """

    def __init__(self, registered_client: RedisCore, script: str | bytes) -> None:
        self.registered_client = registered_client
        self.script = script
        if isinstance(script, str):
            encoding, errors, _ = registered_client.get_encoder()
            data = script.encode(encoding, errors)
        else:
            data = bytes(script)
        self.sha = hashlib.sha1(data).hexdigest()

    def __repr__(self) -> str:
        return f"<Script sha={self.sha}>"

    async def __call__(
        self,
        keys: list[Any] | tuple[Any, ...] | None = None,
        args: list[Any] | tuple[Any, ...] | None = None,
        client: RedisCore | None = None,
    ) -> Any:
        """Run the script.

        :param keys: the KEYS of the script.
        :param args: the ARGV of the script.
        :param client: run on this client or pipeline instead of the registered one.
        """
        keys = list(keys or ())
        argv = [*keys, *(args or ())]
        target = client if client is not None else self.registered_client
        from aio.redis._cluster_pipeline import ClusterPipeline
        from aio.redis._pipeline import PipelineCore

        if isinstance(target, PipelineCore | ClusterPipeline):
            # The pipeline loads its scripts before it sends them.
            target.scripts.add(self)
            queued: Any = target.execute_command(
                "EVALSHA", self.sha, len(keys), *argv, keys=keys
            )
            if queued is target or not inspect.isawaitable(queued):
                return queued
            # Run at once (between WATCH and MULTI), on the WATCHing connection:
            # on NOSCRIPT, SCRIPT LOAD goes there too, as redis-py does.
            try:
                return await queued
            except NoScriptError:
                return await self._load_and_run(target, keys, argv)
        try:
            return await target.execute_command(
                "EVALSHA", self.sha, len(keys), *argv, keys=keys
            )
        except NoScriptError:
            return await self._load_and_run(target, keys, argv)

    async def _load_and_run(self, target: Any, keys: list[Any], argv: list[Any]) -> Any:
        # The server lost the script: load it (the SHA1 cannot change) and retry.
        sha = await target.execute_command("SCRIPT LOAD", self.script)
        self.sha = sha.decode() if isinstance(sha, bytes) else sha
        return await target.execute_command(
            "EVALSHA", self.sha, len(keys), *argv, keys=keys
        )
