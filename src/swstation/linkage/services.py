"""Writes on the partners, resources and referrals (issue 13).

Rules every writer (page, API, demo) shares:

- a partner is registered at a town, a district or the city (a station's partner at the
  station's town), a government partner names its department; a service agency's partner
  stays a social organisation and follows the agency (signals.py);
- a resource belongs to a partner the writer may change, with a plausible validity;
- a referral is made by a worker of the referring station, for a recipient living in the
  station's area (and one of the recipient's cases), to a partner the worker can read; it
  moves only through the transitions below, each refused in Chinese when the state does not
  allow it, with the row locked (core/transitions.py) and the reason in the history:

  ``sent`` → ``accepted`` (:func:`referral_accept`) or ``declined`` (:func:`referral_decline`,
  reason required); ``accepted`` → ``in_progress`` (:func:`referral_start`); ``accepted`` or
  ``in_progress`` → ``completed`` (:func:`referral_complete`, outcome and feedback required);
  ``sent``, ``accepted`` or ``in_progress`` → ``withdrawn`` (:func:`referral_withdraw`, reason
  required). Declined, completed and withdrawn referrals are final.

Every function is atomic; every refusal names its field in Chinese.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.selectors.cases import case_list
from swstation.core.actors import SYSTEM, Actor, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible, ensure_writable
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.linkage import selectors
from swstation.linkage.models import (
    FINAL_STATUSES,
    Partner,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Resource,
)
from swstation.recipients.models import Recipient
from swstation.regions.models import Region

__all__ = [
    "PARTNER_FIELDS",
    "REFERRAL_FIELDS",
    "RESOURCE_FIELDS",
    "partner_create",
    "partner_delete",
    "partner_update",
    "referral_accept",
    "referral_complete",
    "referral_create",
    "referral_decline",
    "referral_start",
    "referral_update",
    "referral_withdraw",
    "resource_create",
    "resource_update",
]

# What each form (in this order) and the API write.
PARTNER_FIELDS = (
    "name",
    "kind",
    "department",
    "region",
    "station",
    "serves",
    "contact_name",
    "contact_phone",
    "address",
    "description",
    "active",
)
RESOURCE_FIELDS = (
    "partner",
    "kind",
    "title",
    "description",
    "capacity",
    "capacity_unit",
    "valid_from",
    "valid_to",
)
REFERRAL_FIELDS = (
    "recipient",
    "case",
    "station",
    "worker",
    "partner",
    "resource",
    "service",
    "reason",
    "note_for_partner",
    "internal_note",
    "sent_on",
    "answer_due_on",
)


def _require_role(actor: Actor, action: Action, model: type[Any]) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with partners and referrals."))


def _apply(obj: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    for name, value in data.items():
        setattr(obj, name, value)


def _check_writable(actor: Actor, obj: Any) -> None:
    if actor is not SYSTEM:
        ensure_writable(actor, obj)


def _check_visible(actor: Actor, obj: Any) -> None:
    if actor is not SYSTEM:
        ensure_visible(actor, obj)


# --- partners ------------------------------------------------------------------------------------


def _check_serves(partner: Partner, serves: list[Region]) -> None:
    outside = [r.name for r in serves if not r.code.startswith(partner.region.prefix)]
    if outside:
        raise ValidationError(
            {
                "serves": _("%(regions)s are not in %(region)s, where the partner is registered.")
                % {"regions": "、".join(outside), "region": partner.region.name}
            }
        )


@transaction.atomic
def partner_create(*, actor: Actor, serves: Iterable[Region] = (), **fields: Any) -> Partner:
    _require_role(actor, "add", Partner)
    partner = Partner()
    _apply(partner, fields, PARTNER_FIELDS)
    partner.full_clean()
    serves = list(serves)
    _check_serves(partner, serves)
    save_with_history(partner, actor=actor)
    partner.serves.set(serves)
    _check_visible(actor, partner)
    return partner


@transaction.atomic
def partner_update(
    *, actor: Actor, partner: Partner, serves: Iterable[Region] | None = None, **changes: Any
) -> Partner:
    _require_role(actor, "change", Partner)
    lock_for_transition(partner)
    _check_writable(actor, partner)
    if partner.agency_id:
        # An agency's partner follows the agency: its name and region are the agency's.
        for name in ("name", "region", "kind"):
            if name in changes and changes[name] != getattr(partner, name):
                raise ValidationError(
                    {name: _("A service agency's partner follows the agency: change the agency.")}
                )
    _apply(partner, changes, PARTNER_FIELDS)
    partner.full_clean()
    if serves is not None:
        serves = list(serves)
        _check_serves(partner, serves)
    save_with_history(partner, actor=actor)
    if serves is not None:
        partner.serves.set(serves)
    _check_visible(actor, partner)
    return partner


@transaction.atomic
def partner_delete(*, actor: Actor, partner: Partner) -> None:
    _require_role(actor, "delete", Partner)
    _check_writable(actor, partner)
    if partner.agency_id:
        raise ValidationError(
            _("A service agency's partner is removed with the agency, not on its own.")
        )
    if partner.referrals.exists() or partner.resources.exists():
        raise ValidationError(
            _(
                "This partner has resources or referrals: mark it as no longer working with "
                "us instead of deleting it."
            )
        )
    record_author(partner, actor)
    partner.delete()


# --- resources -----------------------------------------------------------------------------------


def _check_partner_writable(actor: Actor, partner: Partner) -> None:
    if actor is SYSTEM:
        return
    if not Partner.objects.visible_to(actor, for_write=True).filter(pk=partner.pk).exists():
        raise ValidationError(
            {
                "partner": _(
                    "%(partner)s is registered above your jurisdiction: its resources are "
                    "recorded at its level."
                )
                % {"partner": partner.name}
            }
        )


@transaction.atomic
def resource_create(*, actor: Actor, **fields: Any) -> Resource:
    _require_role(actor, "add", Resource)
    resource = Resource()
    _apply(resource, fields, RESOURCE_FIELDS)
    if resource.partner_id:
        _check_partner_writable(actor, resource.partner)
    resource.full_clean()
    save_with_history(resource, actor=actor)
    _check_visible(actor, resource)
    return resource


@transaction.atomic
def resource_update(*, actor: Actor, resource: Resource, **changes: Any) -> Resource:
    _require_role(actor, "change", Resource)
    lock_for_transition(resource)
    _check_writable(actor, resource)
    _apply(resource, changes, RESOURCE_FIELDS)
    _check_partner_writable(actor, resource.partner)
    resource.full_clean()
    save_with_history(resource, actor=actor)
    _check_visible(actor, resource)
    return resource


# --- referrals -----------------------------------------------------------------------------------


def _check_referral_links(actor: Actor, referral: Referral) -> None:
    """The recipient, case and partner are ones the writer may read."""
    if actor is SYSTEM:
        return
    errors: dict[str, str] = {}
    if not selectors.partner_list(actor=actor).filter(pk=referral.partner_id).exists():
        errors["partner"] = _("This partner is not one you may refer to.")
    if not Recipient.objects.visible_to(actor).filter(pk=referral.recipient_id).exists():
        errors["recipient"] = _("This recipient is outside your jurisdiction.")
    if referral.case_id and not case_list(actor=actor).filter(pk=referral.case_id).exists():
        errors["case"] = _("This case is outside your jurisdiction.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_create(*, actor: Actor, **fields: Any) -> Referral:
    """Send a referral (status ``sent``). The worker defaults to the writer's own workforce
    record, the station to the worker's, the day sent to today."""
    _require_role(actor, "add", Referral)
    referral = Referral()
    _apply(referral, fields, REFERRAL_FIELDS)
    if not referral.worker_id and actor is not SYSTEM:
        own = selectors.actor_worker(actor=actor)
        if own is not None:
            referral.worker = own
    if not referral.station_id and referral.worker_id:
        referral.station = referral.worker.station  # type: ignore[assignment]
    if not referral.sent_on:
        referral.sent_on = timezone.localdate()
    referral.status = ReferralStatus.SENT
    referral.full_clean()
    _check_referral_links(actor, referral)
    save_with_history(referral, actor=actor, reason=_("Referral sent"))
    _check_visible(actor, referral)
    return referral


