"""XXH3-64 (seed 0, default secret) in pure Python, for ``digest_local``.

Redis 8.4's ``DIGEST key`` answers the XXH3 64-bit hash of a string value as 16
hex digits, and ``SET``/``DELEX`` accept such a digest in ``IFDEQ``/``IFDNE``.
redis-py computes it locally with the optional ``xxhash`` C extension; aio keeps
anyio as its only dependency, so the hash is written out here, following the
published XXH3 specification (xxHash 0.8): inputs of up to 240 bytes take one of
four short paths, longer ones run the striped accumulator. Values used as
compare-and-set guards are small; a 1 MiB value takes a fraction of a second.

All arithmetic is modulo 2**64 (``_M``): Python integers do not wrap by
themselves.
"""

from __future__ import annotations

import struct

__all__ = ("xxh3_64", "xxh3_64_hexdigest")

_M = (1 << 64) - 1

_P32_1 = 0x9E3779B1
_P32_2 = 0x85EBCA77
_P32_3 = 0xC2B2AE3D
_P64_1 = 0x9E3779B185EBCA87
_P64_2 = 0xC2B2AE3D27D4EB4F
_P64_3 = 0x165667B19E3779F9
_P64_4 = 0x85EBCA77C2B2AE63
_P64_5 = 0x27D4EB2F165667C5
_MX1 = 0x165667919E3779F9
_MX2 = 0x9FB21C651E98DF25

# The 192-byte default secret ("kSecret") every XXH3 implementation shares.
_SECRET = bytes.fromhex(
    "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
    "cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c"
    "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8"
    "a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364"
    "eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e"
    "2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e"
)
_STRIPE = 64
_STRIPES_PER_BLOCK = (len(_SECRET) - _STRIPE) // 8  # 16: the secret moves 8 bytes
_BLOCK = _STRIPE * _STRIPES_PER_BLOCK


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _u64(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 8], "little")


def _fold(a: int, b: int) -> int:
    """The 128-bit product of two 64-bit words, its halves xor-ed together."""
    product = a * b
    return (product ^ (product >> 64)) & _M


def _avalanche(h: int) -> int:
    h ^= h >> 37
    h = (h * _MX1) & _M
    return h ^ (h >> 32)


def _xxh64_avalanche(h: int) -> int:
    h ^= h >> 33
    h = (h * _P64_2) & _M
    h ^= h >> 29
    h = (h * _P64_3) & _M
    return h ^ (h >> 32)


def _rotl(h: int, bits: int) -> int:
    return ((h << bits) | (h >> (64 - bits))) & _M


def _rrmxmx(h: int, length: int) -> int:
    h ^= _rotl(h, 49) ^ _rotl(h, 24)
    h = (h * _MX2) & _M
    h ^= (h >> 35) + length
    h = (h * _MX2) & _M
    return h ^ (h >> 28)


def _mix16(data: bytes, at: int, secret_at: int) -> int:
    return _fold(
        _u64(data, at) ^ _u64(_SECRET, secret_at),
        _u64(data, at + 8) ^ _u64(_SECRET, secret_at + 8),
    )


def _short(data: bytes) -> int:
    """Inputs of 0 to 16 bytes."""
    n = len(data)
    if n == 0:
        return _xxh64_avalanche(_u64(_SECRET, 56) ^ _u64(_SECRET, 64))
    if n <= 3:
        combined = (data[0] << 16) | (data[n >> 1] << 24) | data[-1] | (n << 8)
        return _xxh64_avalanche(combined ^ (_u32(_SECRET, 0) ^ _u32(_SECRET, 4)))
    if n <= 8:
        word = _u32(data, n - 4) + (_u32(data, 0) << 32)
        return _rrmxmx(word ^ (_u64(_SECRET, 8) ^ _u64(_SECRET, 16)), n)
    low = _u64(data, 0) ^ (_u64(_SECRET, 24) ^ _u64(_SECRET, 32))
    high = _u64(data, n - 8) ^ (_u64(_SECRET, 40) ^ _u64(_SECRET, 48))
    swapped = int.from_bytes(low.to_bytes(8, "little"), "big")
    return _avalanche((n + swapped + high + _fold(low, high)) & _M)


