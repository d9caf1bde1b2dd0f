"""A station's group work and community work (issue 13, "Group work and community activities";
MZ/T 095-2017 小组工作服务指南, MZ/T 096-2017 社区工作服务指南).

- A :class:`Group` (小组) is run by a station with its facilitators (social workers), for a
  purpose and target members, over planned sessions. It moves through its stages only through
  ``services.group_advance``, one step at a time, each step in its history:

      筹备 preparing → 形成 forming → 转折 transition → 成熟 mature → 结束 ended

  and ends with a closing evaluation (goals met, an optional pre/post measure).
- Its :class:`GroupMember` s are recipients or named residents; each :class:`GroupSession`
  records its date, content, facilitator notes and attendance (:class:`SessionAttendance`: a
  row per member present or walk-in named, plus walk-ins counted without a name).
- A :class:`CommunityActivity` (社区活动) is an event at a place in a village or community (a
  class, a square activity, a campaign such as 国际社工日 with its "四个一"), with its
  participants counted by group (elders, children, others), the named ones where known
  (:class:`ActivityParticipant`) and photos (:class:`ActivityPhoto`, sent only through the
  activity's pages).

An activity names its partners (``linkage.Partner``); the volunteers who helped at an activity
or a group session and their hours are :class:`ActivityVolunteer` rows, which the volunteers app
reads through its port (``volunteers.hours``, registered in ``apps.py``): hours come from
records, never typed as a total.
"""

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.date_ranges import (
    check_dates,
    date_errors,
    latest_plan_start,
    latest_record_day,
    not_before,
    record_floor,
    station_floor,
)
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, MANAGERS, Role
from swstation.linkage.models import PartnerKind
from swstation.projects.models import IMAGE_EXTENSIONS, Project, validate_attachment
from swstation.recipients.models import Recipient
from swstation.regions.models import RegionLevel
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

# The front line runs groups and activities and records them; the managers delete.
KEEPERS: frozenset[str] = MANAGERS | {Role.SOCIAL_WORKER}
COMMUNITY_PERMISSIONS = RolePermissions(
    view=ALL_ROLES, add=KEEPERS, change=KEEPERS, delete=MANAGERS
)
COUNT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100_000)]


class RecipientOrResident:
    """A person taking part (a group's member, an activity's participant): a recipient, named
    by their record, or a resident written by name; a recipient lives in the station's town.
    The model declares ``recipient`` (a nullable FK) and ``name``."""

    recipient: "Recipient | None"
    recipient_id: int | None
    name: str

    @property
    def display_name(self) -> str:
        return str(self.recipient.name) if self.recipient is not None else self.name

    def person_errors(self, station: "Station | None", where: str) -> dict[str, str]:
        """The person's errors (``name``, ``recipient``); ``where`` is the message saying the
        recipient does not live where ``station`` is."""
        errors: dict[str, str] = {}
        self.name = (self.name or "").strip()
        if not self.recipient_id and not self.name:
            errors["name"] = str(_("Choose a recipient or write the resident's name."))
        if self.recipient_id and self.name:
            errors["name"] = str(
                _("A recipient is named by their record: leave the resident's name empty.")
            )
        person = self.recipient
        if (
            station is not None
            and person is not None
            and not person.region.code.startswith(station.region.prefix)
        ):
            errors["recipient"] = where % {"name": person.name, "region": station.region.name}
        return errors


