"""Encryption at rest and keyed hashes for personal data (spec/identifiers.md, Storage).

Numbers are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography`
package) and looked up by an HMAC-SHA256 of the normalised number, so that equality search and
duplicate detection never need the clear text in the database. Keys come from settings
(PERSONAL_DATA_KEY, PERSONAL_DATA_HASH_KEY); by default both derive from SECRET_KEY, and
production sets them explicitly (docs/operations.md) so that rotating SECRET_KEY does not lose
the data.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"swstation:{label}:{settings.SECRET_KEY}".encode()).digest()


@cache
def _fernet() -> MultiFernet:
    configured = getattr(settings, "PERSONAL_DATA_KEYS", None) or []
    keys = [key.encode() if isinstance(key, str) else key for key in configured]
    if not keys:
        keys = [base64.urlsafe_b64encode(_derive("encryption"))]
    # The first key encrypts; the others still decrypt (key rotation).
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _hash_key() -> bytes:
    configured = getattr(settings, "PERSONAL_DATA_HASH_KEY", "")
    return configured.encode() if configured else _derive("lookup-hash")


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


def lookup_hash(value: str) -> str:
    """HMAC-SHA256 of the normalised value (upper case, no spaces), hex; "" for no value."""
    normalised = value.strip().upper().replace(" ", "")
    if not normalised:
        return ""
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()
