from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import frames as fr
from drivers.idcard.errors import IdCardError

FRAMES = [
    fr.encode_response(0x9F, bytes(4)),
    fr.encode_response(0x90, bytes(8)),
    fr.encode_response(0x80),
    fr.encode_response(0x41),
    fr.encode_response(0x90, fr.encode_base_message(b"t" * 256, b"p" * 1024)),
]
NO_CARD = fr.encode_response(0x80)


def feed_in_chunks(decoder, data: bytes, cuts: list[int]) -> list:
    out, pos = [], 0
    for cut in sorted(c % (len(data) + 1) for c in cuts) + [len(data)]:
        try:
            out += decoder.feed(data[pos:cut])
        except IdCardError:
            pass
        pos = max(pos, cut)
    return out


@settings(max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0), max_size=20))
def test_random_bytes_never_raise_foreign_errors(data, cuts):
    decoder = fr.FrameDecoder()
    for reply in feed_in_chunks(decoder, data, cuts):
        assert isinstance(reply, fr.Response)
    assert decoder.pending <= len(data)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.sampled_from(FRAMES),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    st.binary(max_size=50),
    st.lists(st.integers(min_value=0), max_size=10),
)
def test_mutated_frame_then_valid_frame_is_decoded(frame, mutations, junk, cuts):
    mutated = bytearray(frame)
    for pos, value in mutations:
        mutated[pos % len(mutated)] = value
    stream = junk + bytes(mutated) + NO_CARD
    replies = feed_in_chunks(fr.FrameDecoder(), stream, cuts)
    assert replies and replies[-1] == fr.Response(0, 0, 0x80, b"")


@settings(max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=300), st.sampled_from(FRAMES), st.lists(st.integers(0), max_size=10))
def test_valid_frame_after_garbage_is_decoded(garbage, frame, cuts):
    replies = feed_in_chunks(fr.FrameDecoder(), garbage + frame, cuts)
    assert replies and replies[-1].sw3 == frame[9]
    assert replies[-1].data == frame[10:-1]
