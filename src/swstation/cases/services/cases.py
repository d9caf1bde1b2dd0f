"""Writes on cases: the casework stage machine of MZ/T 094-2017 (接案 intake → 预估 assessment →
计划 planning → 介入 intervention → 评估 evaluation → 结案 closed), closure with the supervisor's
approval, reopening, transfers between workers and stations, and the goals of the case plan
(domain.md §3).

What each stage needs before the next one:

- intake → assessment: the presenting problem;
- assessment → planning: an assessment — the assessment summary written, or a standard
  assessment (elderly capability, child needs) linked to the case;
- planning → intervention: at least one goal in the plan;
- intervention → evaluation: the intervention summary;
- evaluation → closed: never directly. The worker requests closure with a closing summary and a
  closing reason; the case's supervisor approves it (the city bureau may stand in).

A stage is never skipped. A closed case is reopened into intervention (``reopened_count`` goes
up). A transfer records a CaseTransfer and moves the case; its whole history stays. Every
refusal is a ValidationError naming what is missing; a role or ownership refusal is a
PermissionDenied. Pages, the API and the demo call these functions, so the rules hold for all.

Each stage action, closure step, reopening and transfer locks the case's row first and checks
that the case is still in the state the caller loaded (core/transitions.py): of two requests
sent together, the second waits for the first and is refused with a StateConflict (409) instead
of moving the case a second time. A refusal because of the case's state (closed, already at the
requested stage, no closure pending, not closed) is a StateConflict too: that is what the second
of two requests sees when the page or API locked the case before loading it. Changes of the
plan lock the case too, so that a goal is never removed while the case moves on.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import (
    STAGE_ORDER,
    Case,
    CaseGoal,
    CaseStage,
    CaseStageChange,
    CaseTransfer,
    ClosingReason,
)
from swstation.cases.selectors.cases import (
    case_has_assessment,
    case_visible,
    may_approve_closure,
    next_stage,
)
from swstation.core.actors import Actor, history_user
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.roles import Role
from swstation.core.scoping import ensure_visible
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.recipients.models import ExitReason, Recipient, RecipientStatus
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker, Supervisor

__all__ = [
    "CASE_UPDATE_FIELDS",
    "SUMMARY_FIELDS",
    "case_advance",
    "case_approve_closure",
    "case_goal_create",
    "case_goal_delete",
    "case_goal_update",
    "case_open",
    "case_reopen",
    "case_request_closure",
    "case_return_closure",
    "case_transfer",
    "case_update",
    "cases_close_on_exit",
]

# The texts case_advance accepts along the way (one per stage's product).
SUMMARY_FIELDS = frozenset(
    {"presenting_problem", "assessment_summary", "intervention_summary", "evaluation_summary"}
)
# What an edit may change; the stage, the worker and the station change only through the
# stage machine and transfers, the closure fields only through the closure workflow.
CASE_UPDATE_FIELDS = SUMMARY_FIELDS | {"supervisor", "opened_on"}
GOAL_FIELDS = frozenset({"description", "actions", "target_date", "achieved"})
# Statuses of a recipient for whom no new case is opened.
NO_NEW_CASE_STATUSES = frozenset({RecipientStatus.DECEASED, RecipientStatus.MERGED})


# --- checks shared by the functions ------------------------------------------------------


def _require_role(actor: Actor, action: Action, model: type[Any] = Case) -> None:
    if not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with cases."))


def _require_case(actor: Actor, case: Case, action: Action = "change") -> None:
    """The actor's role may do ``action`` and the actor sees the case (jurisdiction and, for
    a social worker, their own case)."""
    _require_role(actor, action)
    if not case_visible(actor=actor, case=case):
        raise PermissionDenied(_("This case is not one of yours or is outside your jurisdiction."))


def _lock(case: Case, *state: str) -> Case:
    """Lock the case's row for a transition asked against ``state`` as the caller loaded it;
    refuse with a StateConflict if it changed meanwhile (core/transitions.py)."""
    return lock_for_transition(case, *state, conflict=_changed_meanwhile)


def _changed_meanwhile(case: Case) -> str:
    return _(
        "Case %(number)s was changed by someone else in the meantime: it is now at "
        "%(stage)s. Reload it and try again."
    ) % {"number": case.number, "stage": _stage_label(case.stage)}


def _require_open(case: Case) -> None:
    if case.stage == CaseStage.CLOSED:
        raise StateConflict(
            _("Case %(number)s is closed: reopen it first.") % {"number": case.number}
        )


def _is_active(worker: SocialWorker, day: date) -> bool:
    return worker.left_on is None or worker.left_on > day


def _check_worker_at_station(
    worker: SocialWorker, station: Station, *, field: str = "worker"
) -> None:
    if worker.station_id != station.pk:
        raise ValidationError(
            {
                field: _(
                    "%(worker)s does not work at %(station)s: the responsible social worker "
                    "must be on the station's staff."
                )
                % {"worker": worker.name, "station": station.name}
            }
        )
    if not _is_active(worker, timezone.localdate()):
        raise ValidationError(
            {field: _("%(worker)s has left the station.") % {"worker": worker.name}}
        )


def _check_supervisor(actor: Actor, supervisor: Supervisor | None, station: Station) -> None:
    """The supervisor is one the actor may pick and serves the station's region."""
    if supervisor is None:
        return
    if not Supervisor.objects.visible_to(actor).filter(pk=supervisor.pk).exists():
        raise ValidationError(
            {"supervisor": _("%(name)s is not a supervisor you may choose.") % {"name": supervisor}}
        )
    if not supervisor.region.contains(station.region.code):
        raise ValidationError(
            {
                "supervisor": _(
                    "%(name)s supervises %(region)s, which does not include %(station)s."
                )
                % {"name": supervisor, "region": supervisor.region.name, "station": station.name}
            }
        )


