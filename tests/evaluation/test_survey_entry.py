# ruff: noqa: F811 (the fixtures of test_surveys, imported, are parameters here)
"""The survey's entry pages and writable API (issue 15, "Satisfaction and awareness surveys";
spec/station-evaluation.md §4 "Evaluator rules", §5): the assigned evaluator and the district
draw the sample, reveal one respondent's phone (logged), record attempts and answers on one
form, and H1/H2 follow; the district enters the stakeholders' forms (H3); the bureaus register
and decide complaints (H5). A station cannot survey itself: its staff, supervisors and
auditors are refused every entry page and call (403), another evaluator finds nothing (404).
Bad input is answered on its field in Chinese and nothing is saved partly; the round's survey
parameters change what the services do."""

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.evaluation import services
from swstation.evaluation.models import (
    Complaint,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    RespondentStatus,
    StakeholderRating,
    StationEvaluation,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)
from swstation.recipients.models import IdentityView
from swstation.regions.models import Region
from tests.clients import api_for as api
from tests.clients import client_for
from tests.conftest import CICHENG, YUEHU
from tests.evaluation.test_surveys import (  # noqa: F401 (fixtures)
    drawn_days_ago,
    evaluation,
    evaluator,
    score,
    served,
    standard,
)
from tests.projects import helpers as projects

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
PHONE, MASKED = "13812345678", "138****5678"
REFUSED_ROLES = (Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR)


def survey_url(evaluation: StationEvaluation) -> str:
    return reverse("evaluation:stationevaluation_survey", args=[evaluation.pk])


def draw_url(evaluation: StationEvaluation) -> str:
    return reverse("evaluation:stationevaluation_survey_draw", args=[evaluation.pk])


def follow_up_url(respondent: SurveyRespondent) -> str:
    return reverse("evaluation:surveyrespondent_follow_up", args=[respondent.pk])


def reveal_url(respondent: SurveyRespondent) -> str:
    return reverse("evaluation:surveyrespondent_reveal", args=[respondent.pk])


def stakeholders_url(evaluation: StationEvaluation) -> str:
    return reverse("evaluation:stationevaluation_stakeholders", args=[evaluation.pk])


def answered(s: list[Any] | None = None, known: int = 5, **extra: Any) -> dict[str, Any]:
    """The follow-up form of a respondent who answered: S1–S6 (``"na"``: 不适用) and the first
    ``known`` awareness items known."""
    data: dict[str, Any] = {
        "outcome": "completed",
        "day": timezone.localdate().isoformat(),
        "mode": "phone",
        "service_confirmed": "yes",
        "service_described": "上门探访，陪同就医",
    }
    for i, value in enumerate(s or [5] * 6, start=1):
        data[f"s{i}"] = str(value)
    for i in range(1, 6):
        data[f"w{i}"] = "yes" if i <= known else "no"
    data.update(extra)
    return data


def errors_of(response: Any) -> str:
    """The page's error messages (the form's, on their fields)."""
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    assert form.errors, "the form was expected to refuse"
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def pending(sample: SurveySample) -> list[SurveyRespondent]:
    return list(
        sample.respondents.filter(active=True, status=RespondentStatus.PENDING).order_by("order")
    )


# --- who may --------------------------------------------------------------------------------


