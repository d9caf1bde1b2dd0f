"""A record's change history (django-simple-history) as readable entries: who, when, what."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from swstation.core.actors import Actor, history_user
from swstation.core.masking import mask_value, user_sees_personal_data

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Never shown, even as "changed": secrets and bookkeeping are not history a person needs to
# read (a record's creation is the history's first line; the demo and the imports date it).
HIDDEN_FIELDS = frozenset({"password", "last_login", "updated_at", "created_at"})


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


class _Values:
    """A history record's field values as a person reads them: a choice by its label, a
    related record by its name, a yes/no as 是/否, a date and time in local time, a list of
    choices by their labels; related records are read once per history, not once per line."""

    def __init__(self, model: type[models.Model], records: list[Any]) -> None:
        self.names: dict[tuple[str, Any], str] = {}
        for model_field in model._meta.concrete_fields:
            if not model_field.is_relation or model_field.related_model is None:
                continue
            ids = {getattr(r, model_field.attname, None) for r in records} - {None, ""}
            if not ids:
                continue
            related: Any = model_field.related_model
            for pk, text in _names_of(related, ids).items():
                self.names[(model_field.name, pk)] = text

    def display(self, record: Any, name: str, masked: bool) -> str:
        value = getattr(record, name, None)
        if masked:
            return mask_value(value)
        model_field = record.instance_type._meta.get_field(name)
        if model_field.is_relation:
            related_id = getattr(record, model_field.attname, None)
            if related_id is None:
                return "—"
            return self.names.get((name, related_id), str(_("a record since deleted")))
        if model_field.choices and value not in (None, ""):
            return str(dict(model_field.flatchoices).get(value, value))
        if value not in (None, "", [], {}) and hasattr(model_field.model, f"get_{name}_display"):
            # A list of codes whose labels the model gives (station kinds, rooms...).
            shown = getattr(record.instance, f"get_{name}_display")()
            return "、".join(map(str, shown)) if isinstance(shown, list | tuple) else str(shown)
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, datetime):
            return localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, list | tuple) and all(isinstance(i, str | int) for i in value):
            base = getattr(model_field, "base_field", None)
            labels = dict(base.flatchoices) if base is not None and base.choices else {}
            return "、".join(str(labels.get(item, item)) for item in value)
        if isinstance(model_field, models.JSONField | models.FileField):
            # Answers and scores of a form of their own (a list of records too: an assessment's
            # reasons for a change of level), and a stored file (its name is the storage's,
            # not a person's words): read on the record's page.
            return str(_("recorded (see the record)"))
        return str(value)


def _names_of(model: Any, ids: set[Any]) -> dict[Any, str]:
    """The names of the records of ``model`` with these primary keys (as the record's page
    names them, whoever may open it)."""
    return {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)}


def _secret_fields(model: Any) -> set[str]:
    """The ciphertexts and lookup hashes a model declares (core.crypto): never shown in a
    history, whoever reads it (the masked copies say what changed)."""
    return {
        name
        for declared in getattr(model, "encrypted_fields", ())
        for name in (declared.name, declared.hash_field)
        if name
    }


def _shown(model: Any, name: str) -> bool:
    """A field a person reads in a history: not a secret nor bookkeeping (a value the platform
    derives, not editable and without a label of its own, such as a comparison key)."""
    if name in HIDDEN_FIELDS or name in _secret_fields(model):
        return False
    field = model._meta.get_field(name)
    unlabelled = str(field.verbose_name) == name.replace("_", " ")
    return field.editable or not unlabelled


def _compared_fields(model: Any, record: Any) -> list[tuple[str, str]]:
    """The fields whose changes a history lists, as (attname compared, field shown): every
    shown field the history tracks, editable or not (simple-history's own comparison skips
    the non-editable ones, and with them the masked copies of encrypted numbers: a changed
    phone would leave no line), and each lookup hash as its masked copy (``<value>_hash`` →
    ``<value>_masked``, core/crypto.py), which tells a changed number whose masked copy reads
    the same (139****1234 for another 139 number ending in 1234)."""
    tracked = {f.name for f in record.tracked_fields}
    shown_as = {
        declared.hash_field: declared.hash_field.removesuffix("_hash") + "_masked"
        for declared in getattr(model, "encrypted_fields", ())
        if declared.hash_field
    }
    compared = []
    for model_field in model._meta.concrete_fields:
        if model_field.name not in tracked:
            continue
        shown = shown_as.get(model_field.name, model_field.name)
        if shown in tracked and _shown(model, shown):
            compared.append((model_field.attname, shown))
    return compared


def _changed_fields(compared: list[tuple[str, str]], record: Any, previous: Any) -> list[str]:
    """The fields shown (:func:`_compared_fields`) whose values differ from ``previous`` to
    ``record``, each once, in the model's order."""
    changed: list[str] = []
    for attname, shown in compared:
        if shown not in changed and getattr(record, attname) != getattr(previous, attname):
            changed.append(shown)
    return changed


def history_entries(obj: Any, user: Actor) -> list[HistoryEntry]:
    """Newest first; personal fields masked for roles that read them masked, protected ones
    (``protected_fields``: read in full only through a logged reveal) for every role."""
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    model = type(obj)
    masked_fields = set(getattr(model, "protected_fields", ()))
    if not user_sees_personal_data(user):
        masked_fields |= set(getattr(model, "personal_fields", ()))
    values = _Values(model, records)
    compared = _compared_fields(model, records[0]) if records else []
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
            names = _changed_fields(compared, record, previous)
        elif record.history_type == "+":
            names = [
                f.name
                for f in model._meta.concrete_fields
                if _shown(model, f.name)
                and f.name != "id"
                and getattr(record, f.attname, None) not in (None, "")
            ]
        else:
            names = []
        for name in names:
            masked = name in masked_fields
            label = str(model._meta.get_field(name).verbose_name)
            old = (
                values.display(previous, name, masked)
                if previous is not None and record.history_type == "~"
                else ""
            )
            new = values.display(record, name, masked)
            entry.changes.append(Change(field=label, old=old, new=new))
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
