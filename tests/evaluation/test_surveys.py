"""The evaluation's own inputs (issue 15; spec/station-evaluation.md §2.3 H1–H3, H5, §4
"Evaluator rules", §5): the survey's sample (sizes, strata by largest remainder, reproducible
with its seed, reserves replacing the unreachable), H1/H2/H3 against hand-computed values, a
sample too small leaving them to the evaluator, H5 from the complaints of the period, who may
enter and see the answers, the logged reveal of a respondent's phone, and the scores following
the answers."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from swstation.cases.models import ServiceRecord
from swstation.core.crypto import decrypt, encrypt
from swstation.core.roles import Role
from swstation.core.scoping import get_object_for_user
from swstation.core.transitions import StateConflict
from swstation.evaluation import measures, sampling, scoring, selectors, services
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    IndicatorScore,
    IndicatorSet,
    Questionnaire,
    RespondentStatus,
    SetStatus,
    StationEvaluation,
    SurveyAnswer,
    SurveyRespondent,
    SurveySample,
)
from swstation.evaluation.services.rounds import entries_close_at
from swstation.recipients.models import Category, IdentityView, Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from tests.conftest import CICHENG, HAISHU, YUEHU
from tests.evaluation.helpers import DEFAULT_NAME, make_set, make_tree
from tests.projects import helpers as projects

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": date(2025, 1, 1), "snapshot_date": date(2025, 12, 31)}
IN_PERIOD = date(2025, 6, 1)
BEFORE_CUTOFF = timezone.make_aware(datetime(2025, 12, 20, 12))


# --- the arithmetic (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "n", "shares"),
    [
        ({"a": 50, "b": 30, "c": 20}, 60, {"a": 30, "b": 18, "c": 12}),
        # 37.5 / 22.5: the tie of remainders goes to the larger stratum
        ({"a": 50, "b": 30}, 60, {"a": 38, "b": 22}),
        # 30.3 / 29.7: the larger remainder
        ({"x": 101, "y": 99}, 60, {"x": 30, "y": 30}),
        # 3.5 / 3.5 / 3.0, equal sizes: by key
        ({"a": 7, "b": 7, "c": 6}, 10, {"a": 4, "b": 3, "c": 3}),
        ({"a": 3, "b": 1}, 4, {"a": 3, "b": 1}),
        ({"a": 0, "b": 5}, 0, {"a": 0, "b": 0}),
    ],
)
def test_allocation_by_largest_remainder(sizes: dict[str, int], n: int, shares: Any) -> None:
    assert sampling.allocate(sizes, n) == shares
    assert sum(shares.values()) == n


def test_the_reserve_is_half_the_share_as_far_as_people_are_left() -> None:
    assert sampling.reserve_size(38, 12) == 12
    assert sampling.reserve_size(22, 30) == 11
    assert sampling.reserve_size(5, 10) == 3
    assert sampling.reserve_size(0, 10) == 0


def test_the_draw_depends_only_on_the_members_and_the_seed() -> None:
    strata = {"k": list(range(1, 51)), "o": list(range(100, 130))}
    first = sampling.draw(strata, 60, seed=42)
    again = sampling.draw({"o": list(reversed(strata["o"])), "k": strata["k"]}, 60, seed=42)
    assert first == again
    assert sampling.draw(strata, 60, seed=43) != first
    main = [d for d in first if not d.is_reserve]
    assert [d.order for d in first] == list(range(1, len(first) + 1))
    assert len(main) == 60 and {d.stratum for d in main[:10]} == {"k", "o"}


@pytest.mark.parametrize(
    ("answers", "index"),
    [
        ([5, 5, 5, 5, 5, 5], Decimal("100.00")),
        ([1, 2, 3, 4, 5, None], Decimal("50.00")),
        ([5, 4, None, None, None, None], Decimal("87.50")),
        ([4, 4, 3, None, None, None], Decimal("66.67")),
        ([None] * 6, None),
    ],
)
def test_a_respondents_index(answers: list[int | None], index: Decimal | None) -> None:
    assert sampling.respondent_index(answers) == index


def test_minimum_completed_and_the_stakeholder_index() -> None:
    assert [sampling.minimum_completed(n) for n in (0, 1, 9, 10, 59, 60, 100)] == [
        0,
        1,
        5,
        5,
        30,
        30,
        30,
    ]
    assert sampling.stakeholder_index(Decimal(90), [Decimal(75), Decimal(70)]) == Decimal("81.25")
    assert sampling.stakeholder_index(None, [Decimal(75)]) is None
    assert sampling.stakeholder_index(Decimal(90), []) is None


# --- records -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english() -> Any:
    """The details stored in English (the catalog's Chinese is compiled by the setup, not by
    the tests: a detail's words are checked in the msgid's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def standard() -> IndicatorSet:
    """A published set: A1 by hand (80); H1 band (8), H2 ratio 90/50 (4), H3 ratio 90/60 (4),
    H4 by hand (2), H5 band (2) as in the default set."""
    published = make_set("测试评估标准", status=SetStatus.PUBLISHED)
    make_tree(published, {"A": (80, [80]), "H": (20, [8, 4, 4, 2, 2])})
    h = published.dimensions.get(code="H")
    rules = {
        "H1": (
            "band",
            {
                "bands": [
                    {"min": 90, "max": 100, "max_included": True, "points": 8},
                    {"min": 85, "max": 90, "points": 7},
                    {"min": 80, "max": 85, "points": 6},
                    {"min": 75, "max": 80, "points": 4},
                    {"min": 70, "max": 75, "points": 2},
                ]
            },
            "satisfaction_index",
        ),
        "H2": ("ratio", {"target": 90, "floor": 50}, "awareness_share"),
        "H3": ("ratio", {"target": 90, "floor": 60}, "stakeholder_rating"),
        "H5": (
            "band",
            {"bands": [{"min": 0, "max": 1, "points": 2}, {"min": 1, "max": 2, "points": 1}]},
            "substantiated_complaints",
        ),
    }
    for code, (rule_type, params, source) in rules.items():
        h.indicators.filter(code=code).update(
            rule_type=rule_type, rule_params=params, source=source
        )
    return published


@pytest.fixture
def evaluator(make_user: Any) -> Any:
    user = make_user(Role.EVALUATOR, full_name="评估员甲")
    Evaluator.objects.create(user=user)
    return user


@pytest.fixture
def evaluation(standard: IndicatorSet, users: dict[str, Any], evaluator: Any) -> StationEvaluation:
    """慈城镇's evaluation in a 2025 round, computed (self-assessment), assigned to
    ``evaluator``; 月湖街道's too, unassigned."""
    city = users[Role.CITY_ADMIN]
    stations = [projects.station(CICHENG), projects.station(YUEHU)]
    round_ = services.round_create(
        actor=city, name="2025年度评估", kind="annual", indicator_set=standard, **PERIOD
    )
    services.round_open(actor=city, round=round_, stations=stations)
    found = round_.evaluations.get(region_code=CICHENG)
    services.evaluator_assign(actor=city, evaluation=found, evaluator=evaluator)
    services.evaluation_compute(actor=city, round=round_)
    found.refresh_from_db()
    assert found.status == EvaluationStatus.SELF_ASSESSMENT
    return found


def served(
    code: str = CICHENG,
    n: int = 1,
    *,
    key: bool = False,
    project: Any = None,
    phone: bool = True,
    served_on: date = IN_PERIOD,
    **extra: Any,
) -> list[Recipient]:
    """``n`` recipients of ``code``'s station, each served once on ``served_on`` (entered
    before the round's cut-off); ``key``: holding a vulnerable-group category."""
    worker = projects.lead_of(code)
    people = []
    category = Category.objects.order_by("order").first()
    for _ in range(n):
        person = projects.recipient(
            code, phone_encrypted=encrypt("13812345678") if phone else "", **extra
        )
        if key:
            person.categories.add(category)
        record = ServiceRecord.objects.create(
            recipient=person,
            worker=worker,
            station=worker.station,
            served_on=served_on,
            service_type="home_visit",
            duration_minutes=60,
            project=project,
        )
        ServiceRecord.objects.filter(pk=record.pk).update(created_at=BEFORE_CUTOFF)
        people.append(person)
    return people


def drawn_days_ago(sample: SurveySample, days: int = 10) -> None:
    SurveySample.objects.filter(pk=sample.pk).update(drawn_at=timezone.now() - timedelta(days=days))
    sample.refresh_from_db()


def score(evaluation: StationEvaluation, code: str) -> IndicatorScore:
    return IndicatorScore.objects.select_related("indicator").get(
        evaluation=evaluation, indicator__code=code
    )


ALL_KNOWN = {f"w{i}": True for i in range(1, 6)}


def answer(actor: Any, respondent: SurveyRespondent, s: list[int | None], known: int) -> Any:
    values: dict[str, Any] = {f"s{i}": value for i, value in enumerate(s, start=1)}
    values.update({f"w{i}": i <= known for i in range(1, 6)})
    return services.survey_answer_enter(
        actor=actor,
        respondent=respondent,
        answered_on=timezone.localdate(),
        service_confirmed=True,
        service_described="上门探访，陪同就医",
        **values,
    )


# --- the sample --------------------------------------------------------------------------------


def test_the_default_questionnaire_ships_published() -> None:
    default = Questionnaire.objects.get(version=1)
    assert default.status == SetStatus.PUBLISHED
    default.full_clean()
    assert default.question_text("S6") == "总体来说，您对社工站的服务是否满意？"


def test_the_population_sample_size_strata_and_home_visits(
    evaluation: StationEvaluation, evaluator: Any
) -> None:
    vulnerable = projects.project(CICHENG, category="vulnerable_groups", status="running")
    served(n=50, key=True, project=vulnerable)
    served(n=30)
    # Not in the population: served by another station, outside the period, entered after
    # the cut-off, deceased, unreachable (no phone, no address).
    served(YUEHU, n=1)
    served(n=1, served_on=date(2024, 12, 31))
    late = served(n=1)[0]
    ServiceRecord.objects.filter(recipient=late).update(created_at=timezone.now())
    served(n=1, status="deceased", exited_on=date(2025, 8, 1), exit_reason="deceased")
    served(n=1, phone=False)

    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)

    assert (sample.population, sample.sample_size, sample.home_visits) == (80, 60, 10)
    assert sample.sample_size == scoring.survey_sample_size(80)
    # 50 × 60/80 = 37.5 and 30 × 60/80 = 22.5: the tie goes to the larger stratum.
    assert sample.strata == {
        "none.ordinary": {"population": 30, "sample": 22, "reserve": 8},
        "vulnerable_groups.key": {"population": 50, "sample": 38, "reserve": 12},
    }
    respondents = list(sample.respondents.order_by("order"))
    main = [r for r in respondents if not r.is_reserve]
    assert len(main) == 60 and all(r.active for r in main)
    assert [r.mode for r in main[:10]] == ["home"] * 10
    assert {r.mode for r in main[10:]} == {"phone"}
    assert all(not r.active for r in respondents if r.is_reserve)
    assert len(sample.stakeholder_villages) == min(
        5, Region.objects.filter(level="village", code__startswith=CICHENG[:9]).count()
    )
    with pytest.raises(StateConflict):
        services.survey_draw(actor=evaluator, evaluation=evaluation)


