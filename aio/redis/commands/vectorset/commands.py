"""The vector-set command builders: redis-py's ``redis.commands.vectorset.commands``.

Each method of :class:`VectorSetCommands` builds its command with the words
redis-py sends and hands it to ``execute_command``: an awaitable of the
converted reply on an async client, the reply itself on a blocking one, the
pipeline on a pipeline. The options that shape a reply (``WITHSCORES``,
``RAW``...) travel to the reply converters as keyword options named by
:class:`CallbacksOptions`, as in redis-py, so the converters in
:mod:`aio.redis.commands.vectorset._replies` know what came back.

Every command names its key with ``keys=`` (the vector-set commands all have
one key, first): a cluster routes them by it even when its servers' ``COMMAND``
does not list the vector-set commands.

Options that are falsy are not sent (``count=0``, ``ef=0``, an empty attribute
dict), exactly as redis-py leaves them out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any, Protocol

from aio.redis._connection import NEVER_DECODE, resp_version
from aio.redis._types import EncodableT, KeyT, Number, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError

__all__ = (
    "VADD_CMD",
    "VCARD_CMD",
    "VDIM_CMD",
    "VEMB_CMD",
    "VGETATTR_CMD",
    "VINFO_CMD",
    "VLINKS_CMD",
    "VRANDMEMBER_CMD",
    "VRANGE_CMD",
    "VREM_CMD",
    "VSETATTR_CMD",
    "VSIM_CMD",
    "CallbacksOptions",
    "QuantizationOptions",
    "VEmbResult",
    "VGetAttrResult",
    "VLinksResult",
    "VRandMemberResult",
    "VSimResult",
    "VectorSetClient",
    "VectorSetCommands",
)

VADD_CMD = "VADD"
VSIM_CMD = "VSIM"
VREM_CMD = "VREM"
VDIM_CMD = "VDIM"
VCARD_CMD = "VCARD"
VEMB_CMD = "VEMB"
VLINKS_CMD = "VLINKS"
VINFO_CMD = "VINFO"
VSETATTR_CMD = "VSETATTR"
VGETATTR_CMD = "VGETATTR"
VRANDMEMBER_CMD = "VRANDMEMBER"
VRANGE_CMD = "VRANGE"

#: ``vsim``'s result: the elements, or element -> score / attributes / both.
VSimResult = list[EncodableT] | dict[Any, Any] | None
#: ``vemb``'s result: the vector, or (``raw=True``) its stored form.
VEmbResult = list[Any] | dict[str, Any] | None
#: ``vlinks``'s result: the neighbours per level (with scores: a dict per level).
VLinksResult = list[list[Any]] | list[dict[Any, Any]] | None
#: ``vrandmember``'s result: one element, a list of them, or None.
VRandMemberResult = list[Any] | str | bytes | None
#: ``vgetattr``'s result: the attributes, or None.
VGetAttrResult = dict[str, Any] | None


class QuantizationOptions(Enum):
    """How ``VADD`` stores a new set's vectors (int8 when not given)."""

    NOQUANT = "NOQUANT"
    BIN = "BIN"
    Q8 = "Q8"

    @classmethod
    def from_value(cls, value: QuantizationOptions | str) -> QuantizationOptions:
        """The member for ``value``, a member or its name in any case (redis-py
        takes members only).

        :raises DataError: ``value`` names no quantization.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls(value.upper())
            except ValueError:
                pass
        raise DataError(
            f"Invalid quantization: {value!r}. "
            f"Must be one of {', '.join(q.value for q in cls)}"
        )


class CallbacksOptions(Enum):
    """The names of the options a command passes to its reply converter."""

    RAW = "RAW"
    WITHSCORES = "WITHSCORES"
    WITHATTRIBS = "WITHATTRIBS"
    ALLOW_DECODING = "ALLOW_DECODING"
    RESP3 = "RESP3"


class VectorSetClient(Protocol):
    """What the vector-set commands need of the client they run on: an async or
    blocking client, cluster client, or a pipeline of one."""

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run (or queue) one command."""
        ...

    def get_connection_kwargs(self) -> dict[str, Any]:
        """The arguments its connections are made with."""
        ...

    def set_response_callback(self, command: str, callback: Any) -> None:
        """Convert the replies of ``command`` with ``callback``."""
        ...


def _attributes_text(attributes: Mapping[str, Any] | str) -> str:
    # A mapping is sent as its JSON text (json.dumps, redis-py's spelling:
    # ", " and ": " separators); text is sent as given.
    if isinstance(attributes, Mapping):
        return json.dumps(dict(attributes))
    return attributes


