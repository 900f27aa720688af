"""Numbering blocks and letters checked at enrolment, where all of a station's kiosks are known."""

import pytest

from district_kiosk_client import issue_token

BLOCK_1 = {"mode": "block", "first": 1, "last": 499}
BLOCK_2 = {"mode": "block", "first": 501, "last": 999}


def enrol(server, db_url, kiosk_id, numbering, station="yt-xiaozhai", token=None):
    token = token or issue_token(db_url, station, kiosk_id)
    return server.post("/v1/enrol", json={"token": token, "kiosk_id": kiosk_id, "numbering": numbering}), token


def test_an_overlapping_block_is_refused_with_a_free_one_and_the_token_stays_valid(server, db_url):
    assert enrol(server, db_url, "YT-XZ-01", BLOCK_1)[0].status_code == 201
    refused, token = enrol(server, db_url, "YT-XZ-02", {"mode": "block", "first": 1, "last": 499})
    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "numbering_overlap" and "YT-XZ-01" in body["detail"] and "001-499" in body["detail"]
    assert body["proposal"] == BLOCK_2
    again, _ = enrol(server, db_url, "YT-XZ-02", BLOCK_2, token=token)  # the same token, the free block
    assert again.status_code == 201, again.text


@pytest.mark.parametrize("second", [{"mode": "block", "first": 400, "last": 600},
                                    {"mode": "block", "first": 499, "last": 499}])
def test_any_shared_number_is_an_overlap(server, db_url, second):
    enrol(server, db_url, "YT-XZ-01", BLOCK_1)
    assert enrol(server, db_url, "YT-XZ-02", second)[0].status_code == 409


def test_letters_blocks_and_other_stations_do_not_clash(server, db_url):
    assert enrol(server, db_url, "YT-XZ-01", {"mode": "letter", "letter": "K"})[0].status_code == 201
    assert enrol(server, db_url, "YT-XZ-02", BLOCK_1)[0].status_code == 201  # A001 is not AK001
    assert enrol(server, db_url, "YT-XZ-03", {"mode": "letter", "letter": "K"})[0].json()["proposal"] == \
        {"mode": "block", "first": 501, "last": 999}
    assert enrol(server, db_url, "YT-DY-01", BLOCK_1, station="yt-dayanta")[0].status_code == 201


def test_re_enrolling_a_kiosk_keeps_its_own_block(server, db_url):
    assert enrol(server, db_url, "YT-XZ-01", BLOCK_1)[0].status_code == 201
    assert enrol(server, db_url, "YT-XZ-01", BLOCK_1)[0].status_code == 201


def test_the_wizard_asks_the_station_before_enrolling(server, db_url):
    enrol(server, db_url, "YT-XZ-01", BLOCK_1)
    token = issue_token(db_url, "yt-xiaozhai", "YT-XZ-02")
    answer = server.post("/v1/enrol/numbering", json={"token": token, "kiosk_id": "YT-XZ-02"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"station_id": "yt-xiaozhai", "taken": [{"kiosk_id": "YT-XZ-01", "numbering": BLOCK_1}],
                             "proposal": BLOCK_2}
    assert enrol(server, db_url, "YT-XZ-02", BLOCK_2, token=token)[0].status_code == 201  # not used by asking
    assert server.post("/v1/enrol/numbering", json={"token": "nope", "kiosk_id": "YT-XZ-02"}).status_code == 401


@pytest.mark.parametrize("numbering", [{"mode": "block", "first": 10, "last": 5}, {"mode": "block", "first": 0, "last": 5},
                                       {"mode": "block", "first": True, "last": 5}, {"mode": "letter", "letter": "k"},
                                       {"mode": "letter", "letter": "KK"}, {"mode": "roman"}, "A001-A499"])
def test_a_bad_numbering_is_422_with_the_error_body(server, db_url, numbering):
    answer, _ = enrol(server, db_url, "YT-XZ-01", numbering)
    assert answer.status_code == 422 and set(answer.json()) == {"error", "detail"}
