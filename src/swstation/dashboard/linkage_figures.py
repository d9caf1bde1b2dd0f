"""The 五社联动 part of the cockpit, the district report and ``GET /api/v1/stats/linkage/``
(issue 13, "Figures"): groups and sessions, community activities and their participants,
volunteers and their hours, pairings kept on schedule, partners by kind, resources, referrals
by status and outcome with the median days to an answer, and the 五社联动 index.

Where each figure comes from:

- **Tallies** (``dashboard.tallies.linkage``, kept by every write, flat in data size): volunteer
  hours by source, activities and participants, group sessions and attendances, referrals by
  status, outcome and kind of partner, the days to an answer (the median is read from the
  rows); and for the index also services and cases opened (``services``, ``cases``) and the
  grants of the social tier (``funds``). One query for a region and all its child regions.
- **Records, per request** (few and not growing with the years; one grouped query each):
  partners by kind, resources valid on the day, volunteers active, pairings on schedule
  (``volunteers.selectors``), groups started, ended and meeting in the period.
- **Micro-governance proposals** (众筹微治: by stage, money pledged vs received): counted from
  the records by ``community.selectors.proposal_figures`` (proposals are few); the index's
  社区 switch reads the proposals under way in the period (one grouped query for a region and
  its children).

The region comes from ``selectors.cockpit_region`` (already checked against the user's
jurisdiction). The tallies are read at the region's own level (city, district, town); the
table by child region reads the children's rows (districts of the city, towns of a district).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from swstation.community.models import Group, GroupSession, Proposal, ProposalStage
from swstation.community.selectors import ProposalFigures
from swstation.community.selectors import proposal_figures as counted_proposals
from swstation.core.actors import Actor
from swstation.core.numbers import format_number
from swstation.dashboard.charts import list_url
from swstation.dashboard.funds_figures import LEVELS
from swstation.dashboard.models import Tally
from swstation.dashboard.services import tally_refresh
from swstation.linkage.models import PartnerKind, ReferralOutcome, ReferralStatus, ResourceKind
from swstation.linkage.selectors import partner_list, resource_list, valid_on_q
from swstation.regions.models import Region
from swstation.volunteers.selectors import pairings_on_schedule, volunteers_active

ZERO = Decimal("0.00")

# --- the 五社联动 index: the rule as data ------------------------------------------------------

# Partners whose taking part counts as a social organisation, and as charitable resources.
SOCIAL_ORG_KINDS = frozenset({PartnerKind.SOCIAL_ORG})
CHARITY_KINDS = frozenset({PartnerKind.CHARITY, PartnerKind.ENTERPRISE})


@dataclass(frozen=True)
class LinkageKind:
    code: str
    label: Promise
    rule: Promise


FIVE_KINDS: tuple[LinkageKind, ...] = (
    LinkageKind(
        "community",
        pgettext_lazy("five kinds", "Community"),
        gettext_lazy("a community activity or a group session held, or a residents' proposal"),
    ),
    LinkageKind(
        "social_org",
        pgettext_lazy("five kinds", "Social organisations"),
        gettext_lazy("a social organisation took part in an activity or received a referral"),
    ),
    LinkageKind(
        "social_workers",
        pgettext_lazy("five kinds", "Social workers"),
        gettext_lazy("a service recorded, a case opened or a group session held"),
    ),
    LinkageKind(
        "volunteers",
        pgettext_lazy("five kinds", "Community volunteers"),
        gettext_lazy("volunteer hours given"),
    ),
    LinkageKind(
        "charity",
        pgettext_lazy("five kinds", "Charitable resources"),
        gettext_lazy(
            "a charity, foundation or enterprise took part in an activity or received a "
            "referral, or social money was granted"
        ),
    ),
)


@dataclass
class LinkageCounts:
    """What the tallies hold for one region and period."""

    code: str
    hours: dict[str, Decimal] = field(default_factory=dict)
    hour_records: int = 0
    activities: int = 0
    participants: int = 0
    participants_by_group: dict[str, int] = field(default_factory=dict)
    sessions: int = 0
    attendances: int = 0
    referrals: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    answer_days: Counter[int] = field(default_factory=Counter)
    partner_kinds: Counter[str] = field(default_factory=Counter)
    services: int = 0
    cases_opened: int = 0
    social_grants: int = 0
    proposals: int = 0

    @property
    def hours_total(self) -> Decimal:
        return sum(self.hours.values(), ZERO)

    @property
    def referral_total(self) -> int:
        return sum(self.referrals.values())

    @property
    def median_days_to_answer(self) -> float | None:
        """The median as ``statistics.median`` gives it over the answered referrals."""
        n = sum(self.answer_days.values())
        if not n:
            return None
        ordered = sorted(self.answer_days.items())

        def nth(index: int) -> int:
            seen = 0
            for days, count in ordered:
                seen += count
                if index < seen:
                    return days
            raise IndexError(index)

        if n % 2:
            return float(nth(n // 2))
        return (nth(n // 2 - 1) + nth(n // 2)) / 2


def five_kinds(counts: LinkageCounts) -> dict[str, bool]:
    """Which of the five kinds took part in the region's work in the period (FIVE_KINDS, in
    order): the 五社联动 index is how many are true.

    - 社区: a community activity or a group session held there, or a residents' proposal;
    - 社会组织: a partner of kind social organisation (the service agencies among them) in an
      activity held there or referred to from a station there;
    - 社会工作者: a service recorded for a person there, a case opened or a group session held
      at a station there;
    - 社区志愿者: hours given by the volunteers of its stations;
    - 社会慈善资源: a charity, foundation or enterprise in an activity or referred to, or a
      grant of the social tier of the "four ones" to the region in the period's years.
    """
    kinds = counts.partner_kinds
    return {
        "community": bool(counts.activities or counts.sessions or counts.proposals),
        "social_org": any(kinds[k] for k in SOCIAL_ORG_KINDS),
        "social_workers": bool(counts.services or counts.cases_opened or counts.sessions),
        "volunteers": counts.hours_total > 0,
        "charity": any(kinds[k] for k in CHARITY_KINDS) or counts.social_grants > 0,
    }


def linkage_index(counts: LinkageCounts) -> int:
    return sum(five_kinds(counts).values())


# --- reading the tallies -----------------------------------------------------------------------


def tallied_counts(*, regions: list[Region], period: Any) -> dict[str, LinkageCounts]:
    """The tallies of ``regions`` (all of one level: a region, or the children of one) over
    ``period`` (the cockpit's ``selectors.Period``), one query after the refresh."""
    found = {region.code: LinkageCounts(region.code) for region in regions}
    levels = {LEVELS.get(region.level) for region in regions}
    if not regions or None in levels or len(levels) != 1:
        return found
    tally_refresh()
    start, end = period.start, period.end
    months = Q(period__gte=start, period__lte=end)
    rows = Tally.objects.filter(level=levels.pop(), region_code__in=list(found)).filter(
        (Q(family="linkage") & months)
        | (Q(family="services", metric="services") & months)
        | (Q(family="cases", metric="cases_opened") & months)
        | Q(
            family="funds",
            metric="grants",
            key="social",
            period__gte=date(start.year, 1, 1),
            period__lte=end,
        )
    )
    for code, metric, key, count, total in rows.values_list(
        "region_code", "metric", "key", "count", "total"
    ):
        cell = found[code]
        if metric == "volunteer_hours":
            cell.hours[key] = cell.hours.get(key, ZERO) + Decimal(total).quantize(ZERO)
            cell.hour_records += count
        elif metric == "activities":
            cell.activities += count
            cell.participants += int(total)
        elif metric == "participants":
            cell.participants_by_group[key] = cell.participants_by_group.get(key, 0) + count
        elif metric == "sessions":
            cell.sessions += count
            cell.attendances += int(total)
        elif metric == "referrals":
            cell.referrals[key] = cell.referrals.get(key, 0) + count
        elif metric == "referral_outcomes":
            cell.outcomes[key] = cell.outcomes.get(key, 0) + count
        elif metric == "answer_days":
            cell.answer_days[int(key)] += count
        elif metric in ("activity_partners", "referral_partners"):
            cell.partner_kinds[key] += count
        elif metric == "services":
            cell.services += count
        elif metric == "cases_opened":
            cell.cases_opened += count
        elif metric == "grants" and (count or total):
            cell.social_grants += count
    for code, n in proposals_under_way(regions=regions, start=start, end=end).items():
        found[code].proposals = n
    return found


def proposals_under_way(*, regions: list[Region], start: date, end: date) -> dict[str, int]:
    """Residents' proposals raised by ``end`` and not closed before ``start``, in each of
    ``regions`` (all of one level), as ``community.selectors.proposal_figures`` counts them
    under way. One grouped query; proposals are few, so they are counted from the records."""
    if not regions:
        return {}
    digits = len(regions[0].prefix)
    by_prefix = {region.prefix: region.code for region in regions}
    rows = (
        Proposal.objects.filter(raised_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .filter(reduce(or_, (Q(region__code__startswith=p) for p in by_prefix)))
        .order_by()
        .values(area=Substr("region__code", 1, digits))
        .annotate(n=Count("pk"))
    )
    return {by_prefix[r["area"]]: r["n"] for r in rows if r["area"] in by_prefix}


def child_regions(region: Region) -> list[Region]:
    """The regions of the table by region: districts of the city, towns of a district (a
    town's villages hold no tallies)."""
    if region.level not in ("city", "county"):
        return []
    return list(Region.objects.filter(parent=region).order_by("code"))


# --- micro-governance (众筹微治) -----------------------------------------------------------------


def proposal_figures(*, actor: Actor, region: Region, period: Any) -> ProposalFigures:
    """The residents' proposals of the region in the period: under way by stage, money
    pledged and received (``community.selectors.proposal_figures``)."""
    return counted_proposals(
        actor=actor, region_code=region.prefix, since=period.start, until=period.end
    )


# --- the panel ---------------------------------------------------------------------------------


@dataclass
class Figure:
    id: str
    label: str
    value: Any
    url: str = ""
    note: str = ""


@dataclass
class KindSwitch:
    code: str
    label: str
    rule: str
    on: bool
    url: str


@dataclass
class LinkagePanel:
    region: Region
    counts: LinkageCounts
    index: int
    kinds: list[KindSwitch]
    headlines: list[Figure]
    referrals: list[Figure]
    outcomes: list[Figure]
    partners: list[Figure]
    resources: list[Figure]
    groups: "GroupCounts"
    volunteers_active: int
    pairings: Any  # volunteers.selectors.PairingSchedule
    proposals: ProposalFigures
    proposal_stages: list[Figure]
    money: list[Figure]


@dataclass
class GroupCounts:
    running: int
    started: int
    ended: int


def group_counts(*, actor: Actor, region: Region, start: date, end: date) -> GroupCounts:
    """Groups of the region's stations that met in the period, started or ended in it (the
    rules of ``community.selectors.group_figures``). Two queries."""
    groups = Group.objects.visible_to(actor).filter(station__region__code__startswith=region.prefix)
    counts = groups.order_by().aggregate(
        started=Count("pk", filter=Q(starts_on__gte=start, starts_on__lte=end)),
        ended=Count("pk", filter=Q(ended_on__gte=start, ended_on__lte=end)),
    )
    running = (
        GroupSession.objects.visible_to(actor)
        .filter(
            group__station__region__code__startswith=region.prefix,
            held_on__gte=start,
            held_on__lte=end,
        )
        .order_by()
        .values("group_id")
        .distinct()
        .count()
    )
    return GroupCounts(running, counts["started"], counts["ended"])


def partners_by_kind(*, actor: Actor, region: Region) -> dict[str, int]:
    """Partners still working with the stations, registered in the region (as
    ``linkage.selectors.linkage_figures`` counts them). One query."""
    rows = (
        partner_list(actor=actor)
        .filter(region__code__startswith=region.prefix, active=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {row["kind"]: row["n"] for row in rows}


def resources_by_kind(*, actor: Actor, region: Region, on: date) -> dict[str, int]:
    """Resources valid on ``on`` of partners registered in the region. One query."""
    rows = (
        resource_list(actor=actor)
        .filter(valid_on_q(on), partner__region__code__startswith=region.prefix)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {row["kind"]: row["n"] for row in rows}


def _kind_urls(prefix: str, period: Any) -> dict[str, str]:
    dates = {"held_after": period.start.isoformat(), "held_before": period.end.isoformat()}
    return {
        "community": list_url("community:communityactivity_list", region_code=prefix, **dates),
        "social_org": list_url("linkage:partner_list", region_code=prefix, kind="social_org"),
        "social_workers": list_url(
            "cases:servicerecord_list",
            region_code=prefix,
            served_after=period.start.isoformat(),
            served_before=period.end.isoformat(),
        ),
        "volunteers": list_url("volunteers:volunteer_list", station_region_code=prefix),
        "charity": list_url("linkage:partner_list", region_code=prefix, kind="charity"),
    }


def kind_switches(counts: LinkageCounts, *, prefix: str, period: Any) -> list[KindSwitch]:
    switches = five_kinds(counts)
    urls = _kind_urls(prefix, period)
    return [
        KindSwitch(kind.code, str(kind.label), str(kind.rule), switches[kind.code], urls[kind.code])
        for kind in FIVE_KINDS
    ]


def linkage_panel(*, actor: Actor, region: Region, period: Any) -> LinkagePanel:
    """``period`` is the cockpit's (selectors.Period): its start, end and ``as_of`` day."""
    counts = tallied_counts(regions=[region], period=period)[region.code]
    proposals = proposal_figures(actor=actor, region=region, period=period)
    prefix, as_of = region.prefix, period.as_of
    start, end = period.start.isoformat(), period.end.isoformat()
    groups = group_counts(actor=actor, region=region, start=period.start, end=period.end)
    schedule = pairings_on_schedule(actor=actor, region=region, on=as_of)
    active = volunteers_active(actor=actor, region=region, on=as_of)
    held = {"region_code": prefix, "held_after": start, "held_before": end}
    median = counts.median_days_to_answer
    headlines = [
        Figure(
            "activities",
            _("Community activities"),
            counts.activities,
            list_url("community:communityactivity_list", **held),
            _("%(n)s participants") % {"n": format_number(counts.participants)},
        ),
        Figure(
            "sessions",
            _("Group sessions"),
            counts.sessions,
            list_url("community:groupsession_list", **held),
            _("%(n)s attendances") % {"n": format_number(counts.attendances)},
        ),
        Figure(
            "groups",
            _("Groups meeting"),
            groups.running,
            list_url("community:group_list", region_code=prefix, met_after=start, met_before=end),
            _("%(started)s started, %(ended)s ended")
            % {"started": format_number(groups.started), "ended": format_number(groups.ended)},
        ),
        Figure(
            "hours",
            _("Volunteer hours"),
            f"{counts.hours_total:.1f}",
            list_url("volunteers:volunteer_list", station_region_code=prefix),
            _("%(n)s volunteers active") % {"n": format_number(active)},
        ),
        Figure(
            "pairings",
            _("Pairings on schedule"),
            f"{format_number(schedule.on_schedule)} / {format_number(schedule.total)}",
            list_url("volunteers:pairing_list", region_code=prefix, running_on=as_of.isoformat()),
            _("%(n)s overdue") % {"n": format_number(schedule.total - schedule.on_schedule)},
        ),
        Figure(
            "referrals",
            _("Referrals sent"),
            counts.referral_total,
            list_url(
                "linkage:referral_list", region_code=prefix, sent_after=start, sent_before=end
            ),
            _("median %(days)s days to an answer") % {"days": f"{median:g}"}
            if median is not None
            else _("no answer yet"),
        ),
    ]
    sent = {"region_code": prefix, "sent_after": start, "sent_before": end}
    referrals = [
        Figure(
            code,
            str(label),
            counts.referrals.get(code, 0),
            list_url("linkage:referral_list", status=code, **sent),
        )
        for code, label in ReferralStatus.choices
    ]
    outcomes = [
        Figure(
            code,
            str(label),
            counts.outcomes.get(code, 0),
            list_url("linkage:referral_list", status="completed", outcome=code, **sent),
        )
        for code, label in ReferralOutcome.choices
    ]
    by_partner = partners_by_kind(actor=actor, region=region)
    partners = [
        Figure(
            code,
            str(label),
            by_partner[code],
            list_url("linkage:partner_list", registered_in=prefix, kind=code, active="true"),
        )
        for code, label in PartnerKind.choices
        if by_partner.get(code)
    ]
    by_resource = resources_by_kind(actor=actor, region=region, on=as_of)
    resources = [
        Figure(
            code,
            str(label),
            by_resource[code],
            list_url(
                "linkage:resource_list",
                registered_in=prefix,
                kind=code,
                valid_on=as_of.isoformat(),
            ),
        )
        for code, label in ResourceKind.choices
        if by_resource.get(code)
    ]
    proposal_stages = [
        Figure(
            code,
            str(label),
            proposals.by_stage.get(code, 0),
            list_url("community:proposal_list", region_code=prefix, stage=code),
        )
        for code, label in ProposalStage.choices
    ]
    pledges = list_url(
        "community:pledge_list", region_code=prefix, pledged_after=start, pledged_before=end
    )
    money = [
        Figure("pledged", _("Money pledged"), f"{proposals.money_pledged:,.2f}", pledges),
        Figure("received", _("Money received"), f"{proposals.money_received:,.2f}", pledges),
    ]
    kinds = kind_switches(counts, prefix=prefix, period=period)
    return LinkagePanel(
        region=region,
        counts=counts,
        index=sum(k.on for k in kinds),
        kinds=kinds,
        headlines=headlines,
        referrals=referrals,
        outcomes=outcomes,
        partners=partners,
        resources=resources,
        groups=groups,
        volunteers_active=active,
        pairings=schedule,
        proposals=proposals,
        proposal_stages=proposal_stages,
        money=money,
    )


@dataclass
class AreaIndex:
    region: Region
    counts: LinkageCounts
    kinds: list[KindSwitch]

    @property
    def index(self) -> int:
        return sum(k.on for k in self.kinds)


def index_by_area(*, region: Region, period: Any) -> list[AreaIndex]:
    """The index and the tallied figures of each child region (one query)."""
    children = child_regions(region)
    counts = tallied_counts(regions=children, period=period)
    return [
        AreaIndex(
            child,
            counts[child.code],
            kind_switches(counts[child.code], prefix=child.prefix, period=period),
        )
        for child in children
    ]
