"""Writes on projects and their beneficiaries (domain.md §1, "1+X+1"; issue 12, "Projects").

The life cycle (models.py): 申报 proposed → 立项 approved → 实施 running → 中期评估 midterm →
结项 closing → 已结项 closed, or 终止 terminated with a reason from any state before closed.

- A project moves only one step at a time, through :func:`project_advance`; it is terminated
  through :func:`project_terminate`. A step that does not follow from the project's state —
  a skipped or repeated step, anything after closed or terminated — is refused with a
  ``StateConflict``: the API answers 409, the page shows the message. Each transition locks
  the project's row first (core/transitions.py), so that of two requests sent together the
  second waits and is refused, instead of moving the project twice.
- Approving and terminating are decisions of whoever approves for the project's money
  (``models.APPROVERS``): the station manager when only the station's money is asked, the
  district officer when district or city money is (the city bureau for any). Another role's
  attempt is a ``PermissionDenied`` (403).
- A closed or terminated project is a record: it is not edited, and its beneficiaries list
  does not change. Only a proposed project may be deleted; a later one is terminated.
- Closing or terminating a project ends the enrolments still open, on that day.

Every refusal names its field in Chinese; nothing is partly saved (each function is atomic).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import Actor, history_user, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.projects.models import (
    ENROLLING_STATUSES,
    FINAL_STATUSES,
    NEXT_STATUS,
    FundingLevel,
    Project,
    ProjectAttachment,
    ProjectCategory,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.projects.selectors import may_decide, project_writable
from swstation.projects.work import (
    elderly_level_choices,
    elderly_standard_choices,
    service_type_choices,
)
from swstation.recipients.models import Category, Recipient, RecipientStatus
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "INDICATOR_FIELDS",
    "PROJECT_FIELDS",
    "attachment_create",
    "attachment_delete",
    "attachment_update",
    "enrolment_create",
    "enrolment_delete",
    "enrolment_update",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "project_advance",
    "project_create",
    "project_delete",
    "project_terminate",
    "project_update",
    "report_create",
    "report_delete",
    "report_update",
]

# What a project's form (in this order) and the API write; the status and its dates change only
# through project_advance and project_terminate.
PROJECT_FIELDS = (
    "station",
    "name",
    "category",
    "field",
    "funding_level",
    "starts_on",
    "ends_on",
    "lead",
    "team",
    "target_groups",
    "villages",
    "partners",
    "description",
)
MANY_FIELDS = ("team", "target_groups", "villages")
ENROLMENT_FIELDS = frozenset({"enrolled_on", "exited_on", "exit_reason", "note"})


# --- checks shared by the functions ------------------------------------------------------------


def _require_role(actor: Actor, action: Action, model: type[Any] = Project) -> None:
    require_actor(actor)
    if not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with projects."))


def _require_writable(actor: Actor, project: Project) -> None:
    """The project is inside the actor's own jurisdiction (a hub's project is read below)."""
    if not project_writable(actor=actor, project=project):
        raise PermissionDenied(
            _(
                "Project “%(project)s” is outside your jurisdiction: you may read it but not "
                "change it."
            )
            % {"project": project}
        )


def _require_decider(actor: Actor, project: Project, *, terminating: bool = False) -> None:
    """Approving and terminating are decisions of whoever approves for the project's money."""
    if may_decide(actor=actor, project=project):
        return
    if project.funding_level == FundingLevel.STATION:
        raise PermissionDenied(_("Your role may not do this with projects."))
    if terminating:
        message = _(
            "Project “%(project)s” asks for district or city money: the district officer "
            "decides whether it is terminated."
        )
    else:
        message = _(
            "Project “%(project)s” asks for district or city money: the district officer "
            "approves it."
        )
    raise PermissionDenied(message % {"project": project})


def _lock(project: Project) -> Project:
    """Lock the project's row for a transition asked against its status as the caller loaded
    it; refuse with a StateConflict if someone moved it on meanwhile."""
    return lock_for_transition(project, "status", conflict=_changed_meanwhile)


