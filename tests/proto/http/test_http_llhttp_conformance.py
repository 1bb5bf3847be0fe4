"""llhttp's own test corpus, replayed on our parser (read in place, never copied).

For every strict-mode case we must end the same way llhttp does (accept, reject,
pause for an upgrade, or stop at data after ``Connection: close``) and, for
messages both parsers complete, produce the same start line, headers and body.
Cases for llhttp's lenient flags must be refused by us: we apply no leniency.
Each case also runs with its input split into one-byte pieces (unless the case
says ``noScan``), since the parser must be incremental.
"""

from __future__ import annotations

import pytest

from tests.plugins.fix_services import conformance_dir

from ._llhttp import Case, Message, load_cases, replay

# Deliberate differences: case -> our outcome, each with the reason. The test
# checks that we still behave as described, so the list cannot go stale.
DELIBERATE_DIFFERENCES = {
    # llhttp knows a fixed list of methods per protocol (HTTP, RTSP, ICE) and
    # rejects others. RFC 9110 section 9.1 makes a method any token; unknown
    # ones are the server's business (405/501), not a parse error.
    # (So these two, which llhttp rejects, we accept.)
    "request/invalid: HTTP protocol and ANNOUNCE method": "ok",
    "request/invalid: Invalid method": "ok",
    # We speak HTTP/1.0 and HTTP/1.1 only: no RTSP, no ICE, no HTTP/0.9
    # (a request line without a version), which llhttp also parses.
    "request/method: SOURCE request with ICE": "error",
    "request/method: OPTIONS request with RTSP": "error",
    "request/method: ANNOUNCE request with RTSP": "error",
    "request/sample: No HTTP version": "error",
    "response/sample: RTSP response": "error",
    "response/sample: ICE response": "error",
    "response/sample: HTTP version 0.9": "error",
    # `Transfer-Encoding: deflate, chunked`: llhttp de-chunks and hands the
    # still-deflated body on. We implement no coding but chunked and, as RFC
    # 9112 section 6.1 suggests, answer 501 rather than pass a body the
    # application cannot know is compressed.
    "request/transfer-encoding: POST with `chunked` as last transfer-encoding": "error",
    "request/transfer-encoding: POST with `chunked` as last transfer-encoding "
    "(multiple headers)": "error",
}
# Cases that only make sense with llhttp's callback API: `skipBody` is a
# return value of on_headers_complete that tells llhttp to ignore the body.
SKIPPED_META = ("skipBody",)


def _cases() -> list[Case]:
    return load_cases(conformance_dir("llhttp-tests"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        try:
            cases = _cases()
        except pytest.skip.Exception:
            cases = []
        metafunc.parametrize("case", cases, ids=[c.ident for c in cases])


def _same(ours: Message, theirs: Message, partial: bool) -> bool:
    if partial and not (ours.complete and theirs.complete):
        # Before an error llhttp may have emitted body bytes we never hand out.
        return (ours.start, ours.headers) == (theirs.start, theirs.headers)
    return ours == theirs


def test_corpus_is_present() -> None:
    cases = _cases()
    assert len(cases) >= 250
    assert len({c.ident for c in cases}) == len(cases)


def test_llhttp_case(case: Case) -> None:
    if any(case.meta.get(key) for key in SKIPPED_META):
        pytest.skip("llhttp callback-only option (skipBody)")
    runs: list[int | None] = [None]
    if not case.meta.get("noScan"):
        runs.append(1)
    for chunk in runs:
        messages, outcome = replay(case, chunk)
        if "lenient" in case.kind:
            # A leniency we do not apply: we must refuse, or stop reading at
            # the end of a message that closes the connection.
            assert outcome in ("error", "after-close"), (chunk, messages)
            continue
        if case.ident in DELIBERATE_DIFFERENCES:
            assert outcome == DELIBERATE_DIFFERENCES[case.ident], chunk
            assert outcome != case.outcome
            continue
        assert outcome == case.outcome, (chunk, messages, case.messages)
        partial = outcome == "error"
        if not partial:
            assert len(messages) == len(case.messages), chunk
        for ours, theirs in zip(messages, case.messages, strict=False):
            assert _same(ours, theirs, partial), (chunk, ours, theirs)
