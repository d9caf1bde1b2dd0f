"""Writes on groups, their members and sessions (with attendance), and community activities
with their named participants and photos (issue 13; models.py).

- A group moves only one stage at a time (筹备 → 形成 → 转折 → 成熟 → 结束) through
  :func:`group_advance`, which locks its row first (core/transitions.py) and writes the step in
  the group's history with the stage as reason. Ending a group takes its closing evaluation
  (goals met, a few words); an ended group is a record: nothing of it changes any more, and no
  session or member is added.
- Attendance of a session is written as a whole by :func:`session_attendance_record`: the
  members ticked present, the walk-ins named and the walk-ins counted without a name. Counts
  are read from these rows (selectors.session_counts), never typed as totals.
- Every write is checked against the actor's role and write scope, and saved with its history;
  every refusal names its field in Chinese; nothing is partly saved (each function is atomic).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.community.models import (
    NEXT_PROPOSAL_STAGE,
    NEXT_STAGE,
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GoalsMet,
    GovernanceMeeting,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    Pledge,
    Proposal,
    ProposalOutcome,
    ProposalStage,
    SessionAttendance,
)
from swstation.core.actors import SYSTEM, Actor, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible, ensure_writable
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.linkage.models import Partner
from swstation.stations.models import Station
from swstation.volunteers.models import Volunteer
from swstation.workforce.models import SocialWorker

GROUP_FIELDS = (
    "station",
    "name",
    "kind",
    "purpose",
    "target_members",
    "village",
    "planned_sessions",
    "starts_on",
    "facilitators",
    "project",
    "measure_name",
    "pre_score",
    "post_score",
)
MEMBER_FIELDS = ("group", "recipient", "name", "joined_on", "left_on")
SESSION_FIELDS = ("group", "number", "held_on", "content", "facilitator_notes")
ACTIVITY_FIELDS = (
    "station",
    "name",
    "kind",
    "region",
    "place",
    "held_on",
    "organisers",
    "campaign",
    "campaign_action",
    "project",
    "partners",
    "elders_count",
    "children_count",
    "others_count",
    "description",
)
PARTICIPANT_FIELDS = ("activity", "recipient", "name", "group")
PHOTO_FIELDS = ("activity", "title", "file")
WALK_IN_LIMIT = 1000


# --- shared checks -----------------------------------------------------------------------------


def _require_role(actor: Actor, action: Action, model: type[Any]) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with groups and community work."))


def _apply(obj: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    for name, value in data.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


def _require_station(actor: Actor, station: Station | None) -> None:
    if station is None or actor is SYSTEM:
        return
    if not Station.objects.visible_to(actor, for_write=True).filter(pk=station.pk).exists():
        raise ValidationError(
            {"station": _("%(station)s is outside your jurisdiction.") % {"station": station}}
        )


def _save[M](obj: M, actor: Actor, reason: str | None = None) -> M:
    obj.full_clean()  # type: ignore[attr-defined]
    save_with_history(obj, actor=actor, reason=reason)
    if actor is not SYSTEM:
        ensure_visible(actor, obj)  # type: ignore[arg-type]
    return obj


def _require_group_open(group: Group, field: str = "group") -> None:
    if group.stage == GroupStage.ENDED:
        raise ValidationError(
            {field: _("Group “%(group)s” has ended: it no longer changes.") % {"group": group}}
        )


def _facilitator_errors(station: Station, facilitators: list[SocialWorker]) -> dict[str, str]:
    if not facilitators:
        return {"facilitators": _("Name at least one facilitator.")}
    prefix = station.region.prefix
    outside = [w.name for w in facilitators if not w.region.code.startswith(prefix)]
    if outside:
        return {
            "facilitators": _("%(workers)s do not work in %(region)s, where %(station)s is.")
            % {"workers": "、".join(outside), "region": station.region.name, "station": station}
        }
    return {}


def _clean_errors(obj: Any, errors: dict[str, str]) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        errors = {**errors, **{k: " ".join(v) for k, v in exc.message_dict.items()}}
    if errors:
        raise ValidationError(errors)


# --- groups ------------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *, actor: Actor, facilitators: Iterable[SocialWorker] = (), **fields: Any
) -> Group:
    """Start preparing (筹备) a group at a station."""
    _require_role(actor, "add", Group)
    workers = list(facilitators)
    group = Group(stage=GroupStage.PREPARING)
    _apply(group, fields, GROUP_FIELDS)
    station = group.station if group.station_id else None
    _require_station(actor, station)
    errors = _facilitator_errors(station, workers) if station is not None else {}
    _clean_errors(group, errors)
    save_with_history(group, actor=actor, reason=str(GroupStage.PREPARING.label))
    group.facilitators.set(workers)
    if actor is not SYSTEM:
        ensure_visible(actor, group)
    return group


@transaction.atomic
def group_update(*, actor: Actor, group: Group, **changes: Any) -> Group:
    """Edit a group that has not ended; it stays at its station."""
    _require_role(actor, "change", Group)
    lock_for_transition(group)
    ensure_writable(actor, group)
    _require_group_open(group, "stage")
    if "station" in changes and changes["station"] != group.station:
        raise ValidationError({"station": _("A group stays at its station.")})
    workers = list(changes.pop("facilitators")) if "facilitators" in changes else None
    _apply(group, changes, GROUP_FIELDS)
    errors = _facilitator_errors(group.station, workers) if workers is not None else {}
    _clean_errors(group, errors)
    save_with_history(group, actor=actor)
    if workers is not None:
        group.facilitators.set(workers)
    return group


@transaction.atomic
def group_delete(*, actor: Actor, group: Group) -> None:
    """Delete a group still being prepared; once it has met it is a record."""
    _require_role(actor, "delete", Group)
    lock_for_transition(group)
    ensure_writable(actor, group)
    if group.stage != GroupStage.PREPARING or group.sessions.exists():
        raise StateConflict(
            _("Group “%(group)s” has met: only a group still being prepared is deleted.")
            % {"group": group}
        )
    record_author(group, actor)
    group.delete()


@transaction.atomic
def group_advance(
    *,
    actor: Actor,
    group: Group,
    to_stage: str,
    on: date | None = None,
    goals_met: str = "",
    evaluation: str = "",
) -> Group:
    """Move ``group`` one stage on. Ending it (结束) takes its closing evaluation:
    ``goals_met`` and a few words in ``evaluation``; ``on`` is the day it ended."""
    _require_role(actor, "change", Group)
    if to_stage not in GroupStage.values:
        raise ValidationError({"to_stage": _("Unknown stage “%(stage)s”.") % {"stage": to_stage}})
    lock_for_transition(
        group,
        "stage",
        conflict=lambda fresh: (
            _(
                "Group “%(group)s” was moved on by someone else in the meantime: it is now "
                "%(stage)s. Reload it and try again."
            )
            % {"group": fresh, "stage": fresh.get_stage_display()}
        ),
    )
    ensure_writable(actor, group)
    expected = NEXT_STAGE.get(group.stage)
    if to_stage != expected:
        raise StateConflict(
            _(
                "Group “%(group)s” is at the stage %(current)s: its next stage is %(next)s, not "
                "%(target)s (stages are never skipped, repeated or walked back)."
            )
            % {
                "group": group,
                "current": group.get_stage_display(),
                "next": GroupStage(expected).label if expected else "—",
                "target": GroupStage(to_stage).label,
            }
        )
    if to_stage == GroupStage.ENDED:
        errors: dict[str, str] = {}
        if goals_met not in GoalsMet.values:
            errors["goals_met"] = _("Say how far the group's goals were met.")
        if not (evaluation or "").strip():
            errors["evaluation"] = _("Write the closing evaluation in a few words.")
        if errors:
            raise ValidationError(errors)
        group.goals_met = goals_met
        group.evaluation = evaluation.strip()
        group.ended_on = on or timezone.localdate()
        last = group.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
        if last is not None and group.ended_on < last:
            raise ValidationError(
                {
                    "on": _("The group met on %(day)s: it ends on that day or later.")
                    % {"day": last.isoformat()}
                }
            )
    group.stage = to_stage
    return _save(group, actor, str(GroupStage(to_stage).label))


# --- members -----------------------------------------------------------------------------------


@transaction.atomic
def member_create(*, actor: Actor, **fields: Any) -> GroupMember:
    _require_role(actor, "add", GroupMember)
    member = GroupMember()
    _apply(member, fields, MEMBER_FIELDS)
    if member.group_id:
        ensure_writable(actor, member.group)
        _require_group_open(member.group)
    return _save(member, actor)


@transaction.atomic
def member_update(*, actor: Actor, member: GroupMember, **changes: Any) -> GroupMember:
    _require_role(actor, "change", GroupMember)
    ensure_writable(actor, member)
    if "group" in changes and changes["group"] != member.group:
        raise ValidationError({"group": _("A member stays in their group.")})
    _require_group_open(member.group)
    _apply(member, changes, MEMBER_FIELDS)
    return _save(member, actor)


@transaction.atomic
def member_delete(*, actor: Actor, member: GroupMember) -> None:
    _require_role(actor, "delete", GroupMember)
    ensure_writable(actor, member)
    if member.attendance.exists():
        raise StateConflict(
            _("%(name)s attended sessions: record the day they left instead.")
            % {"name": member.display_name}
        )
    record_author(member, actor)
    member.delete()


# --- sessions and attendance -------------------------------------------------------------------


@transaction.atomic
def session_create(*, actor: Actor, **fields: Any) -> GroupSession:
    """Record a session of a group that has not ended (its number is the next one unless
    given)."""
    _require_role(actor, "add", GroupSession)
    session = GroupSession()
    _apply(session, fields, SESSION_FIELDS)
    if session.group_id:
        ensure_writable(actor, session.group)
        _require_group_open(session.group)
        if not session.number:
            last = session.group.sessions.order_by("-number").first()
            session.number = (last.number if last else 0) + 1
    return _save(session, actor)


@transaction.atomic
def session_update(*, actor: Actor, session: GroupSession, **changes: Any) -> GroupSession:
    _require_role(actor, "change", GroupSession)
    ensure_writable(actor, session)
    if "group" in changes and changes["group"] != session.group:
        raise ValidationError({"group": _("A session stays with its group.")})
    _require_group_open(session.group)
    _apply(session, changes, SESSION_FIELDS)
    return _save(session, actor)


@transaction.atomic
def session_delete(*, actor: Actor, session: GroupSession) -> None:
    _require_role(actor, "delete", GroupSession)
    ensure_writable(actor, session)
    _require_group_open(session.group)
    record_author(session, actor)
    session.delete()


@transaction.atomic
def session_attendance_record(
    *,
    actor: Actor,
    session: GroupSession,
    present: Iterable[GroupMember],
    walk_in_names: Iterable[str] = (),
    walk_in_count: int = 0,
) -> GroupSession:
    """Write a session's attendance as a whole: the members ``present`` (members of its group
    on the session's day), the walk-ins named in ``walk_in_names`` and ``walk_in_count``
    walk-ins without a name. Rows no longer true are deleted, new ones added, each in history."""
    _require_role(actor, "change", GroupSession)
    lock_for_transition(session)
    ensure_writable(actor, session)
    _require_group_open(session.group, "session")
    members = {m.pk: m for m in present}
    wrong = [
        m.display_name
        for m in members.values()
        if m.group_id != session.group_id
        or m.joined_on > session.held_on
        or (m.left_on is not None and m.left_on < session.held_on)
    ]
    if wrong:
        raise ValidationError(
            {
                "present": _("%(names)s were not members of the group on %(day)s.")
                % {"names": "、".join(wrong), "day": session.held_on.isoformat()}
            }
        )
    names = [n.strip() for n in walk_in_names if n and n.strip()]
    too_long = [n for n in names if len(n) > 50]
    if too_long:
        raise ValidationError(
            {
                "walk_in_names": _("A name has at most 50 characters: %(name)s")
                % {"name": too_long[0]}
            }
        )
    if not 0 <= int(walk_in_count) <= WALK_IN_LIMIT:
        raise ValidationError(
            {
                "walk_in_count": _("Walk-ins are counted from 0 to %(limit)s.")
                % {"limit": WALK_IN_LIMIT}
            }
        )
    existing = list(session.attendance.all())
    keep_members = set(members)
    remaining_names = list(names)
    for row in existing:
        if row.member_id is not None and row.member_id in keep_members:
            keep_members.discard(row.member_id)
            continue
        if row.member_id is None and row.name in remaining_names:
            remaining_names.remove(row.name)
            continue
        record_author(row, actor, reason=str(_("Attendance recorded")))
        row.delete()
    for pk in sorted(keep_members):
        save_with_history(
            SessionAttendance(session=session, member=members[pk]),
            actor=actor,
            reason=str(_("Attendance recorded")),
        )
    for name in remaining_names:
        save_with_history(
            SessionAttendance(session=session, name=name),
            actor=actor,
            reason=str(_("Attendance recorded")),
        )
    if session.walk_in_count != int(walk_in_count):
        session.walk_in_count = int(walk_in_count)
        save_with_history(session, actor=actor, reason=str(_("Attendance recorded")))
    return session


# --- community activities ----------------------------------------------------------------------


@transaction.atomic
def activity_create(*, actor: Actor, **fields: Any) -> CommunityActivity:
    _require_role(actor, "add", CommunityActivity)
    partners = list(fields.pop("partners", ()))
    activity = CommunityActivity()
    _apply(activity, fields, ACTIVITY_FIELDS)
    _require_station(actor, activity.station if activity.station_id else None)
    _save(activity, actor)
    activity.partners.set(partners)
    return activity


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: CommunityActivity, **changes: Any
) -> CommunityActivity:
    _require_role(actor, "change", CommunityActivity)
    ensure_writable(actor, activity)
    if "station" in changes and changes["station"] != activity.station:
        raise ValidationError({"station": _("An activity stays with its station.")})
    partners = list(changes.pop("partners")) if "partners" in changes else None
    _apply(activity, changes, ACTIVITY_FIELDS)
    _save(activity, actor)
    if partners is not None:
        activity.partners.set(partners)
    return activity


@transaction.atomic
def activity_delete(*, actor: Actor, activity: CommunityActivity) -> None:
    _require_role(actor, "delete", CommunityActivity)
    ensure_writable(actor, activity)
    record_author(activity, actor)
    for photo in activity.photos.all():
        photo.file.delete(save=False)
    activity.delete()


@transaction.atomic
def participant_create(*, actor: Actor, **fields: Any) -> ActivityParticipant:
    _require_role(actor, "add", ActivityParticipant)
    participant = ActivityParticipant()
    _apply(participant, fields, PARTICIPANT_FIELDS)
    if participant.activity_id:
        ensure_writable(actor, participant.activity)
    return _save(participant, actor)


@transaction.atomic
def participant_update(
    *, actor: Actor, participant: ActivityParticipant, **changes: Any
) -> ActivityParticipant:
    _require_role(actor, "change", ActivityParticipant)
    ensure_writable(actor, participant)
    if "activity" in changes and changes["activity"] != participant.activity:
        raise ValidationError({"activity": _("A participant stays with their activity.")})
    _apply(participant, changes, PARTICIPANT_FIELDS)
    return _save(participant, actor)


@transaction.atomic
def participant_delete(*, actor: Actor, participant: ActivityParticipant) -> None:
    _require_role(actor, "delete", ActivityParticipant)
    ensure_writable(actor, participant)
    record_author(participant, actor)
    participant.delete()


@transaction.atomic
def photo_create(*, actor: Actor, **fields: Any) -> ActivityPhoto:
    _require_role(actor, "add", ActivityPhoto)
    photo = ActivityPhoto()
    _apply(photo, fields, PHOTO_FIELDS)
    if photo.activity_id:
        ensure_writable(actor, photo.activity)
    return _save(photo, actor)


@transaction.atomic
def photo_update(*, actor: Actor, photo: ActivityPhoto, **changes: Any) -> ActivityPhoto:
    _require_role(actor, "change", ActivityPhoto)
    ensure_writable(actor, photo)
    if "activity" in changes and changes["activity"] != photo.activity:
        raise ValidationError({"activity": _("A photo stays with its activity.")})
    old = photo.file.name if photo.file else ""
    _apply(photo, changes, PHOTO_FIELDS)
    _save(photo, actor)
    if old and photo.file.name != old:
        transaction.on_commit(lambda: photo.file.storage.delete(old))
    return photo


@transaction.atomic
def photo_delete(*, actor: Actor, photo: ActivityPhoto) -> None:
    _require_role(actor, "delete", ActivityPhoto)
    ensure_writable(actor, photo)
    record_author(photo, actor)
    name = photo.file.name if photo.file else ""
    storage = photo.file.storage
    photo.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- volunteer hours at activities and sessions ------------------------------------------------

VOLUNTEER_FIELDS = ("activity", "session", "volunteer", "hours")


def _hours_place(row: ActivityVolunteer) -> None:
    """The row's scope: the activity's village, or the group's station's region."""
    if row.activity is not None:
        row.region_id = row.activity.region_id
    elif row.session is not None:
        row.region_id = row.session.group.station.region_id


@transaction.atomic
def volunteer_hours_create(*, actor: Actor, **fields: Any) -> ActivityVolunteer:
    """Record a volunteer's hours at an activity or a group session (one of the two)."""
    _require_role(actor, "add", ActivityVolunteer)
    row = ActivityVolunteer()
    _apply(row, fields, VOLUNTEER_FIELDS)
    if row.activity is None and row.session is None:
        raise ValidationError({"activity": _("Choose the activity or the group session.")})
    if row.activity is not None and row.session is not None:
        raise ValidationError({"session": _("Choose the activity or the group session, not both.")})
    occasion = row.activity if row.activity is not None else row.session
    ensure_writable(actor, occasion)  # type: ignore[arg-type]
    _hours_place(row)
    return _save(row, actor)


