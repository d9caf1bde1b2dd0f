"""The 就业帮扶 part of the cockpit, the district report and ``GET /api/v1/stats/overview/``
(issue 14, "Figures"): job seekers by status and sex, employers, posts and their places, places
filled, placements by sex and by category of person, and the median days from a post to a
placement. The income change of the households followed is not here: the income follow-up is
not built yet.

Employment records are few (a town's posts and seekers), so every figure is counted from the
records per request, a handful of grouped queries, each the rule of the list its number opens:

- **Seekers**: the register now (their status is a state, not an event of the period), of the
  region (``employment:jobseeker_list?region_code=``).
- **Posts, places and employers**: posts posted in the period in the region
  (``posted_after/before``), their places, and the enterprises that posted them (the employers'
  number opens that list of posts: the partner list has no filter by posts, and the linkage
  app sits below employment).
- **Placements**: seekers hired in the period (answered with 录用 and since at work or left) for
  posts of the region (``hired_after/before``); a seasonal place is filled once. The days from
  post to placement are the hiring day less the post's day, median over those placements.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
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
    FILLING_PLACEMENT,
    JobPost,
    JobSeeker,
    Placement,
    SeekerCategory,
    SeekerStatus,
)
from swstation.recipients.identifiers import Sex
from swstation.regions.models import Region


@dataclass
class EmploymentCounts:
    """The figures of one region and period."""

    code: str
    seekers_by_status: Counter[str] = field(default_factory=Counter)
    seekers_by_sex: Counter[str] = field(default_factory=Counter)
    employers: int = 0
    posts: int = 0
    places: int = 0
    placed_by_sex: Counter[str] = field(default_factory=Counter)
    placed_by_category: Counter[str] = field(default_factory=Counter)
    days_to_placement: list[int] = field(default_factory=list)

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
    return found


def hired_q(start: date | None, end: date | None) -> Q:
    """Placements hired between ``start`` and ``end`` (either may be open): answered 录用, at
    work since or having left (employment.filtersets ``hired_after/before`` use it too)."""
    where = Q(status__in=FILLING_PLACEMENT)
    if start:
        where &= Q(answered_on__gte=start)
    if end:
        where &= Q(answered_on__lte=end)
    return where


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


@dataclass
class AreaEmployment:
    region: Region
    counts: EmploymentCounts


def employment_by_area(*, actor: Actor, region: Region, period: Any) -> list[AreaEmployment]:
    """The figures of each child region (the same three queries)."""
    children = child_regions(region)
    counts = employment_counts(actor=actor, regions=children, start=period.start, end=period.end)
    return [AreaEmployment(child, counts[child.code]) for child in children]