def _medium(data: bytes) -> int:
    """Inputs of 17 to 240 bytes: 16-byte pairs mixed with the secret."""
    n = len(data)
    acc = n * _P64_1
    if n <= 128:
        # Pairs taken from both ends, inwards, as far as the length reaches.
        for step, reached in ((3, 96), (2, 64), (1, 32), (0, 0)):
            if n > reached:
                acc += _mix16(data, 16 * step, 32 * step)
                acc += _mix16(data, n - 16 * (step + 1), 32 * step + 16)
        return _avalanche(acc & _M)
    for i in range(8):
        acc += _mix16(data, 16 * i, 16 * i)
    acc = _avalanche(acc & _M)
    for i in range(8, n // 16):
        acc += _mix16(data, 16 * i, 16 * (i - 8) + 3)
    acc += _mix16(data, n - 16, 136 - 17)
    return _avalanche(acc & _M)


_SECRET_WORDS = struct.unpack("<24Q", _SECRET)
# The key of stripe i of a block is the secret from byte 8*i on.
_STRIPE_KEYS = [_SECRET_WORDS[i : i + 8] for i in range(_STRIPES_PER_BLOCK)]
# The block scramble uses the secret's last 64 bytes.
_SCRAMBLE_KEYS = _SECRET_WORDS[16:24]
# The final stripe's key: the last 64 bytes moved back by 7 (unaligned).
_LAST_KEYS = struct.unpack_from("<8Q", _SECRET, len(_SECRET) - _STRIPE - 7)


def _accumulate(acc: list[int], words: tuple[int, ...], keys: tuple[int, ...]) -> None:
    """Mix one 64-byte stripe (8 words) into the 8 accumulators."""
    for lane in range(8):
        value = words[lane]
        key = value ^ keys[lane]
        acc[lane ^ 1] = (acc[lane ^ 1] + value) & _M
        acc[lane] = (acc[lane] + (key & 0xFFFFFFFF) * (key >> 32)) & _M


def _long(data: bytes) -> int:
    """Inputs over 240 bytes: the striped accumulator, scrambled per block."""
    n = len(data)
    acc = [_P32_3, _P64_1, _P64_2, _P64_3, _P64_4, _P32_2, _P64_5, _P32_1]
    # Every whole stripe but the one holding the last byte, block by block...
    full_stripes = (n - 1) // _STRIPE
    words = struct.unpack_from(f"<{8 * full_stripes}Q", data)
    for stripe in range(full_stripes):
        in_block = stripe % _STRIPES_PER_BLOCK
        _accumulate(acc, words[8 * stripe : 8 * stripe + 8], _STRIPE_KEYS[in_block])
        if in_block == _STRIPES_PER_BLOCK - 1:
            for lane in range(8):
                value = acc[lane]
                value ^= (value >> 47) ^ _SCRAMBLE_KEYS[lane]
                acc[lane] = (value * _P32_1) & _M
    # ... then the last 64 bytes, overlapping what came before.
    _accumulate(acc, struct.unpack_from("<8Q", data, n - _STRIPE), _LAST_KEYS)
    result = (n * _P64_1) & _M
    for pair in range(4):
        result += _fold(
            acc[2 * pair] ^ _u64(_SECRET, 11 + 16 * pair),
            acc[2 * pair + 1] ^ _u64(_SECRET, 19 + 16 * pair),
        )
    return _avalanche(result & _M)


def xxh3_64(data: bytes) -> int:
    """The XXH3 64-bit hash of ``data`` (seed 0) as an integer."""
    n = len(data)
    if n <= 16:
        return _short(data)
    if n <= 240:
        return _medium(data)
    return _long(data)


def xxh3_64_hexdigest(data: bytes) -> str:
    """The hash as Redis' DIGEST prints it: 16 lowercase hex digits."""
    return format(xxh3_64(data), "016x")
