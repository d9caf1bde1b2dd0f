"""The pages of the evaluation rounds (issue 15; spec/station-evaluation.md §3, §4): the rounds,
each station's scorecard with the buttons of each role's step, the rectification items and the
evaluators. Who opens what (and who is told 404), a whole round walked through by posting the
pages' forms as each role, and the scorecard's flat query count."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from swstation.accounts.models import User
from swstation.core.navigation import menu_for
from swstation.core.roles import Role
from swstation.evaluation import services
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
    RoundStatus,
    SetStatus,
    StationEvaluation,
)
from swstation.evaluation.services.rounds import compute_round
from swstation.stations.models import Station
from tests.clients import client_for
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU
from tests.evaluation.helpers import make_set, make_tree
from tests.stations.helpers import make_operating_station

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OPENED = timezone.localdate() - timedelta(days=1000)


@dataclass
class World:
    city: User
    district: User
    manager: User
    worker: User
    supervisor: User
    auditor: User
    evaluator: User
    evaluator2: User
    other_manager: User
    other_district: User
    station: Station
    other_station: Station


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def world(make_user: Callable[..., User]) -> World:
    return World(
        city=make_user(Role.CITY_ADMIN, CITY),
        district=make_user(Role.DISTRICT_OFFICER, JIANGBEI),
        manager=make_user(Role.STATION_MANAGER, CICHENG),
        worker=make_user(Role.SOCIAL_WORKER, CICHENG),
        supervisor=make_user(Role.SUPERVISOR, JIANGBEI),
        auditor=make_user(Role.AUDITOR, JIANGBEI),
        evaluator=make_user(Role.EVALUATOR, CITY, full_name="评估员甲"),
        evaluator2=make_user(Role.EVALUATOR, CITY, full_name="评估员乙"),
        other_manager=make_user(Role.STATION_MANAGER, YUEHU),
        other_district=make_user(Role.DISTRICT_OFFICER, HAISHU),
        station=make_operating_station(CICHENG, OPENED, name="慈城镇社工站"),
        other_station=make_operating_station(YUEHU, OPENED, name="月湖街道社工站"),
    )


def published_set(
    spec: dict[str, tuple[int, list[int]]], name: str = "测试评估标准"
) -> IndicatorSet:
    indicator_set = make_set(name=name, status=SetStatus.PUBLISHED)
    make_tree(indicator_set, spec)
    indicator_set.published_on = timezone.localdate()
    indicator_set.save()
    return indicator_set


def round_data(indicator_set: IndicatorSet, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "name": "2026年度评估",
        "kind": "annual",
        "indicator_set": indicator_set.pk,
        "period_start": (today - timedelta(days=385)).isoformat(),
        # Records may be entered until 13 days ago: the scores can be computed today.
        "snapshot_date": (today - timedelta(days=20)).isoformat(),
        "entry_grace_days": 7,
        "self_assessment_days": 14,
        "scoring_days": 30,
        "review_days": 10,
        "objection_working_days": 5,
        "rectification_days": 60,
        "verification_days": 15,
        "note": "",
    }
    data.update(changes)
    return data


def open_round(
    world: World, indicator_set: IndicatorSet, *, compute: bool = True
) -> EvaluationRound:
    """A round under way (through the services), its evaluations computed and assigned."""
    values = round_data(indicator_set)
    values["indicator_set"] = indicator_set
    values["period_start"] = timezone.localdate() - timedelta(days=385)
    values["snapshot_date"] = timezone.localdate() - timedelta(days=20)
    round_ = services.round_create(actor=world.city, **values)
    services.round_open(actor=world.city, round=round_)
    if compute:
        services.evaluation_compute(actor=world.city, round=round_)
    for evaluation in round_.evaluations.all():
        services.evaluator_assign(
            actor=world.city, evaluation=evaluation, evaluator=world.evaluator
        )
    return round_


def evaluation_of(round_: EvaluationRound, station: Station) -> StationEvaluation:
    return StationEvaluation.objects.get(round=round_, station=station)


def post(user: User, url: str, data: dict[str, Any] | None = None) -> str:
    """POST a page's form as ``user``; the page it comes back to (its messages included)."""
    response = client_for(user).post(url, data or {}, follow=True)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def url(name: str, *args: Any) -> str:
    return reverse(f"evaluation:{name}", args=args)