def test_the_draw_is_reproduced_with_its_seed(
    evaluation: StationEvaluation, users: dict[str, Any]
) -> None:
    served(n=25, key=True)
    served(n=15)
    sample = services.survey_draw(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    stored = [
        (r.recipient_id, r.stratum, r.order, r.is_reserve)
        for r in sample.respondents.order_by("order")
    ]
    again = sampling.draw(
        services.survey_population(evaluation), sample.sample_size, seed=sample.seed
    )
    assert [(d.member, d.stratum, d.order, d.is_reserve) for d in again] == stored
    assert sample.sample_size == 40  # N ≤ 60: everyone
    assert not [r for r in stored if r[3]]  # nobody left for a reserve


def test_only_the_bureaus_or_the_evaluator_draw_while_the_survey_is_open(
    evaluation: StationEvaluation, users: dict[str, Any], make_user: Any
) -> None:
    served(n=3)
    for role in (Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            services.survey_draw(actor=users[role], evaluation=evaluation)
    with pytest.raises(PermissionDenied):
        services.survey_draw(actor=make_user(Role.DISTRICT_OFFICER, HAISHU), evaluation=evaluation)
    other = make_user(Role.EVALUATOR)
    with pytest.raises(PermissionDenied):
        services.survey_draw(actor=other, evaluation=evaluation)
    StationEvaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.OPEN)
    evaluation.refresh_from_db()
    with pytest.raises(StateConflict):
        services.survey_draw(actor=users[Role.CITY_ADMIN], evaluation=evaluation)
    assert not SurveySample.objects.exists()


# --- follow-ups --------------------------------------------------------------------------------


def test_three_attempts_on_two_days_bring_in_the_next_reserve_of_the_stratum(
    evaluation: StationEvaluation, evaluator: Any
) -> None:
    served(n=50, key=True)
    served(n=30)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    drawn_days_ago(sample)
    first = sample.respondents.filter(is_reserve=False, stratum="none.ordinary").first()
    assert first is not None
    reserves = list(
        sample.respondents.filter(is_reserve=True, stratum="none.ordinary").order_by("order")
    )
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    for _ in range(3):  # three attempts, one day: not yet
        services.survey_attempt_record(
            actor=evaluator, respondent=first, attempted_on=yesterday, outcome="no_answer"
        )
    first.refresh_from_db()
    assert first.status == RespondentStatus.PENDING
    services.survey_attempt_record(
        actor=evaluator, respondent=first, attempted_on=today, outcome="call_back", note="晚上再打"
    )
    first.refresh_from_db()
    assert first.status == RespondentStatus.UNREACHABLE
    assert first.replaced_by == reserves[0]
    reserves[0].refresh_from_db()
    assert reserves[0].active and reserves[0].mode == first.mode
    with pytest.raises(StateConflict):  # its follow-up is over
        services.survey_attempt_record(
            actor=evaluator, respondent=first, attempted_on=today, outcome="no_answer"
        )
    with pytest.raises(StateConflict):  # a reserve not yet brought in
        services.survey_attempt_record(
            actor=evaluator, respondent=reserves[1], attempted_on=today, outcome="no_answer"
        )
    # A refusal: replaced at once, by the next reserve of the same stratum.
    services.survey_attempt_record(
        actor=evaluator, respondent=reserves[0], attempted_on=today, outcome="refused"
    )
    reserves[0].refresh_from_db()
    assert reserves[0].status == RespondentStatus.REFUSED
    assert reserves[0].replaced_by == reserves[1]
    reserves[1].refresh_from_db()  # brought in meanwhile (a stale copy is refused: 409)
    with pytest.raises(ValidationError) as refused:
        services.survey_attempt_record(
            actor=evaluator, respondent=reserves[1], attempted_on=today, outcome="ineligible"
        )
    assert "note" in refused.value.message_dict
    progress = selectors.survey_progress(actor=evaluator, evaluation=evaluation)
    assert progress is not None
    ordinary = next(s for s in progress.strata if s.stratum == "none.ordinary")
    assert (ordinary.drawn, ordinary.reserves_used, ordinary.unreachable, ordinary.refused) == (
        22,
        2,
        1,
        1,
    )
    assert progress.attempts == 5
    assert ordinary.response_rate == Decimal("0.00")


# --- H1, H2, H3 --------------------------------------------------------------------------------


def test_h1_h2_against_hand_computed_values_and_too_small_a_sample(
    evaluation: StationEvaluation, evaluator: Any, users: dict[str, Any]
) -> None:
    served(n=10)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    assert (sample.population, sample.sample_size) == (10, 10)  # needs min(30, 5) = 5
    respondents = list(sample.respondents.order_by("order"))
    plan: list[tuple[list[int | None], int]] = [
        ([5, 5, 5, 5, 5, 5], 5),  # 100, aware
        ([4, 4, 4, 4, 4, 4], 3),  # 75, aware
        ([3, 3, 3, 3, 3, None], 2),  # 50
        ([5, 4, None, None, None, None], 0),  # 87.5
    ]
    for respondent, (s, known) in zip(respondents, plan, strict=False):
        answer(evaluator, respondent, s, known)
    h1, h2 = score(evaluation, "H1"), score(evaluation, "H2")
    assert h1.measured_value is None and h1.auto_score is None and h1.final_score is None
    assert h1.measure_detail.startswith("Sample too small") and h2.measured_value is None
    assert h2.auto_note == h2.measure_detail  # the reason, not "the denominator is 0"
    inputs = services.evaluation_inputs([evaluation])[evaluation.pk]
    assert inputs["satisfaction_index"].value is None

    # The fifth (every satisfaction item 不适用: no index; 4 known) reaches the minimum.
    answer(users[Role.DISTRICT_OFFICER], respondents[4], [None] * 6, 4)
    h1, h2 = score(evaluation, "H1"), score(evaluation, "H2")
    # H1 = (100 + 75 + 50 + 87.5) / 4 = 78.125 → 78.13: band [75, 80) → 4 points.
    assert h1.measured_value == Decimal("78.13")
    assert (h1.auto_score, h1.final_score) == (Decimal("4.00"), Decimal("4.00"))
    # H2 = 3 of 5 aware = 60 %: 4 × (60 − 50) / (90 − 50) = 1.
    assert (h2.measured_value, h2.numerator, h2.denominator) == (
        Decimal("60.00"),
        Decimal(3),
        Decimal(5),
    )
    assert h2.auto_score == Decimal("1.00")
    results = selectors.survey_results(actor=users[Role.CITY_ADMIN], evaluation=evaluation)
    assert results is not None and results.enough
    assert (results.index, results.awareness, results.share_satisfied) == (
        Decimal("78.13"),
        Decimal("60.00"),
        Decimal("75.00"),  # 100, 75 and 87.5 of the four indices
    )
    assert results.items["S1"] == Decimal("81.25")  # (100 + 75 + 50 + 100) / 4
    assert results.items["W3"] == Decimal("60.00")


def test_h3_half_the_township_half_the_villages_mean(
    evaluation: StationEvaluation, users: dict[str, Any], evaluator: Any
) -> None:
    served(n=2)
    district = users[Role.DISTRICT_OFFICER]
    sample = services.survey_draw(actor=district, evaluation=evaluation)
    villages = list(Region.objects.filter(code__in=sample.stakeholder_villages).order_by("code"))
    today = timezone.localdate()
    services.stakeholder_rating_enter(
        actor=district,
        evaluation=evaluation,
        rater="township",
        rated_on=today,
        **dict(zip(("r1", "r2", "r3", "r4", "r5"), (5, 5, 4, 4, 5), strict=True)),
    )
    h3 = score(evaluation, "H3")
    assert h3.measured_value is None and "Forms incomplete" in h3.measure_detail
    for village, items in zip(villages, ((4, 4, 4, 4, 4), (3, 4, 5, 3, 4)), strict=False):
        services.stakeholder_rating_enter(
            actor=district,
            evaluation=evaluation,
            rater="village",
            village=village,
            rated_on=today,
            **dict(zip(("r1", "r2", "r3", "r4", "r5"), items, strict=True)),
        )
    # Township 90; villages 75 and 70, mean 72.5; H3 = (90 + 72.5) / 2 = 81.25.
    # Ratio 90/60: 4 × (81.25 − 60) / 30 = 2.83.
    h3 = score(evaluation, "H3")
    assert (h3.measured_value, h3.auto_score) == (Decimal("81.25"), Decimal("2.83"))
    elsewhere = Region.objects.filter(level="village").exclude(code__startswith=CICHENG[:9])
    with pytest.raises(ValidationError) as refused:
        services.stakeholder_rating_enter(
            actor=district,
            evaluation=evaluation,
            rater="village",
            village=elsewhere.first(),
            rated_on=today,
            r1=3,
            r2=3,
            r3=3,
            r4=3,
            r5=3,
        )
    assert "village" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.stakeholder_rating_enter(
            actor=district, evaluation=evaluation, rater="township", rated_on=today, r1=6
        )
    assert set(refused.value.message_dict) == {"r1", "r2", "r3", "r4", "r5"}
    assert "R1" in refused.value.message_dict["r1"][0]
    for actor in (evaluator, users[Role.CITY_ADMIN], users[Role.STATION_MANAGER]):
        with pytest.raises(PermissionDenied):
            services.stakeholder_rating_enter(
                actor=actor, evaluation=evaluation, rater="township", rated_on=today, r1=3
            )


# --- H5 ----------------------------------------------------------------------------------------


def test_h5_counts_the_complaints_received_in_the_period_and_substantiated(
    evaluation: StationEvaluation, users: dict[str, Any], standard: IndicatorSet
) -> None:
    district = users[Role.DISTRICT_OFFICER]
    cicheng, yuehu = projects.station(CICHENG), projects.station(YUEHU)

    def complaint(station: Station, received_on: date, substantiated: bool | None) -> None:
        made = services.complaint_register(
            actor=users[Role.CITY_ADMIN],
            station=station,
            received_on=received_on,
            channel="hotline",
            summary="服务对象反映社工未按约定上门",
        )
        if substantiated is not None:
            services.complaint_decide(
                actor=users[Role.CITY_ADMIN] if station == yuehu else district,
                complaint=made,
                substantiated=substantiated,
                decision_note="经核查",
            )
        type(made).objects.filter(pk=made.pk).update(created_at=BEFORE_CUTOFF)

    complaint(cicheng, date(2025, 3, 1), True)  # counts
    complaint(cicheng, date(2024, 12, 31), True)  # before the period
    complaint(cicheng, date(2025, 5, 1), False)  # not substantiated
    complaint(cicheng, date(2025, 7, 1), None)  # undecided
    complaint(yuehu, date(2025, 3, 1), True)  # another station
    round_ = evaluation.round
    period = measures.MeasurePeriod(
        round_.period_start,
        round_.snapshot_date,
        entries_close_at(round_),
    )
    found = measures.MEASURES["substantiated_complaints"]([cicheng, yuehu], period)
    assert (found[cicheng.pk].value, found[yuehu.pk].value) == (Decimal(1), Decimal(1))
    services.evaluation_compute(
        actor=users[Role.CITY_ADMIN], round=round_, evaluations=[evaluation], reason="投诉已核查"
    )
    h5 = score(evaluation, "H5")
    assert (h5.measured_value, h5.auto_score) == (Decimal(1), Decimal("1.00"))
    with pytest.raises(PermissionDenied):  # a district officer of another county
        services.complaint_register(
            actor=district,
            station=yuehu,
            received_on=date(2025, 3, 1),
            channel="letter",
            summary="服务对象反映问题",
        )
    with pytest.raises(PermissionDenied):
        services.complaint_register(
            actor=users[Role.STATION_MANAGER],
            station=cicheng,
            received_on=date(2025, 3, 1),
            channel="letter",
            summary="服务对象反映问题",
        )


# --- who enters and who sees -------------------------------------------------------------------


def test_who_may_enter_and_see_the_answers(
    evaluation: StationEvaluation, evaluator: Any, users: dict[str, Any], make_user: Any
) -> None:
    served(n=6)
    services.survey_draw(actor=evaluator, evaluation=evaluation)
    respondent = evaluation.survey_sample.respondents.order_by("order").first()
    assert respondent is not None
    other_evaluator = make_user(Role.EVALUATOR)
    Evaluator.objects.create(user=other_evaluator)
    yuehu = StationEvaluation.objects.get(round=evaluation.round, region_code=YUEHU)
    services.evaluator_assign(
        actor=users[Role.CITY_ADMIN], evaluation=yuehu, evaluator=other_evaluator
    )
    haishu_officer = make_user(Role.DISTRICT_OFFICER, HAISHU)
    refused = [
        users[Role.STATION_MANAGER],
        users[Role.SOCIAL_WORKER],
        users[Role.SUPERVISOR],
        users[Role.AUDITOR],
        users[Role.CITY_ADMIN],  # reads all answers, does not survey
        other_evaluator,
        haishu_officer,
    ]
    for actor in refused:
        with pytest.raises(PermissionDenied):
            answer(actor, respondent, [5] * 6, 5)
    assert not SurveyAnswer.objects.exists()
    # Nothing individual for the station's staff and supervisors, another station's evaluator
    # or another county's officer (and a 404 for the record itself).
    for actor in (*refused[:4], other_evaluator, haishu_officer):
        assert not selectors.survey_respondent_list(actor=actor).exists()
        assert selectors.survey_progress(actor=actor, evaluation=evaluation) is None
        assert not selectors.stakeholder_rating_list(actor=actor).exists()
        with pytest.raises(Http404):
            get_object_for_user(SurveyRespondent.objects.all(), actor, pk=respondent.pk)
    answer(evaluator, respondent, [5] * 6, 5)
    for actor in (evaluator, users[Role.DISTRICT_OFFICER], users[Role.CITY_ADMIN]):
        assert selectors.survey_respondent_list(actor=actor, evaluation=evaluation).count() == 6
        assert SurveyAnswer.objects.visible_to(actor).count() == 1
    for actor in refused[:4]:
        assert not SurveyAnswer.objects.visible_to(actor).exists()
        # The aggregates: not before the result is out.
        assert selectors.survey_results(actor=actor, evaluation=evaluation) is None
    StationEvaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.PUBLISHED)
    evaluation.refresh_from_db()
    for actor in (users[Role.STATION_MANAGER], users[Role.SUPERVISOR], users[Role.AUDITOR]):
        results = selectors.survey_results(actor=actor, evaluation=evaluation)
        assert results is not None and results.completed == 1
        assert not selectors.survey_respondent_list(actor=actor).exists()
    assert selectors.survey_results(actor=users[Role.SOCIAL_WORKER], evaluation=evaluation) is None
    assert selectors.survey_results(actor=haishu_officer, evaluation=evaluation) is None


