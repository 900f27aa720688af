"""The district console's pages in a real headless chromium against a real district server: log in
(and a wrong password), the list with an overdue order, one poor rating's order moved through every
state by clicking, each role doing its own step, the caller's phone reveal in the audit log,
accessibility (axe-core, WCAG 2.1 AA) and nothing clipped at 1366×768 and 1920×1080."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
import requests

from axe_audit import axe_violations
from console_browser import (CHINA, PASSWORD, Staff, browsers, clipped, now_in_china, order_of,
                             running_site, screenshot, viewport)

SIZES = ((1366, 768), (1920, 1080))


@pytest.fixture
def site(tmp_path):
    yield from running_site(tmp_path)


@pytest.fixture
def browser(tmp_path):
    yield from browsers(tmp_path)


def wait_for(condition, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # the page is being redrawn: look again
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def text_of(driver, selector: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector).text


def log_in(driver, url: str, name: str, password: str = PASSWORD, page: str = "/console") -> None:
    from selenium.webdriver.common.by import By

    driver.get(url + page)
    assert wait_for(lambda: driver.find_element(By.ID, "name").is_displayed())
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()


def logged_in(driver, url: str, name: str, page: str = "/console") -> None:
    log_in(driver, url, name, page=page)
    assert wait_for(lambda: name in text_of(driver, "#who")), driver.page_source[:2000]


def two_orders(site) -> tuple[str, str]:
    """An overdue poor rating (2026-11-20, its 回访 due 11-27) and a fresh one; their orders."""
    late = site.kiosk.rate(1, datetime(2026, 11, 20, 10, 0, tzinfo=CHINA))
    fresh = site.kiosk.rate(2, now_in_china(), reasons=("wait_too_long", "slow_handling"), service="YB-CBDJ")
    site.kiosk.rate(5, now_in_china(), reasons=(), phone=None, comment=None)  # a good rating opens none
    return order_of(site, late), order_of(site, fresh)


def check_page(driver, name: str) -> None:
    """Nothing clipped at either desktop size, no WCAG 2.1 AA violation; a screenshot at 1366×768."""
    for width, height in SIZES:
        viewport(driver, width, height)
        time.sleep(0.1)
        assert not clipped(driver), (name, width, clipped(driver))
    viewport(driver, *SIZES[0])
    screenshot(driver, name)
    assert axe_violations(driver) == [], name


def test_a_wrong_password_is_said_plainly_and_the_list_marks_the_overdue_order(site, browser):
    from selenium.webdriver.common.by import By

    late, fresh = two_orders(site)
    driver = browser()
    log_in(driver, site.url, "admin", "not the password")
    assert wait_for(lambda: "用户名或密码错误" in text_of(driver, "#login-message"))
    message = driver.find_element(By.ID, "login-message")
    assert "Wrong name or password" in message.text and message.get_attribute("role") == "alert"
    assert driver.find_element(By.CSS_SELECTOR, "#login-message .en").get_attribute("lang") == "en"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert driver.current_url == site.url + "/console"
    check_page(driver, "console-login-wrong-password")

    driver.find_element(By.ID, "name").clear()
    logged_in(driver, site.url, "admin")
    assert driver.current_url == site.url + "/console/orders"
    assert wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#orders tbody tr[data-order]")) == 2)
    row = driver.find_element(By.CSS_SELECTOR, f"tr[data-order='{late}']")
    assert "overdue" in row.get_attribute("class")
    assert "⚠ 已超期" in row.text and "Overdue" in row.text  # in words and an icon, not in colour alone
    assert "回访" in row.text and "2026-11-27" in row.text  # the deadline as a date in Asia/Shanghai
    assert "按周一至周五估算" in row.text  # the 整改 deadline runs into a year without the official calendar
    assert "非常不满意" in row.text and "服务态度差" in row.text and "区人社局" in row.text
    assert "小寨路街道便民服务中心" in row.text and "窗口 3" in row.text and "社会保障卡申领" in row.text
    assert "待转派" in row.text
    other = driver.find_element(By.CSS_SELECTOR, f"tr[data-order='{fresh}']")
    assert "overdue" not in (other.get_attribute("class") or "") and "已超期" not in other.text
    assert "不满意" in other.text and "等候时间长、办理效率低" in other.text and "区医保局" in other.text
    assert "共 2 张工单，其中 1 张已超期" in text_of(driver, "#summary")
    assert [a.get_attribute("href").split("/")[-1] for a in driver.find_elements(By.CSS_SELECTOR, ".nav a")
            if a.is_displayed()] == ["overview", "map", "fleet", "orders", "figures", "publish", "audit"]
    check_page(driver, "console-orders-overdue")

    driver.find_element(By.CSS_SELECTOR, "#filter-overdue option[value='true']").click()
    driver.find_element(By.CSS_SELECTOR, "#filters button[type='submit']").click()
    assert wait_for(lambda: [r.get_attribute("data-order") for r in
                             driver.find_elements(By.CSS_SELECTOR, "#orders tbody tr[data-order]")] == [late])
    assert driver.current_url.endswith("/console/orders?overdue=true")


def step(driver, url: str, name: str, order: str, action: str, fill=None, shot: str | None = None) -> None:
    """``name`` logs in, opens the order, sees exactly ``action`` among the actions, fills in its
    form and submits it; the page then shows it done and the step in the history."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    logged_in(driver, url, name, page=f"/console/orders/{order}")
    assert driver.current_url == f"{url}/console/orders/{order}"
    assert wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, f"#action-{action}")), (name, action, text_of(driver, "main"))
    if shot:
        check_page(driver, shot)
    if fill:
        fill(driver)
    button = driver.find_element(By.ID, f"submit-{action}")
    before = len(driver.find_elements(By.CSS_SELECTOR, "#steps li:not(.empty)"))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    assert wait_for(lambda: "已完成" in text_of(driver, "#action-message")), text_of(driver, "#action-message")
    assert wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#steps li:not(.empty)")) == before + 1)


