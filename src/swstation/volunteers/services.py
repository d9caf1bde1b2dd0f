"""Writes on the volunteers (issue 13, "Volunteers"). Pages, the API and the demo call these.

- A volunteer's identity and phone numbers are kept as a recipient's: checked (an identity
  card by GB 11643-1999, a mobile or landline), stored encrypted with a keyed hash and a masked
  copy (``core.crypto``, ``recipients.identifiers``), re-encrypted only when changed; a full view
  is :func:`volunteer_reveal_identity`, for the roles that see recipients' numbers in full,
  written to the personal-data access log (``recipients.services.personal_data_access_log``).
- A pairing's deactivation is dated (``deactivated_on``), as a visit schedule's.
- A pairing visit is recorded as a service record to the paired person naming the volunteer
  (:func:`pairing_visit_record`), through ``cases.services``' own rules.
- Hours are given per record (:func:`service_volunteer_create`), never as a total.

Every function is atomic and refuses in Chinese, naming the field.
"""

from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import ServiceRecord
from swstation.cases.services.records import service_record_create
from swstation.core.actors import SYSTEM, Actor, require_actor
from swstation.core.crypto import decrypt
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible
from swstation.recipients.models import AccessKind
from swstation.recipients.protected_numbers import store_identity_numbers
from swstation.recipients.services import personal_data_access_log
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.volunteers.selectors import may_reveal_identity

VOLUNTEER_FIELDS = (
    "name",
    "region",
    "station",
    "skills",
    "availability",
    "registered_on",
    "left_on",
    "note",
)
TEAM_FIELDS = ("name", "region", "station", "project", "leader", "founded_on", "note")
PAIRING_FIELDS = (
    "volunteer",
    "recipient",
    "worker",
    "team",
    "service_type",
    "times_per_month",
    "starts_on",
    "ends_on",
    "active",
    "note",
)
SERVICE_VOLUNTEER_FIELDS = ("record", "volunteer", "hours")
# The numbers a full view may show (as recipients.IdentityField names them).
REVEALABLE = ("id_number", "phone")


def _require_role(actor: Actor, action: Action, model: type[Any]) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with the volunteers."))