def _save(case: Case, actor: Actor, reason: str = "") -> Case:
    case.full_clean()
    save_with_history(case, actor=actor, reason=reason)
    return case


def _log_stage(
    case: Case, actor: Actor, before: str, *, day: date | None = None, reason: str = ""
) -> CaseStageChange:
    """Record the case's move from ``before`` ("" for its opening) to its current stage, dated
    ``day`` (today by default), in the stage log that the figures of past periods read."""
    change = CaseStageChange(
        case=case,
        from_stage=before,
        to_stage=case.stage,
        changed_on=day or timezone.localdate(),
        changed_by=history_user(actor),
        reason=reason[:300],
    )
    change.full_clean()
    save_with_history(change, actor=actor)
    return change


def _change_day(case: Case, day: date | None, field: str = "changed_on") -> date:
    """The day a stage change takes effect: ``day`` as the user recorded it (a change made
    last week and entered today), or today. Never ahead of today, never before the case was
    opened nor before its last recorded change (the log stays in order, and "cases by stage at
    the end of 2023" reads it by date)."""
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise ValidationError({field: _("A stage change cannot be dated in the future.")})
    if day < case.opened_on:
        raise ValidationError(
            {
                field: _("A stage change cannot be dated before the case was opened (%(day)s).")
                % {"day": case.opened_on}
            }
        )
    last = (
        case.stage_changes.order_by("-changed_on", "-pk")
        .values_list("changed_on", flat=True)
        .first()
    )
    if last is not None and day < last:
        raise ValidationError(
            {
                field: _(
                    "The case's last stage change is dated %(day)s: a later change cannot be "
                    "dated before it."
                )
                % {"day": last}
            }
        )
    return day


def _next_number(station: Station, year: int) -> str:
    """``<township code (9 digits)>-<year>-<sequence>``: 330205103-2024-0007."""
    prefix = f"{station.region.code[:9]}-{year}-"
    sequence = Case.objects.filter(number__startswith=prefix).count() + 1
    while Case.objects.filter(number=f"{prefix}{sequence:04d}").exists():
        sequence += 1
    return f"{prefix}{sequence:04d}"