@transaction.atomic
def referral_update(*, actor: Actor, referral: Referral, **changes: Any) -> Referral:
    """Edit what was written (the texts, the due day, the resource); the recipient, partner,
    station and worker of a referral no longer change once it is answered."""
    _require_role(actor, "change", Referral)
    lock_for_transition(referral)
    _check_writable(actor, referral)
    if referral.status != ReferralStatus.SENT:
        for name in ("recipient", "partner", "station", "worker", "sent_on"):
            if name in changes and changes[name] != getattr(referral, name):
                raise ValidationError(
                    {name: _("The partner has answered: this no longer changes.")}
                )
    _apply(referral, changes, REFERRAL_FIELDS)
    referral.full_clean()
    _check_referral_links(actor, referral)
    save_with_history(referral, actor=actor)
    _check_visible(actor, referral)
    return referral


def _status_label(status: str) -> str:
    return str(ReferralStatus(status).label)


def _transition(
    actor: Actor, referral: Referral, allowed_from: tuple[str, ...], to: str
) -> Referral:
    """Lock the referral, re-check the writer, and refuse a move its state does not allow
    (already there, or final: a StateConflict, 409; otherwise a ValidationError)."""
    _require_role(actor, "change", Referral)
    lock_for_transition(referral, "status")
    _check_writable(actor, referral)
    if referral.status == to:
        raise StateConflict(
            _("The referral is already “%(status)s”: it was moved meanwhile.")
            % {"status": _status_label(to)}
        )
    if referral.status in FINAL_STATUSES:
        raise StateConflict(
            _("The referral is “%(status)s”: it no longer changes.")
            % {"status": _status_label(referral.status)}
        )
    if referral.status not in allowed_from:
        raise ValidationError(
            {
                "status": _(
                    "A referral that is “%(current)s” cannot become “%(target)s”; it can from "
                    "%(allowed)s."
                )
                % {
                    "current": _status_label(referral.status),
                    "target": _status_label(to),
                    "allowed": "、".join(f"“{_status_label(s)}”" for s in allowed_from),
                }
            }
        )
    return referral


