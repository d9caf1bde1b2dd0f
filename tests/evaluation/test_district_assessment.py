"""The district assessment (市对区县考核; issue 15, spec/station-evaluation.md §6): the scheme
as data, the figures computed per county from the records (the cockpit's where the cockpit has
them), the points by the scheme's rules, the ranking, publication that freezes, who may do what,
and the pages and the API."""

import copy
import json
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.dashboard.selectors import Period, cockpit
from swstation.evaluation import services
from swstation.evaluation.models import (
    AssessmentStatus,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictResult,
    EvaluationStatus,
    RectificationItem,
    SetStatus,
)
from swstation.evaluation.services.district import scheme_errors
from swstation.regions.models import Region
from swstation.stations.models import Station
from tests.clients import client_for as _client
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU
from tests.evaluation.helpers import make_set, make_tree
from tests.funds import helpers as funds

pytestmark = pytest.mark.django_db

YEAR = 2025
SNAPSHOT = date(2025, 12, 31)
DEFAULT_FILE = (
    Path(__file__).resolve().parents[2]
    / "src/swstation/evaluation/data/default_district_scheme_v1.json"
)
# Another township of 江北区 (庄桥街道) for a second station.
ZHUANGQIAO = "330205004000"


def default_items() -> list[dict[str, Any]]:
    return copy.deepcopy(json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))["items"])


def assessment(city_admin: Any, **values: Any) -> DistrictAssessment:
    values.setdefault("year", YEAR)
    values.setdefault("snapshot_date", SNAPSHOT)
    return services.district_assessment_create(actor=city_admin, **values)


def result_of(assessment_: DistrictAssessment, code: str) -> DistrictResult:
    return assessment_.results.get(region__code=code)


def item(result: DistrictResult, code: str) -> dict[str, Any]:
    return next(row for row in result.scores if row["code"] == code)


# --- the scheme ----------------------------------------------------------------------------------


def test_the_default_scheme_is_seeded_valid_and_adds_up_to_100() -> None:
    scheme = DistrictAssessmentScheme.objects.get(year=2020)
    assert [row["code"] for row in scheme.items] == [f"K{n}" for n in range(1, 10)]
    assert scheme_errors(scheme.items) == []
    assert sum(Decimal(str(row["points"])) for row in scheme.items) == 100


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda items: items[0].update(points=11), "101"),
        (lambda items: items[0].update(rule_type="manual"), "K1"),
        (lambda items: items[1].update(figure="happiness"), "K2"),
        (lambda items: items[2].update(code="K1"), "K1"),
        (lambda items: items[3]["rule_params"].update(floor=90), "K4"),
    ],
)
def test_a_scheme_with_a_fault_is_refused_naming_the_item(
    users: dict[str, Any], change: Any, fragment: str
) -> None:
    items = default_items()
    change(items)
    assert scheme_errors(items)
    with pytest.raises(ValidationError) as refused:
        services.district_scheme_create(
            actor=users[Role.CITY_ADMIN], name="新方案", year=2027, items=items
        )
    assert fragment in " ".join(refused.value.message_dict["items"])
    assert not DistrictAssessmentScheme.objects.filter(year=2027).exists()


def test_only_the_city_bureau_writes_a_scheme(users: dict[str, Any]) -> None:
    for role in (Role.DISTRICT_OFFICER, Role.AUDITOR, Role.STATION_MANAGER):
        with pytest.raises(PermissionDenied):
            services.district_scheme_create(
                actor=users[role], name="区里的方案", year=2027, items=default_items()
            )
    scheme = services.district_scheme_create(
        actor=users[Role.CITY_ADMIN], name="2027年方案", year=2027, items=default_items()
    )
    assert scheme.history.count() == 1
    assert services.scheme_for_year(2027) == scheme
    assert services.scheme_for_year(2026).year == 2020


# --- the figures ---------------------------------------------------------------------------------


