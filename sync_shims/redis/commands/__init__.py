"""redis-py's ``redis.commands`` package, as far as the facade has it: the
RedisJSON commands in :mod:`sync_shims.redis.commands.json`."""

__all__ = ()
