"""Star rounds (星级评定, issue 15 "Rounds"; spec/station-evaluation.md §3): a star version's
bonus dimensions on top of the 100 points, capped; five stars from 85 and four from 77 on the
total with the bonus; no star after a veto or a 不合格 in the latest annual round; the grade,
the rectification items and the findings on the 100-point base only; what each role reads of
it in the API and on the pages."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from swstation.core.roles import Role
from swstation.evaluation import services
from swstation.evaluation.models import (
    EvaluationRound,
    IndicatorSet,
    RectificationItem,
    SetStatus,
    StationEvaluation,
)
from swstation.stations.models import Station
from tests.conftest import CICHENG
from tests.evaluation.helpers import make_set, make_tree
from tests.evaluation.test_round_api import api
from tests.evaluation.test_rounds import to_scoring
from tests.workforce.helpers import station as township_station

pytestmark = pytest.mark.django_db

STAR_PERIOD = {"period_start": date(2025, 7, 1), "snapshot_date": date(2026, 6, 30)}
ANNUAL_PERIOD = {"period_start": date(2025, 1, 1), "snapshot_date": date(2025, 12, 31)}
EVALUATIONS = "/api/v1/station-evaluations/"


@pytest.fixture
def star_standard() -> IndicatorSet:
    """A published star version: A1 (60) and B1 (40) by hand, bonus I1 (6) and I2 (4)."""
    published = make_set("测试星级标准", status=SetStatus.PUBLISHED, bonus_cap=Decimal(10))
    make_tree(published, {"A": (60, [60]), "B": (40, [40]), "I": (10, [6, 4])})
    published.dimensions.filter(code="I").update(is_bonus=True)
    published.total_points, published.bonus_points = Decimal(100), Decimal(10)
    published.save()
    return published


@pytest.fixture
def plain_standard() -> IndicatorSet:
    published = make_set("测试评估标准", status=SetStatus.PUBLISHED)
    make_tree(published, {"A": (60, [60]), "B": (40, [40])})
    return published


@pytest.fixture
def stations() -> dict[str, Station]:
    return {"cicheng": township_station(CICHENG)}


@pytest.fixture
def evaluator(make_user: Any) -> Any:
    from swstation.evaluation.models import Evaluator

    user = make_user(Role.EVALUATOR, full_name="评估员乙")
    Evaluator.objects.create(user=user)
    return user


def open_round(
    standard: IndicatorSet, users: dict[str, Any], kind: str, **fields: Any
) -> EvaluationRound:
    period = STAR_PERIOD if kind == "star" else ANNUAL_PERIOD
    round_ = services.round_create(
        actor=users[Role.CITY_ADMIN],
        name=fields.pop("name", f"测试{kind}轮次"),
        kind=kind,
        indicator_set=standard,
        **{**period, **fields},
    )
    return services.round_open(actor=users[Role.CITY_ADMIN], round=round_)


def score(evaluation: StationEvaluation, evaluator: Any, values: dict[str, int | str]) -> None:
    for row in evaluation.scores.select_related("indicator"):
        value = Decimal(values[row.indicator.code])
        services.score_set(
            actor=evaluator,
            score=row,
            evaluator_score=value,
            finding="" if value == row.indicator.points else "佐证不足",
        )


def submit(evaluation: StationEvaluation, evaluator: Any) -> StationEvaluation:
    services.scoring_submit(actor=evaluator, evaluation=evaluation, site_visit_on=date(2026, 7, 8))
    evaluation.refresh_from_db()
    return evaluation


def to_final(evaluation: StationEvaluation, users: dict[str, Any]) -> StationEvaluation:
    services.review_pass(actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation)
    [published] = services.city_approve(actor=users[Role.CITY_ADMIN], evaluations=[evaluation])
    assert published.objection_until is not None
    services.finalise_due(on=published.objection_until + timedelta(days=1))
    published.refresh_from_db()
    return published


# --- the star version ----------------------------------------------------------------------------


def test_a_star_version_publishes_with_its_bonus_under_the_cap(users: dict[str, Any]) -> None:
    city = users[Role.CITY_ADMIN]
    draft = services.indicator_set_create(actor=city, name="星级标准草稿", bonus_cap=Decimal(10))
    for order, (code, points, bonus) in enumerate([("A", 100, False), ("I", 12, True)], start=1):
        dimension = services.dimension_create(
            actor=city,
            indicator_set=draft,
            code=code,
            order=order,
            name=f"维度{code}",
            points=Decimal(points),
            is_bonus=bonus,
        )
        services.indicator_create(
            actor=city,
            dimension=dimension,
            code=f"{code}1",
            name=f"指标{code}1",
            points=Decimal(points),
            rule_type="manual",
        )
    draft.refresh_from_db()
    assert (draft.total_points, draft.bonus_points) == (Decimal(100), Decimal(12))
    assert draft.has_bonus
    [error] = services.indicator_set_publish_errors(draft)
    assert "12" in error and "10" in error and "加分" in error
    with pytest.raises(ValidationError):
        services.indicator_set_publish(actor=city, indicator_set=draft)
    draft = services.indicator_set_update(actor=city, indicator_set=draft, bonus_cap=Decimal(15))
    assert services.indicator_set_publish_errors(draft) == []
    published = services.indicator_set_publish(actor=city, indicator_set=draft)
    assert published.status == SetStatus.PUBLISHED
    copy = services.indicator_set_copy(actor=city, source=published)
    assert (copy.bonus_cap, copy.bonus_points) == (Decimal(15), Decimal(12))
    assert copy.dimensions.get(code="I").is_bonus


def test_the_default_star_version_ships_published() -> None:
    default = IndicatorSet.objects.get(bonus_points__gt=0, version=1)
    assert default.status == SetStatus.PUBLISHED
    assert (default.total_points, default.bonus_points, default.bonus_cap) == (
        Decimal(100),
        Decimal(15),
        Decimal(15),
    )
    assert services.indicator_set_publish_errors(default) == []
    bonus = default.dimensions.get(is_bonus=True)
    assert sorted(bonus.indicators.values_list("code", flat=True)) == ["I1", "I2", "I3", "I4"]


def test_a_star_version_scores_star_rounds_only(
    users: dict[str, Any], star_standard: IndicatorSet, plain_standard: IndicatorSet
) -> None:
    city = users[Role.CITY_ADMIN]
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=city, name="年度", kind="annual", indicator_set=star_standard, **ANNUAL_PERIOD
        )
    assert "indicator_set" in refused.value.message_dict
    assert "星级" in refused.value.message_dict["indicator_set"][0]
    with pytest.raises(ValidationError) as refused:
        services.round_create(
            actor=city,
            name="星级",
            kind="star",
            indicator_set=star_standard,
            star_five_from=Decimal(80),
            star_four_from=Decimal(80),
            **STAR_PERIOD,
        )
    assert "star_four_from" in refused.value.message_dict
    # A star round may use a version without bonus: the stars then read the base alone.
    round_ = services.round_create(
        actor=city, name="星级", kind="star", indicator_set=plain_standard, **STAR_PERIOD
    )
    assert (round_.star_five_from, round_.star_four_from) == (Decimal(85), Decimal(77))


# --- the star of a station -----------------------------------------------------------------------


def test_the_star_follows_the_total_with_the_bonus(
    users: dict[str, Any], star_standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(star_standard, users, "star")
    evaluation = to_scoring(round_.evaluations.get(region_code=CICHENG), users, evaluator)
    # The self-assessment's total is the base's: full marks are 100, the bonus apart.
    assert evaluation.self_total == Decimal("100.00")

    # A bonus indicator below its points needs no finding.
    services.score_set(
        actor=evaluator,
        score=evaluation.scores.get(indicator__code="I1"),
        evaluator_score=Decimal(0),
    )
    score(evaluation, evaluator, {"A1": 50, "B1": 20, "I1": 0, "I2": 0})
    evaluation = submit(evaluation, evaluator)
    assert evaluation.total_score == Decimal("70.00") and evaluation.grade == "pass"
    assert evaluation.bonus_score == Decimal("0.00")
    assert evaluation.star is None and evaluation.star_note == ""
    # A star round awards a title: it proposes no rectification (the annual round does).
    assert not RectificationItem.objects.filter(evaluation=evaluation).exists()

    # Returned by the district, scored again: 70 + 8 = 78, four stars.
    services.review_return(
        actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation, comment="加分项佐证请复核"
    )
    score(evaluation, evaluator, {"A1": 50, "B1": 20, "I1": 4, "I2": 4})
    evaluation = submit(evaluation, evaluator)
    assert (evaluation.bonus_score, evaluation.star) == (Decimal("8.00"), 4)

    # 77 + 10 = 87: five stars, while the grade stays on the base (77: 合格).
    services.review_return(
        actor=users[Role.DISTRICT_OFFICER], evaluation=evaluation, comment="复核基础分"
    )
    score(evaluation, evaluator, {"A1": 57, "B1": 20, "I1": 6, "I2": 4})
    evaluation = submit(evaluation, evaluator)
    assert evaluation.total_score == Decimal("77.00") and evaluation.grade == "pass"
    assert (evaluation.bonus_score, evaluation.star) == (Decimal("10.00"), 5)

    final = to_final(evaluation, users)
    revision = final.revisions.get()
    assert (revision.bonus_score, revision.star, revision.grade) == (Decimal("10.00"), 5, "pass")
    published = final.events.filter(kind="published").get()
    assert published.data["star"] == 5 and published.data["bonus"] == "10.00"


def test_the_bonus_counts_up_to_the_version_s_cap(
    users: dict[str, Any], star_standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    star_standard.bonus_cap = Decimal(5)
    star_standard.save()
    round_ = open_round(star_standard, users, "star")
    evaluation = to_scoring(round_.evaluations.get(region_code=CICHENG), users, evaluator)
    score(evaluation, evaluator, {"A1": 50, "B1": 30, "I1": 6, "I2": 4})
    evaluation = submit(evaluation, evaluator)
    assert evaluation.bonus_score == Decimal(5)
    assert evaluation.star == 5  # 80 + 5 = 85


def test_no_star_after_a_fail_in_the_latest_annual_round_or_a_veto(
    users: dict[str, Any],
    star_standard: IndicatorSet,
    plain_standard: IndicatorSet,
    stations: dict[str, Station],
    evaluator: Any,
) -> None:
    annual = open_round(plain_standard, users, "annual", name="2025年度评估")
    failed = to_scoring(annual.evaluations.get(region_code=CICHENG), users, evaluator)
    score(failed, evaluator, {"A1": 30, "B1": 20})
    failed = to_final(submit(failed, evaluator), users)
    assert failed.grade == "fail"

    star_round = open_round(star_standard, users, "star")
    cicheng = to_scoring(star_round.evaluations.get(region_code=CICHENG), users, evaluator)
    score(cicheng, evaluator, {"A1": 60, "B1": 40, "I1": 6, "I2": 4})
    cicheng = submit(cicheng, evaluator)
    assert cicheng.total_score == Decimal(100) and cicheng.star is None
    assert "2025年度评估" in cicheng.star_note and "不合格" in cicheng.star_note

    # Published, the revision keeps the reason as it was given (spec §4: frozen), and its
    # page and the API say it.
    revision = to_final(cicheng, users).revisions.get()
    assert (revision.star, revision.star_note) == (None, cicheng.star_note)
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    page = client.get(revision.get_absolute_url()).content.decode()
    assert 'id="revision-star"' in page and cicheng.star_note in page
    answer = api(users[Role.CITY_ADMIN]).get(f"/api/v1/evaluation-results/{revision.pk}/")
    assert answer.status_code == 200 and answer.json()["star_note"] == cicheng.star_note


def test_no_star_after_a_veto(
    users: dict[str, Any], star_standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    star_round = open_round(star_standard, users, "star")
    cicheng = to_scoring(star_round.evaluations.get(region_code=CICHENG), users, evaluator)
    score(cicheng, evaluator, {"A1": 60, "B1": 40, "I1": 6, "I2": 4})
    services.veto_set(actor=evaluator, evaluation=cicheng, veto="fabricated", reason="虚报服务记录")
    cicheng = submit(cicheng, evaluator)
    assert cicheng.grade == "fail" and cicheng.star is None
    assert "V2" in cicheng.star_note

    # The veto lifted (the station has no annual result), the star follows the total.
    services.review_return(
        actor=users[Role.DISTRICT_OFFICER], evaluation=cicheng, comment="否决依据不足"
    )
    services.veto_set(actor=evaluator, evaluation=cicheng, veto="", reason="")
    cicheng = submit(cicheng, evaluator)
    assert (cicheng.star, cicheng.star_note) == (5, "")


def test_a_star_round_s_fail_holds_no_payment_but_issues_the_veto_s_item(
    users: dict[str, Any], star_standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    """A star round awards a title: its 不合格 does not touch the contract (spec §3's
    consequences follow the rounds that evaluate it); a confirmed veto is still rectified."""
    star_round = open_round(star_standard, users, "star")
    cicheng = to_scoring(star_round.evaluations.get(region_code=CICHENG), users, evaluator)
    score(cicheng, evaluator, {"A1": 30, "B1": 10, "I1": 0, "I2": 0})
    services.veto_set(actor=evaluator, evaluation=cicheng, veto="financial", reason="虚列支出")
    final = to_final(submit(cicheng, evaluator), users)
    assert final.grade == "fail" and final.star is None
    assert not final.payment_hold and not final.no_new_contract
    [item] = final.rectifications.all()
    assert item.indicator is None and item.status == "issued"


# --- what each role reads ------------------------------------------------------------------------


def test_the_api_and_pages_show_the_star_when_the_result_is_out(
    users: dict[str, Any], star_standard: IndicatorSet, stations: dict[str, Station], evaluator: Any
) -> None:
    round_ = open_round(star_standard, users, "star")
    evaluation = to_scoring(round_.evaluations.get(region_code=CICHENG), users, evaluator)
    score(evaluation, evaluator, {"A1": 50, "B1": 30, "I1": 3, "I2": 0})
    evaluation = submit(evaluation, evaluator)
    assert evaluation.star == 4

    city = api(users[Role.CITY_ADMIN]).get(f"{EVALUATIONS}{evaluation.pk}/").json()
    assert (city["bonus_score"], city["star"], city["star_label"]) == ("3.00", 4, "四星级")
    assert city["total_score"] == "80.00"
    assert [
        row["id"]
        for row in api(users[Role.CITY_ADMIN]).get(EVALUATIONS, {"star": 4}).json()["results"]
    ] == [evaluation.pk]
    # The station reads its star from publication, as its total; the filter tells nothing.
    manager = api(users[Role.STATION_MANAGER])
    before = manager.get(f"{EVALUATIONS}{evaluation.pk}/").json()
    assert (before["bonus_score"], before["star"], before["star_label"]) == (None, None, None)
    assert manager.get(EVALUATIONS, {"star": 4}).json()["results"] == []

    browser = Client()
    browser.force_login(users[Role.CITY_ADMIN])
    page = browser.get(evaluation.get_absolute_url()).content.decode()
    assert 'id="evaluation-star"' in page and "四星级" in page
    assert "83" in page  # 80 + 3 with the bonus

    final = to_final(evaluation, users)
    after = manager.get(f"{EVALUATIONS}{final.pk}/").json()
    assert (after["bonus_score"], after["star"]) == ("3.00", 4)
    round_page = browser.get(round_.get_absolute_url()).content.decode()
    assert 'id="star-distribution"' in round_page
    assert 'data-star="4"' in round_page


def test_an_annual_round_shows_no_star(
    users: dict[str, Any],
    plain_standard: IndicatorSet,
    stations: dict[str, Station],
    evaluator: Any,
) -> None:
    round_ = open_round(plain_standard, users, "annual")
    evaluation = to_scoring(round_.evaluations.get(region_code=CICHENG), users, evaluator)
    score(evaluation, evaluator, {"A1": 60, "B1": 40})
    evaluation = submit(evaluation, evaluator)
    assert (evaluation.bonus_score, evaluation.star) == (None, None)
    row = api(users[Role.CITY_ADMIN]).get(f"{EVALUATIONS}{evaluation.pk}/").json()
    assert (row["bonus_score"], row["star"]) == (None, None)
    browser = Client()
    browser.force_login(users[Role.CITY_ADMIN])
    page = browser.get(evaluation.get_absolute_url()).content.decode()
    assert 'id="evaluation-star"' not in page
    event = evaluation.events.filter(kind="scoring_submitted").get()
    assert "star" not in event.data