@transaction.atomic
def volunteer_hours_update(
    *, actor: Actor, row: ActivityVolunteer, **changes: Any
) -> ActivityVolunteer:
    _require_role(actor, "change", ActivityVolunteer)
    ensure_writable(actor, row)
    for name in ("activity", "session"):
        if name in changes and changes[name] != getattr(row, name):
            raise ValidationError({name: _("Hours stay with their activity or session.")})
    _apply(row, changes, VOLUNTEER_FIELDS)
    return _save(row, actor)


@transaction.atomic
def volunteer_hours_delete(*, actor: Actor, row: ActivityVolunteer) -> None:
    _require_role(actor, "delete", ActivityVolunteer)
    ensure_writable(actor, row)
    record_author(row, actor)
    row.delete()


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------
#
# A proposal moves one stage at a time (发现问题 → 探讨问题 → 解决问题 → 已结束) through
# :func:`proposal_advance`, which locks its row and writes the step in its history with the
# stage as reason; closing takes the outcome and the result, and an open proposal that cannot go
# on is closed early as dropped. A closed proposal is a record: nothing of it changes, and no
# pledge or meeting is added. Money pledged is reconciled with money received on each pledge.

PROPOSAL_FIELDS = (
    "station",
    "name",
    "region",
    "place",
    "problem",
    "solution",
    "raised_on",
    "lead_worker",
    "project",
    "partners",
    "budget",
)
PLEDGE_FIELDS = (
    "proposal",
    "kind",
    "source",
    "resident_name",
    "partner",
    "volunteer",
    "description",
    "amount_pledged",
    "amount_received",
    "people_count",
    "pledged_on",
)
MEETING_FIELDS = (
    "proposal",
    "council",
    "held_on",
    "place",
    "attendee_count",
    "attendee_names",
    "topics",
    "decisions",
)


