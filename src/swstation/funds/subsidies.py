"""The subsidies under a policy (the city's one-time 50,000 yuan per built station), as the
stations app shows them: the funds side of the port ``stations.subsidies`` (registered in
``FundsConfig.ready()``).

A subsidy is a grant whose ``policy`` is set (one ledger, issue 12): the policy page counts and
sums the grants under it and offers the city bureau the form creating those of a year; the
station page lists the station's subsidies. A role that does not read the funds sees neither
card (it never read money before the grants either: only the bureaus, managers and auditors).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Expression, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.funds.forms import SubsidyGenerateForm
from swstation.funds.models import Grant, Tier, money
from swstation.funds.selectors import TIERS, may_keep_tier
from swstation.stations.models import Station, SubsidyPolicy
from swstation.stations.subsidies import SubsidySource

ZERO = Decimal("0.00")


def subsidy_list(*, actor: Actor) -> QuerySet[Grant]:
    """The grants under a subsidy policy the actor may read."""
    queryset: QuerySet[Grant] = (
        Grant.objects.visible_to(actor)
        .filter(policy__isnull=False)
        .select_related("funder", "station", "station__region", "policy", "region")
    )
    return queryset


def subsidy_totals(queryset: QuerySet[Grant]) -> dict[str, Decimal]:
    """Sums of a (scoped, filtered) queryset of subsidies: payable, paid and all, in yuan."""
    sums = queryset.order_by().aggregate(
        n=Count("pk"),
        payable=Sum("amount", filter=Q(paid_on__isnull=True)),
        paid=Sum("amount", filter=Q(paid_on__isnull=False)),
        total=Sum("amount"),
    )
    return {key: money(value) if key != "n" else value for key, value in sums.items()}


def _paying_tiers(actor: Actor) -> list[str]:
    """The tiers of the subsidy policies whose money the actor keeps: the city's (the city
    bureau pays the city's subsidy per built station), and any other policy's."""
    if not user_can(actor, "change", Grant):
        return []
    sources = {Tier.CITY} | set(
        SubsidyPolicy.objects.order_by().values_list("source", flat=True).distinct()
    )
    return [tier for tier in TIERS if tier in sources and may_keep_tier(actor, tier)]


def may_pay_subsidies(actor: Actor) -> bool:
    return bool(_paying_tiers(actor))


def subsidies_to_pay(*, actor: Actor) -> QuerySet[Grant]:
    """The subsidies still payable, for the roles that pay them; none for the others."""
    tiers = _paying_tiers(actor)
    if not tiers:
        return Grant.objects.none()
    return subsidy_list(actor=actor).filter(paid_on__isnull=True, tier__in=tiers)


def policy_count() -> Expression:
    rows = (
        Grant.objects.filter(policy=OuterRef("pk"))
        .order_by()
        .values("policy")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@dataclass
class PolicyPanel:
    totals: dict[str, Any]
    can_generate: bool
    generate_form: Any


def policy_panel(actor: Actor, policy: SubsidyPolicy) -> PolicyPanel | None:
    if not user_can(actor, "view", Grant):
        return None
    can_generate = user_can(actor, "add", Grant) and may_keep_tier(actor, policy.source)
    return PolicyPanel(
        totals=subsidy_totals(subsidy_list(actor=actor).filter(policy=policy)),
        can_generate=can_generate,
        generate_form=SubsidyGenerateForm() if can_generate else None,
    )


def station_subsidies(actor: Actor, station: Station) -> list[Grant] | None:
    if not user_can(actor, "view", Grant):
        return None
    return list(subsidy_list(actor=actor).filter(station=station).order_by("-year", "pk"))


SUBSIDY_SOURCE = SubsidySource(
    policy_count=policy_count,
    policy_panel_template="funds/inc/policy_subsidies.html",
    policy_panel=policy_panel,
    station_panel_template="funds/inc/station_subsidies.html",
    station_subsidies=station_subsidies,
)