def _apply(obj: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    for name, value in data.items():
        setattr(obj, name, value)


def _save(actor: Actor, obj: Any) -> Any:
    obj.full_clean()
    save_with_history(obj, actor=actor)
    if actor is not SYSTEM:
        ensure_visible(actor, obj)
    return obj


# --- volunteers -------------------------------------------------------------------------------


def _duplicate_number(volunteer: Volunteer) -> dict[str, list[str]]:
    if not volunteer.id_number_hash:
        return {}
    taken = Volunteer.objects.filter(id_number_hash=volunteer.id_number_hash).exclude(
        pk=volunteer.pk
    )
    if taken.exists():
        return {"document_number": [_("A volunteer with this document number is recorded.")]}
    return {}


def _save_volunteer(
    actor: Actor, volunteer: Volunteer, document_number: str | None, phone: str | None
) -> Volunteer:
    errors = store_identity_numbers(volunteer, document_number, phone)
    if not errors:
        errors = _duplicate_number(volunteer)
    try:
        volunteer.full_clean(exclude=["id_number_hash"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    save_with_history(volunteer, actor=actor)
    if actor is not SYSTEM:
        ensure_visible(actor, volunteer)
    return volunteer


@transaction.atomic
def volunteer_create(
    *, actor: Actor, document_number: str = "", phone: str = "", **fields: Any
) -> Volunteer:
    _require_role(actor, "add", Volunteer)
    volunteer = Volunteer()
    _apply(volunteer, fields, VOLUNTEER_FIELDS)
    return _save_volunteer(actor, volunteer, document_number, phone)


@transaction.atomic
def volunteer_update(
    *,
    actor: Actor,
    volunteer: Volunteer,
    document_number: str | None = None,
    phone: str | None = None,
    **changes: Any,
) -> Volunteer:
    """``document_number``/``phone``: None (or left out) keeps the stored number, "" removes it."""
    _require_role(actor, "change", Volunteer)
    _apply(volunteer, changes, VOLUNTEER_FIELDS)
    return _save_volunteer(actor, volunteer, document_number, phone)


@transaction.atomic
def volunteer_reveal_identity(
    *, actor: Actor, volunteer: Volunteer, field: str, purpose: str = ""
) -> str:
    """The clear identity (``field="id_number"``) or phone number (``"phone"``) of a volunteer,
    for the roles that see recipients' numbers in full (station managers and social workers),
    logged in the personal-data access log (whose data: the volunteer, by name). Everyone else
    is refused (PermissionDenied) and nothing is logged."""
    if not may_reveal_identity(actor):
        raise PermissionDenied(_("Your role sees identity and phone numbers masked only."))
    if field not in REVEALABLE:
        raise ValidationError({"field": _("Choose the number to show.")})
    if not Volunteer.objects.visible_to(actor).filter(pk=volunteer.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))
    token = getattr(volunteer, f"{field}_encrypted")
    if not token:
        raise ValidationError({"field": _("No such number is recorded for this person.")})
    value = decrypt(token)
    personal_data_access_log(
        actor=actor,
        field=field,
        kind=AccessKind.VIEW,
        region=volunteer.region,
        subject=_("Volunteer %(name)s (#%(pk)s)") % {"name": volunteer.name, "pk": volunteer.pk},
        purpose=purpose,
    )
    return value


# --- teams ------------------------------------------------------------------------------------


def _set_members(team: VolunteerTeam, members: Any) -> None:
    if members is None:
        return
    members = list(members)
    others = [m for m in members if m.station_id != team.station_id]
    if others:
        raise ValidationError(
            {
                "members": _("%(names)s belong to another station.")
                % {"names": "、".join(m.name for m in others)}
            }
        )
    team.members.set(members)
    if team.leader_id and team.leader_id not in {m.pk for m in members}:
        team.members.add(team.leader_id)


@transaction.atomic
def volunteer_team_create(*, actor: Actor, members: Any = None, **fields: Any) -> VolunteerTeam:
    _require_role(actor, "add", VolunteerTeam)
    team = VolunteerTeam()
    _apply(team, fields, TEAM_FIELDS)
    _save(actor, team)
    _set_members(team, members if members is not None else ([team.leader] if team.leader else []))
    return team


@transaction.atomic
def volunteer_team_update(
    *, actor: Actor, team: VolunteerTeam, members: Any = None, **changes: Any
) -> VolunteerTeam:
    _require_role(actor, "change", VolunteerTeam)
    _apply(team, changes, TEAM_FIELDS)
    _save(actor, team)
    _set_members(team, members)
    return team


# --- pairings ---------------------------------------------------------------------------------


def _date_deactivation(pairing: Pairing, was_active: bool) -> None:
    if was_active and not pairing.active and pairing.deactivated_on is None:
        pairing.deactivated_on = timezone.localdate()
    elif pairing.active:
        pairing.deactivated_on = None


@transaction.atomic
def pairing_create(*, actor: Actor, **fields: Any) -> Pairing:
    _require_role(actor, "add", Pairing)
    pairing = Pairing()
    _apply(pairing, fields, PAIRING_FIELDS)
    _date_deactivation(pairing, True)
    return _save(actor, pairing)


@transaction.atomic
def pairing_update(*, actor: Actor, pairing: Pairing, **changes: Any) -> Pairing:
    _require_role(actor, "change", Pairing)
    was_active = pairing.active
    _apply(pairing, changes, PAIRING_FIELDS)
    _date_deactivation(pairing, was_active)
    return _save(actor, pairing)


def hours_of(minutes: int) -> Decimal:
    """A service's duration as hours with two places, never more than the service."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@transaction.atomic
def pairing_visit_record(
    *,
    actor: Actor,
    pairing: Pairing,
    served_on: date,
    duration_minutes: int,
    hours: Decimal | None = None,
    notes: str = "",
    place: str = "",
) -> ServiceVolunteer:
    """Record a visit of the pairing: a service record to the paired person, of the pairing's
    service type, by its responsible worker at the volunteer's station (cases' rules), naming
    the volunteer with ``hours`` (the whole visit when not given)."""
    _require_role(actor, "add", ServiceVolunteer)
    if not pairing.active:
        raise ValidationError({"served_on": _("This pairing is no longer active.")})
    if served_on < pairing.starts_on:
        raise ValidationError(
            {
                "served_on": _("The pairing starts on %(day)s.")
                % {"day": pairing.starts_on.isoformat()}
            }
        )
    record = service_record_create(
        actor=actor,
        recipient=pairing.recipient,
        worker=pairing.worker,
        station=pairing.volunteer.station,
        served_on=served_on,
        service_type=pairing.service_type,
        duration_minutes=duration_minutes,
        place=place,
        notes=notes or _("Pairing visit by volunteer %(name)s.") % {"name": pairing.volunteer.name},
    )
    return service_volunteer_create(
        actor=actor,
        record=record,
        volunteer=pairing.volunteer,
        hours=hours if hours is not None else hours_of(duration_minutes),
    )


# --- volunteers on service records ------------------------------------------------------------


def _check_record_writable(actor: Actor, record: ServiceRecord) -> None:
    if actor is SYSTEM:
        return
    if not user_can(actor, "change", ServiceRecord) and not user_can(actor, "add", ServiceRecord):
        raise PermissionDenied(_("Your role may not do this with the volunteers."))
    if not ServiceRecord.objects.visible_to(actor, for_write=True).filter(pk=record.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))


@transaction.atomic
def service_volunteer_create(*, actor: Actor, **fields: Any) -> ServiceVolunteer:
    _require_role(actor, "add", ServiceVolunteer)
    row = ServiceVolunteer()
    _apply(row, fields, SERVICE_VOLUNTEER_FIELDS)
    if row.record_id:
        _check_record_writable(actor, row.record)
    return _save(actor, row)


@transaction.atomic
def service_volunteer_update(
    *, actor: Actor, service_volunteer: ServiceVolunteer, **changes: Any
) -> ServiceVolunteer:
    _require_role(actor, "change", ServiceVolunteer)
    if "record" in changes and changes["record"].pk != service_volunteer.record_id:
        raise ValidationError({"record": _("A volunteer's hours stay on their service record.")})
    _apply(service_volunteer, changes, SERVICE_VOLUNTEER_FIELDS)
    _check_record_writable(actor, service_volunteer.record)
    return _save(actor, service_volunteer)


@transaction.atomic
def service_volunteer_delete(*, actor: Actor, service_volunteer: ServiceVolunteer) -> None:
    _require_role(actor, "delete", ServiceVolunteer)
    _check_record_writable(actor, service_volunteer.record)
    record_author(service_volunteer, actor)
    service_volunteer.delete()
