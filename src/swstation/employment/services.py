"""Writes on the employment aid (issue 14). Pages, the API and the demo call these.

- A seeker's identity and phone numbers are kept as a volunteer's (and a recipient's): checked,
  stored encrypted with a keyed hash and a masked copy; a full view is
  :func:`job_seeker_reveal_identity`, for the roles that see recipients' numbers in full,
  written to the personal-data access log. A seeker who is a recipient takes their home village.
- A seeker's ``status`` is never written by hand: ``placed`` while one of their placements is
  hired or at work, else ``paused`` when the search is paused, else ``seeking``
  (:func:`refresh_seeker_status`, after every placement step).
- A job post names an enterprise partner the writer reads, and a station the writer keeps.
- A placement moves only by its steps (``models.NEXT_PLACEMENT_STATUS``), each with the row
  locked (core/transitions.py) and its reason in the history:
  ``referred`` → ``hired`` (:func:`placement_hire`, start day and pay; refused when the post's
  places are all filled or the seeker already holds a job) or ``rejected``
  (:func:`placement_reject`, reason required); ``hired`` → ``working``
  (:func:`placement_start`); ``hired`` or ``working`` → ``left`` (:func:`placement_leave`, end
  day). Rejected and left placements are final.
- A recipient's start of work counts as a service (issue 14): :func:`placement_start` writes
  their 就业帮扶 service record through ``cases.services.records.service_record_create`` (its
  rules, its history, the dashboard's tallies by its signals), once per placement, linked as
  ``Placement.service_record``; who records it is :func:`selectors.placement_service_worker`.

Every function is atomic and refuses in Chinese, naming the field.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import ServiceRecord, ServiceType
from swstation.cases.services.records import service_record_create
from swstation.core.actors import SYSTEM, Actor, require_actor
from swstation.core.crypto import decrypt
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible, ensure_writable
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.employment import selectors
from swstation.employment.models import (
    ACTIVE_PLACEMENT,
    FILLING_PLACEMENT,
    FINAL_PLACEMENT,
    NEXT_PLACEMENT_STATUS,
    PAY_MAX,
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    PlacementStatus,
    SeekerStatus,
)
from swstation.recipients.models import AccessKind, Recipient, RecipientStatus
from swstation.recipients.protected_numbers import store_identity_numbers
from swstation.recipients.services import personal_data_access_log

SEEKER_FIELDS = (
    "recipient",
    "name",
    "sex",
    "category",
    "region",
    "station",
    "skills",
    "work_wanted",
    "available_months",
    "hours_per_day",
    "child_care",
    "no_transport",
    "health_limits",
    "travel_range",
    "wanted_pay",
    "paused",
    "registered_on",
    "note",
)
POST_FIELDS = (
    "employer",
    "station",
    "title",
    "places",
    "season_from",
    "season_to",
    "hours_per_day",
    "skills",
    "requirements",
    "heavy_work",
    "pay",
    "region",
    "status",
    "posted_on",
    "note",
)
PLACEMENT_FIELDS = ("post", "seeker", "referred_on", "note")
# The worker's time a start of work is counted as (the referral, the visit to the employer,
# the first day's follow-up): the service record's duration.
PLACEMENT_SERVICE_MINUTES = 30
REVEALABLE = ("id_number", "phone")


def _require_role(actor: Actor, action: Action, model: type[Any]) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with the employment aid."))


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


# --- seekers ------------------------------------------------------------------------------------


def _seeker_status(seeker: JobSeeker) -> str:
    if seeker.pk and Placement.objects.filter(seeker=seeker, status__in=ACTIVE_PLACEMENT).exists():
        return SeekerStatus.PLACED
    return SeekerStatus.PAUSED if seeker.paused else SeekerStatus.SEEKING


def _save_seeker(
    actor: Actor, seeker: JobSeeker, document_number: str | None, phone: str | None
) -> JobSeeker:
    if seeker.recipient_id and not seeker.name:
        seeker.name = seeker.recipient.name  # type: ignore[union-attr]
    if seeker.recipient_id and not seeker.region_id:
        seeker.region = seeker.recipient.region  # type: ignore[union-attr]
    if seeker.recipient_id and not seeker.sex:
        seeker.sex = seeker.recipient.sex  # type: ignore[union-attr]
    errors = store_identity_numbers(seeker, document_number, phone)
    if not errors and seeker.id_number_hash:
        taken = JobSeeker.objects.filter(id_number_hash=seeker.id_number_hash).exclude(pk=seeker.pk)
        if taken.exists():
            errors["document_number"] = [_("A job seeker with this document number is recorded.")]
    if (
        actor is not SYSTEM
        and seeker.recipient_id
        and not Recipient.objects.visible_to(actor).filter(pk=seeker.recipient_id).exists()
    ):
        errors["recipient"] = [_("This recipient is outside your jurisdiction.")]
    try:
        seeker.full_clean(exclude=["id_number_hash"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    seeker.status = _seeker_status(seeker)
    save_with_history(seeker, actor=actor)
    _check_visible(actor, seeker)
    return seeker


@transaction.atomic
def job_seeker_create(
    *, actor: Actor, document_number: str = "", phone: str = "", **fields: Any
) -> JobSeeker:
    _require_role(actor, "add", JobSeeker)
    seeker = JobSeeker()
    _apply(seeker, fields, SEEKER_FIELDS)
    return _save_seeker(actor, seeker, document_number, phone)


@transaction.atomic
def job_seeker_update(
    *,
    actor: Actor,
    seeker: JobSeeker,
    document_number: str | None = None,
    phone: str | None = None,
    **changes: Any,
) -> JobSeeker:
    """``document_number``/``phone``: None (or left out) keeps the stored number, "" removes it."""
    _require_role(actor, "change", JobSeeker)
    lock_for_transition(seeker)
    _check_writable(actor, seeker)
    _apply(seeker, changes, SEEKER_FIELDS)
    return _save_seeker(actor, seeker, document_number, phone)


@transaction.atomic
def job_seeker_delete(*, actor: Actor, seeker: JobSeeker) -> None:
    _require_role(actor, "delete", JobSeeker)
    _check_writable(actor, seeker)
    if Placement.objects.filter(seeker=seeker).exists():
        raise ValidationError(
            {"seeker": _("This job seeker has placements: pause the search instead.")}
        )
    record_author(seeker, actor)
    seeker.delete()


@transaction.atomic
def job_seeker_reveal_identity(
    *, actor: Actor, seeker: JobSeeker, field: str, purpose: str = ""
) -> str:
    """The clear identity (``field="id_number"``) or phone number (``"phone"``), for the roles
    that see recipients' numbers in full, logged in the personal-data access log; everyone else
    is refused (PermissionDenied) and nothing is logged."""
    if not selectors.may_reveal_identity(actor):
        raise PermissionDenied(_("Your role sees identity and phone numbers masked only."))
    if field not in REVEALABLE:
        raise ValidationError({"field": _("Choose the number to show.")})
    if not JobSeeker.objects.visible_to(actor).filter(pk=seeker.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))
    token = getattr(seeker, f"{field}_encrypted")
    if not token:
        raise ValidationError({"field": _("No such number is recorded for this person.")})
    value = decrypt(token)
    personal_data_access_log(
        actor=actor,
        field=field,
        kind=AccessKind.VIEW,
        region=seeker.region,
        subject=_("Job seeker %(name)s (#%(pk)s)") % {"name": seeker.name, "pk": seeker.pk},
        purpose=purpose,
    )
    return value


def refresh_seeker_status(actor: Actor, seeker: JobSeeker, reason: str) -> JobSeeker:
    """Bring the stored status in line with the placements (and the pause), with history."""
    status = _seeker_status(seeker)
    if status != seeker.status:
        seeker.status = status
        save_with_history(seeker, actor=actor, reason=reason)
    return seeker


# --- posts --------------------------------------------------------------------------------------


def _check_post_links(actor: Actor, post: JobPost) -> None:
    if actor is SYSTEM:
        return
    errors: dict[str, str] = {}
    if not selectors.employer_choices(actor=actor).filter(pk=post.employer_id).exists():
        errors["employer"] = _("This enterprise is not one you may post jobs for.")
    if not selectors.station_choices(actor=actor).filter(pk=post.station_id).exists():
        errors["station"] = _("This station is outside your jurisdiction.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def job_post_create(*, actor: Actor, **fields: Any) -> JobPost:
    _require_role(actor, "add", JobPost)
    post = JobPost()
    _apply(post, fields, POST_FIELDS)
    post.full_clean()
    _check_post_links(actor, post)
    save_with_history(post, actor=actor)
    _check_visible(actor, post)
    return post


@transaction.atomic
def job_post_update(*, actor: Actor, post: JobPost, **changes: Any) -> JobPost:
    """The places may not fall below those already filled."""
    _require_role(actor, "change", JobPost)
    lock_for_transition(post)
    _check_writable(actor, post)
    _apply(post, changes, POST_FIELDS)
    post.full_clean()
    filled = Placement.objects.filter(post=post, status__in=FILLING_PLACEMENT).count()
    if post.places < filled:
        raise ValidationError(
            {
                "places": _("%(filled)d places are already filled: the post needs at least that.")
                % {"filled": filled}
            }
        )
    _check_post_links(actor, post)
    save_with_history(post, actor=actor)
    _check_visible(actor, post)
    return post


@transaction.atomic
def job_post_delete(*, actor: Actor, post: JobPost) -> None:
    _require_role(actor, "delete", JobPost)
    _check_writable(actor, post)
    if Placement.objects.filter(post=post).exists():
        raise ValidationError({"post": _("Seekers were referred to this post: close it instead.")})
    record_author(post, actor)
    post.delete()


# --- placements ---------------------------------------------------------------------------------


def _check_placement_links(actor: Actor, placement: Placement) -> None:
    if actor is SYSTEM:
        return
    errors: dict[str, str] = {}
    if not JobPost.objects.visible_to(actor, for_write=True).filter(pk=placement.post_id).exists():
        errors["post"] = _("This post is outside your jurisdiction.")
    if not JobSeeker.objects.visible_to(actor).filter(pk=placement.seeker_id).exists():
        errors["seeker"] = _("This job seeker is outside your jurisdiction.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def placement_create(*, actor: Actor, **fields: Any) -> Placement:
    """Refer a seeker to a post (status ``referred``): an open post, a seeker still seeking."""
    _require_role(actor, "add", Placement)
    placement = Placement()
    _apply(placement, fields, PLACEMENT_FIELDS)
    if not placement.referred_on:
        placement.referred_on = timezone.localdate()
    placement.status = PlacementStatus.REFERRED
    placement.full_clean()
    _check_placement_links(actor, placement)
    errors: dict[str, str] = {}
    post, seeker = placement.post, placement.seeker
    if post.status != "open":
        errors["post"] = _("The post “%(title)s” is closed.") % {"title": post.title}
    if seeker.status != SeekerStatus.SEEKING:
        errors["seeker"] = _("%(name)s is not seeking work (%(status)s).") % {
            "name": seeker.name,
            "status": seeker.get_status_display(),
        }
    if errors:
        raise ValidationError(errors)
    save_with_history(placement, actor=actor, reason=_("Referred to the employer"))
    _check_visible(actor, placement)
    return placement


@transaction.atomic
def placement_update(*, actor: Actor, placement: Placement, **changes: Any) -> Placement:
    """Only the note and the day of referral change; the post and the seeker stay."""
    _require_role(actor, "change", Placement)
    lock_for_transition(placement)
    _check_writable(actor, placement)
    for name in ("post", "seeker"):
        if name in changes and changes[name] != getattr(placement, name):
            raise ValidationError({name: _("This no longer changes once referred.")})
    _apply(placement, changes, PLACEMENT_FIELDS)
    placement.full_clean()
    save_with_history(placement, actor=actor)
    return placement


@transaction.atomic
def placement_delete(*, actor: Actor, placement: Placement) -> None:
    _require_role(actor, "delete", Placement)
    _check_writable(actor, placement)
    if placement.status != PlacementStatus.REFERRED:
        raise ValidationError({"status": _("Only a referral not yet answered can be deleted.")})
    record_author(placement, actor)
    placement.delete()


def _label(status: str) -> str:
    return str(PlacementStatus(status).label)


def _transition(actor: Actor, placement: Placement, to: str) -> Placement:
    _require_role(actor, "change", Placement)
    lock_for_transition(placement, "status")
    _check_writable(actor, placement)
    if placement.status == to:
        raise StateConflict(
            _("The placement is already “%(status)s”: it was moved meanwhile.")
            % {"status": _label(to)}
        )
    if placement.status in FINAL_PLACEMENT:
        raise StateConflict(
            _("The placement is “%(status)s”: it no longer changes.")
            % {"status": _label(placement.status)}
        )
    allowed_from = [s for s, targets in NEXT_PLACEMENT_STATUS.items() if to in targets]
    if placement.status not in allowed_from:
        raise ValidationError(
            {
                "status": _(
                    "A placement that is “%(current)s” cannot become “%(target)s”; it can from "
                    "%(allowed)s."
                )
                % {
                    "current": _label(placement.status),
                    "target": _label(to),
                    "allowed": "、".join(f"“{_label(s)}”" for s in allowed_from),
                }
            }
        )
    return placement


def _day(value: date | None, name: str, after: date, after_label: str) -> date:
    day = value or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({name: _("This day is in the future.")})
    if day < after:
        raise ValidationError(
            {
                name: _("This day is before %(what)s (%(day)s).")
                % {"what": after_label, "day": after.isoformat()}
            }
        )
    return day


def _pay(value: Decimal | None, default: Decimal) -> Decimal:
    pay = default if value is None else value
    if pay < 0 or pay > PAY_MAX:
        raise ValidationError(
            {"pay": _("Enter a pay between 0 and %(max)d yuan a day.") % {"max": PAY_MAX}}
        )
    return pay


@transaction.atomic
def placement_hire(
    *,
    actor: Actor,
    placement: Placement,
    starts_on: date | None = None,
    pay: Decimal | None = None,
    answered_on: date | None = None,
) -> Placement:
    """The employer hired the seeker (录用): the day work starts (may be ahead, within the
    season) and the agreed pay (the post's by default). Refused when the post's places are all
    filled, or the seeker already holds a job."""
    _transition(actor, placement, PlacementStatus.HIRED)
    post = JobPost.objects.select_for_update().get(pk=placement.post_id)
    answered = _day(answered_on, "answered_on", placement.referred_on, _("the referral"))
    start = starts_on or answered
    if start < answered:
        raise ValidationError({"starts_on": _("Work cannot start before the employer answered.")})
    if start > post.season_to:
        raise ValidationError(
            {
                "starts_on": _("The season of this post ends on %(day)s.")
                % {"day": post.season_to.isoformat()}
            }
        )
    filled = Placement.objects.filter(post=post, status__in=FILLING_PLACEMENT).count()
    if filled >= post.places:
        raise ValidationError(
            {
                "post": _("All %(places)d places of “%(title)s” are filled.")
                % {"places": post.places, "title": post.title}
            }
        )
    seeker = JobSeeker.objects.select_for_update().get(pk=placement.seeker_id)
    busy = (
        Placement.objects.filter(seeker=seeker, status__in=ACTIVE_PLACEMENT)
        .exclude(pk=placement.pk)
        .select_related("post")
        .first()
    )
    if busy is not None:
        raise ValidationError(
            {
                "seeker": _("%(name)s already holds a job: %(post)s.")
                % {"name": seeker.name, "post": busy.post.title}
            }
        )
    placement.answered_on = answered
    placement.starts_on = start
    placement.pay = _pay(pay, post.pay)
    placement.status = PlacementStatus.HIRED
    save_with_history(placement, actor=actor, reason=_("Hired"))
    refresh_seeker_status(actor, seeker, _("Hired"))
    return placement


@transaction.atomic
def placement_reject(
    *, actor: Actor, placement: Placement, reason: str, answered_on: date | None = None
) -> Placement:
    """The employer did not hire the seeker (未录用), for a reason (required)."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Write why the employer did not hire.")})
    _transition(actor, placement, PlacementStatus.REJECTED)
    placement.answered_on = _day(
        answered_on, "answered_on", placement.referred_on, _("the referral")
    )
    placement.reason = text
    placement.status = PlacementStatus.REJECTED
    return save_with_history(placement, actor=actor, reason=_("Not hired"))


