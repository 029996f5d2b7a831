"""Pseudonymous person keys: HMAC-SHA-256 (keyed by the salt) of a normalised phone number or e-mail address.

Names, e-mails and phone numbers stay in the raw layer. Everything downstream sees only
``person_key`` (distinct users can still be counted). Phone numbers are normalised to E.164 with
``phonenumbers`` so that ``0812…``, ``+62812…`` and ``62812 …`` are the same person; the salt comes
from ``$DJPK_PII_SALT`` and is never written anywhere. Only the demo's data dir (marked by ``djpk demo``)
may fall back to the published sample salt: anywhere else a missing salt stops the run, because keys made
with a salt that is in this repository can be reversed by trying every phone number.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

import phonenumbers

SALT_ENV = "DJPK_PII_SALT"
SAMPLE_SALT = "djpk-sample-salt"  # only for the bundled sample data; set DJPK_PII_SALT in production
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class MissingSalt(RuntimeError):
    """``$DJPK_PII_SALT`` is not set for a data dir that is not the demo's."""


def pii_salt(data_dir: Path | None = None) -> str:
    """The secret salt; the sample salt only in the demo's data dir (``demo_mode.is_demo_data_dir``)."""
    from ...demo_mode import is_demo_data_dir

    salt = os.environ.get(SALT_ENV)
    if salt:
        return salt
    if is_demo_data_dir(data_dir):
        return SAMPLE_SALT
    raise MissingSalt(
        f"{SALT_ENV} is not set: person keys of real data need a secret salt (a long random string, kept "
        "like a password and never changed, or every user's key changes). Only the demo's data dir uses "
        "the sample salt."
    )


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
    digest = hmac.new(salt.encode(), f"{space}|{normalized}".encode(), hashlib.sha256).hexdigest()
    return normalized, digest[:32]