def table(body: str) -> str:
    """The list's table (the filters' choices name every station)."""
    return body[body.index('id="object-table"') :]


def scores(evaluation: StationEvaluation) -> list[IndicatorScore]:
    return list(evaluation.scores.select_related("indicator").order_by("indicator__code"))


# --- who opens what ----------------------------------------------------------------------------


def test_each_page_opens_in_chinese_for_those_who_read_it(world: World) -> None:
    round_ = open_round(world, published_set({"A": (60, [40, 20]), "B": (40, [40])}))
    evaluation = evaluation_of(round_, world.station)
    item = RectificationItem.objects.create(
        evaluation=evaluation, finding="标识牌缺失", required_action="补设标识牌"
    )
    profile = services.evaluator_create(actor=world.city, user=world.evaluator, agency=None)
    readers = [
        world.city,
        world.district,
        world.manager,
        world.worker,
        world.supervisor,
        world.auditor,
        world.evaluator,
    ]
    for user in readers:
        client = client_for(user)
        for page, marker in (
            (url("evaluationround_list"), "评估轮次"),
            (round_.get_absolute_url(), "2026年度评估"),
            (url("stationevaluation_list"), "站点评估"),
            (evaluation.get_absolute_url(), "慈城镇社工站"),
            (url("rectificationitem_list"), "整改事项"),
            (item.get_absolute_url(), "标识牌缺失"),
        ):
            if page == item.get_absolute_url() and user.role not in SEE_PROPOSALS:
                # A proposed item tells a low score before the result is out: only the
                # bureaus and the evaluator read it (spec §4).
                assert client.get(page).status_code == 404, user.role
                continue
            response = client.get(page)
            assert response.status_code == 200, (user.role, page, response.status_code)
            body = response.content.decode()
            assert 'lang="zh-hans"' in body and marker in body, (user.role, page)
    for user in (world.city, world.district):
        for page in (url("evaluator_list"), profile.get_absolute_url(), url("evaluator_add")):
            assert client_for(user).get(page).status_code == (
                200 if user == world.city or "add" not in page else 403
            )
    body = client_for(world.city).get(profile.get_absolute_url()).content.decode()
    assert "评估员甲" in body and "慈城镇社工站" in body  # the stations assigned


SEE_PROPOSALS = {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.EVALUATOR}


def test_the_scorecard_is_refused_outside_the_jurisdiction_or_the_assignment(
    world: World,
) -> None:
    indicator_set = published_set({"A": (100, [60, 40])})
    round_ = open_round(world, indicator_set)
    evaluation = evaluation_of(round_, world.station)
    other = evaluation_of(round_, world.other_station)
    services.evaluator_assign(actor=world.city, evaluation=other, evaluator=world.evaluator2)
    # The evaluator reads their assignment only; another station of the same round is 404.
    assert client_for(world.evaluator).get(evaluation.get_absolute_url()).status_code == 200
    assert client_for(world.evaluator).get(other.get_absolute_url()).status_code == 404
    assert client_for(world.evaluator2).get(evaluation.get_absolute_url()).status_code == 404
    # A station manager of another town, a district officer of another district: 404.
    assert client_for(world.other_manager).get(evaluation.get_absolute_url()).status_code == 404
    assert client_for(world.other_district).get(evaluation.get_absolute_url()).status_code == 404
    assert client_for(world.other_manager).get(other.get_absolute_url()).status_code == 200
    # A round without an assignment of theirs does not exist for an evaluator.
    lonely = make_user_evaluator_round(world, indicator_set)
    assert client_for(world.evaluator).get(lonely.get_absolute_url()).status_code == 404
    listing = table(client_for(world.evaluator).get(url("stationevaluation_list")).content.decode())
    assert "慈城镇社工站" in listing and "月湖街道社工站" not in listing
    # Rectification items follow the evaluations.
    item = RectificationItem.objects.create(evaluation=other, finding="台账不全")
    assert client_for(world.evaluator).get(item.get_absolute_url()).status_code == 404
    assert client_for(world.manager).get(item.get_absolute_url()).status_code == 404
    # The evaluators' pages are the city bureau's to edit.
    assert client_for(world.manager).get(url("evaluator_list")).status_code == 403
    assert client_for(world.district).get(url("evaluator_add")).status_code == 403


