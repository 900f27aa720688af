"""The HTML of the phone page: rendered whole on the server (it reads without script), with
``static/phone.js`` only to put the live texts in place as they change. No inline script or style:
the Content-Security-Policy allows only this server's files."""

from __future__ import annotations

from html import escape
from typing import Any

from sync.server.phone.states import TicketInfo
from sync.server.phone.texts import LEVELS, REASONS, WORDS, lines

HEADERS = {
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                                "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "Vary": "Accept-Language",
}
ERRORS = {"level": "error_level", "reasons": "error_reasons", "phone": "error_phone", "not_served": "error_not_served",
          "already_rated": "error_already", "rating_closed": "error_closed", "busy": "error_busy"}


def public_state(state: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the page's script and ``/state`` get: the status, the texts to show, and which parts."""
    return {"status": state["status"], "lines": lines(state, lang), "ahead": state.get("ahead"),
            "estimate_minutes": state.get("estimate_minutes"), "counter": state.get("counter"),
            "stale": state["stale"], "rating_open": state["rating_open"], "rated": state["rated"],
            "rating_closed": state["rating_closed"]}


def _head(title: str, lang: str, refresh: bool) -> str:
    noscript = '<noscript><meta http-equiv="refresh" content="20"></noscript>' if refresh else ""
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">'
            f'<title>{escape(title)}</title><link rel="stylesheet" href="/t/static/phone.css">{noscript}'
            '<script src="/t/static/phone.js" defer></script></head>')


def not_found_page() -> str:
    """The same page for an unknown token and a malformed one."""
    return (_head("没有找到这张号票 · Ticket not found", "zh", False) + '<body><main class="gone">'
            '<h1>没有找到这张号票</h1><p>Ticket not found</p></main></body></html>')


def _form(token: str, lang: str, reasons: list[str]) -> str:
    w = WORDS[lang]
    levels = "".join(
        f'<label class="level level-{n}"><input type="radio" name="level" value="{n}" required>'
        f'<span class="level-label">{escape(LEVELS[lang][n])}</span></label>' for n in (5, 4, 3, 2, 1))
    boxes = "".join(
        f'<label class="reason"><input type="checkbox" name="reason" value="{escape(code)}">'
        f'<span class="reason-label">{escape(REASONS[lang].get(code, code))}</span></label>' for code in reasons)
    return (f'<form class="rate" method="post" action="/t/{escape(token)}/rating?lang={lang}">'
            f'<fieldset class="levels"><legend>{w["rate_head"]}</legend>{levels}</fieldset>'
            f'<fieldset class="reasons"><legend>{w["reasons_head"]}</legend><p class="hint">{w["reasons_hint"]}</p>'
            f'{boxes}<label class="phone"><span>{w["phone_label"]}</span>'
            '<input type="tel" name="phone" inputmode="tel" autocomplete="off" maxlength="20"></label></fieldset>'
            f'<button type="submit">{w["rate_send"]}</button></form>')


def ticket_page(info: TicketInfo, state: dict[str, Any], token: str, lang: str, reasons: list[str],
                error: str | None = None) -> str:
    w = WORDS[lang]
    texts = lines(state, lang)
    other = "en" if lang == "zh" else "zh"

    def shown(flag: bool) -> str:
        return "" if flag else " hidden"

    line = lambda name, cls: f'<p class="{cls}" data-line="{name}">{escape(texts[name])}</p>'  # noqa: E731
    return (
        _head(f'{info.number} · {w["title"]}', lang, True)
        + f'<body data-events="/t/{escape(token)}/events?lang={lang}" data-state="/t/{escape(token)}/state?lang={lang}">'
        + f'<main data-status="{escape(state["status"])}">'
        + f'<header><p class="station">{escape(info.station[lang])}</p>'
        + f'<a class="lang" href="/t/{escape(token)}?lang={other}" lang="{other}">{w["lang_other"]}</a></header>'
        + f'<section class="ticket"><p class="label">{w["number"]}</p><h1 class="number">{escape(info.number)}</h1>'
        + f'<p class="service">{escape(info.service[lang])}</p></section>'
        + '<section class="live" aria-live="polite">' + line("status", "status") + line("detail", "detail")
        + line("estimate", "estimate") + "</section>"
        + line("stale", "stale")
        + (f'<p class="error" role="alert">{escape(w[ERRORS.get(error, "error_level")])}</p>' if error else "")
        + f'<section class="rating" data-part="rating"{shown(state["rating_open"])}>'
        + _form(token, lang, reasons) + "</section>"
        + f'<p class="rated" data-part="rated"{shown(state["rated"])}>{w["rated"]}</p>'
        + f'<p class="closed" data-part="closed"{shown(state["rating_closed"])}>{w["rating_closed"]}</p>'
        + '<footer>' + line("updated", "updated") + f'<p class="hint">{w["refresh_hint"]}</p></footer>'
        + "</main></body></html>")
