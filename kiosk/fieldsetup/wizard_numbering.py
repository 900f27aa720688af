"""The wizard's questions that keep numbers unique and the technician screen private: the numbering
block or letter of this kiosk, and the technician PIN."""

from __future__ import annotations

import re

from sync.protocol.numbering import numbering_overlaps as overlaps

from kiosk.config import demo_config
from kiosk.domain.pin import hash_pin, pin_matches
from kiosk.fieldsetup.enrolment import describe_numbering

BLOCK = re.compile(r"^\s*0*(\d{1,4})\s*-\s*0*(\d{1,4})\s*$")
LETTER = re.compile(r"^\s*([A-Za-z])\s*$")


def file_numbering(existing: dict) -> dict:
    """The numbering the configuration file has now (the kiosk's defaults for what it leaves out)."""
    table = existing.get("numbering") or {}
    if table.get("mode") == "letter" and table.get("letter"):
        return {"mode": "letter", "letter": str(table["letter"])}
    return {"mode": "block", "first": int(table.get("first", 1)), "last": int(table.get("last", 999))}


def parse_numbering(text: str) -> dict:
    """"501-999" is a block, "K" a letter; ValueError says what is allowed."""
    block, letter = BLOCK.match(text), LETTER.match(text)
    if letter:
        return {"mode": "letter", "letter": letter[1].upper()}
    if block and 1 <= int(block[1]) <= int(block[2]) <= 999:
        return {"mode": "block", "first": int(block[1]), "last": int(block[2])}
    raise ValueError(f"{text!r}: type a block of numbers like 501-999 (1 to 999), or one letter like K")


def free_default(current: dict, station: dict) -> dict:
    """The file's numbering when no other kiosk of the station holds it, else the district's proposal."""
    if any(overlaps(current, other["numbering"]) for other in station["taken"]):
        return station["proposal"]
    return current


def ask_numbering(console, default: dict) -> dict:
    while True:
        answer = console.ask("Numbers of this kiosk: a block like 501-999, or one letter for letter mode",
                             describe_numbering(default))
        try:
            return parse_numbering(answer)
        except ValueError as exc:
            console.say(f"  {exc}")


def ask_pin(console) -> str:
    """A technician PIN typed twice (not shown); its hash for kiosk.technician_pin_hash."""
    demo = demo_config().kiosk.technician_pin_hash
    while True:
        pin = console.ask_secret("Technician PIN for the kiosk's technician screen, 4 to 12 digits (not shown)")
        try:
            hashed = hash_pin(pin)
        except ValueError as exc:
            console.say(f"  {exc}")
            continue
        if demo and pin_matches(pin, demo):
            console.say("  that is the demo's PIN, which anyone can read: choose another")
            continue
        if console.ask_secret("The same PIN again (not shown)") != pin:
            console.say("  the two PINs differ: once more")
            continue
        return hashed
