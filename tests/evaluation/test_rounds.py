"""The rounds and the flow of a station's evaluation (issue 15; spec/station-evaluation.md §3,
§4): who may do each step, what each step checks, what a published score and a final result
become."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.evaluation import selectors, services
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    IndicatorScore,
    IndicatorSet,
    RectificationItem,
    RectificationStatus,
    SetStatus,
    StationEvaluation,
)
from swstation.funds.models import ContractInstalment, PurchaseContract
from swstation.recipients.models import Recipient
from swstation.stations.models import ServiceAgency, Station
from tests.conftest import CICHENG, YUEHU
from tests.evaluation.helpers import make_set, make_tree
from tests.workforce.helpers import person as township_person
from tests.workforce.helpers import station as township_station

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": date(2025, 1, 1), "snapshot_date": date(2025, 12, 31)}


@pytest.fixture
def standard() -> IndicatorSet:
    """A published two-dimension standard: A1 automatic (cases opened, 30 a year → 40
    points), A2 by hand (20), B1 by hand (40)."""
    published = make_set("测试评估标准", status=SetStatus.PUBLISHED)
    make_tree(published, {"A": (60, [40, 20]), "B": (40, [40])})
    a1 = published.dimensions.get(code="A").indicators.get(code="A1")
    a1.rule_type = "ratio"
    a1.rule_params = {"target": 30, "prorate": True}
    a1.source = "cases_opened"
    a1.save()
    return published


@pytest.fixture
def stations() -> dict[str, Station]:
    return {"cicheng": township_station(CICHENG), "yuehu": township_station(YUEHU)}


@pytest.fixture
def evaluator(make_user: Any) -> Any:
    user = make_user(Role.EVALUATOR, full_name="评估员甲")
    Evaluator.objects.create(user=user)
    return user


def open_round(standard: IndicatorSet, users: dict[str, Any], **fields: Any) -> EvaluationRound:
    round_ = services.round_create(
        actor=users[Role.CITY_ADMIN],
        name=fields.pop("name", "2025年度评估"),
        kind="annual",
        indicator_set=standard,
        **{**PERIOD, **fields},
    )
    return services.round_open(actor=users[Role.CITY_ADMIN], round=round_)


def to_scoring(
    evaluation: StationEvaluation, users: dict[str, Any], evaluator: Any
) -> StationEvaluation:
    """Computed, assigned, self-assessed and submitted by the station."""
    services.evaluator_assign(
        actor=users[Role.CITY_ADMIN], evaluation=evaluation, evaluator=evaluator
    )
    services.evaluation_compute(
        actor=users[Role.CITY_ADMIN], round=evaluation.round, evaluations=[evaluation]
    )
    evaluation.refresh_from_db()
    for score in evaluation.scores.select_related("indicator"):
        services.self_score_set(
            actor=users[Role.STATION_MANAGER],
            score=score,
            self_score=score.indicator.points,
            self_note="自评满分",
        )
    return services.self_submit(actor=users[Role.STATION_MANAGER], evaluation=evaluation)


def score_all(
    evaluation: StationEvaluation, evaluator: Any, values: dict[str, Decimal] | None = None
) -> None:
    values = values or {}
    for score in evaluation.scores.select_related("indicator"):
        code = score.indicator.code
        value = values.get(code, score.auto_score if score.auto_score is not None else None)
        if value is None:
            value = score.indicator.points
        services.score_set(
            actor=evaluator,
            score=score,
            evaluator_score=value,
            override_reason="实地核查与系统数据不符"
            if score.auto_score not in (None, value)
            else "",
            finding="" if value == score.indicator.points else "档案不全",
        )


def cicheng(round_: EvaluationRound) -> StationEvaluation:
    return round_.evaluations.get(region_code=CICHENG)


# --- rounds --------------------------------------------------------------------------------------


def test_a_round_scores_only_with_a_published_version(users: dict[str, Any]) -> None:
    draft = make_set("草稿标准")
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=users[Role.CITY_ADMIN],
            name="2025年度评估",
            kind="annual",
            indicator_set=draft,
            **PERIOD,
        )
    assert "indicator_set" in refused.value.message_dict
    assert not EvaluationRound.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.CITY_ADMIN])
def test_only_the_city_opens_a_round(
    role: str, users: dict[str, Any], standard: IndicatorSet
) -> None:
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=users[role], name="x", kind="annual", indicator_set=standard, **PERIOD
        )


def test_opening_makes_one_evaluation_per_operating_station_with_every_indicator(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station]
) -> None:
    later = township_station("330205001000")
    later.opened_on = date(2026, 3, 1)
    later.save()
    round_ = open_round(standard, users)
    assert set(round_.evaluations.values_list("station", flat=True)) == {
        stations["cicheng"].pk,
        stations["yuehu"].pk,
    }
    assert IndicatorScore.objects.filter(evaluation__round=round_).count() == 2 * 3
    with pytest.raises(StateConflict):
        services.round_update(actor=users[Role.CITY_ADMIN], round=round_, name="改名")


# --- automatic values ----------------------------------------------------------------------------


def test_computing_waits_for_the_entry_grace_and_fills_the_automatic_scores(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station]
) -> None:
    today = date.today()
    round_ = open_round(
        standard, users, period_start=today - timedelta(days=200), snapshot_date=today
    )
    with pytest.raises(ValidationError):
        services.evaluation_compute(actor=users[Role.CITY_ADMIN], round=round_)

    past = open_round(standard, users, name="2025年度评估（二）")
    assert services.evaluation_compute(actor=users[Role.CITY_ADMIN], round=past) == 2
    evaluation = cicheng(past)
    assert evaluation.status == EvaluationStatus.SELF_ASSESSMENT
    a1 = evaluation.scores.get(indicator__code="A1")
    a2 = evaluation.scores.get(indicator__code="A2")
    assert a1.auto_score == Decimal("0.00") and a1.measured_value == 0
    assert a2.auto_score is None and a2.final_score is None
    assert EvaluationEvent.objects.filter(evaluation=evaluation, kind=EventKind.COMPUTED).exists()

    with pytest.raises(ValidationError) as refused:
        services.evaluation_compute(actor=users[Role.CITY_ADMIN], round=past)
    assert "reason" in refused.value.message_dict
    services.evaluation_compute(actor=users[Role.CITY_ADMIN], round=past, reason="补录数据后重算")


# --- the flow ------------------------------------------------------------------------------------


def test_an_evaluator_is_never_assigned_a_station_their_agency_operates(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], make_user: Any
) -> None:
    agency = ServiceAgency.objects.create(name="慈城社工服务社", region=stations["cicheng"].region)
    stations["cicheng"].agency = agency
    stations["cicheng"].save()
    own = make_user(Role.EVALUATOR)
    Evaluator.objects.create(user=own, agency=agency)
    round_ = open_round(standard, users)
    with pytest.raises(ValidationError) as refused:
        services.evaluator_assign(
            actor=users[Role.CITY_ADMIN], evaluation=cicheng(round_), evaluator=own
        )
    assert "evaluator" in refused.value.message_dict
    assert cicheng(round_).evaluator is None


def test_an_agency_with_a_contract_in_the_township_is_refused_too(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], make_user: Any
) -> None:
    agency = ServiceAgency.objects.create(name="江北评估中心", region=stations["cicheng"].region)
    PurchaseContract.objects.create(
        number="HT-2025-01",
        title="慈城镇项目购买",
        region=stations["cicheng"].region,
        tier="township",
        agency=agency,
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        amount=Decimal(100000),
        deliverables="服务",
    )
    user = make_user(Role.EVALUATOR)
    Evaluator.objects.create(user=user, agency=agency)
    round_ = open_round(standard, users)
    with pytest.raises(ValidationError):
        services.evaluator_assign(
            actor=users[Role.CITY_ADMIN], evaluation=cicheng(round_), evaluator=user
        )
    services.evaluator_assign(
        actor=users[Role.CITY_ADMIN],
        evaluation=round_.evaluations.get(region_code=YUEHU),
        evaluator=user,
    )


def test_the_whole_flow_to_a_final_result(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(standard, users)
    evaluation = to_scoring(cicheng(round_), users, evaluator)
    assert evaluation.status == EvaluationStatus.SCORING
    assert evaluation.self_total == Decimal("100.00")

    # Only the assigned evaluator scores; an automatic score changed needs a reason.
    a1 = evaluation.scores.get(indicator__code="A1")
    with pytest.raises(PermissionDenied):
        services.score_set(actor=users[Role.DISTRICT_OFFICER], score=a1, evaluator_score=10)
    with pytest.raises(ValidationError) as refused:
        services.score_set(actor=evaluator, score=a1, evaluator_score=Decimal(10), finding="少")
    assert "override_reason" in refused.value.message_dict
    a2 = evaluation.scores.get(indicator__code="A2")
    with pytest.raises(ValidationError) as refused:
        services.score_set(actor=evaluator, score=a2, evaluator_score=Decimal("7.3"), finding="x")
    assert "evaluator_score" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.score_set(actor=evaluator, score=a2, evaluator_score=Decimal(10))
    assert "finding" in refused.value.message_dict

    with pytest.raises(ValidationError):  # A2 and B1 not scored yet, no site visit
        services.scoring_submit(actor=evaluator, evaluation=evaluation)
    score_all(evaluation, evaluator, {"A1": Decimal(20), "A2": Decimal(10), "B1": Decimal(40)})
    a1.refresh_from_db()
    assert a1.auto_score == Decimal("0.00") and a1.final_score == Decimal("20.00")
    services.scoring_submit(
        actor=evaluator,
        evaluation=evaluation,
        site_visit_on=date(2026, 1, 10),
        site_findings="现场查看",
    )
    evaluation.refresh_from_db()
    assert evaluation.total_score == Decimal("70.00") and evaluation.grade == "pass"
    # A1 (20 of 40) and A2 (10 of 20) are at 50 %: below 60 %, each proposes an item.
    proposed = RectificationItem.objects.filter(evaluation=evaluation)
    assert {i.indicator.code for i in proposed} == {"A1", "A2"}
    assert all(i.status == RectificationStatus.PROPOSED for i in proposed)

    # The district comments and returns or passes, never scores.
    with pytest.raises(PermissionDenied):
        services.score_set(actor=users[Role.DISTRICT_OFFICER], score=a1, evaluator_score=40)
    services.review_return(
        actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation, comment="A2佐证不足，请复核"
    )
    services.scoring_submit(actor=evaluator, evaluation=evaluation)
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    [published] = services.city_approve(actor=users[Role.CITY_ADMIN], evaluations=[evaluation])
    assert published.status == EvaluationStatus.PUBLISHED
    assert published.revisions.get().total_score == Decimal("70.00")
    assert published.objection_until is not None and published.objection_until > date.today()

    # A published score never changes.
    with pytest.raises(StateConflict):
        services.score_set(
            actor=evaluator, score=a1, evaluator_score=Decimal(40), override_reason="改"
        )
    a1.refresh_from_db()
    assert a1.final_score == Decimal("20.00")

    assert services.finalise_due(on=published.objection_until) == 0
    assert services.finalise_due(on=published.objection_until + timedelta(days=1)) == 1
    published.refresh_from_db()
    assert published.status == EvaluationStatus.FINAL
    items = list(published.rectifications.all())
    assert {i.status for i in items} == {RectificationStatus.ISSUED}
    final_day = published.objection_until + timedelta(days=1)
    assert published.final_on == final_day
    assert all(i.due_on == final_day + timedelta(days=60) for i in items)
    assert selectors.evaluation_ranks(round=round_) == {published.pk: (1, 1)}


def test_a_station_sees_its_result_only_from_publication(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(standard, users)
    evaluation = to_scoring(cicheng(round_), users, evaluator)
    score_all(evaluation, evaluator)
    services.scoring_submit(actor=evaluator, evaluation=evaluation, site_visit_on=date(2026, 1, 5))
    manager = users[Role.STATION_MANAGER]
    row = selectors.evaluation_list(actor=manager).get(pk=evaluation.pk)
    assert row.shown_total is None and row.shown_grade is None
    assert not selectors.score_visibility(actor=manager, evaluation=row).evaluator_scores
    office = selectors.evaluation_list(actor=users[Role.DISTRICT_OFFICER]).get(pk=evaluation.pk)
    assert office.shown_total == sum(evaluation.scores.values_list("final_score", flat=True))
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    services.city_approve(actor=users[Role.CITY_ADMIN], evaluations=[evaluation])
    row = selectors.evaluation_list(actor=manager).get(pk=evaluation.pk)
    assert row.shown_total is not None and row.shown_grade


def test_an_upheld_objection_is_scored_again_by_another_evaluator_and_published_anew(
    users: dict[str, Any],
    standard: IndicatorSet,
    stations: dict[str, Station],
    evaluator: Any,
    make_user: Any,
) -> None:
    round_ = open_round(standard, users)
    evaluation = to_scoring(cicheng(round_), users, evaluator)
    score_all(evaluation, evaluator, {"B1": Decimal(10)})
    services.scoring_submit(actor=evaluator, evaluation=evaluation, site_visit_on=date(2026, 1, 5))
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    services.city_approve(actor=users[Role.CITY_ADMIN], evaluations=[evaluation])
    with pytest.raises(ValidationError):
        services.objection_file(
            actor=users[Role.STATION_MANAGER], evaluation=evaluation, objection="不服"
        )
    services.objection_file(
        actor=users[Role.STATION_MANAGER],
        evaluation=evaluation,
        objection="B1已提供全部培训记录，评估时未予采信，请复核。",
    )
    with pytest.raises(ValidationError) as refused:
        services.objection_decide(
            actor=users[Role.CITY_ADMIN],
            evaluation=evaluation,
            upheld=True,
            reason="材料属实",
            evaluator=evaluator,
        )
    assert "evaluator" in refused.value.message_dict
    second = make_user(Role.EVALUATOR)
    services.objection_decide(
        actor=users[Role.CITY_ADMIN],
        evaluation=evaluation,
        upheld=True,
        reason="材料属实",
        evaluator=second,
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING and evaluation.evaluator == second
    b1 = evaluation.scores.get(indicator__code="B1")
    services.score_set(actor=second, score=b1, evaluator_score=Decimal(40))
    services.scoring_submit(actor=second, evaluation=evaluation, site_visit_on=date(2026, 2, 1))
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    services.city_approve(
        actor=users[Role.CITY_ADMIN], evaluations=[evaluation], reason="异议成立，重新评分"
    )
    first, latest = evaluation.revisions.order_by("number")
    assert latest.number == 2 and latest.total_score - first.total_score == Decimal(30)
    assert first.scores["B1"] == "10.00"  # the first publication stays as it was


def test_a_failing_station_has_its_final_instalment_held(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    contract = PurchaseContract.objects.create(
        number="HT-2025-02",
        title="慈城镇社工站运营",
        region=stations["cicheng"].region,
        tier="township",
        agency=ServiceAgency.objects.create(name="慈城运营机构", region=stations["cicheng"].region),
        station=stations["cicheng"],
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        amount=Decimal(300000),
        deliverables="运营",
    )
    final = ContractInstalment.objects.create(
        contract=contract,
        sequence=2,
        due_on=date(2026, 3, 1),
        amount=Decimal(90000),
        is_final=True,
    )
    round_ = open_round(standard, users)
    evaluation = to_scoring(cicheng(round_), users, evaluator)
    score_all(evaluation, evaluator, {"A1": Decimal(0), "A2": Decimal(10), "B1": Decimal(20)})
    services.scoring_submit(actor=evaluator, evaluation=evaluation, site_visit_on=date(2026, 1, 5))
    evaluation.refresh_from_db()
    assert evaluation.grade == "fail"
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    services.city_approve(actor=users[Role.CITY_ADMIN], evaluations=[evaluation])
    services.finalise_due(on=evaluation.objection_until + timedelta(days=1))
    evaluation.refresh_from_db()
    final.refresh_from_db()
    assert evaluation.payment_hold and evaluation.no_new_contract
    assert final.held and "不合格" in final.hold_reason


def test_rectification_closed_on_time_only_when_answered_by_the_first_due_date(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(standard, users)
    evaluation = to_scoring(cicheng(round_), users, evaluator)
    score_all(evaluation, evaluator, {"A2": Decimal(5)})
    services.scoring_submit(actor=evaluator, evaluation=evaluation, site_visit_on=date(2026, 1, 5))
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    services.city_approve(actor=users[Role.CITY_ADMIN], evaluations=[evaluation])
    services.finalise_due(on=evaluation.objection_until + timedelta(days=1))
    item = RectificationItem.objects.get(evaluation=evaluation, indicator__code="A2")
    with pytest.raises(PermissionDenied):
        services.rectification_answer(
            actor=users[Role.DISTRICT_OFFICER], item=item, answer="已整改完毕"
        )
    services.rectification_answer(
        actor=users[Role.STATION_MANAGER], item=item, answer="已补齐全部个案档案"
    )
    with pytest.raises(ValidationError):
        services.rectification_verify(actor=users[Role.DISTRICT_OFFICER], item=item, accept=False)
    services.rectification_verify(
        actor=users[Role.DISTRICT_OFFICER], item=item, accept=False, comment="缺少照片"
    )
    assert item.status == RectificationStatus.REOPENED
    assert item.due_on == date.today() + timedelta(days=30)
    services.rectification_answer(
        actor=users[Role.STATION_MANAGER], item=item, answer="已补充现场照片三张"
    )
    services.rectification_verify(actor=users[Role.DISTRICT_OFFICER], item=item, accept=True)
    assert item.status == RectificationStatus.CLOSED and item.closed_on_time

    RectificationItem.objects.filter(pk=item.pk).update(due_on=date.today() - timedelta(days=1))
    listed = selectors.rectification_list(actor=users[Role.DISTRICT_OFFICER]).get(pk=item.pk)
    assert not listed.is_overdue  # closed: never overdue


# --- the evaluator sees their assignments only -------------------------------------------------


def test_an_evaluator_sees_only_the_stations_and_rounds_of_their_assignments(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(standard, users)
    open_round(standard, users, name="另一轮次")
    services.evaluator_assign(
        actor=users[Role.CITY_ADMIN], evaluation=cicheng(round_), evaluator=evaluator
    )
    assert list(StationEvaluation.objects.visible_to(evaluator)) == [cicheng(round_)]
    assert list(EvaluationRound.objects.visible_to(evaluator)) == [round_]
    assert set(IndicatorScore.objects.visible_to(evaluator)) == set(cicheng(round_).scores.all())
    # Nothing else of the network: no recipients, no stations list.
    Recipient.objects.create(name="王阿婆", region=stations["cicheng"].region)
    assert not Recipient.objects.visible_to(evaluator).exists()
    assert not Station.objects.visible_to(evaluator).exists()


def test_system_runs_the_daily_finalisation_only_after_the_window(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(standard, users)
    evaluation = to_scoring(cicheng(round_), users, evaluator)
    score_all(evaluation, evaluator)
    services.scoring_submit(actor=evaluator, evaluation=evaluation, site_visit_on=date(2026, 1, 5))
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    services.city_approve(actor=SYSTEM, evaluations=[evaluation])
    evaluation.refresh_from_db()
    assert services.finalise_due(on=evaluation.objection_until) == 0
    with pytest.raises(ValidationError):
        services.round_close(actor=users[Role.CITY_ADMIN], round=round_)


def test_an_evaluator_reads_nothing_of_the_network_outside_the_evaluation(
    evaluator: Any,
) -> None:
    """Every scoped model outside the evaluation app is closed to a third-party evaluator; in
    the evaluation app only the standards (city-wide) and the records of their assignments."""
    from django.apps import apps

    from swstation.core.permissions import user_can

    for model in apps.get_models():
        if not hasattr(model, "role_permissions") or model.__name__.startswith("Historical"):
            continue
        if model._meta.app_label == "evaluation":
            continue
        assert not user_can(evaluator, "view", model), model.__name__
        assert not model._default_manager.visible_to(evaluator).exists(), model.__name__


def test_a_self_assessment_past_its_due_date_goes_to_the_scoring_as_it_stands(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(standard, users)
    services.evaluation_compute(actor=users[Role.CITY_ADMIN], round=round_)
    evaluation = cicheng(round_)
    assert evaluation.status == EvaluationStatus.SELF_ASSESSMENT
    assert services.self_assessment_close_due(on=evaluation.self_due_on) == 0
    assert services.self_assessment_close_due(on=evaluation.self_due_on + timedelta(days=1)) == 2
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING and evaluation.self_total == 0


def test_an_evaluator_who_worked_at_the_station_is_refused_for_the_round_s_months(
    users: dict[str, Any], standard: IndicatorSet, stations: dict[str, Station], make_user: Any
) -> None:
    """Spec §4: no evaluator who worked at the station in the 24 months (the round's
    ``recusal_months``) before the period."""
    former = make_user(Role.EVALUATOR, full_name="原站点社工")
    Evaluator.objects.create(user=former)
    worker = township_person(
        CICHENG, user=former, station=stations["cicheng"], hired_on=date(2022, 3, 1)
    )
    worker.left_on = date(2024, 1, 31)  # 11 months before the period starts
    worker.save()
    strict = open_round(standard, users)
    assert strict.recusal_months == 24
    with pytest.raises(ValidationError) as refused:
        services.evaluator_assign(
            actor=users[Role.CITY_ADMIN], evaluation=cicheng(strict), evaluator=former
        )
    assert "24" in refused.value.message_dict["evaluator"][0]
    lenient = open_round(standard, users, name="2025年度评估（回避期6个月）", recusal_months=6)
    services.evaluator_assign(
        actor=users[Role.CITY_ADMIN], evaluation=cicheng(lenient), evaluator=former
    )
    assert cicheng(lenient).evaluator == former
