import json
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.idcard.doctor import doctor_idcard
from drivers.idcard.simulator import ReaderSimulator

ROOT = Path(__file__).resolve().parents[3]
RESIDENT_KEYS = {
    "card_type", "name", "gender", "nation", "birth_date", "address", "id_number", "issuer",
    "valid_from", "valid_to", "id_number_valid",
}


@pytest.fixture
def sim():
    simulator = ReaderSimulator().start()
    yield simulator
    simulator.stop()


@pytest.mark.parametrize("reveal", [False, True])
def test_success_reports_the_card(sim, reveal):
    sim.place("resident")
    result, code = doctor_idcard(sim.path, timeout=2.0, reveal=reveal)
    assert code == 0
    assert set(result) == RESIDENT_KEYS
    assert result["birth_date"] == "1950-03-12" and result["valid_to"] == "长期"
    assert result["id_number_valid"] is True and result["nation"] == "汉"
    if reveal:
        assert (result["name"], result["id_number"]) == ("王建国", "610113195003121232")
    else:
        assert (result["name"], result["id_number"]) == ("王**", "610113********1232")
        assert result["address"].startswith("陕西省西安市*")
    json.dumps(result)


def test_hk_mo_tw_card_adds_permit_fields(sim):
    sim.place("hk_mo_tw")
    result, code = doctor_idcard(sim.path, timeout=2.0)
    assert code == 0 and result["issue_count"] == 1 and "permit_number" in result
    assert "nation" not in result


def test_sim_url_as_port():
    result, code = doctor_idcard("sim://?card=resident_young", timeout=2.0)
    assert (code, result["gender"], result["nation"]) == (0, "女", "回")


def test_no_card_within_time_out(sim):
    assert doctor_idcard(sim.path, timeout=0.2) == ({"error": "no_card"}, 3)


def test_unavailable_port(tmp_path):
    result, code = doctor_idcard(str(tmp_path / "ttyUSB9"), timeout=0.2)
    assert code == 4 and result["error"] == "port_unavailable" and result["detail"]


@pytest.mark.parametrize(
    ("setting", "value", "error"),
    [
        ("sam_failure", True, "sam_failure"),
        ("read_error", 0x41, "card_read_failed"),
        ("garbage", True, "unsupported_reader"),
    ],
)
def test_device_failures_exit_4(sim, setting, value, error):
    sim.place("resident")
    setattr(sim, setting, value)
    result, code = doctor_idcard(sim.path, timeout=1.0)
    assert (code, result["error"]) == (4, error)
    assert "王建国" not in result["detail"]


def run_doctor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "drivers.idcard.doctor", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )


def test_module_prints_one_json_object(sim):
    sim.place("foreign")
    done = run_doctor("--port", sim.path, "--timeout", "5", "--json")
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    result = json.loads(line)
    assert result["card_type"] == "foreign" and result["nationality"] == "USA"
    assert result["english_name"].startswith("S*")


def test_module_exit_code_for_missing_port(tmp_path):
    done = run_doctor("--port", str(tmp_path / "none"), "--timeout", "0.2", "--json")
    assert done.returncode == 4
    assert json.loads(done.stdout)["error"] == "port_unavailable"
