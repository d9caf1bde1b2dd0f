"""The evaluation reports (issue 15, "Reports"): a station's scorecard printed on A4 and as
.xlsx, and a round's results by district and city (page, .xlsx, API). Who opens what (and who
is told 404), the columns each reader may read, the figures against the records, the figures
following a changed score, and flat query counts."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.evaluation import services
from swstation.evaluation.models import (
    EvaluationRound,
    EvaluationStatus,
    IndicatorScore,
    IndicatorSet,
    SetStatus,
    Star,
    StationEvaluation,
    Veto,
)
from swstation.stations.models import Station
from tests.clients import client_for
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU
from tests.evaluation.helpers import make_dimension, make_indicator, make_set, make_tree
from tests.stations.helpers import make_operating_station

pytestmark = pytest.mark.django_db

OPENED = timezone.localdate() - timedelta(days=1000)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JIANGBEI_TOWN = "330205003000"  # another town of 江北区


@dataclass
class World:
    city: User
    district: User
    other_district: User
    manager: User
    other_manager: User
    auditor: User
    evaluator: User
    evaluator2: User
    station: Station  # 慈城镇, 江北区
    neighbour: Station  # another town of 江北区
    other_station: Station  # 月湖街道, 海曙区


@pytest.fixture
def world(make_user: Callable[..., User]) -> World:
    station = make_operating_station(CICHENG, OPENED, name="慈城镇社工站")
    Station.objects.filter(pk=station.pk).update(contact_name="王小明", contact_phone="13812345678")
    station.refresh_from_db()
    return World(
        city=make_user(Role.CITY_ADMIN, CITY),
        district=make_user(Role.DISTRICT_OFFICER, JIANGBEI),
        other_district=make_user(Role.DISTRICT_OFFICER, HAISHU),
        manager=make_user(Role.STATION_MANAGER, CICHENG),
        other_manager=make_user(Role.STATION_MANAGER, YUEHU),
        auditor=make_user(Role.AUDITOR, JIANGBEI),
        evaluator=make_user(Role.EVALUATOR, CITY, full_name="评估员甲"),
        evaluator2=make_user(Role.EVALUATOR, CITY, full_name="评估员乙"),
        station=station,
        neighbour=make_operating_station(JIANGBEI_TOWN, OPENED, name="江北二号社工站"),
        other_station=make_operating_station(YUEHU, OPENED, name="月湖街道社工站"),
    )


def published_set(
    spec: dict[str, tuple[int, list[int]]], name: str = "报表评估标准"
) -> IndicatorSet:
    indicator_set = make_set(name=name, status=SetStatus.PUBLISHED)
    make_tree(indicator_set, spec)
    indicator_set.published_on = timezone.localdate()
    indicator_set.save()
    return indicator_set


SPEC = {"A": (60, [40, 20]), "B": (40, [40])}


def open_round(
    world: World, indicator_set: IndicatorSet, name: str = "2026年度评估", kind: str = "annual"
) -> Any:
    """A round under way for the world's stations, computed; 月湖 assigned to the second
    evaluator, the others to the first."""
    round_ = services.round_create(
        actor=world.city,
        name=name,
        kind=kind,
        indicator_set=indicator_set,
        period_start=timezone.localdate() - timedelta(days=385),
        snapshot_date=timezone.localdate() - timedelta(days=20),
    )
    services.round_open(actor=world.city, round=round_)
    services.evaluation_compute(actor=world.city, round=round_)
    for evaluation in round_.evaluations.all():
        evaluator = (
            world.evaluator2 if evaluation.station == world.other_station else world.evaluator
        )
        services.evaluator_assign(actor=world.city, evaluation=evaluation, evaluator=evaluator)
    # The stations' self-assessments are over (the daily task after their due date).
    services.self_assessment_close_due(on=timezone.localdate() + timedelta(days=100))
    return round_


def evaluation_of(round_: EvaluationRound, station: Station) -> StationEvaluation:
    return StationEvaluation.objects.get(round=round_, station=station)


def scores(evaluation: StationEvaluation) -> list[IndicatorScore]:
    return list(evaluation.scores.select_related("indicator").order_by("indicator__code"))


def score_all(evaluation: StationEvaluation, evaluator: User, values: list[str]) -> None:
    """The evaluator scores each indicator (A1, A2, B1) and submits."""
    for row, value in zip(scores(evaluation), values, strict=True):
        below = Decimal(value) < row.indicator.points
        services.score_set(
            actor=evaluator,
            score=row,
            evaluator_score=Decimal(value),
            finding="台账不全，需补齐" if below else "",
        )
    services.scoring_submit(
        actor=evaluator,
        evaluation=evaluation,
        site_visit_on=timezone.localdate(),
        site_findings="现场查看活动室与台账",
    )


def district_of(world: World, evaluation: StationEvaluation) -> User:
    return world.other_district if evaluation.station == world.other_station else world.district


def publish(
    world: World, evaluation: StationEvaluation, evaluator: User, values: list[str]
) -> None:
    score_all(evaluation, evaluator, values)
    services.review_pass(actor=district_of(world, evaluation), evaluation=evaluation)
    services.city_approve(actor=world.city, evaluations=[evaluation], reason="复核通过")
    evaluation.refresh_from_db()


def finalise(evaluation: StationEvaluation) -> None:
    evaluation.refresh_from_db()
    assert evaluation.objection_until is not None
    services.finalise_due(on=evaluation.objection_until + timedelta(days=1))
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINAL


def url(name: str, *args: Any) -> str:
    return reverse(f"evaluation:{name}", args=args)


def workbook(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def sheet_rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- the scorecard printed and as .xlsx ----------------------------------------------------------


def test_the_scorecard_prints_and_exports_for_its_readers_only(world: World) -> None:
    round_ = open_round(world, published_set(SPEC))
    evaluation = evaluation_of(round_, world.station)
    publish(world, evaluation, world.evaluator, ["40", "15", "36"])
    other = evaluation_of(round_, world.other_station)
    print_url = url("stationevaluation_print", evaluation.pk)
    export_url = url("stationevaluation_export", evaluation.pk)

    # The scorecard page links to both.
    page = client_for(world.manager).get(evaluation.get_absolute_url()).content.decode()
    assert print_url in page and export_url in page and "打印计分表" in page

    readers = [world.city, world.district, world.manager, world.auditor, world.evaluator]
    for user in readers:
        client = client_for(user)
        response = client.get(print_url)
        assert response.status_code == 200, (user.role, response.status_code)
        body = response.content.decode()
        assert 'lang="zh-hans"' in body and "社会工作站评估计分表" in body, user.role
        assert "size: A4" in body and "@media print" in body
        assert "慈城镇社工站" in body and "2026年度评估" in body and "报表评估标准" in body
        assert 'class="navbar' not in body  # no navigation chrome
        assert 'data-print id="print-button"' in body and "screen-only" in body
        for part in ("评估人员（签字）", "区县民政局（盖章）", "日期"):
            assert part in body
        # Published: every reader reads the evaluator's scores, the findings, the total.
        assert "台账不全，需补齐" in body and "现场查看活动室与台账" in body
        assert 'id="print-total"><strong>91</strong>' in body and "优秀" in body
        book = workbook(client.get(export_url))
        assert [sheet.title for sheet in book.worksheets][:2] == ["评估计分表", "指标"]

    # Personal data: masked for the evaluator and the auditor, whole for the bureaus.
    for user, name, phone in (
        (world.city, "王小明", "13812345678"),
        (world.manager, "王小明", "13812345678"),
        (world.evaluator, "王*明", "138****5678"),
        (world.auditor, "王*明", "138****5678"),
    ):
        body = client_for(user).get(print_url).content.decode()
        assert f'id="print-contact">{name}<' in body and f'id="print-phone">{phone}<' in body
        assert ("王小明" in body) == (name == "王小明"), user.role
        facts = dict(
            (row[0], row[1])
            for row in sheet_rows(workbook(client_for(user).get(export_url))["评估计分表"])
        )
        assert facts["联系人"] == name and facts["联系电话"] == phone, user.role

    # Outside the jurisdiction or the assignment: 404, as for the scorecard page.
    for user in (world.other_district, world.other_manager, world.evaluator2):
        for page_url in (print_url, export_url):
            assert client_for(user).get(page_url).status_code == 404, user.role
    assert (
        client_for(world.evaluator).get(url("stationevaluation_print", other.pk)).status_code == 404
    )
    assert (
        client_for(world.other_manager).get(url("stationevaluation_print", other.pk)).status_code
        == 200
    )
    # Not logged in: the login page.
    response = Client().get(print_url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_printed_scorecard_hides_what_the_reader_may_not_read_yet(world: World) -> None:
    round_ = open_round(world, published_set(SPEC))
    evaluation = evaluation_of(round_, world.station)
    score_all(evaluation, world.evaluator, ["40", "15", "36"])  # with the district now
    print_url = url("stationevaluation_print", evaluation.pk)
    export_url = url("stationevaluation_export", evaluation.pk)
    # The station reads its self-scores only until the result is out.
    body = client_for(world.manager).get(print_url).content.decode()
    assert "data-evaluator" not in body and "data-final" not in body and "data-self" in body
    assert "台账不全，需补齐" not in body and "现场查看活动室与台账" not in body
    assert 'id="print-no-result"' in body and 'id="print-total"' not in body
    header = sheet_rows(workbook(client_for(world.manager).get(export_url))["指标"])[0]
    assert "自评分" in header and "评估人员评分" not in header and "最终得分" not in header
    # The district reads the evaluator's scores once submitted.
    body = client_for(world.district).get(print_url).content.decode()
    assert "data-evaluator" in body and "台账不全，需补齐" in body and 'id="print-total"' in body
    header = sheet_rows(workbook(client_for(world.district).get(export_url))["指标"])[0]
    assert "评估人员评分" in header and "区县意见" in header


def test_the_scorecard_workbook_holds_the_records_numbers(world: World) -> None:
    round_ = open_round(world, published_set(SPEC))
    evaluation = evaluation_of(round_, world.station)
    publish(world, evaluation, world.evaluator, ["37.5", "20", "33"])
    neighbour = evaluation_of(round_, world.neighbour)
    publish(world, neighbour, world.evaluator, ["40", "20", "40"])
    for done in (evaluation, neighbour):
        finalise(done)
    book = workbook(client_for(world.district).get(url("stationevaluation_export", evaluation.pk)))
    facts = {row[0]: row[1] for row in sheet_rows(book["评估计分表"])}
    assert facts["社工站"] == "慈城镇社工站"
    assert Decimal(str(facts["总分"])) == evaluation.total_score == Decimal("90.50")
    assert facts["评估等级"] == "优秀"
    assert facts["区内排名"] == 2 and facts["全市排名"] == 2  # behind the neighbour's 100
    assert facts["实地查看发现"] == "现场查看活动室与台账"
    rows = sheet_rows(book["指标"])
    header = rows[0]
    code, final = header.index("代码"), header.index("最终得分")
    finder = header.index("发现的问题")
    by_code = {row[code]: row for row in rows[1:] if row[code]}
    for score in scores(evaluation):
        assert Decimal(str(by_code[score.indicator.code][final])) == score.final_score
    assert by_code["A1"][finder] == "台账不全，需补齐"
    subtotals = [row for row in rows[1:] if str(row[0]).endswith("小计")]
    assert [Decimal(str(row[final])) for row in subtotals] == [Decimal("57.50"), Decimal("33.00")]


# --- a round's results by district and city -------------------------------------------------------


def results_url(round_: EvaluationRound) -> str:
    return url("evaluationround_results", round_.pk)


def api_results(user: User, round_: EvaluationRound) -> dict[str, Any]:
    response = client_for(user).get(f"/api/v1/evaluation-rounds/{round_.pk}/results/")
    assert response.status_code == 200, response.status_code
    return response.json()


def three_final(world: World) -> tuple[EvaluationRound, list[StationEvaluation]]:
    """慈城 92 (优秀), the neighbour 75 (合格) in 江北区; 月湖 55 (不合格) in 海曙区."""
    round_ = open_round(world, published_set(SPEC))
    done = []
    for station, evaluator, values in (
        (world.station, world.evaluator, ["40", "16", "36"]),
        (world.neighbour, world.evaluator, ["30", "15", "30"]),
        (world.other_station, world.evaluator2, ["20", "10", "25"]),
    ):
        evaluation = evaluation_of(round_, station)
        publish(world, evaluation, evaluator, values)
        finalise(evaluation)
        done.append(evaluation)
    return round_, done


def test_the_results_report_by_district_and_city(world: World) -> None:
    round_, (cicheng, neighbour, yuehu) = three_final(world)
    assert [e.total_score for e in (cicheng, neighbour, yuehu)] == [92, 75, 55]

    # The city: every district and the city, read from the records.
    data = api_results(world.city, round_)
    city = data["city"]
    assert city["count"] == 3 and city["mean"] == "74.00" and city["median"] == "75.00"
    assert city["min"] == "55.00" and city["max"] == "92.00"
    assert city["good_rate"] == "33.3" and city["fail_count"] == 1
    assert {g["grade"]: (g["count"], g["share"]) for g in city["grades"]} == {
        "excellent": (1, "33.3"),
        "good": (0, "0.0"),
        "pass": (1, "33.3"),
        "fail": (1, "33.3"),
    }
    districts = {d["name"]: d for d in data["districts"]}
    assert set(districts) == {"江北区", "海曙区"}
    jiangbei = districts["江北区"]
    assert jiangbei["count"] == 2 and jiangbei["mean"] == "83.50" and jiangbei["fail_count"] == 0
    assert jiangbei["good_rate"] == "50.0"
    assert [r["station_name"] for r in jiangbei["ranking"]] == ["慈城镇社工站", "江北二号社工站"]
    assert [(r["district_rank"], r["city_rank"]) for r in jiangbei["ranking"]] == [(1, 1), (2, 2)]
    assert districts["海曙区"]["ranking"][0]["city_rank"] == 3
    assert districts["海曙区"]["ranking"][0]["district_rank"] == 1
    assert [r["total_score"] for r in data["ranking"]] == ["92.00", "75.00", "55.00"]

    # The page reads the same figures.
    page = client_for(world.city).get(results_url(round_)).content.decode()
    assert 'lang="zh-hans"' in page and "结果报告" in page and "全市排名" in page
    assert 'data-figure="mean">74<' in page and 'data-figure="good-rate">33.3%<' in page
    assert "海曙区" in page and "月湖街道社工站" in page and "江北区排名" in page
    round_page = client_for(world.city).get(round_.get_absolute_url()).content.decode()
    assert results_url(round_) in round_page

    # A district officer: their district, the city's figures, no other district's station.
    data = api_results(world.district, round_)
    assert [d["name"] for d in data["districts"]] == ["江北区"]
    assert data["city"]["count"] == 3
    assert [r["station_name"] for r in data["ranking"]] == ["慈城镇社工站", "江北二号社工站"]
    page = client_for(world.district).get(results_url(round_)).content.decode()
    assert "月湖街道社工站" not in page and "海曙区" not in page
    data = api_results(world.other_district, round_)
    assert [d["name"] for d in data["districts"]] == ["海曙区"]
    assert [r["station_name"] for r in data["ranking"]] == ["月湖街道社工站"]

    # A station manager: their own station in the ranking; the evaluator: their assignments.
    data = api_results(world.manager, round_)
    assert [r["station_name"] for r in data["ranking"]] == ["慈城镇社工站"]
    data = api_results(world.evaluator2, round_)
    assert [r["station_name"] for r in data["ranking"]] == ["月湖街道社工站"]

    # The workbook: a sheet by district (the city last) and a sheet of the ranking.
    book = workbook(client_for(world.city).get(url("evaluationround_results_export", round_.pk)))
    assert book.sheetnames == ["分区县结果", "排名"]
    rows = sheet_rows(book["分区县结果"])
    header = rows[0]
    assert header[:6] == ["区（县、市）", "参评站点数", "平均分", "中位数", "最低分", "最高分"]
    assert "优良率（%）" in header and "不合格数" in header and "优秀（个）" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_name) == ["海曙区", "江北区", "全市"]
    assert by_name["全市"]["参评站点数"] == 3 and by_name["全市"]["不合格数"] == 1
    assert Decimal(str(by_name["江北区"]["平均分"])) == Decimal("83.50")
    assert Decimal(str(by_name["全市"]["优良率（%）"])) == Decimal("33.3")
    assert by_name["海曙区"]["不合格（个）"] == 1
    ranking = sheet_rows(book["排名"])
    assert ranking[0][:3] == ["全市排名", "区内排名", "社工站"]
    assert [(row[0], row[2], Decimal(str(row[5]))) for row in ranking[1:]] == [
        (1, "慈城镇社工站", Decimal("92")),
        (2, "江北二号社工站", Decimal("75")),
        (3, "月湖街道社工站", Decimal("55")),
    ]
    book = workbook(
        client_for(world.district).get(url("evaluationround_results_export", round_.pk))
    )
    assert [row[0] for row in sheet_rows(book["分区县结果"])[1:]] == ["江北区", "全市"]


def test_the_results_follow_a_changed_score_and_count_final_results_only(world: World) -> None:
    round_ = open_round(world, published_set(SPEC))
    cicheng = evaluation_of(round_, world.station)
    publish(world, cicheng, world.evaluator, ["40", "16", "36"])  # 92
    finalise(cicheng)
    yuehu = evaluation_of(round_, world.other_station)
    publish(world, yuehu, world.evaluator2, ["20", "10", "25"])  # 55, published, not final
    city = api_results(world.city, round_)["city"]
    assert city["count"] == 1 and city["fail_count"] == 0 and city["mean"] == "92.00"

    # The station objects; the objection is upheld and another evaluator scores it 85.
    services.objection_file(
        actor=world.other_manager, evaluation=yuehu, objection="活动台账已补齐，评分有误，请复核。"
    )
    services.objection_decide(
        actor=world.city,
        evaluation=yuehu,
        upheld=True,
        reason="台账属实",
        evaluator=world.evaluator,
    )
    yuehu.refresh_from_db()
    for row, value in zip(scores(yuehu), ["40", "15", "30"], strict=True):
        services.score_set(
            actor=world.evaluator,
            score=row,
            evaluator_score=Decimal(value),
            finding="" if Decimal(value) == row.indicator.points else "仍有不足",
        )
    services.scoring_submit(
        actor=world.evaluator, evaluation=yuehu, site_visit_on=timezone.localdate()
    )
    services.review_pass(actor=world.other_district, evaluation=yuehu)
    services.city_approve(actor=world.city, evaluations=[yuehu], reason="异议成立，重新评分")
    finalise(yuehu)
    assert yuehu.total_score == Decimal("85.00")
    data = api_results(world.city, round_)
    city = data["city"]
    assert city["count"] == 2 and city["fail_count"] == 0 and city["mean"] == "88.50"
    assert city["good_rate"] == "100.0" and city["min"] == "85.00"
    haishu = next(d for d in data["districts"] if d["name"] == "海曙区")
    assert (
        haishu["ranking"][0]["total_score"] == "85.00" and haishu["ranking"][0]["grade"] == "good"
    )
    page = client_for(world.city).get(results_url(round_)).content.decode()
    assert 'data-figure="mean">88.50<' in page


def test_the_results_are_refused_outside_the_assignments(
    world: World, make_user: Callable[..., User]
) -> None:
    round_, _done = three_final(world)
    stranger = make_user(Role.EVALUATOR, CITY, full_name="评估员丙")
    for page_url in (results_url(round_), url("evaluationround_results_export", round_.pk)):
        assert client_for(stranger).get(page_url).status_code == 404
    response = client_for(stranger).get(f"/api/v1/evaluation-rounds/{round_.pk}/results/")
    assert response.status_code == 404
    response = Client().get(results_url(round_))
    assert response.status_code == 302 and "login" in response["Location"]
    # A round with nothing final yet says so.
    empty = open_round(world, published_set(SPEC, name="空标准"), name="2027年度评估")
    page = client_for(world.district).get(results_url(empty)).content.decode()
    assert 'id="no-results"' in page


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["annual", "star"])
def test_the_reports_keep_a_flat_query_count(
    world: World, django_assert_max_num_queries: Any, kind: str
) -> None:
    build = star_results if kind == "star" else three_final
    round_, (cicheng, _neighbour, _yuehu) = build(world)
    client = client_for(world.city)
    pages = [
        results_url(round_),
        url("evaluationround_results_export", round_.pk),
        f"/api/v1/evaluation-rounds/{round_.pk}/results/",
        url("stationevaluation_print", cicheng.pk),
        url("stationevaluation_export", cicheng.pk),
    ]

    def counted(page: str) -> int:
        client.get(page)  # the session, warmed
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200, page
        return len(queries)

    few = [counted(page) for page in pages]
    # More final results, in more districts, each with an indicator row.
    for n, code in enumerate(("330205001000", "330203001000", "330211001000", "330212001000")):
        station = make_operating_station(code, OPENED)
        StationEvaluation.objects.create(
            round=round_,
            station=station,
            region_code=code,
            evaluator=world.evaluator,
            status=EvaluationStatus.FINAL,
            total_score=Decimal(70 + n),
            grade="pass",
            **({"bonus_score": Decimal(8), "star": Star.FOUR} if kind == "star" else {}),
        )
    assert [counted(page) for page in pages] == few
    with django_assert_max_num_queries(20):
        client.get(results_url(round_))


# --- star rounds (星级评定, spec §3) ------------------------------------------------------------


def star_set() -> IndicatorSet:
    """A small star version: the 100-point SPEC plus a bonus dimension I (I1 10, I2 5) capped
    at 15."""
    indicator_set = published_set(SPEC, name="星级评定标准")
    bonus = make_dimension(indicator_set, "I", 15, order=9, name="创新加分", is_bonus=True)
    make_indicator(bonus, "I1", 10, order=1)
    make_indicator(bonus, "I2", 5, order=2)
    indicator_set.bonus_points = Decimal(15)
    indicator_set.bonus_cap = Decimal(15)
    indicator_set.save()
    return indicator_set


def open_star_round(world: World) -> EvaluationRound:
    round_: EvaluationRound = open_round(world, star_set(), name="2026年星级评定", kind="star")
    return round_


def zh(msgid: str) -> str:
    """The label as the Chinese reports read it (the .po's or, while missing, the msgid)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def star_label(star: int) -> str:
    with translation.override("zh-hans"):
        return str(Star(star).label)


def test_a_star_scorecard_prints_the_bonus_and_the_star_with_the_total(world: World) -> None:
    round_ = open_star_round(world)
    evaluation = evaluation_of(round_, world.station)
    # 75 on the 100 points (合格) and 8 of bonus: 83 with the bonus, four stars (77–85).
    score_all(evaluation, world.evaluator, ["40", "15", "20", "8", "0"])
    evaluation.refresh_from_db()
    assert (evaluation.total_score, evaluation.bonus_score) == (Decimal(75), Decimal(8))
    assert evaluation.star == Star.FOUR and evaluation.grade == "pass"
    print_url = url("stationevaluation_print", evaluation.pk)
    export_url = url("stationevaluation_export", evaluation.pk)

    # With the district: the station reads neither the total nor the star yet.
    body = client_for(world.manager).get(print_url).content.decode()
    assert 'id="print-no-result"' in body
    assert 'id="print-bonus"' not in body and 'id="print-star"' not in body and "★" not in body
    facts = {
        row[0]
        for row in sheet_rows(workbook(client_for(world.manager).get(export_url))["评估计分表"])
    }
    assert zh("bonus score") not in facts and zh("star rating") not in facts
    assert zh("total with the bonus") not in facts and "总分" not in facts
    # The district reads them with the total: out of 100 (the bonus dimension is on top).
    body = client_for(world.district).get(print_url).content.decode()
    assert 'id="print-total"><strong>75</strong> / 100<' in body
    assert 'id="print-bonus">8 / 15<' in body
    assert 'id="print-total-with-bonus"><strong>83</strong>' in body
    assert f"<strong>★★★★ {star_label(4)}</strong>" in body and "★★★★★" not in body
    assert 'id="print-dimension-I" data-bonus' in body
    assert 'id="print-dimension-A" data-bonus' not in body
    assert f"创新加分（{zh('bonus')}）" in body

    # Published: the station reads them, in print and in the workbook.
    services.review_pass(actor=world.district, evaluation=evaluation)
    services.city_approve(actor=world.city, evaluations=[evaluation], reason="复核通过")
    body = client_for(world.manager).get(print_url).content.decode()
    assert 'id="print-total-with-bonus"><strong>83</strong>' in body and "★★★★ " in body
    book = workbook(client_for(world.manager).get(export_url))
    facts_map = {row[0]: row[1] for row in sheet_rows(book["评估计分表"])}
    assert Decimal(str(facts_map["总分"])) == Decimal(75)
    assert Decimal(str(facts_map[zh("bonus score")])) == Decimal(8)
    assert Decimal(str(facts_map[zh("total with the bonus")])) == Decimal(83)
    assert facts_map[zh("star rating")] == f"★★★★ {star_label(4)}"
    assert facts_map["评估等级"] == "合格"  # the grade is on the 100-point base only
    rows = sheet_rows(book["指标"])
    by_code = {row[1]: row for row in rows[1:] if row[1]}
    assert by_code["I1"][0] == f"I 创新加分（{zh('bonus')}）" and by_code["A1"][0] == "A 维度A"

    # A veto: no star, and the scorecard says why.
    neighbour = evaluation_of(round_, world.neighbour)
    services.veto_set(
        actor=world.evaluator, evaluation=neighbour, veto=Veto.FABRICATED, reason="台账造假"
    )
    score_all(neighbour, world.evaluator, ["40", "20", "40", "10", "5"])
    neighbour.refresh_from_db()
    assert neighbour.star is None and neighbour.star_note
    body = client_for(world.district).get(url("stationevaluation_print", neighbour.pk))
    text = body.content.decode()
    assert 'id="print-total-with-bonus"><strong>115</strong>' in text
    assert neighbour.star_note in text and "★" not in text
    facts_map = {
        row[0]: row[1]
        for row in sheet_rows(
            workbook(client_for(world.district).get(url("stationevaluation_export", neighbour.pk)))[
                "评估计分表"
            ]
        )
    }
    assert facts_map[zh("star rating")] == neighbour.star_note


def test_a_non_star_scorecard_has_no_star_field(world: World) -> None:
    round_ = open_round(world, published_set(SPEC))
    evaluation = evaluation_of(round_, world.station)
    publish(world, evaluation, world.evaluator, ["40", "15", "36"])
    body = client_for(world.city).get(url("stationevaluation_print", evaluation.pk)).content
    text = body.decode()
    assert 'id="print-total"><strong>91</strong> / 100<' in text
    assert 'id="print-bonus"' not in text and 'id="print-star"' not in text
    assert "data-bonus" not in text and "★" not in text
    book = workbook(client_for(world.city).get(url("stationevaluation_export", evaluation.pk)))
    facts = [row[0] for row in sheet_rows(book["评估计分表"])]
    for label in ("bonus score", "total with the bonus", "star rating"):
        assert zh(label) not in facts


def star_results(world: World) -> tuple[EvaluationRound, list[StationEvaluation]]:
    """A star round: 慈城 76 + 0 (no star) and the neighbour 70 + 15 = 85 (五星, 合格 on the
    base) final in 江北区; 月湖 75 + 0 (no star) published, open to objection."""
    round_ = open_star_round(world)
    done = []
    for station, evaluator, values in (
        (world.station, world.evaluator, ["40", "16", "20", "0", "0"]),
        (world.neighbour, world.evaluator, ["30", "15", "25", "10", "5"]),
        (world.other_station, world.evaluator2, ["30", "15", "30", "0", "0"]),
    ):
        evaluation = evaluation_of(round_, station)
        publish(world, evaluation, evaluator, values)
        if station != world.other_station:
            finalise(evaluation)
        done.append(evaluation)
    return round_, done


def star_counts(figures: dict[str, Any]) -> tuple[int, int, int]:
    return figures["stars"]["five"], figures["stars"]["four"], figures["stars"]["none"]


def test_the_star_results_follow_the_bonus(world: World) -> None:
    round_, (cicheng, neighbour, yuehu) = star_results(world)
    assert [e.star for e in (cicheng, neighbour, yuehu)] == [None, Star.FIVE, None]
    export_url = url("evaluationround_results_export", round_.pk)

    # The API: the ranking by the total with the bonus (the neighbour's 85 before 慈城's 76),
    # the stars counted; the grades and the figures of the totals on the 100-point base.
    data = api_results(world.city, round_)
    assert [(r["station_name"], r["city_rank"]) for r in data["ranking"]] == [
        ("江北二号社工站", 1),
        ("慈城镇社工站", 2),
    ]
    first = data["ranking"][0]
    assert first["total_score"] == "70.00" and first["bonus_score"] == "15.00"
    assert first["total_with_bonus"] == "85.00" and first["grade"] == "pass"
    assert first["star"] == 5 and first["star_label"] == star_label(5)
    second = data["ranking"][1]
    assert second["star"] is None and second["star_label"] is None
    assert second["total_with_bonus"] == "76.00" and second["bonus_score"] == "0.00"
    assert star_counts(data["city"]) == (1, 0, 1)
    assert data["city"]["mean"] == "73.00" and data["city"]["max"] == "76.00"
    assert [(d["name"], star_counts(d)) for d in data["districts"]] == [("江北区", (1, 0, 1))]
    assert [r["district_rank"] for r in data["districts"][0]["ranking"]] == [1, 2]

    # The page and the workbook read the same.
    page = client_for(world.city).get(results_url(round_)).content.decode()
    assert 'data-figure="five-star">1<' in page and 'data-figure="no-star">1<' in page
    assert 'data-figure="four-star">0<' in page
    assert "data-total-with-bonus>85<" in page and f"★★★★★ {star_label(5)}" in page
    book = workbook(client_for(world.city).get(export_url))
    rows = sheet_rows(book["分区县结果"])
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_name["全市"]["五星级站点数"] == 1 and by_name["全市"]["无星级站点数"] == 1
    assert by_name["全市"]["四星级站点数"] == 0 and by_name["江北区"]["五星级站点数"] == 1
    ranking = sheet_rows(book["排名"])
    header = ranking[0]
    bonus, with_bonus, star = (
        header.index(zh("bonus score")),
        header.index(zh("total with the bonus")),
        header.index(zh("star rating")),
    )
    assert [
        (row[0], row[2], Decimal(str(row[bonus])), Decimal(str(row[with_bonus])), row[star])
        for row in ranking[1:]
    ] == [
        (1, "江北二号社工站", Decimal(15), Decimal(85), f"★★★★★ {star_label(5)}"),
        (2, "慈城镇社工站", Decimal(0), Decimal(76), zh("No star")),
    ]

    # 月湖 objects; upheld, another evaluator finds 2 points of bonus: 77, four stars.
    services.objection_file(
        actor=world.other_manager, evaluation=yuehu, objection="创新项目材料已补齐，请复核加分。"
    )
    services.objection_decide(
        actor=world.city,
        evaluation=yuehu,
        upheld=True,
        reason="材料属实",
        evaluator=world.evaluator,
    )
    yuehu.refresh_from_db()
    for row, value in zip(scores(yuehu), ["30", "15", "30", "2", "0"], strict=True):
        services.score_set(
            actor=world.evaluator,
            score=row,
            evaluator_score=Decimal(value),
            finding="" if Decimal(value) == row.indicator.points else "仍有不足",
        )
    services.scoring_submit(
        actor=world.evaluator, evaluation=yuehu, site_visit_on=timezone.localdate()
    )
    services.review_pass(actor=world.other_district, evaluation=yuehu)
    services.city_approve(actor=world.city, evaluations=[yuehu], reason="异议成立，重新评分")
    finalise(yuehu)
    assert (yuehu.total_score, yuehu.bonus_score, yuehu.star) == (75, 2, Star.FOUR)

    data = api_results(world.city, round_)
    assert star_counts(data["city"]) == (1, 1, 1)
    districts = {d["name"]: d for d in data["districts"]}
    assert star_counts(districts["海曙区"]) == (0, 1, 0)
    assert star_counts(districts["江北区"]) == (1, 0, 1)
    assert districts["海曙区"]["ranking"][0]["star"] == 4
    assert districts["海曙区"]["ranking"][0]["total_with_bonus"] == "77.00"
    assert [r["station_name"] for r in data["ranking"]] == [
        "江北二号社工站",
        "月湖街道社工站",  # 77 with the bonus, 慈城 76
        "慈城镇社工站",
    ]
    page = client_for(world.city).get(results_url(round_)).content.decode()
    assert 'data-figure="four-star">1<' in page and 'data-figure="no-star">1<' in page
    rows = sheet_rows(workbook(client_for(world.city).get(export_url))["分区县结果"])
    city = dict(zip(rows[0], rows[-1], strict=True))
    assert (city["五星级站点数"], city["四星级站点数"], city["无星级站点数"]) == (1, 1, 1)

    # The station reads its own star in the ranking, and the city's counts.
    data = api_results(world.other_manager, round_)
    assert [(r["station_name"], r["star"]) for r in data["ranking"]] == [("月湖街道社工站", 4)]
    assert star_counts(data["city"]) == (1, 1, 1)


def test_a_station_reads_its_star_only_once_published(world: World) -> None:
    round_ = open_star_round(world)
    evaluation = evaluation_of(round_, world.station)
    score_all(evaluation, world.evaluator, ["40", "16", "36", "5", "0"])
    services.review_pass(actor=world.district, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.star == Star.FIVE  # with the city, not out yet
    print_url = url("stationevaluation_print", evaluation.pk)
    body = client_for(world.manager).get(print_url).content.decode()
    assert "★" not in body and 'id="print-star"' not in body
    response = client_for(world.manager).get(f"/api/v1/station-evaluations/{evaluation.pk}/")
    assert response.status_code == 200
    assert response.json()["star"] is None and response.json()["bonus_score"] is None
    assert api_results(world.manager, round_)["ranking"] == []
    # The city reads it; once published, so does the station.
    assert "★★★★★" in client_for(world.city).get(print_url).content.decode()
    services.city_approve(actor=world.city, evaluations=[evaluation], reason="复核通过")
    body = client_for(world.manager).get(print_url).content.decode()
    assert "★★★★★" in body and 'id="print-total-with-bonus"><strong>97</strong>' in body
    # Published, not final: the ranking and its counts wait for the final result.
    data = api_results(world.manager, round_)
    assert data["ranking"] == [] and data["city"] is None
    finalise(evaluation)
    data = api_results(world.manager, round_)
    assert [r["star"] for r in data["ranking"]] == [5] and star_counts(data["city"]) == (1, 0, 0)


def test_a_non_star_round_has_no_star_figures(world: World) -> None:
    round_, _done = three_final(world)
    data = api_results(world.city, round_)
    assert "stars" not in data["city"]
    assert all("stars" not in district for district in data["districts"])
    for row in data["ranking"] + data["districts"][0]["ranking"]:
        for name in ("bonus_score", "total_with_bonus", "star", "star_label", "star_note"):
            assert name not in row
    page = client_for(world.city).get(results_url(round_)).content.decode()
    assert 'data-figure="five-star"' not in page and "data-total-with-bonus" not in page
    assert 'data-figure="stars"' not in page and "★" not in page
    book = workbook(client_for(world.city).get(url("evaluationround_results_export", round_.pk)))
    header = sheet_rows(book["分区县结果"])[0]
    assert header[-1] == "不合格数" and "五星级站点数" not in header
    ranking_header = sheet_rows(book["排名"])[0]
    assert ranking_header[-1] == "评估等级" and zh("star rating") not in ranking_header
