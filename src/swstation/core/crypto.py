"""Encryption at rest and keyed hashes for personal data (spec/identifiers.md, Storage).

Numbers are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography`
package) and looked up by an HMAC-SHA256 of the normalised number, so that equality search and
duplicate detection never need the clear text in the database.

Keys come from settings, never from SECRET_KEY in production:

- ``PERSONAL_DATA_KEYS``: Fernet keys, newest first. The first encrypts; every one decrypts, so
  a new key can be put in front of the old one and the data re-encrypted at leisure
  (``python -m swstation rotate_personal_data_keys``) before the old key is dropped.
- ``PERSONAL_DATA_HASH_KEY``: the HMAC key of the lookup hashes. A hash cannot be re-keyed
  without the clear value, so a new hash key needs every hash recomputed from the decrypted
  numbers (``rotate_personal_data_keys --rehash``) before search works again.

With DEBUG off both are required: the system check in core/checks.py fails without them and
this module refuses to make up keys. With DEBUG on and none set, both derive from SECRET_KEY
(development and demos only).

Models declare the fields that hold tokens made here in ``encrypted_fields`` (a tuple of
:class:`EncryptedField`); :func:`encrypted_models` finds them, history tables included, for the
key rotation and the restore check (``verify_restore``), so a new model with encrypted data is
covered by declaring its fields.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

KEY_SETTINGS = frozenset({"PERSONAL_DATA_KEYS", "PERSONAL_DATA_HASH_KEY", "SECRET_KEY", "DEBUG"})
# An HMAC key shorter than this is refused (a Fernet key, as docs/operations.md generates, is 44).
MIN_HASH_KEY_LENGTH = 32


@dataclass(frozen=True)
class EncryptedField:
    """A model field holding a Fernet token made by this module (text, or bytes for a
    BinaryField), and the field holding the lookup hash of its clear value, if any."""

    name: str
    hash_field: str = ""
    binary: bool = False

    def token(self, stored: Any) -> bytes:
        """The field's stored value (str, or bytes/memoryview for binary) as token bytes."""
        if not stored:
            return b""
        return bytes(stored) if self.binary else str(stored).encode()


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"swstation:{label}:{settings.SECRET_KEY}".encode()).digest()


def _development_only(setting: str) -> None:
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            f"{setting} must be set when DEBUG is off (see docs/operations.md, Personal-data keys)."
        )


def key_problems() -> list[str]:
    """What is wrong with the configured personal-data keys, in words ([] when nothing)."""
    problems = []
    keys = list(getattr(settings, "PERSONAL_DATA_KEYS", None) or [])
    if not keys:
        problems.append("PERSONAL_DATA_KEYS is not set.")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError, binascii.Error):
            problems.append(
                f"PERSONAL_DATA_KEYS: key {position} of {len(keys)} is not a Fernet key "
                "(32 bytes in URL-safe base64, 44 characters)."
            )
    hash_key = getattr(settings, "PERSONAL_DATA_HASH_KEY", "") or ""
    if not hash_key:
        problems.append("PERSONAL_DATA_HASH_KEY is not set.")
    elif len(hash_key) < MIN_HASH_KEY_LENGTH:
        problems.append(f"PERSONAL_DATA_HASH_KEY is shorter than {MIN_HASH_KEY_LENGTH} characters.")
    elif hash_key in keys:
        problems.append("PERSONAL_DATA_HASH_KEY must differ from the encryption keys.")
    return problems


@cache
def _fernets() -> tuple[Fernet, ...]:
    configured = getattr(settings, "PERSONAL_DATA_KEYS", None) or []
    keys = [key.encode() if isinstance(key, str) else key for key in configured]
    if not keys:
        _development_only("PERSONAL_DATA_KEYS")
        keys = [base64.urlsafe_b64encode(_derive("encryption"))]
    return tuple(Fernet(key) for key in keys)


@cache
def _fernet() -> MultiFernet:
    # The first key encrypts; the others still decrypt (key rotation).
    return MultiFernet(list(_fernets()))


@cache
def _hash_key() -> bytes:
    configured = getattr(settings, "PERSONAL_DATA_HASH_KEY", "")
    if not configured:
        _development_only("PERSONAL_DATA_HASH_KEY")
        return _derive("lookup-hash")
    return str(configured).encode()


def clear_caches() -> None:
    """Forget the keys read from settings (they are read once per process)."""
    _fernets.cache_clear()
    _fernet.cache_clear()
    _hash_key.cache_clear()


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    """override_settings() of a key (tests) takes effect at once."""
    if setting in KEY_SETTINGS:
        clear_caches()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _fernet().decrypt(token.encode()).decode()


def encrypt_bytes(data: bytes) -> bytes:
    """Bytes (e.g. an uploaded workbook) as a Fernet token (URL-safe base64); b"" for none."""
    if not data:
        return b""
    return _fernet().encrypt(bytes(data))


def decrypt_bytes(token: bytes) -> bytes:
    if not token:
        return b""
    return _fernet().decrypt(bytes(token))


def reencrypt(token: bytes) -> bytes | None:
    """The token encrypted under the first key, or None when it already is (nothing to write).

    Raises InvalidToken when no configured key decrypts it."""
    if not token:
        return None
    try:
        _fernets()[0].decrypt(token)
    except InvalidToken:
        return _fernet().rotate(token)
    return None


def lookup_hash(value: str) -> str:
    """HMAC-SHA256 of the normalised value (upper case, no spaces), hex; "" for no value."""
    normalised = value.strip().upper().replace(" ", "")
    if not normalised:
        return ""
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()


def declared_fields(model: type[models.Model]) -> tuple[EncryptedField, ...]:
    """A model's ``encrypted_fields``; a history model (django-simple-history) has those of the
    model it records."""
    source = getattr(model, "instance_type", model)
    return tuple(getattr(source, "encrypted_fields", ()))


def encrypted_models() -> Iterator[tuple[type[models.Model], tuple[EncryptedField, ...]]]:
    """Every installed model that holds encrypted data, with its encrypted fields; history
    models come right after the model they record."""
    found = [
        (model, declared_fields(model))
        for model in apps.get_models()
        if not model._meta.proxy and declared_fields(model)
    ]
    yield from sorted(
        found,
        key=lambda item: (
            getattr(item[0], "instance_type", item[0])._meta.label,
            hasattr(item[0], "instance_type"),
        ),
    )