def placement_service_notes(placement: Placement) -> str:
    """The notes of the service record a start of work writes: the post and the employer."""
    assert placement.starts_on is not None
    return _("Employment aid: at work from %(day)s as %(post)s at %(employer)s.") % {
        "day": placement.starts_on.isoformat(),
        "post": placement.post.title,
        "employer": placement.post.employer.name,
    }


def _record_start_of_work(actor: Actor, placement: Placement) -> ServiceRecord | None:
    """The 就业帮扶 service record of a recipient seeker's start of work, written through the
    cases' service (its checks, its history and the dashboard's tallies), or None:

    - the seeker is no recipient (a resident of the township only), or the recipient's record
      was merged into another one (a merged record takes no new service);
    - the writer may not see the person (the cases' rule: a service is recorded for a person in
      the writer's jurisdiction);
    - no worker records it (``selectors.placement_service_worker``: the writer's own
      social-worker record at the post's station, else the worker of the person's open case
      there, else nobody — the placement moves all the same, no worker is made up).

    The record: the start day, the post's station, 30 minutes, the place of work, notes naming
    the post and the employer. A placement that already has its record keeps it (never two).
    """
    if placement.service_record_id is not None:
        return placement.service_record
    seeker = placement.seeker
    recipient = seeker.recipient if seeker.recipient_id else None
    if recipient is None or recipient.status == RecipientStatus.MERGED:
        return None
    if (
        actor is not SYSTEM
        and not Recipient.objects.visible_to(actor).filter(pk=recipient.pk).exists()
    ):
        return None
    assert placement.starts_on is not None
    worker, case = selectors.placement_service_worker(
        actor=actor, placement=placement, day=placement.starts_on
    )
    if worker is None:
        return None
    post = placement.post
    try:
        return service_record_create(
            actor=actor,
            recipient=recipient,
            worker=worker,
            station=post.station,
            case=case,
            served_on=placement.starts_on,
            service_type=ServiceType.EMPLOYMENT,
            duration_minutes=PLACEMENT_SERVICE_MINUTES,
            place=post.region.name[:100],
            notes=placement_service_notes(placement),
        )
    except ValidationError as exc:
        # The service's day is the start day (before the station opened, say): name that field.
        if hasattr(exc, "error_dict") and "served_on" in exc.error_dict:
            exc.error_dict["starts_on"] = exc.error_dict.pop("served_on")
        raise


