"""The parts of `kiosk setup` on their own: the TOML writer (round trip through tomllib), device
detection over a made-up /dev and /sys, typed device URLs, and the staged configuration file."""

from __future__ import annotations

import os
import stat
import tomllib
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import config as kiosk_config
from kiosk.config.file import ConfigWriteError, StagedConfig, check_value, merged, read_existing
from kiosk.fieldsetup.devices import printer_candidates, printer_url, reader_candidates, reader_url
from tomlkit import dumps

# -- the TOML writer ------------------------------------------------------------------------------

SCALARS = st.one_of(st.text(), st.integers(min_value=-2**63, max_value=2**63 - 1), st.booleans(),
                    st.floats(allow_nan=False))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4))
KEYS = st.text(min_size=0, max_size=12)


TABLES = st.dictionaries(KEYS, st.one_of(VALUES, st.dictionaries(KEYS, VALUES)))


@given(st.dictionaries(KEYS, st.one_of(VALUES, TABLES)))
def test_what_is_written_reads_back_equal(data):
    assert tomllib.loads(dumps(data)) == data


@pytest.mark.parametrize("key", ["a\n", "ü", "", "a.b", " "])
def test_keys_that_are_not_bare_are_quoted(key):
    assert tomllib.loads(dumps({key: {key: 1}})) == {key: {key: 1}}


def test_the_configuration_shape_is_written_plainly():
    text = dumps({"kiosk": {"id": "YT-XZ-02", "check_opening_hours": False}, "numbering": {"first": 501},
                  "devices": {"printer": 'tcp://10.0.0.5:9100', "odd key": "a\"b\\c\n\x7f"}})
    assert text == ('[kiosk]\nid = "YT-XZ-02"\ncheck_opening_hours = false\n\n[numbering]\nfirst = 501\n\n'
                    '[devices]\nprinter = "tcp://10.0.0.5:9100"\n"odd key" = "a\\"b\\\\c\\n\\u007f"\n')


def test_floats_empty_tables_and_what_toml_cannot_hold():
    data = {"a": {}, "b": {"c": {"d": float("inf"), "e": -0.0, "f": 1e300}}}
    assert tomllib.loads(dumps(data)) == data
    assert dumps({"x": float("nan"), "y": float("-inf")}) == "x = nan\ny = -inf\n"
    with pytest.raises(TypeError):
        dumps({"when": object()})


# -- device detection -----------------------------------------------------------------------------

def test_reader_candidates_put_the_udev_name_first_and_list_each_port_once(tmp_path):
    for name in ("ttyUSB10", "ttyUSB2", "ttyACM0", "ttyS1", "null"):
        (tmp_path / name).touch()
    (tmp_path / "kiosk-idcard").symlink_to(tmp_path / "ttyUSB2")
    listed = [SimpleNamespace(device=str(tmp_path / "ttyUSB2"), description="USB2.0-Serial"),
              SimpleNamespace(device=str(tmp_path / "ttyS1"), description="n/a")]
    found = reader_candidates(tmp_path, lambda: listed)
    assert [c.url.removeprefix("serial://").removesuffix("?baudrate=115200").removeprefix(str(tmp_path) + "/")
            for c in found] == ["kiosk-idcard", "ttyUSB2", "ttyS1", "ttyUSB10", "ttyACM0"]
    assert found[0].label.startswith("-> ttyUSB2") and found[1].label == "USB2.0-Serial" and found[2].label == ""


def usb_device(root, name, vid, pid, interface_class, product=""):
    device = root / name
    (device / f"{name}:1.0").mkdir(parents=True)
    (device / "idVendor").write_text(vid + "\n")
    (device / "idProduct").write_text(pid + "\n")
    (device / f"{name}:1.0" / "bInterfaceClass").write_text(interface_class + "\n")
    if product:
        (device / "product").write_text(product + "\n")


def test_printer_candidates_from_dev_and_sysfs(tmp_path):
    dev, sys_usb = tmp_path / "dev", tmp_path / "sys"
    (dev / "usb").mkdir(parents=True)
    (dev / "usb" / "lp0").touch()
    (dev / "kiosk-printer").symlink_to(dev / "usb" / "lp0")
    usb_device(sys_usb, "1-3", "28e9", "0289", "07", product="POS-80")   # announces the printer class
    usb_device(sys_usb, "1-4", "0416", "5011", "ff")                     # known to the udev rules
    usb_device(sys_usb, "1-5", "1a86", "7523", "ff")                     # a USB-serial chip: not a printer
    urls = [c.url for c in printer_candidates(dev, sys_usb)]
    assert urls == [f"file://{dev}/kiosk-printer", f"file://{dev}/usb/lp0", "usb://28e9:0289", "usb://0416:5011"]


