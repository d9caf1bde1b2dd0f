"""The 就业帮扶 part of the cockpit, the district report and ``GET /api/v1/stats/overview/``
(issue 14, "Figures"): job seekers by status and sex, employers, posts and their places, places
filled, placements by sex and by category of person, and the median days from a post to a
placement, and the income change of the low-income households followed by a livelihood
project.

Employment records are few (a town's posts and seekers), so every figure is counted from the
records per request, a handful of grouped queries, each the rule of the list its number opens:

- **Seekers**: the register now (their status is a state, not an event of the period), of the
  region (``employment:jobseeker_list?region_code=``); those trained are the seekers of the
  register who attended a skills training (a community activity of kind ``training``) held in
  the period (``trained_after/before``; employment.selectors.trained_seekers).
- **Posts, places and employers**: posts posted in the period in the region
  (``posted_after/before``), their places, and the enterprises that posted them (the employers'
  number opens that list of posts: the partner list has no filter by posts, and the linkage
  app sits below employment).
- **Placements**: seekers hired in the period (answered with 录用 and since at work or left) for
  posts of the region (``hired_after/before``); a seasonal place is filled once. The days from
  post to placement are the hiring day less the post's day, median over those placements.
- **Income follow-up** ("从输血到造血"): the follow-ups of households of the region under way in
  the period (baseline on or before its end, not ended before its start:
  ``started_before``/``ended_after``). For each one with a check by the period's end, its
  income before (the baseline) and its latest check: the median of each, the median change,
  how many rose, and the share of the income the households earned rather than were given,
  before and at the latest check.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from statistics import median
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.numbers import format_number
from swstation.dashboard.charts import list_url
from swstation.employment.models import (
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    SeekerCategory,
    SeekerStatus,
)
from swstation.employment.selectors import followed_q, hired_q, trained_seekers
from swstation.recipients.identifiers import Sex
from swstation.regions.models import Region


@dataclass
class EmploymentCounts:
    """The figures of one region and period."""

    code: str
    seekers_by_status: Counter[str] = field(default_factory=Counter)
    seekers_by_sex: Counter[str] = field(default_factory=Counter)
    seekers_trained: int = 0
    employers: int = 0
    posts: int = 0
    places: int = 0
    placed_by_sex: Counter[str] = field(default_factory=Counter)
    placed_by_category: Counter[str] = field(default_factory=Counter)
    days_to_placement: list[int] = field(default_factory=list)
    follow_ups: int = 0
    # Of the follow-ups with a check by the period's end: (earned, given) before and latest.
    income_before: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    income_latest: list[tuple[Decimal, Decimal]] = field(default_factory=list)

    @property
    def follow_ups_checked(self) -> int:
        return len(self.income_latest)

    @property
    def median_income_before(self) -> Decimal | None:
        totals = [Decimal(sum(pair)) for pair in self.income_before]
        return median(totals) if totals else None

    @property
    def median_income_latest(self) -> Decimal | None:
        totals = [Decimal(sum(pair)) for pair in self.income_latest]
        return median(totals) if totals else None

    @property
    def median_income_change(self) -> Decimal | None:
        changes: list[Decimal] = [
            Decimal(sum(after)) - Decimal(sum(before))
            for before, after in zip(self.income_before, self.income_latest, strict=True)
        ]
        return median(changes) if changes else None

    @property
    def incomes_risen(self) -> int:
        return sum(
            1
            for before, after in zip(self.income_before, self.income_latest, strict=True)
            if sum(after) > sum(before)
        )

    @staticmethod
    def _earned_share(pairs: list[tuple[Decimal, Decimal]]) -> float | None:
        total = sum(earned + given for earned, given in pairs)
        return float(sum(earned for earned, _given in pairs) / total) if total else None

    @property
    def earned_share_before(self) -> float | None:
        return self._earned_share(self.income_before)

    @property
    def earned_share_latest(self) -> float | None:
        return self._earned_share(self.income_latest)

    @property
    def seekers(self) -> int:
        return sum(self.seekers_by_status.values())

    @property
    def places_filled(self) -> int:
        return sum(self.placed_by_sex.values())

    @property
    def median_days_to_placement(self) -> float | None:
        if not self.days_to_placement:
            return None
        return float(median(self.days_to_placement))


def _area(field_name: str, regions: list[Region]) -> tuple[Q, Any, dict[str, str]]:
    digits = len(regions[0].prefix)
    by_prefix = {region.prefix: region.code for region in regions}
    where = reduce(or_, (Q(**{f"{field_name}__startswith": p}) for p in by_prefix))
    return where, Substr(field_name, 1, digits), by_prefix


def employment_counts(
    *, actor: Actor, regions: list[Region], start: date, end: date
) -> dict[str, EmploymentCounts]:
    """The figures of ``regions`` (all of one level: a region, or the children of one) from
    the records the actor reads. Three grouped queries whatever the number of regions."""
    found = {region.code: EmploymentCounts(region.code) for region in regions}
    if not regions:
        return found
    where, area, by_prefix = _area("region__code", regions)
    seekers = (
        JobSeeker.objects.visible_to(actor)
        .filter(where)
        .order_by()
        .values("status", "sex", area=area)
        .annotate(n=Count("pk"))
    )
    for row in seekers:
        cell = found[by_prefix[row["area"]]]
        cell.seekers_by_status[row["status"]] += row["n"]
        cell.seekers_by_sex[row["sex"]] += row["n"]
    trained = (
        trained_seekers(
            JobSeeker.objects.visible_to(actor).filter(where), actor=actor, start=start, end=end
        )
        .order_by()
        .values(area=area)
        .annotate(n=Count("pk"))
    )
    for trained_row in trained:
        found[by_prefix[trained_row["area"]]].seekers_trained = trained_row["n"]
    posts = (
        JobPost.objects.visible_to(actor)
        .filter(where, posted_on__gte=start, posted_on__lte=end)
        .order_by()
        .values(area=area)
        .annotate(
            n=Count("pk"),
            places=Sum("places"),
            employers=Count("employer_id", distinct=True),
        )
    )
    for post_row in posts:
        cell = found[by_prefix[post_row["area"]]]
        cell.posts, cell.places = post_row["n"], post_row["places"] or 0
        cell.employers = post_row["employers"]
    post_where, post_area, _prefixes = _area("post__region__code", regions)
    hired = (
        Placement.objects.visible_to(actor)
        .filter(post_where, hired_q(start, end))
        .order_by()
        .annotate(area=post_area)
        .values_list("seeker__sex", "seeker__category", "answered_on", "post__posted_on", "area")
    )
    for sex, category, answered_on, posted_on, prefix in hired:
        cell = found[by_prefix[prefix]]
        cell.placed_by_sex[sex] += 1
        cell.placed_by_category[category] += 1
        if answered_on is not None:  # always, for a hire (hired_q)
            cell.days_to_placement.append(max((answered_on - posted_on).days, 0))
    _count_income(actor, regions, start, end, found, by_prefix)
    return found


def _count_income(
    actor: Actor,
    regions: list[Region],
    start: date,
    end: date,
    found: dict[str, EmploymentCounts],
    by_prefix: dict[str, str],
) -> None:
    """Two queries: the follow-ups under way with their baseline, and their checks up to the
    period's end (the latest of each kept)."""
    where, area, _prefixes = _area("household__region__code", regions)
    follow_ups = (
        IncomeFollowUp.objects.visible_to(actor).filter(where, followed_q(start, end)).order_by()
    )
    baselines: dict[int, tuple[str, tuple[Decimal, Decimal]]] = {}
    for pk, prefix, earned, given in follow_ups.annotate(area=area).values_list(
        "pk", "area", "baseline_earned", "baseline_given"
    ):
        found[by_prefix[prefix]].follow_ups += 1
        baselines[pk] = (prefix, (earned, given))
    latest: dict[int, tuple[Decimal, Decimal]] = {}
    checks = (
        IncomeCheck.objects.filter(follow_up__in=follow_ups.values("pk"), checked_on__lte=end)
        .order_by("follow_up_id", "checked_on", "pk")
        .values_list("follow_up_id", "earned", "given")
    )
    for follow_up_id, earned, given in checks:
        latest[follow_up_id] = (earned, given)
    for pk, after in latest.items():
        prefix, before = baselines[pk]
        cell = found[by_prefix[prefix]]
        cell.income_before.append(before)
        cell.income_latest.append(after)