def test_coverage_compliance_villages_and_certified_are_the_cockpits(users: dict[str, Any]) -> None:
    city_admin = users[Role.CITY_ADMIN]
    funds.station(CICHENG)
    funds.station(YUEHU)
    draft = assessment(city_admin)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    shown = cockpit(
        actor=city_admin,
        region=Region.objects.get(code=CITY),
        period=Period(date(YEAR, 1, 1), SNAPSHOT),
    )
    areas = {area.code: area for area in shown.areas}
    for code in (JIANGBEI, HAISHU):
        result = result_of(draft, code)
        area = areas[code]
        coverage = item(result, "K1")
        assert (int(coverage["numerator"]), int(coverage["denominator"])) == (
            area.stations_operating,
            area.townships,
        )
        assert Decimal(coverage["value"]) == (area.township_coverage * 100).quantize(
            Decimal("0.01")
        )
        villages = item(result, "K8")
        assert int(villages["denominator"]) == area.villages
        assert int(villages["numerator"]) == area.villages_served
        certified = item(result, "K7")
        assert int(certified["numerator"]) == area.certified
        assert int(certified["denominator"]) == area.population
    assert (
        DistrictResult.objects.filter(assessment=draft).count()
        == Region.objects.filter(level="county").count()
    )


def test_a_new_station_raises_its_districts_coverage_and_points(users: dict[str, Any]) -> None:
    city_admin = users[Role.CITY_ADMIN]
    funds.station(CICHENG)
    draft = assessment(city_admin)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    before = item(result_of(draft, JIANGBEI), "K1")
    funds.station(ZHUANGQIAO)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    after = item(result_of(draft, JIANGBEI), "K1")
    assert int(after["numerator"]) == int(before["numerator"]) + 1
    assert Decimal(after["value"]) > Decimal(before["value"])
    assert Decimal(after["points"]) >= Decimal(before["points"])
    assert draft.results.count() == Region.objects.filter(level="county").count()


def _final_round(city_admin: Any, results: dict[str, tuple[str, str]]) -> Any:
    """An annual round of 2025 whose stations (by township code) are final with (total, grade)."""
    standard = make_set("考核测试标准", status=SetStatus.PUBLISHED)
    make_tree(standard, {"A": (100, [100])})
    round_ = services.round_create(
        actor=city_admin,
        name="2025年度评估",
        kind="annual",
        indicator_set=standard,
        period_start=date(2025, 1, 1),
        snapshot_date=SNAPSHOT,
    )
    stations = [funds.station(code) for code in results]
    services.round_open(actor=city_admin, round=round_, stations=stations)
    for station, (total, grade) in zip(stations, results.values(), strict=True):
        round_.evaluations.filter(station=station).update(
            status=EvaluationStatus.FINAL, total_score=Decimal(total), grade=grade
        )
    return round_


def test_evaluation_figures_come_from_the_rounds_final_results(users: dict[str, Any]) -> None:
    city_admin = users[Role.CITY_ADMIN]
    round_ = _final_round(
        city_admin,
        {CICHENG: ("92.00", "excellent"), ZHUANGQIAO: ("55.00", "fail"), YUEHU: ("81.00", "good")},
    )
    draft = assessment(city_admin, evaluation_round=round_)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    jiangbei = result_of(draft, JIANGBEI)
    assert item(jiangbei, "K3")["value"] == "73.50"
    assert item(jiangbei, "K4")["value"] == "50.00"
    assert item(jiangbei, "K5")["value"] == "1"
    assert item(jiangbei, "K5")["points"] == "2.00"  # one 不合格 station: 2 of 5 points
    assert jiangbei.figures["grades"] == {"excellent": 1, "fail": 1}
    haishu = result_of(draft, HAISHU)
    assert item(haishu, "K4")["value"] == "100.00"
    assert item(haishu, "K5")["points"] == "5.00"
    # A result that is not final does not count (it may still change on objection).
    round_.evaluations.filter(station__region__code=ZHUANGQIAO).update(
        status=EvaluationStatus.PUBLISHED
    )
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    assert item(result_of(draft, JIANGBEI), "K3")["value"] == "92.00"
    assert item(result_of(draft, JIANGBEI), "K5")["points"] == "5.00"


