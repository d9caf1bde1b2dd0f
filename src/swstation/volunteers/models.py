"""社区志愿者 (domain.md §1, 五社联动; issue 13, "Volunteers").

- A :class:`Volunteer` is a person who gives time to a station's work: name, phone and identity
  number kept exactly as a recipient's are (encrypted at rest with ``core.crypto``, found by
  keyed hash, shown masked, declared in ``encrypted_fields`` for the key rotation; a full view
  only through ``services.volunteer_reveal_identity``, logged in the recipients' personal-data
  access log, ``recipients.IdentityView``), skills, availability, the home village and the
  station they are attached to.
- A :class:`VolunteerTeam` (集士港镇's 馨心助老服务队, 后大街社区's 益相伴志愿服务队) belongs to a
  station, a village or a project, with a leader and members.
- A :class:`Pairing` (结对) is a volunteer paired with a recipient, with a visit plan (times per
  month, from ``starts_on`` to ``ends_on`` or its deactivation) and the station's social worker
  who answers for it. **A pairing visit is a service record**: a ``cases.ServiceRecord`` to the
  paired person (by the responsible worker, of the pairing's service type) naming the volunteer
  through a :class:`ServiceVolunteer` row. So the visit is on the person's timeline, counts in
  the project it is given under, gives the volunteer hours, and makes the pairing's next visit
  due (selectors.pairings_with_next_due) the way a visit schedule's is.
- **Hours come from records, never typed as a total**: a :class:`ServiceVolunteer` row names a
  volunteer on a service record with the hours they gave; activities and group sessions (the
  ``community`` app, above this one) give theirs through the port ``hours.register_hours_source``.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.cases.models import ServiceType
from swstation.core.date_ranges import (
    date_errors,
    latest_plan_end,
    latest_plan_start,
    latest_record_day,
    not_before,
    record_floor,
)
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, MANAGERS
from swstation.recipients.models import FRONT_LINE
from swstation.recipients.protected_numbers import ProtectedNumbers

# Read by every role in its jurisdiction (the numbers masked), kept by the front line, deleted
# by the managers: as recipients are.
VOLUNTEER_PERMISSIONS = RolePermissions(
    view=ALL_ROLES, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
)

HOURS_MIN = Decimal("0.01")
HOURS_MAX = Decimal("24")


def _in_area(region: object, area: object) -> bool:
    """``region`` (a Region) lies in ``area`` (a Region): its code extends the area's prefix."""
    return str(getattr(region, "code", "")).startswith(str(getattr(area, "prefix", "-")))