def test_answers_are_checked_field_by_field_and_a_v0_no_is_a_finding(
    evaluation: StationEvaluation, evaluator: Any
) -> None:
    served(n=3)
    services.survey_draw(actor=evaluator, evaluation=evaluation)
    respondent = evaluation.survey_sample.respondents.order_by("order").first()
    assert respondent is not None
    with pytest.raises(ValidationError) as refused:
        services.survey_answer_enter(
            actor=evaluator,
            respondent=respondent,
            answered_on=timezone.localdate(),
            service_confirmed=True,
            s3=7,
            w1=True,
        )
    errors = refused.value.message_dict
    assert {"service_described", "s3", "w2", "w3", "w4", "w5"} <= set(errors)
    assert "S3" in errors["s3"][0] and "W2" in errors["w2"][0]
    assert not SurveyAnswer.objects.exists()
    services.survey_answer_enter(
        actor=evaluator,
        respondent=respondent,
        answered_on=timezone.localdate(),
        service_confirmed=False,
        service_described="说没有社工来过",
        **{f"s{i}": None for i in range(1, 7)},
        **ALL_KNOWN,
    )
    respondent.refresh_from_db()
    assert respondent.status == RespondentStatus.COMPLETED
    assert respondent.attempts.get().outcome == "completed"
    finding = EvaluationEvent.objects.get(evaluation=evaluation, kind=EventKind.SURVEY_FINDING)
    assert finding.note == "说没有社工来过" and finding.data["respondent"] == respondent.order
    assert list(selectors.survey_findings(actor=evaluator, evaluation=evaluation)) == [
        respondent.answer
    ]