# --- opening and editing -------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    recipient: Recipient,
    station: Station,
    worker: SocialWorker,
    supervisor: Supervisor | None = None,
    opened_on: date | None = None,
    presenting_problem: str,
) -> Case:
    """Open a case (接案) of ``recipient`` at ``station`` with its responsible worker.

    The recipient must be visible to the actor, have consented to data processing and not be
    deceased or merged, and have no other open case at the station; the worker must work at the
    station (a social worker opens cases for themself only); the supervisor must serve the
    station's region. The case number is generated: township code, year, sequence.
    """
    _require_role(actor, "add")
    opened_on = opened_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not Recipient.objects.visible_to(actor).filter(pk=recipient.pk).exists():
        errors["recipient"] = _("%(name)s is not a recipient in your jurisdiction.") % {
            "name": recipient.name
        }
    elif not recipient.consent_given:
        errors["recipient"] = _(
            "%(name)s has not consented to the processing of their data: record the consent "
            "before opening a case."
        ) % {"name": recipient.name}
    elif recipient.status in NO_NEW_CASE_STATUSES:
        errors["recipient"] = _("No case can be opened for %(name)s (%(status)s).") % {
            "name": recipient.name,
            "status": recipient.get_status_display(),
        }
    if not Station.objects.visible_to(actor, for_write=True).filter(pk=station.pk).exists():
        errors["station"] = _("%(station)s is outside your jurisdiction.") % {
            "station": station.name
        }
    if not presenting_problem or not presenting_problem.strip():
        errors["presenting_problem"] = _("Describe the presenting problem to open a case.")
    if opened_on > timezone.localdate():
        errors["opened_on"] = _("A case cannot be opened in the future.")
    if errors:
        raise ValidationError(errors)
    if (
        getattr(actor, "role", None) == Role.SOCIAL_WORKER
        and not actor.is_superuser
        and worker.user_id != actor.pk
    ):
        raise ValidationError(
            {"worker": _("A social worker opens cases for themself: choose your own record.")}
        )
    _check_worker_at_station(worker, station)
    _check_supervisor(actor, supervisor, station)
    # One opening at a time per station, so that two cases never get the same sequence, and the
    # second of two openings sent together sees the first one's case below.
    Station.objects.select_for_update().filter(pk=station.pk).first()
    open_case = (
        Case.objects.filter(recipient=recipient, station=station)
        .exclude(stage=CaseStage.CLOSED)
        .first()
    )
    if open_case is not None:
        raise ValidationError(
            {
                "recipient": _("%(name)s already has an open case at this station: %(number)s.")
                % {"name": recipient.name, "number": open_case.number}
            }
        )
    for _attempt in range(5):
        case = Case(
            number=_next_number(station, opened_on.year),
            recipient=recipient,
            station=station,
            worker=worker,
            supervisor=supervisor,
            opened_on=opened_on,
            presenting_problem=presenting_problem.strip(),
            stage=CaseStage.INTAKE,
        )
        try:
            with transaction.atomic():
                _save(case, actor, _("Case opened"))
        except IntegrityError:  # another station of the township took the number meanwhile
            continue
        _log_stage(case, actor, "", day=opened_on)
        ensure_visible(actor, case)
        return case
    raise ValidationError(_("Could not number the case; please try again."))


@transaction.atomic
def case_update(*, actor: Actor, case: Case, **fields: Any) -> Case:
    """Edit the texts, the supervisor or the opening date of an open case.

    The stage, worker and station change only through the stage machine and transfers."""
    _require_case(actor, case)
    _require_open(case)
    # A field that cannot change here may be sent with its own value (a PUT of what the API
    # answered): it is left as it is.
    for name in set(fields) - CASE_UPDATE_FIELDS:
        if getattr(case, name, object()) == fields[name]:
            del fields[name]
    unknown = set(fields) - CASE_UPDATE_FIELDS
    if unknown:
        messages = {
            "stage": _("Move the case through its stages with the stage actions."),
            "worker": _("Give the case to another worker with a transfer."),
            "station": _("Move the case to another station with a transfer."),
            "recipient": _("The recipient of a case cannot change: open a new case."),
        }
        raise ValidationError(
            {
                name: messages.get(name, _("This field cannot be changed here."))
                for name in sorted(unknown)
            }
        )
    if "supervisor" in fields and fields["supervisor"] != case.supervisor:
        _check_supervisor(actor, fields["supervisor"], case.station)
    if (
        fields.get("presenting_problem") is not None
        and not str(fields["presenting_problem"]).strip()
    ):
        raise ValidationError({"presenting_problem": _("The presenting problem cannot be empty.")})
    if fields.get("opened_on") and fields["opened_on"] > timezone.localdate():
        raise ValidationError({"opened_on": _("A case cannot be opened in the future.")})
    opened_on = fields.get("opened_on")
    if opened_on and opened_on != case.opened_on:
        _move_opening(case, actor, opened_on)
    for name, value in fields.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    return _save(case, actor)