def _changed_meanwhile(project: Project) -> str:
    return _(
        "Project “%(project)s” was changed by someone else in the meantime: it is now "
        "%(status)s. Reload it and try again."
    ) % {"project": project, "status": project.get_status_display()}


def _require_not_final(project: Project) -> None:
    if project.status in FINAL_STATUSES:
        raise StateConflict(
            _("Project “%(project)s” is %(status)s: it no longer changes.")
            % {"project": project, "status": project.get_status_display()}
        )


def _has_left(worker: SocialWorker, day: date) -> bool:
    return worker.left_on is not None and worker.left_on <= day


def _member_errors(
    *,
    station: Station,
    category: str,
    lead: SocialWorker | None,
    team: Iterable[SocialWorker],
    target_groups: Iterable[Category],
    villages: Iterable[Region],
    check_lead: bool,
    new_team: Iterable[SocialWorker],
) -> dict[str, str]:
    """The rules on the people and places of a project: its team works in the station's region
    (the township, or the district of a hub), the villages lie in it, and a vulnerable-groups
    project names the groups it serves. People newly named must still be working."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    prefix = station.region.prefix
    if check_lead and lead is not None and _has_left(lead, today):
        errors["lead"] = _("%(worker)s has left: choose a social worker still working.") % {
            "worker": lead.name
        }
    outside = [worker.name for worker in team if not worker.region.code.startswith(prefix)]
    left = [worker.name for worker in new_team if _has_left(worker, today)]
    if outside:
        errors["team"] = _("%(workers)s do not work in %(region)s, where %(station)s is.") % {
            "workers": "、".join(outside),
            "region": station.region.name,
            "station": station.name,
        }
    elif left:
        errors["team"] = _("%(workers)s have left: a project's team is people still working.") % {
            "workers": "、".join(left)
        }
    wrong = [
        village.name
        for village in villages
        if village.level != RegionLevel.VILLAGE or not village.code.startswith(prefix)
    ]
    if wrong:
        errors["villages"] = _(
            "%(regions)s are not villages or communities of %(region)s, where %(station)s is."
        ) % {"regions": "、".join(wrong), "region": station.region.name, "station": station.name}
    if category == ProjectCategory.VULNERABLE_GROUPS and not list(target_groups):
        errors["target_groups"] = _(
            "A vulnerable groups service project names the groups it serves."
        )
    return errors


def _save(project: Project, actor: Actor, reason: str = "") -> Project:
    project.full_clean()
    save_with_history(project, actor=actor, reason=reason or None)
    return project


def _end_open_enrolments(project: Project, actor: Actor, day: date, reason: str) -> int:
    """End the enrolments still open when the project closes or is terminated."""
    ended = 0
    for enrolment in project.enrolments.filter(exited_on__isnull=True).select_related("recipient"):
        enrolment.exited_on = max(day, enrolment.enrolled_on)
        enrolment.exit_reason = reason
        save_with_history(enrolment, actor=actor, reason=reason)
        ended += 1
    return ended


# --- projects --------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    station: Station,
    name: str,
    category: str,
    field: str,
    starts_on: date,
    ends_on: date,
    lead: SocialWorker,
    funding_level: str = FundingLevel.STATION,
    team: Iterable[SocialWorker] = (),
    target_groups: Iterable[Category] = (),
    villages: Iterable[Region] = (),
    partners: str = "",
    description: str = "",
) -> Project:
    """Propose (申报) a project at ``station``: it starts as ``proposed``."""
    _require_role(actor, "add")
    team, target_groups, villages = list(team), list(target_groups), list(villages)
    if not Station.objects.visible_to(actor, for_write=True).filter(pk=station.pk).exists():
        raise ValidationError(
            {"station": _("%(station)s is outside your jurisdiction.") % {"station": station}}
        )
    project = Project(
        station=station,
        name=name.strip(),
        category=category,
        field=field,
        funding_level=funding_level,
        starts_on=starts_on,
        ends_on=ends_on,
        lead=lead,
        partners=partners.strip(),
        description=description.strip(),
        status=ProjectStatus.PROPOSED,
    )
    errors = _member_errors(
        station=station,
        category=category,
        lead=lead,
        team=team,
        target_groups=target_groups,
        villages=villages,
        check_lead=True,
        new_team=team,
    )
    try:
        project.full_clean()
    except ValidationError as exc:
        errors = {**errors, **{k: " ".join(v) for k, v in exc.message_dict.items()}}
    if errors:
        raise ValidationError(errors)
    save_with_history(project, actor=actor, reason=_("Project proposed"))
    project.team.set(team)
    project.target_groups.set(target_groups)
    project.villages.set(villages)
    ensure_visible(actor, project)
    return project


@transaction.atomic
def project_update(*, actor: Actor, project: Project, **fields: Any) -> Project:
    """Edit a project that is not closed or terminated. Its station does not change (its
    beneficiaries live there), nor, once approved, the money it asks for (the approval was
    given for it)."""
    _require_role(actor, "change")
    _lock(project)
    _require_writable(actor, project)
    _require_not_final(project)
    unknown = set(fields).difference(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(
            {
                name: _("This field changes only through the project's life cycle.")
                for name in sorted(unknown)
            }
        )
    # A field that cannot change here may be sent with its own value (a PUT of what the API
    # answered): it is left as it is.
    if "station" in fields and fields["station"] != project.station:
        raise ValidationError(
            {"station": _("A project stays at its station: terminate it and propose it anew.")}
        )
    if (
        "funding_level" in fields
        and fields["funding_level"] != project.funding_level
        and project.status != ProjectStatus.PROPOSED
    ):
        raise ValidationError(
            {
                "funding_level": _(
                    "The project was approved for the money it asked for: that does not change."
                )
            }
        )
    many = {name: list(fields.pop(name)) for name in MANY_FIELDS if name in fields}
    old_team = set(project.team.all())
    lead_changed = "lead" in fields and fields["lead"] != project.lead
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    team = many.get("team", list(old_team))
    errors = _member_errors(
        station=project.station,
        category=project.category,
        lead=project.lead,
        team=team,
        target_groups=many.get("target_groups", project.target_groups.all()),
        villages=many.get("villages", project.villages.all()),
        check_lead=lead_changed,
        new_team=[worker for worker in team if worker not in old_team],
    )
    try:
        project.full_clean()
    except ValidationError as exc:
        errors = {**errors, **{k: " ".join(v) for k, v in exc.message_dict.items()}}
    if errors:
        raise ValidationError(errors)
    save_with_history(project, actor=actor)
    for name, values in many.items():
        getattr(project, name).set(values)
    return project


@transaction.atomic
def project_delete(*, actor: Actor, project: Project) -> None:
    """Delete a proposal; a project once approved is a record and is terminated instead."""
    _require_role(actor, "delete")
    _lock(project)
    _require_writable(actor, project)
    if project.status != ProjectStatus.PROPOSED:
        raise StateConflict(
            _(
                "Project “%(project)s” is %(status)s: only a proposal is deleted; terminate the "
                "project instead."
            )
            % {"project": project, "status": project.get_status_display()}
        )
    record_author(project, actor)
    project.delete()


@transaction.atomic
def project_advance(
    *, actor: Actor, project: Project, to_status: str, on: date | None = None
) -> Project:
    """Move ``project`` one step on, to ``to_status``: approve (立项) a proposal, start
    (实施), begin the midterm evaluation (中期评估), begin closing (结项) or close it (已结项).
    ``on`` is the day of an approval or a closure (today by default)."""
    _require_role(actor, "change")
    if to_status not in ProjectStatus.values:
        raise ValidationError(
            {"to_status": _("Unknown status “%(status)s”.") % {"status": to_status}}
        )
    _lock(project)
    _require_writable(actor, project)
    _require_not_final(project)
    expected = NEXT_STATUS.get(project.status)
    if to_status != expected:
        raise StateConflict(
            _(
                "Project “%(project)s” is %(current)s: its next step is %(next)s, not "
                "%(target)s (steps are never skipped, repeated or walked back)."
            )
            % {
                "project": project,
                "current": project.get_status_display(),
                "next": ProjectStatus(expected).label if expected else "—",
                "target": ProjectStatus(to_status).label,
            }
        )
    day = on or timezone.localdate()
    if to_status == ProjectStatus.APPROVED:
        _require_decider(actor, project)
        project.approved_by = history_user(actor)
        project.approved_on = day
    project.status = to_status
    reason = str(ProjectStatus(to_status).label)
    if to_status == ProjectStatus.CLOSED:
        project.closed_on = day
        _save(project, actor, reason)
        _end_open_enrolments(project, actor, day, str(_("The project closed.")))
        return project
    return _save(project, actor, reason)


@transaction.atomic
def project_terminate(
    *, actor: Actor, project: Project, reason: str, on: date | None = None
) -> Project:
    """Terminate (终止) a project that is not closed, with a reason; whoever approves for its
    money decides. Its open enrolments end that day."""
    _require_role(actor, "change")
    _lock(project)
    _require_writable(actor, project)
    _require_not_final(project)
    _require_decider(actor, project, terminating=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the project is terminated.")})
    day = on or timezone.localdate()
    project.status = ProjectStatus.TERMINATED
    project.terminated_on = day
    project.termination_reason = reason
    _save(project, actor, str(_("Terminated: %(reason)s") % {"reason": reason}))
    _end_open_enrolments(project, actor, day, str(_("The project was terminated.")))
    return project


# --- enrolments ------------------------------------------------------------------------------


def _check_enrolment_period(enrolment: ProjectEnrolment, *, exclude_pk: int | None = None) -> None:
    """One enrolment of a person in a project at a time: periods do not overlap."""
    others = ProjectEnrolment.objects.filter(
        project_id=enrolment.project_id, recipient_id=enrolment.recipient_id
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    overlap = Q(exited_on__isnull=True) | Q(exited_on__gte=enrolment.enrolled_on)
    if enrolment.exited_on is not None:
        overlap &= Q(enrolled_on__lte=enrolment.exited_on)
    clash = others.filter(overlap).order_by("enrolled_on").first()
    if clash is not None:
        raise ValidationError(
            {
                "enrolled_on": _(
                    "%(name)s is already enrolled in %(project)s from %(start)s: the periods "
                    "overlap."
                )
                % {
                    "name": enrolment.recipient.name,
                    "project": enrolment.project,
                    "start": clash.enrolled_on.isoformat(),
                }
            }
        )


def _enrolment_save(enrolment: ProjectEnrolment, actor: Actor, *, exclude_pk: int | None) -> None:
    enrolment.full_clean(validate_constraints=False)
    _check_enrolment_period(enrolment, exclude_pk=exclude_pk)
    save_with_history(enrolment, actor=actor)


@transaction.atomic
def enrolment_create(
    *,
    actor: Actor,
    project: Project,
    recipient: Recipient,
    enrolled_on: date,
    exited_on: date | None = None,
    exit_reason: str = "",
    note: str = "",
) -> ProjectEnrolment:
    """Enrol ``recipient`` in ``project`` (approved, running or at its midterm evaluation): a
    person the actor may see, living in the project's station region and in the stations'
    service on the day of the enrolment (registered, not yet exited: models.py), not a record
    merged into another."""
    _require_role(actor, "add", ProjectEnrolment)
    lock_for_transition(project, "status", conflict=_changed_meanwhile)
    errors: dict[str, str] = {}
    if not Project.objects.visible_to(actor, for_write=True).filter(pk=project.pk).exists():
        errors["project"] = _("Project “%(project)s” is outside your jurisdiction.") % {
            "project": project
        }
    elif project.status not in ENROLLING_STATUSES:
        errors["project"] = _(
            "Project “%(project)s” is %(status)s: people are enrolled once it is approved and "
            "until it begins closing."
        ) % {"project": project, "status": project.get_status_display()}
    if not Recipient.objects.visible_to(actor).filter(pk=recipient.pk).exists():
        errors["recipient"] = _("%(name)s is not a recipient in your jurisdiction.") % {
            "name": recipient.name
        }
    elif recipient.status == RecipientStatus.MERGED:
        errors["recipient"] = _("%(name)s cannot be enrolled (%(status)s).") % {
            "name": recipient.name,
            "status": recipient.get_status_display(),
        }
    if errors:
        raise ValidationError(errors)
    enrolment = ProjectEnrolment(
        project=project,
        recipient=recipient,
        enrolled_on=enrolled_on,
        exited_on=exited_on,
        exit_reason=(exit_reason or "").strip(),
        note=(note or "").strip(),
    )
    _enrolment_save(enrolment, actor, exclude_pk=None)
    ensure_visible(actor, enrolment)
    return enrolment


@transaction.atomic
def enrolment_update(
    *, actor: Actor, enrolment: ProjectEnrolment, **fields: Any
) -> ProjectEnrolment:
    """Change the dates (an exit, most often) or the note of an enrolment of a project that is
    not closed or terminated. The person and the project do not change: remove the enrolment
    and enrol again."""
    _require_role(actor, "change", ProjectEnrolment)
    lock_for_transition(enrolment.project, "status", conflict=_changed_meanwhile)
    _require_not_final(enrolment.project)
    for name, label in (("project", _("project")), ("recipient", _("recipient"))):
        if name in fields and fields.pop(name) != getattr(enrolment, name):
            raise ValidationError(
                {
                    name: _(
                        "The %(field)s of an enrolment does not change: remove it and enrol again."
                    )
                    % {"field": label}
                }
            )
    unknown = set(fields) - ENROLMENT_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    for name, value in fields.items():
        setattr(enrolment, name, value.strip() if isinstance(value, str) else value)
    _enrolment_save(enrolment, actor, exclude_pk=enrolment.pk)
    return enrolment


@transaction.atomic
def enrolment_delete(*, actor: Actor, enrolment: ProjectEnrolment) -> None:
    """Remove an enrolment made by mistake; a closed or terminated project's list stays."""
    _require_role(actor, "delete", ProjectEnrolment)
    lock_for_transition(enrolment.project, "status", conflict=_changed_meanwhile)
    _require_not_final(enrolment.project)
    record_author(enrolment, actor)
    enrolment.delete()


