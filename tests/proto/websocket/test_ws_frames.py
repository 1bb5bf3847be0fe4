"""RFC 6455 §5 frames: the §5.7 examples, length encodings, masking, and the
errors one frame can show."""

from __future__ import annotations

import pytest

from aio.errors import RemoteProtocolError
from aio.proto.websocket import (
    Frame,
    FrameParser,
    Opcode,
    PayloadTooBigError,
    WebSocketProtocolError,
    encode_frame,
)

MASK = bytes.fromhex("37fa213d")

# RFC 6455 §5.7, verbatim.
EXAMPLES = [
    ("unmasked text Hello", "810548656c6c6f", Frame(Opcode.TEXT, b"Hello"), None),
    ("masked text Hello", "818537fa213d7f9f4d5158", Frame(Opcode.TEXT, b"Hello"), MASK),
    (
        "first fragment Hel",
        "010348656c",
        Frame(Opcode.TEXT, b"Hel", fin=False),
        None,
    ),
    ("last fragment lo", "80026c6f", Frame(Opcode.CONTINUATION, b"lo"), None),
    ("unmasked ping", "890548656c6c6f", Frame(Opcode.PING, b"Hello"), None),
    ("masked pong", "8a8537fa213d7f9f4d5158", Frame(Opcode.PONG, b"Hello"), MASK),
]


def parse_all(data: bytes, *, masked: bool, **kw: object) -> list[Frame]:
    parser = FrameParser(expect_masked=masked, **kw)  # type: ignore[arg-type]
    parser.feed(data)
    frames = []
    while (frame := parser.next_frame()) is not None:
        frames.append(frame)
    assert parser.buffered == 0
    return frames


@pytest.mark.parametrize(("name", "wire", "frame", "mask"), EXAMPLES)
def test_rfc_examples_encode(name: str, wire: str, frame: Frame, mask: bytes) -> None:
    assert (
        encode_frame(frame.opcode, frame.payload, fin=frame.fin, mask_key=mask).hex()
        == wire
    )


@pytest.mark.parametrize(("name", "wire", "frame", "mask"), EXAMPLES)
def test_rfc_examples_decode(name: str, wire: str, frame: Frame, mask: bytes) -> None:
    assert parse_all(bytes.fromhex(wire), masked=mask is not None) == [frame]


@pytest.mark.parametrize(("name", "wire", "frame", "mask"), EXAMPLES)
def test_every_split_point(name: str, wire: str, frame: Frame, mask: bytes) -> None:
    data = bytes.fromhex(wire)
    for cut in range(len(data) + 1):
        parser = FrameParser(expect_masked=mask is not None)
        parser.feed(data[:cut])
        got = parser.next_frame()
        if cut < len(data):
            assert got is None
            parser.feed(data[cut:])
            got = parser.next_frame()
        assert got == frame


def test_16_bit_length_256_bytes() -> None:
    # §5.7: "256 bytes binary message in a single unmasked frame"
    payload = bytes(range(256))
    wire = encode_frame(Opcode.BINARY, payload)
    assert wire[:4] == bytes.fromhex("827e0100")
    assert parse_all(wire, masked=False) == [Frame(Opcode.BINARY, payload)]


def test_64_bit_length_64_kib() -> None:
    # §5.7: "64KiB binary message in a single unmasked frame"
    payload = b"x" * 65536
    wire = encode_frame(Opcode.BINARY, payload)
    assert wire[:10] == bytes.fromhex("827f0000000000010000")
    assert parse_all(wire, masked=False) == [Frame(Opcode.BINARY, payload)]


@pytest.mark.parametrize("n", [0, 1, 125, 126, 65535, 65536])
def test_length_boundaries_round_trip_masked(n: int) -> None:
    payload = bytes(i % 251 for i in range(n))
    wire = encode_frame(Opcode.BINARY, payload, mask_key=MASK)
    assert parse_all(wire, masked=True) == [Frame(Opcode.BINARY, payload)]


def test_bad_mask_key_length() -> None:
    with pytest.raises(ValueError, match="4 bytes"):
        encode_frame(Opcode.TEXT, b"x", mask_key=b"abc")


def fail(wire: bytes, *, masked: bool = False, **kw: object) -> WebSocketProtocolError:
    parser = FrameParser(expect_masked=masked, **kw)  # type: ignore[arg-type]
    parser.feed(wire)
    with pytest.raises(WebSocketProtocolError) as info:
        parser.next_frame()
    assert isinstance(info.value, RemoteProtocolError)
    return info.value


@pytest.mark.parametrize("opcode", [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
def test_reserved_opcode(opcode: int) -> None:
    err = fail(bytes([0x80 | opcode, 0]))
    assert err.close_code == 1002
    assert "opcode" in str(err)


@pytest.mark.parametrize("bits", [0x40, 0x20, 0x10])
def test_reserved_bits_without_extension(bits: int) -> None:
    assert fail(bytes([0x81 | bits, 0])).close_code == 1002


def test_rsv1_allowed_with_extension_but_not_rsv2() -> None:
    assert parse_all(b"\xc1\x00", masked=False, allowed_rsv1=True)[0].rsv1
    assert fail(b"\xe1\x00", allowed_rsv1=True).close_code == 1002


def test_server_rejects_unmasked_client_frame() -> None:
    err = fail(bytes.fromhex("810548656c6c6f"), masked=True)
    assert err.close_code == 1002
    assert "masked" in str(err)


def test_client_rejects_masked_server_frame() -> None:
    assert fail(bytes.fromhex("818537fa213d7f9f4d5158")).close_code == 1002


def test_fragmented_control_frame() -> None:
    assert "fragmented control" in str(fail(b"\x09\x00"))


def test_control_frame_over_125() -> None:
    assert "125" in str(fail(b"\x89\x7e\x00\x7e" + b"x" * 126))


def test_non_minimal_lengths() -> None:
    assert "minimal" in str(fail(b"\x82\x7e\x00\x05hello"))
    assert "minimal" in str(fail(b"\x82\x7f" + (5).to_bytes(8, "big") + b"hello"))


def test_64_bit_length_top_bit() -> None:
    assert "top bit" in str(fail(b"\x82\x7f\x80" + b"\x00" * 7))


def test_oversized_frame_rejected_from_header_alone() -> None:
    parser = FrameParser(expect_masked=False, max_frame_size=10)
    parser.feed(b"\x82\x7f" + (1 << 40).to_bytes(8, "big"))  # no payload yet
    with pytest.raises(PayloadTooBigError) as info:
        parser.next_frame()
    assert info.value.close_code == 1009


def test_truncated_frames_wait() -> None:
    wire = encode_frame(Opcode.BINARY, b"x" * 300, mask_key=MASK)
    parser = FrameParser(expect_masked=True)
    parser.feed(wire[:-1])
    assert parser.next_frame() is None
    assert parser.buffered == len(wire) - 1


def test_many_frames_in_one_read_then_a_partial_one() -> None:
    one = encode_frame(Opcode.BINARY, b"abc")
    partial = encode_frame(Opcode.TEXT, b"x" * 200)[:50]
    parser = FrameParser(expect_masked=False)
    parser.feed(one * 1000 + partial)
    for _ in range(1000):
        assert parser.next_frame() == Frame(Opcode.BINARY, b"abc")
    assert parser.next_frame() is None
    assert parser.buffered == 50
    parser.feed(encode_frame(Opcode.TEXT, b"x" * 200)[50:])
    assert parser.next_frame() == Frame(Opcode.TEXT, b"x" * 200)
    assert parser.buffered == 0
