"""Stations and their construction (domain.md §1): the registry, rooms, agencies, the
construction standard as policy data, and the city's one-time subsidy per built station."""

from datetime import date
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.date_ranges import (
    check_dates,
    date_errors,
    history_floor,
    latest_plan_end,
    latest_plan_start,
    latest_record_day,
    record_floor,
)
from swstation.core.models import PolicyModel, ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, BUREAUS, MANAGERS
from swstation.regions.models import RegionLevel
from swstation.stations.portfolio import portfolio_categories


class StationKind(models.TextChoices):
    TOWNSHIP = "township", _("Township / street station")
    DISTRICT_HUB = "district_hub", _("District hub (social work head station)")
    SPECIAL = "special", _("Special station")
    OUTPOST = "outpost", _("Village / community outpost")


# Where each kind of station may stand (domain.md §1): a township station in a town or street,
# a district hub in a district, an outpost in a village or community, a special station anywhere
# above the village.
STATION_KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "township": ("township",),
    "district_hub": ("county",),
    "outpost": ("village",),
    "special": ("city", "county", "township"),
}


class SpecialKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise social work demonstration station")
    COMMUNITY_CORRECTION = "community_correction", _("Community correction social work station")
    SCHOOL = "school", _("School social work station")
    MEDICAL = "medical", _("Medical social work station")


class StationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")


class OperatingModel(models.TextChoices):
    COMMISSIONED_AGENCY = "commissioned_agency", _("Commissioned to a social work agency")
    DEDICATED_POSTS = "dedicated_posts", _("Dedicated social work posts")
    COMMUNITY_WORKER_ESTABLISHMENT = (
        "community_worker_establishment",
        _("Full-time community workers"),
    )
    COUNTY_RECRUITMENT = "county_recruitment", _("County recruitment, local deployment")


class RoomKind(models.TextChoices):
    OFFICE = "office", _("Social work office")
    CASEWORK_ROOM = "casework_room", _("Casework room")
    GROUP_ROOM = "group_room", _("Group activity room")
    MULTIPURPOSE_ROOM = "multipurpose_room", _("Multi-purpose room")
    ARCHIVE_ROOM = "archive_room", _("Archive room")
    OTHER = "other", _("Other room")


class SharedVenue(models.TextChoices):
    PARTY_SERVICE_CENTER = "party_service_center", _("Party and public service centre")
    CIVILIZATION_PRACTICE_CENTER = "civilization_practice_center", _("Civilisation practice centre")
    VETERANS_SERVICE_STATION = "veterans_service_station", _("Veterans service station")
    SOCIAL_ORGANIZATION_CENTER = (
        "social_organization_center",
        _("Social organisation service centre"),
    )
    HOME_CARE_CENTER = "home_care_center", _("Home-based elderly care centre")


class FundingSource(models.TextChoices):
    """The "four ones" (四个一) of domain.md §1, Guarantees."""

    CITY = "city", _("City subsidy")
    COUNTY = "county", _("County allocation")
    TOWNSHIP = "township", _("Township matching funds")
    SOCIAL = "social", _("Social resources")


def _choice_labels(values: list[str] | None, choices: type[models.TextChoices]) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(value, value)) for value in values or []]