def typed(selector: str, words: str):
    def fill(driver) -> None:
        from selenium.webdriver.common.by import By

        driver.find_element(By.CSS_SELECTOR, selector).send_keys(words)
    return fill


def clicked(*selectors: str):
    def fill(driver) -> None:
        from selenium.webdriver.common.by import By

        for selector in selectors:
            driver.find_element(By.CSS_SELECTOR, selector).click()
    return fill


def both(*fills):
    def fill(driver) -> None:
        for each in fills:
            each(driver)
    return fill


def test_an_order_goes_through_every_state_each_role_doing_its_own_step(site, browser):
    from selenium.webdriver.common.by import By

    late, _fresh = two_orders(site)
    driver = browser()
    url = site.url

    # 站点负责人 assigns: the unit select has the service's department preselected
    step(driver, url, "head", late, "assign", shot="console-detail-station-head",
         fill=lambda d: assert_selected(d, "#assign-unit", "区人社局"))
    assert not driver.find_elements(By.ID, "show-contact")  # nobody but the caller sees the phone button
    step(driver, url, "renshe", late, "verify", typed("#verify-note", "已调取窗口录像核实"), shot="console-detail-unit")
    assert [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, "#actions form")] == ["action-appeal"]

    # 回访员: the phone number, shown on request and written to the audit log
    driver.delete_all_cookies()
    logged_in(driver, url, "caller", page=f"/console/orders/{late}")
    assert wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#action-call_back"))
    assert "审计日志" in text_of(driver, "#contact-panel") and "13800000001" not in text_of(driver, "main")
    driver.find_element(By.ID, "show-contact").click()
    assert wait_for(lambda: "13800000001" in text_of(driver, "#contact"))
    assert "等了很久没人管" in text_of(driver, "#contact")
    assert not driver.find_element(By.ID, "show-contact").is_displayed()
    screenshot(driver, "console-detail-caller-phone")
    step(driver, url, "caller", late, "call_back", both(clicked("#call_back-outcome-reached"),
                                                        typed("#call_back-resident_said", "窗口人员态度冷淡")),
         shot="console-detail-caller")
    step(driver, url, "renshe", late, "rectify", typed("#rectify-changes", "窗口人员已培训，增设引导员"))
    step(driver, url, "caller", late, "re_rate", clicked("#re_rate-level option[value='4']"))
    step(driver, url, "head", late, "close", typed("#close-note", "群众满意，办结"))

    assert wait_for(lambda: "办结" in text_of(driver, "#facts"))
    assert "工单已办结" in text_of(driver, "#actions")
    steps = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#steps li")]
    assert len(steps) == 6
    for text, (who, action, before, after) in zip(steps, (
            ("head", "转派", "待转派", "已转派"), ("renshe", "核实", "已转派", "核实中"),
            ("caller", "回访", "核实中", "已回访"), ("renshe", "整改", "已回访", "已整改"),
            ("caller", "满意度测评", "已整改", "满意度测评"), ("head", "办结", "满意度测评", "办结"))):
        assert who in text and f"{action}" in text and before in text and after in text, text
    assert "窗口人员态度冷淡" in steps[2] and "窗口人员已培训" in steps[3] and "满意" in steps[4]
    detail = Staff(url, "admin").get(f"/console/api/work-orders/{late}").json()
    assert detail["state"] == "closed" and [s["role"] for s in detail["steps"]] == [
        "station_head", "unit", "caller", "unit", "caller", "station_head"]

    # 区管理员: the caller's view is in the audit log, newest first
    driver.delete_all_cookies()
    logged_in(driver, url, "admin", page="/console/audit")
    assert wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#audit tbody tr[data-entry]"))
    first = driver.find_element(By.CSS_SELECTOR, "#audit tbody tr[data-entry]").text
    assert "caller" in first and "回访员" in first and "查看联系方式" in first and late in first, first
    check_page(driver, "console-audit")