def child_regions(region: Region) -> list[Region]:
    """Districts of the city, towns of a district, villages of a town."""
    return list(Region.objects.filter(parent=region).order_by("code"))


# --- the panel ---------------------------------------------------------------------------------


@dataclass
class Figure:
    id: str
    label: str
    value: Any
    url: str = ""
    note: str = ""


@dataclass
class EmploymentPanel:
    region: Region
    counts: EmploymentCounts
    headlines: list[Figure]
    seekers_by_status: list[Figure]
    seekers_by_sex: list[Figure]
    placed_by_sex: list[Figure]
    placed_by_category: list[Figure]


def employment_panel(*, actor: Actor, region: Region, period: Any) -> EmploymentPanel:
    """``period`` is the cockpit's (selectors.Period)."""
    counts = employment_counts(actor=actor, regions=[region], start=period.start, end=period.end)[
        region.code
    ]
    prefix = region.prefix
    start, end = period.start.isoformat(), period.end.isoformat()
    posted = {"region_code": prefix, "posted_after": start, "posted_before": end}
    hired = {"region_code": prefix, "hired_after": start, "hired_before": end}
    days = counts.median_days_to_placement
    women = counts.placed_by_sex.get(Sex.FEMALE, 0)
    headlines = [
        Figure(
            "seekers",
            _("Job seekers"),
            counts.seekers,
            list_url("employment:jobseeker_list", region_code=prefix),
            _("%(n)s seeking work")
            % {"n": format_number(counts.seekers_by_status.get(SeekerStatus.SEEKING, 0))},
        ),
        Figure(
            "trained",
            _("Seekers trained"),
            counts.seekers_trained,
            list_url(
                "employment:jobseeker_list",
                region_code=prefix,
                trained_after=start,
                trained_before=end,
            ),
            _("attended a skills training in the period"),
        ),
        Figure(
            "employers",
            _("Employers"),
            counts.employers,
            list_url("employment:jobpost_list", **posted),
            _("posting in the period"),
        ),
        Figure(
            "posts",
            _("Job posts"),
            counts.posts,
            list_url("employment:jobpost_list", **posted),
            _("%(n)s places") % {"n": format_number(counts.places)},
        ),
        Figure(
            "filled",
            _("Places filled"),
            counts.places_filled,
            list_url("employment:placement_list", **hired),
            _("%(n)s women") % {"n": format_number(women)},
        ),
        Figure(
            "women",
            _("Women placed"),
            women,
            list_url("employment:placement_list", sex=Sex.FEMALE, **hired),
        ),
        Figure(
            "days",
            _("Median days from post to placement"),
            f"{days:g}" if days is not None else "—",
            list_url("employment:placement_list", **hired),
        ),
        *_income_figures(counts, prefix, start, end),
    ]
    seekers_by_status = [
        Figure(
            code,
            str(label),
            counts.seekers_by_status.get(code, 0),
            list_url("employment:jobseeker_list", region_code=prefix, status=code),
        )
        for code, label in SeekerStatus.choices
    ]
    seekers_by_sex = [
        Figure(
            code,
            str(label),
            counts.seekers_by_sex.get(code, 0),
            list_url("employment:jobseeker_list", region_code=prefix, sex=code),
        )
        for code, label in Sex.choices
        if counts.seekers_by_sex.get(code)
    ]
    placed_by_sex = [
        Figure(
            code,
            str(label),
            counts.placed_by_sex.get(code, 0),
            list_url("employment:placement_list", sex=code, **hired),
        )
        for code, label in Sex.choices
        if counts.placed_by_sex.get(code)
    ]
    placed_by_category = [
        Figure(
            code,
            str(label),
            counts.placed_by_category.get(code, 0),
            list_url("employment:placement_list", category=code, **hired),
        )
        for code, label in SeekerCategory.choices
        if counts.placed_by_category.get(code)
    ]
    return EmploymentPanel(
        region=region,
        counts=counts,
        headlines=headlines,
        seekers_by_status=seekers_by_status,
        seekers_by_sex=seekers_by_sex,
        placed_by_sex=placed_by_sex,
        placed_by_category=placed_by_category,
    )


