import json
import pathlib
import struct

import pytest

from drivers.idcard import frames as fr
from drivers.idcard.errors import FramingError

VECTORS = json.loads((pathlib.Path(__file__).parent / "idcard_vectors.json").read_text())
FIND_OK = fr.encode_response(fr.SW3_FIND_OK, bytes(4))
NO_CARD = fr.encode_response(fr.SW3_NO_CARD)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize("vector", VECTORS["commands"], ids=lambda v: v["name"])
def test_command_frames_match_protocol_table(vector):
    expected = h(vector["hex"])
    assert fr.encode_command(vector["cmd"], vector["para"]) == expected
    assert getattr(fr, vector["name"]) == expected


@pytest.mark.parametrize("vector", VECTORS["responses"], ids=lambda v: v["meaning"])
def test_response_frames_match_protocol_table(vector):
    frame = h(vector["hex"])
    assert fr.encode_response(vector["sw3"], h(vector["data"])) == frame
    decoder = fr.FrameDecoder()
    [reply] = decoder.feed(frame)
    assert (reply.sw1, reply.sw2, reply.sw3, reply.data) == (0, 0, vector["sw3"], h(vector["data"]))


@pytest.mark.parametrize("vector", VECTORS["known_wrong_frames"], ids=lambda v: v["why"])
def test_wrong_frames_from_public_code_are_rejected(vector):
    decoder = fr.CommandDecoder()
    assert decoder.feed(h(vector["hex"])) == []
    assert decoder.bad_frames == 1


def test_command_with_data_counts_data_in_length_and_checksum():
    frame = fr.encode_command(0x30, 0x01, b"\x01\x02")
    assert frame == h("AA AA AA 96 69 00 05 30 01 01 02") + bytes([0x05 ^ 0x30 ^ 0x01 ^ 0x01 ^ 0x02])
    [command] = fr.CommandDecoder().feed(frame)
    assert command == fr.Command(0x30, 0x01, b"\x01\x02")


def base_reply(text=b"T" * 256, photo=b"P" * 1024, fingerprint=None) -> bytes:
    return fr.encode_response(fr.SW3_OK, fr.encode_base_message(text, photo, fingerprint))


def test_base_message_frame_layout():
    text, photo = bytes(range(256)), bytes(i % 251 for i in range(1024))
    frame = base_reply(text, photo)
    assert len(frame) == 1295
    assert frame[5:14] == h("05 08 00 00 90 01 00 04 00")
    assert frame[14:270] == text and frame[270:1294] == photo
    [reply] = fr.FrameDecoder().feed(frame)
    message = fr.parse_base_message(reply.data)
    assert (message.text, message.photo, message.fingerprint) == (text, photo, None)


def test_base_message_with_fingerprint_layout():
    fingerprint = b"F" * 1024
    frame = base_reply(fingerprint=fingerprint)
    assert frame[5:7] == h("09 0A") and len(frame) == 7 + 0x090A
    assert frame[12:16] == h("04 00 04 00")
    [reply] = fr.FrameDecoder().feed(frame)
    assert fr.parse_base_message(reply.data).fingerprint == fingerprint


def test_inconsistent_base_message_is_a_framing_error():
    with pytest.raises(FramingError):
        fr.parse_base_message(struct.pack(">HH", 256, 1024) + b"x" * 100)
    with pytest.raises(FramingError):
        fr.parse_base_message(b"\x01")


def test_reprs_never_show_payload_bytes():
    [reply] = fr.FrameDecoder().feed(base_reply(text=b"SECRET".ljust(256)))
    assert "SECRET" not in repr(reply)
    assert "SECRET" not in repr(fr.parse_base_message(reply.data))


def test_sam_id_format():
    data = struct.pack("<HHIII", 5, 1, 20230915, 123456, 987654321)
    assert fr.format_sam_id(data) == "05.01-20230915-000123456-987654321"
    with pytest.raises(FramingError):
        fr.format_sam_id(b"\x00" * 15)


def test_stray_bytes_before_frame():
    decoder = fr.FrameDecoder()
    assert decoder.feed(h("AA 00") + FIND_OK) == [fr.Response(0, 0, 0x9F, bytes(4))]
    assert decoder.discarded == 2


def test_frame_fed_one_byte_at_a_time():
    decoder = fr.FrameDecoder()
    frame = base_reply()
    out = []
    for i in range(len(frame)):
        out += decoder.feed(frame[i : i + 1])
        assert len(out) == (1 if i == len(frame) - 1 else 0)
    assert out[0].sw3 == 0x90 and len(out[0].data) == 1284


def test_two_frames_in_one_chunk():
    assert [r.sw3 for r in fr.FrameDecoder().feed(FIND_OK + NO_CARD)] == [0x9F, 0x80]


def test_bad_checksum_then_good_frame():
    bad = bytearray(FIND_OK)
    bad[-1] ^= 0xFF
    decoder = fr.FrameDecoder()
    assert [r.sw3 for r in decoder.feed(bytes(bad) + NO_CARD)] == [0x80]
    assert decoder.bad_frames == 1


def test_truncated_frame_then_good_frame():
    decoder = fr.FrameDecoder()
    truncated = base_reply()[:200]
    assert [r.sw3 for r in decoder.feed(truncated + NO_CARD)] == [0x80]
    assert decoder.bad_frames == 1 and decoder.pending == 0


def test_short_truncated_frame_then_good_frame():
    decoder = fr.FrameDecoder()
    assert [r.sw3 for r in decoder.feed(FIND_OK[:9] + FIND_OK)] == [0x9F]


def test_impossible_length_resynchronises():
    decoder = fr.FrameDecoder()
    assert [r.sw3 for r in decoder.feed(h("AA AA AA 96 69 FF FF") + NO_CARD)] == [0x80]
    assert [r.sw3 for r in decoder.feed(h("AA AA AA 96 69 00 02 00 02") + NO_CARD)] == [0x80]


def test_preamble_split_across_chunks_is_kept():
    decoder = fr.FrameDecoder()
    assert decoder.feed(b"\x55" + NO_CARD[:3]) == []
    assert decoder.pending == 3
    assert [r.sw3 for r in decoder.feed(NO_CARD[3:])] == [0x80]


def test_reset_drops_partial_frame():
    decoder = fr.FrameDecoder()
    decoder.feed(FIND_OK[:8])
    decoder.reset()
    assert decoder.feed(FIND_OK[8:]) == [] and decoder.feed(NO_CARD)[0].sw3 == 0x80


def test_wire_time():
    assert fr.wire_time(1152, 115200) == pytest.approx(0.1)
