"""One record of each model of the evaluation rounds and their surveys (issue 15), for the walks
over every model's pages (tests/core/test_pages_as_read.py, test_safe_exports.py): a round of a
published standard opened for 慈城镇's station through the services, its evaluation computed
and assigned, and the records that hang off it made directly."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from swstation.core.roles import Role
from swstation.evaluation import services
from swstation.evaluation.models import (
    AssessmentStatus,
    Complaint,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictResult,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationRound,
    Evaluator,
    IndicatorScore,
    Questionnaire,
    RectificationItem,
    SetStatus,
    StakeholderRating,
    StationEvaluation,
    StationEvaluationRevision,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)
from swstation.evaluation.models.surveys import (
    AttemptOutcome,
    FollowUpMode,
    RaterKind,
    stratum_code,
)
from swstation.regions.models import Region
from tests.conftest import CICHENG, CITY, JIANGBEI
from tests.evaluation.helpers import make_set, make_tree
from tests.projects import helpers as projects

PERIOD = {"period_start": date(2025, 1, 1), "snapshot_date": date(2025, 12, 31)}


class EvaluationRecords:
    """The ``n``-th round's records, made once (each model's maker asks for its own)."""

    def __init__(self, make_user: Callable[..., Any], n: int) -> None:
        self.n = n
        self.city = make_user(Role.CITY_ADMIN, CITY)
        self.evaluator_user = make_user(Role.EVALUATOR, CITY, full_name=f"评估员{n:03d}")
        self.evaluator = Evaluator.objects.create(
            user=self.evaluator_user, qualification="中级社会工作师"
        )
        standard = make_set(f"记录评估标准{n:03d}", status=SetStatus.PUBLISHED)
        make_tree(standard, {"A": (80, [80]), "H": (20, [20])})
        standard.published_on = timezone.localdate()
        standard.save()
        station = projects.station(CICHENG)
        self.round = services.round_create(
            actor=self.city,
            name=f"{2025 - n}年度评估{n:03d}",
            kind="annual",
            indicator_set=standard,
            **PERIOD,
        )
        services.round_open(actor=self.city, round=self.round, stations=[station])
        self.evaluation = self.round.evaluations.get(station=station)
        services.evaluator_assign(
            actor=self.city, evaluation=self.evaluation, evaluator=self.evaluator_user
        )
        services.evaluation_compute(actor=self.city, round=self.round)
        self.evaluation.refresh_from_db()
        self.score = self.evaluation.scores.select_related("indicator").order_by("pk").first()
        assert self.score is not None
        self.station = station

    def evidence(self) -> EvaluationEvidence:
        return EvaluationEvidence.objects.create(
            score=self.score,
            title=f"台账照片{self.n:03d}",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="evidence.pdf"),
        )

    def event(self) -> EvaluationEvent:
        event = self.evaluation.events.order_by("pk").first()
        assert event is not None
        return event

    def revision(self) -> StationEvaluationRevision:
        return StationEvaluationRevision.objects.create(
            evaluation=self.evaluation,
            number=1,
            total_score=Decimal("86.50"),
            grade="good",
            scores={self.score.indicator.code: "70.00"},
            reason="首次发布",
            approved_by=self.city,
            published_on=timezone.localdate(),
        )

    def rectification(self) -> RectificationItem:
        return RectificationItem.objects.create(
            evaluation=self.evaluation,
            indicator=self.score.indicator,
            finding=f"服务台账不全{self.n:03d}",
            required_action="补齐台账",
        )

    def questionnaire(self) -> Questionnaire:
        return Questionnaire.objects.create(
            name=f"记录问卷{self.n:03d}", version=1, items={}, note="测试问卷"
        )

    def sample(self) -> SurveySample:
        found = SurveySample.objects.filter(evaluation=self.evaluation).first()
        if found is not None:
            return found
        questionnaire = (
            Questionnaire.objects.filter(status=SetStatus.PUBLISHED).order_by("pk").first()
            or self.questionnaire()
        )
        return SurveySample.objects.create(
            evaluation=self.evaluation,
            questionnaire=questionnaire,
            population=10,
            sample_size=5,
            home_visits=1,
            seed=1000 + self.n,
            drawn_at=timezone.now() - timedelta(days=1),
            drawn_by=self.city,
        )

    def respondent(self) -> SurveyRespondent:
        sample = self.sample()
        found = sample.respondents.first()
        if found is not None:
            return found
        return SurveyRespondent.objects.create(
            sample=sample,
            recipient=projects.recipient(CICHENG),
            stratum=stratum_code("", True),
            order=1,
        )

    def attempt(self) -> SurveyAttempt:
        return SurveyAttempt.objects.create(
            respondent=self.respondent(),
            attempted_on=timezone.localdate(),
            mode=FollowUpMode.PHONE,
            outcome=AttemptOutcome.NO_ANSWER,
            note="无人接听",
            entered_by=self.evaluator_user,
        )

    def answer(self) -> SurveyAnswer:
        return SurveyAnswer.objects.create(
            respondent=self.respondent(),
            answered_on=timezone.localdate(),
            mode=FollowUpMode.PHONE,
            service_confirmed=True,
            service_described="上门探访",
            s1=5,
            s2=4,
            s3=4,
            s4=5,
            s5=5,
            s6=4,
            w1=True,
            w2=True,
            w3=True,
            w4=False,
            w5=False,
            satisfaction_index=Decimal("87.50"),
            effectively_aware=True,
            note="回访顺利",
            entered_by=self.evaluator_user,
        )

    def rating(self) -> StakeholderRating:
        return StakeholderRating.objects.create(
            evaluation=self.evaluation,
            rater=RaterKind.TOWNSHIP,
            r1=5,
            r2=4,
            r3=4,
            r4=5,
            r5=4,
            score=Decimal("85.00"),
            comment="配合良好",
            rated_on=timezone.localdate(),
            entered_by=self.city,
        )

    def complaint(self) -> Complaint:
        return Complaint.objects.create(
            station=self.station,
            received_on=date(2025, 6, 1),
            channel="hotline",
            summary=f"服务不及时{self.n:03d}",
            registered_by=self.city,
        )


def district_scheme(n: int) -> DistrictAssessmentScheme:
    default = DistrictAssessmentScheme.objects.get(year=2020)
    return DistrictAssessmentScheme.objects.create(
        name=f"区县考核方案{n:03d}", year=2040 + n, items=default.items, note="测试方案"
    )


def district_assessment(n: int) -> DistrictAssessment:
    """A published assessment with 江北区's result (a district officer of the tests reads it)."""
    found = DistrictAssessment.objects.filter(year=2000 + n).first()
    if found is not None:
        return found
    assessment = DistrictAssessment.objects.create(
        year=2000 + n,
        snapshot_date=date(2000 + n, 12, 31),
        scheme=DistrictAssessmentScheme.objects.get(year=2020),
        status=AssessmentStatus.PUBLISHED,
        computed_at=timezone.now(),
        published_on=date(2001 + n, 1, 15),
        note=f"考核{n:03d}",
    )
    DistrictResult.objects.create(
        assessment=assessment,
        region=Region.objects.get(code=JIANGBEI),
        total_score=Decimal("86.50"),
        rank=1,
        scores=[
            {
                "code": "K1",
                "name": "乡镇（街道）社工站覆盖率",
                "figure": "coverage",
                "value": "100.00",
                "numerator": "8",
                "denominator": "8",
                "points": "10.00",
                "max_points": "10",
                "note": "",
            }
        ],
        figures={"grades": {"good": 5}, "stations_evaluated": 5, "newly_certified": 30},
    )
    return assessment


