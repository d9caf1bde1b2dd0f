"""Writes on exam rewards and job allowances: a reviewable batch of the lines due for a period,
then its approval and payment (domain.md §2; the issue: "computes who is due what for a period,
produces a reviewable payment list, records approval and payment, and never pays the same
reward twice").

A batch goes draft → approved → paid. Only a draft may be deleted, which frees its lines so that
they become due again; an approved or paid batch keeps its lines for good, so they are never
due twice. Only the bureaus (``PaymentBatch.role_permissions``) write, inside their jurisdiction.

Each step locks the batch's row and checks that its status is still the one the caller loaded
(core/transitions.py): of two approvals, payments or deletions sent together, the second is
refused with a StateConflict (409); a status that does not allow the step is one too.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from swstation.core.actors import Actor, history_user
from swstation.core.audit import record_personal_data_access
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.regions.models import Region, RegionLevel
from swstation.workforce.models import BatchStatus, Payment, PaymentBatch, PaymentKind
from swstation.workforce.selectors.payments import (
    BATCH_REGION_LEVELS,
    DueLine,
    allowances_due,
    month_end,
    months_in_period,
    rewards_due,
)

__all__ = [
    "batch_due_lines",
    "payment_batch_approve",
    "payment_batch_check_editable",
    "payment_batch_create",
    "payment_batch_delete_draft",
    "payment_batch_mark_paid",
    "payment_roster_export",
    "user_may_export_payment_details",
    "validate_batch_request",
]


def _require(actor: Actor, action: Action) -> None:
    if not user_can(actor, action, PaymentBatch):
        raise PermissionDenied(_("Your role may not create, approve or pay payment batches."))


def validate_batch_request(
    *, actor: Actor, kind: str, region: Region, period_start: date, period_end: date
) -> None:
    """The checks of a batch request that need no database write, by field: the kind, a
    paying region (city or county) inside the actor's jurisdiction, and a period that an
    allowance batch covers in whole months, none of which starts after today."""
    errors: dict[str, str] = {}
    if kind not in PaymentKind.values:
        errors["kind"] = _("Unknown kind of payment “%(kind)s”.") % {"kind": kind}
    if region.level not in BATCH_REGION_LEVELS:
        errors["region"] = _(
            "A batch is paid by the city or a district / county, not by %(region)s (%(level)s)."
        ) % {"region": region.name, "level": RegionLevel(region.level).label}
    elif not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        errors["region"] = _("%(region)s is outside your jurisdiction.") % {"region": region.name}
    if period_end < period_start:
        errors["period_end"] = _("The period ends (%(end)s) before it starts (%(start)s).") % {
            "end": period_end.isoformat(),
            "start": period_start.isoformat(),
        }
    elif kind == PaymentKind.JOB_ALLOWANCE:
        if period_start.day != 1:
            errors["period_start"] = _(
                "An allowance batch covers whole months: start on the first day of a month "
                "(%(date)s is not)."
            ) % {"date": period_start.isoformat()}
        if period_end != month_end(period_end):
            errors["period_end"] = _(
                "An allowance batch covers whole months: end on the last day of a month "
                "(%(date)s is not)."
            ) % {"date": period_end.isoformat()}
        elif period_end.replace(day=1) > timezone.localdate():
            errors["period_end"] = _(
                "Allowances cannot be paid for a month that has not begun (%(month)s)."
            ) % {"month": period_end.strftime("%Y-%m")}
    if errors:
        raise ValidationError(errors)


def batch_due_lines(
    *, actor: Actor, kind: str, region: Region, period_start: date, period_end: date
) -> list[DueLine]:
    """The lines a batch for this request would hold: the preview and the creation share it.
    An allowance batch holds the allowances due for each month of the period."""
    if kind == PaymentKind.EXAM_REWARD:
        return rewards_due(
            actor=actor, region=region, period_start=period_start, period_end=period_end
        )
    lines: list[DueLine] = []
    for month in months_in_period(period_start, period_end):
        lines.extend(allowances_due(actor=actor, region=region, month=month))
    return lines


@transaction.atomic
def payment_batch_create(
    *,
    actor: Actor,
    kind: str,
    region: Region,
    period_start: date,
    period_end: date,
    note: str = "",
) -> PaymentBatch:
    """A draft batch with one payment per line due (:func:`batch_due_lines`); all or nothing.

    Refuses a request with nothing due: an empty list is nothing to review.
    """
    _require(actor, "add")
    validate_batch_request(
        actor=actor, kind=kind, region=region, period_start=period_start, period_end=period_end
    )
    lines = batch_due_lines(
        actor=actor, kind=kind, region=region, period_start=period_start, period_end=period_end
    )
    if not lines:
        raise ValidationError(
            _(
                "Nothing is due for %(kind)s in %(region)s from %(start)s to %(end)s: "
                "every eligible line has been paid or is in another batch."
            )
            % {
                "kind": PaymentKind(kind).label,
                "region": region.name,
                "start": period_start.isoformat(),
                "end": period_end.isoformat(),
            },
            code="nothing_due",
        )
    batch = PaymentBatch(
        kind=kind, region=region, period_start=period_start, period_end=period_end, note=note
    )
    batch.full_clean()
    save_with_history(batch, actor=actor)
    payments = [
        Payment(
            batch=batch,
            kind=line.kind,
            social_worker=line.social_worker,
            certificate=line.certificate,
            policy=line.policy,
            month=line.month,
            amount=line.amount,
        )
        for line in lines
    ]
    # Lines are computed, not typed: no per-line full_clean (a query per constraint per line).
    # The database constraints still refuse a line another batch took meanwhile.
    try:
        with transaction.atomic():
            bulk_create_with_history(payments, Payment, batch_size=500, default_user=actor)
    except IntegrityError as exc:
        raise ValidationError(
            _(
                "Another batch took some of these lines while this one was being made. "
                "Generate the batch again."
            ),
            code="taken",
        ) from exc
    ensure_visible(actor, batch)
    return batch


def _locked(actor: Actor, batch: PaymentBatch, action: Action) -> PaymentBatch:
    """The batch, locked and refreshed for the transition, if the actor may ``action`` it;
    a StateConflict if its status is no longer the one the caller loaded."""
    _require(actor, action)
    locked = lock_for_transition(batch, "status", conflict=_changed_meanwhile)
    if not PaymentBatch.objects.visible_to(actor).filter(pk=locked.pk).exists():
        raise PermissionDenied(_("This payment batch is outside your jurisdiction."))
    return locked


def _changed_meanwhile(batch: PaymentBatch) -> str:
    return _(
        "Batch “%(batch)s” was changed by someone else in the meantime: it is now "
        "“%(status)s”. Reload it and try again."
    ) % {"batch": batch, "status": batch.get_status_display()}


def _wrong_status(batch: PaymentBatch, message: str) -> StateConflict:
    """The batch's status does not allow the step (409 in the API): e.g. the second of two
    approvals, which waited for the first one's lock."""
    return StateConflict({"status": message % {"status": batch.get_status_display()}})


