"""Reads of the funds (issue 12, "Funds"; domain.md §1 Guarantees "四个一", §5 "funds by
source (四个一) and year").

Every function starts from ``Model.objects.visible_to(actor)``. The figures are sums in SQL over
the records (a fixed number of queries whatever their number), never typed in:

- **funds of a year by tier**: the grants of that budget year, each counted for the money it
  keeps (its amount less the shares split from it, so that a programme's donation and its
  shares are counted once: the shares where they went, the remainder where the donation is),
  plus the contract instalments falling due that year, by the purchaser's tier;
- **spending** of a year: the expense lines dated in it; the **spending rate** is spending ÷
  funds of the year;
- **open instalments**: instalments not paid yet (the held final payments among them).

The same sums per area (the districts of the city, the towns of a district, the stations of a
town) add up to the whole: ``tests/funds/test_figures.py`` adds up every view.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from swstation.core.actors import SYSTEM, Actor
from swstation.core.numbers import format_money, format_number
from swstation.core.permissions import user_can, user_has_role
from swstation.core.scoping import user_scope_prefix
from swstation.funds.models import (
    LEVEL_OVERRIDERS,
    TIER_KEEPERS,
    ContractInstalment,
    Expense,
    Funder,
    Grant,
    GrantStatus,
    PurchaseContract,
    Tier,
    money,
)
from swstation.projects.models import Project
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station, SubsidyPolicy

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
TIERS: tuple[str, ...] = tuple(Tier.values)


def _sum(field_name: str, **filters: Any) -> Coalesce:
    return Coalesce(
        Sum(field_name, filter=Q(**filters) if filters else None), Value(ZERO), output_field=MONEY
    )


def _correlated_sum(model: type[Any], fk: str, field_name: str = "amount") -> Coalesce:
    rows = (
        model._default_manager.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(total=Sum(field_name))
        .values("total")[:1]
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


# --- lists ---------------------------------------------------------------------------------------


def funder_list(*, actor: Actor) -> QuerySet[Funder]:
    return Funder.objects.visible_to(actor).select_related("region")


def grant_list(*, actor: Actor) -> QuerySet[Grant]:
    """Grants with ``allocated`` (shares split from them), ``spent`` (expense lines) and
    ``balance`` (amount − allocated − spent)."""
    queryset: QuerySet[Grant] = (
        Grant.objects.visible_to(actor)
        .select_related("funder", "region", "station", "project", "parent", "policy")
        .annotate(
            allocated=_correlated_sum(Grant, "parent"),
            spent=_correlated_sum(Expense, "grant"),
        )
    )
    return queryset


def purchase_contract_list(*, actor: Actor) -> QuerySet[PurchaseContract]:
    """Contracts with ``scheduled`` (instalments), ``paid`` (instalments paid) and ``spent``."""
    paid = (
        ContractInstalment.objects.filter(contract=OuterRef("pk"), paid_on__isnull=False)
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    queryset: QuerySet[PurchaseContract] = (
        PurchaseContract.objects.visible_to(actor)
        .select_related("region", "agency", "station", "project")
        .annotate(
            scheduled=_correlated_sum(ContractInstalment, "contract"),
            paid=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
            spent=_correlated_sum(Expense, "contract"),
        )
    )
    return queryset


def contract_instalment_list(*, actor: Actor) -> QuerySet[ContractInstalment]:
    return ContractInstalment.objects.visible_to(actor).select_related(
        "contract", "contract__region", "contract__agency", "contract__station"
    )


def expense_list(*, actor: Actor) -> QuerySet[Expense]:
    return Expense.objects.visible_to(actor).select_related(
        "grant",
        "grant__funder",
        "grant__station",
        "grant__project",
        "grant__region",
        "contract",
        "region",
        "override_by",
    )


# --- one record ----------------------------------------------------------------------------------


def grant_allocations(*, actor: Actor, grant: Grant) -> list[Grant]:
    """The shares of a donation the actor may see (a district sees its own stations')."""
    return list(grant_list(actor=actor).filter(parent=grant).order_by("region__code", "pk"))


def grant_expenses(*, actor: Actor, grant: Grant) -> QuerySet[Expense]:
    return expense_list(actor=actor).filter(grant=grant)


def contract_instalments(*, actor: Actor, contract: PurchaseContract) -> list[ContractInstalment]:
    return list(contract_instalment_list(actor=actor).filter(contract=contract))


def contract_expenses(*, actor: Actor, contract: PurchaseContract) -> QuerySet[Expense]:
    return expense_list(actor=actor).filter(contract=contract)


@dataclass
class Balance:
    """What a grant or a contract holds: ``amount`` = ``allocated`` (shares passed on) +
    ``spent`` + ``balance``. For a contract ``allocated`` is 0 and ``scheduled``/``paid`` say
    how much of it falls due in instalments and was paid."""

    amount: Decimal
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    scheduled: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        """What may still be spent: the amount less the shares passed on."""
        return money(self.amount - self.allocated)

    @property
    def balance(self) -> Decimal:
        return money(self.amount - self.allocated - self.spent)

    @property
    def unscheduled(self) -> Decimal:
        return money(self.amount - self.scheduled)

    @property
    def spending_rate(self) -> float | None:
        return float(self.spent / self.available) if self.available else None


def grant_balance(grant: Grant) -> Balance:
    """The balance of one grant, from its rows (not from the caller's view of them: a district
    officer is told the whole donation's remainder, not only their stations' shares)."""
    allocated = Grant.objects.filter(parent=grant).aggregate(t=_sum("amount"))["t"]
    spent = Expense.objects.filter(grant=grant).aggregate(t=_sum("amount"))["t"]
    return Balance(amount=money(grant.amount), allocated=money(allocated), spent=money(spent))


def contract_balance(contract: PurchaseContract) -> Balance:
    sums = ContractInstalment.objects.filter(contract=contract).aggregate(
        scheduled=_sum("amount"), paid=_sum("amount", paid_on__isnull=False)
    )
    spent = Expense.objects.filter(contract=contract).aggregate(t=_sum("amount"))["t"]
    return Balance(
        amount=money(contract.amount),
        spent=money(spent),
        scheduled=money(sums["scheduled"]),
        paid=money(sums["paid"]),
    )


def source_balance(source: Grant | PurchaseContract) -> Balance:
    return grant_balance(source) if isinstance(source, Grant) else contract_balance(source)


def may_keep_tier(actor: Actor, tier: str) -> bool:
    """Whether the actor's role records money of ``tier`` (``models.TIER_KEEPERS``)."""
    return user_has_role(actor, TIER_KEEPERS.get(tier, frozenset()))


def may_override(actor: Actor, source: Grant | PurchaseContract) -> bool:
    """Whether ``actor`` may let spending exceed ``source``: the role at the funder's level (the
    purchaser's for a contract), with that level in their jurisdiction."""
    region = source.funder.region if isinstance(source, Grant) else source.region
    if not user_has_role(actor, LEVEL_OVERRIDERS.get(region.level, frozenset())):
        return False
    prefix = user_scope_prefix(actor)
    if prefix is None:
        return False
    # The actor's jurisdiction is the funder's level or above it.
    return region.code.startswith(prefix) and len(prefix) <= len(region.prefix)


# --- choices for the forms -----------------------------------------------------------------------


def funder_choices(*, actor: Actor) -> QuerySet[Funder]:
    """Funders whose money the actor records (their tier's keepers), read from any level."""
    tiers = [tier for tier in TIERS if may_keep_tier(actor, tier)]
    return funder_list(actor=actor).filter(tier__in=tiers).order_by("tier", "name")


def station_choices(*, actor: Actor) -> QuerySet[Station]:
    queryset: QuerySet[Station] = (
        Station.objects.visible_to(actor, for_write=True)
        .select_related("region")
        .order_by("region__code", "name")
    )
    return queryset


def project_choices(*, actor: Actor) -> QuerySet[Project]:
    queryset: QuerySet[Project] = (
        Project.objects.visible_to(actor, for_write=True).select_related("station").order_by("name")
    )
    return queryset


def donation_choices(*, actor: Actor) -> QuerySet[Grant]:
    """Donations a share may be split from: grants that are no share themselves, read in the
    actor's scope and above (the city's charity base gives 海曙's stations their shares)."""
    return (
        Grant.objects.filter(parent__isnull=True, policy__isnull=True)
        .filter(Q(pk__in=Grant.objects.visible_to(actor).values("pk")) | Q(region__level="city"))
        .select_related("funder")
        .order_by("-year", "funder__name")
    )


def agency_choices(*, actor: Actor) -> QuerySet[ServiceAgency]:
    queryset: QuerySet[ServiceAgency] = ServiceAgency.objects.visible_to(actor).order_by("name")
    return queryset


def purchaser_choices(*, actor: Actor) -> QuerySet[Region]:
    """Townships and districts in the actor's write scope."""
    queryset: QuerySet[Region] = (
        Region.objects.visible_to(actor, for_write=True)
        .filter(level__in=("county", "township"))
        .order_by("code")
    )
    return queryset


def grant_spending_choices(*, actor: Actor) -> QuerySet[Grant]:
    """Grants spent from in the actor's own jurisdiction."""
    queryset: QuerySet[Grant] = (
        Grant.objects.visible_to(actor, for_write=True)
        .select_related("funder", "station", "project", "region")
        .order_by("-year", "-pk")
    )
    return queryset


def contract_choices(*, actor: Actor) -> QuerySet[PurchaseContract]:
    queryset: QuerySet[PurchaseContract] = (
        PurchaseContract.objects.visible_to(actor, for_write=True)
        .select_related("region")
        .order_by("-starts_on")
    )
    return queryset


def subsidy_policy_choices() -> QuerySet[SubsidyPolicy]:
    return SubsidyPolicy.objects.all().order_by("-valid_from")


# --- figures -------------------------------------------------------------------------------------


@dataclass
class AreaFunds:
    """Funds of one area (a district, a town, a station's region) in a year."""

    code: str
    name: str
    by_tier: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(TIERS, ZERO))
    spent: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return money(sum(self.by_tier.values(), ZERO))

    @property
    def spending_rate(self) -> float | None:
        return float(self.spent / self.total) if self.total else None

    def tier_rows(self) -> list[tuple[str, str, Decimal]]:
        labels = dict(Tier.choices)
        return [(tier, str(labels[tier]), self.by_tier[tier]) for tier in TIERS]


