"""Synthetic people for the sample exports: names, e-mail addresses and phone numbers.

The name and number lists are the tickets generator's (``tickets.FIRST_NAMES`` …), so every
export's personal data looks alike and none of it is real.
"""

from __future__ import annotations

import random
import re

from .common import fit_phone_bucket, weighted_choice
from .tickets import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MOBILE_PREFIXES


def person_name(rng: random.Random) -> str:
    """``Siti``, ``Budi Santoso`` or ``Made Ayu Wibowo``."""
    shape = rng.random()
    first = rng.choice(FIRST_NAMES)
    if shape < 0.15:
        return first
    if shape < 0.9:
        return f"{first} {rng.choice(LAST_NAMES)}"
    return f"{first} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email_address(rng: random.Random, name: str, domains: list[tuple[str, float]] | None = None) -> str:
    parts = [re.sub(r"[^a-z]", "", word.lower()) for word in name.split()]
    parts = [p for p in parts if p] or ["user"]
    local = rng.choice([".", "", "_"]).join(parts[:2]) + (str(rng.randint(1, 99)) if rng.random() < 0.5 else "")
    return f"{local}@{weighted_choice(rng, domains or EMAIL_DOMAINS)}"


def mobile_number(rng: random.Random, month: str, used: set[str]) -> str:
    """A national mobile number ``08…`` not in ``used`` (added to it), in ``month``'s bucket
    (``common.fit_phone_bucket``: never equal to a number drawn for another month)."""
    while True:
        number = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(rng.choice((7, 8, 8))))
        number = fit_phone_bucket(number, month)
        if number not in used:
            used.add(number)
            return number


def digits_62(phone: str) -> str:
    """Any written Indonesian number (``0812-…``, ``+62 812 …``) as ``62…`` digits (a WhatsApp id)."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def national(phone: str) -> str:
    """Any written Indonesian number as national digits ``0812…`` / ``021…``."""
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("62") else digits
