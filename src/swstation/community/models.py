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
