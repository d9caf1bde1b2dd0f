"""The money behind the stations: the "four ones" (四个一) of domain.md §1, Guarantees, and
issue 12, "Funds".

- A :class:`Funder` gives money at one tier (``stations.FundingSource``): 市级补助一点 ``city``
  (市民政局), 县级安排一点 ``county`` (区县民政局, fiscal money and 福彩公益金), 乡镇(街道)配套一点
  ``township`` (the town or street), 社会资源链接一点 ``social`` (charities such as the city's
  charity base 宁波市甬尚慈善社工服务中心, enterprises such as 雅戈尔集团, foundations such as
  鄞州's 社区发展基金会, donors).
- A :class:`Grant` is money a funder gives to a station, a project or a programme (document
  number, date, purpose, restrictions). A programme's donation (美好家园) is split across
  stations by grants whose ``parent`` is the donation: the shares never add up to more than
  the donation, and what is left is its remainder. The city's one-time subsidy per built
  station is a grant under a ``stations.SubsidyPolicy`` (``policy``): one ledger.
- A :class:`PurchaseContract` is a government purchase of services (政府购买服务): a township
  or a district buys the running of a station or a project from a service agency, paid in
  :class:`ContractInstalment` s; the final one (尾款) may be held pending the evaluation.
- An :class:`Expense` is a line of spending against a grant or a contract. Spending never
  exceeds what was granted unless someone at the funder's level overrides it, by name
  (``services.expense_create``).

Every amount is ``Decimal`` yuan with two places.
"""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
from swstation.core.roles import ALL_ROLES, BUREAUS, MANAGERS, Role
from swstation.projects.models import Project
from swstation.regions.models import RegionLevel
from swstation.stations.models import FundingSource, ServiceAgency, Station, SubsidyPolicy

# Every record of the funds family is read by the bureaus, managers and auditors (never by the
# front-line worker or the supervisor) and written by the managers; which tier of money a user
# may keep is checked by the services (selectors.may_keep_tier), not here.
FUNDS_PERMISSIONS = RolePermissions(
    view=ALL_ROLES - {Role.SOCIAL_WORKER, Role.SUPERVISOR},
    add=MANAGERS,
    change=MANAGERS,
    delete=MANAGERS,
)

# The tiers of the "four ones" are the stations' funding sources (one list of four).
Tier = FundingSource

CENT = Decimal("0.01")
MONEY_MIN = [MinValueValidator(CENT)]
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]

# Who keeps the money of each tier (services): the city's by the city bureau, a district's by
# the bureaus, a town's and social money by the managers (the station manager records the
# town's and the donors' money that comes to the station).
TIER_KEEPERS: dict[str, frozenset[str]] = {
    Tier.CITY: frozenset({Role.CITY_ADMIN}),
    Tier.COUNTY: BUREAUS,
    Tier.TOWNSHIP: MANAGERS,
    Tier.SOCIAL: MANAGERS,
}

# Who may let spending exceed what was granted: the role at the funder's level (the level of
# the funder's region, or of the purchaser), with the city bureau above every level.
LEVEL_OVERRIDERS: dict[str, frozenset[str]] = {
    "city": frozenset({Role.CITY_ADMIN}),
    "county": BUREAUS,
    "township": MANAGERS,
    "village": MANAGERS,
}


def money(value: Decimal | int | float | str | None) -> Decimal:
    """An amount as Decimal yuan with two places (None counts as 0)."""
    return Decimal(value or 0).quantize(CENT)


