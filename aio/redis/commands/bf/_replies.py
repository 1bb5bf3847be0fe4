"""Reply converters of the RedisBloom commands, per protocol, as redis-py 8.1's.

redis-py registers a few converters when ``r.bf()`` (``cf``, ``cms``, ``topk``,
``tdigest``) is made, chosen by the protocol the client was given, with its
default ``legacy_responses=True``:

* on RESP2 (``protocol=2``): OK -> True for the creating commands, the ``*.INFO``
  objects, :func:`number_list` for ``TOPK.ADD``/``INCRBY``/``LIST`` and the
  t-digest lists (``QUANTILE``, ``CDF``, ``BYRANK``, ``BYREVRANK``), ``float``
  for ``TDIGEST.MIN``/``MAX``/``TRIMMED_MEAN``;
* on RESP3 (the default, no protocol given): the same, except that the t-digest
  lists are left as RESP3 sends them (native doubles, ``inf`` and ``nan`` as
  floats), where RESP2's text goes through :func:`number_list` (which keeps
  ``"nan"`` as text, as redis-py's ``parse_to_list`` does).

aio gives the RESP3 table also when ``protocol=3`` is pinned (redis-py then
registers almost none and returns raw RESP3), as every aio command keeps the
legacy shapes. Every other command's reply (integers, arrays of integers,
``BF.SCANDUMP``'s ``[iterator, data]``) passes through unconverted.

A reply of the wrong shape (a number where a list is due, text that is no
number for ``float``) raises :class:`~aio.redis.exceptions.InvalidResponse`
naming the command, where redis-py raises ``TypeError`` or ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from aio.redis.commands._convert import bool_ok, number_or_text
from aio.redis.commands.bf.info import BFInfo, CFInfo, CMSInfo, TDigestInfo, TopKInfo
from aio.redis.exceptions import InvalidResponse

__all__ = ("bloom_callbacks", "number_list", "to_float")

Callback = Callable[..., Any]


def number_list(command: str, response: Any, **_options: Any) -> list[Any]:
    """An array reply with its numbers as ``int``/``float`` and other items as
    ``str`` (also without ``decode_responses``); a null reply is ``[]``.

    :raises InvalidResponse: the reply is not an array.
    """
    if response is None:
        return []
    if not isinstance(response, list | tuple):
        raise InvalidResponse(
            f"{command}: expected an array, got {type(response).__name__} {response!r}"
        )
    return [number_or_text(item) for item in response]


def to_float(command: str, response: Any, **_options: Any) -> float:
    """A number reply (RESP2 text or a RESP3 double) as a float.

    :raises InvalidResponse: the reply is no number.
    """
    try:
        return float(response)
    except (ValueError, TypeError):
        raise InvalidResponse(
            f"{command}: expected a number, got {response!r}"
        ) from None


def _info(cls: type[Any]) -> Callback:
    def convert(response: Any, **_options: Any) -> Any:
        return cls(response)

    return convert


def _lists(*commands: str) -> dict[str, Callback]:
    return {name: partial(number_list, name) for name in commands}


def _floats(*commands: str) -> dict[str, Callback]:
    return {name: partial(to_float, name) for name in commands}


def _bf(protocol: int) -> dict[str, Callback]:
    return {"BF.RESERVE": bool_ok, "BF.INFO": _info(BFInfo)}


def _cf(protocol: int) -> dict[str, Callback]:
    return {"CF.RESERVE": bool_ok, "CF.INFO": _info(CFInfo)}


def _cms(protocol: int) -> dict[str, Callback]:
    return {
        "CMS.INITBYDIM": bool_ok,
        "CMS.INITBYPROB": bool_ok,
        "CMS.MERGE": bool_ok,
        "CMS.INFO": _info(CMSInfo),
    }


def _topk(protocol: int) -> dict[str, Callback]:
    return {
        "TOPK.RESERVE": bool_ok,
        "TOPK.INFO": _info(TopKInfo),
        **_lists("TOPK.ADD", "TOPK.INCRBY", "TOPK.LIST"),
    }


def _tdigest(protocol: int) -> dict[str, Callback]:
    table = {
        "TDIGEST.CREATE": bool_ok,
        "TDIGEST.INFO": _info(TDigestInfo),
        **_floats("TDIGEST.MIN", "TDIGEST.MAX", "TDIGEST.TRIMMED_MEAN"),
    }
    if protocol == 2:
        # RESP3 sends these as doubles, which redis-py then leaves alone.
        table |= _lists(
            "TDIGEST.BYRANK", "TDIGEST.BYREVRANK", "TDIGEST.CDF", "TDIGEST.QUANTILE"
        )
    return table


_FAMILIES: dict[str, Callable[[int], dict[str, Callback]]] = {
    "bf": _bf,
    "cf": _cf,
    "cms": _cms,
    "topk": _topk,
    "tdigest": _tdigest,
}


def bloom_callbacks(family: str, protocol: int) -> dict[str, Callback]:
    """The converters a ``family`` object (``"bf"``, ``"cf"``, ``"cms"``,
    ``"topk"``, ``"tdigest"``) registers on a client speaking ``protocol``."""
    return _FAMILIES[family](protocol)
