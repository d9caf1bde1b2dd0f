"""A record's change history (django-simple-history) as readable entries: who, when, what."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from swstation.core.actors import Actor, history_user
from swstation.core.masking import mask_value, user_sees_personal_data

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Never shown, even as "changed": secrets are not history a person needs to read.
HIDDEN_FIELDS = frozenset({"password", "last_login", "updated_at"})


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: datetime
    user: Actor
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(record: Any, name: str, masked: bool) -> str:
    value = getattr(record, name, None)
    if masked:
        return mask_value(value)
    model_field = record.instance_type._meta.get_field(name)
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        related_id = getattr(record, model_field.attname, None)
        return str(related_id) if related_id is not None else "—"
    return str(value)


def history_entries(obj: Any, user: Actor) -> list[HistoryEntry]:
    """Newest first; personal fields masked for roles that read them masked."""
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    model = type(obj)
    masked_fields = (
        set() if user_sees_personal_data(user) else set(getattr(model, "personal_fields", ()))
    )
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        entry = HistoryEntry(
            date=record.history_date,
            user=record.history_user,
            kind=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            names = [c.field for c in delta.changes if c.field not in HIDDEN_FIELDS]
        elif record.history_type == "+":
            names = [
                f.name
                for f in model._meta.concrete_fields
                if f.name not in HIDDEN_FIELDS
                and f.name not in ("id", "created_at")
                and getattr(record, f.attname, None) not in (None, "")
            ]
        else:
            names = []
        for name in names:
            masked = name in masked_fields
            label = str(model._meta.get_field(name).verbose_name)
            old = (
                _display(previous, name, masked)
                if previous is not None and record.history_type == "~"
                else ""
            )
            entry.changes.append(Change(field=label, old=old, new=_display(record, name, masked)))
        entries.append(entry)
        previous = record
    entries.reverse()
    return entries


def record_author(obj: Any, actor: Actor, *, reason: str | None = None) -> None:
    """Name who makes the next save or delete of ``obj`` in its history (simple-history's
    hooks), and why: the acting user, or no person for :data:`core.actors.SYSTEM`. A missing
    actor is refused (core.actors.require_actor)."""
    obj._history_user = history_user(actor)
    if reason:
        obj._change_reason = reason


def save_with_history[M](obj: M, *, actor: Actor, reason: str | None = None) -> M:
    """Save ``obj`` with its author (and reason) in the history."""
    record_author(obj, actor, reason=reason)
    obj.save()  # type: ignore[attr-defined]  # any model instance
    return obj