def _move_opening(case: Case, actor: Actor, opened_on: date) -> None:
    """A corrected opening date moves the opening in the stage log; it cannot come after a
    later stage change."""
    changes = list(case.stage_changes.order_by("changed_on", "pk"))
    later = [c for c in changes if c.from_stage and c.changed_on < opened_on]
    if later:
        raise ValidationError(
            {
                "opened_on": _(
                    "The case moved to %(stage)s on %(day)s: it cannot have been opened after that."
                )
                % {"stage": _stage_label(later[0].to_stage), "day": later[0].changed_on}
            }
        )
    for change in changes:
        if not change.from_stage:
            change.changed_on = opened_on
            save_with_history(change, actor=actor)


# --- the stage machine ---------------------------------------------------------------------


def _stage_label(stage: str) -> str:
    return str(CaseStage(stage).label)


def _missing_for(case: Case, target: str) -> dict[str, str]:
    """What ``case`` lacks to enter ``target`` (the stage after its current one)."""
    if target == CaseStage.ASSESSMENT and not case.presenting_problem.strip():
        return {
            "presenting_problem": _(
                "The presenting problem is missing: describe it before the assessment."
            )
        }
    if target == CaseStage.PLANNING and not case_has_assessment(case=case):
        return {
            "assessment_summary": _(
                "The assessment is missing: write the assessment summary or link an elderly "
                "capability or child needs assessment to the case before planning."
            )
        }
    if target == CaseStage.INTERVENTION and not case.goals.exists():
        return {"goals": _("The plan has no goal: add at least one goal before the intervention.")}
    if target == CaseStage.EVALUATION and not case.intervention_summary.strip():
        return {
            "intervention_summary": _(
                "The intervention summary is missing: write it before the evaluation."
            )
        }
    return {}


@transaction.atomic
def case_advance(
    *,
    actor: Actor,
    case: Case,
    to_stage: str,
    changed_on: date | None = None,
    **summaries: str,
) -> Case:
    """Move ``case`` to the next stage, ``to_stage``, after writing the given summaries
    (``presenting_problem``, ``assessment_summary``, ``intervention_summary``,
    ``evaluation_summary``) and checking what the next stage needs. Never skips a stage;
    never closes (see :func:`case_request_closure`). ``changed_on``: the day the case moved,
    when the user records it later (:func:`_change_day`); today by default."""
    _require_role(actor, "change")
    _lock(case, "stage")
    _require_case(actor, case)
    unknown = set(summaries) - SUMMARY_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This text is not written when moving a stage.") for name in sorted(unknown)}
        )
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": _("Unknown stage “%(stage)s”.") % {"stage": to_stage}})
    _require_open(case)
    if to_stage == CaseStage.CLOSED:
        raise ValidationError(
            {
                "to_stage": _(
                    "A case is not closed by moving a stage: request closure with a closing "
                    "summary and reason; its supervisor approves it."
                )
            }
        )
    if to_stage == case.stage:  # the same move, made meanwhile
        raise StateConflict(
            _(
                "Case %(number)s is already at %(stage)s: it was moved on meanwhile (by someone "
                "else, or by the same request sent twice)."
            )
            % {"number": case.number, "stage": _stage_label(case.stage)}
        )
    expected = next_stage(case.stage)
    if to_stage != expected:
        raise ValidationError(
            {
                "to_stage": _(
                    "Case %(number)s is at %(current)s: the next stage is %(next)s, not "
                    "%(target)s (stages are never skipped or walked back)."
                )
                % {
                    "number": case.number,
                    "current": _stage_label(case.stage),
                    "next": _stage_label(expected) if expected else "—",
                    "target": _stage_label(to_stage),
                }
            }
        )
    for name, value in summaries.items():
        if value is not None and str(value).strip():
            setattr(case, name, str(value).strip())
    missing = _missing_for(case, to_stage)
    if missing:
        raise ValidationError(missing)
    day = _change_day(case, changed_on)
    before = case.stage
    case.stage = to_stage
    _save(case, actor)
    _log_stage(case, actor, before, day=day)
    return case