def _day(value: date | None, referral: Referral, name: str) -> date:
    day = value or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({name: _("This day is in the future.")})
    if day < referral.sent_on:
        raise ValidationError(
            {
                name: _("This day is before the referral was sent (%(day)s).")
                % {"day": referral.sent_on.isoformat()}
            }
        )
    return day


def _required(text: str | None, name: str, message: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ValidationError({name: message})
    return value


@transaction.atomic
def referral_accept(
    *, actor: Actor, referral: Referral, answered_on: date | None = None
) -> Referral:
    """The partner accepted (the worker records its answer and the day)."""
    _transition(actor, referral, (ReferralStatus.SENT,), ReferralStatus.ACCEPTED)
    referral.answered_on = _day(answered_on, referral, "answered_on")
    referral.status = ReferralStatus.ACCEPTED
    return save_with_history(referral, actor=actor, reason=_("Referral accepted"))


@transaction.atomic
def referral_decline(
    *, actor: Actor, referral: Referral, reason: str, answered_on: date | None = None
) -> Referral:
    """The partner declined, for a reason (required)."""
    reason = _required(reason, "reason", _("Write why the partner declined."))
    _transition(actor, referral, (ReferralStatus.SENT,), ReferralStatus.DECLINED)
    referral.answered_on = _day(answered_on, referral, "answered_on")
    referral.decline_reason = reason
    referral.status = ReferralStatus.DECLINED
    return save_with_history(referral, actor=actor, reason=_("Referral declined"))


@transaction.atomic
def referral_start(*, actor: Actor, referral: Referral, started_on: date | None = None) -> Referral:
    """The partner's service has started."""
    _transition(actor, referral, (ReferralStatus.ACCEPTED,), ReferralStatus.IN_PROGRESS)
    day = _day(started_on, referral, "started_on")
    if referral.answered_on and day < referral.answered_on:
        raise ValidationError({"started_on": _("The service cannot start before the answer.")})
    referral.started_on = day
    referral.status = ReferralStatus.IN_PROGRESS
    return save_with_history(referral, actor=actor, reason=_("Referral service started"))


@transaction.atomic
def referral_complete(
    *,
    actor: Actor,
    referral: Referral,
    outcome: str,
    feedback: str,
    completed_on: date | None = None,
) -> Referral:
    """The service is done: its outcome and the partner's feedback (both required)."""
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the referral.")})
    feedback = _required(feedback, "feedback", _("Write the partner's feedback."))
    _transition(
        actor,
        referral,
        (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
        ReferralStatus.COMPLETED,
    )
    day = _day(completed_on, referral, "completed_on")
    if referral.started_on and day < referral.started_on:
        raise ValidationError({"completed_on": _("The service cannot end before it started.")})
    if referral.started_on is None:
        referral.started_on = referral.answered_on
    referral.completed_on = day
    referral.outcome = outcome
    referral.feedback = feedback
    referral.status = ReferralStatus.COMPLETED
    return save_with_history(referral, actor=actor, reason=_("Referral completed"))


@transaction.atomic
def referral_withdraw(
    *, actor: Actor, referral: Referral, reason: str, withdrawn_on: date | None = None
) -> Referral:
    """The worker withdraws the referral (the need was met otherwise, the recipient moved...)."""
    reason = _required(reason, "reason", _("Write why the referral is withdrawn."))
    _transition(
        actor,
        referral,
        (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
        ReferralStatus.WITHDRAWN,
    )
    referral.withdrawn_on = _day(withdrawn_on, referral, "withdrawn_on")
    referral.withdraw_reason = reason
    referral.status = ReferralStatus.WITHDRAWN
    return save_with_history(referral, actor=actor, reason=_("Referral withdrawn"))


@transaction.atomic
def referral_delete(*, actor: Actor, referral: Referral) -> None:
    _require_role(actor, "delete", Referral)
    _check_writable(actor, referral)
    record_author(referral, actor)
    referral.delete()