# --- the reveal --------------------------------------------------------------------------------


def test_a_respondents_phone_is_revealed_to_the_surveyor_one_at_a_time_and_logged(
    evaluation: StationEvaluation, evaluator: Any, users: dict[str, Any]
) -> None:
    served(n=50, key=True)
    served(n=30)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    phone_call = sample.respondents.filter(is_reserve=False, mode="phone").first()
    home_visit = sample.respondents.filter(is_reserve=False, mode="home").first()
    reserve = sample.respondents.filter(is_reserve=True).first()
    assert phone_call and home_visit and reserve
    Recipient.objects.filter(pk=home_visit.recipient_id).update(address="慈城镇某村12号")

    assert (
        services.respondent_contact_reveal(actor=evaluator, respondent=phone_call) == "13812345678"
    )
    line = IdentityView.objects.get()
    assert (line.user, line.recipient_id, line.field) == (
        evaluator,
        phone_call.recipient_id,
        "phone",
    )
    assert str(phone_call.order) in line.purpose
    assert (
        services.respondent_contact_reveal(actor=evaluator, respondent=home_visit)
        == "慈城镇某村12号"
    )
    assert IdentityView.objects.filter(field="address").count() == 1
    for actor in (users[Role.STATION_MANAGER], users[Role.CITY_ADMIN], users[Role.AUDITOR]):
        with pytest.raises(PermissionDenied):
            services.respondent_contact_reveal(actor=actor, respondent=phone_call)
    with pytest.raises(StateConflict):  # a reserve not brought in
        services.respondent_contact_reveal(actor=evaluator, respondent=reserve)
    assert IdentityView.objects.count() == 2
    # The survey tables hold no copy of the person's name or phone.
    person = Recipient.objects.get(pk=phone_call.recipient_id)
    assert decrypt(person.phone_encrypted) == "13812345678"
    for model in (SurveyRespondent, SurveySample):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"name", "phone", "address", "phone_encrypted"}


