"""Sign-in sheets (签到表) imported from .xlsx: a group session's attendance and a community
activity's named participants and volunteer hours (issue 13: "attendance ... can be imported
from a sign-in sheet"). The machinery is :mod:`swstation.core.imports` (a preview of every row,
each problem by row and column, then all or nothing), as for the stations and the rosters.

**Which session or activity**: every row names it, as the sheet's header does on paper: the
group's name and the session's date (with 第几次 when the group met twice that day), or the
activity's name and date, among those the importer may change (a group that has ended is a
record and is refused).

**Which person** (a session): a member of the group on that day, by name; 手机尾号 or 身份证后四位
tell two recipients of the same name apart (they compare with the masked numbers, the clear ones
are never read). A name that is no member is refused unless 临时参加 says 是 (a walk-in, recorded
by name); walk-ins who signed without a name are a row of their own with 未具名人数.
(An activity): a participant is a recipient found by 身份证号 or by name and 所在村社区, otherwise
a resident recorded by name; a 志愿者 row names a volunteer the importer may see and their hours.

**Importing the same sheet again changes nothing**: a row says what is true of one person at
one occasion (present or not, in which group, how many hours), so a second run finds it true
and leaves it unchanged; nothing is ever added twice. The writes are the services' own
(``session_attendance_record``, ``participant_create``/``update``,
``volunteer_hours_create``/``update``), with their checks and history.
"""

from collections.abc import Hashable
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from swstation.community import services
from swstation.community.models import (
    HOURS_VALIDATORS,
    ActivityParticipant,
    ActivityVolunteer,
    CommunityActivity,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    SessionAttendance,
)
from swstation.community.selectors import members_on
from swstation.core.actors import Actor
from swstation.core.crypto import lookup_hash
from swstation.core.export import safe_cell
from swstation.core.imports import (
    Built,
    Column,
    Importer,
    ImportRow,
    RowInvalid,
    template_workbook,
)
from swstation.core.imports.base import FieldChange
from swstation.recipients.models import Recipient
from swstation.volunteers.models import Volunteer

WALK_IN_LIMIT = services.WALK_IN_LIMIT

TAIL_HELP = gettext_lazy(
    "Optional: the last digits, to tell apart two recipients of the same name (compared with "
    "the masked number)."
)


def _tail(value: Any) -> str:
    """A tail of digits as typed: a number cell drops the leading zeros of 0123."""
    text = str(value or "").strip().upper()
    return text.zfill(4) if text.isdigit() and len(text) < 4 else text


def _whole_number(text: Any, limit: int) -> int | None:
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    if number != number.to_integral_value() or not 0 <= number <= limit:
        return None
    return int(number)


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