def make_user_evaluator_round(world: World, indicator_set: IndicatorSet) -> EvaluationRound:
    values = round_data(indicator_set, name="另一轮")
    values["indicator_set"] = indicator_set
    values["period_start"] = timezone.localdate() - timedelta(days=385)
    values["snapshot_date"] = timezone.localdate() - timedelta(days=20)
    return services.round_create(actor=world.city, **values)


def test_each_role_is_offered_only_its_own_buttons(world: World) -> None:
    round_ = open_round(world, published_set({"A": (100, [60, 40])}))
    evaluation = evaluation_of(round_, world.station)

    def body(user: User) -> str:
        return client_for(user).get(evaluation.get_absolute_url()).content.decode()

    # self-assessment: the manager self-scores and submits, staff add evidence
    manager = body(world.manager)
    assert "self-score-form" in manager and 'id="self-submit-button"' in manager
    assert "evidence-upload" in manager and 'id="assign"' not in manager
    worker = body(world.worker)
    assert "self-score-form" not in worker and "evidence-upload" in worker
    assert 'id="assign"' not in worker and 'id="assign-button"' not in worker
    city = body(world.city)
    assert 'id="assign-button"' in city and "评估员甲" in city and 'id="recompute"' in city
    for user in (world.district, world.supervisor, world.auditor, world.evaluator):
        page = body(user)
        assert "self-score-form" not in page and 'id="assign"' not in page
        assert "evaluator-score-form" not in page and 'id="steps"' not in page
    # the evaluator's score column is the station's only from publication
    assert "score-evaluator" in manager and "data-evaluator" not in manager
    assert "data-evaluator" in body(world.evaluator)
    # the history of the scores is not the station's before publication
    history = url("stationevaluation_history", evaluation.pk)
    assert client_for(world.manager).get(history).status_code == 403
    assert client_for(world.city).get(history).status_code == 200


def test_the_menu_offers_the_evaluator_their_two_pages_and_nothing_they_cannot_open(
    world: World,
) -> None:
    round_ = open_round(world, published_set({"A": (100, [100])}))
    assert round_.evaluations.filter(evaluator=world.evaluator).exists()
    items = [item for group in menu_for(world.evaluator) for item in group["items"]]
    urls = {str(item["url"]) for item in items}
    assert url("evaluationround_list") in urls and url("stationevaluation_list") in urls
    assert url("evaluator_list") not in urls and url("rectificationitem_list") not in urls
    client = client_for(world.evaluator)
    for item in items:
        assert client.get(item["url"]).status_code == 200, item["url"]
    # Nothing the evaluator's pages link to is closed to them (the station's own page, the
    # standard's page: not linked for them).
    evaluation = round_.evaluations.get(station=world.station)
    pages = [url("evaluationround_list"), round_.get_absolute_url(), evaluation.get_absolute_url()]
    pages.append(url("stationevaluation_list"))
    links = set()
    for page in pages:
        body = client.get(page).content.decode()
        links |= {
            link
            for link in re.findall(r'href="(/[^"#]*)"', body)
            if not link.startswith(("/static/", "/accounts/", "/i18n/"))
        }
    assert round_.get_absolute_url() in links and evaluation.get_absolute_url() in links
    for link in sorted(links):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
    city_urls = {str(i["url"]) for g in menu_for(world.city) for i in g["items"]}
    assert {
        url("evaluationround_list"),
        url("stationevaluation_list"),
        url("rectificationitem_list"),
        url("evaluator_list"),
    } <= city_urls
    manager_urls = {str(i["url"]) for g in menu_for(world.manager) for i in g["items"]}
    assert url("stationevaluation_list") in manager_urls
    assert url("evaluator_list") not in manager_urls


