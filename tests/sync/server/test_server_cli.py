"""`district-server` commands: enrol-token, import-catalogue errors, followups with working-day deadlines."""

import json
import subprocess
import sys

import pytest

from district_kiosk_client import make_op, served_rating
from sync.server.cli import main

CLI = [sys.executable, "-m", "sync.server.cli"]


def run_cli(*args):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60)


def push_ratings(kiosk):
    """Five ratings, each of a ticket served on its day (pushed first), three of them poor with a phone."""
    served = [
        served_rating(level=1, reasons=["attitude"], contact_phone="13800000001", rated_at="2026-11-20T10:00:00+08:00"),
        served_rating(level=2, reasons=["other"], contact_phone="13800000002", rated_at="2026-11-21T09:00:00+08:00"),
        served_rating(level=1, reasons=["facilities"], contact_phone="13800000003",
                      rated_at="2026-11-19T23:00:00-05:00"),
        served_rating(level=3, rated_at="2026-11-18T09:00:00+08:00"),
        served_rating(level=2, reasons=["attitude"], rated_at="2026-11-18T09:00:00+08:00"),
    ]
    tickets = [make_op(seq, "ticket", ticket) for seq, (ticket, _) in enumerate(served, start=1)]
    ratings = [rating for _, rating in served]
    rating_ops = [make_op(seq, "rating", r) for seq, r in enumerate(ratings, start=len(tickets) + 1)]
    response = kiosk.push(tickets + rating_ops)
    assert [r["status"] for r in response.json()["results"]] == ["applied"] * 10, response.text
    return ratings


def test_followups_oldest_first_with_default_five_working_days(kiosk, db_url, capsys):
    ratings = push_ratings(kiosk)
    assert main(["followups", "--db", db_url, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["rating_id"] for i in items] == [ratings[0]["rating_id"], ratings[2]["rating_id"],
                                               ratings[1]["rating_id"]]
    assert [i["deadline"] for i in items] == [
        "2026-11-27T10:00:00+08:00", "2026-11-26T23:00:00-05:00", "2026-11-27T09:00:00+08:00"]
    assert items[0]["contact_phone"] == "13800000001"


def test_followups_working_days_from_config(kiosk, db_url, tmp_path, capsys):
    ratings = push_ratings(kiosk)
    catalogue = tmp_path / "c.json"
    catalogue.write_text(json.dumps({"config": {"followup_working_days": 3}}))
    assert main(["import-catalogue", "--db", db_url, str(catalogue)]) == 0
    capsys.readouterr()
    assert main(["followups", "--db", db_url, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["deadline"] for i in items] == [
        "2026-11-25T10:00:00+08:00", "2026-11-24T23:00:00-05:00", "2026-11-25T09:00:00+08:00"]
    assert main(["followups", "--db", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and ratings[0]["rating_id"] in lines[0]


def test_enrol_token_prints_only_the_token(db_url):
    result = run_cli("enrol-token", "--db", db_url, "--station", "yt-dayanta", "--kiosk", "YT-DYT-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and len(lines[0]) >= 32 and " " not in lines[0]
    assert "yt-dayanta" in result.stderr and "warning" in result.stderr
    again = run_cli("enrol-token", "--db", db_url, "--station", "yt-dayanta", "--kiosk", "YT-DYT-02")
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout.strip() != lines[0]


@pytest.mark.parametrize("args, words", [
    (["enrol-token", "--db", "nosuch://x", "--station", "s", "--kiosk", "k"], "nosuch"),
    (["enrol-token", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "--station", "s", "--kiosk", "k"],
     "unreachable"),
    (["enrol-token", "--db", "sqlite:////nonexistent/dir/x.db", "--station", "s", "--kiosk", "k"], "unreachable"),
    (["enrol-token", "--db", "DB", "--station", "bad station", "--kiosk", "k"], "--station"),
    (["import-catalogue", "--db", "DB", "/nonexistent.json"], "nonexistent.json"),
    (["import-catalogue", "--db", "DB", "BADJSON"], "not valid JSON"),
    (["import-catalogue", "--db", "DB", "BADSHAPE"], "services"),
    (["followups", "--db", "nosuch://x"], "nosuch"),
    (["frobnicate"], "invalid choice"),
    (["serve"], "--db"),
])
def test_cli_errors_are_one_line_without_traceback(tmp_path, args, words):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope")
    bad_shape = tmp_path / "shape.json"
    bad_shape.write_text(json.dumps({"services": [{"name": "no code"}]}))
    replace = {"DB": f"sqlite:///{tmp_path / 'd.db'}", "BADJSON": str(bad_json), "BADSHAPE": str(bad_shape)}
    result = run_cli(*[replace.get(a, a) for a in args])
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    if args[0] != "frobnicate" and args != ["serve"]:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