# --- closure -------------------------------------------------------------------------------


@transaction.atomic
def case_request_closure(
    *,
    actor: Actor,
    case: Case,
    closing_summary: str,
    closing_reason: str,
    evaluation_summary: str | None = None,
) -> Case:
    """Ask the supervisor to close a case in evaluation, with the closing summary and reason
    (a pending request may be sent again with new texts)."""
    _require_role(actor, "change")
    _lock(case, "stage", "closure_requested_at")
    _require_case(actor, case)
    _require_open(case)
    if case.stage != CaseStage.EVALUATION:
        raise ValidationError(
            _("Case %(number)s is at %(stage)s: closure is requested at the evaluation stage.")
            % {"number": case.number, "stage": _stage_label(case.stage)}
        )
    errors: dict[str, str] = {}
    if not closing_summary or not closing_summary.strip():
        errors["closing_summary"] = _("The closing summary is missing.")
    if not closing_reason:
        errors["closing_reason"] = _("The closing reason is missing.")
    elif closing_reason not in ClosingReason.values:
        errors["closing_reason"] = _("Unknown closing reason “%(reason)s”.") % {
            "reason": closing_reason
        }
    if errors:
        raise ValidationError(errors)
    if evaluation_summary is not None and evaluation_summary.strip():
        case.evaluation_summary = evaluation_summary.strip()
    case.closing_summary = closing_summary.strip()
    case.closing_reason = closing_reason
    case.closure_requested_at = timezone.now()
    return _save(case, actor, str(ClosingReason(closing_reason).label))


def _require_pending_closure(actor: Actor, case: Case) -> None:
    """A closure request is pending and ``actor`` is the one to answer it (checked on the
    locked row: of two answers sent together, the second is refused)."""
    _require_role(actor, "view")
    _lock(case, "stage", "closure_requested_at")
    _require_case(actor, case, "view")
    _require_open(case)
    if case.stage != CaseStage.EVALUATION or case.closure_requested_at is None:
        raise StateConflict(
            _("Case %(number)s has no pending closure request.") % {"number": case.number}
        )
    if case.supervisor_id is None and not may_approve_closure(actor=actor, case=case):
        raise ValidationError(
            {
                "supervisor": _(
                    "Case %(number)s has no supervisor to approve its closure: assign one."
                )
                % {"number": case.number}
            }
        )
    if not may_approve_closure(actor=actor, case=case):
        raise PermissionDenied(
            _("Only the case's supervisor (%(supervisor)s) approves its closure.")
            % {"supervisor": case.supervisor}
        )


@transaction.atomic
def case_approve_closure(*, actor: Actor, case: Case, closed_on: date | None = None) -> Case:
    """The case's supervisor (or the city bureau) approves a pending closure: the case is
    closed on ``closed_on`` (the day it ended, when the approval is recorded later), or
    today."""
    _require_pending_closure(actor, case)
    day = _change_day(case, closed_on, "closed_on")
    before = case.stage
    case.stage = CaseStage.CLOSED
    case.closed_on = day
    case.closure_approved_by = history_user(actor)
    _save(case, actor, _("Closure approved"))
    _log_stage(case, actor, before, day=case.closed_on, reason=_("Closure approved"))
    return case


