"""The demo city's evaluation rounds (issue 15, "Demo city"; demo/evaluation.py): a closed
annual round with every operating township station final, a realistic spread of grades (a few
不合格, one by a veto), the rectification items closed, reopened and overdue; an open mid-term
round at every step of the flow; evaluators never scoring a station of their own agency; and a
history dated as it happened, never in the future.

Shares the one demo build of the package (tests/demo/conftest.py, ``demo_log``)."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from swstation.accounts.models import User
from swstation.demo.evaluation import round_names
from swstation.evaluation import measures, scoring
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    IndicatorScore,
    RectificationItem,
    RectificationStatus,
    RoundKind,
    RoundStatus,
    StationEvaluation,
)
from swstation.evaluation.services.rounds import entries_close_at, evaluator_conflict
from swstation.stations.models import Station, StationKind

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]

CICHENG = "330205103000"
ZHAOBAOSHAN = "330211001000"
ZHOUXIANG = "330282121000"
JIANGBEI = "330205"
# The order of the steps in an evaluation's log.
FLOW = (
    EventKind.COMPUTED,
    EventKind.SELF_SUBMITTED,
    EventKind.SCORING_SUBMITTED,
    EventKind.PASSED,
    EventKind.PUBLISHED,
    EventKind.FINALISED,
)


def _rounds() -> tuple[EvaluationRound, EvaluationRound]:
    _annual_year, _mid_year, annual_name, mid_name = round_names(timezone.localdate())
    return EvaluationRound.objects.get(name=annual_name), EvaluationRound.objects.get(name=mid_name)


def test_the_annual_round_is_final_for_every_station_with_a_spread_of_grades(
    demo_log: str,
) -> None:
    assert "evaluation: 8 evaluators" in demo_log
    annual, _mid_term = _rounds()
    assert annual.kind == RoundKind.ANNUAL and annual.status == RoundStatus.CLOSED
    assert annual.indicator_set.version == 1
    evaluations = list(annual.evaluations.prefetch_related("scores", "revisions"))
    operating = Station.objects.filter(kind=StationKind.TOWNSHIP).count()
    assert len(evaluations) == operating == 156
    assert {e.status for e in evaluations} == {EvaluationStatus.FINAL}
    grades = Counter(e.grade for e in evaluations)
    n = len(evaluations)
    assert 0.2 <= grades["excellent"] / n <= 0.3, grades
    assert 0.4 <= grades["good"] / n <= 0.5, grades
    assert 0.2 <= grades["pass"] / n <= 0.3, grades
    assert 3 <= grades["fail"] <= 6, grades
    vetoed = [e for e in evaluations if e.veto]
    assert vetoed and all(e.grade == "fail" and e.total_score >= 60 for e in vetoed)
    for evaluation in evaluations:
        # The services' totals: the sum of the final scores, graded by the scheme, as the
        # latest published revision froze them.
        finals = [s.final_score for s in evaluation.scores.all()]
        assert None not in finals
        total = scoring.total_score(s for s in finals if s is not None)
        assert evaluation.total_score == total
        assert evaluation.grade == scoring.grade_for(total, vetoed=bool(evaluation.veto))
        latest = max(evaluation.revisions.all(), key=lambda r: r.number)
        assert (latest.total_score, latest.grade) == (total, evaluation.grade)
        assert evaluation.self_total is not None and evaluation.site_visit_on is not None
        assert evaluation.payment_hold == (evaluation.grade == "fail")
    # The seeded stations land on their planned grades: the model station 招宝山街道 优秀.
    planned = {ZHAOBAOSHAN: "excellent", CICHENG: "good", ZHOUXIANG: "good"}
    assert {e.region_code: e.grade for e in evaluations if e.region_code in planned} == planned
    # One objection upheld (scored again by another evaluator, revision 2), one rejected.
    assert sum(1 for e in evaluations if len(e.revisions.all()) == 2) == 1
    assert sum(1 for e in evaluations if e.objection) == 2


# The indicators the demo's records used to leave near zero (issue 15, demo fidelity): their
# automatic scores now spread as a city's do.
SPREAD = ("B3", "B4", "D2", "D3", "E2", "F3", "G1")


def test_the_automatic_scores_are_what_the_records_give_and_spread(demo_log: str) -> None:
    annual, _mid_term = _rounds()
    evaluations = list(annual.evaluations.select_related("station"))
    scores = list(
        IndicatorScore.objects.filter(
            evaluation__round=annual, indicator__code__in=SPREAD
        ).select_related("indicator")
    )
    # The values stored by the round's computation are those the records give today (the
    # demo changes no record the measures read after the round computed them).
    period = measures.MeasurePeriod(
        start=annual.period_start,
        snapshot=annual.snapshot_date,
        entered_by=entries_close_at(annual),
    )
    sources = {s.indicator.code: s.indicator.source for s in scores}
    values = measures.measure_stations(
        [e.station for e in evaluations], period, set(sources.values())
    )
    station_of = {e.pk: e.station_id for e in evaluations}
    for score in scores:
        measured = values[station_of[score.evaluation_id]][score.indicator.source]
        assert score.measured_value == measured.value, (score.indicator.code, score.pk)
    # Each spreads: most stations earn most of the points, some (three at least) all of
    # them, a few under 60 %. The groups and activities of the round's year are the same
    # whatever the day the demo is built (demo/community.py: each station's year has its seed).
    for code in SPREAD:
        shares = [
            s.auto_score / s.indicator.points
            for s in scores
            if s.indicator.code == code and s.auto_score is not None
        ]
        assert len(shares) >= 0.9 * len(evaluations), code
        mean = sum(shares) / len(shares)
        assert 0.55 <= mean <= 0.97, (code, mean)
        assert sum(1 for v in shares if v >= 1) >= 3, code
        under = sum(1 for v in shares if v < 0.6)
        assert 0 < under <= 0.25 * len(shares), (code, under)


def test_evaluators_override_few_automatic_scores_and_say_why(demo_log: str) -> None:
    annual, mid_term = _rounds()
    for round_, most in ((annual, 300), (mid_term, 200)):
        overridden = IndicatorScore.objects.filter(
            evaluation__round=round_, auto_score__isnull=False, evaluator_score__isnull=False
        ).exclude(evaluator_score=F("auto_score"))
        assert 0 < overridden.count() <= most, (round_.kind, overridden.count())
        assert not overridden.filter(override_reason="").exists()
    match = re.search(r"(\d+) automatic scores overridden", demo_log)
    assert match is not None and int(match.group(1)) <= 300


def test_the_evaluators_never_score_a_station_of_their_agency(demo_log: str) -> None:
    profiles = Evaluator.objects.select_related("user", "agency")
    assert profiles.count() == 8
    assert sum(1 for p in profiles if p.agency is None) == 2
    agencies = {p.agency_id for p in profiles if p.agency_id}
    assert len(agencies) == 2
    assert not Station.objects.filter(agency_id__in=agencies).exists()
    assert {p.user.role for p in profiles} == {"evaluator"}
    for evaluation in StationEvaluation.objects.select_related("station__region", "round"):
        assert evaluation.evaluator is not None
        assert evaluator_conflict(evaluation.evaluator, evaluation.station, evaluation.round) == ""


def test_the_rectification_items_are_closed_reopened_or_overdue(demo_log: str) -> None:
    annual, _mid_term = _rounds()
    today = timezone.localdate()
    items = list(
        RectificationItem.objects.filter(evaluation__round=annual).select_related("evaluation")
    )
    assert items
    for item in items:
        final_on = item.evaluation.final_on
        assert final_on is not None and item.original_due_on == final_on + timedelta(days=60)
        assert item.status != RectificationStatus.PROPOSED
        if item.answered_on is not None:
            assert final_on < item.answered_on < today
        if item.status == RectificationStatus.CLOSED:
            assert item.answered_on is not None and item.closed_on is not None
            assert item.answered_on <= item.closed_on < today
            assert item.closed_on_time == (item.answered_on <= item.original_due_on)
    closed = [i for i in items if i.status == RectificationStatus.CLOSED]
    assert any(i.closed_on_time for i in closed) and any(not i.closed_on_time for i in closed)
    assert any(i.status == RectificationStatus.REOPENED for i in items)
    overdue = [
        i
        for i in items
        if i.status in (RectificationStatus.ISSUED, RectificationStatus.REOPENED)
        and i.due_on is not None
        and i.due_on < today
    ]
    assert any(i.status == RectificationStatus.ISSUED for i in overdue)
    # Every 不合格 has items; a veto its own (no indicator).
    failed = StationEvaluation.objects.filter(round=annual, grade="fail")
    assert all(e.rectifications.exists() for e in failed)
    assert all(e.rectifications.filter(indicator=None).exists() for e in failed.exclude(veto=""))


def test_the_mid_term_round_is_at_every_step(demo_log: str) -> None:
    _annual, mid_term = _rounds()
    today = timezone.localdate()
    assert mid_term.kind == RoundKind.MID_TERM and mid_term.status == RoundStatus.OPEN
    evaluations = {e.region_code: e for e in mid_term.evaluations.select_related("evaluator")}
    assert len(evaluations) == 156
    steps = Counter(e.status for e in evaluations.values())
    assert set(steps) == set(EvaluationStatus.values) - {EvaluationStatus.OPEN}, steps
    assert steps[EvaluationStatus.SCORING] == max(steps.values())
    assert steps[EvaluationStatus.OBJECTION] == 1
    assert evaluations[CICHENG].status == EvaluationStatus.SELF_ASSESSMENT
    assert not evaluations[CICHENG].scores.exclude(self_score=None).exists()
    assert evaluations[ZHAOBAOSHAN].status == EvaluationStatus.PUBLISHED
    assert evaluations[ZHOUXIANG].status == EvaluationStatus.OBJECTION
    for evaluation in evaluations.values():
        # What is under way is not past its due date.
        due = {
            EvaluationStatus.SELF_ASSESSMENT: evaluation.self_due_on,
            EvaluationStatus.SCORING: evaluation.scoring_due_on,
            EvaluationStatus.DISTRICT_REVIEW: evaluation.review_due_on,
            EvaluationStatus.PUBLISHED: evaluation.objection_until,
        }.get(evaluation.status, today)
        assert due is not None and due >= today, (evaluation, due)
    returned = EvaluationEvent.objects.filter(
        evaluation__round=mid_term, kind=EventKind.RETURNED
    ).select_related("evaluation")
    assert len(returned) == 1 and returned[0].note
    assert returned[0].evaluation.status == EvaluationStatus.DISTRICT_REVIEW
    # The rectification items of the final ones are issued, some answered.
    items = RectificationItem.objects.filter(evaluation__round=mid_term, evaluation__status="final")
    assert {i.status for i in items} == {RectificationStatus.ISSUED, RectificationStatus.ANSWERED}


def test_city_evaluator_has_work_in_both_rounds(demo_log: str) -> None:
    annual, mid_term = _rounds()
    user = User.objects.get(username="city_evaluator")
    assert user.role == "evaluator" and user.full_name == "第三方评估员"
    assert Evaluator.objects.get(user=user).agency is not None
    mine = StationEvaluation.objects.visible_to(user)
    assert mine.filter(round=annual).exists()
    assert set(mine.values_list("round", flat=True)) == {annual.pk, mid_term.pk}
    assert mine.count() == StationEvaluation.objects.filter(evaluator=user).count()
    scoring_now = mine.filter(round=mid_term, status=EvaluationStatus.SCORING)
    assert scoring_now.filter(region_code__startswith=JIANGBEI).count() >= 3
    assert mine.filter(round=mid_term, region_code=CICHENG).exists()


def test_the_history_reads_as_it_happened(demo_log: str) -> None:
    annual, mid_term = _rounds()
    now = timezone.now()
    assert not EvaluationEvent.objects.filter(created_at__gt=now).exists()
    assert not StationEvaluation.history.filter(history_date__gt=now).exists()
    year = annual.snapshot_date.year + 1
    assert annual.opened_on is not None and annual.opened_on.year == year
    assert annual.closed_on is not None and annual.closed_on.month <= 4
    for evaluation in annual.evaluations.all():
        assert evaluation.final_on is not None and evaluation.final_on.year == year
        assert evaluation.published_at is not None and evaluation.published_at.month <= 4
        kinds = [e.kind for e in evaluation.events.order_by("created_at", "pk")]
        positions = [kinds.index(kind) for kind in FLOW]
        assert positions == sorted(positions), kinds
        dates = list(
            evaluation.history.order_by("history_id").values_list("history_date", flat=True)
        )
        assert dates == sorted(dates) and dates[-1].year == year
    opened = mid_term.opened_on
    assert opened is not None and opened > mid_term.snapshot_date
    assert not mid_term.evaluations.filter(computed_at__date__lt=opened).exists()