class GroupStage(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    FORMING = "forming", _("Forming")
    TRANSITION = "transition", _("Transition")
    MATURE = "mature", _("Mature")
    ENDED = "ended", _("Ended")


# Each stage's one next stage (services.group_advance).
NEXT_STAGE: dict[str, str] = {
    GroupStage.PREPARING: GroupStage.FORMING,
    GroupStage.FORMING: GroupStage.TRANSITION,
    GroupStage.TRANSITION: GroupStage.MATURE,
    GroupStage.MATURE: GroupStage.ENDED,
}


class GroupKind(models.TextChoices):
    """MZ/T 095-2017's kinds of groups."""

    SUPPORT = "support", _("Support group")
    EDUCATION = "education", _("Education group")
    GROWTH = "growth", _("Growth group")
    THERAPY = "therapy", _("Therapy group")
    INTEREST = "interest", _("Interest group")
    MUTUAL_AID = "mutual_aid", _("Mutual aid group")


class GoalsMet(models.TextChoices):
    FULLY = "fully", _("Goals fully met")
    MOSTLY = "mostly", _("Goals mostly met")
    PARTLY = "partly", _("Goals partly met")
    NOT_MET = "not_met", _("Goals not met")


class Group(ScopedModel):
    """A group (小组) run by a station."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("group name"), max_length=100)
    kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    purpose = models.TextField(_("purpose of the group"))
    target_members = models.CharField(_("target members"), max_length=200)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the group meets, if in one village or community."),
    )
    planned_sessions = models.PositiveSmallIntegerField(
        _("planned sessions"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    starts_on = models.DateField(_("start date"))
    facilitators = models.ManyToManyField(
        SocialWorker, verbose_name=_("facilitators"), related_name="+"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(
        _("group stage"),
        max_length=12,
        choices=GroupStage.choices,
        default=GroupStage.PREPARING,
        editable=False,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    goals_met = models.CharField(
        _("goals met"), max_length=10, choices=GoalsMet.choices, blank=True, editable=False
    )
    evaluation = models.TextField(_("closing evaluation"), blank=True, editable=False)
    measure_name = models.CharField(
        _("measure"),
        max_length=100,
        blank=True,
        help_text=_("A scale used before and after, e.g. a loneliness scale."),
    )
    pre_score = models.DecimalField(
        _("score before"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    post_score = models.DecimalField(
        _("score after"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    scope_path: ClassVar[str | None] = "station__region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("social work group")
        verbose_name_plural = _("groups")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:group", args=[self.pk])

    @property
    def is_ended(self) -> bool:
        return self.stage == GroupStage.ENDED

    @property
    def next_stage(self) -> str | None:
        return NEXT_STAGE.get(self.stage)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        station = self.station if self.station_id else None
        village = self.village if self.village_id else None
        outside = village is not None and (
            village.level != RegionLevel.VILLAGE
            or (station is not None and not village.code.startswith(station.region.prefix))
        )
        if station is not None and village is not None and outside:
            errors["village"] = str(
                _("%(place)s is not a village or community of %(region)s.")
                % {"place": village.name, "region": station.region.name}
            )
        if (
            station is not None
            and self.project is not None
            and self.project.station_id != station.pk
        ):
            errors["project"] = str(
                _("Project “%(project)s” is not %(station)s's.")
                % {"project": self.project, "station": station}
            )
        dates = date_errors(
            self,
            {
                "starts_on": (station_floor(station), latest_plan_start()),
                "ended_on": (record_floor(), latest_record_day()),
            },
        )
        errors.update({k: v for k, v in dates.items() if k not in errors})
        if errors:
            raise ValidationError(errors)


class GroupMember(RecipientOrResident, ScopedModel):
    """A member of a group: a recipient, or a resident named without a record."""

    group = models.ForeignKey(
        Group, verbose_name=_("social work group"), on_delete=models.CASCADE, related_name="members"
    )
    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(
        _("resident's name"),
        max_length=50,
        blank=True,
        help_text=_("For a resident who is not a recipient."),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left the group on"), null=True, blank=True)

    scope_path: ClassVar[str | None] = "group__station__region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "recipient"],
                condition=Q(recipient__isnull=False),
                name="community_member_once_per_group",
                violation_error_message=_("This person is already a member of the group."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("community:groupmember", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = self.person_errors(
            self.group.station if self.group_id else None,
            str(_("%(name)s does not live in %(region)s, where the group is.")),
        )
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = str(_("The member left before joining."))
        dates = date_errors(
            self,
            {
                "joined_on": (record_floor(), latest_record_day()),
                "left_on": (record_floor(), latest_record_day()),
            },
        )
        errors.update({k: v for k, v in dates.items() if k not in errors})
        if errors:
            raise ValidationError(errors)


class GroupSession(ScopedModel):
    """One session of a group: its date, content and facilitator notes; attendance by
    :class:`SessionAttendance` rows plus the walk-ins counted without a name."""

    group = models.ForeignKey(
        Group,
        verbose_name=_("social work group"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    number = models.PositiveSmallIntegerField(
        _("session number"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    held_on = models.DateField(_("held on"))
    content = models.TextField(_("session content"))
    facilitator_notes = models.TextField(_("facilitator notes"), blank=True)
    walk_in_count = models.PositiveIntegerField(
        _("walk-ins counted"),
        default=0,
        validators=COUNT_VALIDATORS,
        help_text=_("People who came without being named."),
        editable=False,
    )

    scope_path: ClassVar[str | None] = "group__station__region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["-held_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"],
                name="community_session_number_once",
                violation_error_message=_("The group already has a session of this number."),
            )
        ]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return str(
            _("%(group)s · session %(number)s") % {"group": self.group, "number": self.number}
        )

    def get_absolute_url(self) -> str:
        return reverse("community:groupsession", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        group = self.group if self.group_id else None
        earliest = not_before(group.starts_on, _("the group's start")) if group else record_floor()
        check_dates(self, {"held_on": (earliest, latest_record_day())})


class SessionAttendance(ScopedModel):
    """Someone present at a session: a member, or a walk-in named."""

    session = models.ForeignKey(
        GroupSession,
        verbose_name=_("group session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    member = models.ForeignKey(
        GroupMember,
        verbose_name=_("group member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance",
    )
    name = models.CharField(_("walk-in's name"), max_length=50, blank=True)

    scope_path: ClassVar[str | None] = "session__group__station__region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=Q(member__isnull=False),
                name="community_attendance_once",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.display_name if self.member is not None else self.name

    @property
    def is_walk_in(self) -> bool:
        return self.member_id is None

    def get_absolute_url(self) -> str:
        return reverse("community:sessionattendance", args=[self.pk])


class ActivityKind(models.TextChoices):
    CLASS = "class", _("Class or workshop")
    SQUARE = "square", _("Square activity")
    CAMPAIGN = "campaign", _("Campaign")
    FESTIVAL = "festival", _("Festival celebration")
    LECTURE = "lecture", _("Lecture or consultation")
    SERVICE = "service", _("Volunteer service day")
    # Issue 14 (employment aid): the skills trainings job seekers attend; the employment app
    # reads them (employment.selectors.job_seeker_trainings).
    TRAINING = "training", _("Skills training")
    OTHER = "other", _("Other activity")


class CampaignAction(models.TextChoices):
    """The "四个一" of the 国际社工日 campaign."""

    SCREEN = "screen", _("Full-screen publicity")
    IDENTITY = "identity", _("Identity on display")
    EXAM = "exam", _("Exam mobilisation")
    FEATURED = "featured", _("Featured activity")


class CommunityActivity(ScopedModel):
    """A community activity (社区活动) at a place in a village or community."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("activity name"), max_length=100)
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("E.g. the square, the hall.")
    )
    held_on = models.DateField(_("held on"))
    organisers = models.CharField(
        _("organisers"), max_length=200, help_text=_("Who organised it, e.g. the station and ...")
    )
    campaign = models.CharField(
        _("campaign"), max_length=100, blank=True, help_text=_("E.g. 2023国际社工日.")
    )
    campaign_action = models.CharField(
        _("campaign action"), max_length=10, choices=CampaignAction.choices, blank=True
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partners = models.ManyToManyField(
        "linkage.Partner",
        verbose_name=_("partners"),
        blank=True,
        related_name="+",
        help_text=_("The organisations, enterprises and departments that took part."),
    )
    elders_count = models.PositiveIntegerField(
        _("elders taking part"), default=0, validators=COUNT_VALIDATORS
    )
    children_count = models.PositiveIntegerField(
        _("children taking part"), default=0, validators=COUNT_VALIDATORS
    )
    others_count = models.PositiveIntegerField(
        _("others taking part"), default=0, validators=COUNT_VALIDATORS
    )
    description = models.TextField(_("description"), blank=True)

    scope_path: ClassVar[str | None] = "region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("community activity")
        verbose_name_plural = _("community activities")
        ordering = ["-held_on", "name"]
        indexes = [
            models.Index(fields=["held_on"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["campaign"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:communityactivity", args=[self.pk])

    @property
    def participant_total(self) -> int:
        return (self.elders_count or 0) + (self.children_count or 0) + (self.others_count or 0)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        station = self.station if self.station_id else None
        region = self.region if self.region_id else None
        misplaced = region is not None and (
            region.level not in (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP)
            or (station is not None and not region.code.startswith(station.region.prefix))
        )
        if station is not None and region is not None and misplaced:
            errors["region"] = str(
                _("%(place)s is not a village, community or town of %(region)s.")
                % {"place": region.name, "region": station.region.name}
            )
        if (
            station is not None
            and self.project is not None
            and self.project.station_id != station.pk
        ):
            errors["project"] = str(
                _("Project “%(project)s” is not %(station)s's.")
                % {"project": self.project, "station": station}
            )
        if self.campaign_action and not (self.campaign or "").strip():
            errors["campaign"] = str(_("Name the campaign this action belongs to."))
        dates = date_errors(self, {"held_on": (station_floor(station), latest_record_day())})
        errors.update({k: v for k, v in dates.items() if k not in errors})
        if errors:
            raise ValidationError(errors)


class ParticipantGroup(models.TextChoices):
    ELDER = "elder", _("Elder")
    CHILD = "child", _("Child participant")
    OTHER = "other", _("Other resident")


class ActivityParticipant(RecipientOrResident, ScopedModel):
    """A participant of an activity known by name (a recipient, or a resident named); counted
    in the activity's figures by group."""

    activity = models.ForeignKey(
        CommunityActivity,
        verbose_name=_("community activity"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(
        _("resident's name"),
        max_length=50,
        blank=True,
        help_text=_("For a resident who is not a recipient."),
    )
    group = models.CharField(
        _("participant group"), max_length=10, choices=ParticipantGroup.choices
    )

    scope_path: ClassVar[str | None] = "activity__region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("activity participant")
        verbose_name_plural = _("activity participants")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("community:activityparticipant", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = self.person_errors(
            self.activity.station if self.activity_id else None,
            str(_("%(name)s does not live in %(region)s, where the activity is.")),
        )
        if errors:
            raise ValidationError(errors)


def _photo_path(instance: Any, filename: str) -> str:
    """Photos of an activity under its own folder; the stored name keeps only the extension
    (a user's file name may carry a person's name)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"community/activities/{instance.activity_id}/{uuid.uuid4().hex}.{extension}"


def validate_photo(file: Any) -> None:
    """A real JPEG or PNG photo of at most 10 MB (projects' attachment rules)."""
    validate_attachment(file)
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(_("“%(name)s” is not a photo (JPEG, PNG).") % {"name": name})


class ActivityPhoto(ScopedModel):
    """A photo of an activity, stored through Django's storage and sent only through the
    activity's pages, to those who may see the activity."""

    activity = models.ForeignKey(
        CommunityActivity,
        verbose_name=_("community activity"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    title = models.CharField(_("photo title"), max_length=100)
    file = models.FileField(
        _("photo"),
        upload_to=_photo_path,
        max_length=200,
        validators=[validate_photo],
        help_text=_("A photo (JPEG, PNG), at most 10 MB."),
    )

    scope_path: ClassVar[str | None] = "activity__region__code"
    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:activityphoto", args=[self.pk])


HOURS_VALIDATORS = [MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))]


class ActivityVolunteer(ScopedModel):
    """A volunteer who helped at a community activity or at a group session (exactly one of
    the two), for so many hours that day. ``region`` is the activity's village or the group's
    station's region, set by the service: the record's scope."""

    activity = models.ForeignKey(
        CommunityActivity,
        verbose_name=_("community activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    session = models.ForeignKey(
        GroupSession,
        verbose_name=_("group session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, validators=HOURS_VALIDATORS
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    role_permissions = COMMUNITY_PERMISSIONS

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(activity__isnull=False) & Q(session__isnull=True))
                | (Q(activity__isnull=True) & Q(session__isnull=False)),
                name="community_volunteer_activity_or_session",
                violation_error_message=_("Choose the activity or the group session, not both."),
            ),
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=Q(activity__isnull=False),
                name="community_volunteer_once_per_activity",
                violation_error_message=_("This volunteer's hours at the activity are recorded."),
            ),
            models.UniqueConstraint(
                fields=["session", "volunteer"],
                condition=Q(session__isnull=False),
                name="community_volunteer_once_per_session",
                violation_error_message=_("This volunteer's hours at the session are recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.hours}"

    def get_absolute_url(self) -> str:
        return reverse("community:activityvolunteer", args=[self.pk])

    @property
    def held_on(self) -> Any:
        if self.activity is not None:
            return self.activity.held_on
        return self.session.held_on if self.session is not None else None

    @property
    def occasion(self) -> Any:
        return self.activity if self.activity is not None else self.session


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------
#
# A :class:`Proposal` (众筹微治项目) is a residents' proposal in a village or community, supported
# by a station and led by one of its social workers: the problem, the proposal, and the stages
#
#     发现问题 found → 探讨问题 discussing → 解决问题 solving → 已结束 closed
#
# moved one step at a time through ``services.proposal_advance`` (each step in its history); a
# proposal that cannot go on is closed early as ``dropped``. Its :class:`Pledge` s are the
# "五筹" (筹项目, 筹智慧, 筹资源, 筹资金, 筹人才) from residents, organisations, the station,
# charity and volunteers; money is pledged and then received, so the two are reconciled. Its
# meetings (议事) and the council (理事会) meetings of a residents' self-governance station (a
# ``linkage.Partner`` of kind ``self_governance``, 邻舍家) are one :class:`GovernanceMeeting`,
# of the one or of the other.

# Only the station's own staff write the residents' governance; the bureaus read it.
GOVERNANCE_KEEPERS: frozenset[str] = frozenset({Role.STATION_MANAGER, Role.SOCIAL_WORKER})
GOVERNANCE_PERMISSIONS = RolePermissions(
    view=ALL_ROLES,
    add=GOVERNANCE_KEEPERS,
    change=GOVERNANCE_KEEPERS,
    delete=frozenset({Role.STATION_MANAGER}),
)
MONEY_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000000"))]


class ProposalStage(models.TextChoices):
    FOUND = "found", _("Problem found")
    DISCUSSING = "discussing", _("Problem discussed")
    SOLVING = "solving", _("Problem being solved")
    CLOSED = "closed", _("Proposal closed")


# Each open stage's one next stage (services.proposal_advance); any open stage may also be
# closed early, as dropped.
NEXT_PROPOSAL_STAGE: dict[str, str] = {
    ProposalStage.FOUND: ProposalStage.DISCUSSING,
    ProposalStage.DISCUSSING: ProposalStage.SOLVING,
    ProposalStage.SOLVING: ProposalStage.CLOSED,
}


class ProposalOutcome(models.TextChoices):
    SOLVED = "solved", _("Problem solved")
    PARTLY = "partly", _("Problem partly solved")
    DROPPED = "dropped", _("Not carried out")


class Proposal(ScopedModel):
    """A residents' proposal (众筹微治项目) in a village or community, supported by a station."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("proposal name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("E.g. a lane, a building, a square.")
    )
    problem = models.TextField(_("problem"), help_text=_("What the residents found."))
    solution = models.TextField(_("proposal"), help_text=_("What the residents propose to do."))
    raised_on = models.DateField(_("raised on"))
    lead_worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("lead social worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partners = models.ManyToManyField(
        "linkage.Partner",
        verbose_name=_("partners"),
        blank=True,
        related_name="+",
        help_text=_("The organisations, enterprises and departments that take part."),
    )
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
        help_text=_("The money the proposal needs, if known."),
    )
    stage = models.CharField(
        _("proposal stage"),
        max_length=12,
        choices=ProposalStage.choices,
        default=ProposalStage.FOUND,
        editable=False,
    )
    closed_on = models.DateField(_("proposal closed on"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ProposalOutcome.choices, blank=True, editable=False
    )
    result = models.TextField(_("what came of it"), blank=True, editable=False)

    scope_path: ClassVar[str | None] = "region__code"
    role_permissions = GOVERNANCE_PERMISSIONS

    class Meta:
        verbose_name = _("micro-governance proposal")
        verbose_name_plural = _("micro-governance proposals")
        ordering = ["-raised_on", "name"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["raised_on"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:proposal", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.stage == ProposalStage.CLOSED

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        station = self.station if self.station_id else None
        region = self.region if self.region_id else None
        misplaced = region is not None and (
            region.level not in (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP)
            or (station is not None and not region.code.startswith(station.region.prefix))
        )
        if station is not None and region is not None and misplaced:
            errors["region"] = str(
                _("%(place)s is not a village, community or town of %(region)s.")
                % {"place": region.name, "region": station.region.name}
            )
        worker = self.lead_worker if self.lead_worker_id else None
        if (
            station is not None
            and worker is not None
            and not worker.region.code.startswith(station.region.prefix)
        ):
            errors["lead_worker"] = str(
                _("%(worker)s does not work in %(region)s, where %(station)s is.")
                % {"worker": worker.name, "region": station.region.name, "station": station}
            )
        if (
            station is not None
            and self.project is not None
            and self.project.station_id != station.pk
        ):
            errors["project"] = str(
                _("Project “%(project)s” is not %(station)s's.")
                % {"project": self.project, "station": station}
            )
        dates = date_errors(
            self,
            {
                "raised_on": (station_floor(station), latest_record_day()),
                "closed_on": (
                    not_before(self.raised_on, _("the day it was raised")),
                    latest_record_day(),
                ),
            },
        )
        errors.update({k: v for k, v in dates.items() if k not in errors})
        if errors:
            raise ValidationError(errors)


class PledgeKind(models.TextChoices):
    """The "五筹"."""

    PROJECT = "project", _("Pledged project")
    WISDOM = "wisdom", _("Pledged ideas")
    RESOURCES = "resources", _("Pledged resources")
    FUNDS = "funds", _("Pledged money")
    TALENT = "talent", _("Pledged people")


class PledgeSource(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ORGANISATION = "organisation", _("Organisation")
    STATION = "station", _("Social work station")
    CHARITY = "charity", _("Charity")
    VOLUNTEER = "volunteer", _("Volunteer")


class Pledge(ScopedModel):
    """One of the "五筹" of a proposal: who pledged what (money pledged and money received)."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("micro-governance proposal"),
        on_delete=models.CASCADE,
        related_name="pledges",
    )
    kind = models.CharField(_("kind of pledge"), max_length=12, choices=PledgeKind.choices)
    source = models.CharField(_("pledged by"), max_length=12, choices=PledgeSource.choices)
    resident_name = models.CharField(
        _("resident's name"), max_length=50, blank=True, help_text=_("For a resident.")
    )
    partner = models.ForeignKey(
        "linkage.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For an organisation or a charity."),
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a volunteer."),
    )
    description = models.CharField(
        _("what is pledged"), max_length=200, blank=True, help_text=_("E.g. 花苗200株, 设计方案.")
    )
    amount_pledged = models.DecimalField(
        _("money pledged (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
        help_text=_("For a pledge of money."),
    )
    amount_received = models.DecimalField(
        _("money received (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=MONEY_VALIDATORS,
        help_text=_("What has come in so far."),
    )
    people_count = models.PositiveSmallIntegerField(
        _("people pledged"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("For a pledge of people."),
    )
    pledged_on = models.DateField(_("pledged on"))

    scope_path: ClassVar[str | None] = "proposal__region__code"
    role_permissions = GOVERNANCE_PERMISSIONS

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-pledged_on", "-pk"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["pledged_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.pledger}"

    def get_absolute_url(self) -> str:
        return reverse("community:pledge", args=[self.pk])

    @property
    def pledger(self) -> str:
        if self.source == PledgeSource.RESIDENT:
            return self.resident_name
        if self.partner is not None:
            return self.partner.name
        if self.volunteer is not None:
            return self.volunteer.name
        return str(self.get_source_display())

    @property
    def outstanding(self) -> Decimal | None:
        """Money pledged and not received yet."""
        if self.amount_pledged is None:
            return None
        return self.amount_pledged - (self.amount_received or Decimal("0"))

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        self.resident_name = (self.resident_name or "").strip()
        self.description = (self.description or "").strip()
        source = self.source
        if source == PledgeSource.RESIDENT and not self.resident_name:
            errors["resident_name"] = str(_("Write the name of the resident who pledged."))
        if source != PledgeSource.RESIDENT and self.resident_name:
            errors["resident_name"] = str(_("Only a resident's pledge names a resident."))
        partner = self.partner if self.partner_id else None
        if source in (PledgeSource.ORGANISATION, PledgeSource.CHARITY) and partner is None:
            errors["partner"] = str(_("Choose the organisation or charity that pledged."))
        elif (
            source == PledgeSource.CHARITY
            and partner is not None
            and partner.kind != PartnerKind.CHARITY
        ):
            errors["partner"] = str(
                _("%(partner)s is not a charity or foundation.") % {"partner": partner.name}
            )
        elif source not in (PledgeSource.ORGANISATION, PledgeSource.CHARITY) and partner:
            errors["partner"] = str(_("Only an organisation's or a charity's pledge names one."))
        if source == PledgeSource.VOLUNTEER and not self.volunteer_id:
            errors["volunteer"] = str(_("Choose the volunteer who pledged."))
        if source != PledgeSource.VOLUNTEER and self.volunteer_id:
            errors["volunteer"] = str(_("Only a volunteer's pledge names a volunteer."))
        if self.kind == PledgeKind.FUNDS:
            if self.amount_pledged is None or self.amount_pledged <= 0:
                errors["amount_pledged"] = str(_("Write the money pledged, more than 0 yuan."))
            if self.amount_received is None:
                self.amount_received = Decimal("0")
            if self.amount_pledged is not None and self.amount_received > self.amount_pledged:
                errors["amount_received"] = str(
                    _("%(received)s yuan received is more than the %(pledged)s yuan pledged.")
                    % {"received": self.amount_received, "pledged": self.amount_pledged}
                )
        else:
            for name in ("amount_pledged", "amount_received"):
                if getattr(self, name) is not None:
                    errors[name] = str(_("Only a pledge of money has an amount."))
            if not self.description:
                errors["description"] = str(_("Say what is pledged."))
        if self.kind != PledgeKind.TALENT and self.people_count is not None:
            errors["people_count"] = str(_("Only a pledge of people counts people."))
        proposal = self.proposal if self.proposal_id else None
        dates = date_errors(
            self,
            {
                "pledged_on": (
                    not_before(proposal.raised_on, _("the day the proposal was raised"))
                    if proposal is not None
                    else record_floor(),
                    latest_record_day(),
                )
            },
        )
        errors.update({k: v for k, v in dates.items() if k not in errors})
        if errors:
            raise ValidationError(errors)


class GovernanceMeeting(ScopedModel):
    """A meeting (议事) of a proposal, or a council meeting (理事会) of a residents'
    self-governance station (a partner of kind ``self_governance``) supported by the station:
    one of the two. ``region`` is the proposal's village or the partner's town, set by the
    service: the record's scope."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("micro-governance proposal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    council = models.ForeignKey(
        "linkage.Partner",
        verbose_name=_("residents' self-governance station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    attendee_count = models.PositiveIntegerField(
        _("people attending"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    attendee_names = models.TextField(
        _("attendees by name"), blank=True, help_text=_("Those who came, if written down.")
    )
    topics = models.TextField(_("topics"))
    decisions = models.TextField(_("decisions and minutes"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    role_permissions = GOVERNANCE_PERMISSIONS

    class Meta:
        verbose_name = _("governance meeting")
        verbose_name_plural = _("governance meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(council__isnull=True))
                | (Q(proposal__isnull=True) & Q(council__isnull=False)),
                name="community_meeting_proposal_or_council",
                violation_error_message=_(
                    "Choose the proposal or the self-governance station, not both."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(
            _("%(of)s · meeting of %(day)s")
            % {"of": self.proposal or self.council, "day": self.held_on}
        )

    def get_absolute_url(self) -> str:
        return reverse("community:governancemeeting", args=[self.pk])

    @property
    def is_council(self) -> bool:
        return self.council_id is not None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        council = self.council if self.council_id else None
        if council is not None and council.kind != PartnerKind.SELF_GOVERNANCE:
            errors["council"] = str(
                _("%(partner)s is not a residents' self-governance station.")
                % {"partner": council.name}
            )
        proposal = self.proposal if self.proposal_id else None
        earliest = (
            not_before(proposal.raised_on, _("the day the proposal was raised"))
            if proposal is not None
            else record_floor()
        )
        dates = date_errors(self, {"held_on": (earliest, latest_record_day())})
        errors.update({k: v for k, v in dates.items() if k not in errors})
        if errors:
            raise ValidationError(errors)
