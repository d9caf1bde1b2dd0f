"""Serializer fields shared by the apps' APIs."""

from typing import Any

from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from swstation.core.masking import mask_phone


class MaskedPhoneField(serializers.CharField):
    """A staff member's phone (a social worker's, a supervisor's, an account's): written in
    clear, read masked for every role (``138****5678``; where a role needs it in full, a
    ``reveal-phone`` action gives it, logged). Sent back as shown (a PUT of the record as
    read), it is the stored number, left unchanged."""

    def to_representation(self, value: Any) -> str:
        return mask_phone(str(value)) if value else ""

    def run_validation(self, data: Any = empty) -> Any:
        instance = getattr(self.parent, "instance", None)
        name = self.source or self.field_name or ""
        stored = getattr(instance, name, "") if instance is not None and name else ""
        if isinstance(data, str) and data and stored and data == mask_phone(stored):
            raise SkipField  # as if left out: the stored number is kept
        return super().run_validation(data)