class Volunteer(ScopedModel, ProtectedNumbers):
    """A community volunteer (社区志愿者) attached to a station."""

    name = models.CharField(_("full name"), max_length=50)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home village / community"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The village or community the volunteer lives in (the town when unknown)."),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("attached station"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    skills = models.CharField(
        _("skills"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 理发, 健康咨询, 陪伴聊天, 课业辅导 (separated by commas)."),
    )
    availability = models.CharField(
        _("availability"), max_length=100, blank=True, help_text=_("E.g. 周末上午, 工作日晚上.")
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("The first day no longer volunteering.")
    )
    note = models.TextField(_("note"), blank=True)

    role_permissions = VOLUNTEER_PERMISSIONS

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["station__name", "name", "pk"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["registered_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="volunteer_unique_id_number_hash",
                violation_error_message=_("A volunteer with this document number is recorded."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer", args=[self.pk])

    def active_on(self, day: date) -> bool:
        return self.registered_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def is_active(self) -> bool:
        return self.active_on(timezone.localdate())

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        region = self.region if self.region_id else None
        station = self.station if self.station_id else None
        if region is not None and region.level not in ("village", "township"):
            errors["region"] = str(
                _("Choose a village or community, not “%(region)s” (%(level)s).")
                % {"region": region.name, "level": region.get_level_display()}
            )
        elif region is not None and station is not None and not _in_area(region, station.region):
            errors["region"] = str(
                _("%(region)s is not served by %(station)s.")
                % {"region": region.name, "station": station.name}
            )
        dates = date_errors(
            self,
            {
                "registered_on": (record_floor(), latest_record_day()),
                "left_on": (
                    not_before(self.registered_on, _("the registration date")),
                    latest_plan_end(),
                ),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class VolunteerTeam(ScopedModel):
    """A volunteer team (志愿服务队) of a station, a village or a project, with a leader."""

    name = models.CharField(_("team name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village / community or town"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("team leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams_led",
    )
    members = models.ManyToManyField(
        Volunteer, verbose_name=_("members"), blank=True, related_name="teams"
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    role_permissions = VOLUNTEER_PERMISSIONS

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["station__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "name"],
                name="volunteer_team_unique_name_at_station",
                violation_error_message=_("The station already has a team of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteerteam", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        region = self.region if self.region_id else None
        station = self.station if self.station_id else None
        if region is not None and station is not None and not _in_area(region, station.region):
            errors["region"] = str(
                _("%(region)s is not served by %(station)s.")
                % {"region": region.name, "station": station.name}
            )
        leader = self.leader if self.leader_id else None
        if leader is not None and station is not None and leader.station_id != station.pk:
            errors["leader"] = str(
                _("%(name)s is attached to %(other)s, not to %(station)s.")
                % {
                    "name": leader.name,
                    "other": leader.station.name,
                    "station": station.name,
                }
            )
        if self.founded_on:
            dates = date_errors(self, {"founded_on": (None, latest_record_day())})
            errors.update(dates)
        if errors:
            raise ValidationError(errors)


class Pairing(ScopedModel):
    """A volunteer paired with a recipient (结对), visiting ``times_per_month`` from
    ``starts_on``; the responsible social worker of the station answers for it (their agenda
    shows its visits due). A visit is a service record naming the volunteer (module docstring)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="pairings"
    )
    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("responsible social worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    service_type = models.CharField(
        _("service type"),
        max_length=15,
        choices=ServiceType.choices,
        default=ServiceType.HOME_VISIT,
        help_text=_("The kind of service a pairing visit is recorded as."),
    )
    times_per_month = models.PositiveSmallIntegerField(
        _("visits per month"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    starts_on = models.DateField(_("pairing starts on"))
    ends_on = models.DateField(_("pairing ends on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # As a visit schedule's: the day it was deactivated (it ran up to the day before).
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    scope_path: ClassVar[str | None] = "recipient__region__code"
    role_permissions = VOLUNTEER_PERMISSIONS

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["recipient__name", "pk"]
        indexes = [models.Index(fields=["active", "starts_on"])]

    def __str__(self) -> str:
        return str(
            _("%(volunteer)s paired with %(recipient)s")
            % {"volunteer": self.volunteer, "recipient": self.recipient}
        )

    def get_absolute_url(self) -> str:
        return reverse("volunteers:pairing", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        volunteer = self.volunteer if self.volunteer_id else None
        recipient = self.recipient if self.recipient_id else None
        worker = self.worker if self.worker_id else None
        if (
            volunteer is not None
            and recipient is not None
            and not _in_area(recipient.region, volunteer.station.region)
        ):
            errors["recipient"] = str(
                _("%(name)s lives outside the area of %(station)s.")
                % {"name": recipient.name, "station": volunteer.station.name}
            )
        if (
            volunteer is not None
            and worker is not None
            and worker.station_id != volunteer.station_id
        ):
            errors["worker"] = str(
                _("%(worker)s does not work at %(station)s.")
                % {"worker": worker.name, "station": volunteer.station.name}
            )
        team = self.team if self.team_id else None
        if team is not None and volunteer is not None and team.station_id != volunteer.station_id:
            errors["team"] = str(
                _("The team %(team)s belongs to another station.") % {"team": team.name}
            )
        dates = date_errors(
            self,
            {
                "starts_on": (record_floor(), latest_plan_start()),
                "ends_on": (not_before(self.starts_on, _("the start")), latest_plan_end()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class ServiceVolunteer(ScopedModel):
    """A volunteer named on a service record with the hours they gave (the free text of
    ``ServiceRecord.volunteers`` became these rows: migration 0002)."""

    record = models.ForeignKey(
        "cases.ServiceRecord",
        verbose_name=_("service record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="service_hours",
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(HOURS_MIN), MaxValueValidator(HOURS_MAX)],
    )

    scope_path: ClassVar[str | None] = "record__recipient__region__code"
    # Named and unnamed on a record by those who write the records (a wrong name is taken off).
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=FRONT_LINE, change=FRONT_LINE, delete=FRONT_LINE
    )

    class Meta:
        verbose_name = _("volunteer on a service")
        verbose_name_plural = _("volunteers on services")
        ordering = ["-record__served_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "volunteer"],
                name="service_volunteer_once_per_record",
                violation_error_message=_("This volunteer is already named on this service."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.record}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:servicevolunteer", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if not (self.record_id and self.volunteer_id):
            return
        errors: dict[str, str] = {}
        record, volunteer = self.record, self.volunteer
        if volunteer.station_id != record.station_id:
            errors["volunteer"] = str(
                _("%(name)s is attached to %(station)s, not to the station of this service.")
                % {"name": volunteer.name, "station": volunteer.station.name}
            )
        elif not volunteer.active_on(record.served_on):
            errors["volunteer"] = str(
                _("%(name)s was not volunteering on %(day)s.")
                % {"name": volunteer.name, "day": record.served_on.isoformat()}
            )
        if self.hours is not None and self.hours * 60 > record.duration_minutes:
            errors["hours"] = str(
                _("%(hours)s hours is longer than the service (%(minutes)s minutes).")
                % {"hours": self.hours, "minutes": record.duration_minutes}
            )
        if errors:
            raise ValidationError(errors)
