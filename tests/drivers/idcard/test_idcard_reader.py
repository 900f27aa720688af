import logging
import os
import threading
import time

import pytest

from drivers.idcard.errors import (
    CardReadError,
    FramingError,
    ProtocolError,
    ReaderTimeout,
    ReaderUnavailable,
    SamError,
    TextBlockError,
    UnsupportedReader,
)
from drivers.idcard.reader import CardRead, CardRemoved, SerialCardReader, open_reader
from drivers.idcard.sample_cards import SAMPLE_CARDS, SampleCard
from drivers.idcard.simulator import ReaderSimulator


@pytest.fixture
def sim():
    simulator = ReaderSimulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture
def reader(sim):
    r = SerialCardReader(sim.path, find_timeout=0.3, select_timeout=0.3, timeout=2.0)
    yield r
    r.close()


def poll_until(reader, predicate, seconds=3.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            event = reader.poll()
            if predicate(event):
                return event
        except ReaderUnavailable:
            pass
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


@pytest.mark.parametrize("key", sorted(SAMPLE_CARDS))
def test_every_card_type_is_read(sim, reader, key):
    sim.place(key)
    event = reader.poll()
    assert isinstance(event, CardRead)
    expected = SAMPLE_CARDS[key]
    assert event.info.card_type == key.removesuffix("_young")
    assert event.info.id_number in expected.text.decode("utf-16-le")


def test_no_card_then_card_read_once_then_removed_once(sim, reader):
    assert reader.poll() is None
    sim.place("resident")
    assert isinstance(reader.poll(), CardRead)
    assert [reader.poll(), reader.poll()] == [None, None]
    assert sim.counts["read base message"] == 1
    sim.remove()
    assert reader.poll() == CardRemoved()
    assert reader.poll() is None
    sim.place("resident_young")
    assert reader.poll().info.name == "李晓雨"
    assert sim.counts["read base message"] == 2


def test_read_failure_raises_code_41_until_card_is_replaced(sim, reader):
    sim.read_error = 0x41
    sim.place("resident")
    with pytest.raises(CardReadError) as caught:
        reader.poll()
    assert caught.value.code == 0x41 and caught.value.meaning == "card read failed"
    sim.read_error = None
    assert reader.poll() is None
    sim.remove()
    assert reader.poll() == CardRemoved()
    sim.place("resident")
    assert isinstance(reader.poll(), CardRead)


def test_sam_failure_is_a_typed_error(sim, reader):
    sim.sam_failure = True
    with pytest.raises(SamError) as caught:
        reader.poll()
    assert caught.value.code == 0x60
    with pytest.raises(SamError):
        reader.sam_status()
    sim.sam_failure = False
    reader.sam_status()


def test_stray_bytes_before_every_reply(sim, reader):
    sim.stray = b"\xaa\x00"
    sim.place("hk_mo_tw")
    assert reader.poll().info.permit_number == "H12345678"


def test_fragmented_writes(sim, reader):
    sim.chunk_size, sim.chunk_delay = 7, 0.0005
    sim.place("foreign")
    assert reader.poll().info.english_name == "SMITH, JOHN ALEXANDER"


def test_slow_replies_within_time_outs(sim, reader):
    sim.reply_delay = 0.15
    sim.place("foreign_2023")
    assert isinstance(reader.poll(), CardRead)


def test_reply_after_time_out_does_not_confuse_next_command(sim, reader):
    reader.find_timeout = 0.05
    sim.reply_delay = 0.1
    sim.place("resident")
    with pytest.raises(ReaderTimeout):
        reader.poll()
    sim.reply_delay = 0.0
    time.sleep(0.1)
    assert isinstance(reader.poll(), CardRead)


def test_paced_line_reads_within_time_outs():
    with ReaderSimulator("resident", pace=True) as sim:
        with SerialCardReader(sim.path) as r:
            started = time.monotonic()
            assert isinstance(r.poll(), CardRead)
            assert time.monotonic() - started >= 0.11  # 1,359 bytes at 115200 baud


def test_unplug_and_replug_recovers_within_three_seconds(sim, reader):
    sim.place("resident")
    assert isinstance(reader.poll(), CardRead)
    sim.unplug()
    assert not os.path.exists(sim.path)
    for _ in range(2):
        with pytest.raises(ReaderUnavailable):
            reader.poll()
    sim.remove()
    sim.replug()
    replugged = time.monotonic()
    assert poll_until(reader, lambda e: e == CardRemoved()) == CardRemoved()
    assert time.monotonic() - replugged < 3.0
    sim.place("resident_young")
    assert isinstance(reader.poll(), CardRead)


def test_garbage_only_device_fails_clearly_without_hanging(sim, reader):
    sim.garbage = True
    started = time.monotonic()
    with pytest.raises(UnsupportedReader):
        reader.poll()
    assert time.monotonic() - started < 1.0


def test_silent_device_times_out():
    master, slave = os.openpty()
    try:
        with SerialCardReader(os.ttyname(slave), find_timeout=0.1) as r:
            with pytest.raises(ReaderTimeout):
                r.poll()
    finally:
        os.close(master)
        os.close(slave)


def test_missing_port_is_unavailable(tmp_path):
    r = SerialCardReader(str(tmp_path / "ttyNONE"))
    with pytest.raises(ReaderUnavailable):
        r.open()
    with pytest.raises(ReaderUnavailable):
        r.poll()


def test_read_sam_id(reader):
    assert reader.read_sam_id() == "05.01-20230915-000123456-987654321"


def test_reader_belongs_to_one_thread(sim, reader):
    reader.poll()
    errors = []
    worker = threading.Thread(target=lambda: errors.append(pytest.raises(RuntimeError, reader.poll)))
    worker.start()
    worker.join()
    assert errors


def test_debug_log_has_no_personal_data(sim, reader, caplog):
    caplog.set_level(logging.DEBUG, logger="drivers.idcard")
    sim.place("resident")
    reader.poll()
    assert "0x90" in caplog.text
    for secret in ("王建国", "610113195003121232", "雁塔"):
        assert secret not in caplog.text


def test_sim_url_reader_owns_its_simulator():
    r = open_reader("sim://?card=resident&find_timeout=0.2")
    try:
        assert r.find_timeout == 0.2
        assert r.poll().info.address.startswith("陕西省西安市雁塔区")
        r.simulator.remove()
        assert r.poll() == CardRemoved()
    finally:
        r.close()
    assert not any(t.name == "idcard-simulator" for t in threading.enumerate())


def test_serial_url_parameters():
    r = open_reader("serial:///dev/ttyUSB0?baudrate=57600&timeout=3")
    assert (r.port, r.baudrate, r.timeout, r.is_open) == ("/dev/ttyUSB0", 57600, 3.0, False)


@pytest.mark.parametrize(
    "url", ["serial://", "serial:///dev/ttyUSB0?speed=9600", "sim://?card=nobody", "tcp://x:1"]
)
def test_bad_urls_are_rejected(url):
    with pytest.raises(ValueError):
        open_reader(url)


def test_unknown_result_code_is_a_typed_error_carrying_it(sim, reader):
    sim.read_error = 0x99
    sim.place("resident")
    with pytest.raises(ProtocolError) as caught:
        reader.poll()
    assert caught.value.code == 0x99 and "unknown" in caught.value.meaning


def test_undecodable_text_block_is_a_typed_error_and_needs_replacing(sim, reader):
    bad_text = b"\x00\xd8" + SAMPLE_CARDS["resident"].text[2:]
    sim.place(SampleCard("broken", bad_text))
    with pytest.raises(TextBlockError):
        reader.poll()
    assert reader.poll() is None
    assert sim.counts["read base message"] == 1


def test_garbage_after_valid_frames_is_a_framing_error(sim, reader):
    assert reader.poll() is None
    sim.garbage = True
    with pytest.raises(FramingError) as caught:
        reader.poll()
    assert not isinstance(caught.value, UnsupportedReader)


def test_wait_for_card_returns_the_card_or_none(sim, reader):
    assert reader.wait_for_card(timeout=0.1) is None
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    assert reader.wait_for_card(timeout=5.0, stop=stop) is None
    assert time.monotonic() - started < 1.0
    sim.place("resident")
    assert isinstance(reader.wait_for_card(timeout=1.0), CardRead)