class _Occasions:
    """Sessions or activities the importer may change, looked up by name and date once each."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], list[Any]] = {}

    def get(self, key: tuple[Any, ...], load: Any) -> list[Any]:
        if key not in self.found:
            self.found[key] = list(load())
        return self.found[key]


# --- a group session's sign-in sheet -------------------------------------------------------------


class SessionSignInImporter(Importer):
    model = SessionAttendance
    title = gettext_lazy("Group session sign-in sheet")
    columns = (
        Column("小组名称", "group", required=True, aliases=("小组", "小组名")),
        Column(
            "活动日期",
            "held_on",
            "date",
            required=True,
            aliases=("日期", "签到日期", "活动时间", "开展日期"),
            help=gettext_lazy("The day of the session, as recorded in the session."),
        ),
        Column(
            "第几次",
            "number",
            aliases=("节次", "次数", "第几节"),
            help=gettext_lazy("Only when the group held two sessions on that day."),
        ),
        Column("姓名", "name", aliases=("组员姓名", "签到人")),
        Column("手机尾号", "phone_tail", aliases=("手机后四位", "电话尾号"), help=TAIL_HELP),
        Column("身份证后四位", "id_tail", aliases=("身份证尾号",), help=TAIL_HELP),
        Column(
            "是否签到",
            "present",
            "bool",
            aliases=("签到", "出席", "是否出席"),
            help=gettext_lazy(
                "是: present; 否: absent (an attendance recorded earlier is removed)."
            ),
        ),
        Column(
            "临时参加",
            "walk_in",
            "bool",
            aliases=("是否临时参加", "非组员"),
            help=gettext_lazy("是 for someone who came without being a member of the group."),
        ),
        Column(
            "未具名人数",
            "walk_in_count",
            aliases=("未登记人数", "临时参加人数"),
            help=gettext_lazy(
                "On a row without a name: how many walk-ins came without signing their name."
            ),
        ),
    )
    key_columns = ("group", "held_on", "name")
    key_help = gettext_lazy(
        "Each row is one person at the session of that group on that day: present or absent. "
        "Importing the same sheet again changes nothing."
    )
    field_columns = {
        "session": "held_on",
        "member": "name",
        "walk_in_names": "name",
        "group": "group",
    }

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.sessions = _Occasions()

    # the session ------------------------------------------------------------------------
    def find_session(self, row: ImportRow) -> GroupSession:
        name = str(row.get("group")).strip()
        held_on: date = row.get("held_on")
        number = None
        if row.has("number"):
            number = _whole_number(row.get("number"), 200)
            if not number:
                raise RowInvalid(
                    [("number", _("Write the session's number, a whole number from 1 to 200."))]
                )
        found = self.sessions.get(
            ("writable", name, held_on),
            lambda: (
                GroupSession.objects.visible_to(self.actor, for_write=True)
                .filter(group__name=name, held_on=held_on)
                .select_related("group__station__region")
                .order_by("number")
            ),
        )
        if number is not None:
            found = [s for s in found if s.number == number]
        if len({s.group_id for s in found}) > 1:
            raise RowInvalid(
                [
                    (
                        "group",
                        _(
                            "Several groups in your jurisdiction are named “%(group)s” and met "
                            "on %(day)s: rename one of them first."
                        )
                        % {"group": name, "day": held_on.isoformat()},
                    )
                ]
            )
        if len(found) > 1:
            raise RowInvalid(
                [
                    (
                        "number",
                        _(
                            "Group “%(group)s” held several sessions on %(day)s: write which "
                            "one in %(column)s."
                        )
                        % {
                            "group": name,
                            "day": held_on.isoformat(),
                            "column": self.header_of("number"),
                        },
                    )
                ]
            )
        if not found:
            raise RowInvalid([self.no_session_message(name, held_on)])
        session: GroupSession = found[0]
        if session.group.stage == GroupStage.ENDED:
            raise RowInvalid(
                [
                    (
                        "group",
                        _("Group “%(group)s” has ended: it no longer changes.") % {"group": name},
                    )
                ]
            )
        return session

    def no_session_message(self, name: str, held_on: date) -> tuple[str, str]:
        """(column, message): the group is unknown here, or it did not meet that day."""
        visible = GroupSession.objects.visible_to(self.actor).filter(group__name=name)
        if visible.filter(held_on=held_on).exists():
            return "group", _(
                "You may read the session of “%(group)s” on %(day)s but not change it: it is "
                "outside your jurisdiction."
            ) % {"group": name, "day": held_on.isoformat()}
        if visible.exists() or Group.objects.visible_to(self.actor).filter(name=name).exists():
            return "held_on", _("Group “%(group)s” held no session on %(day)s.") % {
                "group": name,
                "day": held_on.isoformat(),
            }
        return "group", _("No group “%(group)s” in your jurisdiction.") % {"group": name}

    # the person -------------------------------------------------------------------------
    def find_member(self, row: ImportRow, session: GroupSession) -> GroupMember | None:
        """The member the row names, or None for someone who is not a member."""
        name = str(row.get("name")).strip()
        candidates = [m for m in self.members_of(session) if m.display_name == name]
        phone_tail = _tail(row.get("phone_tail")) if row.has("phone_tail") else ""
        id_tail = _tail(row.get("id_tail")) if row.has("id_tail") else ""
        narrowed = [
            m
            for m in candidates
            if (not phone_tail or _recipient_tail(m, "phone_masked").endswith(phone_tail))
            and (not id_tail or _recipient_tail(m, "id_number_masked").endswith(id_tail))
        ]
        if len(narrowed) > 1:
            raise RowInvalid(
                [
                    (
                        "name",
                        _(
                            "Several members of the group are named %(name)s: write the last "
                            "digits of their mobile number in %(phone)s or of their ID number "
                            "in %(id)s."
                        )
                        % {
                            "name": name,
                            "phone": self.header_of("phone_tail"),
                            "id": self.header_of("id_tail"),
                        },
                    )
                ]
            )
        if narrowed:
            return narrowed[0]
        if candidates:
            column = "phone_tail" if phone_tail else "id_tail"
            raise RowInvalid(
                [
                    (
                        column,
                        _("No member named %(name)s has a number ending in %(tail)s.")
                        % {"name": name, "tail": phone_tail or id_tail},
                    )
                ]
            )
        return None

    def members_of(self, session: GroupSession) -> list[GroupMember]:
        key = ("members", session.pk)
        return self.sessions.get(key, lambda: members_on(session))

    def not_a_member(self, row: ImportRow, session: GroupSession) -> str:
        name = str(row.get("name")).strip()
        enrolled = GroupMember.objects.filter(group_id=session.group_id).select_related("recipient")
        if any(m.display_name == name for m in enrolled):
            return _("%(name)s was not a member of the group on %(day)s.") % {
                "name": name,
                "day": session.held_on.isoformat(),
            }
        return _(
            "%(name)s is not a member of group “%(group)s”. For someone who came without being "
            "a member, write 是 in %(column)s."
        ) % {"name": name, "group": session.group.name, "column": self.header_of("walk_in")}

    # build --------------------------------------------------------------------------------
    def build(self, row: ImportRow, actor: Actor) -> Built:
        built = self.build_row(row)
        built.values["file_key"] = self.file_key_of(built.instance)
        return built

    def build_row(self, row: ImportRow) -> Built:
        session = self.find_session(row)
        if row.has("name") and row.has("walk_in_count"):
            raise RowInvalid(
                [
                    (
                        "walk_in_count",
                        _("%(column)s goes on a row of its own, without a name.")
                        % {"column": self.header_of("walk_in_count")},
                    )
                ]
            )
        if row.has("walk_in_count"):
            return self.build_count(row, session)
        if not row.has("name"):
            raise RowInvalid(
                [
                    (
                        "name",
                        _(
                            "Write the person's name, or on a row of its own the number of "
                            "walk-ins without a name in %(column)s."
                        )
                        % {"column": self.header_of("walk_in_count")},
                    )
                ]
            )
        member = self.find_member(row, session)
        if row.get("walk_in"):
            if member is not None:
                raise RowInvalid(
                    [
                        (
                            "walk_in",
                            _("%(name)s is a member of the group: leave %(column)s empty.")
                            % {"name": member.display_name, "column": self.header_of("walk_in")},
                        )
                    ]
                )
            return self.build_walk_in(row, session)
        if member is None:
            raise RowInvalid([("name", self.not_a_member(row, session))])
        if not row.has("present"):
            raise RowInvalid(
                [
                    (
                        "present",
                        _("Write 是 (present) or 否 (absent) in %(column)s.")
                        % {"column": self.header_of("present")},
                    )
                ]
            )
        recorded = session.attendance.filter(member=member).first()
        if row.get("present"):
            if recorded is not None:
                return Built(instance=recorded, created=False, changed=False)
            return Built(
                instance=SessionAttendance(session=session, member=member),
                created=True,
                values={"add_member": member},
            )
        if recorded is None:
            # Absent and not recorded as present: nothing to do.
            return Built(
                instance=SessionAttendance(session=session, member=member),
                created=False,
                changed=False,
            )
        return Built(
            instance=recorded,
            created=False,
            changed=True,
            values={
                "remove_member": member,
                "change": (self.header_of("present"), _yes_no(True), _yes_no(False)),
            },
        )

    def build_walk_in(self, row: ImportRow, session: GroupSession) -> Built:
        name = str(row.get("name")).strip()
        if row.has("present") and not row.get("present"):
            raise RowInvalid(
                [
                    (
                        "present",
                        _("A walk-in is someone who came: %(column)s cannot say 否.")
                        % {"column": self.header_of("present")},
                    )
                ]
            )
        if len(name) > 50:
            raise RowInvalid(
                [("name", _("A name has at most 50 characters: %(name)s") % {"name": name})]
            )
        recorded = session.attendance.filter(member__isnull=True, name=name).first()
        if recorded is not None:
            return Built(instance=recorded, created=False, changed=False)
        return Built(
            instance=SessionAttendance(session=session, name=name),
            created=True,
            values={"add_name": name},
        )

    def build_count(self, row: ImportRow, session: GroupSession) -> Built:
        count = _whole_number(row.get("walk_in_count"), WALK_IN_LIMIT)
        if count is None:
            raise RowInvalid(
                [
                    (
                        "walk_in_count",
                        _("“%(value)s” is not a number of people from 0 to %(limit)s.")
                        % {"value": row.get("walk_in_count"), "limit": WALK_IN_LIMIT},
                    )
                ]
            )
        changed = session.walk_in_count != count
        return Built(
            instance=session,
            created=False,
            changed=changed,
            values={
                "walk_in_count": count,
                "change": (
                    str(GroupSession._meta.get_field("walk_in_count").verbose_name),
                    str(session.walk_in_count),
                    str(count),
                ),
            },
        )

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        # Read from what the row built: once saved, the built record is the session.
        return [built.values["file_key"]]

    @staticmethod
    def file_key_of(instance: Model) -> tuple[str, Hashable]:
        if isinstance(instance, GroupSession):
            return ("walk_in_count", (instance.pk, "count"))
        assert isinstance(instance, SessionAttendance)
        if instance.member_id is not None:
            return ("name", (instance.session_id, "member", instance.member_id))
        return ("name", (instance.session_id, "name", instance.name))

    def extra_changes(self, stored: Model, built: Built) -> list[FieldChange]:
        change = built.values.get("change")
        return [FieldChange(*change)] if change else []

    def save(self, built: Built, actor: Actor) -> None:
        if not built.changed:
            return
        instance = built.instance
        session = instance if isinstance(instance, GroupSession) else instance.session  # type: ignore[attr-defined]
        session = GroupSession.objects.get(pk=session.pk)
        rows = list(session.attendance.select_related("member"))
        present = {r.member_id: r.member for r in rows if r.member is not None}
        names = [r.name for r in rows if r.member_id is None]
        count = session.walk_in_count
        values = built.values
        if "add_member" in values:
            present[values["add_member"].pk] = values["add_member"]
        if "remove_member" in values:
            present.pop(values["remove_member"].pk, None)
        if "add_name" in values:
            names.append(values["add_name"])
        if "walk_in_count" in values:
            count = values["walk_in_count"]
        services.session_attendance_record(
            actor=actor,
            session=session,
            present=present.values(),
            walk_in_names=names,
            walk_in_count=count,
        )
        # What the import checks it may still change (a removed row has no record left).
        built.instance = session


def session_sheet(session: GroupSession) -> bytes:
    """The import's template with a row per member of the session's group on its day (group,
    date, number and name filled in), to print or fill in: 是否签到 is left for the sheet."""
    workbook = load_workbook(BytesIO(template_workbook(SessionSignInImporter)))
    sheet = workbook.worksheets[0]
    place = {column.key: index for index, column in enumerate(SessionSignInImporter.columns, 1)}
    for row, member in enumerate(members_on(session), start=2):
        values = {
            "group": safe_cell(session.group.name),
            "held_on": session.held_on,
            "number": session.number,
            "name": safe_cell(member.display_name),
        }
        for key, value in values.items():
            sheet.cell(row=row, column=place[key], value=value)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _recipient_tail(member: GroupMember | ActivityParticipant, field: str) -> str:
    person = member.recipient
    return str(getattr(person, field, "") or "").upper() if person is not None else ""


# --- a community activity's sign-in sheet -------------------------------------------------------

ROLE_CHOICES = (
    ("参与者", "participant"),
    ("居民", "participant"),
    ("服务对象", "participant"),
    ("志愿者", "volunteer"),
)
GROUP_CHOICES = (
    ("长者", "elder"),
    ("老人", "elder"),
    ("老年人", "elder"),
    ("儿童", "child"),
    ("少年儿童", "child"),
    ("其他", "other"),
    ("其他居民", "other"),
)


class ActivitySignInImporter(Importer):
    model = ActivityParticipant
    title = gettext_lazy("Community activity sign-in sheet")
    columns = (
        Column("活动名称", "activity", required=True, aliases=("活动",)),
        Column(
            "活动日期",
            "held_on",
            "date",
            required=True,
            aliases=("日期", "签到日期", "开展日期"),
        ),
        Column("姓名", "name", required=True, aliases=("签到人",)),
        Column(
            "身份",
            "role",
            "choice",
            choices=ROLE_CHOICES,
            aliases=("类型", "签到类型"),
            help=gettext_lazy("参与者 (the default) or 志愿者."),
        ),
        Column(
            "人群",
            "group",
            "choice",
            choices=GROUP_CHOICES,
            aliases=("参与人群", "人员类别"),
            help=gettext_lazy("For a participant: 长者, 儿童 or 其他."),
        ),
        Column(
            "身份证号",
            "id_number",
            "identifier",
            aliases=("身份证号码", "公民身份号码"),
            help=gettext_lazy("Finds the recipient (or the volunteer) by their ID number."),
        ),
        Column(
            "所在村社区",
            "village",
            aliases=("村社区", "所在村(社区)", "村(社区)"),
            help=gettext_lazy(
                "With the name, finds the recipient living there; without a match the person "
                "is recorded as a resident by name."
            ),
        ),
        Column("手机尾号", "phone_tail", aliases=("手机后四位",), help=TAIL_HELP),
        Column(
            "服务时长（小时）",
            "hours",
            aliases=("服务时长", "志愿时长", "时长"),
            help=gettext_lazy("For a volunteer: the hours they helped that day (0.25 to 24)."),
        ),
    )
    key_columns = ("activity", "held_on", "name")
    key_help = gettext_lazy(
        "Each row is one person at the activity of that name on that day: a participant in "
        "their group, or a volunteer with their hours. Importing the same sheet again changes "
        "nothing."
    )
    field_columns = {"activity": "activity", "recipient": "name", "volunteer": "name"}

    def prepare(self, present: frozenset[str]) -> None:
        super().prepare(present)
        self.activities = _Occasions()

    def find_activity(self, row: ImportRow) -> CommunityActivity:
        name = str(row.get("activity")).strip()
        held_on: date = row.get("held_on")
        found = self.activities.get(
            (name, held_on),
            lambda: (
                CommunityActivity.objects.visible_to(self.actor, for_write=True)
                .filter(name=name, held_on=held_on)
                .select_related("station__region", "region")
            ),
        )
        if len(found) == 1:
            return found[0]
        not_held = _("The activity “%(name)s” was not held on %(day)s.")
        if len(found) > 1:
            message = _(
                "Several activities are named “%(name)s” on %(day)s: rename one of them first."
            )
        elif (
            CommunityActivity.objects.visible_to(self.actor)
            .filter(name=name, held_on=held_on)
            .exists()
        ):
            message = _(
                "You may read the activity “%(name)s” of %(day)s but not change it: it is outside "
                "your jurisdiction."
            )
        elif CommunityActivity.objects.visible_to(self.actor).filter(name=name).exists():
            message = not_held
        else:
            message = _("No activity “%(name)s” in your jurisdiction.")
        column = "held_on" if message == not_held else "activity"
        raise RowInvalid([(column, message % {"name": name, "day": held_on.isoformat()})])

    def build(self, row: ImportRow, actor: Actor) -> Built:
        activity = self.find_activity(row)
        if row.get("role") == "volunteer":
            return self.build_volunteer(row, activity)
        return self.build_participant(row, activity)

    # participants ---------------------------------------------------------------------------
    def find_recipient(self, row: ImportRow, activity: CommunityActivity) -> Recipient | None:
        name = str(row.get("name")).strip()
        visible = Recipient.objects.visible_to(self.actor).select_related("region")
        if row.has("id_number"):
            digest = lookup_hash(str(row.get("id_number")).strip().upper())
            person = visible.filter(id_number_hash=digest).first() if digest else None
            if person is None:
                raise RowInvalid(
                    [("id_number", _("No recipient with this ID number in your jurisdiction."))]
                )
            if person.name != name:
                raise RowInvalid(
                    [
                        (
                            "name",
                            _("The ID number is that of %(recorded)s, not %(name)s.")
                            % {"recorded": person.name, "name": name},
                        )
                    ]
                )
            return person
        if not row.has("village"):
            return None
        village = str(row.get("village")).strip()
        found = list(visible.filter(name=name, region__name=village)[:2])
        if len(found) > 1:
            raise RowInvalid(
                [
                    (
                        "id_number",
                        _(
                            "Several recipients named %(name)s live in %(village)s: write the "
                            "ID number in %(column)s."
                        )
                        % {"name": name, "village": village, "column": self.header_of("id_number")},
                    )
                ]
            )
        return found[0] if found else None

    def build_participant(self, row: ImportRow, activity: CommunityActivity) -> Built:
        errors: list[tuple[str, str]] = []
        if row.has("hours"):
            errors.append(
                (
                    "hours",
                    _("Hours are recorded for volunteers only: write 志愿者 in %(column)s.")
                    % {"column": self.header_of("role")},
                )
            )
        if not row.has("group"):
            errors.append(("group", _("Write the participant's group: 长者, 儿童 or 其他.")))
        if errors:
            raise RowInvalid(errors)
        person = self.find_recipient(row, activity)
        name = "" if person is not None else str(row.get("name")).strip()
        group = row.get("group")
        recorded = activity.participants.filter(
            **(
                {"recipient": person}
                if person is not None
                else {"recipient__isnull": True, "name": name}
            )
        ).first()
        if recorded is not None:
            if recorded.group == group:
                return Built(instance=recorded, created=False, changed=False)
            before = recorded.get_group_display()
            recorded.group = group
            return Built(
                instance=recorded,
                created=False,
                changed=True,
                values={
                    "group": group,
                    "change": (self.header_of("group"), before, recorded.get_group_display()),
                },
            )
        participant = ActivityParticipant(
            activity=activity, recipient=person, name=name, group=group
        )
        problems: list[tuple[str, str]] = []
        self.clean(participant, problems)
        if problems:
            raise RowInvalid(problems)
        return Built(
            instance=participant,
            created=True,
            values={"activity": activity, "recipient": person, "name": name, "group": group},
        )

    # volunteers -----------------------------------------------------------------------------
    def find_volunteer(self, row: ImportRow) -> Volunteer:
        name = str(row.get("name")).strip()
        visible = Volunteer.objects.visible_to(self.actor).filter(left_on__isnull=True)
        if row.has("id_number"):
            digest = lookup_hash(str(row.get("id_number")).strip().upper())
            found = list(visible.filter(id_number_hash=digest, name=name)[:2]) if digest else []
        else:
            found = list(visible.filter(name=name)[:3])
            if row.has("phone_tail"):
                tail = _tail(row.get("phone_tail"))
                found = [v for v in found if (v.phone_masked or "").endswith(tail)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise RowInvalid(
                [
                    (
                        "phone_tail",
                        _(
                            "Several volunteers are named %(name)s: write the last digits of "
                            "their mobile number in %(column)s."
                        )
                        % {"name": name, "column": self.header_of("phone_tail")},
                    )
                ]
            )
        raise RowInvalid(
            [("name", _("No volunteer named %(name)s in your jurisdiction.") % {"name": name})]
        )

    def build_volunteer(self, row: ImportRow, activity: CommunityActivity) -> Built:
        hours = _hours(row.get("hours")) if row.has("hours") else None
        if hours is None:
            raise RowInvalid(
                [
                    (
                        "hours",
                        _("Write the volunteer's hours, a number from 0.25 to 24: “%(value)s”.")
                        % {"value": row.get("hours") or ""},
                    )
                ]
            )
        volunteer = self.find_volunteer(row)
        recorded = ActivityVolunteer.objects.filter(activity=activity, volunteer=volunteer).first()
        if recorded is not None:
            if recorded.hours == hours:
                return Built(instance=recorded, created=False, changed=False)
            before = recorded.hours
            recorded.hours = hours
            return Built(
                instance=recorded,
                created=False,
                changed=True,
                values={
                    "hours": hours,
                    "change": (self.header_of("hours"), f"{before:g}", f"{hours:g}"),
                },
            )
        row_hours = ActivityVolunteer(
            activity=activity, volunteer=volunteer, hours=hours, region_id=activity.region_id
        )
        return Built(
            instance=row_hours,
            created=True,
            values={"activity": activity, "volunteer": volunteer, "hours": hours},
        )

    # the file and the writes -------------------------------------------------------------------
    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        instance = built.instance
        if isinstance(instance, ActivityVolunteer):
            return [("name", (instance.activity_id, "volunteer", instance.volunteer_id))]
        assert isinstance(instance, ActivityParticipant)
        if instance.recipient_id is not None:
            return [("name", (instance.activity_id, "recipient", instance.recipient_id))]
        return [("name", (instance.activity_id, "resident", instance.name))]

    def extra_changes(self, stored: Model, built: Built) -> list[FieldChange]:
        change = built.values.get("change")
        return [FieldChange(*change)] if change else []

    def field_changes(self, stored: Model, instance: Model) -> list[FieldChange]:
        return []  # the one change a row makes is said by extra_changes

    def save(self, built: Built, actor: Actor) -> None:
        if not built.changed:
            return
        instance = built.instance
        values = {k: v for k, v in built.values.items() if k != "change"}
        if isinstance(instance, ActivityVolunteer):
            if built.created:
                built.instance = services.volunteer_hours_create(actor=actor, **values)
            else:
                built.instance = services.volunteer_hours_update(
                    actor=actor, row=instance, **values
                )
            return
        assert isinstance(instance, ActivityParticipant)
        if built.created:
            built.instance = services.participant_create(actor=actor, **values)
        else:
            built.instance = services.participant_update(
                actor=actor, participant=instance, **values
            )


def _hours(value: Any) -> Decimal | None:
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    try:
        for validator in HOURS_VALIDATORS:
            validator(hours)
    except ValidationError:
        return None
    if hours != hours.quantize(Decimal("0.01")):
        return None
    return hours


__all__ = ["ActivitySignInImporter", "SessionSignInImporter", "session_sheet"]