def _require_proposal_open(proposal: Proposal, field: str = "proposal") -> None:
    if proposal.stage == ProposalStage.CLOSED:
        raise ValidationError(
            {
                field: _("Proposal “%(proposal)s” is closed: it no longer changes.")
                % {"proposal": proposal}
            }
        )


@transaction.atomic
def proposal_create(*, actor: Actor, **fields: Any) -> Proposal:
    """Record a residents' proposal at its first stage, 发现问题."""
    _require_role(actor, "add", Proposal)
    partners = list(fields.pop("partners", ()))
    proposal = Proposal(stage=ProposalStage.FOUND)
    _apply(proposal, fields, PROPOSAL_FIELDS)
    _require_station(actor, proposal.station if proposal.station_id else None)
    proposal.full_clean()
    save_with_history(proposal, actor=actor, reason=str(ProposalStage.FOUND.label))
    if actor is not SYSTEM:
        ensure_visible(actor, proposal)
    proposal.partners.set(partners)
    return proposal


@transaction.atomic
def proposal_update(*, actor: Actor, proposal: Proposal, **changes: Any) -> Proposal:
    """Edit a proposal that is not closed; it stays with its station."""
    _require_role(actor, "change", Proposal)
    lock_for_transition(proposal)
    ensure_writable(actor, proposal)
    _require_proposal_open(proposal, "stage")
    if "station" in changes and changes["station"] != proposal.station:
        raise ValidationError({"station": _("A proposal stays with its station.")})
    partners = list(changes.pop("partners")) if "partners" in changes else None
    _apply(proposal, changes, PROPOSAL_FIELDS)
    _save(proposal, actor)
    if partners is not None:
        proposal.partners.set(partners)
    return proposal