def test_rectification_closed_on_time_share(users: dict[str, Any]) -> None:
    city_admin = users[Role.CITY_ADMIN]
    round_ = _final_round(city_admin, {CICHENG: ("70.00", "pass")})
    evaluation = round_.evaluations.get()
    indicator = evaluation.scores.first().indicator
    due = {"original_due_on": date(2025, 9, 30), "due_on": date(2025, 9, 30)}
    RectificationItem.objects.create(
        evaluation=evaluation,
        indicator=indicator,
        finding="台账不全",
        status="closed",
        closed_on=date(2025, 9, 20),
        closed_on_time=True,
        **due,
    )
    draft = assessment(city_admin, evaluation_round=round_)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    assert item(result_of(draft, JIANGBEI), "K6")["value"] == "100.00"
    # With nothing due, the district loses nothing (on_empty "full").
    assert item(result_of(draft, HAISHU), "K6")["points"] == "15.00"
    RectificationItem.objects.create(
        evaluation=evaluation, indicator=indicator, finding="督导记录缺失", status="issued", **due
    )
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    late = item(result_of(draft, JIANGBEI), "K6")
    assert (late["numerator"], late["denominator"], late["value"]) == ("1", "2", "50.00")
    assert late["points"] == "0.00"  # at the floor of 50 %


def test_funds_in_place_needs_county_and_township_money_of_the_year(
    users: dict[str, Any],
) -> None:
    city_admin = users[Role.CITY_ADMIN]
    funds.station(CICHENG)
    funds.station(ZHUANGQIAO)
    county = funds.funder(JIANGBEI, tier="county")
    township = funds.funder(CICHENG, tier="township")
    funds.grant(CICHENG, "200000.00", by=county, year=YEAR)
    draft = assessment(city_admin)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    assert item(result_of(draft, JIANGBEI), "K9")["numerator"] == "0"
    funds.grant(CICHENG, "50000.00", by=township, year=YEAR)
    funds.grant(ZHUANGQIAO, "50000.00", by=township, year=YEAR - 1)  # another year
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    in_place = item(result_of(draft, JIANGBEI), "K9")
    assert (in_place["numerator"], in_place["denominator"]) == ("1", "2")
    money = result_of(draft, JIANGBEI).figures["funds"]
    assert money["county"] == {"total": "200000.00", "per_station": "100000.00"}
    assert money["township"]["total"] == "50000.00"


def test_counties_are_ranked_by_total_ties_sharing_a_place(users: dict[str, Any]) -> None:
    city_admin = users[Role.CITY_ADMIN]
    funds.station(CICHENG)
    draft = assessment(city_admin)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    results = list(draft.results.order_by("-total_score"))
    assert results[0].rank == 1
    for higher, lower in pairwise(results):
        if higher.total_score == lower.total_score:
            assert higher.rank == lower.rank
        else:
            assert higher.rank is not None and lower.rank is not None
            assert higher.rank < lower.rank
    for result in results:
        assert result.total_score == sum(Decimal(row["points"]) for row in result.scores)


# --- the flow ------------------------------------------------------------------------------------