# --- indicators ------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "project",
    "objective",
    "name",
    "measure",
    "target",
    "unit",
    "service_type",
    "standard",
    "level",
    "manual_actual",
    "evidence",
    "evidence_note",
    "order",
)


def _require_project_open(actor: Actor, project: Project, model: type[Any]) -> None:
    """The project is the actor's to change and not yet a closed record."""
    _require_writable(actor, project)
    _require_not_final(project)


def _indicator_errors(indicator: ProjectIndicator) -> dict[str, str]:
    """The measure's lists come from the cases app (projects.work): a service type it knows, a
    standard of the elderly capability assessment, a level of that standard."""
    errors: dict[str, str] = {}
    types = dict(service_type_choices())
    if indicator.service_type and indicator.service_type not in types:
        errors["service_type"] = _("Unknown service type “%(value)s”.") % {
            "value": indicator.service_type
        }
    if indicator.standard:
        standards = dict(elderly_standard_choices())
        if indicator.standard not in standards:
            errors["standard"] = _("Unknown assessment standard “%(value)s”.") % {
                "value": indicator.standard
            }
        elif indicator.level is not None:
            levels = dict(elderly_level_choices(indicator.standard))
            if indicator.level not in levels:
                errors["level"] = _(
                    "%(standard)s has no level %(level)s (its levels: %(levels)s)."
                ) % {
                    "standard": indicator.standard,
                    "level": indicator.level,
                    "levels": "、".join(str(level) for level in levels),
                }
    return errors


