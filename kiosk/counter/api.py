"""The JSON API under /api/ (documented in docs/counter-api.md).

Errors are ``{"error": "<code>", "detail": "<text>"}`` as in sync-v1. Counter actions need the
session cookie set by POST /api/login; the display and its stream are public on the station's
network (numbers and counter names only).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from kiosk.counter import accounts
from kiosk.counter.announce import KEEP, Announcer, VoiceUnavailable
from kiosk.counter.desk import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, SESSION_SECONDS, Desk
from kiosk.counter.live import Hub
from kiosk.domain.ratings import RatingInvalid
from kiosk.store.counter_store import CallRefused

REFUSAL_STATUS = {"busy": 409, "paused": 409, "stale": 409, "not_waiting": 409, "wrong_status": 409,
                  "no_current": 409, "not_found": 404, "unknown_service": 422, "unknown_counter": 422,
                  "no_target": 422, "already_done": 409, "taken": 409,
                  # the window rating pad: sync-v1's rating rule and the pad's own
                  "no_ticket": 404, "not_served": 409, "already_rated": 409, "not_holder": 403,
                  "wrong_station": 409, "rating_closed": 409, "nothing_done": 409, "not_last_done": 409}
# A pad's rating that breaks a rule of the levels and reasons (kiosk.domain.ratings.RatingInvalid)
INVALID_RATING_WORDS = {"level_out_of_range": "评价等级应为1到5", "reasons_required": "请至少选择一项不满意的原因",
                        "unknown_reason": "没有这个原因选项，请重新选择"}


class _Body(BaseModel):
    """Request bodies are typed strictly: "yes" is not true, 17 is not a number like "A017"."""

    model_config = ConfigDict(strict=True, extra="forbid")


class LoginBody(_Body):
    counter_id: str = Field(max_length=64)
    pin: str = Field(max_length=64)


class NumberBody(_Body):
    number: str = Field(max_length=16)


class TransferBody(_Body):
    to_service: str | None = Field(None, max_length=64)
    to_counter: str | None = Field(None, max_length=64)


class PauseBody(_Body):
    paused: bool


class AssistanceBody(_Body):
    request_id: str = Field(min_length=1, max_length=64)


class PadRatingBody(_Body):
    ticket_id: str | None = Field(None, min_length=1, max_length=64)
    level: int
    reasons: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=16)


def error(status: int, code: str, detail: str, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail, **extra}, status_code=status, headers=headers)


def _local(request: Request) -> bool:
    try:
        return ipaddress.ip_address(request.client.host).is_loopback if request.client else False
    except ValueError:
        return False


def build_router(desk: Desk, hub: Hub, announcer: Announcer) -> APIRouter:
    api = APIRouter(prefix="/api")

    def with_counter(request: Request, action):
        """Run ``action(store, counter)`` for the session's counter; map refusals to JSON errors."""
        with desk.store() as store:
            session = request.cookies.get(SESSION_COOKIE)
            counter = desk.session_counter(store, session)
            if counter is None:
                return error(401, "not_logged_in", "请先用窗口PIN登录")
            if request.method != "GET" and not desk.csrf_ok(session, request.headers.get(CSRF_HEADER)):
                return error(403, "csrf", "页面已过期，请刷新页面后再操作（缺少本次登录的安全令牌）")
            try:
                return action(store, counter)
            except CallRefused as refusal:
                return error(REFUSAL_STATUS.get(refusal.code, 409), refusal.code, str(refusal))
            finally:
                if request.method != "GET":  # a read writes nothing: no need to look again
                    hub.poke()

    @api.get("/health")
    def health():
        return {"status": "ok", "time": desk.now().isoformat(timespec="seconds")}

    @api.get("/station")
    def station():
        return desk.station_state()

    @api.get("/counters")
    def counters():
        with desk.store() as store:
            return {"counters": accounts.listed(store.counters())}

    @api.get("/services")
    def services():
        with desk.store() as store:
            return {"services": [{"code": c, "name": n} for c, n in store.service_names().items()]}

    @api.post("/login")
    def login(request: Request, response: Response, body: LoginBody):
        counter_id = body.counter_id
        client = request.client.host if request.client else ""
        with desk.store() as store:
            result, data = desk.login(store, counter_id, body.pin, client)
        if result == "unknown":
            return error(404, "unknown_counter", f"没有窗口 {counter_id}")
        if result == "wrong":
            return error(401, "wrong_pin", f"PIN 错误，还可尝试 {data['tries_left']} 次", **data)
        if result == "locked":
            return error(423, "locked", f"PIN 错误次数过多，窗口已锁定，请 {data['retry_after']} 秒后再试",
                         headers={"Retry-After": str(data["retry_after"])}, **data)
        secure = request.url.scheme == "https"  # the station serves https when station.tls_cert is set
        response.set_cookie(SESSION_COOKIE, data["token"], max_age=SESSION_SECONDS, httponly=True,
                            samesite="strict", path="/", secure=secure)
        response.set_cookie(CSRF_COOKIE, data["csrf"], max_age=SESSION_SECONDS, samesite="strict", path="/",
                            secure=secure)
        return {"counter": data["counter"], "csrf": data["csrf"]}

    @api.post("/logout")
    def logout(request: Request, response: Response):
        desk.logout(request.cookies.get(SESSION_COOKIE))
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return {"ok": True}

    @api.get("/me")
    def me(request: Request):
        return with_counter(request, lambda store, counter: desk.queue_state(store, counter))

    @api.post("/call-next")
    def call_next(request: Request):
        def act(store, counter):
            ticket = store.call_next(counter, now=desk.now(), day=desk.today(), ratio=desk.call_ratio(store))
            if ticket is None:
                return error(404, "queue_empty", "当前没有等候的号")
            return {"ticket": ticket.answer()}
        return with_counter(request, act)

    @api.post("/call")
    def call_number(request: Request, body: NumberBody):
        number = body.number
        if not re.fullmatch(r"[A-Za-z]{1,3}\d{1,4}", number.strip()):
            return error(422, "bad_number", f"号码 {number!r} 格式不对，例如 A017")
        return with_counter(request, lambda store, counter: {"ticket": store.call_number(
            counter, number, now=desk.now(), day=desk.today()).answer()})

    @api.post("/recall")
    def recall(request: Request):
        return with_counter(request, lambda store, counter: {"ticket": store.recall(counter, now=desk.now()).answer()})

    @api.post("/serving")
    def serving(request: Request):
        return with_counter(request, lambda store, counter: {
            "ticket": store.start_serving(counter, now=desk.now()).answer()})

    @api.post("/done")
    def done(request: Request):
        return with_counter(request, lambda store, counter: {
            "ticket": store.mark_done(counter, now=desk.now()).answer()})

    @api.post("/no-show")
    def no_show(request: Request):
        return with_counter(request, lambda store, counter: {
            "ticket": store.mark_no_show(counter, now=desk.now()).answer()})

    @api.post("/transfer")
    def transfer(request: Request, body: TransferBody):
        return with_counter(request, lambda store, counter: {"ticket": store.transfer(
            counter, now=desk.now(), to_service=body.to_service or None, to_counter=body.to_counter or None).answer()})

    @api.post("/pause")
    def pause(request: Request, body: PauseBody):
        return with_counter(request, lambda store, counter: store.set_paused(counter["id"], body.paused))

    @api.post("/assistance/receive")
    def receive_assistance(request: Request, body: AssistanceBody):
        return with_counter(request, lambda store, counter: {"received": store.receive_assistance(
            counter, body.request_id, now=desk.now())})

    @api.post("/assistance/done")
    def finish_assistance(request: Request, body: AssistanceBody):
        return with_counter(request, lambda store, counter: {"done": store.finish_assistance(
            counter, body.request_id, now=desk.now())})

    @api.get("/pad")
    def pad(request: Request):
        return with_counter(request, lambda store, counter: desk.pad_state(store, counter))

    @api.post("/pad/rating")
    def pad_rating(request: Request, body: PadRatingBody):
        def act(store, counter):
            try:
                rating = store.rate_at_window(counter, level=body.level, reasons=body.reasons, now=desk.now(),
                                              day=desk.today(), ticket_id=body.ticket_id)
            except RatingInvalid as invalid:
                return error(422, invalid.code, INVALID_RATING_WORDS.get(invalid.code, "评价内容不完整，请重新选择"))
            return {"rating": rating, "detail": "感谢您的评价"}
        return with_counter(request, act)

    @api.get("/display")
    def display():
        with desk.store() as store:
            return desk.display_state(store)

    @api.get("/stream")
    async def stream(request: Request):
        return StreamingResponse(hub.stream(request.is_disconnected), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @api.get("/announcements/{seq}.wav")
    async def announcement(seq: int):
        """The spoken call of one of today's recent calls, for the hall display to play."""
        def recent():
            with desk.store() as store:
                return next((c for c in store.last_calls(desk.today(), KEEP) if c["seq"] == seq), None)

        call = await run_in_threadpool(recent)
        if call is None:
            return error(404, "not_found", "no recent call with this number")
        try:
            data = await run_in_threadpool(announcer.audio, call)
        except VoiceUnavailable as exc:
            return error(503, "no_voice", f"calls are not spoken here: {exc}")
        return Response(data, media_type="audio/wav", headers={"Cache-Control": "private, max-age=3600"})

    @api.get("/estimate")
    def estimate(service: str):
        with desk.store() as store:
            return {"service_code": service, "minutes": store.estimate_wait(service, desk.today(), desk.now())}

    def local_or_counter(request: Request, action):
        with desk.store() as store:
            if not _local(request) and desk.session_counter(store, request.cookies.get(SESSION_COOKIE)) is None:
                return error(401, "not_logged_in", "仅本机或已登录的窗口可查看")
            return action(store)

    @api.get("/served")
    def served(request: Request, since: str | None = None):
        try:
            start = datetime.fromisoformat(since) if since else datetime.combine(desk.today(), datetime.min.time(),
                                                                                 desk.now().tzinfo)
        except ValueError:
            return error(422, "bad_since", "since: an ISO time such as 2026-11-22T09:30:00+08:00")
        if start.tzinfo is None:
            start = start.replace(tzinfo=desk.now().tzinfo)
        return local_or_counter(request, lambda store: {"served": store.recently_served(start)})

    @api.get("/one-hour")
    def one_hour(request: Request, day: str | None = None):
        try:
            which = date.fromisoformat(day) if day else desk.today()
        except ValueError:
            return error(422, "bad_day", "day: YYYY-MM-DD")
        if abs((which - desk.today()).days) > 3660:
            return error(422, "bad_day", "day: a business day within ten years of today")
        return local_or_counter(request, lambda store: store.one_hour_rule(which))

    return api
