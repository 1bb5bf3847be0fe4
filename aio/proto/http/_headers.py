"""Character tables and header-field helpers shared by the reader and the writer.

Validation here is built on ``bytes.translate(None, delete)``: deleting every
allowed byte leaves the disallowed ones, so "is this a token?" is one C call and
an empty result. The grammar comes from RFC 9110 section 5 (field names are
``token``; values are ``VCHAR / obs-text`` with inner ``SP / HTAB``) and RFC 9112
section 5 (no whitespace between name and colon, no obs-fold).
"""

from __future__ import annotations

from ._errors import InvalidContentLength, InvalidHeader

__all__ = (
    "FIELD_VALUE_CHARS",
    "HEAD_CHARS",
    "MAX_CL_DIGITS",
    "NAME_CACHE",
    "TARGET_CHARS",
    "TOKEN_CHARS",
    "comma_tokens",
    "first_bad_byte",
    "is_token",
    "lower_name",
    "parse_content_length",
)

_ALPHA = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#: ``tchar`` of RFC 9110 section 5.6.2.
TOKEN_CHARS = b"!#$%&'*+-.^_`|~0123456789" + _ALPHA
#: Bytes allowed in a field value: HTAB, SP, VCHAR, obs-text.
FIELD_VALUE_CHARS = b"\t" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))
#: Bytes allowed anywhere in a header section: value bytes plus the CRLF delimiters.
HEAD_CHARS = FIELD_VALUE_CHARS + b"\r\n"
# Bytes allowed in a request target: visible US-ASCII (RFC 9112 section 3.2 builds
# every target form from them). Spaces, CTLs, DEL and non-ASCII are rejected.
TARGET_CHARS = bytes(range(0x21, 0x7F))

# Content-Length values longer than this are rejected before int(): 18 digits stay
# below 2**63 (what other stacks accept) and keep int() from doing bignum work.
MAX_CL_DIGITS = 18

# Raw name -> lower-cased name for names already validated. Clients send the same
# few dozen names over and over, so one dict lookup replaces translate()+lower().
# Bounded so that a peer sending random names cannot grow it without limit.
NAME_CACHE: dict[bytes, bytes] = {}
NAME_CACHE_MAX = 512


def is_token(value: bytes) -> bool:
    """Whether ``value`` is a non-empty RFC 9110 token."""
    return bool(value) and not value.translate(None, TOKEN_CHARS)


def first_bad_byte(value: bytes, allowed: bytes) -> int:
    """Index of the first byte of ``value`` not in ``allowed``, or -1."""
    bad = value.translate(None, allowed)
    if not bad:
        return -1
    return value.index(bad[0])


def lower_name(name: bytes) -> bytes:
    """Validate a field name and return it lower-cased.

    :raises InvalidHeader: the name is empty or not a token (this includes the
        whitespace before the colon that RFC 9112 section 5.1 forbids).
    """
    cached = NAME_CACHE.get(name)
    if cached is not None:
        return cached
    if not name:
        raise InvalidHeader("empty header name")
    if name.translate(None, TOKEN_CHARS):
        if name[-1:] in (b" ", b"\t"):
            raise InvalidHeader(f"whitespace before the colon in header {name!r}")
        raise InvalidHeader(f"invalid character in header name {name!r}")
    lowered = name.lower()
    if len(NAME_CACHE) < NAME_CACHE_MAX:
        NAME_CACHE[name] = lowered
    return lowered


def comma_tokens(value: bytes) -> list[bytes]:
    """Split a comma-separated list header into lower-cased, stripped elements,
    dropping empty elements (RFC 9110 section 5.6.1)."""
    return [
        part for part in (p.strip(b" \t").lower() for p in value.split(b",")) if part
    ]


def parse_content_length(values: list[bytes]) -> int:
    """The body length named by the Content-Length field lines ``values``.

    Strict on purpose (RFC 9112 section 6.3 item 5): exactly one field line whose
    value is ``1*DIGIT``. Repeated lines and lists (``5, 5``) are rejected, as
    llhttp does, because a proxy in front of us may have picked another value.

    :raises InvalidContentLength: anything else.
    """
    if len(values) != 1:
        raise InvalidContentLength("duplicate Content-Length header")
    value = values[0]
    if not value or not value.isdigit():
        # bytes.isdigit() is ASCII-only, so this also rejects signs, spaces, commas.
        raise InvalidContentLength(f"invalid Content-Length {value!r}")
    digits = value.lstrip(b"0")
    if len(digits) > MAX_CL_DIGITS:
        raise InvalidContentLength(f"Content-Length too large: {value[:40]!r}")
    return int(value)