@transaction.atomic
def placement_start(
    *, actor: Actor, placement: Placement, starts_on: date | None = None
) -> Placement:
    """The seeker is at work (在岗), from ``starts_on`` (the planned day by default). When the
    seeker is a recipient, the start counts as a service: their 就业帮扶 service record, dated
    the start day, is written and linked (:func:`_record_start_of_work`, which says when none
    is)."""
    _transition(actor, placement, PlacementStatus.WORKING)
    assert placement.answered_on is not None
    placement.starts_on = _day(
        starts_on or placement.starts_on, "starts_on", placement.answered_on, _("the hiring")
    )
    placement.status = PlacementStatus.WORKING
    placement.service_record = _record_start_of_work(actor, placement)
    return save_with_history(placement, actor=actor, reason=_("At work"))


@transaction.atomic
def placement_leave(
    *, actor: Actor, placement: Placement, ends_on: date | None = None, reason: str = ""
) -> Placement:
    """The seeker left the job (离岗: the season ended, or earlier, with a reason); they are
    seeking again unless their search is paused."""
    _transition(actor, placement, PlacementStatus.LEFT)
    start = placement.starts_on or placement.answered_on or placement.referred_on
    placement.ends_on = _day(ends_on, "ends_on", start, _("the start of work"))
    if placement.starts_on is None or placement.status == PlacementStatus.HIRED:
        placement.starts_on = placement.starts_on or placement.ends_on
    placement.reason = (reason or "").strip()
    placement.status = PlacementStatus.LEFT
    save_with_history(placement, actor=actor, reason=_("Left the job"))
    refresh_seeker_status(actor, placement.seeker, _("Left the job"))
    return placement


