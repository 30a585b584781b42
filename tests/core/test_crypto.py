from __future__ import annotations

import os
import stat

import pytest

from vigil.core.crypto import DecryptionError, Keyring, KeyringError, key_id_of, keyring_read, keyring_write


def test_a_value_round_trips_and_the_ciphertext_hides_it():
    """Encrypting then decrypting gives the text back; the stored form contains none of it."""
    ring = Keyring.generate()
    token = ring.encrypt("Айгүл +7 700 555 0101", context="records.testifier.phone")
    assert "555" not in token and "Айгүл" not in token
    assert ring.decrypt(token, context="records.testifier.phone") == "Айгүл +7 700 555 0101"


def test_equal_values_encrypt_differently():
    """Random nonces: two encryptions of one value differ, so equal values cannot be spotted in the database."""
    ring = Keyring.generate()
    assert ring.encrypt("x", context="c") != ring.encrypt("x", context="c")


def test_a_value_moved_to_another_column_does_not_decrypt():
    """The column is bound to the value as associated data."""
    ring = Keyring.generate()
    token = ring.encrypt("secret", context="records.testifier.name")
    with pytest.raises(DecryptionError, match="does not authenticate"):
        ring.decrypt(token, context="records.testifier.note")


def test_a_tampered_ciphertext_is_refused():
    ring = Keyring.generate()
    token = ring.encrypt("secret", context="c")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(DecryptionError):
        ring.decrypt(flipped, context="c")


def test_a_value_under_an_unknown_key_names_the_key():
    token = Keyring.generate().encrypt("secret", context="c")
    with pytest.raises(DecryptionError, match=key_id_of(token)):
        Keyring.generate().decrypt(token, context="c")


def test_blind_index_is_keyed_and_stable():
    """Equal numbers give equal indexes under one keyring and unrelated ones under another."""
    a, b = Keyring.generate(), Keyring.generate()
    number = "650102198003120012"
    assert a.blind_index(number, context="identity_number") == a.blind_index(number, context="identity_number")
    assert a.blind_index(number, context="identity_number") != b.blind_index(number, context="identity_number")
    assert number not in a.blind_index(number, context="identity_number")


def test_rotation_keeps_old_keys_until_finished():
    """During a rotation new values use the new key and old ones still decrypt; finishing drops the old key."""
    ring = Keyring.generate()
    old_token = ring.encrypt("old", context="c")
    old_id = ring.active
    new_id = ring.rotation_begin()
    assert ring.active == new_id and ring.rotating_from == [old_id]
    assert key_id_of(ring.encrypt("new", context="c")) == new_id
    moved = ring.reencrypt(old_token, context="c")
    assert key_id_of(moved) == new_id and ring.decrypt(moved, context="c") == "old"
    with pytest.raises(KeyringError, match="in progress"):
        ring.rotation_begin()
    assert ring.rotation_finish() == [old_id]
    assert list(ring.keys) == [new_id] and ring.rotating_from == []


def test_keyring_file_is_private_and_round_trips(tmp_path):
    ring = Keyring.generate()
    path = tmp_path / "keys" / "field-keys.json"
    keyring_write(ring, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = keyring_read(path)
    assert again.keys == ring.keys and again.active == ring.active and again.index_key == ring.index_key


def test_missing_or_malformed_keyring_says_what_to_do(tmp_path):
    with pytest.raises(KeyringError, match="vigil keys init"):
        keyring_read(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"keys": {}}')
    with pytest.raises(KeyringError, match="not a vigil keyring"):
        keyring_read(bad)
