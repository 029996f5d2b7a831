"""Pseudonymous person keys: one person, one key, whatever way the number was typed."""

from __future__ import annotations

import pytest

from dagster_project.defs.lookups.person_keys import normalize_email, normalize_phone, person_key


@pytest.mark.parametrize(
    "typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "62812 3456 7890", "812-3456-7890"]
)
def test_phone_variants_normalise_to_one_e164(typed):
    assert normalize_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["", "-", "12", "abc", "+1 202 555 0100x"])
def test_non_indonesian_or_junk_phone_is_not_a_key(typed):
    assert normalize_phone(typed) is None or not normalize_phone(typed).startswith("+62")


def test_same_person_same_key_and_salt_matters():
    phone_key = person_key("phone", "0812-3456-7890", "s1")[1]
    assert phone_key == person_key("wa_id", "6281234567890", "s1")[1]
    assert phone_key != person_key("phone", "0812-3456-7890", "s2")[1]
    assert "81234567890" not in phone_key


def test_malformed_email_gives_no_key():
    assert normalize_email("nama@@gmail") is None
    assert normalize_email(" Budi@Example.ORG ") == "budi@example.org"


def test_outside_the_demo_a_missing_salt_stops_the_run(tmp_path, monkeypatch):
    import pytest

    from dagster_project.defs.lookups.person_keys import SAMPLE_SALT, MissingSalt, pii_salt
    from dagster_project.demo_mode import mark_demo_data_dir

    monkeypatch.delenv("DJPK_PII_SALT", raising=False)
    with pytest.raises(MissingSalt, match="DJPK_PII_SALT is not set"):
        pii_salt(tmp_path)
    mark_demo_data_dir(tmp_path)
    assert pii_salt(tmp_path) == SAMPLE_SALT  # the demo's own data dir only
    monkeypatch.setenv("DJPK_PII_SALT", "a-long-secret")
    assert pii_salt(tmp_path) == "a-long-secret"