def _indicator_save(indicator: ProjectIndicator, actor: Actor) -> ProjectIndicator:
    errors = _indicator_errors(indicator)
    try:
        indicator.full_clean()
    except ValidationError as exc:
        errors = {**errors, **{k: " ".join(v) for k, v in exc.message_dict.items()}}
    if errors:
        raise ValidationError(errors)
    save_with_history(indicator, actor=actor)
    return indicator


@transaction.atomic
def indicator_create(*, actor: Actor, project: Project, **fields: Any) -> ProjectIndicator:
    """Add an indicator to one of ``project``'s objectives (a project not yet closed)."""
    _require_role(actor, "add", ProjectIndicator)
    lock_for_transition(project, "status", conflict=_changed_meanwhile)
    _require_project_open(actor, project, ProjectIndicator)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    indicator = ProjectIndicator(project=project)
    for name, value in _evidence_normalised(fields).items():
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    _indicator_save(indicator, actor)
    ensure_visible(actor, indicator)
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: Actor, indicator: ProjectIndicator, **fields: Any
) -> ProjectIndicator:
    """Change an indicator; its project does not change. A manual actual may be reported on a
    closing project until it is closed."""
    _require_role(actor, "change", ProjectIndicator)
    project = indicator.project
    lock_for_transition(project, "status", conflict=_changed_meanwhile)
    _require_project_open(actor, project, ProjectIndicator)
    if "project" in fields and fields.pop("project") != project:
        raise ValidationError({"project": _("An indicator stays with its project.")})
    for name, value in _evidence_normalised(fields).items():
        if name not in INDICATOR_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    return _indicator_save(indicator, actor)


