"""``Result``: what ``search()`` returns, its documents as :class:`Document`.

``FT.SEARCH`` answers on RESP2 with a flat array: the total, then per document
its id, its score (``WITHSCORES``), its payload (``WITHPAYLOADS``) and its
fields as ``[name, value, ...]`` (unless ``NOCONTENT``). On RESP3 it answers with
a map (``total_results``, ``results``: one map per document with ``id``,
``score``, ``extra_attributes``; ``warning``): :meth:`Result.from_resp3` reads
that one. Both give the same documents, as redis-py does: ids and field values
decoded (values with the encoding each returned field asked for), the ``id``
field dropped and a JSON document's ``$`` field renamed ``json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aio.redis.commands.search._text import field_value, str_if_bytes, to_string
from aio.redis.commands.search.document import Document

__all__ = ("Result",)


def _document(
    doc_id: Any,
    score: float | None,
    with_scores: bool,
    payload: Any,
    fields: dict[str, Any],
) -> Document:
    fields.pop("id", None)
    if "$" in fields:
        fields["json"] = fields.pop("$")
    if with_scores:
        return Document(doc_id, payload=payload, score=score, **fields)
    return Document(doc_id, payload=payload, **fields)


class Result:
    """The documents of one search.

    :ivar total: how many documents matched (not only those returned).
    :ivar docs: the returned :class:`Document` objects.
    :ivar duration: the call's duration in milliseconds, as measured here.
    :ivar warnings: the server's warnings (RESP3 replies).

    :param res: the RESP2 reply.
    :param hascontent: the reply has fields (no ``NOCONTENT``).
    :param duration: the call's duration in milliseconds.
    :param has_payload: the reply has payloads.
    :param with_scores: the reply has scores.
    :param field_encodings: returned field -> encoding (None: keep bytes).
    :param warnings: the server's warnings.
    """

    def __init__(
        self,
        res: Sequence[Any],
        hascontent: bool,
        duration: float = 0,
        has_payload: bool = False,
        with_scores: bool = False,
        field_encodings: dict[str, str | None] | None = None,
        warnings: list[Any] | None = None,
    ) -> None:
        self.total = res[0]
        self.duration = duration
        self.docs: list[Document] = []
        self.warnings = warnings or []
        step = 1 + int(hascontent) + int(has_payload) + int(with_scores)
        payload_at = 2 if with_scores else 1
        fields_at = payload_at + 1 if has_payload else payload_at
        for i in range(1, len(res), step):
            score = float(res[i + 1]) if with_scores else None
            payload = to_string(res[i + payload_at]) if has_payload else None
            fields: dict[str, Any] = {}
            pairs = res[i + fields_at] if hascontent else None
            if pairs is not None:
                for key, value in zip(
                    map(to_string, pairs[::2]), pairs[1::2], strict=False
                ):
                    if field_encodings is None or key not in field_encodings:
                        fields[key] = to_string(value)
                    elif field_encodings[key] is None:
                        fields[key] = value
                    else:
                        fields[key] = to_string(value, str(field_encodings[key]))
            self.docs.append(
                _document(to_string(res[i]), score, with_scores, payload, fields)
            )

    @classmethod
    def from_resp3(
        cls,
        res: Mapping[Any, Any] | None,
        duration: float = 0,
        with_scores: bool = False,
        field_encodings: dict[str, str | None] | None = None,
    ) -> Result:
        """The result of a RESP3 ``FT.SEARCH`` reply (a map)."""
        made = cls.__new__(cls)
        reply = {str_if_bytes(k): v for k, v in (res or {}).items()}
        made.total = reply.get("total_results", 0)
        made.duration = duration
        made.docs = []
        made.warnings = [str_if_bytes(w) for w in reply.get("warning", [])]
        for entry in reply.get("results", []):
            item = {str_if_bytes(k): v for k, v in entry.items()}
            score = None
            if with_scores and "score" in item:
                score = float(item["score"])
            fields = {}
            for key, value in (item.get("extra_attributes") or {}).items():
                name = str_if_bytes(key)
                fields[name] = field_value(value, name, field_encodings)
            doc_id = str_if_bytes(item.get("id", ""))
            made.docs.append(_document(doc_id, score, with_scores, None, fields))
        return made

    def __repr__(self) -> str:
        return f"Result{{{self.total} total, docs: {self.docs}}}"