def signed_yuan(value: Decimal | None) -> str:
    """``+520``, ``-80``, ``0``; "—" for no value (the change of a household's monthly income)."""
    if value is None:
        return "—"
    text = format_number(round(value))
    return f"+{text}" if value > 0 else text


def share_text(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _income_figures(counts: EmploymentCounts, prefix: str, start: str, end: str) -> list[Figure]:
    """The income follow-up's three headlines, each opening the follow-ups under way."""
    url = list_url(
        "employment:incomefollowup_list",
        region_code=prefix,
        started_before=end,
        ended_after=start,
    )
    before, latest = counts.median_income_before, counts.median_income_latest
    return [
        Figure(
            "followed",
            _("Household follow-ups"),
            counts.follow_ups,
            url,
            _("%(n)s with a check") % {"n": format_number(counts.follow_ups_checked)},
        ),
        Figure(
            "income",
            _("Median change of monthly household income (yuan)"),
            signed_yuan(counts.median_income_change),
            url,
            _("%(before)s → %(after)s yuan; %(n)s households up")
            % {
                "before": format_number(round(before)),
                "after": format_number(round(latest)),
                "n": format_number(counts.incomes_risen),
            }
            if before is not None and latest is not None
            else "",
        ),
        Figure(
            "earned_share",
            _("Share of income earned"),
            f"{share_text(counts.earned_share_before)} → {share_text(counts.earned_share_latest)}"
            if counts.follow_ups_checked
            else "—",
            url,
            _("before → at the latest check"),
        ),
    ]


@dataclass
class AreaEmployment:
    region: Region
    counts: EmploymentCounts


def employment_by_area(*, actor: Actor, region: Region, period: Any) -> list[AreaEmployment]:
    """The figures of each child region (the same three queries)."""
    children = child_regions(region)
    counts = employment_counts(actor=actor, regions=children, start=period.start, end=period.end)
    return [AreaEmployment(child, counts[child.code]) for child in children]