# --- income follow-up ---------------------------------------------------------------------------

FOLLOW_UP_FIELDS = (
    "household",
    "project",
    "interval",
    "started_on",
    "baseline_earned",
    "baseline_given",
    "ended_on",
    "note",
)
CHECK_FIELDS = ("follow_up", "checked_on", "earned", "given", "note")


def _check_follow_up_links(actor: Actor, follow_up: IncomeFollowUp) -> None:
    if actor is SYSTEM:
        return
    errors: dict[str, str] = {}
    if (
        follow_up.household_id
        and not selectors.household_choices(actor=actor).filter(pk=follow_up.household_id).exists()
    ):
        errors["household"] = _("This household is outside your jurisdiction.")
    if (
        follow_up.project_id
        and not selectors.livelihood_project_choices(actor=actor)
        .filter(pk=follow_up.project_id)
        .exists()
    ):
        errors["project"] = _("Choose an approved project you may record work under.")
    if errors:
        raise ValidationError(errors)


def _last_check_day(follow_up: IncomeFollowUp) -> date | None:
    return (
        IncomeCheck.objects.filter(follow_up=follow_up)
        .order_by("-checked_on")
        .values_list("checked_on", flat=True)
        .first()
    )


@transaction.atomic
def income_follow_up_create(*, actor: Actor, **fields: Any) -> IncomeFollowUp:
    """Start following a household's income in a livelihood project, with its baseline (the
    monthly income, earned and given, before the project)."""
    _require_role(actor, "add", IncomeFollowUp)
    follow_up = IncomeFollowUp()
    _apply(follow_up, fields, FOLLOW_UP_FIELDS)
    follow_up.full_clean()
    _check_follow_up_links(actor, follow_up)
    save_with_history(follow_up, actor=actor)
    _check_visible(actor, follow_up)
    return follow_up