@transaction.atomic
def proposal_delete(*, actor: Actor, proposal: Proposal) -> None:
    """Delete a proposal only while nothing was pledged or met for it."""
    _require_role(actor, "delete", Proposal)
    lock_for_transition(proposal)
    ensure_writable(actor, proposal)
    if proposal.pledges.exists() or proposal.meetings.exists():
        raise StateConflict(
            _(
                "Proposal “%(proposal)s” has pledges or meetings: close it as not carried out "
                "instead."
            )
            % {"proposal": proposal}
        )
    record_author(proposal, actor)
    proposal.delete()


@transaction.atomic
def proposal_advance(
    *,
    actor: Actor,
    proposal: Proposal,
    to_stage: str,
    on: date | None = None,
    outcome: str = "",
    result: str = "",
) -> Proposal:
    """Move ``proposal`` one stage on. Closing it (已结束) takes its ``outcome`` and a few words
    of ``result``; ``on`` is the day it closed. Before 解决问题 it can only close as dropped."""
    _require_role(actor, "change", Proposal)
    if to_stage not in ProposalStage.values:
        raise ValidationError({"to_stage": _("Unknown stage “%(stage)s”.") % {"stage": to_stage}})
    lock_for_transition(
        proposal,
        "stage",
        conflict=lambda fresh: (
            _(
                "Proposal “%(proposal)s” was moved on by someone else in the meantime: it is "
                "now %(stage)s. Reload it and try again."
            )
            % {"proposal": fresh, "stage": fresh.get_stage_display()}
        ),
    )
    ensure_writable(actor, proposal)
    expected = NEXT_PROPOSAL_STAGE.get(proposal.stage)
    closing_early = to_stage == ProposalStage.CLOSED and expected is not None
    if to_stage != expected and not closing_early:
        raise StateConflict(
            _(
                "Proposal “%(proposal)s” is at the stage %(current)s: its next stage is "
                "%(next)s, not %(target)s (stages are never skipped, repeated or walked back)."
            )
            % {
                "proposal": proposal,
                "current": proposal.get_stage_display(),
                "next": ProposalStage(expected).label if expected else "—",
                "target": ProposalStage(to_stage).label,
            }
        )
    if to_stage == ProposalStage.CLOSED:
        errors: dict[str, str] = {}
        if outcome not in ProposalOutcome.values:
            errors["outcome"] = _("Say how the proposal ended.")
        elif proposal.stage != ProposalStage.SOLVING and outcome != ProposalOutcome.DROPPED:
            errors["outcome"] = _(
                "A proposal not yet at the stage 解决问题 can only close as not carried out."
            )
        if not (result or "").strip():
            errors["result"] = _("Write the result in a few words.")
        if errors:
            raise ValidationError(errors)
        proposal.outcome = outcome
        proposal.result = result.strip()
        proposal.closed_on = on or timezone.localdate()
        last = proposal.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
        if last is not None and proposal.closed_on < last:
            raise ValidationError(
                {
                    "on": _(
                        "The proposal was discussed on %(day)s: it closes on that day or later."
                    )
                    % {"day": last.isoformat()}
                }
            )
    proposal.stage = to_stage
    return _save(proposal, actor, str(ProposalStage(to_stage).label))


