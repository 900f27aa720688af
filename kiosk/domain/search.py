"""Finding a service by the pinyin initials of its name (社会保障卡申领 → SBKSL) or by its words."""

from __future__ import annotations

import string
from typing import Iterable, Sequence

from kiosk.domain.catalogue import Service

LETTERS = string.ascii_uppercase


def normalize_query(text: str) -> str:
    """Upper-case ASCII letters, no spaces: what the letter pad and a keyboard type alike."""
    return "".join(text.split()).upper()


def _is_initials(query: str) -> bool:
    return bool(query) and all(ch in LETTERS for ch in query)


def search_services(services: Iterable[Service], query: str) -> list[Service]:
    """Services matching ``query``, in catalogue order.

    Letters match pinyin initials: those whose initials start with the query; when none do, those
    whose initials contain it anywhere.
    Anything else (Chinese text) matches the name or the category. An empty query matches all.
    """
    services = list(services)
    raw = "".join(query.split())
    if not raw:
        return services
    upper = raw.upper()
    if _is_initials(upper):
        starts = [s for s in services if s.initials.upper().startswith(upper)]
        if starts:
            return starts
        return [s for s in services if upper in s.initials.upper()]
    return [s for s in services if raw in s.name or raw in s.category]


def next_letters(services: Sequence[Service], query: str) -> set[str]:
    """The letters that, typed after ``query``, still find at least one service."""
    base = normalize_query(query)
    return {letter for letter in LETTERS if search_services(services, base + letter)}