def test_a_station_cannot_survey_itself_every_entry_page_refuses_its_staff(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    served(n=6, phone_masked=MASKED)
    for role in REFUSED_ROLES:  # before the draw too: no draw button, no draw
        client = client_for(users[role])
        assert client.get(survey_url(evaluation)).status_code == 403, role
        assert client.post(draw_url(evaluation)).status_code == 403, role
    assert not SurveySample.objects.exists()
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    first = pending(sample)[0]
    for role in REFUSED_ROLES:
        client = client_for(users[role])
        for url in (survey_url(evaluation), follow_up_url(first), stakeholders_url(evaluation)):
            assert client.get(url).status_code == 403, (role, url)
        assert client.post(follow_up_url(first), answered()).status_code == 403, role
        assert client.post(reveal_url(first), {"field": "phone"}).status_code == 403, role
        assert client.post(stakeholders_url(evaluation), {}).status_code == 403, role
        # the API alike
        assert api(users[role]).post(
            f"/api/v1/survey-respondents/{first.pk}/attempt/",
            {"attempted_on": timezone.localdate().isoformat(), "outcome": "no_answer"},
        ).status_code in (403, 404), role
    assert not SurveyAttempt.objects.exists() and not SurveyAnswer.objects.exists()
    assert not IdentityView.objects.exists()
    first.refresh_from_db()
    assert first.status == RespondentStatus.PENDING


def test_another_evaluator_or_district_finds_nothing_and_the_city_only_reads(
    evaluation: StationEvaluation,
    evaluator: User,
    users: dict[str, Any],
    make_user: Any,
) -> None:
    served(n=6, phone_masked=MASKED)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    first = pending(sample)[0]
    other = make_user(Role.EVALUATOR)
    Evaluator.objects.create(user=other)
    haishu = make_user(Role.DISTRICT_OFFICER, "330203000000")
    for user in (other, haishu):
        client = client_for(user)
        assert client.get(survey_url(evaluation)).status_code == 404
        assert client.get(follow_up_url(first)).status_code == 404
        assert client.post(follow_up_url(first), answered()).status_code == 404
    # The city reads the survey, may draw, but does not follow up (spec §5).
    city = client_for(users[Role.CITY_ADMIN])
    page = city.get(survey_url(evaluation))
    assert page.status_code == 200 and 'id="draw-button"' not in page.content.decode()
    assert city.get(follow_up_url(first)).status_code == 403
    assert city.post(follow_up_url(first), answered()).status_code == 403
    assert not SurveyAnswer.objects.exists()
    # The scorecard links to the survey for the surveyors, never for the station.
    scorecard = reverse("evaluation:stationevaluation", args=[evaluation.pk])
    assert 'id="survey-link"' in client_for(evaluator).get(scorecard).content.decode()
    manager = client_for(users[Role.STATION_MANAGER]).get(scorecard).content.decode()
    assert 'id="survey-link"' not in manager


# --- the journey: draw → reveal → attempt → answers → H1/H2 ---------------------------------


def test_the_evaluator_draws_reveals_follows_up_and_h1_h2_follow(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    served(n=10, phone_masked=MASKED)  # N = 10: n = 10, H1/H2 need min(30, 5) = 5 completed
    client = client_for(evaluator)
    page = client.get(survey_url(evaluation))
    assert page.status_code == 200 and 'id="draw-button"' in page.content.decode()
    response = client.post(draw_url(evaluation))
    assert response.status_code == 302 and response["Location"] == survey_url(evaluation)
    sample = SurveySample.objects.get(evaluation=evaluation)
    assert (sample.population, sample.sample_size, sample.drawn_by) == (10, 10, evaluator)
    assert client.post(draw_url(evaluation)).status_code == 302  # a second draw: refused
    assert SurveySample.objects.count() == 1

    listed = client.get(survey_url(evaluation)).content.decode()
    assert MASKED in listed and PHONE not in listed
    assert 'id="draw-button"' not in listed and "调查" in listed
    respondents = pending(sample)
    assert len(respondents) == 10
    first = respondents[0]
    assert first.recipient.name not in listed  # masked for the evaluator

    # The phone of one respondent, logged each time.
    form_page = client.get(follow_up_url(first)).content.decode()
    assert MASKED in form_page and PHONE not in form_page
    assert "您对社工的服务态度" in form_page  # the questionnaire's wording (S1)
    shown = client.post(reveal_url(first), {"field": "phone"}, HTTP_HX_REQUEST="true")
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    log = IdentityView.objects.get()
    assert log.user == evaluator and log.recipient == first.recipient and log.field == "phone"
    whole = client.post(reveal_url(first), {"field": "phone"})  # without htmx: the page
    assert whole.status_code == 200 and PHONE in whole.content.decode()
    assert IdentityView.objects.count() == 2

    # Not reached once, then reached and answered.
    response = client.post(
        follow_up_url(first), {**answered(), "outcome": "no_answer", "note": "无人接听"}
    )
    assert response.status_code == 302
    assert first.attempts.get().outcome == "no_answer"
    h1 = score(evaluation, "H1")
    assert h1.measured_value is None
    plans: list[tuple[list[Any], int]] = [
        ([5, 5, 5, 5, 5, 5], 5),  # 100, aware
        ([4, 4, 4, 4, 4, 4], 3),  # 75, aware
        ([3, 3, 3, 3, 3, "na"], 2),  # 50
        ([5, 4, "na", "na", "na", "na"], 0),  # 87.5
    ]
    for respondent, (s, known) in zip(respondents, plans, strict=False):
        response = client.post(follow_up_url(respondent), answered(s, known))
        assert response.status_code == 302, errors_of(response)
    h1, h2 = score(evaluation, "H1"), score(evaluation, "H2")
    assert h1.measured_value is None and h2.measured_value is None  # 4 of 5 needed
    # The fifth, by the district officer: the minimum is reached, H1 and H2 are computed.
    district = client_for(users[Role.DISTRICT_OFFICER])
    response = district.post(follow_up_url(respondents[4]), answered(["na"] * 6, 4))
    assert response.status_code == 302
    h1, h2 = score(evaluation, "H1"), score(evaluation, "H2")
    assert h1.measured_value == Decimal("78.13")  # (100 + 75 + 50 + 87.5) / 4
    assert h2.measured_value == Decimal("60.00")  # 3 of 5 know ≥ 3 items
    first.refresh_from_db()
    assert first.status == RespondentStatus.COMPLETED
    assert first.attempts.count() == 2  # the failed one and the completed one
    answer = SurveyAnswer.objects.get(respondent=first)
    assert (answer.s1, answer.w5, answer.service_confirmed) == (5, True, True)
    # A correction of the answers, on the same page.
    page = client.get(follow_up_url(respondents[2])).content.decode()
    assert 'id="follow-up-form"' in page
    response = client.post(follow_up_url(respondents[2]), answered([5] * 6, 5))
    assert response.status_code == 302
    assert score(evaluation, "H1").measured_value == Decimal("90.63")  # (100+75+100+87.5)/4
    # A finding (V0 "no") is on the evaluation's log.
    client.post(
        follow_up_url(respondents[5]), answered(service_confirmed="no", service_described="")
    )
    assert evaluation.events.filter(kind="survey_finding").count() == 1
    # The sample and the respondent pages lead to the entry pages.
    sample_page = client.get(reverse("evaluation:surveysample", args=[sample.pk]))
    assert survey_url(evaluation) in sample_page.content.decode()
    respondent_page = client.get(reverse("evaluation:surveyrespondent", args=[first.pk]))
    assert follow_up_url(first) in respondent_page.content.decode()


def test_bad_input_is_answered_on_its_field_in_chinese_and_nothing_is_saved(
    evaluation: StationEvaluation, evaluator: User
) -> None:
    served(n=6, phone_masked=MASKED)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    first = pending(sample)[0]
    client = client_for(evaluator)
    # Answered, but S3 and W2 left out: named, in Chinese.
    data = answered()
    del data["s3"], data["w2"]
    response = client.post(follow_up_url(first), data)
    form = response.context["form"]
    assert set(form.errors) == {"s3", "w2"}
    assert CJK.search(form.errors["s3"][0]) and "S3" in form.errors["s3"][0]
    # A day in the future (the service's rule, on the form's field).
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(follow_up_url(first), answered(day=tomorrow))
    assert "day" in response.context["form"].errors
    assert CJK.search(errors_of(response))
    # Cannot be surveyed without saying why.
    response = client.post(follow_up_url(first), {**answered(), "outcome": "ineligible"})
    assert list(response.context["form"].errors) == ["note"]
    assert CJK.search(response.context["form"].errors["note"][0])
    # An item out of the scale.
    response = client.post(follow_up_url(first), answered([5, 5, 9, 5, 5, 5]))
    assert "s3" in response.context["form"].errors
    assert not SurveyAttempt.objects.exists() and not SurveyAnswer.objects.exists()
    first.refresh_from_db()
    assert first.status == RespondentStatus.PENDING
    # A reserve not brought in, or a follow-up that is over: said, nothing saved.
    client.post(follow_up_url(first), {**answered(), "outcome": "refused"})
    first.refresh_from_db()
    assert first.status == RespondentStatus.REFUSED
    response = client.post(follow_up_url(first), {**answered(), "outcome": "no_answer"})
    page = response.content.decode()
    assert response.status_code == 200 and "follow-up-form" not in page
    assert SurveyAttempt.objects.count() == 1


def test_the_survey_is_entered_only_while_it_is_open(
    evaluation: StationEvaluation, evaluator: User
) -> None:
    served(n=6, phone_masked=MASKED)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    first = pending(sample)[0]
    StationEvaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.DISTRICT_REVIEW
    )
    client = client_for(evaluator)
    page = client.get(follow_up_url(first)).content.decode()
    assert 'id="follow-up-form"' not in page and 'id="reveal-phone"' not in page
    response = client.post(follow_up_url(first), answered())
    assert response.status_code == 200 and CJK.search(
        " ".join(response.context["form"].non_field_errors())
    )
    assert client.post(reveal_url(first), {"field": "phone"}).status_code == 200
    assert not SurveyAnswer.objects.exists() and not IdentityView.objects.exists()


# --- the round's parameters ------------------------------------------------------------------


def _set_parameters(evaluation: StationEvaluation, **values: Any) -> None:
    """The round's survey parameters, as the city set them while preparing it."""
    EvaluationRound.objects.filter(pk=evaluation.round_id).update(**values)
    evaluation.round.refresh_from_db()


def test_the_rounds_parameters_drive_the_draw_the_reserve_and_the_scores(
    evaluation: StationEvaluation, evaluator: User
) -> None:
    served(n=20, phone_masked=MASKED)
    # e = 50 %: ⌈20·0.9604 / (19·0.25 + 0.9604)⌉ = 4, at least 5; one home visit in 2; a
    # reserve of 100 %; unreachable after 1 attempt on 1 day; 2 completed enough; 5 of the 5
    # awareness items for effective awareness; the township's form weighs 80 % of H3.
    _set_parameters(
        evaluation,
        survey_margin_percent=50,
        survey_minimum_sample=5,
        survey_home_visit_every=2,
        survey_reserve_percent=100,
        survey_attempts=1,
        survey_attempt_days=1,
        survey_minimum_completed=2,
        awareness_effective_items=5,
        stakeholder_villages=2,
        stakeholder_township_percent=80,
    )
    client = client_for(evaluator)
    assert client.post(draw_url(evaluation)).status_code == 302
    sample = SurveySample.objects.get(evaluation=evaluation)
    assert (sample.population, sample.sample_size, sample.home_visits) == (20, 5, 3)
    assert sample.respondents.filter(is_reserve=True).count() == 5
    assert len(sample.stakeholder_villages) == min(
        2, Region.objects.filter(level="village", code__startswith=CICHENG[:9]).count()
    )
    first = pending(sample)[0]
    response = client.post(follow_up_url(first), {**answered(), "outcome": "no_answer"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == RespondentStatus.UNREACHABLE and first.replaced_by is not None
    assert first.replaced_by.active and first.replaced_by.is_reserve
    for respondent in pending(sample)[:2]:
        assert client.post(follow_up_url(respondent), answered([5] * 6, 4)).status_code == 302
    h1, h2 = score(evaluation, "H1"), score(evaluation, "H2")
    assert h1.measured_value == Decimal("100.00")  # 2 completed are enough here
    assert h2.measured_value == Decimal("0.00")  # 4 known is not 5


def test_the_parameters_are_on_the_rounds_form_while_it_is_prepared(
    standard: Any, users: dict[str, Any]
) -> None:
    city = users[Role.CITY_ADMIN]
    round_ = services.round_create(
        actor=city,
        name="2026年度评估",
        kind="annual",
        indicator_set=standard,
        period_start=timezone.localdate() - timedelta(days=300),
        snapshot_date=timezone.localdate() - timedelta(days=10),
    )
    assert (round_.survey_attempts, round_.survey_reserve_percent) == (3, 50)
    client = client_for(city)
    edit = reverse("evaluation:evaluationround_edit", args=[round_.pk])
    page = client.get(edit).content.decode()
    assert 'name="survey_attempts"' in page and 'name="awareness_effective_items"' in page
    form = page_values(page)
    form.update(survey_attempts="4", survey_attempt_days="5")  # more days than attempts
    response = client.post(edit, form)
    assert response.status_code == 200
    assert CJK.search(" ".join(response.context["form"].errors["survey_attempt_days"]))
    form.update(survey_attempts="4", survey_attempt_days="3", survey_reserve_percent="30")
    assert client.post(edit, form).status_code == 302
    round_.refresh_from_db()
    assert (round_.survey_attempts, round_.survey_attempt_days) == (4, 3)
    assert round_.survey_reserve_percent == 30
    # The API reads and writes them too, while the round is prepared.
    body = api(city).get(f"/api/v1/evaluation-rounds/{round_.pk}/").json()
    assert body["survey_attempts"] == 4 and body["survey_z"] == "1.96"
    changed = api(city).patch(
        f"/api/v1/evaluation-rounds/{round_.pk}/", {"survey_minimum_sample": 80}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["survey_minimum_sample"] == 80


def page_values(page: str) -> dict[str, str]:
    """The values an edit page's form holds (inputs, the selected options, textareas)."""
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        values[name] = chosen.group(1) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        values[name] = text.strip()
    values.pop("csrfmiddlewaretoken", None)
    return values


# --- the stakeholders' forms and complaints ----------------------------------------------------


def test_the_district_enters_the_stakeholders_forms_and_h3_follows(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    served(n=2, phone_masked=MASKED)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    village = Region.objects.filter(code__in=sample.stakeholder_villages).order_by("code")[0]
    district = client_for(users[Role.DISTRICT_OFFICER])
    assert client_for(evaluator).get(stakeholders_url(evaluation)).status_code == 403
    assert client_for(users[Role.CITY_ADMIN]).get(stakeholders_url(evaluation)).status_code == 403
    page = district.get(stakeholders_url(evaluation)).content.decode()
    assert village.name in page and "社工站与本单位的合作与沟通" in page
    today = timezone.localdate().isoformat()
    form = {"rater": "township", "rated_on": today, "r1": "5", "r2": "5", "r3": "4", "r4": "4"}
    response = district.post(stakeholders_url(evaluation), form)  # R5 left out
    assert set(response.context["form"].errors) == {"r5"}
    assert CJK.search(response.context["form"].errors["r5"][0])
    response = district.post(stakeholders_url(evaluation), {**form, "rater": "village", "r5": "5"})
    assert "village" in response.context["form"].errors  # a village form names its village
    assert not StakeholderRating.objects.exists()
    assert district.post(stakeholders_url(evaluation), {**form, "r5": "5"}).status_code == 302
    assert score(evaluation, "H3").measured_value is None  # the villages' forms missing
    village_form = {"rater": "village", "village": village.code, "rated_on": today}
    village_form.update({f"r{i}": "4" for i in range(1, 6)})
    assert district.post(stakeholders_url(evaluation), village_form).status_code == 302
    # Township 90, the village 75: (90 + 75) / 2 = 82.5.
    assert score(evaluation, "H3").measured_value == Decimal("82.50")
    entry = district.get(survey_url(evaluation)).content.decode()
    assert 'id="rate-township"' in entry and village.name in entry


def test_the_bureaus_register_and_decide_complaints_on_their_pages(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    station = projects.station(CICHENG)
    add = reverse("evaluation:complaint_register")
    for role in (*REFUSED_ROLES, Role.EVALUATOR):
        user = evaluator if role == Role.EVALUATOR else users[role]
        assert client_for(user).get(add).status_code == 403, role
    district = client_for(users[Role.DISTRICT_OFFICER])
    page = district.get(f"{add}?station={station.pk}")
    assert page.status_code == 200
    data = {
        "station": station.pk,
        "received_on": timezone.localdate().isoformat(),
        "channel": "hotline",
        "summary": "无",
    }
    response = district.post(add, data)
    assert "summary" in response.context["form"].errors
    assert CJK.search(response.context["form"].errors["summary"][0])
    yuehu = projects.station(YUEHU)  # not in 江北区: not offered
    response = district.post(add, {**data, "station": yuehu.pk, "summary": "社工未按约定上门"})
    assert "station" in response.context["form"].errors
    assert not Complaint.objects.exists()
    response = district.post(add, {**data, "summary": "社工未按约定上门服务"})
    complaint = Complaint.objects.get()
    assert response["Location"] == complaint.get_absolute_url()
    assert complaint.registered_by == users[Role.DISTRICT_OFFICER]
    detail = district.get(complaint.get_absolute_url()).content.decode()
    assert 'id="decide-form"' in detail
    decide = reverse("evaluation:complaint_decide", args=[complaint.pk])
    response = district.post(decide, {"substantiated": "yes", "decided_on": data["received_on"]})
    assert "decision_note" in response.context["decide_form"].errors
    complaint.refresh_from_db()
    assert complaint.substantiated is None
    response = district.post(
        decide,
        {"substantiated": "yes", "decided_on": data["received_on"], "decision_note": "属实"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.substantiated is True and complaint.decided_by == users[Role.DISTRICT_OFFICER]
    manager = client_for(users[Role.STATION_MANAGER])  # reads it, cannot decide
    assert 'id="decide-form"' not in manager.get(complaint.get_absolute_url()).content.decode()
    assert manager.post(decide, {"substantiated": "no"}).status_code == 403


# --- the API -----------------------------------------------------------------------------------


def test_the_api_draws_records_attempts_and_answers(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    served(n=6, phone_masked=MASKED)
    today = timezone.localdate().isoformat()
    for role in REFUSED_ROLES:
        refused = api(users[role]).post(
            "/api/v1/survey-samples/", {"evaluation": evaluation.pk}, format="json"
        )
        assert refused.status_code in (400, 403), role
    assert not SurveySample.objects.exists()
    drawn = api(evaluator).post(
        "/api/v1/survey-samples/", {"evaluation": evaluation.pk}, format="json"
    )
    assert drawn.status_code == 201 and drawn.json()["sample_size"] == 6
    again = api(evaluator).post(
        "/api/v1/survey-samples/", {"evaluation": evaluation.pk}, format="json"
    )
    assert again.status_code == 409
    sample = SurveySample.objects.get()
    first, second = pending(sample)[:2]
    base = "/api/v1/survey-respondents"
    revealed = api(evaluator).post(f"{base}/{first.pk}/reveal-contact/", {"field": "phone"})
    assert revealed.status_code == 200 and revealed.json()["value"] == PHONE
    assert IdentityView.objects.count() == 1
    attempt = api(evaluator).post(
        f"{base}/{first.pk}/attempt/", {"attempted_on": today, "outcome": "refused"}
    )
    assert attempt.status_code == 200 and attempt.json()["status"] == "refused"
    bad = api(evaluator).post(
        f"{base}/{second.pk}/attempt/", {"attempted_on": today, "outcome": "ineligible"}
    )
    assert bad.status_code == 400 and CJK.search(" ".join(bad.json()["note"]))
    answers: dict[str, Any] = {
        "answered_on": today,
        "service_confirmed": True,
        "service_described": "陪同就医",
        "s1": 5,
        "s2": 4,
        "s3": None,
        **{f"w{i}": i <= 3 for i in range(1, 6)},
    }
    out_of_scale = api(evaluator).post(
        f"{base}/{second.pk}/answer/", {**answers, "s2": 7}, format="json"
    )
    assert out_of_scale.status_code == 400 and "s2" in out_of_scale.json()
    assert CJK.search(" ".join(out_of_scale.json()["s2"]))
    saved = api(evaluator).post(f"{base}/{second.pk}/answer/", answers, format="json")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    # S1 5 → 100, S2 4 → 75 (S3–S6 not applicable): 87.5; 3 known: effectively aware.
    assert body["satisfaction_index"] == "87.50" and body["effectively_aware"] is True
    over = api(evaluator).post(
        f"{base}/{first.pk}/attempt/", {"attempted_on": today, "outcome": "no_answer"}
    )
    assert over.status_code == 409  # refused: the follow-up is over
    for role in (Role.CITY_ADMIN, *REFUSED_ROLES):
        answer = api(users[role]).post(f"{base}/{second.pk}/answer/", answers, format="json")
        assert answer.status_code in (403, 404), role
    assert api(evaluator).post(f"{base}/", {}, format="json").status_code in (403, 405)


def test_the_api_writes_stakeholders_forms_and_complaints(
    evaluation: StationEvaluation, evaluator: User, users: dict[str, Any]
) -> None:
    served(n=2, phone_masked=MASKED)
    sample = services.survey_draw(actor=evaluator, evaluation=evaluation)
    district = api(users[Role.DISTRICT_OFFICER])
    today = timezone.localdate().isoformat()
    form = {
        "evaluation": evaluation.pk,
        "rater": "township",
        "rated_on": today,
        **{f"r{i}": 5 for i in range(1, 6)},
    }
    for user in (evaluator, users[Role.CITY_ADMIN], users[Role.STATION_MANAGER]):
        assert api(user).post("/api/v1/stakeholder-ratings/", form).status_code == 403
    bad = district.post("/api/v1/stakeholder-ratings/", {**form, "r3": 6})
    assert bad.status_code == 400 and CJK.search(" ".join(bad.json()["r3"]))
    created = district.post("/api/v1/stakeholder-ratings/", form)
    assert created.status_code == 201 and created.json()["score"] == "100.00"
    village = sample.stakeholder_villages[0]
    created = district.post(
        "/api/v1/stakeholder-ratings/",
        {**form, "rater": "village", "village_code": village, "r1": 1},
    )
    assert created.status_code == 201, created.content
    assert created.json()["village_code"] == village and created.json()["score"] == "80.00"
    assert score(evaluation, "H3").measured_value == Decimal("90.00")
    corrected = district.patch(
        f"/api/v1/stakeholder-ratings/{created.json()['id']}/", {"r1": 5}, format="json"
    )
    assert corrected.status_code == 200 and corrected.json()["score"] == "100.00"
    assert score(evaluation, "H3").measured_value == Decimal("100.00")
    assert StakeholderRating.objects.count() == 2

    complaint = {
        "station": projects.station(CICHENG).pk,
        "received_on": today,
        "channel": "hotline",
        "summary": "服务对象反映社工未按约定上门",
    }
    for role in (*REFUSED_ROLES,):
        assert api(users[role]).post("/api/v1/complaints/", complaint).status_code == 403
    assert api(evaluator).post("/api/v1/complaints/", complaint).status_code == 403
    short = district.post("/api/v1/complaints/", {**complaint, "summary": "无"})
    assert short.status_code == 400 and CJK.search(" ".join(short.json()["summary"]))
    outside = district.post(
        "/api/v1/complaints/", {**complaint, "station": projects.station(YUEHU).pk}
    )
    assert outside.status_code == 400 and "station" in outside.json()
    created = district.post("/api/v1/complaints/", complaint)
    assert created.status_code == 201 and created.json()["substantiated"] is None
    pk = created.json()["id"]
    undecided = district.post(f"/api/v1/complaints/{pk}/decide/", {"substantiated": True})
    assert undecided.status_code == 400 and "decision_note" in undecided.json()
    decided = district.post(
        f"/api/v1/complaints/{pk}/decide/",
        {"substantiated": True, "decision_note": "经核查属实"},
    )
    assert decided.status_code == 200 and decided.json()["substantiated"] is True
    manager = api(users[Role.STATION_MANAGER])
    assert manager.post(f"/api/v1/complaints/{pk}/decide/", {}).status_code == 403