def _pledge_errors(actor: Actor, pledge: Pledge) -> None:
    """The pledger is someone the actor may name: a partner or volunteer they can read."""
    errors: dict[str, str] = {}
    if actor is SYSTEM:
        return
    if (
        pledge.partner_id
        and not Partner.objects.visible_to(actor).filter(pk=pledge.partner_id).exists()
    ):
        errors["partner"] = _("This partner is outside your jurisdiction.")
    if (
        pledge.volunteer_id
        and not Volunteer.objects.visible_to(actor).filter(pk=pledge.volunteer_id).exists()
    ):
        errors["volunteer"] = _("This volunteer is outside your jurisdiction.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pledge_create(*, actor: Actor, **fields: Any) -> Pledge:
    """Record one of the "五筹" of an open proposal."""
    _require_role(actor, "add", Pledge)
    pledge = Pledge()
    _apply(pledge, fields, PLEDGE_FIELDS)
    if pledge.proposal_id:
        ensure_writable(actor, pledge.proposal)
        _require_proposal_open(pledge.proposal)
    _pledge_errors(actor, pledge)
    return _save(pledge, actor)


@transaction.atomic
def pledge_update(*, actor: Actor, pledge: Pledge, **changes: Any) -> Pledge:
    """Edit a pledge (e.g. the money received so far) of an open proposal."""
    _require_role(actor, "change", Pledge)
    lock_for_transition(pledge)
    ensure_writable(actor, pledge)
    if "proposal" in changes and changes["proposal"] != pledge.proposal:
        raise ValidationError({"proposal": _("A pledge stays with its proposal.")})
    _require_proposal_open(pledge.proposal)
    _apply(pledge, changes, PLEDGE_FIELDS)
    _pledge_errors(actor, pledge)
    return _save(pledge, actor)


@transaction.atomic
def pledge_delete(*, actor: Actor, pledge: Pledge) -> None:
    _require_role(actor, "delete", Pledge)
    ensure_writable(actor, pledge)
    _require_proposal_open(pledge.proposal)
    if pledge.amount_received:
        raise StateConflict(
            _("Money was received on this pledge: correct the amounts instead of deleting it.")
        )
    record_author(pledge, actor)
    pledge.delete()


def _meeting_place(meeting: GovernanceMeeting) -> None:
    """The meeting's scope: the proposal's village, or the self-governance station's town."""
    if meeting.proposal is not None:
        meeting.region_id = meeting.proposal.region_id
    elif meeting.council is not None:
        meeting.region_id = meeting.council.region_id


@transaction.atomic
def meeting_create(*, actor: Actor, **fields: Any) -> GovernanceMeeting:
    """Record a meeting of a proposal (议事) or a council meeting of a residents'
    self-governance station (理事会), one of the two."""
    _require_role(actor, "add", GovernanceMeeting)
    meeting = GovernanceMeeting()
    _apply(meeting, fields, MEETING_FIELDS)
    if meeting.proposal is None and meeting.council is None:
        raise ValidationError(
            {"proposal": _("Choose the proposal or the self-governance station.")}
        )
    if meeting.proposal is not None and meeting.council is not None:
        raise ValidationError(
            {"council": _("Choose the proposal or the self-governance station, not both.")}
        )
    if meeting.proposal is not None:
        ensure_writable(actor, meeting.proposal)
        _require_proposal_open(meeting.proposal)
    elif actor is not SYSTEM and not (
        # Its kind is the model's rule (a self-governance station); here, whose it is.
        Partner.objects.visible_to(actor).filter(pk=meeting.council.pk).exists()  # type: ignore[union-attr]
    ):
        raise ValidationError(
            {
                "council": _("%(partner)s is outside your jurisdiction.")
                % {"partner": meeting.council}
            }
        )
    _meeting_place(meeting)
    return _save(meeting, actor)


@transaction.atomic
def meeting_update(
    *, actor: Actor, meeting: GovernanceMeeting, **changes: Any
) -> GovernanceMeeting:
    _require_role(actor, "change", GovernanceMeeting)
    ensure_writable(actor, meeting)
    for name in ("proposal", "council"):
        if name in changes and changes[name] != getattr(meeting, name):
            raise ValidationError(
                {name: _("A meeting stays with its proposal or self-governance station.")}
            )
    if meeting.proposal is not None:
        _require_proposal_open(meeting.proposal)
    _apply(meeting, changes, MEETING_FIELDS)
    return _save(meeting, actor)


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: GovernanceMeeting) -> None:
    _require_role(actor, "delete", GovernanceMeeting)
    ensure_writable(actor, meeting)
    if meeting.proposal is not None:
        _require_proposal_open(meeting.proposal)
    record_author(meeting, actor)
    meeting.delete()
