"""Reply converters of the vector-set commands, on RESP2 and RESP3.

They give the Python values redis-py 8 gives with its default
``legacy_responses=True``, which differ per protocol because redis-py converts
only some replies:

* ``VSIM`` with ``WITHSCORES`` and/or ``WITHATTRIBS``: element -> score (a
  float), element -> attributes (parsed JSON, None for none), or element ->
  ``{"score": ..., "attributes": ...}``. RESP2 sends these flat (pairs or
  triples), RESP3 as a map; on RESP3 the combined form keeps the score as the
  server's double.
* ``VEMB``: on RESP2 each value's text becomes an int if it is one, else a
  float; RESP3's doubles stay. With ``RAW``: a dict of the quantization name,
  the blob, ``l2`` and (for Q8) ``range`` as floats.
* ``VGETATTR``: the JSON text parsed; no text, or ``{}``, is None (redis-py's
  ``r and json.loads(r) or None``).
* ``VINFO`` and ``VLINKS WITHSCORES`` are converted on RESP2 only (pairs to a
  dict, scores to floats); on RESP3 the server's maps and doubles come back as
  they are, as in redis-py.

Every other reply (``VADD``, ``VCARD``, ``VRANDMEMBER``, ``VRANGE``...) is
returned unconverted, as in redis-py.

A reply that does not have the shape its command promises raises
:class:`VectorSetReplyError` (a ``ValueError``, as redis-py's ``float()`` and
``int()`` raise), or :class:`VectorSetAttributesError` (also a
``json.JSONDecodeError``) for attributes that are not JSON; never a truncated
or half-converted value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from aio.redis.commands.vectorset.commands import (
    VEMB_CMD,
    VGETATTR_CMD,
    VINFO_CMD,
    VLINKS_CMD,
    VSIM_CMD,
    CallbacksOptions,
)
from aio.redis.exceptions import RedisError

__all__ = (
    "VectorSetAttributesError",
    "VectorSetReplyError",
    "parse_vemb_result",
    "parse_vgetattr_result",
    "parse_vinfo_result",
    "parse_vlinks_result",
    "parse_vsim_result",
    "vectorset_callbacks",
)

Callback = Callable[..., Any]

_RAW = CallbacksOptions.RAW.value
_WITHSCORES = CallbacksOptions.WITHSCORES.value
_WITHATTRIBS = CallbacksOptions.WITHATTRIBS.value
_ALLOW_DECODING = CallbacksOptions.ALLOW_DECODING.value
_RESP3 = CallbacksOptions.RESP3.value


class VectorSetReplyError(RedisError, ValueError):
    """A vector-set command's reply is not what the command answers.

    Also a ``ValueError``, which is what redis-py raises for the number it
    cannot parse. ``command`` names the command, ``reply`` is what came.
    """

    def __init__(self, command: str, problem: str, reply: Any = None) -> None:
        super().__init__(f"{command} reply {problem}: {reply!r}"[:500])
        #: The command whose reply could not be converted (``"VSIM"``).
        self.command = command
        #: The reply as it came from the server.
        self.reply = reply


class VectorSetAttributesError(VectorSetReplyError, json.JSONDecodeError):
    """Attributes in a reply (``VGETATTR``, ``VSIM WITHATTRIBS``) that are not
    JSON; also the ``json.JSONDecodeError`` redis-py raises (``doc``, ``pos``)."""

    def __init__(self, command: str, error: json.JSONDecodeError) -> None:
        json.JSONDecodeError.__init__(
            self,
            f"{command} attributes are not JSON: {error.msg}",
            error.doc,
            error.pos,
        )
        self.command = command
        self.reply = error.doc


def _attributes(command: str, text: Any) -> Any:
    """Attributes' JSON text parsed (bytes or str); falsy text is None."""
    if not text:
        return None
    if not isinstance(text, bytes | str):
        raise VectorSetReplyError(command, "has attributes that are not text", text)
    try:
        return json.loads(text)
    except UnicodeDecodeError as exc:
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        error = json.JSONDecodeError("not UTF-8", doc, exc.start)
        raise VectorSetAttributesError(command, error) from exc
    except json.JSONDecodeError as exc:
        raise VectorSetAttributesError(command, exc) from exc


def _float(command: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, bytes | str | int | float):
        raise VectorSetReplyError(command, "has a score that is not a number", value)
    try:
        return float(value)
    except ValueError as exc:
        raise VectorSetReplyError(
            command, "has a score that is not a number", value
        ) from exc


def _list(command: str, reply: Any, group: int = 1) -> list[Any]:
    """``reply`` as a list whose length is a multiple of ``group``."""
    if not isinstance(reply, list) or len(reply) % group:
        shape = "an array" if group == 1 else f"an array of {group}-tuples"
        raise VectorSetReplyError(command, f"is not {shape}", reply)
    return reply


