"""The demo city's district assessment (issue 15, spec §6; demo/district.py): last year's,
scored with the closed annual round and published, every district ranked, the figures the
cockpit's; this year's a computed draft. Shares the one demo build of the package."""

from decimal import Decimal

import pytest
from django.utils import timezone

from swstation.evaluation.models import (
    AssessmentStatus,
    DistrictAssessment,
    EvaluationRound,
    RoundKind,
    RoundStatus,
)
from swstation.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]


def test_last_years_assessment_is_published_with_every_district_ranked(demo_log: str) -> None:
    assert "district assessment step" in demo_log
    annual = EvaluationRound.objects.get(kind=RoundKind.ANNUAL, status=RoundStatus.CLOSED)
    assessment = DistrictAssessment.objects.get(year=annual.snapshot_date.year)
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert assessment.evaluation_round == annual
    assert assessment.published_on is not None and annual.closed_on is not None
    assert annual.closed_on <= assessment.published_on < timezone.localdate()
    results = list(assessment.results.select_related("region").order_by("rank"))
    assert len(results) == Region.objects.filter(level="county").count() == 10
    assert results[0].rank == 1
    totals = [result.total_score for result in results]
    assert totals == sorted(totals, reverse=True)
    assert min(totals) < max(totals)  # a real spread, not ten equal districts
    evaluated = 0
    for result in results:
        codes = {row["code"]: row for row in result.scores}
        assert set(codes) == {f"K{n}" for n in range(1, 10)}
        assert result.total_score == sum(Decimal(row["points"]) for row in result.scores)
        # Every township of the demo has its station (100 % coverage, domain.md).
        assert codes["K1"]["value"] == "100.00"
        evaluated += result.figures["stations_evaluated"]
        assert sum(result.figures["grades"].values()) == result.figures["stations_evaluated"]
    assert evaluated == annual.evaluations.count()


def test_this_years_assessment_is_a_computed_draft(demo_log: str) -> None:
    today = timezone.localdate()
    draft = DistrictAssessment.objects.get(year=today.year)
    assert draft.status == AssessmentStatus.DRAFT and draft.computed_at is not None
    assert draft.evaluation_round is None
    assert draft.results.count() == 10