@transaction.atomic
def income_follow_up_update(
    *, actor: Actor, follow_up: IncomeFollowUp, **changes: Any
) -> IncomeFollowUp:
    """Correct the baseline or the interval, or end the follow-up (not before its last check).
    The household and the project stay: another pair is another follow-up."""
    _require_role(actor, "change", IncomeFollowUp)
    lock_for_transition(follow_up)
    _check_writable(actor, follow_up)
    for name in ("household", "project"):
        if name in changes and getattr(changes[name], "pk", changes[name]) != getattr(
            follow_up, f"{name}_id"
        ):
            raise ValidationError({name: _("A follow-up stays with its household and project.")})
    _apply(follow_up, changes, FOLLOW_UP_FIELDS)
    follow_up.full_clean()
    last = _last_check_day(follow_up)
    if last is not None and follow_up.started_on is not None and follow_up.started_on >= last:
        raise ValidationError(
            {
                "started_on": _("The baseline comes before the first check (%(day)s).")
                % {"day": last}
            }
        )
    if last is not None and follow_up.ended_on is not None and follow_up.ended_on < last:
        raise ValidationError(
            {
                "ended_on": _("The last check was on %(day)s: end the follow-up on or after it.")
                % {"day": last}
            }
        )
    save_with_history(follow_up, actor=actor)
    _check_visible(actor, follow_up)
    return follow_up


