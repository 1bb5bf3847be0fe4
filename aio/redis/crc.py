"""redis-py's ``redis.crc``: the Redis Cluster slot of a key.

A cluster spreads its key space over :data:`REDIS_CLUSTER_HASH_SLOTS` (16384)
slots; :func:`key_slot` says which one a key lives in, so that code can group
keys by slot (or by node) before sending multi-key commands::

    >>> key_slot(b"user:{42}:name") == key_slot(b"{42}")
    True

The algorithm is the one the cluster client routes with
(:mod:`aio.redis._cluster_slots`); this module gives it redis-py's contract:
:func:`key_slot` takes the key's bytes, as the client encodes them
(``str`` keys are UTF-8, numbers their ``repr``), and refuses anything else with
the error class redis-py's raises (``TypeError`` for ``str``,
``AttributeError`` for other objects). Where aio differs: a ``memoryview`` is
taken as bytes (redis-py's raises ``AttributeError`` though its annotation names
it). :func:`crc16` is aio's addition: the checksum itself, equal to
``binascii.crc_hqx(data, 0)``.

.. versionadded:: 0.1
"""

from __future__ import annotations

from aio.redis._cluster_slots import REDIS_CLUSTER_HASH_SLOTS
from aio.redis._cluster_slots import crc16 as _crc16
from aio.redis._cluster_slots import key_slot as _key_slot
from aio.redis._types import EncodedT

__all__ = ("REDIS_CLUSTER_HASH_SLOTS", "crc16", "key_slot")


def crc16(data: EncodedT) -> int:
    """CRC16/XMODEM of ``data`` (polynomial 0x1021, initial value 0): the
    checksum a cluster hashes keys with.

    :param data: any bytes-like object.
    :raises TypeError: ``data`` is not bytes-like.
    :returns: an int in ``range(65536)``.

    .. versionadded:: 0.1
    """
    # memoryview() refuses what is not a buffer (str included) with TypeError.
    return _crc16(memoryview(data).tobytes())


def key_slot(key: EncodedT, bucket: int = REDIS_CLUSTER_HASH_SLOTS) -> int:
    """The cluster slot of ``key``: :func:`crc16` of the key, or of its hash tag
    (the part between the first ``{`` and the next ``}``, when not empty),
    modulo ``bucket``.

    :param key: the key as bytes (``bytes``, ``bytearray``, ``memoryview``).
    :param bucket: the number of slots.
    :raises TypeError: ``key`` is a ``str`` (encode it first).
    :raises AttributeError: ``key`` is neither bytes-like nor a ``str``.
    :returns: ``crc16(...) % bucket``.

    .. versionadded:: 0.1
    """
    if isinstance(key, str):
        raise TypeError("key_slot() takes the key's bytes, not str: encode it first")
    if not isinstance(key, bytes | bytearray | memoryview):
        # redis-py's raises AttributeError here (it calls key.find).
        raise AttributeError(
            f"key_slot() takes the key's bytes, not {type(key).__name__}"
        )
    return _key_slot(memoryview(key).tobytes(), bucket)
