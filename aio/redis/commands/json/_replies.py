"""Reply converters of the RedisJSON commands, on RESP2 and RESP3.

RedisJSON answers most commands with JSON text (``JSON.GET``'s bulk string) or
with arrays of numbers, strings and nulls. The converters below give the Python
values redis-py 8 gives with its default ``legacy_responses=True``:

* JSON text is parsed with the client's decoder (``r.json(decoder=...)``);
  ``None`` (a missing key) stays ``None``;
* an array that is not JSON text has its elements turned into ``str`` (bytes
  decoded as UTF-8) and the string ``"null"`` into ``None``, one level deep
  (``JSON.ARRPOP`` on a JSONPath gives ``['"foo"', None]``: the popped values stay
  JSON text, as in redis-py);
* numbers and booleans pass through.

A ``str`` reply (``decode_responses=True``) that is not JSON is returned as
best it can be (``"12"`` -> 12, ``"1.5"`` -> 1.5, else the string itself, also
for ``"null"``), as redis-py does; a ``bytes`` reply that is not JSON raises
:class:`JSONReplyError`, a ``json.JSONDecodeError`` like redis-py's, naming the
command.

RESP3 differs in a few shapes, converted back to the RESP2 ones (aio returns
redis-py's RESP2 shapes on both protocols, see ``docs/redis.md``):
``JSON.NUMINCRBY``/``NUMMULTBY`` come as arrays (unwrapped for a legacy path),
``JSON.TYPE`` one level deeper (unwrapped), ``JSON.RESP`` with native doubles
(turned back into their text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from aio.redis.exceptions import RedisError

__all__ = ("Decoder", "JSONReplyError", "decode_reply", "json_callbacks")

Callback = Callable[..., Any]


class Decoder(Protocol):
    """What ``r.json(decoder=...)`` takes: ``json.JSONDecoder`` or alike."""

    def decode(self, s: str, /) -> Any:
        """The Python value of the JSON text ``s``."""
        ...


class JSONReplyError(RedisError, json.JSONDecodeError):
    """A JSON command's reply (bytes) is not valid JSON, or not UTF-8.

    Also a :class:`json.JSONDecodeError` (a ``ValueError``), which is what
    redis-py raises, so code catching that keeps working. ``doc`` is the reply's
    text, ``pos`` where parsing failed, ``command`` the command's name.
    """

    #: The command whose reply failed to parse (``"JSON.GET"``).
    command: str = ""

    def __init__(self, msg: str, doc: str, pos: int) -> None:
        json.JSONDecodeError.__init__(self, msg, doc, pos)

    @classmethod
    def of(cls, command: str, error: json.JSONDecodeError) -> JSONReplyError:
        """The error for ``command``'s reply that ``error`` was raised on."""
        made = cls(
            f"{command} reply is not valid JSON: {error.msg}", error.doc, error.pos
        )
        made.command = command
        return made


# redis-py's best effort for text that is not JSON: digits.digits is a float,
# digits an int (15.0 and 15 stay apart); anything else stays text.
_FLOAT_TEXT = re.compile(r"\d+\.\d+")
_INT_TEXT = re.compile(r"\d+")


def _best_effort(text: str) -> Any:
    if _FLOAT_TEXT.fullmatch(text):
        return float(text)
    if _INT_TEXT.fullmatch(text):
        return int(text)
    return text


def _element(item: Any) -> Any:
    # One element of an array reply: text as str, the JSON null spelled out as
    # "null" becomes None; nested arrays and numbers stay as they came.
    if isinstance(item, bytes):
        item = item.decode("utf-8", "replace")
    return None if item == "null" else item


def decode_reply(decoder: Decoder, command: str, reply: Any, **_options: Any) -> Any:
    """A JSON command's reply as a Python value (see the module docstring).

    :raises JSONReplyError: ``reply`` is bytes that are not UTF-8 JSON text.
    """
    if reply is None:
        return None
    if isinstance(reply, bytes):
        try:
            text = reply.decode("utf-8")
        except UnicodeDecodeError as exc:
            doc = reply.decode("utf-8", "replace")
            error = json.JSONDecodeError("not UTF-8", doc, exc.start)
            raise JSONReplyError.of(command, error) from exc
        try:
            return decoder.decode(text)
        except json.JSONDecodeError as exc:
            raise JSONReplyError.of(command, exc) from exc
    if isinstance(reply, str):
        try:
            value = decoder.decode(reply)
        except json.JSONDecodeError:
            return _best_effort(reply)
        # JSON null as decoded text stays the text "null", as in redis-py.
        return _best_effort(reply) if value is None else value
    if isinstance(reply, list):
        return [_element(item) for item in reply]
    return reply


