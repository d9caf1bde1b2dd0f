"""Employment aid (就业帮扶; domain.md §3, issue 14): 慈城镇's 慈缘驿站 linked 2,000+ farmers who
needed seasonal work in the slack season (农闲) with the town's factories at their order peaks.

- A :class:`JobSeeker` (求职人员) is a recipient of a station or a resident of its township, with
  the personal data kept exactly as a volunteer's (name, identity and phone numbers encrypted at
  rest with ``core.crypto``, found by keyed hash, shown masked; a full view only through the
  logged reveal of ``services.job_seeker_reveal_identity``), what they can do (skills, work
  wanted), when (the months they are free, a bit set ``available_months``, and the hours a day),
  what holds them back (child care, no transport, health), how far they go (village, township,
  district) and the pay they want. Their ``status`` is kept by the services: ``placed`` while a
  placement is hired or working, otherwise ``paused`` or ``seeking``.
- A :class:`JobPost` (岗位) is a number of places an employer offers for a season window, with
  hours, skills wanted, pay and the place of work. **Employers are linkage partners of kind
  enterprise** (no second list of organisations): a post names one, validated. The places filled
  are counted from the placements (``selectors.with_places_filled``), never typed.
- A :class:`Placement` is a seeker referred to a post and what became of it: ``referred`` (推荐)
  → ``hired`` (录用) or ``rejected`` (未录用) → ``working`` (在岗) → ``left`` (离岗), each step a
  service (services.py) with its date and the history's reason. A recipient's start of work
  counts as a service: it writes their 就业帮扶 service record (``Placement.service_record``).
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

from swstation.core.date_ranges import (
    Limit,
    date_errors,
    latest_plan_end,
    latest_record_day,
    not_before,
    record_floor,
)
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.identifiers import Sex
from swstation.recipients.protected_numbers import ProtectedNumbers

# The station's staff keep the seekers, posts and placements of their township; the bureaus
# (district, city) and everyone else read them, the auditors with the numbers masked.
STATION_STAFF = frozenset({Role.STATION_MANAGER, Role.SOCIAL_WORKER})
EMPLOYMENT_PERMISSIONS = RolePermissions(
    view=ALL_ROLES,
    add=STATION_STAFF,
    change=STATION_STAFF,
    delete=frozenset({Role.STATION_MANAGER}),
)

ALL_MONTHS = (1 << 12) - 1
PAY_MAX = 100_000


def month_mask(months: "list[int] | tuple[int, ...] | set[int]") -> int:
    """The bit set of ``months`` (1–12): bit 0 is January."""
    mask = 0
    for month in months:
        if not 1 <= int(month) <= 12:
            raise ValueError(month)
        mask |= 1 << (int(month) - 1)
    return mask


def mask_months(mask: int) -> list[int]:
    """The months (1–12) of a bit set, in order."""
    return [month for month in range(1, 13) if mask & (1 << (month - 1))]


def window_mask(start: date, end: date) -> int:
    """The months a window from ``start`` to ``end`` touches (a window over New Year wraps)."""
    if end < start:
        return 0
    if (end.year - start.year) * 12 + end.month - start.month >= 11:
        return ALL_MONTHS
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return month_mask(months)


def months_label(mask: int) -> str:
    """The months in runs: 1–3月、5月、11–12月 (short enough for a phone's table cell)."""
    if mask == ALL_MONTHS:
        return str(_("all year"))
    runs: list[list[int]] = []
    for month in mask_months(mask):
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return "、".join(
        str(_("month %(month)d") % {"month": run[0]})
        if len(run) == 1
        else str(_("months %(first)d–%(last)d") % {"first": run[0], "last": run[-1]})
        for run in runs
    )


class SeekerStatus(models.TextChoices):
    SEEKING = "seeking", _("Seeking work")
    PLACED = "placed", _("Placed")
    PAUSED = "paused", _("Paused")


class SeekerCategory(models.TextChoices):
    """Who the figures count (issue 14: 就业困难女性...)."""

    WOMEN_IN_DIFFICULTY = "women_in_difficulty", _("Woman with employment difficulty")
    FARMER = "farmer", _("Farmer (slack season)")
    LOW_INCOME = "low_income", _("Member of a low-income household")
    DISABLED = "disabled", _("Person with a disability")
    OTHER = "other", _("Other job seeker")


class TravelRange(models.TextChoices):
    """How far a seeker goes to work, by the region tree (ordered: each includes the one before)."""

    VILLAGE = "village", _("Same village only")
    TOWNSHIP = "township", _("Within the township")
    DISTRICT = "district", _("Within the district")


TRAVEL_ORDER = {TravelRange.VILLAGE: 0, TravelRange.TOWNSHIP: 1, TravelRange.DISTRICT: 2}


def _in_area(region: object, area: object) -> bool:
    return str(getattr(region, "code", "")).startswith(str(getattr(area, "prefix", "-")))


CONSTRAINT_LABELS = {
    "child_care": _("cares for children"),
    "no_transport": _("has no transport"),
    "health_limits": _("health limits heavy work"),
}


class JobSeeker(ScopedModel, ProtectedNumbers):
    """A person a station helps into work (求职人员): a recipient or a resident of its township."""

    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("If the seeker is one of the station's recipients."),
    )
    name = models.CharField(_("full name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    category = models.CharField(
        _("category of job seeker"), max_length=25, choices=SeekerCategory.choices
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home village / community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    skills = models.CharField(
        _("skills"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 包装, 缝纫, 采茶, 年糕制作 (separated by 、 or commas)."),
    )
    work_wanted = models.CharField(
        _("work they can do"), max_length=200, blank=True, help_text=_("E.g. 流水线, 保洁, 帮厨.")
    )
    available_months = models.PositiveSmallIntegerField(
        _("months available"),
        default=ALL_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(ALL_MONTHS)],
    )
    hours_per_day = models.PositiveSmallIntegerField(
        _("hours a day"), default=8, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    child_care = models.BooleanField(_("cares for children"), default=False)
    no_transport = models.BooleanField(_("has no transport"), default=False)
    health_limits = models.BooleanField(
        _("health limits heavy work"), default=False, help_text=_("No heavy physical work.")
    )
    travel_range = models.CharField(
        _("how far they travel"),
        max_length=10,
        choices=TravelRange.choices,
        default=TravelRange.TOWNSHIP,
    )
    wanted_pay = models.DecimalField(
        _("wanted pay (yuan a day)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(PAY_MAX)],
    )
    paused = models.BooleanField(
        _("search paused"), default=False, help_text=_("Not looking for work for now.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SeekerStatus.choices,
        default=SeekerStatus.SEEKING,
        editable=False,
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)

    role_permissions = EMPLOYMENT_PERMISSIONS

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["station__name", "name", "pk"]
        indexes = [
            models.Index(fields=["status", "sex"]),
            models.Index(fields=["category"]),
            models.Index(fields=["name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="job_seeker_unique_id_number_hash",
                violation_error_message=_("A job seeker with this document number is recorded."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("employment:jobseeker", args=[self.pk])

    @property
    def months_display(self) -> str:
        return months_label(self.available_months)

    @property
    def constraints_display(self) -> str:
        labels = [
            str(CONSTRAINT_LABELS[name])
            for name in ("child_care", "no_transport", "health_limits")
            if getattr(self, name)
        ]
        return "、".join(labels)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        region = self.region if self.region_id else None
        station = self.station if self.station_id else None
        recipient = self.recipient if self.recipient_id else None
        if recipient is not None:
            region = self.region = recipient.region
            if recipient.sex and not self.sex:
                self.sex = recipient.sex
        if region is not None and region.level not in ("village", "township"):
            errors["region"] = str(
                _("Choose a village or community, not “%(region)s” (%(level)s).")
                % {"region": region.name, "level": region.get_level_display()}
            )
        elif region is not None and station is not None and not _in_area(region, station.region):
            errors["recipient" if recipient is not None else "region"] = str(
                _("%(region)s is not served by %(station)s.")
                % {"region": region.name, "station": station.name}
            )
        if not self.available_months:
            errors["available_months"] = str(_("Choose at least one month."))
        dates = date_errors(self, {"registered_on": (record_floor(), latest_record_day())})
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class PostStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class JobPost(ScopedModel):
    """Places an employer (a partner of kind enterprise) offers for a season (岗位)."""

    employer = models.ForeignKey(
        "linkage.Partner",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A partner of kind enterprise."),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("job title"), max_length=100)
    places = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    season_from = models.DateField(_("season from"))
    season_to = models.DateField(_("season to"))
    hours_per_day = models.PositiveSmallIntegerField(
        _("hours a day"), default=8, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    skills = models.CharField(
        _("skills wanted"), max_length=200, blank=True, help_text=_("Separated by 、 or commas.")
    )
    requirements = models.TextField(_("requirements"), blank=True)
    heavy_work = models.BooleanField(_("heavy physical work"), default=False)
    pay = models.DecimalField(
        _("pay (yuan a day)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(PAY_MAX)],
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("place of work"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The village or town where the work is."),
    )
    status = models.CharField(
        _("post status"), max_length=10, choices=PostStatus.choices, default=PostStatus.OPEN
    )
    posted_on = models.DateField(_("posted on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)

    role_permissions = EMPLOYMENT_PERMISSIONS

    class Meta:
        verbose_name = _("job post")
        verbose_name_plural = _("job posts")
        ordering = ["-season_from", "title", "pk"]
        indexes = [
            models.Index(fields=["status", "season_to"]),
            models.Index(fields=["season_from"]),
        ]

    def __str__(self) -> str:
        if not self.employer_id:
            return self.title
        return f"{self.title}（{self.employer.name}）"

    def get_absolute_url(self) -> str:
        return reverse("employment:jobpost", args=[self.pk])

    @property
    def months(self) -> int:
        if not (self.season_from and self.season_to):
            return 0
        return window_mask(self.season_from, self.season_to)

    def clean(self) -> None:
        from swstation.linkage.models import PartnerKind

        super().clean()
        errors: dict[str, str] = {}
        employer = self.employer if self.employer_id else None
        if employer is not None and employer.kind != PartnerKind.ENTERPRISE:
            errors["employer"] = str(
                _("%(name)s is not an enterprise: a job post names an enterprise partner.")
                % {"name": employer.name}
            )
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
                "posted_on": (record_floor(), latest_record_day()),
                "season_from": (record_floor(), latest_plan_end()),
                "season_to": (
                    not_before(self.season_from, _("the start of the season")),
                    latest_plan_end(),
                ),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class PlacementStatus(models.TextChoices):
    REFERRED = "referred", _("Referred to the employer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not hired")
    WORKING = "working", _("At work")
    LEFT = "left", _("Left the job")


# A placement that holds its post's place and its seeker (placed).
ACTIVE_PLACEMENT = (PlacementStatus.HIRED, PlacementStatus.WORKING)
# A placement that took one of the post's places (a seasonal place is filled once).
FILLING_PLACEMENT = (PlacementStatus.HIRED, PlacementStatus.WORKING, PlacementStatus.LEFT)
FINAL_PLACEMENT = frozenset({PlacementStatus.REJECTED, PlacementStatus.LEFT})
# The steps (services.py): from each state, the states it may go to.
NEXT_PLACEMENT_STATUS: dict[str, tuple[str, ...]] = {
    PlacementStatus.REFERRED: (PlacementStatus.HIRED, PlacementStatus.REJECTED),
    PlacementStatus.HIRED: (PlacementStatus.WORKING, PlacementStatus.LEFT),
    PlacementStatus.WORKING: (PlacementStatus.LEFT,),
    PlacementStatus.REJECTED: (),
    PlacementStatus.LEFT: (),
}


class Placement(ScopedModel):
    """A seeker referred to a post (推荐) and what became of it (录用 / 未录用 → 在岗 → 离岗)."""

    post = models.ForeignKey(
        JobPost, verbose_name=_("job post"), on_delete=models.PROTECT, related_name="placements"
    )
    seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PlacementStatus.choices,
        default=PlacementStatus.REFERRED,
        editable=False,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    starts_on = models.DateField(_("work starts on"), null=True, blank=True, editable=False)
    ends_on = models.DateField(_("work ended on"), null=True, blank=True, editable=False)
    pay = models.DecimalField(
        _("agreed pay (yuan a day)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    reason = models.TextField(_("why not hired or why left"), blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    # The service record the start of work wrote for a seeker who is a recipient (就业帮扶 counts
    # as a service: services.placement_start). One record per placement at most (one-to-one).
    # Deleting the record (a manager's correction) only unlinks it; a placement is deleted only
    # while referred, before any record, so a record never goes with its placement. No reverse
    # name: cases sits below employment and never names it.
    service_record = models.OneToOneField(
        "cases.ServiceRecord",
        verbose_name=_("service record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    scope_path: ClassVar[str | None] = "post__region__code"
    role_permissions = EMPLOYMENT_PERMISSIONS

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["status", "referred_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "seeker"],
                name="placement_once_per_post_and_seeker",
                violation_error_message=_("This seeker is already referred to this post."),
            )
        ]

    def __str__(self) -> str:
        if not (self.post_id and self.seeker_id):
            return str(_("placement"))
        return f"{self.seeker} → {self.post.title}"

    def get_absolute_url(self) -> str:
        return reverse("employment:placement", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = date_errors(self, {"referred_on": (record_floor(), latest_record_day())})
        if errors:
            raise ValidationError(errors)


# --- income follow-up (从输血到造血) -------------------------------------------------------------


class FollowUpInterval(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


INTERVAL_MONTHS: dict[str, int] = {FollowUpInterval.MONTHLY: 1, FollowUpInterval.QUARTERLY: 3}
INCOME_MAX = 1_000_000
INCOME_VALIDATORS = [MinValueValidator(0), MaxValueValidator(INCOME_MAX)]


def add_months(day: date, months: int) -> date:
    """``day`` ``months`` later, on the same day of the month or the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover  (every month has a 28th)


def income_fields(required: bool) -> tuple[models.DecimalField, models.DecimalField]:
    """A household's monthly income, in two parts: what it earns (劳动和经营收入: wages,
    farming, a small business) and what it is given (转移性收入: 低保, subsidies, aid). Their
    shares tell the move "从输血到造血" (from being given to earning)."""
    extra = {} if required else {"null": True, "blank": True}
    return (
        models.DecimalField(
            _("earned income (yuan a month)"),
            max_digits=9,
            decimal_places=2,
            validators=INCOME_VALIDATORS,
            help_text=_("Wages, farming and business income of the whole household."),
            **extra,  # type: ignore[arg-type]
        ),
        models.DecimalField(
            _("income given (yuan a month)"),
            max_digits=9,
            decimal_places=2,
            validators=INCOME_VALIDATORS,
            help_text=_("Minimum living allowance, subsidies and aid of the whole household."),
            **extra,  # type: ignore[arg-type]
        ),
    )


class IncomeFollowUp(ScopedModel):
    """A low-income household followed by a livelihood project (收入跟踪): its monthly income
    before the project (the baseline) and, monthly or quarterly after, each
    :class:`IncomeCheck`. The household's village must be served by the project's station."""

    household = models.ForeignKey(
        "recipients.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="income_follow_ups",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("livelihood project"),
        on_delete=models.PROTECT,
        related_name="income_follow_ups",
    )
    interval = models.CharField(
        _("follow-up interval"),
        max_length=10,
        choices=FollowUpInterval.choices,
        default=FollowUpInterval.QUARTERLY,
    )
    started_on = models.DateField(
        _("baseline date"), help_text=_("The day the income before the project was taken.")
    )
    baseline_earned, baseline_given = income_fields(required=True)
    ended_on = models.DateField(
        _("follow-up ended on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the household is followed."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_path: ClassVar[str | None] = "household__region__code"
    role_permissions = EMPLOYMENT_PERMISSIONS

    class Meta:
        verbose_name = _("income follow-up")
        verbose_name_plural = _("income follow-ups")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "project"],
                name="income_follow_up_once_per_household_and_project",
                violation_error_message=_("This household is already followed by this project."),
            )
        ]

    def __str__(self) -> str:
        if not (self.household_id and self.project_id):
            return str(_("income follow-up"))
        return f"{self.household} · {self.project.name}"

    def get_absolute_url(self) -> str:
        return reverse("employment:incomefollowup", args=[self.pk])

    @property
    def baseline_total(self) -> Decimal:
        return (self.baseline_earned or Decimal(0)) + (self.baseline_given or Decimal(0))

    def next_due(self, last_checked: date | None) -> date | None:
        """The day the next check is due: an interval after the last check (or the baseline);
        none once the follow-up has ended."""
        if self.ended_on is not None or self.started_on is None:
            return None
        return add_months(last_checked or self.started_on, INTERVAL_MONTHS[self.interval])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        household = self.household if self.household_id else None
        project = self.project if self.project_id else None
        if household is not None and project is not None:
            station = project.station
            if not _in_area(household.region, station.region):
                errors["household"] = str(
                    _("%(household)s lives in %(region)s, which %(station)s does not serve.")
                    % {
                        "household": household,
                        "region": household.region.name,
                        "station": station.name,
                    }
                )
        dates = date_errors(
            self,
            {
                "started_on": (record_floor(), latest_record_day()),
                "ended_on": (
                    not_before(self.started_on, _("the baseline date")),
                    latest_record_day(),
                ),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class IncomeCheck(ScopedModel):
    """One measurement of a followed household's monthly income (收入回访), after the baseline."""

    follow_up = models.ForeignKey(
        IncomeFollowUp,
        verbose_name=_("income follow-up"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    checked_on = models.DateField(_("checked on"))
    earned, given = income_fields(required=True)
    note = models.TextField(_("note"), blank=True)

    scope_path: ClassVar[str | None] = "follow_up__household__region__code"
    role_permissions = EMPLOYMENT_PERMISSIONS

    class Meta:
        verbose_name = _("income check")
        verbose_name_plural = _("income checks")
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "checked_on"],
                name="income_check_once_a_day",
                violation_error_message=_("This household's income was already checked that day."),
            )
        ]

    def __str__(self) -> str:
        return str(_("income checked on %(day)s") % {"day": self.checked_on})

    def get_absolute_url(self) -> str:
        return reverse("employment:incomecheck", args=[self.pk])

    @property
    def total(self) -> Decimal:
        return (self.earned or Decimal(0)) + (self.given or Decimal(0))

    def clean(self) -> None:
        super().clean()
        follow_up = self.follow_up if self.follow_up_id else None
        latest = latest_record_day()
        if follow_up is not None and follow_up.ended_on and follow_up.ended_on < latest.day:
            latest = Limit(follow_up.ended_on, _("the end of the follow-up"))
        errors = date_errors(
            self,
            {
                "checked_on": (
                    not_before(follow_up.started_on if follow_up else None, _("the baseline date")),
                    latest,
                )
            },
        )
        if errors:
            raise ValidationError(errors)