def _groups(command: str, reply: Any, size: int) -> Iterator[tuple[Any, ...]]:
    # RESP2's flat arrays: [a1, b1, a2, b2, ...] -> (a1, b1), (a2, b2), ...
    items = iter(_list(command, reply, size))
    return zip(*([items] * size), strict=True)


def _map(command: str, reply: Any) -> dict[Any, Any]:
    if not isinstance(reply, dict):
        raise VectorSetReplyError(command, "is not a map", reply)
    return reply


def parse_vsim_result(response: Any, **options: Any) -> Any:
    """``VSIM``'s reply: the list of elements, or the dict its options ask for."""
    if response is None:
        return None
    with_scores = bool(options.get(_WITHSCORES))
    with_attribs = bool(options.get(_WITHATTRIBS))
    resp3 = bool(options.get(_RESP3))
    if with_scores and with_attribs:
        if not resp3:
            return {
                element: {
                    "score": _float(VSIM_CMD, score),
                    "attributes": _attributes(VSIM_CMD, attribs),
                }
                for element, score, attribs in _groups(VSIM_CMD, response, 3)
            }
        result: dict[Any, Any] = {}
        for element, data in _map(VSIM_CMD, response).items():
            if not isinstance(data, list) or len(data) != 2:
                raise VectorSetReplyError(
                    VSIM_CMD, "has no [score, attributes] pair", response
                )
            # redis-py keeps RESP3's double as it came here.
            result[element] = {
                "score": data[0],
                "attributes": _attributes(VSIM_CMD, data[1]),
            }
        return result
    if with_scores or with_attribs:
        pairs = (
            _map(VSIM_CMD, response).items()
            if resp3
            else _groups(VSIM_CMD, response, 2)
        )
        if with_scores:
            return {element: _float(VSIM_CMD, value) for element, value in pairs}
        return {element: _attributes(VSIM_CMD, value) for element, value in pairs}
    return response


def _number(value: Any) -> int | float:
    # RESP2 sends each value as text: an int where it reads as one.
    if isinstance(value, bytes | str):
        try:
            return int(value)
        except ValueError:
            pass
        try:
            return float(value)
        except ValueError:
            pass
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise VectorSetReplyError(VEMB_CMD, "has a value that is not a number", value)


def parse_vemb_result(response: Any, **options: Any) -> Any:
    """``VEMB``'s reply: the vector's values, or (``RAW``) its stored form."""
    if response is None:
        return None
    if options.get(_RAW):
        raw = _list(VEMB_CMD, response)
        if len(raw) < 3:
            raise VectorSetReplyError(
                VEMB_CMD, "RAW has no quantization, blob and l2", response
            )
        quantization = raw[0]
        if options.get(_ALLOW_DECODING) and isinstance(quantization, bytes):
            quantization = quantization.decode("utf-8")
        result: dict[str, Any] = {
            "quantization": quantization,
            "raw": raw[1],
            "l2": _float(VEMB_CMD, raw[2]),
        }
        if len(raw) > 3:
            result["range"] = _float(VEMB_CMD, raw[3])
        return result
    if options.get(_RESP3):
        return response
    return [_number(value) for value in _list(VEMB_CMD, response)]


def parse_vgetattr_result(response: Any, **_options: Any) -> Any:
    """``VGETATTR``'s reply: the attributes parsed; None for none or ``{}``."""
    return _attributes(VGETATTR_CMD, response) or None


def parse_vinfo_result(response: Any, **_options: Any) -> Any:
    """``VINFO`` on RESP2: its pairs as a dict; None for none."""
    if not response:
        return None
    return dict(_groups(VINFO_CMD, response, 2))


def parse_vlinks_result(response: Any, **options: Any) -> Any:
    """``VLINKS`` on RESP2: with ``WITHSCORES`` each level's pairs as a dict of
    neighbour -> float score; else the levels as they came."""
    if response is None or not options.get(_WITHSCORES):
        return response
    return [
        {
            neighbour: _float(VLINKS_CMD, score)
            for neighbour, score in _groups(VLINKS_CMD, level, 2)
        }
        for level in _list(VLINKS_CMD, response)
    ]


def vectorset_callbacks(protocol: int) -> dict[str, Callback]:
    """The converters to register on a client speaking ``protocol`` (2 or 3),
    the commands redis-py registers for it."""
    table: dict[str, Callback] = {
        VEMB_CMD: parse_vemb_result,
        VSIM_CMD: parse_vsim_result,
        VGETATTR_CMD: parse_vgetattr_result,
    }
    if protocol == 2:
        table[VINFO_CMD] = parse_vinfo_result
        table[VLINKS_CMD] = parse_vlinks_result
    return table