class ServiceAgency(ScopedModel):
    """A social work service agency (社会工作服务机构) that runs stations and sends staff."""

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                _("A unified social credit code has 18 characters (digits and capitals)."),
            )
        ],
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("registered in"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    shared_downward: ClassVar[bool] = True
    role_permissions = RolePermissions(view=ALL_ROLES, add=BUREAUS, change=BUREAUS, delete=BUREAUS)
    personal_fields: ClassVar[tuple[str, ...]] = ("contact_phone",)

    class Meta:
        verbose_name = _("service agency")
        verbose_name_plural = _("service agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:serviceagency", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = date_errors(self, {"founded_on": (history_floor(), latest_record_day())})
        if errors:
            raise ValidationError(errors)


class Station(ScopedModel):
    """A social work station: township station, district hub, special station or outpost."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=StationKind.choices)
    special_kind = models.CharField(
        _("special station type"), max_length=30, choices=SpecialKind.choices, blank=True
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="stations",
    )
    parent_station = models.ForeignKey(
        "self",
        verbose_name=_("township station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outposts",
        help_text=_("For an outpost: the township station it belongs to."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StationStatus.choices, default=StationStatus.PLANNED
    )
    operating_model = models.CharField(
        _("operating model"), max_length=40, choices=OperatingModel.choices, blank=True
    )
    agency = models.ForeignKey(
        ServiceAgency,
        verbose_name=_("commissioned agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    has_sign = models.BooleanField(_("name sign outside"), default=False)
    # When the sign went up and came down (issue 18: compliance for a past period looks at the
    # sign the station had then). Kept in step with ``has_sign`` by clean().
    sign_installed_on = models.DateField(
        _("sign put up on"),
        null=True,
        blank=True,
        help_text=_("Empty with a sign: since the station opened."),
    )
    sign_removed_on = models.DateField(_("sign taken down on"), null=True, blank=True)
    suspended_on = models.DateField(
        _("suspended on"),
        null=True,
        blank=True,
        help_text=_("For a suspended station: the first day it no longer operated."),
    )
    note = models.TextField(_("note"), blank=True)

    role_permissions = RolePermissions(view=ALL_ROLES, add=BUREAUS, change=MANAGERS, delete=BUREAUS)
    personal_fields: ClassVar[tuple[str, ...]] = ("contact_phone",)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind="township"),
                name="one_township_station_per_township",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["opened_on"]),
            models.Index(fields=["operating_model"]),
            models.Index(fields=["special_kind"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:station", args=[self.pk])

    def operating_on(self, day: date) -> bool:
        """Open by ``day`` and not suspended on it (operating or suspended since)."""
        if self.opened_on is None or self.opened_on > day:
            return False
        if self.status == StationStatus.SUSPENDED:
            return self.suspended_on is not None and self.suspended_on > day
        return self.status == StationStatus.OPERATING

    def sign_up_on(self, day: date) -> bool:
        """Whether the name sign was up on ``day`` (the rule of stations.selectors)."""
        installed = self.sign_installed_on <= day if self.sign_installed_on else self.has_sign
        standing = self.sign_removed_on > day if self.sign_removed_on else self.has_sign
        return installed and standing

    def _clean_dated_states(self) -> dict[str, str]:
        """The dates of the sign and of a suspension follow ``has_sign`` and ``status``: a sign
        ticked without a date went up when the station opened (or today); a sign unticked came
        down today; a suspension without a date began today; a station operating again has
        none."""
        today = timezone.localdate()
        errors: dict[str, str] = {}
        if self.has_sign:
            if self.sign_removed_on:
                errors["sign_removed_on"] = str(
                    _("The sign is up: clear the date it was taken down, or untick the sign.")
                )
            elif not self.sign_installed_on:
                opened = self.opened_on
                self.sign_installed_on = opened if opened and opened <= today else today
        elif self.sign_installed_on and not self.sign_removed_on:
            self.sign_removed_on = max(today, self.sign_installed_on)
        if self.sign_removed_on and not self.sign_installed_on:
            errors["sign_installed_on"] = str(_("Give the date the sign was put up."))
        elif (
            self.sign_installed_on
            and self.sign_removed_on
            and self.sign_removed_on < self.sign_installed_on
        ):
            errors["sign_removed_on"] = str(_("The sign was taken down before it was put up."))
        if self.status == StationStatus.SUSPENDED:
            if not self.suspended_on:
                self.suspended_on = today
            if self.opened_on and self.suspended_on < self.opened_on:
                errors["suspended_on"] = str(_("The station was suspended before it opened."))
        elif self.suspended_on:
            errors["suspended_on"] = str(_("Only a suspended station has a suspension date."))
        errors.update(
            date_errors(
                self,
                {
                    "sign_installed_on": (history_floor(), latest_record_day()),
                    "sign_removed_on": (None, latest_record_day()),
                    "suspended_on": (record_floor(), latest_record_day()),
                },
            )
        )
        return errors

    def clean(self) -> None:
        """Where each kind of station may stand (domain.md §1) and what its status implies."""
        super().clean()
        errors: dict[str, str] = {}
        region = getattr(self, "region", None)
        if region is not None:
            expected = STATION_KIND_LEVELS.get(self.kind)
            if expected and region.level not in expected:
                errors["region"] = str(
                    _("A %(kind)s must be placed in a region of level: %(levels)s.")
                ) % {
                    "kind": self.get_kind_display(),
                    "levels": "、".join(str(RegionLevel(level).label) for level in expected),
                }
            if self.kind == StationKind.TOWNSHIP and region.is_development_zone:
                errors["region"] = str(
                    _("Development zones are not towns or streets and get no township station.")
                )
        if self.kind == StationKind.SPECIAL and not self.special_kind:
            errors["special_kind"] = str(_("Say which kind of special station this is."))
        if self.kind != StationKind.SPECIAL and self.special_kind:
            errors["special_kind"] = str(_("Only special stations have a special type."))
        if self.kind == StationKind.OUTPOST:
            parent = self.parent_station
            if parent is None:
                errors["parent_station"] = str(_("An outpost belongs to a township station."))
            elif region is not None and (
                parent.kind != StationKind.TOWNSHIP
                or not region.code.startswith(parent.region.prefix)
            ):
                errors["parent_station"] = str(
                    _("The outpost's village is not in this station's township.")
                )
        elif self.parent_station_id:
            errors["parent_station"] = str(_("Only outposts belong to another station."))
        if self.operating_model == OperatingModel.COMMISSIONED_AGENCY and not self.agency_id:
            errors["agency"] = str(_("A commissioned station names the agency that runs it."))
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = str(_("The contract ends before it starts."))
        if self.status in (StationStatus.OPERATING, StationStatus.SUSPENDED) and not self.opened_on:
            errors["opened_on"] = str(_("An operating or suspended station has an opening date."))
        errors.update(self._clean_dated_states())
        # Plausible dates (core/date_ranges.py): a planned opening or contract at most a year
        # ahead.
        errors.update(
            date_errors(
                self,
                {
                    "opened_on": (record_floor(), latest_plan_start()),
                    "contract_start": (record_floor(), latest_plan_start()),
                    "contract_end": (None, latest_plan_end()),
                },
            )
        )
        if errors:
            raise ValidationError(errors)


class Room(ScopedModel):
    """A room of a station (实体化), possibly shared with an integrated venue."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="rooms"
    )
    kind = models.CharField(_("room type"), max_length=20, choices=RoomKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=7, decimal_places=1, validators=[MinValueValidator(1)]
    )
    shared_with = models.CharField(
        _("shared with"),
        max_length=40,
        choices=SharedVenue.choices,
        blank=True,
        help_text=_("Empty when the room is the station's own."),
    )
    # Compliance for a past period counts the rooms the station had then (issue 18).
    in_use_from = models.DateField(
        _("in use from"), null=True, blank=True, help_text=_("Empty: since the station opened.")
    )
    in_use_to = models.DateField(
        _("in use until"), null=True, blank=True, help_text=_("Empty: still in use.")
    )

    scope_path: ClassVar[str | None] = "station__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["station__name", "kind"]

    def __str__(self) -> str:
        return f"{self.station} · {self.name or self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("stations:room", args=[self.pk])

    def in_use_on(self, day: date) -> bool:
        return (self.in_use_from is None or self.in_use_from <= day) and (
            self.in_use_to is None or self.in_use_to >= day
        )

    def clean(self) -> None:
        super().clean()
        more: dict[str, str] = {}
        if self.in_use_from and self.in_use_to and self.in_use_to < self.in_use_from:
            more["in_use_to"] = str(_("The room is given up before it is in use."))
        check_dates(
            self,
            {
                "in_use_from": (history_floor(), latest_plan_start()),
                "in_use_to": (None, latest_plan_end()),
            },
            **more,
        )


class ConstructionStandard(PolicyModel):
    """What a station must have (domain.md §1, §5 "Station compliance"), as policy data."""

    name = models.CharField(_("name"), max_length=100)
    station_kinds = models.JSONField(
        _("applies to station kinds"),
        default=list,
        help_text=_("Station kinds this standard applies to."),
    )
    required_rooms = models.JSONField(_("required rooms"), default=list, blank=True)
    requires_sign = models.BooleanField(_("requires a name sign"), default=True)
    min_fulltime_staff = models.PositiveSmallIntegerField(_("minimum full-time staff"), default=3)
    requires_portfolio = models.BooleanField(
        _("requires a complete 1+X+1 project portfolio"),
        default=True,
        help_text=_("Checked against the minimums by category below."),
    )
    # The "1+X+1" rule as data (issue 12): category code → the least number of projects of
    # that category the station runs in the year; empty: the portfolio is not assessed.
    portfolio_minimums = models.JSONField(
        _("projects required by category"),
        default=dict,
        blank=True,
        help_text=_("The least number of projects of each category a station runs in the year."),
    )

    class Meta:
        verbose_name = _("construction standard")
        verbose_name_plural = _("construction standards")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:constructionstandard", args=[self.pk])

    def get_station_kinds_display(self) -> list[str]:
        return _choice_labels(self.station_kinds, StationKind)

    def get_required_rooms_display(self) -> list[str]:
        return _choice_labels(self.required_rooms, RoomKind)

    def get_portfolio_minimums_display(self) -> list[str]:
        """ "困弱群体服务项目 ≥ 1": each category asked for, by the projects app's names."""
        names = dict(portfolio_categories())
        return [
            f"{names.get(code, code)} ≥ {n}"
            for code, n in sorted((self.portfolio_minimums or {}).items())
            if n
        ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        unknown_rooms = set(self.required_rooms or []) - set(RoomKind.values)
        unknown_kinds = set(self.station_kinds or []) - set(StationKind.values)
        if unknown_rooms:
            errors["required_rooms"] = _("Unknown room types: %s") % ", ".join(
                sorted(unknown_rooms)
            )
        if unknown_kinds:
            errors["station_kinds"] = _("Unknown station kinds: %s") % ", ".join(
                sorted(unknown_kinds)
            )
        portfolio = self.portfolio_minimums or {}
        known = {code for code, _label in portfolio_categories()}
        if not isinstance(portfolio, dict) or any(
            not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in portfolio.values()
        ):
            errors["portfolio_minimums"] = str(
                _("Give each category a whole number of projects, 0 or more.")
            )
        elif known and set(portfolio) - known:
            errors["portfolio_minimums"] = str(_("Unknown project categories: %s")) % ", ".join(
                sorted(set(portfolio) - known)
            )
        if errors:
            raise ValidationError(errors)


class SubsidyPolicy(PolicyModel):
    """A subsidy rule, e.g. the city's one-time 50,000 yuan per built township station."""

    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    station_kinds = models.JSONField(_("applies to station kinds"), default=list)
    one_time = models.BooleanField(_("one-time per station"), default=True)

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["-valid_from", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:subsidypolicy", args=[self.pk])

    def get_station_kinds_display(self) -> list[str]:
        return _choice_labels(self.station_kinds, StationKind)

    def clean(self) -> None:
        super().clean()
        unknown_kinds = set(self.station_kinds or []) - set(StationKind.values)
        if unknown_kinds:
            raise ValidationError(
                {"station_kinds": _("Unknown station kinds: %s") % ", ".join(sorted(unknown_kinds))}
            )
