"""A record's fields as a person reads them, for the default detail page."""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from swstation.core.masking import mask_value, user_sees_personal_data
from swstation.core.numbers import format_money, format_number, is_money_field

# Bookkeeping, never a line of a detail page.
HIDDEN_FIELDS = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str
    url: str = ""


def object_fields(obj: models.Model, user: Any) -> list[FieldLine]:
    """Each concrete field of ``obj`` with its label and readable value: choices by their
    label, related records by name (linked when they have a page), personal fields masked for
    roles that may not read them and protected ones (``protected_fields``) for every role;
    ciphertexts, hashes and bookkeeping left out."""
    hidden = HIDDEN_FIELDS | set(getattr(obj, "hidden_detail_fields", ()))
    protected = set(getattr(obj, "protected_fields", ()))
    personal = set(getattr(obj, "personal_fields", ())) | protected
    masked = not user_sees_personal_data(user)
    lines = []
    for field in obj._meta.concrete_fields:
        name = field.name
        if name in hidden or name.endswith(("_encrypted", "_hash")):
            continue
        url = ""
        if field.is_relation:
            value: Any = getattr(obj, name)
            url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else ""
        elif field.choices:
            value = getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
        if isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif value is None or value == "":
            text, url = "—", ""
        elif (masked and name in personal) or name in protected:
            text = mask_value(value)
        elif is_money_field(field):
            text = format_money(value)
        elif isinstance(field, models.DecimalField):
            text = format_number(value)
        else:
            text = str(value)
        lines.append(FieldLine(str(field.verbose_name), text, url))
    return lines
