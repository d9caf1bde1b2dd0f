# ruff: noqa: F811 (the fixtures of test_surveys, imported, are parameters here)
"""The pages and the API of an evaluation's parts and of its surveys (issue 15;
spec/station-evaluation.md §4, §5): the indicator rows, evidence, log and published results
read as the scorecard shows them; the samples, respondents, attempts, answers, stakeholders'
forms and complaints read by the bureaus and the station's evaluator only — the station's staff
and supervisors are refused (403), another evaluator finds nothing (404) — the respondent's
name masked for an evaluator and never a phone."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.evaluation import services
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationStatus,
    Evaluator,
    EventKind,
    IndicatorScore,
    Questionnaire,
    StationEvaluation,
    SurveyRespondent,
)
from swstation.evaluation.tables import mask_name
from tests.clients import client_for
from tests.conftest import CICHENG, YUEHU
from tests.evaluation.test_surveys import (  # noqa: F401 (fixtures)
    answer,
    evaluation,
    evaluator,
    served,
    standard,
)
from tests.projects import helpers as projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> dict[str, Any]:
    """慈城镇's sample drawn, its first respondent reached once and then answered, a complaint
    about the station, and the township's stakeholders' form."""
    served(n=6)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    first = sample.respondents.order_by("order").select_related("recipient").first()
    assert first is not None
    services.survey_attempt_record(
        actor=evaluator,
        respondent=first,
        attempted_on=timezone.localdate(),
        outcome="call_back",
        note="请下午再打",
    )
    survey_answer = answer(evaluator, first, [5, 4, 5, 4, 5, 5], 4)
    first.refresh_from_db()
    complaint = services.complaint_register(
        actor=users[Role.CITY_ADMIN],
        station=projects.station(CICHENG),
        received_on=date(2025, 3, 1),
        channel="hotline",
        summary="服务对象反映社工未按约定上门",
    )
    rating = services.stakeholder_rating_enter(
        actor=users[Role.DISTRICT_OFFICER],
        evaluation=evaluation,
        rater="township",
        rated_on=timezone.localdate(),
        r1=5,
        r2=4,
        r3=4,
        r4=5,
        r5=4,
    )
    return {
        "surveysample": sample,
        "surveyrespondent": first,
        "surveyattempt": first.attempts.order_by("pk").first(),
        "surveyanswer": survey_answer,
        "stakeholderrating": rating,
        "complaint": complaint,
    }


SURVEY_PAGES = (
    "surveysample",
    "surveyrespondent",
    "surveyattempt",
    "surveyanswer",
    "stakeholderrating",
)


def test_the_bureaus_and_the_evaluator_read_the_survey_pages_in_chinese(
    surveyed: dict[str, Any], evaluator: User, users: dict[str, Any]
) -> None:
    for user in (users[Role.CITY_ADMIN], users[Role.DISTRICT_OFFICER], evaluator):
        client = client_for(user)
        for name in (*SURVEY_PAGES, "complaint"):
            record = surveyed[name]
            for url in (
                reverse(f"evaluation:{name}_list"),
                reverse(f"evaluation:{name}", args=[record.pk]),
                reverse(f"evaluation:{name}_history", args=[record.pk]),
            ):
                response = client.get(url)
                assert response.status_code == 200, (user.role, url)
                assert "评估" in response.content.decode() or "调查" in response.content.decode()
        listed = client.get(reverse("evaluation:surveyrespondent_list")).content.decode()
        assert "13812345678" not in listed and "138****5678" not in listed


def test_the_station_and_its_supervisors_never_see_a_respondent_or_an_answer(
    surveyed: dict[str, Any], users: dict[str, Any]
) -> None:
    for role in (Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR):
        client = client_for(users[role])
        for name in SURVEY_PAGES:
            record = surveyed[name]
            for url in (
                reverse(f"evaluation:{name}_list"),
                reverse(f"evaluation:{name}", args=[record.pk]),
                reverse(f"evaluation:{name}_history", args=[record.pk]),
            ):
                assert client.get(url).status_code == 403, (role, url)
        for api in ("surveyrespondent", "surveyanswer", "surveyattempt", "surveysample"):
            assert client.get(reverse(f"api:{api}-list")).status_code == 403, (role, api)
    # Complaints: the social workers never (the station manager answers for the station).
    worker = client_for(users[Role.SOCIAL_WORKER])
    assert worker.get(reverse("evaluation:complaint_list")).status_code == 403
    assert worker.get(reverse("api:complaint-list")).status_code == 403


def test_an_evaluator_reads_only_the_rows_of_their_assignment(
    surveyed: dict[str, Any], evaluation: StationEvaluation, users: dict[str, Any], make_user: Any
) -> None:
    other = make_user(Role.EVALUATOR)
    Evaluator.objects.create(user=other)
    yuehu = StationEvaluation.objects.get(round=evaluation.round, region_code=YUEHU)
    services.evaluator_assign(actor=users[Role.CITY_ADMIN], evaluation=yuehu, evaluator=other)
    client = client_for(other)
    for name in (*SURVEY_PAGES, "complaint"):
        assert client.get(reverse(f"evaluation:{name}_list")).status_code == 200
        detail = reverse(f"evaluation:{name}", args=[surveyed[name].pk])
        assert client.get(detail).status_code == 404, name
    assert client.get(reverse("api:surveyrespondent-list")).json()["results"] == []
    scores = client.get(reverse("evaluation:indicatorscore_list")).content.decode()
    assert "慈城" not in scores
    score = IndicatorScore.objects.filter(evaluation=evaluation).first()
    assert score is not None
    url = reverse("evaluation:indicatorscore", args=[score.pk])
    assert client.get(url).status_code == 404


def test_a_respondents_name_is_masked_for_the_evaluator_and_whole_for_the_bureaus(
    surveyed: dict[str, Any], evaluator: User, users: dict[str, Any]
) -> None:
    respondent: SurveyRespondent = surveyed["surveyrespondent"]
    name = respondent.recipient.name
    masked = mask_name(name)
    assert masked != name and masked[0] == name[0] and "*" in masked
    for url in (
        reverse("evaluation:surveyrespondent_list"),
        reverse("evaluation:surveyrespondent", args=[respondent.pk]),
        reverse("evaluation:surveyrespondent_history", args=[respondent.pk]),
    ):
        page = client_for(evaluator).get(url).content.decode()
        assert name not in page and "13812345678" not in page, url
        assert masked in page or url.endswith("/history/"), url
    whole = client_for(users[Role.DISTRICT_OFFICER]).get(
        reverse("evaluation:surveyrespondent", args=[respondent.pk])
    )
    assert name in whole.content.decode()
    rows = client_for(evaluator).get(reverse("api:surveyrespondent-list")).json()["results"]
    assert len(rows) == 6 and masked in {row["name"] for row in rows}
    assert not any("phone" in key or "address" in key for key in rows[0])


def test_mask_name() -> None:
    assert [mask_name(n) for n in ("张三华", "李四", "欧阳小明", "王", "")] == [
        "张*华",
        "李*",
        "欧**明",
        "王",
        "",
    ]


def test_the_questionnaire_is_read_by_every_role(users: dict[str, Any]) -> None:
    """(An evaluator reads the versions their assignments' samples were asked with.)"""
    questionnaire = Questionnaire.objects.order_by("pk").first()
    assert questionnaire is not None
    for role, user in users.items():
        if role == Role.EVALUATOR:
            continue
        client = client_for(user)
        assert client.get(reverse("evaluation:questionnaire_list")).status_code == 200
        page = client.get(reverse("evaluation:questionnaire", args=[questionnaire.pk]))
        assert page.status_code == 200 and "S1" in page.content.decode()


def test_the_scores_and_the_log_are_read_as_the_scorecard_shows_them(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    manager = users[Role.STATION_MANAGER]
    StationEvaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SCORING)
    evaluation.refresh_from_db()
    score = (
        IndicatorScore.objects.filter(evaluation=evaluation, indicator__code="A1")
        .select_related("indicator")
        .get()
    )
    services.score_set(
        actor=evaluator, score=score, evaluator_score=score.indicator.points, finding=""
    )
    scored = EvaluationEvent.objects.filter(evaluation=evaluation, kind=EventKind.SCORED).first()
    assert scored is not None
    # The station before publication: no evaluator's row, no scoring step.
    client = client_for(manager)
    assert "A1" not in client.get(reverse("evaluation:indicatorscore_list")).content.decode()
    assert client.get(reverse("evaluation:evaluationevent", args=[scored.pk])).status_code == 404
    history = reverse("evaluation:indicatorscore_history", args=[score.pk])
    assert client.get(history).status_code == 404
    # The district before the evaluator submits: the rows, not the evaluator's scores.
    district = client_for(users[Role.DISTRICT_OFFICER])
    assert district.get(history).status_code == 404
    assert district.get(reverse("evaluation:evaluationevent", args=[scored.pk])).status_code == 404
    # The evaluator: everything; the row's page is its place on the scorecard.
    mine = client_for(evaluator)
    assert "A1" in mine.get(reverse("evaluation:indicatorscore_list")).content.decode()
    detail = mine.get(reverse("evaluation:indicatorscore", args=[score.pk]))
    assert detail.status_code == 302
    assert detail["Location"].endswith(
        reverse("evaluation:stationevaluation", args=[evaluation.pk]) + "#indicator-A1"
    )
    assert mine.get(reverse("evaluation:evaluationevent", args=[scored.pk])).status_code == 200
    assert mine.get(history).status_code == 200
    for name in ("evaluationevent", "evaluationevidence", "stationevaluationrevision"):
        assert mine.get(reverse(f"evaluation:{name}_list")).status_code == 200
    assert evaluation.status == EvaluationStatus.SCORING