def _evidence_normalised(fields: dict[str, Any]) -> dict[str, Any]:
    """A form's file field: ``None`` (nothing sent) keeps the file, ``False`` (cleared)
    removes it."""
    fields = dict(fields)
    if "evidence" in fields:
        if fields["evidence"] is None:
            del fields["evidence"]
        elif fields["evidence"] is False:
            fields["evidence"] = ""
    return fields


@transaction.atomic
def indicator_delete(*, actor: Actor, indicator: ProjectIndicator) -> None:
    _require_role(actor, "delete", ProjectIndicator)
    lock_for_transition(indicator.project, "status", conflict=_changed_meanwhile)
    _require_project_open(actor, indicator.project, ProjectIndicator)
    record_author(indicator, actor)
    indicator.delete()


# --- the closing report and the project's files ----------------------------------------------

REPORT_STATUSES: frozenset[str] = frozenset({ProjectStatus.CLOSING, ProjectStatus.CLOSED})


def _require_reportable(actor: Actor, project: Project) -> None:
    _require_writable(actor, project)
    if project.status not in REPORT_STATUSES:
        raise StateConflict(
            _(
                "Project “%(project)s” is %(status)s: the closing report is written once the "
                "project begins closing."
            )
            % {"project": project, "status": project.get_status_display()}
        )


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    project: Project,
    outcomes: str,
    written_on: date,
    stories: str = "",
    lessons: str = "",
) -> ProjectReport:
    """Write the closing report (结项报告) of a project that is closing or closed."""
    _require_role(actor, "add", ProjectReport)
    lock_for_transition(project, "status", conflict=_changed_meanwhile)
    _require_reportable(actor, project)
    if ProjectReport.objects.filter(project=project).exists():
        raise ValidationError(
            {
                "project": _("Project “%(project)s” has its closing report: edit it.")
                % {"project": project}
            }
        )
    report = ProjectReport(
        project=project,
        outcomes=(outcomes or "").strip(),
        stories=(stories or "").strip(),
        lessons=(lessons or "").strip(),
        written_on=written_on,
    )
    report.full_clean()
    save_with_history(report, actor=actor)
    ensure_visible(actor, report)
    return report