@transaction.atomic
def income_follow_up_delete(*, actor: Actor, follow_up: IncomeFollowUp) -> None:
    """Only a follow-up without checks goes (a mistaken entry); one with checks is ended."""
    _require_role(actor, "delete", IncomeFollowUp)
    _check_writable(actor, follow_up)
    if IncomeCheck.objects.filter(follow_up=follow_up).exists():
        raise StateConflict(
            _("This household's income was checked: end the follow-up instead of deleting it.")
        )
    record_author(follow_up, actor)
    follow_up.delete()


def _check_open(follow_up: IncomeFollowUp) -> None:
    if follow_up.ended_on is not None:
        raise ValidationError(
            {"follow_up": _("This follow-up ended on %(day)s.") % {"day": follow_up.ended_on}}
        )


@transaction.atomic
def income_check_create(*, actor: Actor, **fields: Any) -> IncomeCheck:
    """Record the household's monthly income (earned and given) on a day after the baseline."""
    _require_role(actor, "add", IncomeCheck)
    check = IncomeCheck()
    _apply(check, fields, CHECK_FIELDS)
    if check.follow_up_id:
        lock_for_transition(check.follow_up)
        _check_writable(actor, check.follow_up)
        _check_open(check.follow_up)
    check.full_clean()
    save_with_history(check, actor=actor)
    _check_visible(actor, check)
    return check


@transaction.atomic
def income_check_update(*, actor: Actor, check: IncomeCheck, **changes: Any) -> IncomeCheck:
    _require_role(actor, "change", IncomeCheck)
    lock_for_transition(check)
    _check_writable(actor, check)
    if "follow_up" in changes and getattr(changes["follow_up"], "pk", None) != check.follow_up_id:
        raise ValidationError({"follow_up": _("A check stays with its follow-up.")})
    _apply(check, changes, CHECK_FIELDS)
    check.full_clean()
    save_with_history(check, actor=actor)
    _check_visible(actor, check)
    return check


@transaction.atomic
def income_check_delete(*, actor: Actor, check: IncomeCheck) -> None:
    _require_role(actor, "delete", IncomeCheck)
    _check_writable(actor, check)
    record_author(check, actor)
    check.delete()
