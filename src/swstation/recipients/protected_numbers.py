"""Storing a person's identity and phone numbers the way the design protects them
(shared/design/architecture.md, "Personal data"): encrypted (core.crypto), with a keyed hash
to find a number again and a masked copy to show. For the people other apps record beside the
recipients — volunteers, job seekers — whose models carry ``id_number_encrypted``,
``id_number_hash``, ``id_number_masked``, ``phone_encrypted``, ``phone_hash`` and
``phone_masked``; a recipient's own record keeps more document types (recipients.services)."""

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from swstation.core.crypto import EncryptedField, encrypt, lookup_hash
from swstation.core.masking import mask_phone
from swstation.recipients.identifiers import (
    DocumentType,
    mask_id_number,
    validate_document,
    validate_phone,
)

__all__ = ["ProtectedNumbers", "store_identity_numbers"]


class ProtectedNumbers(models.Model):
    """The six columns of a person's protected identity and phone numbers (written by
    :func:`store_identity_numbers`), declared once for the models that carry them, and their
    place in the key rotation (``encrypted_fields``)."""

    id_number_encrypted = models.TextField(
        _("document number (encrypted)"), blank=True, editable=False
    )
    id_number_hash = models.CharField(
        _("document number hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(
        _("document number"), max_length=40, blank=True, editable=False
    )
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(
        _("phone hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)

    encrypted_fields: ClassVar[tuple[EncryptedField, ...]] = (
        EncryptedField("id_number_encrypted", hash_field="id_number_hash"),
        EncryptedField("phone_encrypted", hash_field="phone_hash"),
    )

    class Meta:
        abstract = True


def store_identity_numbers(
    record: Any, document_number: str | None, phone: str | None
) -> dict[str, list[str]]:
    """Set ``record``'s resident identity number and mobile phone (None: unchanged; "":
    removed), validated, encrypted, hashed and masked; nothing is saved. Returns the errors by
    form field (``document_number``, ``phone``); a field in error is left as it was."""
    errors: dict[str, list[str]] = {}
    if document_number is not None:
        number = ""
        if document_number.strip():
            try:
                number, _parsed = validate_document(DocumentType.RESIDENT_ID, document_number)
            except ValidationError as exc:
                errors["document_number"] = exc.messages
        if "document_number" not in errors:
            digest = lookup_hash(number)
            if digest != record.id_number_hash:
                record.id_number_encrypted = encrypt(number)
                record.id_number_hash = digest
                record.id_number_masked = mask_id_number(number) if number else ""
    if phone is not None:
        number = ""
        if phone.strip():
            try:
                number = validate_phone(phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
        if "phone" not in errors:
            digest = lookup_hash(number)
            if digest != record.phone_hash:
                record.phone_encrypted = encrypt(number)
                record.phone_hash = digest
                record.phone_masked = mask_phone(number)
    return errors