def test_publishing_freezes_the_assessment_and_its_scheme(users: dict[str, Any]) -> None:
    city_admin = users[Role.CITY_ADMIN]
    draft = assessment(city_admin)
    with pytest.raises(ValidationError):
        services.district_assessment_publish(actor=city_admin, assessment=draft)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    published = services.district_assessment_publish(actor=city_admin, assessment=draft)
    assert published.status == AssessmentStatus.PUBLISHED
    assert published.published_by == city_admin
    totals = list(published.results.values_list("region__code", "total_score"))
    funds.station(ZHUANGQIAO)
    with pytest.raises(StateConflict):
        services.district_assessment_compute(actor=city_admin, assessment=published)
    with pytest.raises(StateConflict):
        services.district_assessment_update(actor=city_admin, assessment=published, note="改")
    with pytest.raises(StateConflict):
        services.district_assessment_delete(actor=city_admin, assessment=published)
    with pytest.raises(StateConflict):
        services.district_scheme_update(
            actor=city_admin, scheme=published.scheme, name="改名的方案"
        )
    assert list(published.results.values_list("region__code", "total_score")) == totals
    kinds = list(published.history.values_list("history_type", flat=True))
    assert len(kinds) >= 3  # created, computed, published


def test_an_assessment_is_refused_a_date_outside_its_year_or_a_round_of_another(
    users: dict[str, Any],
) -> None:
    city_admin = users[Role.CITY_ADMIN]
    with pytest.raises(ValidationError) as refused:
        assessment(city_admin, snapshot_date=date(2024, 12, 31))
    assert "snapshot_date" in refused.value.message_dict
    tomorrow = timezone.localdate().replace(month=12, day=31)
    if tomorrow > timezone.localdate():
        with pytest.raises(ValidationError):
            assessment(city_admin, year=tomorrow.year, snapshot_date=tomorrow)
    with pytest.raises(ValidationError) as wrong_round:
        assessment(
            city_admin,
            year=2024,
            snapshot_date=date(2024, 12, 31),
            evaluation_round=_final_round(city_admin, {CICHENG: ("80.00", "good")}),
        )
    assert "evaluation_round" in wrong_round.value.message_dict
    assert not DistrictAssessment.objects.exists()


def test_only_the_city_bureau_assesses(users: dict[str, Any]) -> None:
    draft = assessment(users[Role.CITY_ADMIN])
    for role in (Role.DISTRICT_OFFICER, Role.AUDITOR, Role.STATION_MANAGER, Role.EVALUATOR):
        with pytest.raises(PermissionDenied):
            services.district_assessment_compute(actor=users[role], assessment=draft)
        with pytest.raises(PermissionDenied):
            services.district_assessment_create(
                actor=users[role], year=2024, snapshot_date=date(2024, 12, 31)
            )
    assert draft.results.count() == 0


# --- pages and API -------------------------------------------------------------------------------


def _published(users: dict[str, Any]) -> DistrictAssessment:
    city_admin = users[Role.CITY_ADMIN]
    funds.station(CICHENG)
    draft = assessment(city_admin)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    return services.district_assessment_publish(actor=city_admin, assessment=draft)


