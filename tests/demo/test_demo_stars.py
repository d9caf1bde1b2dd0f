"""The demo city's star round (spec/station-evaluation.md §3; demo/stars.py): closed, every
applicant final, the bonus within its cap and the star what the total with the bonus and the
round's thresholds give, no star for a station 不合格 in the annual round (and the result says
why), both four and five stars handed out.

Shares the one demo build of the package (tests/demo/conftest.py, ``demo_log``)."""

import re
from collections import Counter

import pytest
from django.utils import timezone

from swstation.demo.evaluation import round_names
from swstation.demo.stars import star_round_name
from swstation.evaluation import scoring
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationRound,
    EvaluationStatus,
    EventKind,
    RectificationItem,
    RoundKind,
    RoundStatus,
    StationEvaluation,
)
from swstation.evaluation.services.rounds import latest_annual_result

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]


def _rounds() -> tuple[EvaluationRound, EvaluationRound]:
    _annual_year, mid_year, annual_name, _mid_name = round_names(timezone.localdate())
    return (
        EvaluationRound.objects.get(name=annual_name),
        EvaluationRound.objects.get(name=star_round_name(mid_year)),
    )


def test_the_star_round_is_closed_and_every_applicant_final(demo_log: str) -> None:
    annual, stars = _rounds()
    assert re.search(r"stars: .+: \d+ stations, 五星 \d+, 四星 \d+, no star \d+", demo_log)
    assert stars.kind == RoundKind.STAR and stars.status == RoundStatus.CLOSED
    assert stars.indicator_set.bonus_points > 0 and stars.indicator_set.is_published
    assert annual.snapshot_date < stars.snapshot_date
    assert stars.closed_on is not None and stars.closed_on < timezone.localdate()
    evaluations = list(stars.evaluations.all())
    assert 30 <= len(evaluations) <= 40
    assert {e.status for e in evaluations} == {EvaluationStatus.FINAL}
    # Each went through every step, in order.
    flow = (
        EventKind.COMPUTED,
        EventKind.SELF_SUBMITTED,
        EventKind.SCORING_SUBMITTED,
        EventKind.PASSED,
        EventKind.PUBLISHED,
        EventKind.FINALISED,
    )
    for evaluation in evaluations:
        kinds = [e.kind for e in evaluation.events.order_by("created_at", "pk")]
        positions = [kinds.index(kind) for kind in flow]
        assert positions == sorted(positions), kinds
    assert not EvaluationEvent.objects.filter(
        evaluation__round=stars, created_at__gt=timezone.now()
    ).exists()
    # Most applicants were 优秀 or 良好 in the annual round.
    annual_grades = Counter(
        StationEvaluation.objects.filter(
            round=annual, station__in=[e.station_id for e in evaluations]
        ).values_list("grade", flat=True)
    )
    assert annual_grades["excellent"] + annual_grades["good"] > len(evaluations) / 2


def test_the_star_follows_the_total_with_the_bonus(demo_log: str) -> None:
    _annual, stars = _rounds()
    cap = stars.indicator_set.bonus_cap
    evaluations = list(
        stars.evaluations.select_related("round", "station").prefetch_related(
            "scores__indicator__dimension", "revisions"
        )
    )
    for evaluation in evaluations:
        scores = list(evaluation.scores.all())
        assert all(s.final_score is not None for s in scores)
        base = scoring.total_score(
            s.final_score
            for s in scores
            if not s.indicator.dimension.is_bonus and s.final_score is not None
        )
        bonus = scoring.total_score(
            s.final_score
            for s in scores
            if s.indicator.dimension.is_bonus and s.final_score is not None
        )
        assert evaluation.total_score == base
        assert evaluation.bonus_score is not None
        assert evaluation.bonus_score == min(bonus, cap) and evaluation.bonus_score <= 15
        annual = latest_annual_result(evaluation)
        blocked = bool(evaluation.veto) or (annual is not None and annual.grade == "fail")
        assert bool(evaluation.star_note) == blocked
        assert evaluation.star == scoring.star_for(
            evaluation.total_score + evaluation.bonus_score,
            five=stars.star_five_from,
            four=stars.star_four_from,
            blocked=blocked,
        )
        latest = max(evaluation.revisions.all(), key=lambda r: r.number)
        assert (latest.total_score, latest.bonus_score, latest.star) == (
            evaluation.total_score,
            evaluation.bonus_score,
            evaluation.star,
        )
    stars_given = Counter(e.star for e in evaluations)
    n = len(evaluations)
    assert stars_given[4] and stars_given[5], stars_given
    assert 0.3 <= stars_given[5] / n <= 0.5, stars_given
    assert 0.25 <= stars_given[4] / n <= 0.45, stars_given
    # A bonus indicator is never a rectification item.
    assert not RectificationItem.objects.filter(
        evaluation__round=stars, indicator__dimension__is_bonus=True
    ).exists()


def test_a_station_failed_in_the_annual_round_gets_no_star(demo_log: str) -> None:
    annual, stars = _rounds()
    failed = set(
        StationEvaluation.objects.filter(round=annual, grade="fail").values_list(
            "station_id", flat=True
        )
    )
    blocked = list(stars.evaluations.filter(station_id__in=failed))
    assert 1 <= len(blocked) <= 2
    for evaluation in blocked:
        assert evaluation.star is None
        assert evaluation.star_note and annual.name in evaluation.star_note
    # The others have no note: no star there is the score's.
    assert not stars.evaluations.exclude(station_id__in=failed).exclude(star_note="").exists()