def assert_selected(driver, selector: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.common.by import By

    assert Select(driver.find_element(By.CSS_SELECTOR, selector)).first_selected_option.get_attribute("value") == value


def test_an_appeal_filed_by_the_unit_is_rejected_then_upheld_by_the_admin(site, browser):
    late, _fresh = two_orders(site)
    Staff(site.url, "admin").post(f"/console/api/work-orders/{late}/assign", {})
    driver = browser((1920, 1080))
    appeal = both(clicked("#appeal-kind-malicious"), typed("#appeal-reason", "该群众当日未到本窗口办理"))
    step(driver, site.url, "renshe", late, "appeal", appeal)
    assert wait_for(lambda: "申诉中" in text_of(driver, "#facts"))
    step(driver, site.url, "admin", late, "decide_appeal",
         both(clicked("#decide_appeal-decision-reject"), typed("#decide_appeal-reason", "录像显示确在本窗口办理")),
         shot="console-appeal-decision")
    assert wait_for(lambda: "已转派" in text_of(driver, "#facts .badge.state"))
    step(driver, site.url, "renshe", late, "appeal",
         both(clicked("#appeal-kind-mistaken"), typed("#appeal-reason", "群众来电说明误点")))
    step(driver, site.url, "admin", late, "decide_appeal",
         both(clicked("#decide_appeal-decision-uphold"), typed("#decide_appeal-reason", "群众确认误评")))
    facts = text_of(driver, "#facts")
    assert "办结" in facts and "误评" in facts and "维持申诉" in facts and "群众确认误评" in facts
    screenshot(driver, "console-appeal-upheld")
    assert [s["action"] for s in Staff(site.url, "admin").get(f"/console/api/work-orders/{late}").json()["steps"]] == [
        "assign", "appeal", "decide_appeal", "appeal", "decide_appeal"]


def test_a_refused_action_is_shown_calmly_and_the_page_refreshed(site, browser):
    from selenium.webdriver.common.by import By

    late, _fresh = two_orders(site)
    admin = Staff(site.url, "admin")
    admin.post(f"/console/api/work-orders/{late}/assign", {})
    driver = browser()
    logged_in(driver, site.url, "renshe", page=f"/console/orders/{late}")
    assert wait_for(lambda: driver.find_elements(By.ID, "submit-appeal"))
    driver.find_element(By.ID, "submit-appeal").click()  # nothing filled in: the server says 422
    assert wait_for(lambda: "填写的内容有误" in text_of(driver, "#action-message"))
    assert "kind must be one of malicious, mistaken" in text_of(driver, "#action-message")
    assert admin.post(f"/console/api/work-orders/{late}/verify", {}).status_code == 200  # someone else was faster
    driver.find_element(By.ID, "verify-note").send_keys("核实")
    driver.find_element(By.ID, "submit-verify").click()
    assert wait_for(lambda: "不允许此操作" in text_of(driver, "#action-message"))
    assert "illegal" in text_of(driver, "#action-message") or "not allowed in state" in text_of(driver, "#action-message")
    assert wait_for(lambda: "核实中" in text_of(driver, "#facts"))  # refreshed: verify is no longer offered
    assert not driver.find_elements(By.ID, "action-verify")
    screenshot(driver, "console-refused-409")


def test_log_out_and_an_ended_session_lead_calmly_to_the_login_page(site, browser):
    from selenium.webdriver.common.by import By

    two_orders(site)
    driver = browser()
    logged_in(driver, site.url, "head")
    assert wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".nav a[href='/console/figures']"))
    assert not driver.find_elements(By.CSS_SELECTOR, ".nav a[href='/console/audit']")  # not offered at all
    from sqlalchemy import create_engine, text

    engine = create_engine(site.db_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM console_sessions"))  # the session ends (as after 30 minutes unused)
    engine.dispose()
    driver.find_element(By.CSS_SELECTOR, "#filters button[type='submit']").click()
    assert wait_for(lambda: "登录已过期" in text_of(driver, "#login-message"))
    assert "/console?expired=1" in driver.current_url
    screenshot(driver, "console-login-expired")
    driver.find_element(By.ID, "name").send_keys("head")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    assert wait_for(lambda: driver.current_url == site.url + "/console/orders")  # back where it was
    assert wait_for(lambda: "head" in text_of(driver, "#who"))
    driver.find_element(By.ID, "logout").click()
    assert wait_for(lambda: "您已退出登录" in text_of(driver, "#login-message"))
    driver.get(site.url + "/console/orders")
    assert wait_for(lambda: driver.current_url.startswith(site.url + "/console?next="))


def test_too_many_failed_logins_say_how_long_to_wait_and_the_form_works_by_keyboard(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser()
    driver.get(site.url + "/console")
    assert wait_for(lambda: driver.switch_to.active_element.get_attribute("id") == "name")
    order = []
    for _ in range(2):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        focused = driver.switch_to.active_element
        order.append(focused.get_attribute("id"))
        assert focused.value_of_css_property("outline-style") == "solid"  # a visible focus
    assert order == ["password", "login-submit"]
    for _ in range(5):  # five failed logins for one name from this address
        answer = requests.post(site.url + "/console/api/login", json={"name": "caller", "password": "wrong"},
                               headers={"Origin": site.url}, timeout=30)
        assert answer.status_code == 401
    driver.find_element(By.ID, "name").send_keys("caller")
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)  # even the right password waits
    assert wait_for(lambda: "登录失败次数过多" in text_of(driver, "#login-message"))
    message = text_of(driver, "#login-message")
    assert "秒后再试" in message and "Too many failed logins; please try again in" in message, message
    assert driver.current_url == site.url + "/console"
    screenshot(driver, "console-login-throttled")