def test_the_city_bureau_computes_and_publishes_from_the_page(users: dict[str, Any]) -> None:
    client = _client(users[Role.CITY_ADMIN])
    response = client.post(
        reverse("evaluation:districtassessment_add"),
        {"year": YEAR, "snapshot_date": "2025-12-31", "note": ""},
    )
    draft = DistrictAssessment.objects.get(year=YEAR)
    assert response.status_code == 302
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "尚未计算" in page and 'id="compute-button"' in page
    client.post(reverse("evaluation:districtassessment_compute", args=[draft.pk]))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="district-table"' in page and "江北区" in page and 'id="publish-button"' in page
    client.post(reverse("evaluation:districtassessment_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.PUBLISHED
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="compute-button"' not in page and "已发布" in page


def test_a_district_sees_published_assessments_and_its_own_result(users: dict[str, Any]) -> None:
    draft = assessment(users[Role.CITY_ADMIN])
    officer = _client(users[Role.DISTRICT_OFFICER])
    assert officer.get(draft.get_absolute_url()).status_code == 404
    published = _published_after(users, draft)
    page = officer.get(published.get_absolute_url()).content.decode()
    assert "江北区" in page and "海曙区" not in page
    assert 'id="compute-button"' not in page
    own = result_of(published, JIANGBEI)
    other = result_of(published, HAISHU)
    assert officer.get(own.get_absolute_url()).status_code == 200
    assert officer.get(other.get_absolute_url()).status_code == 404
    assert officer.post(
        reverse("evaluation:districtassessment_compute", args=[published.pk])
    ).status_code in (302, 403, 404)
    published.refresh_from_db()
    assert published.status == AssessmentStatus.PUBLISHED


def _published_after(users: dict[str, Any], draft: DistrictAssessment) -> DistrictAssessment:
    city_admin = users[Role.CITY_ADMIN]
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    return services.district_assessment_publish(actor=city_admin, assessment=draft)


def test_station_staff_and_evaluators_have_no_district_assessment(users: dict[str, Any]) -> None:
    published = _published(users)
    for role in (Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.EVALUATOR):
        client = _client(users[role])
        assert client.get(reverse("evaluation:districtassessment_list")).status_code == 403
        assert client.get(published.get_absolute_url()).status_code in (403, 404)


def test_the_api_lists_computes_and_publishes(users: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(users[Role.CITY_ADMIN])
    created = api.post(
        "/api/v1/district-assessments/", {"year": YEAR, "snapshot_date": "2025-12-31"}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    computed = api.post(f"/api/v1/district-assessments/{pk}/compute/")
    assert computed.status_code == 200, computed.content
    body = computed.json()
    assert body["status"] == "draft"
    assert len(body["results"]) == Region.objects.filter(level="county").count()
    first = body["results"][0]
    assert first["rank"] == 1 and isinstance(first["total_score"], str)
    assert [row["code"] for row in first["scores"]] == [f"K{n}" for n in range(1, 10)]
    assert api.post(f"/api/v1/district-assessments/{pk}/publish/").status_code == 200
    assert api.post(f"/api/v1/district-assessments/{pk}/compute/").status_code == 409
    assert api.delete(f"/api/v1/district-assessments/{pk}/").status_code == 409

    officer = APIClient()
    officer.force_authenticate(users[Role.DISTRICT_OFFICER])
    results = officer.get("/api/v1/district-results/").json()["results"]
    assert [row["region_code"] for row in results] == [JIANGBEI]
    assert officer.post(f"/api/v1/district-assessments/{pk}/compute/").status_code == 403
    bad = api.post(
        "/api/v1/district-assessment-schemes/",
        {"name": "坏方案", "year": 2028, "items": [{"code": "K1"}]},
        format="json",
    )
    assert bad.status_code == 400 and "items" in bad.json()


def test_a_station_is_not_an_area(users: dict[str, Any]) -> None:
    """A township station is counted in its district's coverage only while it operates."""
    city_admin = users[Role.CITY_ADMIN]
    station = funds.station(CICHENG)
    draft = assessment(city_admin)
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    operating = int(item(result_of(draft, JIANGBEI), "K1")["numerator"])
    Station.objects.filter(pk=station.pk).update(status="suspended", suspended_on=date(2025, 6, 1))
    services.district_assessment_compute(actor=city_admin, assessment=draft)
    assert int(item(result_of(draft, JIANGBEI), "K1")["numerator"]) == operating - 1


def test_a_district_cannot_filter_results_by_a_draft(users: dict[str, Any]) -> None:
    draft = assessment(users[Role.CITY_ADMIN])
    services.district_assessment_compute(actor=users[Role.CITY_ADMIN], assessment=draft)
    officer = APIClient()
    officer.force_authenticate(users[Role.DISTRICT_OFFICER])
    answer = officer.get(f"/api/v1/district-results/?assessment={draft.pk}")
    assert answer.status_code == 400 and "assessment" in answer.json()
    city = APIClient()
    city.force_authenticate(users[Role.CITY_ADMIN])
    listed = city.get(f"/api/v1/district-results/?assessment={draft.pk}").json()
    assert listed["count"] == Region.objects.filter(level="county").count()
