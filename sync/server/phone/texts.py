"""What the phone page says, in Chinese and English: one table, used by the HTML and the live updates
(the page's script only puts these texts in place)."""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")
LEVELS = {
    "zh": {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"},
    "en": {5: "Very satisfied", 4: "Satisfied", 3: "Acceptable", 2: "Dissatisfied", 1: "Very dissatisfied"},
}
REASONS = {
    "zh": {"attitude": "服务态度差", "wait_too_long": "等候时间长", "unclear_guidance": "告知不清、材料要求不明",
           "slow_handling": "办理效率低", "repeat_visits": "多次跑腿", "facilities": "环境设施差", "other": "其他"},
    "en": {"attitude": "Poor attitude", "wait_too_long": "Waited too long", "unclear_guidance": "Unclear guidance",
           "slow_handling": "Slow handling", "repeat_visits": "Had to come back", "facilities": "Poor facilities",
           "other": "Other"},
}
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "我的排队号", "number": "号码", "service": "事项", "station": "站点",
        "waiting": "排队中", "ahead": "前面还有 {n} 人", "ahead_none": "下一位就是您",
        "estimate": "预计等候约 {n} 分钟", "estimate_none": "暂无等候时间估计",
        "called": "请到 {counter}", "called_head": "到您了！", "serving": "正在 {counter} 办理",
        "done": "已办结", "no_show": "已过号，请到服务台咨询", "cancelled": "号票已取消",
        "updated": "最后更新 {t}", "stale": "站点已有 {n} 分钟没有更新，以下信息可能不是最新的",
        "stale_never": "站点还没有报告排队情况，以下信息可能不是最新的",
        "rate_head": "请为本次服务评价", "rate_send": "提交评价", "reasons_head": "不满意的原因（可多选）",
        "reasons_hint": "选择“不满意”或“非常不满意”时请至少选一个原因",
        "phone_label": "联系电话（选填，仅用于回访）", "rated": "感谢您的评价！本次服务已评价。",
        "rating_closed": "本次服务的评价时间已过", "lang_other": "English", "refresh_hint": "本页会自动更新",
        "error_level": "请选择一个满意程度", "error_reasons": "请至少选择一个不满意的原因",
        "error_phone": "电话号码格式不对，请填写手机号或带区号的固定电话",
        "error_not_served": "办结后才能评价", "error_already": "这张号票已经评价过了，每次办事只评价一次",
        "error_closed": "这张号票的评价时间已过", "error_busy": "提交太频繁，请稍后再试",
        "not_found": "没有找到这张号票",
    },
    "en": {
        "title": "My queue ticket", "number": "Number", "service": "Service", "station": "Station",
        "waiting": "Waiting", "ahead": "{n} ahead of you", "ahead_none": "You are next",
        "estimate": "About {n} min to wait", "estimate_none": "No wait estimate yet",
        "called": "Please go to {counter}", "called_head": "It is your turn!", "serving": "Being served at {counter}",
        "done": "Done", "no_show": "Missed: please ask at the front desk", "cancelled": "Ticket cancelled",
        "updated": "Last update {t}", "stale": "The station has not reported for {n} min; this may be out of date",
        "stale_never": "The station has not reported its queue yet; this may be out of date",
        "rate_head": "Please rate the service", "rate_send": "Send rating", "reasons_head": "What went wrong",
        "reasons_hint": "Choose at least one reason for Dissatisfied or Very dissatisfied",
        "phone_label": "Phone (optional, only for a call back)", "rated": "Thank you! This visit has been rated.",
        "rating_closed": "Rating this visit is closed", "lang_other": "中文", "refresh_hint": "This page updates itself",
        "error_level": "Please choose a level", "error_reasons": "Please choose at least one reason",
        "error_phone": "Please give a mobile number or a landline with its area code",
        "error_not_served": "You can rate once the service is done",
        "error_already": "This ticket has been rated already (one rating per visit)",
        "error_closed": "Rating this ticket is closed", "error_busy": "Too many tries; please wait a moment",
        "not_found": "Ticket not found",
    },
}
# Counter names the station gives in Chinese ("一号窗口") are shown as they are in both languages.


def lang_of(query: str | None, accept_language: str | None) -> str:
    """``?lang=en`` or ``zh``, else English when the browser prefers it over Chinese, else Chinese."""
    if query in LANGS:
        return query
    for part in (accept_language or "").lower().split(","):
        tag = part.split(";")[0].strip()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"


def lines(state: dict[str, Any], lang: str) -> dict[str, str]:
    """The texts of the page's live parts for ``state`` (sync.server.phone.states)."""
    w = WORDS[lang]
    status = state["status"]
    out = {"status": "", "detail": "", "estimate": "", "stale": "", "updated": ""}
    counter = state.get("counter") or ("the counter" if lang == "en" else "窗口")
    if status == "waiting":
        out["status"] = w["waiting"]
        ahead = state.get("ahead")
        out["detail"] = "" if ahead is None else (w["ahead_none"] if ahead == 0 else w["ahead"].format(n=ahead))
        minutes = state.get("estimate_minutes")
        out["estimate"] = w["estimate_none"] if minutes is None else w["estimate"].format(n=minutes)
    elif status == "called":
        out["status"], out["detail"] = w["called_head"], w["called"].format(counter=counter)
    elif status == "serving":
        out["status"] = w["serving"].format(counter=counter)
    else:
        out["status"] = w.get(status, status)
    if state.get("stale") and status in ("waiting", "called", "serving"):
        minutes = state.get("silent_minutes")
        out["stale"] = w["stale_never"] if minutes is None else w["stale"].format(n=minutes)
    if state.get("updated"):
        out["updated"] = w["updated"].format(t=state["updated"])
    return out