class FunderKind(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")
    TOWNSHIP_GOVERNMENT = "township_government", _("Township or street government")
    CHARITY = "charity", _("Charity organisation")
    ENTERPRISE = "enterprise", _("Enterprise")
    FOUNDATION = "foundation", _("Foundation")
    DONOR = "donor", _("Individual donor")
    OTHER = "other", _("Other funder")


class FundType(models.TextChoices):
    """What kind of money a grant is (区县民政局 gives fiscal money and 福彩公益金)."""

    FISCAL = "fiscal", _("Fiscal funds")
    WELFARE_LOTTERY = "welfare_lottery", _("Welfare lottery funds")
    SPECIAL_FUND = "special_fund", _("Pooled special funds")
    DONATION = "donation", _("Donation")


class ExpenseCategory(models.TextChoices):
    STAFF = "staff", _("Staff costs")
    ACTIVITIES = "activities", _("Activities")
    MATERIALS = "materials", _("Materials")
    TRAINING = "training", _("Training")
    SUPERVISION = "supervision", _("Supervision")
    ADMIN = "admin", _("Administration")


class Funder(ScopedModel):
    """Who gives money, at one tier of the "four ones", registered at a region (the city's
    bureau at the city, a district's at the district, a town at the town; a charity or an
    enterprise where it is registered). A higher level's funders are read below."""

    name = models.CharField(_("funder name"), max_length=100)
    kind = models.CharField(_("kind of funder"), max_length=30, choices=FunderKind.choices)
    tier = models.CharField(
        _("tier of the four ones"), max_length=10, choices=FundingSource.choices
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("registered in"),
        on_delete=models.PROTECT,
        related_name="funders",
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)

    shared_downward: ClassVar[bool] = True
    role_permissions = FUNDS_PERMISSIONS

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["tier", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="funder_unique_name_in_region",
                violation_error_message=_("A funder of this name is already registered here."),
            )
        ]
        indexes = [models.Index(fields=["tier"]), models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:funder", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        region = self.region if self.region_id else None
        if region is None or not self.tier:
            return
        # A public tier belongs to its level: the city's money is the city's, a district's the
        # district's, a town's the town's.
        level = {Tier.CITY: "city", Tier.COUNTY: "county", Tier.TOWNSHIP: "township"}.get(
            Tier(self.tier)
        )
        if level is not None and region.level != level:
            raise ValidationError(
                {
                    "region": _(
                        "Money of the tier “%(tier)s” is given at the level of a %(level)s; "
                        "%(region)s is not one."
                    )
                    % {
                        "tier": self.get_tier_display(),
                        "level": region_level_label(level),
                        "region": region.name,
                    }
                }
            )


def region_level_label(level: str) -> str:
    return str(dict(RegionLevel.choices).get(level, level))


class GrantStatus(models.TextChoices):
    PAYABLE = "payable", _("Payable")
    PAID = "paid", _("Paid")


class Grant(ScopedModel):
    """Money a funder gives to a station, a project or a programme; a share of a programme's
    donation (``parent``); or a subsidy under a policy (the city's 50,000 yuan per station)."""

    funder = models.ForeignKey(
        Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="grants"
    )
    tier = models.CharField(
        _("tier of the four ones"),
        max_length=10,
        choices=FundingSource.choices,
        editable=False,
        help_text=_("The funder's tier."),
    )
    fund_type = models.CharField(
        _("kind of money"), max_length=20, choices=FundType.choices, default=FundType.FISCAL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("share of the donation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
        help_text=_("For a share of a programme's donation: the donation it is split from."),
    )
    policy = models.ForeignKey(
        SubsidyPolicy,
        verbose_name=_("subsidy policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        help_text=_("For a subsidy: the policy it is paid under."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="grants",
        help_text=_("Where the money goes: the station's region, or the programme's."),
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=MONEY_MIN
    )
    year = models.PositiveSmallIntegerField(_("budget year"), validators=YEAR_VALIDATORS)
    document_number = models.CharField(_("funding document number"), max_length=60, blank=True)
    granted_on = models.DateField(_("granted on"))
    purpose = models.CharField(_("use of the money"), max_length=200)
    restrictions = models.TextField(_("restrictions on use"), blank=True)
    paid_on = models.DateField(
        _("paid on"), null=True, blank=True, help_text=_("Empty: not yet paid out.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    role_permissions = FUNDS_PERMISSIONS

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-year", "-granted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "policy"],
                condition=Q(policy__isnull=False),
                name="one_grant_per_station_and_subsidy_policy",
                violation_error_message=_("This station already has a subsidy under the policy."),
            )
        ]
        indexes = [
            models.Index(fields=["year", "tier"]),
            models.Index(fields=["granted_on"]),
            models.Index(fields=["paid_on"]),
            models.Index(fields=["programme"]),
        ]

    def __str__(self) -> str:
        target = self.station or self.project or self.programme or self.region
        return f"{self.funder} → {target} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("funds:grant", args=[self.pk])

    @property
    def status(self) -> str:
        return GrantStatus.PAID if self.paid_on else GrantStatus.PAYABLE

    def get_status_display(self) -> str:
        return str(GrantStatus(self.status).label)

    @property
    def is_subsidy(self) -> bool:
        return self.policy_id is not None

    def clean(self) -> None:
        """Rules for every writer: where the money goes follows from the project or the
        station; a share keeps its donation's funder; the dates are plausible."""
        super().clean()
        errors: dict[str, str] = {}
        project = self.project if self.project_id else None
        station = self.station if self.station_id else None
        if project is not None:
            if station is not None and station.pk != project.station_id:
                errors["station"] = str(
                    _("Project “%(project)s” is run by %(station)s, not by this station.")
                    % {"project": project, "station": project.station}
                )
            station = project.station
            self.station = station
        if station is not None:
            self.region = station.region
        funder = self.funder if self.funder_id else None
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if parent.parent_id is not None:
                errors["parent"] = str(_("A share is split from a donation, not from a share."))
            if funder is not None and parent.funder_id != funder.pk:
                errors["funder"] = str(
                    _("A share of a donation keeps its funder: %(funder)s.")
                    % {"funder": parent.funder}
                )
            if self.pk and parent.pk == self.pk:
                errors["parent"] = str(_("A donation is not a share of itself."))
        if funder is not None:
            self.tier = funder.tier
        if self.policy_id and station is None:
            errors["station"] = str(_("A subsidy is paid to a station."))
        policy = self.policy if self.policy_id else None
        if policy is not None and funder is not None and policy.source != funder.tier:
            errors["funder"] = str(
                _("The policy is money of the tier “%(tier)s”; %(funder)s gives another.")
                % {"tier": policy.get_source_display(), "funder": funder}
            )
        if self.year and self.granted_on and abs(self.granted_on.year - self.year) > 1:
            errors["year"] = str(
                _("The budget year %(year)s is far from the day granted (%(day)s).")
                % {"year": self.year, "day": self.granted_on.isoformat()}
            )
        dates = date_errors(
            self,
            {
                "granted_on": (record_floor(), latest_record_day()),
                "paid_on": (
                    not_before(self.granted_on, _("the day granted")) or record_floor(),
                    latest_record_day(),
                ),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class PurchaseContract(ScopedModel):
    """Government purchase of services (政府购买服务): a township or a district (the
    purchaser, whose money it is) buys from a service agency the running of a station or a
    project, for a period and an amount paid in instalments."""

    number = models.CharField(_("contract number"), max_length=60)
    title = models.CharField(_("contract title"), max_length=150)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="purchase_contracts",
        help_text=_("The township, street or district that buys the services."),
    )
    tier = models.CharField(
        _("tier of the four ones"),
        max_length=10,
        choices=FundingSource.choices,
        editable=False,
        help_text=_("The purchaser's level."),
    )
    agency = models.ForeignKey(
        ServiceAgency,
        verbose_name=_("service agency"),
        on_delete=models.PROTECT,
        related_name="purchase_contracts",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_contracts",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchase_contracts",
    )
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("service starts on"))
    ends_on = models.DateField(_("service ends on"))
    amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=14, decimal_places=2, validators=MONEY_MIN
    )
    deliverables = models.TextField(_("deliverables"))
    note = models.TextField(_("note"), blank=True)

    role_permissions = FUNDS_PERMISSIONS

    class Meta:
        verbose_name = _("purchase contract")
        verbose_name_plural = _("purchase contracts")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "number"],
                name="purchase_contract_unique_number",
                violation_error_message=_("The purchaser already has a contract of this number."),
            )
        ]
        indexes = [models.Index(fields=["starts_on"]), models.Index(fields=["tier"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("funds:purchasecontract", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        region = self.region if self.region_id else None
        if region is not None:
            tier = {"city": Tier.CITY, "county": Tier.COUNTY, "township": Tier.TOWNSHIP}.get(
                region.level
            )
            if tier is None:
                errors["region"] = str(
                    _("A township, a street or a district buys the services, not %(region)s.")
                    % {"region": region.name}
                )
            else:
                self.tier = tier
        project = self.project if self.project_id else None
        station = self.station if self.station_id else None
        if project is not None:
            if station is not None and station.pk != project.station_id:
                errors["station"] = str(
                    _("Project “%(project)s” is run by %(station)s, not by this station.")
                    % {"project": project, "station": project.station}
                )
            station = project.station
            self.station = station
        if station is None:
            errors["station"] = str(_("Name the station whose running (or project) is bought."))
        elif region is not None and not station.region.code.startswith(region.prefix):
            errors["station"] = str(
                _("%(station)s is not in %(region)s, which buys the services.")
                % {"station": station, "region": region.name}
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = str(_("The service ends before it starts."))
        dates = date_errors(
            self,
            {
                "signed_on": (record_floor(), latest_record_day()),
                "starts_on": (record_floor(), latest_plan_start()),
                "ends_on": (None, latest_plan_end()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class ContractInstalment(ScopedModel):
    """One payment of a purchase contract: due on a day, paid on a day; the final one (尾款)
    may be held until the evaluation has been passed."""

    contract = models.ForeignKey(
        PurchaseContract,
        verbose_name=_("purchase contract"),
        on_delete=models.CASCADE,
        related_name="instalments",
    )
    sequence = models.PositiveSmallIntegerField(
        _("instalment number"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=MONEY_MIN
    )
    deliverable = models.CharField(_("deliverable due"), max_length=200, blank=True)
    is_final = models.BooleanField(_("final payment (尾款)"), default=False)
    held = models.BooleanField(
        _("held pending evaluation"),
        default=False,
        editable=False,
        help_text=_("A final payment held until the station or project passes its evaluation."),
    )
    hold_reason = models.CharField(_("why it is held"), max_length=200, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)

    scope_path: ClassVar[str | None] = "contract__region__code"
    role_permissions = FUNDS_PERMISSIONS

    class Meta:
        verbose_name = _("contract instalment")
        verbose_name_plural = _("contract instalments")
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "sequence"],
                name="instalment_unique_sequence",
                violation_error_message=_("The contract already has an instalment of this number."),
            )
        ]
        indexes = [models.Index(fields=["due_on"]), models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return str(
            _("%(contract)s · instalment %(n)s")
            % {"contract": self.contract.number, "n": self.sequence}
        )

    def get_absolute_url(self) -> str:
        return reverse("funds:contractinstalment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.paid_on is None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        contract = self.contract if self.contract_id else None
        if (
            contract is not None
            and self.due_on
            and contract.signed_on
            and self.due_on < contract.signed_on
        ):
            errors["due_on"] = str(
                _("An instalment falls due after the contract is signed (%(day)s).")
                % {"day": contract.signed_on.isoformat()}
            )
        if self.held and not self.is_final:
            errors["is_final"] = str(_("Only the final payment is held pending evaluation."))
        if self.held and self.paid_on:
            errors["paid_on"] = str(_("A held payment is released before it is paid."))
        dates = date_errors(
            self,
            {
                "due_on": (record_floor(), latest_plan_end()),
                "paid_on": (record_floor(), latest_record_day()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class Expense(ScopedModel):
    """A line of spending against one grant or one purchase contract, with its voucher."""

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    contract = models.ForeignKey(
        PurchaseContract,
        verbose_name=_("purchase contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="expenses",
        editable=False,
    )
    spent_on = models.DateField(_("spent on"))
    category = models.CharField(
        _("spending category"), max_length=20, choices=ExpenseCategory.choices
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=MONEY_MIN
    )
    voucher_number = models.CharField(_("voucher number"), max_length=60)
    description = models.CharField(_("what was paid for"), max_length=200, blank=True)
    override_reason = models.CharField(
        _("reason for spending beyond the grant"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only when this line takes the spending beyond what was granted; only someone at "
            "the funder's level may allow it."
        ),
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overspending allowed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    role_permissions = FUNDS_PERMISSIONS

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grant__isnull=False, contract__isnull=True)
                | Q(grant__isnull=True, contract__isnull=False),
                name="expense_against_grant_or_contract",
                violation_error_message=_("Spending is against one grant or one contract."),
            )
        ]
        indexes = [models.Index(fields=["spent_on"]), models.Index(fields=["category"])]

    def __str__(self) -> str:
        return f"{self.voucher_number} · {self.get_category_display()} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("funds:expense", args=[self.pk])

    @property
    def source(self) -> Grant | PurchaseContract | None:
        return self.grant if self.grant_id else (self.contract if self.contract_id else None)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if bool(self.grant_id) == bool(self.contract_id):
            errors["grant"] = str(_("Choose the grant or the contract the money came from, one."))
        source = self.source
        if source is not None:
            self.region = source.region
        floor = record_floor()
        if isinstance(source, Grant) and source.granted_on:
            floor = not_before(source.granted_on, _("the day granted")) or floor
        elif isinstance(source, PurchaseContract) and source.signed_on:
            floor = not_before(source.signed_on, _("the day the contract was signed")) or floor
        dates = date_errors(self, {"spent_on": (floor, latest_record_day())})
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)
