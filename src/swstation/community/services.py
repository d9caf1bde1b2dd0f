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
    NEXT_STAGE,
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GoalsMet,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    SessionAttendance,
)
from swstation.core.actors import SYSTEM, Actor, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.scoping import ensure_visible, ensure_writable
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.stations.models import Station
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