@transaction.atomic
def payment_batch_approve(*, actor: Actor, batch: PaymentBatch) -> PaymentBatch:
    """Draft → approved, recording who approved it and when."""
    locked = _locked(actor, batch, "change")
    if locked.status != BatchStatus.DRAFT:
        raise _wrong_status(
            locked, _("Only a draft batch can be approved; this one is “%(status)s”.")
        )
    locked.status = BatchStatus.APPROVED
    locked.approved_by = history_user(actor)
    locked.approved_at = timezone.now()
    locked.full_clean()
    save_with_history(locked, actor=actor)
    return locked


@transaction.atomic
def payment_batch_mark_paid(*, actor: Actor, batch: PaymentBatch, paid_on: date) -> PaymentBatch:
    """Approved → paid on ``paid_on`` (not before the approval, not in the future)."""
    locked = _locked(actor, batch, "change")
    if locked.status != BatchStatus.APPROVED:
        raise _wrong_status(
            locked, _("Only an approved batch can be marked as paid; this one is “%(status)s”.")
        )
    assert locked.approved_at is not None  # set with the approved status
    approved_on = timezone.localdate(locked.approved_at)
    if paid_on < approved_on:
        raise ValidationError(
            {
                "paid_on": _("The payment date %(date)s is before the approval (%(approved)s).")
                % {"date": paid_on.isoformat(), "approved": approved_on.isoformat()}
            }
        )
    if paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": _("The payment date %(date)s is in the future.") % {"date": paid_on}}
        )
    locked.status = BatchStatus.PAID
    locked.paid_on = paid_on
    locked.full_clean()
    save_with_history(locked, actor=actor)
    return locked


@transaction.atomic
def payment_batch_delete_draft(*, actor: Actor, batch: PaymentBatch) -> None:
    """Delete a draft batch and its lines, which become due again. Approved and paid batches
    are kept: their lines must never be due a second time."""
    locked = _locked(actor, batch, "delete")
    if locked.status != BatchStatus.DRAFT:
        raise _wrong_status(
            locked, _("Only a draft batch can be deleted; this one is “%(status)s”.")
        )
    record_author(locked, actor)
    locked.delete()


def payment_batch_check_editable(*, batch: PaymentBatch) -> None:
    """The plain batch form and API change only a draft: an approved or paid batch is the
    record of what was decided and paid (the workflow, services/payments.py, moves it on)."""
    if batch.pk and batch.status != BatchStatus.DRAFT:
        raise ValidationError(
            _("Only a draft batch can be changed; this one is “%(status)s”.")
            % {"status": batch.get_status_display()}
        )


def user_may_export_payment_details(actor: Actor) -> bool:
    """Who exports the roster finance pays from, with each payee's ID and bank account numbers
    in full: the roles that pay a batch (the bureaus: those who may change it). Auditors and
    everyone else read those numbers masked."""
    return user_can(actor, "change", PaymentBatch)


@transaction.atomic
def payment_roster_export(*, actor: Actor, batch: PaymentBatch, count: int) -> None:
    """Allow and log the export of ``batch``'s roster with its payees' ID and bank account
    numbers (``count`` lines, the batch read in the actor's jurisdiction): refused
    (PermissionDenied, nothing logged) to a role that does not pay batches; otherwise a line of
    the personal-data access log (who, whose: the batch and its region, how many, when, why)."""
    if not user_may_export_payment_details(actor):
        raise PermissionDenied(_("Your role sees ID and bank account numbers masked only."))
    record_personal_data_access(
        actor=actor,
        field="payment_details",
        kind="export",
        region=batch.region,
        subject=str(batch),
        count=count,
        purpose=_("Payment roster for finance"),
    )