# --- the scores follow -------------------------------------------------------------------------


def test_the_indicator_score_follows_the_answers_until_the_evaluator_scores_it(
    evaluation: StationEvaluation, evaluator: Any, users: dict[str, Any]
) -> None:
    served(n=4)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    first, second = list(sample.respondents.order_by("order"))[:2]
    answer(evaluator, first, [5] * 6, 5)
    assert score(evaluation, "H1").measured_value is None  # 1 completed, min(30, 2) needed
    answer(evaluator, second, [5] * 6, 5)
    h1 = score(evaluation, "H1")
    assert (h1.measured_value, h1.final_score) == (Decimal("100.00"), Decimal("8.00"))
    # A corrected answer changes the score.
    services.survey_answer_enter(
        actor=evaluator, respondent=second, **{f"s{i}": 1 for i in range(1, 7)}
    )
    h1 = score(evaluation, "H1")
    assert (h1.measured_value, h1.auto_score) == (Decimal("50.00"), Decimal("0.00"))
    assert h1.final_score == Decimal("0.00")
    # Scoring: the evaluator's own score stays final whatever the answers.
    for each in evaluation.scores.select_related("indicator"):
        services.self_score_set(
            actor=users[Role.STATION_MANAGER], score=each, self_score=Decimal(0)
        )
    services.self_submit(actor=users[Role.STATION_MANAGER], evaluation=evaluation)
    services.score_set(
        actor=evaluator,
        score=score(evaluation, "H1"),
        evaluator_score=Decimal(6),
        override_reason="回访记录与现场核查不符",
        finding="满意度偏低",
    )
    services.survey_answer_enter(
        actor=evaluator, respondent=second, **{f"s{i}": 5 for i in range(1, 7)}
    )
    h1 = score(evaluation, "H1")
    assert (h1.auto_score, h1.final_score) == (Decimal("8.00"), Decimal("6.00"))
    # scoring_submit re-applies the inputs before it checks every indicator is scored.
    IndicatorScore.objects.filter(pk=score(evaluation, "H2").pk).update(
        auto_score=None, final_score=None, measured_value=None
    )
    for code in ("A1", "H3", "H4"):
        each = score(evaluation, code)
        services.score_set(actor=evaluator, score=each, evaluator_score=each.indicator.points)
    evaluation.refresh_from_db()
    services.scoring_submit(
        actor=evaluator, evaluation=evaluation, site_visit_on=timezone.localdate()
    )
    h2 = score(evaluation, "H2")
    assert (h2.measured_value, h2.final_score) == (Decimal("100.00"), Decimal("4.00"))
    with pytest.raises(StateConflict):  # the survey is closed
        services.survey_answer_enter(actor=evaluator, respondent=second, s1=3)


def test_a_round_keeps_its_values_without_a_survey(
    evaluation: StationEvaluation, standard: IndicatorSet
) -> None:
    """Without a sample, H1/H2 are left to the evaluator with the reason; the default set's
    H1, H2, H3 and H5 are automatic (DEFAULT_SOURCES, migration 0004)."""
    h1 = score(evaluation, "H1")
    assert h1.auto_score is None and "not drawn" in h1.measure_detail
    default = IndicatorSet.objects.get(version=1, name=DEFAULT_NAME)
    sources = dict(default.dimensions.get(code="H").indicators.values_list("code", "source"))
    assert sources == {
        "H1": "satisfaction_index",
        "H2": "awareness_share",
        "H3": "stakeholder_rating",
        "H4": "case_goals_met",
        "H5": "substantiated_complaints",
    }
    assert EvaluationRound.objects.count() == 1
