"""Pub/sub commands that are ordinary requests: PUBLISH and PUBSUB introspection.

Subscribing needs a dedicated connection and belongs to ``Redis.pubsub()``.
"""

from __future__ import annotations

from typing import Any

from aio.redis._types import ChannelT, EncodableT, PatternT, ResponseT
from aio.redis.commands._base import CommandsBase

__all__ = ("PubSubCommands",)


class PubSubCommands(CommandsBase):
    """Pub/sub commands, with redis-py's method names and return values."""

    def publish(
        self, channel: ChannelT, message: EncodableT, **kwargs: Any
    ) -> ResponseT:
        """Publish ``message``; returns how many subscribers received it."""
        return self.execute_command("PUBLISH", channel, message, **kwargs)

    def spublish(self, shard_channel: ChannelT, message: EncodableT) -> ResponseT:
        """Publish to a shard channel (Redis 7+)."""
        return self.execute_command("SPUBLISH", shard_channel, message)

    def pubsub_channels(self, pattern: PatternT = "*", **kwargs: Any) -> ResponseT:
        """Channels with at least one subscriber, matching ``pattern``."""
        return self.execute_command("PUBSUB CHANNELS", pattern, **kwargs)

    def pubsub_shardchannels(self, pattern: PatternT = "*", **kwargs: Any) -> ResponseT:
        """Active shard channels matching ``pattern`` (Redis 7+)."""
        return self.execute_command("PUBSUB SHARDCHANNELS", pattern, **kwargs)

    def pubsub_numpat(self, **kwargs: Any) -> ResponseT:
        """The number of pattern subscriptions."""
        return self.execute_command("PUBSUB NUMPAT", **kwargs)

    def pubsub_numsub(self, *args: ChannelT, **kwargs: Any) -> ResponseT:
        """Subscriber counts: ``[(channel, count), ...]``."""
        return self.execute_command("PUBSUB NUMSUB", *args, **kwargs)

    def pubsub_shardnumsub(self, *args: ChannelT, **kwargs: Any) -> ResponseT:
        """Shard channel subscriber counts: ``[(channel, count), ...]``."""
        return self.execute_command("PUBSUB SHARDNUMSUB", *args, **kwargs)