@transaction.atomic
def case_return_closure(*, actor: Actor, case: Case, reason: str) -> Case:
    """The supervisor sends a closure request back: the case stays in evaluation."""
    _require_pending_closure(actor, case)
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the closure request is returned.")})
    case.closure_requested_at = None
    return _save(case, actor, reason.strip())


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str, changed_on: date | None = None) -> Case:
    """Reopen a closed case into intervention, on ``changed_on`` or today; the closure stays
    in the history."""
    _require_role(actor, "change")
    _lock(case, "stage", "reopened_count")
    _require_case(actor, case)
    if case.stage != CaseStage.CLOSED:
        raise StateConflict(
            _("Case %(number)s is not closed (%(stage)s): only a closed case is reopened.")
            % {"number": case.number, "stage": _stage_label(case.stage)}
        )
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    day = _change_day(case, changed_on)
    before = case.stage
    case.stage = CaseStage.INTERVENTION
    case.reopened_count += 1
    case.closed_on = None
    case.closure_requested_at = None
    case.closure_approved_by = None
    case.closing_reason = ""
    case.closing_summary = ""
    _save(case, actor, reason.strip())
    _log_stage(case, actor, before, day=day, reason=reason.strip())
    return case


# --- the person's exit --------------------------------------------------------------------

# The closing reason of a case closed because its person left service.
EXIT_CLOSING_REASON: dict[str, str] = {
    ExitReason.DECEASED: ClosingReason.DECEASED,
    ExitReason.MOVED_AWAY: ClosingReason.MOVED,
    ExitReason.DECLINED: ClosingReason.DECLINED,
    ExitReason.INELIGIBLE: ClosingReason.OTHER,
}


def cases_close_on_exit(*, actor: Actor, recipient: Recipient) -> list[Case]:
    """Close the open cases of a person who left service (recipients.services.recipient_exit
    calls it, in the exit's transaction), as of the exit date, each closure logged as a stage
    change with the exit's reason and kept in the case's history.

    Why close rather than refuse the exit until the cases are closed: an exit records a fact
    — the person died, moved away, is no longer eligible or declined service — and the station
    cannot choose to have it wait on casework. A case of a person no longer served has nothing
    left to work on; left open, it would keep counting as open on the cockpit for every later
    period and stay on the worker's agenda. The supervisor's approval, which a normal closure
    needs, judges whether the goals were met; here the reason is the exit itself, so the case
    is closed without it (``closure_approved_by`` stays empty, the closing summary and the
    history say why, and a case closed wrongly can be reopened). A case whose last change is
    dated after the exit closes on that later day, so its log stays in order."""
    exited_on, reason = recipient.exited_on, recipient.exit_reason
    if exited_on is None:
        return []
    label = str(ExitReason(reason).label) if reason else _("Left service")
    text = _("%(name)s left service on %(day)s (%(reason)s): the case is closed.") % {
        "name": recipient.name,
        "day": exited_on,
        "reason": label,
    }
    closed = []
    for case in (
        Case.objects.select_for_update()
        .filter(recipient=recipient)
        .exclude(stage=CaseStage.CLOSED)
        .order_by("pk")
    ):
        last = case.stage_changes.order_by("-changed_on").values_list("changed_on", flat=True)
        day = max([exited_on, case.opened_on, *last[:1]])
        before = case.stage
        case.stage = CaseStage.CLOSED
        case.closed_on = min(day, timezone.localdate())
        case.closing_reason = EXIT_CLOSING_REASON.get(reason, ClosingReason.OTHER)
        case.closing_summary = case.closing_summary or text
        case.closure_requested_at = None
        _save(case, actor, text)
        _log_stage(case, actor, before, day=case.closed_on, reason=text)
        closed.append(case)
    return closed


# --- transfer ------------------------------------------------------------------------------


