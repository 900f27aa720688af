"""The console's pages over plain HTTP against a real district server: each role × each page and
GET API route → allowed, 403, or (without a session) the login page; the pages' security headers;
the static files; and pages without inline script or style (the Content-Security-Policy forbids
them)."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from console_browser import CHINA, Staff, order_of, running_site
from sync.server.console.pages import PAGE_PARTS, render_page

STATIC = Path(__file__).resolve().parents[2] / "sync" / "server" / "console" / "static"
ROLES = ("admin", "head", "renshe", "caller", "other-head", "minzheng")
# route -> the expected status for admin, head (of the order's station), renshe (the order's unit),
# caller, other-head (another station), minzheng (another unit); ORDER stands for the order's id
TABLE = {
    "/console/orders": (200, 200, 200, 200, 200, 200),
    "/console/orders/ORDER": (200, 200, 200, 200, 403, 403),
    "/console/audit": (200, 403, 403, 403, 403, 403),
    "/console/figures": (200, 200, 403, 403, 200, 403),
    "/console/api/labels": (200, 200, 200, 200, 200, 200),
    "/console/api/work-orders": (200, 200, 200, 200, 200, 200),
    "/console/api/work-orders/ORDER": (200, 200, 200, 200, 403, 403),
    "/console/api/work-orders/ORDER/contact": (403, 403, 403, 200, 403, 403),
    "/console/api/audit": (200, 403, 403, 403, 403, 403),
    "/console/api/figures?month=2026-11": (200, 200, 403, 403, 200, 403),
    "/console/api/figures/export.xlsx?month=2026-11": (200, 200, 403, 403, 200, 403),
}
PAGES = ("/console", "/console/orders", "/console/orders/ORDER", "/console/audit", "/console/figures")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the module (the table only reads): its URL, a poor rating's order, and every
    account logged in."""
    sites = running_site(tmp_path_factory.mktemp("pages"))
    site = next(sites)
    order = order_of(site, site.kiosk.rate(1, datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)))
    staff = {name: Staff(site.url, name) for name in ROLES}
    yield site.url, order, staff
    for each in staff.values():
        each.close()
    sites.close()


@pytest.mark.parametrize("route", sorted(TABLE))
def test_each_role_may_open_a_route_or_is_refused(served, route):
    _url, order, staff = served
    path = route.replace("ORDER", order)
    got = tuple(staff[name].get(path).status_code for name in ROLES)
    assert got == TABLE[route], dict(zip(ROLES, got))


@pytest.mark.parametrize("route", PAGES[1:])
def test_without_a_session_a_page_sends_to_the_login_page_and_the_api_says_401(served, route):
    url, order, _staff = served
    path = route.replace("ORDER", order)
    answer = requests.get(url + path, allow_redirects=False, timeout=10)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console?next=" + requests.utils.quote(path, safe="")


@pytest.mark.parametrize("route", [r for r in sorted(TABLE) if r.startswith("/console/api/")])
def test_without_a_session_the_api_says_401(served, route):
    url, order, _staff = served
    answer = requests.get(url + route.replace("ORDER", order), allow_redirects=False, timeout=10)
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"


def test_the_login_page_is_served_without_a_session_and_skipped_with_one(served):
    url, _order, staff = served
    page = requests.get(url + "/console", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text and 'id="login-form"' in page.text
    again = staff["caller"].get("/console")
    assert again.status_code == 303 and again.headers["location"] == "/console/orders"


@pytest.mark.parametrize("route", PAGES)
def test_every_page_carries_strict_security_headers(served, route):
    _url, order, staff = served
    answer = staff["admin"].get(route.replace("ORDER", order))
    if route == "/console":  # logged in: sent on to the list, with the same headers
        assert answer.status_code == 303
    else:
        assert answer.status_code == 200 and answer.headers["content-type"] == "text/html; charset=utf-8"
    policy = dict(part.strip().split(" ", 1) for part in answer.headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and "unsafe" not in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    refused = staff["renshe"].get("/console/audit")
    assert refused.status_code == 403 and refused.headers["x-frame-options"] == "DENY" and "无权访问" in refused.text


def test_an_unknown_order_is_a_404_page_and_only_the_console_files_are_served(served):
    url, _order, staff = served
    missing = staff["admin"].get("/console/orders/no-such-order")
    assert missing.status_code == 404 and "找不到该工单" in missing.text
    script = requests.get(url + "/console/static/common.js", timeout=10)
    assert script.status_code == 200 and script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["x-content-type-options"] == "nosniff"
    assert requests.get(url + "/console/static/console.css", timeout=10).headers["content-type"].startswith("text/css")
    for name in ("orders.html", "..%2Fpages.py", "pages.py", "%2e%2e%2fapp.py"):
        assert requests.get(url + "/console/static/" + name, timeout=10).status_code == 404, name


class Inline(HTMLParser):
    """Collects what the Content-Security-Policy would refuse: inline scripts, style elements and
    attributes, event handler attributes; and controls without a label."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "script":
            self.in_script = True
            if not named.get("src", "").startswith("/console/static/"):
                self.refused.append(f"script without src {named}")
        if tag == "style" or "style" in named or any(name.startswith("on") for name in named):
            self.refused.append(f"{tag} {named}")
        if tag in ("input", "select", "textarea") and named.get("type") != "hidden":
            self.controls.append(named.get("id", "?"))
        if tag == "label" and "for" in named:
            self.labelled.add(named["for"])

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.refused.append(f"inline script {data[:40]!r}")


@pytest.mark.parametrize("page", ["login", *sorted(PAGE_PARTS)])
def test_the_pages_have_no_inline_script_or_style_and_a_label_for_every_control(page):
    parser = Inline()
    text = render_page(page)
    parser.feed(text)
    assert parser.refused == []
    assert set(parser.controls) <= parser.labelled, page
    assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    for english in re.findall(r'<span[^>]*class="en"[^>]*>', text):
        assert 'lang="en"' in english, english


def test_the_scripts_build_the_page_without_html_strings():
    for script in STATIC.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "innerHTML" not in text and "outerHTML" not in text and "insertAdjacentHTML" not in text, script.name
        assert "eval(" not in text and ".style." not in text, script.name


def test_every_page_part_is_a_page_and_every_page_its_script_and_styles():
    """Each page in PAGE_PARTS has its <main> file, and the files it names are served assets."""
    assert {p.stem for p in (STATIC / "main").glob("*.html")} == set(PAGE_PARTS)
    for name, (_title, styles, scripts) in PAGE_PARTS.items():
        text = render_page(name)
        assert text.count("<main") == 1 and "${" not in text, name
        for asset in (*styles, *(s for s in scripts if not s.startswith("vendor/"))):
            assert (STATIC / asset).is_file(), (name, asset)