def test_a_printer_named_on_a_serial_port_is_a_serial_url(tmp_path):
    (tmp_path / "ttyACM0").touch()
    (tmp_path / "kiosk-printer").symlink_to(tmp_path / "ttyACM0")
    found = printer_candidates(tmp_path, tmp_path / "no-sys")
    assert found[0].url == f"serial://{tmp_path}/kiosk-printer?baudrate=115200"


@pytest.mark.parametrize("typed, url", [
    ("/dev/ttyUSB0", "serial:///dev/ttyUSB0?baudrate=115200"),
    (" serial:///dev/ttyS1?baudrate=9600 ", "serial:///dev/ttyS1?baudrate=9600"),
    ("none://", "none://"),
])
def test_typed_reader_ports(typed, url):
    assert reader_url(typed) == url


@pytest.mark.parametrize("typed, url", [
    ("/dev/usb/lp1", "file:///dev/usb/lp1"),
    ("/dev/ttyACM0", "serial:///dev/ttyACM0?baudrate=115200"),
    ("tcp://10.0.0.5:9100", "tcp://10.0.0.5:9100"),
    ("usb://0416:5011", "usb://0416:5011"),
])
def test_typed_printers(typed, url):
    assert printer_url(typed) == url


@pytest.mark.parametrize("convert, typed", [(reader_url, "COM3"), (reader_url, "serial://"),
                                            (reader_url, "serial:///dev/ttyS0?speed=1"), (reader_url, "tcp://x:1"),
                                            (printer_url, "tcp://:9100"), (printer_url, "usb://xyz"),
                                            (printer_url, "none://"), (printer_url, "lp0")])
def test_typed_devices_that_are_wrong(convert, typed):
    with pytest.raises(ValueError):
        convert(typed)


# -- the staged file ------------------------------------------------------------------------------

def test_merged_sets_dotted_keys_and_keeps_the_rest():
    data = {"kiosk": {"id": "A", "data_dir": "/x"}, "sync": {"server": ""}}
    assert merged(data, {"kiosk.id": "B", "devices.printer": "sim://"}) == {
        "kiosk": {"id": "B", "data_dir": "/x"}, "sync": {"server": ""}, "devices": {"printer": "sim://"}}
    assert data["kiosk"]["id"] == "A"


def test_check_value_uses_the_configuration_rules():
    assert check_value("kiosk.station_id", "yt-xiaozhai") is None
    assert "kiosk.station_id = 'yt xiaozhai'" in check_value("kiosk.station_id", "yt xiaozhai")
    assert "sync.server" in check_value("sync.server", "ftp://x")


def test_staged_file_is_0640_validated_and_only_replaces_on_commit(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nid = "OLD"\n')
    staged = StagedConfig(path, merged(read_existing(path), {"kiosk.id": "NEW"}))
    assert staged.config.kiosk.id == "NEW" and path.read_text() == '[kiosk]\nid = "OLD"\n'
    assert stat.S_IMODE(os.stat(staged.temporary).st_mode) == 0o640
    staged.commit()
    assert kiosk_config.load(str(path)).kiosk.id == "NEW" and sorted(os.listdir(tmp_path)) == ["kiosk.toml"]


def test_an_invalid_result_never_reaches_the_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nid = "OLD"\n')
    with pytest.raises(kiosk_config.ConfigError) as caught:
        StagedConfig(path, {"kiosk": {"id": "OLD", "elderly_age": 10}})
    assert str(path) in str(caught.value) and ".tmp" not in str(caught.value)
    assert path.read_text() == '[kiosk]\nid = "OLD"\n' and os.listdir(tmp_path) == ["kiosk.toml"]


def test_a_folder_that_cannot_be_written(tmp_path):
    (tmp_path / "file").touch()
    with pytest.raises(ConfigWriteError, match="cannot write .*Not a directory"):
        StagedConfig(tmp_path / "file" / "kiosk.toml", {})


def test_a_rewrite_keeps_the_files_comments_and_layout(tmp_path):
    path = tmp_path / "kiosk.toml"
    original = ('# Street terminal 2 of 小寨 station: installed 2026-11-30\n\n[kiosk]\n'
                'id = "YT-XZ-02"          # from the district\'s list\n'
                'station_id = "yt-xiaozhai"\n\n[numbering]\n# kiosk 2 of this station\nfirst = 501\nlast = 999\n')
    path.write_text(original, encoding="utf-8")
    staged = StagedConfig(path, merged(read_existing(path), {"devices.printer": "tcp://127.0.0.1:9100",
                                                              "kiosk.station_id": "yt-dayanta"}))
    staged.commit()
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# Street terminal 2 of 小寨 station: installed 2026-11-30\n\n[kiosk]\n'
                           'id = "YT-XZ-02"          # from the district\'s list\nstation_id = "yt-dayanta"\n')
    assert "# kiosk 2 of this station\nfirst = 501\n" in text
    assert tomllib.loads(text)["devices"] == {"printer": "tcp://127.0.0.1:9100"}