def record_makers(make_user: Callable[..., Any]) -> dict[type[models.Model], Any]:
    """For each model, a maker of its ``n``-th record (the ``n``-th round's)."""
    worlds: dict[int, EvaluationRecords] = {}

    def world(n: int) -> EvaluationRecords:
        if n not in worlds:
            worlds[n] = EvaluationRecords(make_user, n)
        return worlds[n]

    return {
        EvaluationRound: lambda n: world(n).round,
        StationEvaluation: lambda n: world(n).evaluation,
        IndicatorScore: lambda n: world(n).score,
        Evaluator: lambda n: world(n).evaluator,
        EvaluationEvidence: lambda n: world(n).evidence(),
        EvaluationEvent: lambda n: world(n).event(),
        StationEvaluationRevision: lambda n: world(n).revision(),
        RectificationItem: lambda n: world(n).rectification(),
        Questionnaire: lambda n: world(n).questionnaire(),
        SurveySample: lambda n: world(n).sample(),
        SurveyRespondent: lambda n: world(n).respondent(),
        SurveyAttempt: lambda n: world(n).attempt(),
        SurveyAnswer: lambda n: world(n).answer(),
        StakeholderRating: lambda n: world(n).rating(),
        Complaint: lambda n: world(n).complaint(),
        DistrictAssessmentScheme: district_scheme,
        DistrictAssessment: district_assessment,
        DistrictResult: lambda n: district_assessment(n).results.get(),
    }