@transaction.atomic
def case_transfer(
    *,
    actor: Actor,
    case: Case,
    to_worker: SocialWorker,
    to_station: Station | None = None,
    reason: str,
    transferred_on: date | None = None,
) -> CaseTransfer:
    """Hand an open case to another worker (and station): a CaseTransfer records from whom
    to whom and why; the case keeps its stage and its whole history. ``to_station`` defaults
    to the new worker's station."""
    _require_role(actor, "change")
    _lock(case, "stage", "worker", "station")
    _require_case(actor, case)
    _require_open(case)
    day = transferred_on or timezone.localdate()
    if to_station is None:
        if to_worker.station is None:
            raise ValidationError(
                {"to_worker": _("%(worker)s works at no station.") % {"worker": to_worker.name}}
            )
        to_station = to_worker.station
    errors: dict[str, str] = {}
    if not reason or not reason.strip():
        errors["reason"] = _("Say why the case is transferred.")
    if not Station.objects.visible_to(actor, for_write=True).filter(pk=to_station.pk).exists():
        errors["to_station"] = _("%(station)s is outside your jurisdiction.") % {
            "station": to_station.name
        }
    if day > timezone.localdate():
        errors["transferred_on"] = _("A transfer cannot be dated in the future.")
    elif day < case.opened_on:
        errors["transferred_on"] = _("A transfer cannot precede the opening of the case.")
    if errors:
        raise ValidationError(errors)
    if to_worker.pk == case.worker_id and to_station.pk == case.station_id:
        raise StateConflict(
            {
                "to_worker": _("The case is already with %(worker)s at %(station)s.")
                % {"worker": to_worker.name, "station": to_station.name}
            }
        )
    _check_worker_at_station(to_worker, to_station, field="to_worker")
    transfer = CaseTransfer(
        case=case,
        from_worker=case.worker,
        to_worker=to_worker,
        from_station=case.station,
        to_station=to_station,
        transferred_on=day,
        reason=reason.strip(),
    )
    transfer.full_clean()
    save_with_history(transfer, actor=actor)
    case.worker = to_worker
    case.station = to_station
    if case.supervisor is not None and not case.supervisor.region.contains(to_station.region.code):
        case.supervisor = None  # the old supervisor does not serve the new station's region
    _save(case, actor, reason.strip())
    return transfer


# --- goals of the plan ---------------------------------------------------------------------


def _require_goal_case(actor: Actor, case: Case, action: Action) -> None:
    _require_role(actor, action, CaseGoal)
    _lock(case)  # the plan changes one at a time, and not while the case moves on
    if not case_visible(actor=actor, case=case):
        raise ValidationError(
            {"case": _("This case is not one of yours or is outside your jurisdiction.")}
        )
    if case.stage == CaseStage.CLOSED:
        raise ValidationError(
            {
                "case": _("Case %(number)s is closed: reopen it to change its plan.")
                % {"number": case.number}
            }
        )


def _save_goal(goal: CaseGoal, actor: Actor) -> CaseGoal:
    goal.full_clean()
    save_with_history(goal, actor=actor)
    return goal


@transaction.atomic
def case_goal_create(
    *,
    actor: Actor,
    case: Case,
    description: str,
    actions: str = "",
    target_date: date | None = None,
    achieved: bool = False,
) -> CaseGoal:
    """Add a goal to an open case's plan."""
    _require_goal_case(actor, case, "add")
    goal = CaseGoal(
        case=case,
        description=description.strip(),
        actions=actions,
        target_date=target_date,
        achieved=achieved,
    )
    if target_date is not None and target_date < case.opened_on:
        raise ValidationError({"target_date": _("The target date is before the case was opened.")})
    return _save_goal(goal, actor)


@transaction.atomic
def case_goal_update(*, actor: Actor, goal: CaseGoal, **fields: Any) -> CaseGoal:
    """Change a goal of an open case (not the case it belongs to)."""
    if "case" in fields and fields["case"] != goal.case:
        raise ValidationError({"case": _("A goal stays with its case: add a new goal instead.")})
    fields.pop("case", None)
    unknown = set(fields) - GOAL_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    _require_goal_case(actor, goal.case, "change")
    for name, value in fields.items():
        setattr(goal, name, value)
    if goal.target_date is not None and goal.target_date < goal.case.opened_on:
        raise ValidationError({"target_date": _("The target date is before the case was opened.")})
    return _save_goal(goal, actor)


@transaction.atomic
def case_goal_delete(*, actor: Actor, goal: CaseGoal) -> None:
    """Remove a goal; a case past planning keeps at least one goal in its plan."""
    case = goal.case
    _require_goal_case(actor, case, "delete")
    if (
        STAGE_ORDER.index(case.stage) >= STAGE_ORDER.index(CaseStage.INTERVENTION)
        and case.goals.exclude(pk=goal.pk).count() == 0
    ):
        raise ValidationError(
            _("Case %(number)s is at %(stage)s: its plan keeps at least one goal.")
            % {"number": case.number, "stage": _stage_label(case.stage)}
        )
    record_author(goal, actor)
    goal.delete()
