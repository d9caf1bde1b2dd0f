"""The API of the evaluation rounds (issue 15, "Interfaces"; spec/station-evaluation.md §4):
rounds, station evaluations and their steps, indicator scores, rectification items and
evaluators — their fields, who reads what (by jurisdiction, an evaluator by assignment, a
station its result only from publication), every step's success and refusals (403 for a role
that does not take it, 409 out of step, 400 naming the field in Chinese), and a published
score that never changes."""

import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.evaluation import services
from swstation.evaluation.models import (
    EvaluationRound,
    EvaluationStatus,
    IndicatorScore,
    RectificationItem,
    RectificationStatus,
    SetStatus,
    StationEvaluation,
)
from tests.clients import api_for as api
from tests.conftest import CICHENG, CITY, HAISHU, YUEHU
from tests.evaluation.helpers import make_dimension, make_indicator, make_set
from tests.stations.helpers import make_station

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/evaluation-rounds/"
EVALUATIONS = "/api/v1/station-evaluations/"
SCORES = "/api/v1/indicator-scores/"
ITEMS = "/api/v1/rectification-items/"
EVALUATORS = "/api/v1/evaluators/"
EVIDENCE = "/api/v1/evaluation-evidence/"
EVENTS = "/api/v1/evaluation-events/"
PDF = b"%PDF-1.4\n%%EOF\n"
CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(response: Any, field: str) -> str:
    """The 400's message on ``field``, which must be Chinese."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    message = " ".join(body[field])
    assert CJK.search(message), message
    return message


def detail(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    message: str = response.json()["detail"]
    assert CJK.search(message), message
    return message


def published_set(name: str = "接口测试标准") -> Any:
    """A published standard of 100 points: A1 computed (name sign, yes/no), A2 and B1 by
    hand."""
    indicator_set = make_set(name=name, total_points=Decimal(100))
    a = make_dimension(indicator_set, "A", 40, order=1)
    b = make_dimension(indicator_set, "B", 60, order=2)
    make_indicator(a, "A1", 10, order=1, rule_type="yes_no", source="name_sign")
    make_indicator(a, "A2", 30, order=2)
    make_indicator(b, "B1", 60, order=1)
    indicator_set.status = SetStatus.PUBLISHED
    indicator_set.published_on = timezone.localdate()
    indicator_set.save()
    return indicator_set


def round_values(indicator_set: Any, **extra: Any) -> dict[str, Any]:
    snapshot = timezone.localdate() - timedelta(days=30)
    values = {
        "name": "2026年度评估",
        "kind": "annual",
        "indicator_set": indicator_set,
        "period_start": snapshot - timedelta(days=364),
        "snapshot_date": snapshot,
    }
    values.update(extra)
    return values


@pytest.fixture
def w(make_user: Any) -> SimpleNamespace:
    """Two stations (慈城镇 in 江北区, 月湖街道 in 海曙区) in an open round whose automatic
    values are computed, each assigned to its own evaluator; a user of every role."""
    city = make_user(Role.CITY_ADMIN)
    ns = SimpleNamespace(
        city=city,
        district=make_user(Role.DISTRICT_OFFICER),
        haishu=make_user(Role.DISTRICT_OFFICER, HAISHU),
        manager=make_user(Role.STATION_MANAGER),
        yuehu_manager=make_user(Role.STATION_MANAGER, YUEHU),
        worker=make_user(Role.SOCIAL_WORKER),
        auditor=make_user(Role.AUDITOR),
        supervisor=make_user(Role.SUPERVISOR),
        evaluator=make_user(Role.EVALUATOR, CITY),
        evaluator2=make_user(Role.EVALUATOR, CITY),
        idle_evaluator=make_user(Role.EVALUATOR, CITY),
        cicheng=make_station(CICHENG, name="慈城镇社工站"),
        yuehu=make_station(YUEHU, name="月湖街道社工站"),
        standard=published_set(),
    )
    ns.round = services.round_create(actor=city, **round_values(ns.standard))
    services.round_open(actor=city, round=ns.round, stations=[ns.cicheng, ns.yuehu])
    services.evaluation_compute(actor=city, round=ns.round)
    ns.ev = StationEvaluation.objects.get(round=ns.round, station=ns.cicheng)
    ns.other = StationEvaluation.objects.get(round=ns.round, station=ns.yuehu)
    services.evaluator_assign(actor=city, evaluation=ns.ev, evaluator=ns.evaluator)
    services.evaluator_assign(actor=city, evaluation=ns.other, evaluator=ns.evaluator2)
    return ns


def score(evaluation: StationEvaluation, code: str) -> IndicatorScore:
    return IndicatorScore.objects.select_related("indicator", "evaluation").get(
        evaluation=evaluation, indicator__code=code
    )


def fresh(evaluation: StationEvaluation) -> StationEvaluation:
    return StationEvaluation.objects.select_related("round", "station").get(pk=evaluation.pk)


def self_assess(w: SimpleNamespace, evaluation: StationEvaluation, manager: Any = None) -> None:
    for code, value in (("A1", "10"), ("A2", "30"), ("B1", "60")):
        services.self_score_set(
            actor=manager or w.manager, score=score(evaluation, code), self_score=Decimal(value)
        )


def to_scoring(w: SimpleNamespace, evaluation: StationEvaluation, manager: Any = None) -> None:
    self_assess(w, evaluation, manager)
    services.self_submit(actor=manager or w.manager, evaluation=fresh(evaluation))


def score_all(w: SimpleNamespace, evaluation: StationEvaluation, evaluator: Any) -> None:
    services.score_set(
        actor=evaluator, score=score(evaluation, "A1"), evaluator_score=None, finding="门牌未挂"
    )
    services.score_set(actor=evaluator, score=score(evaluation, "A2"), evaluator_score=Decimal(30))
    services.score_set(actor=evaluator, score=score(evaluation, "B1"), evaluator_score=Decimal(60))


def to_review(w: SimpleNamespace, evaluation: StationEvaluation, **who: Any) -> None:
    to_scoring(w, evaluation, who.get("manager"))
    evaluator = who.get("evaluator", w.evaluator)
    score_all(w, evaluation, evaluator)
    services.scoring_submit(
        actor=evaluator,
        evaluation=fresh(evaluation),
        site_visit_on=timezone.localdate() - timedelta(days=1),
    )


def to_city(w: SimpleNamespace, evaluation: StationEvaluation, **who: Any) -> None:
    to_review(w, evaluation, **who)
    services.review_pass(actor=who.get("district", w.district), evaluation=fresh(evaluation))


def publish(w: SimpleNamespace, evaluation: StationEvaluation, **who: Any) -> None:
    to_city(w, evaluation, **who)
    services.city_approve(actor=w.city, evaluations=[fresh(evaluation)])


def finalise(w: SimpleNamespace, evaluation: StationEvaluation, **who: Any) -> None:
    publish(w, evaluation, **who)
    until = fresh(evaluation).objection_until
    assert until is not None
    services.finalise_due(on=until + timedelta(days=1))


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- rounds -------------------------------------------------------------------------------------


def test_the_city_creates_edits_and_deletes_a_round_being_prepared(w: SimpleNamespace) -> None:
    city = api(w.city)
    body = {**round_values(w.standard), "indicator_set": w.standard.pk, "name": "2026年星级评定"}
    body = {k: str(v) if k in ("period_start", "snapshot_date") else v for k, v in body.items()}
    created = city.post(ROUNDS, body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["status"] == "draft"
    assert row["station_count"] == 0
    assert row["entry_grace_days"] == 7
    pk = row["id"]
    patched = city.patch(f"{ROUNDS}{pk}/", {"name": "2026年星级评定（改）"}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["name"] == "2026年星级评定（改）"
    wrong = city.patch(
        f"{ROUNDS}{pk}/", {"snapshot_date": str(w.round.period_start - timedelta(days=1))}
    )
    chinese(wrong, "snapshot_date")
    assert city.delete(f"{ROUNDS}{pk}/").status_code == 204
    assert not EvaluationRound.objects.filter(pk=pk).exists()


def test_a_round_scores_with_a_published_standard_only(w: SimpleNamespace) -> None:
    draft = make_set(name="草稿标准")
    body = {**round_values(draft), "indicator_set": draft.pk}
    body = {k: str(v) if k in ("period_start", "snapshot_date") else v for k, v in body.items()}
    chinese(api(w.city).post(ROUNDS, body, format="json"), "indicator_set")


def test_only_the_city_writes_rounds(w: SimpleNamespace) -> None:
    body = {**round_values(w.standard), "indicator_set": w.standard.pk}
    body = {k: str(v) if k in ("period_start", "snapshot_date") else v for k, v in body.items()}
    for user in (w.district, w.manager, w.evaluator, w.auditor):
        assert api(user).post(ROUNDS, body, format="json").status_code == 403
        assert api(user).post(f"{ROUNDS}{w.round.pk}/close/").status_code in (403, 404)
    assert api(w.district).patch(f"{ROUNDS}{w.round.pk}/", {"name": "x"}).status_code == 403


def test_a_round_under_way_is_not_edited_nor_deleted(w: SimpleNamespace) -> None:
    city = api(w.city)
    detail(city.patch(f"{ROUNDS}{w.round.pk}/", {"name": "改名"}, format="json"), 409)
    detail(city.delete(f"{ROUNDS}{w.round.pk}/"), 409)
    detail(city.post(f"{ROUNDS}{w.round.pk}/open/", {}, format="json"), 409)


def test_the_round_list_counts_stations_and_final_results(w: SimpleNamespace) -> None:
    finalise(w, w.ev)
    response = api(w.city).get(ROUNDS)
    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} <= body.keys()
    (row,) = [r for r in body["results"] if r["id"] == w.round.pk]
    assert row["station_count"] == 2
    assert row["final_count"] == 1
    for name in ("name", "kind", "indicator_set", "period_start", "snapshot_date", "status"):
        assert name in row
    assert row["opened_on"] == str(timezone.localdate())
    assert row["closed_on"] is None
    assert row["review_days"] == 10


IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}


def test_open_compute_and_close_a_round_through_the_api(
    w: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {**settings.TASKS, "background": IMMEDIATE}
    city = api(w.city)
    values = {**round_values(w.standard, name="2026年中期评估", kind="mid_term")}
    draft = services.round_create(actor=w.city, **values)
    chinese(city.post(f"{ROUNDS}{draft.pk}/open/", {"stations": []}, format="json"), "stations")
    opened = city.post(f"{ROUNDS}{draft.pk}/open/", {"stations": [w.cicheng.pk]}, format="json")
    assert opened.status_code == 200, opened.content
    assert opened.json()["status"] == "open"
    assert opened.json()["station_count"] == 1
    evaluation = StationEvaluation.objects.get(round=draft)
    assert evaluation.status == EvaluationStatus.OPEN
    # One background task computes the round; the answer comes before it is done.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        computed = city.post(f"{ROUNDS}{draft.pk}/compute/", {}, format="json")
    assert computed.status_code == 202, computed.content
    assert computed.json()["computing_since"] is not None
    assert len(queued) == 1
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SELF_ASSESSMENT
    assert evaluation.self_due_on == timezone.localdate() + timedelta(days=14)
    assert score(evaluation, "A1").auto_score == Decimal("0.00")  # no name sign
    assert city.get(f"{ROUNDS}{draft.pk}/").json()["computing_since"] is None
    # Computing again needs a reason.
    chinese(city.post(f"{ROUNDS}{draft.pk}/compute/", {}, format="json"), "reason")
    with django_capture_on_commit_callbacks(execute=True):
        again = city.post(f"{ROUNDS}{draft.pk}/compute/", {"reason": "补录门牌记录"}, format="json")
    assert again.status_code == 202, again.content
    # A round closes when every station is final.
    closing = city.post(f"{ROUNDS}{draft.pk}/close/")
    assert closing.status_code == 400
    assert CJK.search(" ".join(closing.json()["non_field_errors"]))
    # Only the city computes.
    assert api(w.district).post(f"{ROUNDS}{draft.pk}/compute/", {}).status_code == 403


def test_a_round_being_computed_is_not_computed_twice(w: SimpleNamespace) -> None:
    """The task waits for the worker (the test's transaction never commits): a second request
    meanwhile is told (409)."""
    city = api(w.city)
    first = city.post(f"{ROUNDS}{w.round.pk}/compute/", {"reason": "补录"}, format="json")
    assert first.status_code == 202, first.content
    detail(city.post(f"{ROUNDS}{w.round.pk}/compute/", {"reason": "再算"}, format="json"), 409)


def test_the_values_are_frozen_once_the_evaluator_has_submitted(w: SimpleNamespace) -> None:
    to_review(w, w.ev)
    with pytest.raises(StateConflict):
        services.evaluation_compute(actor=w.city, round=w.round, evaluations=[w.ev], reason="再算")
    # The whole round is computed again for the stations not yet submitted; this one keeps its
    # values.
    computed_at = type(w.ev).objects.get(pk=w.ev.pk).computed_at
    services.evaluation_compute(actor=w.city, round=w.round, reason="再算")
    assert type(w.ev).objects.get(pk=w.ev.pk).computed_at == computed_at


def test_the_scores_are_computed_only_after_the_entry_grace(w: SimpleNamespace) -> None:
    today = timezone.localdate()
    recent = services.round_create(
        actor=w.city,
        **round_values(
            w.standard,
            name="刚截止的批次",
            snapshot_date=today,
            period_start=today - timedelta(300),
        ),
    )
    services.round_open(actor=w.city, round=recent, stations=[w.cicheng])
    response = api(w.city).post(f"{ROUNDS}{recent.pk}/compute/", {}, format="json")
    assert response.status_code == 400
    assert CJK.search(" ".join(response.json()["non_field_errors"]))


def test_a_draft_round_is_not_computed_nor_closed(w: SimpleNamespace) -> None:
    draft = services.round_create(actor=w.city, **round_values(w.standard, name="未开"))
    city = api(w.city)
    detail(city.post(f"{ROUNDS}{draft.pk}/compute/", {}, format="json"), 409)
    detail(city.post(f"{ROUNDS}{draft.pk}/close/"), 409)


def test_the_city_closes_a_round_whose_stations_are_all_final(w: SimpleNamespace) -> None:
    finalise(w, w.ev)
    finalise(w, w.other, manager=w.yuehu_manager, evaluator=w.evaluator2, district=w.haishu)
    response = api(w.city).post(f"{ROUNDS}{w.round.pk}/close/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert response.json()["closed_on"] == str(timezone.localdate())
    detail(api(w.city).post(f"{ROUNDS}{w.round.pk}/close/"), 409)


def test_the_city_approves_a_round_s_evaluations_awaiting_it(w: SimpleNamespace) -> None:
    city = api(w.city)
    detail(city.post(f"{ROUNDS}{w.round.pk}/approve/", {}, format="json"), 409)  # none waits
    to_city(w, w.ev)
    to_city(w, w.other, manager=w.yuehu_manager, evaluator=w.evaluator2, district=w.haishu)
    assert api(w.district).post(f"{ROUNDS}{w.round.pk}/approve/", {}).status_code == 403
    response = city.post(f"{ROUNDS}{w.round.pk}/approve/", {}, format="json")
    assert response.status_code == 200, response.content
    for evaluation in (w.ev, w.other):
        evaluation.refresh_from_db()
        assert evaluation.status == EvaluationStatus.PUBLISHED
        assert evaluation.published_at is not None
        assert evaluation.revisions.count() == 1


def test_the_city_approves_chosen_evaluations(w: SimpleNamespace) -> None:
    to_city(w, w.ev)
    to_city(w, w.other, manager=w.yuehu_manager, evaluator=w.evaluator2, district=w.haishu)
    city = api(w.city)
    chinese(
        city.post(f"{ROUNDS}{w.round.pk}/approve/", {"evaluations": []}, format="json"),
        "evaluations",
    )
    response = city.post(
        f"{ROUNDS}{w.round.pk}/approve/", {"evaluations": [w.ev.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert fresh(w.ev).status == EvaluationStatus.PUBLISHED
    assert fresh(w.other).status == EvaluationStatus.CITY_APPROVAL
    # Approved once: a second approval of it is out of step.
    again = city.post(f"{ROUNDS}{w.round.pk}/approve/", {"evaluations": [w.ev.pk]}, format="json")
    detail(again, 409)


# --- station evaluations: fields, scope, pagination ----------------------------------------------


def test_the_evaluation_list_has_the_issue_s_fields(w: SimpleNamespace) -> None:
    to_review(w, w.ev)
    response = api(w.city).get(EVALUATIONS, {"round": w.round.pk})
    assert response.status_code == 200, response.content
    rows = {row["id"]: row for row in response.json()["results"]}
    row = rows[w.ev.pk]
    assert row["station"] == w.cicheng.pk
    assert row["station_name"] == "慈城镇社工站"
    assert row["region_code"] == CICHENG
    assert row["status"] == "district_review"
    assert row["total_score"] == "90.00"  # a decimal string
    assert row["grade"] == "excellent"
    assert row["grade_label"] == "优秀"
    assert row["round"] == w.round.pk
    assert row["evaluator"] == w.evaluator.pk
    for name in (
        "self_due_on",
        "scoring_due_on",
        "review_due_on",
        "veto",
        "published_at",
        "objection_until",
        "final_on",
        "payment_hold",
    ):
        assert name in row
    other = rows[w.other.pk]
    assert other["total_score"] is None
    assert other["grade"] is None


def test_the_evaluation_list_is_paginated(w: SimpleNamespace) -> None:
    city = api(w.city)
    first = city.get(EVALUATIONS, {"page_size": 1}).json()
    assert first["count"] == 2
    assert len(first["results"]) == 1
    assert first["next"]
    second = city.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert {first["results"][0]["id"], second["results"][0]["id"]} == {w.ev.pk, w.other.pk}


def test_each_district_reads_its_own_county(w: SimpleNamespace) -> None:
    assert ids(api(w.district).get(EVALUATIONS)) == {w.ev.pk}
    assert ids(api(w.haishu).get(EVALUATIONS)) == {w.other.pk}
    assert ids(api(w.city).get(EVALUATIONS)) == {w.ev.pk, w.other.pk}
    assert api(w.district).get(f"{EVALUATIONS}{w.other.pk}/").status_code == 404
    assert ids(api(w.district).get(ITEMS)) == set()


def test_a_station_reads_only_itself_and_no_result_before_publication(
    w: SimpleNamespace,
) -> None:
    to_city(w, w.ev)
    manager = api(w.manager)
    assert ids(manager.get(EVALUATIONS)) == {w.ev.pk}
    assert ids(api(w.worker).get(EVALUATIONS)) == {w.ev.pk}
    assert api(w.worker).get(f"{EVALUATIONS}{w.ev.pk}/").json()["total_score"] is None
    assert manager.get(f"{EVALUATIONS}{w.other.pk}/").status_code == 404
    row = manager.get(f"{EVALUATIONS}{w.ev.pk}/").json()
    assert row["total_score"] is None
    assert row["grade"] is None
    assert row["site_findings"] is None
    scores = {s["indicator_code"]: s for s in row["scores"]}
    assert scores["A2"]["self_score"] == "30.00"
    assert scores["A2"]["evaluator_score"] is None
    assert scores["A2"]["final_score"] is None
    assert scores["A1"]["finding"] is None
    assert scores["A1"]["auto_score"] == "0.00"
    # The grade filter does not tell it either.
    assert ids(manager.get(EVALUATIONS, {"grade": "excellent"})) == set()
    services.city_approve(actor=w.city, evaluations=[fresh(w.ev)])
    row = manager.get(f"{EVALUATIONS}{w.ev.pk}/").json()
    assert row["total_score"] == "90.00"
    assert row["grade"] == "excellent"
    scores = {s["indicator_code"]: s for s in row["scores"]}
    assert scores["A2"]["evaluator_score"] == "30.00"
    assert scores["A1"]["final_score"] == "0.00"
    assert scores["A1"]["finding"] == "门牌未挂"


def test_an_evaluator_reads_only_the_stations_assigned_to_them(w: SimpleNamespace) -> None:
    evaluator = api(w.evaluator)
    assert ids(evaluator.get(EVALUATIONS)) == {w.ev.pk}
    assert evaluator.get(f"{EVALUATIONS}{w.other.pk}/").status_code == 404
    assert ids(evaluator.get(ROUNDS)) == {w.round.pk}
    score_ids = ids(evaluator.get(SCORES, {"page_size": 100}))
    assert score_ids == set(
        IndicatorScore.objects.filter(evaluation=w.ev).values_list("pk", flat=True)
    )
    idle = api(w.idle_evaluator)
    assert ids(idle.get(EVALUATIONS)) == set()
    assert ids(idle.get(ROUNDS)) == set()
    assert ids(idle.get(SCORES)) == set()
    assert idle.get(f"{ROUNDS}{w.round.pk}/").status_code == 404
    # An evaluator reads their own profile only (none registered here).
    assert ids(evaluator.get(EVALUATORS)) == set()


def test_the_auditor_and_supervisor_read_but_take_no_step(w: SimpleNamespace) -> None:
    to_city(w, w.ev)
    for user in (w.auditor, w.supervisor):
        client = api(user)
        assert ids(client.get(EVALUATIONS)) == {w.ev.pk}
        row = client.get(f"{EVALUATIONS}{w.ev.pk}/").json()
        assert row["total_score"] is None  # not out yet
        assert client.post(f"{EVALUATIONS}{w.ev.pk}/pass/").status_code == 403
        first = score(w.ev, "A2")
        assert client.patch(f"{SCORES}{first.pk}/", {"district_comment": "x"}).status_code == 403
    assert api(w.auditor).get(ITEMS).status_code == 200


def test_evaluations_are_made_by_opening_a_round(w: SimpleNamespace) -> None:
    body = {"round": w.round.pk, "station": w.cicheng.pk}
    response = api(w.city).post(EVALUATIONS, body, format="json")
    assert response.status_code == 405
    assert api(w.city).delete(f"{EVALUATIONS}{w.ev.pk}/").status_code in (403, 405)


# --- station evaluations: the steps --------------------------------------------------------------


def test_assign_an_evaluator(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/assign/"
    assert api(w.district).post(url, {"evaluator": w.evaluator2.pk}).status_code == 403
    chinese(api(w.city).post(url, {"evaluator": w.district.pk}), "evaluator")
    chinese(api(w.city).post(url, {}), "evaluator")
    response = api(w.city).post(url, {"evaluator": w.evaluator2.pk})
    assert response.status_code == 200, response.content
    assert response.json()["evaluator"] == w.evaluator2.pk
    assert ids(api(w.evaluator2).get(EVALUATIONS)) == {w.ev.pk, w.other.pk}
    assert ids(api(w.evaluator).get(EVALUATIONS)) == set()
    publish(w, w.ev, evaluator=w.evaluator2)
    detail(api(w.city).post(url, {"evaluator": w.evaluator.pk}), 409)


def test_an_evaluator_of_the_agency_operating_the_station_is_refused(
    w: SimpleNamespace,
) -> None:
    from swstation.stations.models import ServiceAgency

    agency = ServiceAgency.objects.create(
        name="慈溪社工服务中心", credit_code="52330200MJ0000001A", region=w.cicheng.region
    )
    w.cicheng.agency = agency
    w.cicheng.save()
    services.evaluator_create(actor=w.city, user=w.evaluator2, agency=agency)
    response = api(w.city).post(f"{EVALUATIONS}{w.ev.pk}/assign/", {"evaluator": w.evaluator2.pk})
    chinese(response, "evaluator")


def test_self_submit(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/self-submit/"
    missing = api(w.manager).post(url)
    assert missing.status_code == 400
    assert "A1" in " ".join(missing.json()["non_field_errors"])
    self_assess(w, w.ev)
    assert api(w.evaluator).post(url).status_code == 403
    assert api(w.district).post(url).status_code == 403
    assert api(w.yuehu_manager).post(url).status_code == 404  # not its station
    response = api(w.manager).post(url)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scoring"
    assert response.json()["self_total"] == "100.00"
    detail(api(w.manager).post(url), 409)


def test_submit_scoring(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/submit-scoring/"
    visit = str(timezone.localdate() - timedelta(days=2))
    detail(api(w.evaluator).post(url, {"site_visit_on": visit}), 409)  # still self-assessing
    to_scoring(w, w.ev)
    assert api(w.evaluator2).post(url, {"site_visit_on": visit}).status_code == 404
    assert api(w.manager).post(url, {"site_visit_on": visit}).status_code == 403
    chinese(api(w.evaluator).post(url, {}), "site_visit_on")
    future = str(timezone.localdate() + timedelta(days=3))
    chinese(api(w.evaluator).post(url, {"site_visit_on": future}), "site_visit_on")
    unscored = api(w.evaluator).post(url, {"site_visit_on": visit})
    assert unscored.status_code == 400
    assert "A2" in " ".join(unscored.json()["non_field_errors"])
    score_all(w, w.ev, w.evaluator)
    response = api(w.evaluator).post(url, {"site_visit_on": visit, "site_findings": "台账齐全"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "district_review"
    assert body["total_score"] == "90.00"
    assert body["site_findings"] == "台账齐全"
    # A1 scored 0 of 10: a rectification item is proposed.
    item = RectificationItem.objects.get(evaluation=w.ev)
    assert item.status == RectificationStatus.PROPOSED
    assert item.indicator is not None and item.indicator.code == "A1"


def test_veto(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/veto/"
    detail(api(w.evaluator).post(url, {"veto": "financial", "reason": "挪用"}), 409)
    to_scoring(w, w.ev)
    assert api(w.manager).post(url, {"veto": "financial", "reason": "挪用"}).status_code == 403
    chinese(api(w.evaluator).post(url, {"veto": "financial"}), "reason")
    chinese(api(w.evaluator).post(url, {"veto": "nonsense", "reason": "x"}), "veto")
    response = api(w.evaluator).post(url, {"veto": "financial", "reason": "挪用专项资金"})
    assert response.status_code == 200, response.content
    assert response.json()["veto"] == "financial"
    # The station does not see the veto before publication.
    assert api(w.manager).get(f"{EVALUATIONS}{w.ev.pk}/").json()["veto"] is None
    score_all(w, w.ev, w.evaluator)
    services.scoring_submit(
        actor=w.evaluator, evaluation=fresh(w.ev), site_visit_on=timezone.localdate()
    )
    assert fresh(w.ev).grade == "fail"  # 90 points, vetoed


def test_the_district_returns_and_passes(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/return/"
    detail(api(w.district).post(url, {"comment": "分数偏高"}), 409)
    to_review(w, w.ev)
    chinese(api(w.district).post(url, {"comment": ""}), "comment")
    assert api(w.manager).post(url, {"comment": "x"}).status_code == 403
    assert api(w.haishu).post(url, {"comment": "x"}).status_code == 404
    response = api(w.district).post(url, {"comment": "B1缺少现场照片"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scoring"
    services.scoring_submit(actor=w.evaluator, evaluation=fresh(w.ev))
    passing = f"{EVALUATIONS}{w.ev.pk}/pass/"
    assert api(w.city).post(passing).status_code == 403  # the district's step
    assert api(w.evaluator).post(passing).status_code == 403
    response = api(w.district).post(passing)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "city_approval"
    detail(api(w.district).post(passing), 409)


def test_the_city_returns_to_the_scoring_or_the_review(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/return/"
    to_city(w, w.ev)
    chinese(api(w.city).post(url, {"comment": "复核"}), "to")
    chinese(api(w.city).post(url, {"to": "published", "comment": "复核"}), "to")
    chinese(api(w.city).post(url, {"to": "district_review"}), "comment")
    assert api(w.district).post(url, {"comment": "x"}).status_code == 409  # not its step now
    response = api(w.city).post(url, {"to": "district_review", "comment": "请区县复核B1"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "district_review"


def test_objection_and_its_decision(w: SimpleNamespace) -> None:
    url = f"{EVALUATIONS}{w.ev.pk}/object/"
    detail(api(w.manager).post(url, {"objection": "A1评分有误，门牌已于去年挂出"}), 409)
    publish(w, w.ev)
    assert api(w.district).post(url, {"objection": "A1评分有误，门牌已挂出"}).status_code == 403
    chinese(api(w.manager).post(url, {"objection": "不服"}), "objection")
    response = api(w.manager).post(url, {"objection": "A1评分有误，门牌已于去年挂出，附照片"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "objection"
    decide = f"{EVALUATIONS}{w.ev.pk}/decide-objection/"
    assert api(w.manager).post(decide, {"upheld": True, "reason": "x"}).status_code == 403
    chinese(api(w.city).post(decide, {"upheld": True}), "reason")
    same = {"upheld": True, "reason": "照片属实", "evaluator": w.evaluator.pk}
    chinese(api(w.city).post(decide, same), "evaluator")
    chinese(api(w.city).post(decide, {"upheld": "maybe", "reason": "x"}), "upheld")
    upheld = {"upheld": True, "reason": "照片属实", "evaluator": w.evaluator2.pk}
    response = api(w.city).post(decide, upheld)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "scoring"
    assert response.json()["evaluator"] == w.evaluator2.pk
    # Rescored by the new evaluator and published as revision 2; the first stays.
    services.score_set(
        actor=w.evaluator2,
        score=score(w.ev, "A1"),
        evaluator_score=Decimal(10),
        override_reason="门牌照片属实",
    )
    services.scoring_submit(actor=w.evaluator2, evaluation=fresh(w.ev))
    services.review_pass(actor=w.district, evaluation=fresh(w.ev))
    approved = api(w.city).post(
        f"{ROUNDS}{w.round.pk}/approve/",
        {"evaluations": [w.ev.pk], "reason": "异议成立"},
        format="json",
    )
    assert approved.status_code == 200, approved.content
    results = api(w.city).get("/api/v1/evaluation-results/", {"evaluation": w.ev.pk}).json()
    assert [(r["number"], r["total_score"]) for r in results["results"]] == [
        (1, "90.00"),
        (2, "100.00"),
    ]


def test_a_rejected_objection_makes_the_result_final_and_ranked(w: SimpleNamespace) -> None:
    publish(w, w.ev)
    services.objection_file(actor=w.manager, evaluation=fresh(w.ev), objection="A1评分有误，请复核")
    response = api(w.city).post(
        f"{EVALUATIONS}{w.ev.pk}/decide-objection/", {"upheld": False, "reason": "照片日期不符"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "final"
    row = api(w.manager).get(f"{EVALUATIONS}{w.ev.pk}/").json()
    assert row["district_rank"] == 1
    assert row["city_rank"] == 1
    assert row["final_on"] == str(timezone.localdate())
    # The proposed item is issued with its due date.
    (item,) = api(w.manager).get(ITEMS).json()["results"]
    assert item["status"] == "issued"
    assert item["due_on"] == str(timezone.localdate() + timedelta(days=60))


def test_the_objection_window_closes(w: SimpleNamespace) -> None:
    publish(w, w.ev)
    StationEvaluation.objects.filter(pk=w.ev.pk).update(
        objection_until=timezone.localdate() - timedelta(days=1)
    )
    response = api(w.manager).post(
        f"{EVALUATIONS}{w.ev.pk}/object/", {"objection": "A1评分有误，门牌已于去年挂出"}
    )
    detail(response, 409)


# --- indicator scores ---------------------------------------------------------------------------


def test_each_author_writes_their_own_columns(w: SimpleNamespace) -> None:
    a2 = score(w.ev, "A2")
    url = f"{SCORES}{a2.pk}/"
    manager = api(w.manager)
    response = manager.patch(url, {"self_score": "25.5", "self_note": "台账见附件"})
    assert response.status_code == 200, response.content
    assert response.json()["self_score"] == "25.50"
    assert response.json()["self_note"] == "台账见附件"
    chinese(manager.patch(url, {"self_score": "31"}), "self_score")
    chinese(manager.patch(url, {"self_score": "20.3"}), "self_score")  # by hand: steps of 0.5
    chinese(manager.patch(url, {"self_score": "-1"}), "self_score")
    mixed = manager.patch(url, {"self_score": "20", "evaluator_score": "20"})
    assert mixed.status_code == 400
    assert CJK.search(" ".join(mixed.json()["non_field_errors"]))
    assert manager.patch(url, {"evaluator_score": "20"}).status_code == 403
    assert api(w.evaluator).patch(url, {"self_score": "20"}).status_code == 403
    assert api(w.worker).patch(url, {"self_score": "20"}).status_code == 403
    assert api(w.yuehu_manager).patch(url, {"self_score": "20"}).status_code == 404
    detail(api(w.evaluator).patch(url, {"evaluator_score": "20", "finding": "x"}), 409)
    detail(api(w.district).patch(url, {"district_comment": "好"}), 409)
    assert api(w.city).put(url, {"self_score": "20"}).status_code == 405


def test_the_evaluator_scores_and_overrides_with_a_reason(w: SimpleNamespace) -> None:
    to_scoring(w, w.ev)
    a1, a2 = score(w.ev, "A1"), score(w.ev, "A2")
    evaluator = api(w.evaluator)
    chinese(evaluator.patch(f"{SCORES}{a1.pk}/", {"evaluator_score": "10"}), "override_reason")
    chinese(evaluator.patch(f"{SCORES}{a2.pk}/", {"evaluator_score": "20"}), "finding")
    chinese(evaluator.patch(f"{SCORES}{a2.pk}/", {"evaluator_score": "40"}), "evaluator_score")
    response = evaluator.patch(
        f"{SCORES}{a1.pk}/", {"evaluator_score": "10", "override_reason": "门牌现场已挂"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["auto_score"] == "0.00"
    assert body["evaluator_score"] == "10.00"
    assert body["final_score"] == "10.00"
    assert body["indicator_code"] == "A1"
    assert body["points"] == "10.00"
    assert (
        api(w.evaluator2).patch(f"{SCORES}{a2.pk}/", {"evaluator_score": "30"}).status_code == 404
    )
    # The station reads its automatic score but not the evaluator's yet.
    seen = api(w.manager).get(f"{SCORES}{a1.pk}/").json()
    assert seen["auto_score"] == "0.00"
    assert seen["evaluator_score"] is None
    assert seen["final_score"] is None
    assert seen["override_reason"] is None
    # Nor does the district before the evaluator submits.
    assert api(w.district).get(f"{SCORES}{a1.pk}/").json()["evaluator_score"] is None
    listed = api(w.evaluator).get(SCORES, {"evaluation": w.ev.pk}).json()
    assert listed["count"] == 3
    assert {row["indicator_code"] for row in listed["results"]} == {"A1", "A2", "B1"}


def test_the_district_comments_during_its_review_only(w: SimpleNamespace) -> None:
    b1 = score(w.ev, "B1")
    url = f"{SCORES}{b1.pk}/"
    to_review(w, w.ev)
    assert api(w.district).get(url).json()["evaluator_score"] == "60.00"
    response = api(w.district).patch(url, {"district_comment": "请补充活动照片"})
    assert response.status_code == 200, response.content
    assert response.json()["district_comment"] == "请补充活动照片"
    assert api(w.manager).get(url).json()["district_comment"] is None
    assert api(w.city).patch(url, {"district_comment": "x"}).status_code == 403
    assert api(w.district).patch(url, {"evaluator_score": "50", "finding": "x"}).status_code == 403


def test_a_published_score_never_changes(w: SimpleNamespace) -> None:
    publish(w, w.ev)
    a2 = score(w.ev, "A2")
    url = f"{SCORES}{a2.pk}/"
    detail(api(w.manager).patch(url, {"self_score": "10"}), 409)
    detail(api(w.evaluator).patch(url, {"evaluator_score": "10", "finding": "改分"}), 409)
    detail(api(w.district).patch(url, {"district_comment": "改"}), 409)
    a2.refresh_from_db()
    assert a2.final_score == Decimal("30.00")
    assert a2.self_score == Decimal("30.00")
    assert fresh(w.ev).total_score == Decimal("90.00")


# --- rectification items ------------------------------------------------------------------------


def test_rectification_items_are_added_answered_and_verified(w: SimpleNamespace) -> None:
    body = {"evaluation": w.ev.pk, "finding": "活动记录缺签到", "required_action": "补齐签到表"}
    detail(api(w.evaluator).post(ITEMS, body), 409)  # not scoring yet
    to_scoring(w, w.ev)
    assert api(w.manager).post(ITEMS, body).status_code == 403
    assert api(w.evaluator2).post(ITEMS, body).status_code == 400  # not an evaluation of theirs
    chinese(api(w.evaluator).post(ITEMS, {**body, "finding": ""}), "finding")
    other_set = published_set("另一标准")
    wrong = api(w.evaluator).post(
        ITEMS,
        {**body, "indicator": other_set.dimensions.get(code="A").indicators.get(code="A1").pk},
    )
    assert wrong.status_code == 400
    a2 = score(w.ev, "A2").indicator
    on_indicator = api(w.evaluator).post(ITEMS, {**body, "indicator": a2.pk})
    assert on_indicator.status_code == 201, on_indicator.content
    assert on_indicator.json()["indicator_code"] == "A2"
    created = api(w.evaluator).post(ITEMS, body)
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["status"] == "proposed"
    assert row["indicator"] is None
    assert row["station"] == w.cicheng.pk
    assert row["region_code"] == CICHENG
    assert row["is_overdue"] is False
    score_all(w, w.ev, w.evaluator)
    services.scoring_submit(
        actor=w.evaluator, evaluation=fresh(w.ev), site_visit_on=timezone.localdate()
    )
    services.review_pass(actor=w.district, evaluation=fresh(w.ev))
    services.city_approve(actor=w.city, evaluations=[fresh(w.ev)])
    services.finalise_due(on=fresh(w.ev).objection_until + timedelta(days=1))
    items = api(w.manager).get(ITEMS, {"round": w.round.pk}).json()["results"]
    assert {item["status"] for item in items} == {"issued"}
    item = RectificationItem.objects.get(pk=row["id"])
    answer = f"{ITEMS}{item.pk}/answer/"
    verify = f"{ITEMS}{item.pk}/verify/"
    assert api(w.district).post(answer, {"answer": "已补齐签到表"}).status_code == 403
    chinese(api(w.manager).post(answer, {"answer": "好"}), "answer")
    detail(api(w.district).post(verify, {"accept": True}), 409)  # not answered yet
    response = api(w.manager).post(answer, {"answer": "已补齐全部签到表"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "answered"
    assert api(w.manager).post(verify, {"accept": True}).status_code == 403
    chinese(api(w.district).post(verify, {"accept": False}), "comment")
    reopened = api(w.district).post(verify, {"accept": False, "comment": "缺第三季度"})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "reopened"
    item.refresh_from_db()
    services.rectification_answer(actor=w.manager, item=item, answer="第三季度已补齐")
    closed = api(w.district).post(verify, {"accept": True})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_on_time"] is True


def test_overdue_items_are_flagged_and_filtered(w: SimpleNamespace) -> None:
    finalise(w, w.ev)
    (item,) = RectificationItem.objects.filter(evaluation=w.ev)
    RectificationItem.objects.filter(pk=item.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    city = api(w.city)
    assert ids(city.get(ITEMS, {"overdue": "true"})) == {item.pk}
    assert ids(city.get(ITEMS, {"overdue": "false"})) == set()
    assert city.get(f"{ITEMS}{item.pk}/").json()["is_overdue"] is True
    assert ids(api(w.haishu).get(ITEMS, {"overdue": "true"})) == set()


def test_the_district_adds_an_item_while_reviewing(w: SimpleNamespace) -> None:
    body = {"evaluation": w.ev.pk, "finding": "督导记录不全"}
    to_review(w, w.ev)
    assert api(w.evaluator).post(ITEMS, body).status_code == 409  # scoring is over
    created = api(w.district).post(ITEMS, body)
    assert created.status_code == 201, created.content
    assert api(w.haishu).post(ITEMS, body).status_code == 400  # not in its county


# --- evaluators ---------------------------------------------------------------------------------


def test_the_city_registers_evaluators_and_the_district_reads_them(w: SimpleNamespace) -> None:
    from swstation.stations.models import ServiceAgency

    agency = ServiceAgency.objects.create(
        name="宁波评估中心", credit_code="52330200MJ0000002B", region=w.cicheng.region
    )
    city = api(w.city)
    chinese(city.post(EVALUATORS, {"user": w.manager.pk}), "user")
    created = city.post(
        EVALUATORS, {"user": w.evaluator.pk, "agency": agency.pk, "qualification": "中级社工师"}
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["username"] == w.evaluator.username
    assert row["agency_name"] == "宁波评估中心"
    patched = city.patch(f"{EVALUATORS}{row['id']}/", {"agency": None}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["agency"] is None
    assert ids(api(w.district).get(EVALUATORS)) == {row["id"]}
    assert api(w.district).post(EVALUATORS, {"user": w.evaluator2.pk}).status_code == 403
    assert api(w.manager).get(EVALUATORS).status_code == 403
    assert ids(api(w.evaluator).get(EVALUATORS)) == {row["id"]}
    assert ids(api(w.evaluator2).get(EVALUATORS)) == set()


# --- evidence and the log -----------------------------------------------------------------------


def test_the_station_attaches_evidence_while_it_assesses_itself(
    w: SimpleNamespace, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    a2 = score(w.ev, "A2")
    body = {"score": a2.pk, "title": "活动台账", "file": SimpleUploadedFile("台账.pdf", PDF)}
    created = api(w.worker).post(EVIDENCE, body, format="multipart")
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["indicator_code"] == "A2"
    assert row["evaluation"] == w.ev.pk
    assert "file" not in row
    assert ids(api(w.evaluator).get(EVIDENCE, {"evaluation": w.ev.pk})) == {row["id"]}
    assert ids(api(w.haishu).get(EVIDENCE)) == set()
    again = {"score": a2.pk, "title": "照片", "file": SimpleUploadedFile("x.pdf", PDF)}
    assert api(w.evaluator).post(EVIDENCE, again, format="multipart").status_code == 403
    scored = api(w.manager).get(f"{EVALUATIONS}{w.ev.pk}/").json()["scores"]
    assert [e["title"] for s in scored if s["indicator_code"] == "A2" for e in s["evidence"]] == [
        "活动台账"
    ]
    to_scoring(w, w.ev)
    detail(api(w.manager).delete(f"{EVIDENCE}{row['id']}/"), 409)


def test_the_log_hides_the_evaluator_s_scores_from_the_station_until_publication(
    w: SimpleNamespace,
) -> None:
    to_review(w, w.ev)
    rows = api(w.manager).get(EVENTS, {"evaluation": w.ev.pk, "kind": "scored"}).json()
    assert rows["count"] >= 2
    assert {(row["note"], row["data"] is None) for row in rows["results"]} == {(None, True)}
    seen = api(w.district).get(EVENTS, {"evaluation": w.ev.pk, "kind": "scored"}).json()
    assert all(row["data"] for row in seen["results"])
    kinds = {
        row["kind"] for row in api(w.manager).get(EVENTS, {"page_size": 100}).json()["results"]
    }
    assert {"computed", "assigned", "self_submitted", "scoring_submitted"} <= kinds
    assert ids(api(w.haishu).get(EVENTS, {"evaluation": w.ev.pk})) == set()
    services.review_pass(actor=w.district, evaluation=fresh(w.ev))
    services.city_approve(actor=w.city, evaluations=[fresh(w.ev)])
    rows = api(w.manager).get(EVENTS, {"evaluation": w.ev.pk, "kind": "scored"}).json()
    assert all(row["data"] for row in rows["results"])
