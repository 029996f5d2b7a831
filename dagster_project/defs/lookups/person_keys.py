"""Pseudonymous person keys: a salted hash of a normalised phone number or e-mail address.

Names, e-mails and phone numbers stay in the raw layer. Everything downstream sees only
``person_key`` (distinct users can still be counted). Phone numbers are normalised to E.164 with
``phonenumbers`` so that ``0812…``, ``+62812…`` and ``62812 …`` are the same person; the salt comes
from ``$DJPK_PII_SALT`` and is never written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import re

import phonenumbers

SALT_ENV = "DJPK_PII_SALT"
SAMPLE_SALT = "djpk-sample-salt"  # only for the bundled sample data; set DJPK_PII_SALT in production
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def pii_salt() -> str:
    return os.environ.get(SALT_ENV) or SAMPLE_SALT


def normalize_phone(text: str | None) -> str | None:
    """E.164 form of an Indonesian phone number as typed, or None when it is not a phone number."""
    digits = re.sub(r"\D", "", text or "")
    if not digits:
        return None
    if digits.startswith("62"):
        candidate = "+" + digits
    elif digits.startswith("0"):
        candidate = digits
    elif digits.startswith("8"):
        candidate = "0" + digits
    else:
        return None
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(text: str | None) -> str | None:
    value = (text or "").strip().lower()
    return value if EMAIL_PATTERN.match(value) else None


NORMALIZERS = {"phone": normalize_phone, "wa_id": normalize_phone, "email": normalize_email}


def person_key(kind: str, value: str | None, salt: str) -> tuple[str | None, str | None]:
    """(normalised value, salted key) for a contact value; (None, None) when it does not parse.

    WhatsApp ids are phone numbers, so both hash into the same ``phone`` space.
    """
    normalized = NORMALIZERS[kind](value)
    if normalized is None:
        return None, None
    space = "phone" if kind in ("phone", "wa_id") else kind
    digest = hashlib.sha256(f"{salt}|{space}|{normalized}".encode()).hexdigest()
    return normalized, digest[:32]
