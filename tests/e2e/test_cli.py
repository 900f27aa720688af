import json

from kiosk_process import json_lines, run_kiosk


def write_config(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_issue_prints_one_committed_line_per_ticket_and_numbers_survive_restart(kiosk_env):
    first = run_kiosk(kiosk_env, "ticket", "issue", "--service", "SB-KSL", "--count", "3")
    assert first.returncode == 0, first.stderr
    second = run_kiosk(kiosk_env, "ticket", "issue", "--service", "SB-KSL")
    issued = json_lines(first.stdout) + json_lines(second.stdout)
    assert [t["number"] for t in issued] == ["A001", "A002", "A003", "A004"]
    assert set(issued[0]) == {"ticket_id", "number", "service_code", "business_date"}
    listed = run_kiosk(kiosk_env, "ticket", "list", "--date", issued[0]["business_date"], "--json")
    assert [t["ticket_id"] for t in json.loads(listed.stdout)] == [t["ticket_id"] for t in issued]


def test_catalogue_list_and_version(kiosk_env):
    services = json.loads(run_kiosk(kiosk_env, "catalogue", "list", "--json").stdout)
    names = {s["name"] for s in services}
    assert {"社会保障卡申领", "老年人优待证办理", "残疾人证申领", "失业登记", "法律援助申请", "个体工商户登记"} <= names
    version = run_kiosk(kiosk_env, "--version")
    assert version.returncode == 0 and version.stdout.startswith("kiosk ")


def test_unknown_service_exits_3_with_a_message_and_no_traceback(kiosk_env):
    result = run_kiosk(kiosk_env, "ticket", "issue", "--service", "NOPE")
    assert result.returncode == 3
    assert "unknown service code 'NOPE'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_config_exits_2_naming_key_value_and_allowed(kiosk_env, tmp_path):
    path = write_config(tmp_path, '[kiosk]\nday_rollover_hour = 30\n')
    result = run_kiosk(kiosk_env, "--config", path, "ticket", "list", "--json")
    assert result.returncode == 2
    assert "kiosk.day_rollover_hour = 30" in result.stderr and "0 to 23" in result.stderr
    assert "Traceback" not in result.stderr
    broken = write_config(tmp_path, '[kiosk\n')
    assert run_kiosk(kiosk_env, "--config", broken, "ticket", "list", "--json").returncode == 2


def test_exhausted_block_exits_3_after_the_last_number(kiosk_env, tmp_path):
    path = write_config(tmp_path, '[kiosk]\ncheck_opening_hours = false\n[numbering]\nfirst = 498\nlast = 499\n')
    result = run_kiosk(kiosk_env, "--config", path, "ticket", "issue", "--service", "SB-KSL", "--count", "3")
    assert [t["number"] for t in json_lines(result.stdout)] == ["A498", "A499"]
    assert result.returncode == 3 and "498-499 are all issued" in result.stderr


def test_unusable_data_directory_exits_4(kiosk_env, tmp_path):
    blocker = tmp_path / "occupied"
    blocker.write_text("a file where the data directory should be")
    kiosk_env["KIOSK_DATA_DIR"] = str(blocker / "data")
    result = run_kiosk(kiosk_env, "ticket", "issue", "--service", "SB-KSL")
    assert result.returncode == 4 and "cannot be created" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_arguments_exit_2(kiosk_env):
    assert run_kiosk(kiosk_env, "ticket", "issue", "--service", "SB-KSL", "--count", "0").returncode == 2
    result = run_kiosk(kiosk_env, "ticket", "list", "--date", "2026-13-01", "--json")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_pin_hash_reads_stdin_and_refuses_non_digits(kiosk_env):
    import subprocess

    from kiosk_process import KIOSK, PROJECT
    from kiosk.domain.pin import pin_matches

    good = subprocess.run([*KIOSK, "pin-hash"], input="2468\n", env=kiosk_env, cwd=PROJECT,
                          capture_output=True, text=True, timeout=30)
    assert good.returncode == 0 and pin_matches("2468", good.stdout.strip())
    bad = subprocess.run([*KIOSK, "pin-hash"], input="abcd\n", env=kiosk_env, cwd=PROJECT,
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "4 to 12 digits" in bad.stderr and "Traceback" not in bad.stderr