def test_a_round_is_edited_and_deleted_only_while_it_is_prepared(world: World) -> None:
    indicator_set = published_set({"A": (100, [100])})
    draft_set = make_set(name="草稿标准")
    client = client_for(world.city)
    form = client.get(url("evaluationround_add")).content.decode()
    assert indicator_set.name in form and "草稿标准" not in form  # published versions only
    response = client.post(url("evaluationround_add"), round_data(indicator_set))
    round_ = EvaluationRound.objects.get(name="2026年度评估")
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    refused = client.post(url("evaluationround_add"), round_data(draft_set, name="用草稿"))
    assert refused.status_code == 200 and not EvaluationRound.objects.filter(name="用草稿").exists()
    page = client.get(round_.get_absolute_url()).content.decode()
    assert url("evaluationround_edit", round_.pk) in page and 'id="open-button"' in page
    edited = client.post(
        url("evaluationround_edit", round_.pk), round_data(indicator_set, note="改")
    )
    assert edited.status_code == 302
    round_.refresh_from_db()
    assert round_.note == "改"
    # others read it, never edit it
    assert client_for(world.district).get(url("evaluationround_edit", round_.pk)).status_code == 403
    assert client_for(world.manager).post(url("evaluationround_open", round_.pk)).status_code == 403
    services.round_open(actor=world.city, round=round_)
    assert client.get(url("evaluationround_edit", round_.pk)).status_code == 403
    assert client.get(url("evaluationround_delete", round_.pk)).status_code == 403
    page = client.get(round_.get_absolute_url()).content.decode()
    assert url("evaluationround_edit", round_.pk) not in page and 'id="open-button"' not in page
    other = services.round_create(
        actor=world.city,
        **{
            **round_data(indicator_set, name="待删"),
            "indicator_set": indicator_set,
            "period_start": round_.period_start,
            "snapshot_date": round_.snapshot_date,
        },
    )
    assert client.post(url("evaluationround_delete", other.pk)).status_code == 302
    assert not EvaluationRound.objects.filter(pk=other.pk).exists()


def test_the_lists_filter_and_flag_what_is_overdue(world: World) -> None:
    round_ = open_round(world, published_set({"A": (100, [100])}))
    evaluation = evaluation_of(round_, world.station)
    RectificationItem.objects.create(
        evaluation=evaluation,
        finding="逾期事项",
        status=RectificationStatus.ISSUED,
        due_on=timezone.localdate() - timedelta(days=3),
    )
    client = client_for(world.city)
    body = client.get(url("rectificationitem_list"), {"overdue": "true"}).content.decode()
    body = table(body)
    assert "逾期事项" in body and "text-danger" in body and "逾期" in body
    body = client.get(url("rectificationitem_list"), {"overdue": "false"}).content.decode()
    body = table(body)
    assert "逾期事项" not in body
    listing = url("stationevaluation_list")
    body = client.get(listing, {"round": round_.pk, "status": "self_assessment"}).content.decode()
    body = table(body)
    assert "慈城镇社工站" in body and "月湖街道社工站" in body
    body = client.get(listing, {"region_code": "330205"}).content.decode()
    body = table(body)
    assert "慈城镇社工站" in body and "月湖街道社工站" not in body
    body = client.get(listing, {"status": "final"}).content.decode()
    body = table(body)
    assert "慈城镇社工站" not in body
    for sort in ("shown_total", "-shown_grade", "station"):
        assert client.get(listing, {"sort": sort}).status_code == 200
    assert client.get(listing, {"export": "csv"}).status_code == 200
    rounds = client.get(url("evaluationround_list"), {"status": "open"}).content.decode()
    assert "2026年度评估" in rounds