@dataclass
class FundsFigures:
    """The "four ones" of a region and a year: money by tier, spending, open instalments, and
    the same per area below the region (districts, towns or stations)."""

    region: Region
    year: int
    whole: AreaFunds
    areas: list[AreaFunds]
    open_instalments: int = 0
    open_instalments_amount: Decimal = ZERO
    held_instalments: int = 0
    overdue_instalments: int = 0
    grants: int = 0

    @property
    def by_tier(self) -> dict[str, Decimal]:
        return self.whole.by_tier

    @property
    def social(self) -> Decimal:
        return self.whole.by_tier[Tier.SOCIAL]

    @property
    def spent(self) -> Decimal:
        return self.whole.spent

    @property
    def spending_rate(self) -> float | None:
        return self.whole.spending_rate


def _area_digits(region: Region) -> int:
    """How the figures of ``region`` break down: a city by district, a district by town, a town
    by itself (its station, and its villages' money counted with it)."""
    return {"city": 6, "county": 9}.get(region.level, 9)


def funds_figures(*, actor: Actor, region: Region, year: int) -> FundsFigures:
    """The funds of ``region`` (inside the actor's jurisdiction) in ``year``; 5 queries."""
    prefix = region.prefix
    digits = _area_digits(region)
    grants = Grant.objects.visible_to(actor).in_region_prefix(prefix)
    by_area: dict[str, AreaFunds] = {}

    def area(code: str) -> AreaFunds:
        if code not in by_area:
            by_area[code] = AreaFunds(code=code, name="")
        return by_area[code]

    # 1. what the grants of the year keep: their amounts ...
    rows = (
        grants.filter(year=year)
        .annotate(area=Substr("region__code", 1, digits))
        .values("area", "tier")
        .annotate(total=_sum("amount"), n=Count("pk"))
        .order_by()
    )
    count = 0
    for row in rows:
        area(row["area"]).by_tier[row["tier"]] += money(row["total"])
        count += row["n"]
    # 2. ... less the shares split from them (counted where they went, in their own year).
    shares = (
        Grant.objects.filter(parent__in=grants.filter(year=year).values("pk"))
        .annotate(area=Substr("parent__region__code", 1, digits))
        .values("area", "parent__tier")
        .annotate(total=_sum("amount"))
        .order_by()
    )
    for share in shares:
        area(share["area"]).by_tier[share["parent__tier"]] -= money(share["total"])
    # 3. the contract instalments falling due in the year, by the purchaser's tier.
    instalments = ContractInstalment.objects.visible_to(actor).in_region_prefix(prefix)
    for due in (
        instalments.filter(due_on__year=year)
        .annotate(area=Substr("contract__station__region__code", 1, digits))
        .values("area", "contract__tier")
        .annotate(total=_sum("amount"))
        .order_by()
    ):
        area(due["area"]).by_tier[due["contract__tier"]] += money(due["total"])
    # 4. spending dated in the year.
    for spending in (
        Expense.objects.visible_to(actor)
        .in_region_prefix(prefix)
        .filter(spent_on__year=year)
        .annotate(area=Substr("region__code", 1, digits))
        .values("area")
        .annotate(total=_sum("amount"))
        .order_by()
    ):
        area(spending["area"]).spent += money(spending["total"])
    # 5. instalments still open (whatever their year), held and overdue among them.
    today = timezone.localdate()
    open_sums = instalments.filter(paid_on__isnull=True).aggregate(
        n=Count("pk"),
        total=_sum("amount"),
        held=Count("pk", filter=Q(held=True)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    names = _area_names(by_area)
    whole = AreaFunds(code=region.code, name=region.name)
    areas = []
    for code in sorted(by_area):
        figures = by_area[code]
        figures.name = names.get(code, code)
        for tier in TIERS:
            whole.by_tier[tier] += figures.by_tier[tier]
        whole.spent += figures.spent
        areas.append(figures)
    return FundsFigures(
        region=region,
        year=year,
        whole=whole,
        areas=areas,
        open_instalments=open_sums["n"],
        open_instalments_amount=money(open_sums["total"]),
        held_instalments=open_sums["held"],
        overdue_instalments=open_sums["overdue"],
        grants=count,
    )


def _area_names(by_area: dict[str, AreaFunds]) -> dict[str, str]:
    codes = {code: code.ljust(12, "0") for code in by_area}
    found = dict(Region.objects.filter(code__in=codes.values()).values_list("code", "name"))
    return {code: found.get(full, code) for code, full in codes.items()}


# The cockpit reads its funds figures from its tallies (the dashboard, above this app,
# registers them here); until then, and for the funds summary, from the records.
_figures_source: Callable[..., FundsFigures | None] | None = None


def register_figures_source(source: Callable[..., FundsFigures | None]) -> None:
    """``source(region=, year=)`` → the funds of a region and year (its whole, no areas), or
    None when it does not hold them. Called once by the dashboard's ``ready()``."""
    global _figures_source
    _figures_source = source


def cockpit_funds(*, actor: Actor, region: Region, year: int) -> FundsFigures:
    """The funds of the cockpit's region (already checked against the actor's jurisdiction,
    where every record under it counts): from the registered tallies, else the records."""
    if _figures_source is not None:
        found = _figures_source(region=region, year=year)
        if found is not None:
            return found
    return funds_figures(actor=actor, region=region, year=year)


def funds_by_tier(*, actor: Actor, region: Region, year: int) -> dict[str, Decimal]:
    """Tier → money of ``year`` in ``region`` (the overview API's ``funds_by_tier``)."""
    return funds_figures(actor=actor, region=region, year=year).by_tier


def funds_years(*, actor: Actor) -> list[int]:
    """The budget years that have grants the actor sees, newest first (and this year)."""
    years = set(
        Grant.objects.visible_to(actor).order_by().values_list("year", flat=True).distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def may_see_funds(actor: Actor) -> bool:
    return user_can(actor, "view", Grant)


def grant_status_filter(queryset: QuerySet[Grant], value: str | None) -> QuerySet[Grant]:
    if value == GrantStatus.PAID:
        return queryset.filter(paid_on__isnull=False)
    if value == GrantStatus.PAYABLE:
        return queryset.filter(paid_on__isnull=True)
    return queryset


# --- the cockpit's panel ----------------------------------------------------------------------


@dataclass
class PanelFigure:
    id: str
    label: str
    value: str
    url: str
    note: str = ""


@dataclass
class FundsPanel:
    year: int
    figures: list[PanelFigure]
    summary_url: str


def funds_panel(*, actor: Actor | None, region: Region, year: int) -> FundsPanel | None:
    """The cockpit's funds figures (None for a role that does not read the funds): money of the
    year by tier, social money linked, spending and its rate, open instalments; each a link to
    the records it counts."""
    if actor is None or not may_see_funds(actor):
        return None
    figures = cockpit_funds(actor=actor, region=region, year=year)
    grants = reverse("funds:grant_list")
    prefix = region.prefix
    labels = dict(Tier.choices)
    items = [
        PanelFigure(
            tier,
            str(labels[tier]),
            format_money(figures.by_tier[tier]),
            f"{grants}?{urlencode({'tier': tier, 'year': str(year), 'region_code': prefix})}",
        )
        for tier in TIERS
    ]
    rate = figures.spending_rate
    items.append(
        PanelFigure(
            "spent",
            str(_("Spent in the year")),
            format_money(figures.spent),
            f"{reverse('funds:expense_list')}?"
            + urlencode({"year": str(year), "region_code": prefix}),
            str(_("Spending rate %(rate)s") % {"rate": f"{rate:.1%}" if rate is not None else "—"}),
        )
    )
    items.append(
        PanelFigure(
            "open-instalments",
            str(_("Open contract instalments")),
            format_number(figures.open_instalments),
            f"{reverse('funds:contractinstalment_list')}?"
            f"{urlencode({'open': 'true', 'region_code': prefix})}",
            format_money(figures.open_instalments_amount),
        )
    )
    summary = f"{reverse('funds:summary')}?{urlencode({'year': str(year), 'region': region.code})}"
    return FundsPanel(year=year, figures=items, summary_url=summary)


def funds_by_tier_in(*, region: Region, year: int) -> dict[str, str]:
    """Tier → money of ``year`` in ``region`` as decimal strings (``"5000000.00"``): the
    overview API's ``funds_by_tier``. The region is the cockpit's, already checked against the
    caller's jurisdiction, so every record under it counts (as the cockpit's tallies do)."""
    by_tier = cockpit_funds(actor=SYSTEM, region=region, year=year).by_tier
    return {tier: str(money(amount)) for tier, amount in by_tier.items()}