@transaction.atomic
def report_update(*, actor: Actor, report: ProjectReport, **fields: Any) -> ProjectReport:
    _require_role(actor, "change", ProjectReport)
    lock_for_transition(report.project, "status", conflict=_changed_meanwhile)
    _require_reportable(actor, report.project)
    if "project" in fields and fields.pop("project") != report.project:
        raise ValidationError({"project": _("A report stays with its project.")})
    for name in ("outcomes", "stories", "lessons", "written_on"):
        if name in fields:
            value = fields.pop(name)
            setattr(report, name, value.strip() if isinstance(value, str) else value)
    if fields:
        raise TypeError(f"unknown fields: {', '.join(sorted(fields))}")
    report.full_clean()
    save_with_history(report, actor=actor)
    return report


@transaction.atomic
def report_delete(*, actor: Actor, report: ProjectReport) -> None:
    _require_role(actor, "delete", ProjectReport)
    lock_for_transition(report.project, "status", conflict=_changed_meanwhile)
    _require_reportable(actor, report.project)
    record_author(report, actor)
    report.delete()


def _require_attachable(actor: Actor, project: Project) -> None:
    _require_writable(actor, project)
    if project.status in (ProjectStatus.PROPOSED, ProjectStatus.TERMINATED):
        raise StateConflict(
            _("Project “%(project)s” is %(status)s: it takes no photos or documents.")
            % {"project": project, "status": project.get_status_display()}
        )