class VectorSetCommands(CommandsBase):
    """The vector-set commands (``VADD``, ``VSIM``...), with redis-py's method
    names, arguments and results; mixed into
    :class:`~aio.redis.commands.vectorset.VectorSet`."""

    # Set by the class that mixes this in: the client the commands run on.
    client: VectorSetClient

    def _speaks_resp3(self) -> bool:
        """Whether the client's connections speak RESP3 (the default)."""
        protocol = self.client.get_connection_kwargs().get("protocol")
        return resp_version(protocol) == 3

    def _decodes(self) -> bool:
        """Whether the client returns str replies (``decode_responses``)."""
        return bool(self.client.get_connection_kwargs().get("decode_responses"))

    def vadd(
        self,
        key: KeyT,
        vector: list[float] | bytes,
        element: str,
        reduce_dim: int | None = None,
        cas: bool | None = False,
        quantization: QuantizationOptions | str | None = None,
        ef: Number | None = None,
        attributes: Mapping[str, Any] | str | None = None,
        numlinks: int | None = None,
    ) -> ResponseT:
        """Add ``element`` with ``vector`` to the vector set ``key`` (VADD).

        :param vector: the values (sent as ``VALUES n v1 .. vn``), or ``bytes``
            of little-endian float32s (sent as ``FP32 blob``).
        :param reduce_dim: project the vectors to this many dimensions (REDUCE).
        :param cas: add with check-and-set threading (CAS).
        :param quantization: a :class:`QuantizationOptions` (or its name) for a
            new set: ``NOQUANT``, ``BIN`` or ``Q8``.
        :param ef: the exploration factor while adding (EF).
        :param attributes: JSON attributes, a mapping or its text (SETATTR).
        :param numlinks: links per node (M).
        :returns: 1 if added, 0 if the element was there (its vector updated).
        :raises DataError: no vector or no element.
        """
        if not vector or not element:
            raise DataError("Both vector and element must be provided")
        pieces: list[Any] = []
        if reduce_dim:
            pieces += ["REDUCE", reduce_dim]
        if isinstance(vector, bytes):
            pieces += ["FP32", vector]
        else:
            pieces += ["VALUES", len(vector), *vector]
        pieces.append(element)
        if cas:
            pieces.append("CAS")
        if quantization:
            pieces.append(QuantizationOptions.from_value(quantization).value)
        if ef:
            pieces += ["EF", ef]
        if attributes:
            pieces += ["SETATTR", _attributes_text(attributes)]
        if numlinks:
            pieces += ["M", numlinks]
        return self.execute_command(VADD_CMD, key, *pieces, keys=[key])

    def vsim(
        self,
        key: KeyT,
        input: list[float] | bytes | str,  # redis-py's name
        with_scores: bool | None = False,
        with_attribs: bool | None = False,
        count: int | None = None,
        ef: Number | None = None,
        filter: str | None = None,  # redis-py's name
        filter_ef: str | None = None,
        truth: bool | None = False,
        no_thread: bool | None = False,
        epsilon: Number | None = None,
    ) -> ResponseT:
        """The elements of ``key`` most similar to ``input`` (VSIM).

        :param input: a vector (a list of values, or float32 ``bytes``) or the
            name of an element of the set (``ELE``).
        :param with_scores: return element -> similarity (WITHSCORES).
        :param with_attribs: return element -> attributes, None for none
            (WITHATTRIBS); with ``with_scores`` too, element ->
            ``{"score": ..., "attributes": ...}``.
        :param count: how many results (COUNT).
        :param ef: the exploration factor (EF).
        :param filter: a filter expression on the attributes (FILTER).
        :param filter_ef: the most candidates to filter (FILTER-EF).
        :param truth: a linear scan, exact results (TRUTH).
        :param no_thread: search in the main thread (NOTHREAD).
        :param epsilon: only results within this distance, 0 to 1 (EPSILON).
        :returns: a list of elements, or the dict the options ask for.
        :raises DataError: no input.
        """
        if not input:
            raise DataError("'input' should be provided")
        pieces: list[Any] = []
        options: dict[str, Any] = {}
        if isinstance(input, bytes):
            pieces += ["FP32", input]
        elif isinstance(input, list):
            pieces += ["VALUES", len(input), *input]
        else:
            pieces += ["ELE", input]
        if with_scores or with_attribs:
            if self._speaks_resp3():
                options[CallbacksOptions.RESP3.value] = True
            if with_scores:
                pieces.append("WITHSCORES")
                options[CallbacksOptions.WITHSCORES.value] = True
            if with_attribs:
                pieces.append("WITHATTRIBS")
                options[CallbacksOptions.WITHATTRIBS.value] = True
        if count:
            pieces += ["COUNT", count]
        if epsilon:
            pieces += ["EPSILON", epsilon]
        if ef:
            pieces += ["EF", ef]
        if filter:
            pieces += ["FILTER", filter]
        if filter_ef:
            pieces += ["FILTER-EF", filter_ef]
        if truth:
            pieces.append("TRUTH")
        if no_thread:
            pieces.append("NOTHREAD")
        return self.execute_command(VSIM_CMD, key, *pieces, keys=[key], **options)

    def vdim(self, key: KeyT) -> ResponseT:
        """The dimension of the vectors of ``key`` (after REDUCE: the reduced
        one) (VDIM).

        :raises ResponseError: no such vector set.
        """
        return self.execute_command(VDIM_CMD, key, keys=[key])

    def vcard(self, key: KeyT) -> ResponseT:
        """The number of elements of ``key`` (VCARD)."""
        return self.execute_command(VCARD_CMD, key, keys=[key])

    def vrem(self, key: KeyT, element: str) -> ResponseT:
        """Remove ``element`` from ``key`` (VREM): 1 if removed, else 0 (on
        RESP3 the server's boolean)."""
        return self.execute_command(VREM_CMD, key, element, keys=[key])

    def vemb(self, key: KeyT, element: str, raw: bool | None = False) -> ResponseT:
        """The (approximate) vector of ``element`` in ``key`` (VEMB).

        :param raw: the stored form instead: ``{"quantization": ..., "raw":
            bytes, "l2": float[, "range": float]}`` (RAW); the blob always as
            bytes, the quantization name as text with ``decode_responses``.
        :returns: the values (ints and floats), the raw dict, or None.
        """
        options: dict[str, Any] = {}
        if self._speaks_resp3():
            options[CallbacksOptions.RESP3.value] = True
        pieces: list[Any] = [key, element]
        if raw:
            pieces.append("RAW")
            # The blob is bytes; the converter decodes the name itself.
            options[NEVER_DECODE] = True
            if self._decodes():
                options[CallbacksOptions.ALLOW_DECODING.value] = True
            options[CallbacksOptions.RAW.value] = True
        return self.execute_command(VEMB_CMD, *pieces, keys=[key], **options)

    def vlinks(
        self, key: KeyT, element: str, with_scores: bool | None = False
    ) -> ResponseT:
        """The neighbours of ``element`` in ``key``, a list per level of the
        graph (VLINKS); None if there is no such element or set.

        :param with_scores: a dict per level, neighbour -> similarity
            (WITHSCORES).
        """
        options: dict[str, Any] = {}
        pieces: list[Any] = [key, element]
        if with_scores:
            pieces.append("WITHSCORES")
            options[CallbacksOptions.WITHSCORES.value] = True
        return self.execute_command(VLINKS_CMD, *pieces, keys=[key], **options)

    def vinfo(self, key: KeyT) -> ResponseT:
        """Facts about the vector set ``key`` (VINFO): a dict, or None."""
        return self.execute_command(VINFO_CMD, key, keys=[key])

    def vsetattr(
        self,
        key: KeyT,
        element: str,
        attributes: Mapping[str, Any] | str | None = None,
    ) -> ResponseT:
        """Set the JSON attributes of ``element`` in ``key`` (VSETATTR); None
        (or ``{}``) removes them.

        :returns: 1 if set, 0 if there is no such element.
        """
        text = "{}" if attributes is None else _attributes_text(attributes)
        return self.execute_command(VSETATTR_CMD, key, element, text, keys=[key])

    def vgetattr(self, key: KeyT, element: str) -> ResponseT:
        """The JSON attributes of ``element`` in ``key``, as a dict (VGETATTR);
        None if it has none (or empty ones), or no such element or set."""
        return self.execute_command(VGETATTR_CMD, key, element, keys=[key])

    def vrandmember(self, key: KeyT, count: int | None = None) -> ResponseT:
        """Random elements of ``key`` (VRANDMEMBER).

        :param count: without it, one element; positive, up to that many
            distinct ones; negative, that many, maybe repeated.
        :returns: an element or a list of them; None (or an empty list) if
            there is no such set.
        """
        pieces: list[Any] = [key]
        if count is not None:
            pieces.append(count)
        return self.execute_command(VRANDMEMBER_CMD, *pieces, keys=[key])

    def vrange(
        self, key: KeyT, start: str, end: str, count: int | None = None
    ) -> ResponseT:
        """The elements of ``key`` between ``start`` and ``end`` in
        lexicographical order (VRANGE, Redis 8.4).

        :param start: ``"[name"`` inclusive, ``"(name"`` exclusive, or ``"-"``.
        :param end: ``"[name"``, ``"(name"``, or ``"+"``.
        :param count: at most this many (all when None or negative).
        """
        pieces: list[Any] = [key, start, end]
        if count is not None:
            pieces.append(count)
        return self.execute_command(VRANGE_CMD, *pieces, keys=[key])