# --- a whole round, by the pages' forms ---------------------------------------------------------


def test_a_round_walked_through_by_every_role(world: World, media: Any) -> None:
    indicator_set = published_set({"A": (60, [40, 20]), "B": (40, [40])})
    city, district, manager = world.city, world.district, world.manager
    client_for(city).post(url("evaluationround_add"), round_data(indicator_set))
    round_ = EvaluationRound.objects.get(name="2026年度评估")

    # The city opens the round: every operating township station.
    body = post(city, url("evaluationround_open", round_.pk))
    assert "本轮已开启，共 2 个站点" in body
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    evaluation = evaluation_of(round_, world.station)
    assert evaluation.status == EvaluationStatus.OPEN and evaluation.scores.count() == 3
    progress = client_for(city).get(round_.get_absolute_url()).content.decode()
    assert f"?round={round_.pk}&amp;status=open" in progress and 'id="compute-button"' in progress

    # It assigns an evaluator (only users with the role are offered) and computes.
    post(city, url("stationevaluation_assign", evaluation.pk), {"evaluator": world.evaluator.pk})
    refused = post(city, url("stationevaluation_assign", evaluation.pk), {"evaluator": manager.pk})
    assert "评估人员" in refused
    evaluation.refresh_from_db()
    assert evaluation.evaluator == world.evaluator
    body = post(city, url("evaluationround_compute", round_.pk))
    assert "正在计算自动得分" in body
    round_.refresh_from_db()
    assert round_.computing_since is not None
    page = client_for(city).get(round_.get_absolute_url()).content.decode()
    assert 'id="computing"' in page
    compute_round.call(round_.pk, city.pk, "")  # the background task, as the worker runs it
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SELF_ASSESSMENT and evaluation.computed_at
    # Computing again needs a reason.
    body = post(city, url("evaluationround_compute", round_.pk))
    assert "说明" in body and "alert-danger" in body
    post(city, url("evaluationround_compute", round_.pk), {"reason": "补录了台账"})
    compute_round.call(round_.pk, city.pk, "补录了台账")
    assert EvaluationEvent.objects.filter(
        evaluation=evaluation, kind=EventKind.COMPUTED, note="补录了台账"
    ).exists()

    # The station: the manager self-scores, a social worker adds evidence, the manager submits.
    a1, a2, b1 = scores(evaluation)
    evaluate = url("stationevaluation_self_submit", evaluation.pk)
    body = post(manager, evaluate)
    assert "A1" in body and evaluation.status == EvaluationStatus.SELF_ASSESSMENT
    self_score = url("stationevaluation_self_score", evaluation.pk)
    body = post(manager, self_score, {"score": a1.pk, "self_score": "41", "self_note": ""})
    assert "0 至 40 分" in body  # the service's rule, on the page
    for row, value in ((a1, "38"), (a2, "20"), (b1, "35.5")):
        post(manager, self_score, {"score": row.pk, "self_score": value, "self_note": "见台账"})
    evidence = url("stationevaluation_evidence_upload", evaluation.pk)
    upload = SimpleUploadedFile("sign.png", PNG, content_type="image/png")
    body = post(world.worker, evidence, {"score": a1.pk, "title": "标识牌照片", "file": upload})
    assert "标识牌照片" in body
    stored = a1.evidence_files.get()
    file_url = url("stationevaluation_evidence", evaluation.pk, stored.pk)
    assert client_for(world.evaluator).get(file_url).status_code == 200
    assert client_for(world.other_manager).get(file_url).status_code == 404
    # the worker does not self-score
    post(world.worker, self_score, {"score": a1.pk, "self_score": "1"})
    a1.refresh_from_db()
    assert a1.self_score == Decimal("38.00")
    body = post(manager, evaluate)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING
    assert evaluation.self_total == Decimal("93.50")

    # The evaluator scores: an override needs a reason, a score below the points a finding.
    score = url("stationevaluation_score", evaluation.pk)
    ev = world.evaluator
    body = post(ev, score, {"score": a1.pk, "evaluator_score": "20"})
    assert "发现" in body and "alert-danger" in body
    post(ev, score, {"score": a1.pk, "evaluator_score": "20", "finding": "标识牌破损"})
    post(ev, score, {"score": a2.pk, "evaluator_score": "20"})
    post(ev, score, {"score": b1.pk, "evaluator_score": "36", "finding": "活动记录不全"})
    post(ev, url("stationevaluation_veto", evaluation.pk), {"veto": "", "veto_reason": ""})
    post(
        ev,
        url("stationevaluation_rectification", evaluation.pk),
        {"indicator": "", "finding": "档案柜未上锁", "required_action": "加锁"},
    )
    visit = (timezone.localdate() - timedelta(days=2)).isoformat()
    submit = url("stationevaluation_scoring_submit", evaluation.pk)
    post(ev, submit, {"site_visit_on": visit, "site_findings": "现场查看阵地"})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DISTRICT_REVIEW
    assert evaluation.total_score == Decimal("76.00") and evaluation.grade == "pass"
    # A1 at 50 % of its points proposes an item; the evaluator's own item stays.
    assert evaluation.rectifications.count() == 2
    # Not the station's to read yet.
    page = client_for(manager).get(evaluation.get_absolute_url()).content.decode()
    assert 'id="evaluation-total"' not in page and "76.00" not in page
    assert "档案柜未上锁" not in page and "标识牌破损" not in page

    # The district comments, returns, then passes; it changes no score.
    page = client_for(district).get(evaluation.get_absolute_url()).content.decode()
    assert "comment-form" in page and "evaluator-score-form" not in page and "76.00" in page
    post(
        district,
        url("stationevaluation_comment", evaluation.pk),
        {"score": a1.pk, "district_comment": "属实"},
    )
    body = post(district, url("stationevaluation_review_return", evaluation.pk), {"comment": ""})
    assert "alert-danger" in body
    post(district, url("stationevaluation_review_return", evaluation.pk), {"comment": "B1请核实"})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING
    post(ev, submit, {"site_visit_on": visit})
    post(district, url("stationevaluation_review_pass", evaluation.pk))
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CITY_APPROVAL

    # The city returns it to the district once, then approves it from the round's page.
    post(
        city,
        url("stationevaluation_city_return", evaluation.pk),
        {"to": "district_review", "comment": "请确认整改清单"},
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DISTRICT_REVIEW
    post(district, url("stationevaluation_review_pass", evaluation.pk))
    page = client_for(city).get(round_.get_absolute_url()).content.decode()
    assert 'id="approve-all-button"' in page
    body = post(city, url("evaluationround_approve_all", round_.pk))
    assert "1 个结果已审定并公示" in body
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLISHED and evaluation.objection_until

    # Published: the station reads its result and objects within the window.
    page = client_for(manager).get(evaluation.get_absolute_url()).content.decode()
    assert "76.00" in page and "合格" in page and 'id="object-button"' in page
    assert "标识牌破损" in page and "属实" in page
    assert (
        'id="object-button"'
        not in client_for(world.worker).get(evaluation.get_absolute_url()).content.decode()
    )
    post(
        manager,
        url("stationevaluation_objection", evaluation.pk),
        {"objection": "A1标识牌已于评估前更换，附照片为证。"},
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OBJECTION

    # The city upholds it: a different evaluator scores again.
    page = client_for(city).get(evaluation.get_absolute_url()).content.decode()
    assert 'id="decide-button"' in page and "评估员乙" in page
    decide = url("stationevaluation_decide", evaluation.pk)
    body = post(city, decide, {"decision": "upheld", "reason": "照片属实", "evaluator": ev.pk})
    assert "alert-danger" in body  # the same evaluator is refused
    post(
        city, decide, {"decision": "upheld", "reason": "照片属实", "evaluator": world.evaluator2.pk}
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING
    assert evaluation.evaluator == world.evaluator2
    assert client_for(ev).get(evaluation.get_absolute_url()).status_code == 404
    ev2 = world.evaluator2
    post(ev2, score, {"score": a1.pk, "evaluator_score": "36", "finding": "标识牌已更换"})
    post(ev2, submit, {"site_visit_on": visit})
    post(district, url("stationevaluation_review_pass", evaluation.pk))
    post(city, url("stationevaluation_approve", evaluation.pk), {"reason": "异议成立，重新评分"})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLISHED
    assert evaluation.total_score == Decimal("92.00") and evaluation.grade == "excellent"
    assert list(evaluation.revisions.values_list("number", flat=True)) == [1, 2]

    # The window closes (the daily task): final, ranked, items issued.
    services.finalise_due(on=evaluation.objection_until + timedelta(days=1))
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINAL
    page = client_for(manager).get(evaluation.get_absolute_url()).content.decode()
    assert "区内第 1 名" in page and "优秀" in page
    results = client_for(city).get(round_.get_absolute_url()).content.decode()
    assert 'id="round-results"' in results and 'id="grade-distribution"' in results
    assert "慈城镇社工站" in results

    # Rectification: the station answers, the district reopens, then accepts.
    item = evaluation.rectifications.get(indicator__isnull=True)
    assert item.status == RectificationStatus.ISSUED and item.due_on
    page = client_for(manager).get(item.get_absolute_url()).content.decode()
    assert 'id="answer-button"' in page and 'id="verify-button"' not in page
    post(manager, url("rectificationitem_answer", item.pk), {"answer": "已加锁并拍照"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.ANSWERED
    page = client_for(district).get(item.get_absolute_url()).content.decode()
    assert 'id="verify-button"' in page and 'id="answer-button"' not in page
    body = post(district, url("rectificationitem_verify", item.pk), {"decision": "reopen"})
    assert "alert-danger" in body
    post(
        district,
        url("rectificationitem_verify", item.pk),
        {"decision": "reopen", "comment": "未见照片"},
    )
    item.refresh_from_db()
    assert item.status == RectificationStatus.REOPENED
    post(manager, url("rectificationitem_answer", item.pk), {"answer": "补交照片两张"})
    post(district, url("rectificationitem_verify", item.pk), {"decision": "accept"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED and item.closed_on_time

    # The history tells each step, in the user's language.
    page = client_for(city).get(evaluation.get_absolute_url()).content.decode()
    for step in ("异议", "退回", "发布"):
        assert step in page
    # The round closes once every station is final.
    body = post(city, url("evaluationround_close", round_.pk))
    assert "alert-danger" in body
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_a_veto_and_the_district_s_item_from_the_pages(world: World) -> None:
    round_ = open_round(world, published_set({"A": (100, [100])}))
    evaluation = evaluation_of(round_, world.station)
    (a1,) = scores(evaluation)
    services.self_score_set(actor=world.manager, score=a1, self_score=Decimal(100))
    services.self_submit(actor=world.manager, evaluation=evaluation)
    ev = world.evaluator
    body = post(ev, url("stationevaluation_veto", evaluation.pk), {"veto": "financial"})
    assert "alert-danger" in body
    post(
        ev,
        url("stationevaluation_veto", evaluation.pk),
        {"veto": "financial", "veto_reason": "虚列支出"},
    )
    post(
        ev,
        url("stationevaluation_score", evaluation.pk),
        {"score": a1.pk, "evaluator_score": "100"},
    )
    post(
        ev,
        url("stationevaluation_scoring_submit", evaluation.pk),
        {"site_visit_on": timezone.localdate().isoformat()},
    )
    evaluation.refresh_from_db()
    assert evaluation.grade == "fail" and evaluation.total_score == Decimal("100.00")
    post(
        world.district,
        url("stationevaluation_rectification", evaluation.pk),
        {"indicator": str(a1.indicator_id), "finding": "财务制度缺失"},
    )
    assert evaluation.rectifications.filter(indicator=a1.indicator, finding="财务制度缺失").exists()
    page = client_for(world.district).get(evaluation.get_absolute_url()).content.decode()
    assert "虚列支出" in page and "不合格" in page


# --- the scorecard's query count ------------------------------------------------------------------


def test_the_scorecard_keeps_a_flat_query_count(
    world: World, django_assert_max_num_queries: Any
) -> None:
    few = open_round(world, published_set({"A": (100, [60, 40])}, name="少"))
    many = open_round(
        world,
        published_set(
            {code: (20, [2] * 10) for code in "ABCDE"},
            name="多",
        ),
    )
    counts = []
    for round_ in (few, many):
        evaluation = evaluation_of(round_, world.station)
        for row in scores(evaluation)[:2]:
            services.self_score_set(actor=world.manager, score=row, self_score=Decimal(1))
        for user in (world.manager, world.city, world.evaluator):
            client = client_for(user)
            client.get(evaluation.get_absolute_url())  # the session, warmed
            with CaptureQueriesContext(connection) as queries:
                assert client.get(evaluation.get_absolute_url()).status_code == 200
            counts.append((user.role, len(queries)))
    assert counts[:3] == counts[3:]
    client = client_for(world.city)
    with django_assert_max_num_queries(25):
        client.get(evaluation_of(many, world.station).get_absolute_url())


def test_the_lists_keep_a_flat_query_count(world: World, make_user: Callable[..., User]) -> None:
    round_ = open_round(world, published_set({"A": (100, [100])}))
    client = client_for(world.city)

    def counted(page: str) -> int:
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    pages = [
        url("stationevaluation_list"),
        url("rectificationitem_list"),
        url("evaluationround_list"),
        url("evaluator_list"),
    ]

    def add(n: int, code: str) -> None:
        station = make_operating_station(code, OPENED)
        evaluation = StationEvaluation.objects.create(
            round=round_, station=station, region_code=code, evaluator=world.evaluator
        )
        RectificationItem.objects.create(evaluation=evaluation, finding=f"事项{n}")
        user = make_user(Role.EVALUATOR, CITY)
        services.evaluator_create(actor=world.city, user=user)
        open_round(world, published_set({"A": (100, [100])}, name=f"标准{n}"))

    # One row in each list first: an empty page skips reading its records (core/keyset.py
    # reads a page's keys, then its records), so the counts compared are those of a page.
    add(0, "330205001000")
    few = [counted(page) for page in pages]
    for n, code in enumerate(("330205003000", "330205004000", "330205005000"), start=1):
        add(n, code)
    assert [counted(page) for page in pages] == few


def test_an_evaluator_profile_is_added_by_the_city(world: World) -> None:
    from swstation.stations.models import ServiceAgency

    agency = ServiceAgency.objects.create(
        name="宁波市某社会工作服务中心", region=world.station.region
    )
    client = client_for(world.city)
    form = client.get(url("evaluator_add")).content.decode()
    assert "评估员甲" in form and world.manager.username not in form
    response = client.post(
        url("evaluator_add"),
        {"user": world.evaluator.pk, "agency": agency.pk, "qualification": "中级社工师"},
    )
    profile = Evaluator.objects.get(user=world.evaluator)
    assert response.status_code == 302 and profile.agency == agency
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "宁波市某社会工作服务中心" in page
    edited = client.post(
        url("evaluator_edit", profile.pk),
        {"user": world.evaluator.pk, "agency": "", "qualification": "高级社工师"},
    )
    assert edited.status_code == 302
    profile.refresh_from_db()
    assert profile.agency is None and profile.qualification == "高级社工师"
    # a profile per user: the form offers the users without one
    form = client.get(url("evaluator_add")).content.decode()
    assert "评估员乙" in form and f'value="{world.evaluator.pk}"' not in form
