"""Matching, rule by rule (employment/matching.py): each rule's points and reason on its own,
the rules that rule a pair out, the ranking, and the selectors over records (seekers who fit a
post, posts that fit a seeker) in the caller's jurisdiction."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from swstation.core.roles import Role
from swstation.employment import matching, selectors
from swstation.employment.matching import PostFacts, SeekerFacts
from swstation.employment.models import month_mask, window_mask
from tests.employment import helpers as h

VILLAGE = "330205103201"
OTHER_VILLAGE = "330205103202"
TOWN = "330205103000"
OTHER_TOWN_VILLAGE = "330205004001"
OTHER_DISTRICT = "330203004001"


def seeker(**extra: Any) -> SeekerFacts:
    return SeekerFacts(region_code=extra.pop("region_code", VILLAGE), **extra)


def post(**extra: Any) -> PostFacts:
    return PostFacts(region_code=extra.pop("region_code", VILLAGE), **extra)


def by_rule(match: matching.Match, rule: str) -> list[matching.Reason]:
    return [r for r in match.reasons if r.rule == rule]


# --- months as bit sets -------------------------------------------------------------------------


def test_window_mask_counts_every_month_touched_and_wraps_over_new_year() -> None:
    assert window_mask(date(2025, 3, 20), date(2025, 5, 2)) == month_mask([3, 4, 5])
    assert window_mask(date(2025, 11, 1), date(2026, 2, 1)) == month_mask([11, 12, 1, 2])
    assert window_mask(date(2025, 1, 1), date(2026, 6, 1)) == (1 << 12) - 1
    assert window_mask(date(2025, 5, 1), date(2025, 4, 1)) == 0


# --- distance by the region tree ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (VILLAGE, VILLAGE, "village"),
        (VILLAGE, OTHER_VILLAGE, "township"),
        (TOWN, TOWN, "township"),  # known only to the town: never the same village
        (VILLAGE, OTHER_TOWN_VILLAGE, "district"),
        (VILLAGE, OTHER_DISTRICT, "farther"),
    ],
)
def test_distance_is_the_smallest_area_holding_both(a: str, b: str, expected: str) -> None:
    assert matching.distance(a, b) == expected


# --- skills -------------------------------------------------------------------------------------


def test_skills_give_ten_points_each_capped_at_thirty() -> None:
    one = matching.score(seeker(skills="包装、缝纫"), post(skills="包装"))
    [reason] = by_rule(one, "skills")
    assert reason.points == 10 and "包装" in reason.text
    many = matching.score(seeker(skills="a、b、c、d"), post(skills="a,b,c,d"))
    assert by_rule(many, "skills")[0].points == 30


def test_no_common_skill_is_said_but_does_not_rule_out() -> None:
    match = matching.score(seeker(skills="理发"), post(skills="包装"))
    [reason] = by_rule(match, "skills")
    assert reason.points == 0 and reason.fits
    assert match.fits


def test_the_work_wanted_named_in_the_post_adds_five() -> None:
    match = matching.score(seeker(work_wanted="包装、保洁"), post(title="年糕包装工", skills=""))
    [reason] = by_rule(match, "work_wanted")
    assert reason.points == 5 and "包装" in reason.text


# --- months -------------------------------------------------------------------------------------


def test_months_in_proportion_to_the_season_covered() -> None:
    season = month_mask([1, 2, 3, 4])
    half = matching.score(seeker(months=month_mask([1, 2, 7])), post(months=season))
    assert by_rule(half, "months")[0].points == 10
    whole = matching.score(seeker(months=month_mask([1, 2, 3, 4])), post(months=season))
    assert by_rule(whole, "months")[0].points == 20


def test_no_free_month_in_the_season_rules_out() -> None:
    match = matching.score(seeker(months=month_mask([7, 8])), post(months=month_mask([1, 2])))
    assert not match.fits
    assert not by_rule(match, "months")[0].fits


# --- distance vs travel range -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "travel", "points", "fits"),
    [
        (VILLAGE, "village", 20, True),
        (OTHER_VILLAGE, "village", 0, False),
        (OTHER_VILLAGE, "township", 10, True),
        (OTHER_TOWN_VILLAGE, "township", 0, False),
        (OTHER_TOWN_VILLAGE, "district", 0, True),
        (OTHER_DISTRICT, "district", 0, False),
    ],
)
def test_distance_against_how_far_they_travel(
    where: str, travel: str, points: int, fits: bool
) -> None:
    match = matching.score(seeker(travel_range=travel), post(region_code=where))
    [reason] = by_rule(match, "distance")
    assert (reason.points, reason.fits, match.fits) == (points, fits, fits)


# --- hours --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("post_hours", "points", "fits"),
    [(6, 10, True), (8, 10, True), (9, -5, True), (10, -10, True), (11, -15, False)],
)
def test_hours_within_theirs_or_a_little_over(post_hours: int, points: int, fits: bool) -> None:
    match = matching.score(seeker(hours_per_day=8), post(hours_per_day=post_hours))
    [reason] = by_rule(match, "hours")
    assert (reason.points, match.fits) == (points, fits)


# --- constraints --------------------------------------------------------------------------------


def test_health_limits_rule_out_heavy_work_only() -> None:
    assert not matching.score(seeker(health_limits=True), post(heavy_work=True)).fits
    assert matching.score(seeker(health_limits=True), post(heavy_work=False)).fits
    assert matching.score(seeker(health_limits=False), post(heavy_work=True)).fits


def test_child_care_costs_ten_on_days_longer_than_six_hours() -> None:
    long_days = matching.score(seeker(child_care=True), post(hours_per_day=8))
    assert [r.points for r in by_rule(long_days, "constraints")] == [-10]
    short_days = matching.score(seeker(child_care=True, hours_per_day=8), post(hours_per_day=6))
    assert by_rule(short_days, "constraints") == []


def test_no_transport_costs_ten_outside_the_village() -> None:
    away = matching.score(seeker(no_transport=True), post(region_code=OTHER_VILLAGE))
    assert [r.points for r in by_rule(away, "constraints")] == [-10]
    home = matching.score(seeker(no_transport=True), post(region_code=VILLAGE))
    assert by_rule(home, "constraints") == []


# --- pay ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("wanted", "points"), [(None, None), ("150", 5), ("140", 5), ("160", -5)])
def test_pay_against_the_wish(wanted: str | None, points: int | None) -> None:
    wish = Decimal(wanted) if wanted else None
    match = matching.score(seeker(wanted_pay=wish), post(pay=Decimal("150")))
    reasons = by_rule(match, "pay")
    assert [r.points for r in reasons] == ([] if points is None else [points])


# --- the whole score and the ranking ------------------------------------------------------------


def test_score_is_the_sum_of_its_reasons_and_ranking_drops_the_unfit() -> None:
    best = matching.score(seeker(skills="包装"), post(skills="包装"), subject="best")
    plain = matching.score(seeker(skills=""), post(skills="包装"), subject="plain")
    unfit = matching.score(seeker(health_limits=True), post(heavy_work=True), subject="unfit")
    assert best.score == sum(r.points for r in best.reasons) == 10 + 20 + 20 + 10
    ranked = matching.rank([plain, unfit, best], key=str)
    assert [m.subject for m in ranked] == ["best", "plain"]


# --- over records -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seekers_who_fit_a_post_ranked_with_reasons(users: dict[str, Any]) -> None:
    job = h.post(skills="包装", hours_per_day=8)
    h.seeker(name="甲匹配", skills="包装、缝纫")
    h.seeker(name="乙匹配", skills="理发")
    h.seeker(
        name="丙没空", available_months=month_mask([(timezone.localdate().month + 5) % 12 + 1])
    )
    busy = h.seeker(name="戊暂停", paused=True)
    referred = h.seeker(name="己已推荐")
    h.placement(to=job, who=referred)
    h.seeker(h.YUEHU, name="庚外区")
    found = selectors.matches_for_post(actor=users[Role.SOCIAL_WORKER], post=job)
    names = [m.subject.name for m in found]
    assert names[:2] == ["甲匹配", "乙匹配"]
    assert "戊暂停" not in names and "己已推荐" not in names and "庚外区" not in names
    assert found[0].score > found[1].score
    assert any("包装" in r.text for r in found[0].reasons)
    assert busy.status == "paused"


@pytest.mark.django_db
def test_match_for_a_post_leaves_out_seekers_not_free_in_the_season(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    start = date(today.year, 3, 1) if today.month < 3 else date(today.year + 1, 3, 1)
    job = h.post(season_from=start, season_to=start + timedelta(days=40))
    h.seeker(name="春天有空", available_months=month_mask([3, 4]))
    h.seeker(name="秋天有空", available_months=month_mask([9, 10]))
    found = selectors.matches_for_post(actor=users[Role.SOCIAL_WORKER], post=job)
    assert [m.subject.name for m in found] == ["春天有空"]


@pytest.mark.django_db
def test_posts_that_fit_a_seeker_skip_full_closed_and_ended_ones(users: dict[str, Any]) -> None:
    person = h.seeker(skills="包装")
    fits = h.post(title="合适岗位")
    h.post(title="已关闭", status="closed")
    ended = h.post(title="已结束")
    type(ended).objects.filter(pk=ended.pk).update(
        season_from=timezone.localdate() - timedelta(days=90),
        season_to=timezone.localdate() - timedelta(days=1),
    )
    full = h.post(title="已满", places=1)
    h.placement(to=full, who=h.seeker(), status="hired")
    found = selectors.matches_for_seeker(actor=users[Role.SOCIAL_WORKER], seeker=person)
    assert [m.subject.pk for m in found] == [fits.pk]


def test_months_are_shown_in_runs() -> None:
    from django.utils import translation

    from swstation.employment.models import months_label

    with translation.override("zh-hans"):
        assert months_label(month_mask([1, 2, 3, 5, 11, 12])) == "1–3月、5月、11–12月"
        assert months_label((1 << 12) - 1) == "全年"