def decode_each(decoder: Decoder, command: str, reply: Any, **_options: Any) -> Any:
    """``JSON.MGET``: every non-null element decoded as JSON text."""
    return [
        None if item is None else decode_reply(decoder, command, item) for item in reply
    ]


def decode_numop(
    decoder: Decoder, command: str, reply: Any, _json_path: Any = None, **_: Any
) -> Any:
    """``JSON.NUMINCRBY``/``NUMMULTBY`` on RESP3: an array even for a legacy path,
    whose single number is unwrapped (JSONPath results stay lists)."""
    value = decode_reply(decoder, command, reply)
    if (
        isinstance(_json_path, str)
        and not _json_path.startswith("$")
        and isinstance(value, list)
        and len(value) == 1
    ):
        return value[0]
    return value


def _floats_as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [_floats_as_text(item) for item in value]
    if isinstance(value, float):
        return str(value)
    return value


def decode_resp3_resp(
    decoder: Decoder, command: str, reply: Any, **_options: Any
) -> Any:
    """``JSON.RESP`` on RESP3: RESP2 sends doubles as text, so they become text."""
    return _floats_as_text(decode_reply(decoder, command, reply))


def is_ok(reply: Any, **_options: Any) -> Any:
    """``JSON.SET``/``MSET``/``MERGE``: True for OK; a null (NX/XX unmet) stays None."""
    if not reply:
        return reply
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return text == "OK"


def to_int(reply: Any, **_options: Any) -> int:
    """``JSON.DEL``/``FORGET``/``CLEAR`` on RESP2: the count as an int."""
    return int(reply)


def unwrap_single(reply: Any, **_options: Any) -> Any:
    """``JSON.TYPE`` on RESP3: one level deeper than on RESP2, unwrapped."""
    if isinstance(reply, list) and len(reply) == 1:
        return reply[0]
    return reply


def json_callbacks(decoder: Decoder, protocol: int) -> dict[str, Callback]:
    """The converters to register on a client for ``protocol`` (2 or 3).

    On RESP3 the commands without an entry (``JSON.ARRLEN``, ``JSON.DEL``...)
    have replies already in their RESP2 shape (integers, arrays of integers),
    and are not in the table, as in redis-py's.
    """

    def decoding(command: str) -> Callback:
        return partial(decode_reply, decoder, command)

    table: dict[str, Callback] = {
        "JSON.ARRPOP": decoding("JSON.ARRPOP"),
        "JSON.DEBUG": decoding("JSON.DEBUG"),
        "JSON.GET": decoding("JSON.GET"),
        "JSON.TOGGLE": decoding("JSON.TOGGLE"),
        "JSON.MGET": partial(decode_each, decoder, "JSON.MGET"),
        "JSON.MERGE": is_ok,
        "JSON.MSET": is_ok,
        "JSON.SET": is_ok,
    }
    if protocol == 3:
        table.update(
            {
                "JSON.NUMINCRBY": partial(decode_numop, decoder, "JSON.NUMINCRBY"),
                "JSON.NUMMULTBY": partial(decode_numop, decoder, "JSON.NUMMULTBY"),
                "JSON.OBJKEYS": decoding("JSON.OBJKEYS"),
                "JSON.RESP": partial(decode_resp3_resp, decoder, "JSON.RESP"),
                "JSON.TYPE": unwrap_single,
            }
        )
        return table
    for command in (
        "JSON.ARRAPPEND JSON.ARRINDEX JSON.ARRINSERT JSON.ARRLEN JSON.ARRTRIM "
        "JSON.NUMINCRBY JSON.NUMMULTBY JSON.OBJKEYS JSON.OBJLEN JSON.RESP "
        "JSON.STRAPPEND JSON.STRLEN"
    ).split():
        table[command] = decoding(command)
    table.update({"JSON.CLEAR": to_int, "JSON.DEL": to_int, "JSON.FORGET": to_int})
    return table