@transaction.atomic
def attachment_create(
    *,
    actor: Actor,
    project: Project,
    title: str,
    file: Any,
    taken_on: date | None = None,
    in_report: bool = True,
) -> ProjectAttachment:
    """Keep a photo or a document of a project (approved, running or closed), stored through
    the default storage; the file's type and size are checked (models.validate_attachment)."""
    _require_role(actor, "add", ProjectAttachment)
    lock_for_transition(project, "status", conflict=_changed_meanwhile)
    _require_attachable(actor, project)
    attachment = ProjectAttachment(
        project=project,
        title=(title or "").strip(),
        file=file,
        taken_on=taken_on,
        in_report=in_report,
    )
    attachment.full_clean()
    save_with_history(attachment, actor=actor)
    ensure_visible(actor, attachment)
    return attachment


@transaction.atomic
def attachment_update(
    *, actor: Actor, attachment: ProjectAttachment, **fields: Any
) -> ProjectAttachment:
    """Change the title, date or report flag of a file (a new file is a new attachment)."""
    _require_role(actor, "change", ProjectAttachment)
    lock_for_transition(attachment.project, "status", conflict=_changed_meanwhile)
    _require_attachable(actor, attachment.project)
    if "project" in fields and fields.pop("project") != attachment.project:
        raise ValidationError({"project": _("A file stays with its project.")})
    new_file = fields.pop("file", None)
    replaced = new_file is not None and new_file != attachment.file
    if replaced:
        attachment.file = new_file
    for name in ("title", "taken_on", "in_report"):
        if name in fields:
            value = fields.pop(name)
            setattr(attachment, name, value.strip() if isinstance(value, str) else value)
    if fields:
        raise TypeError(f"unknown fields: {', '.join(sorted(fields))}")
    # The kept file was checked when it was uploaded: an edit of its title does not read it
    # again (a file the storage lost would make the edit a server error, API fuzzing found).
    attachment.full_clean(exclude=None if replaced else ["file"])
    save_with_history(attachment, actor=actor)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: ProjectAttachment) -> None:
    """Remove a file kept by mistake: the record, then the stored file once the transaction
    has committed (a rolled-back delete keeps it)."""
    _require_role(actor, "delete", ProjectAttachment)
    lock_for_transition(attachment.project, "status", conflict=_changed_meanwhile)
    _require_writable(actor, attachment.project)
    record_author(attachment, actor)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
