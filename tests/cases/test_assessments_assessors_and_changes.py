"""Who assesses and when (spec/elderly-assessment-gbt42195.md §6): two different assessors,
both qualified on the day where the city's policy requires it (policy data, §9.8), with a clear
message naming the one who is not; a change of condition reported makes the person's latest
assessment due at once, an immediate reassessment in the due lists, until a new assessment
supersedes it; and the assessor qualifications' own pages and API."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.cases.models import AssessorQualification, ElderlyAssessment
from swstation.cases.selectors import records as selectors
from swstation.cases.services import assessments as assessment_services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.workforce.models import Certificate
from tests.base import ModelAPITests, ModelTestBase, ModelViewTests
from tests.cases import test_records_fixtures as build
from tests.cases.test_assessments_gbt42195 import (
    api_client_for,
    client_for,
    create,
    policy_in_force,
)
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, HEALTHY_ITEMS

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def require_qualified(*, social_work_certificate: bool = True) -> None:
    policy = policy_in_force()
    policy.qualified_assessors_only = True
    policy.social_work_certificate_qualifies = social_work_certificate
    policy.save()


def qualified(worker: Any, **extra: Any) -> AssessorQualification:
    fields = {"kind": "assessor", "valid_from": date(2025, 1, 1), "number": "PG2025001"}
    fields.update(extra)
    return AssessorQualification.objects.create(social_worker=worker, **fields)


def test_two_different_assessors() -> None:
    worker = build.worker(CICHENG_VILLAGE, name="同一人")
    with pytest.raises(ValidationError) as error:
        create(assessor=worker, second_assessor=worker)
    [message] = error.value.message_dict["second_assessor"]
    assert "同一人" in message and "两" in message


def test_without_the_policy_rule_no_qualification_is_asked() -> None:
    assert policy_in_force().qualified_assessors_only is False  # as before: the city turns it on
    assert create().pk


@pytest.mark.parametrize(
    ("first_valid", "second_valid", "refused"),
    [
        ((date(2025, 1, 1), None), (date(2025, 1, 1), None), set()),
        ((date(2025, 1, 1), None), None, {"second_assessor"}),
        (None, None, {"assessor", "second_assessor"}),
        # expired the day before the assessment; valid until the day itself
        ((date(2024, 1, 1), DAY - timedelta(days=1)), (date(2025, 1, 1), DAY), {"assessor"}),
        # valid only from the day after
        ((DAY + timedelta(days=1), None), (date(2025, 1, 1), None), {"assessor"}),
    ],
)
def test_both_assessors_must_hold_a_qualification_valid_on_the_day(
    first_valid: Any, second_valid: Any, refused: set[str]
) -> None:
    require_qualified()
    first = build.worker(CICHENG_VILLAGE, name="评估员一")
    second = build.worker(CICHENG_VILLAGE, name="评估员二")
    for worker, valid in ((first, first_valid), (second, second_valid)):
        if valid is not None:
            qualified(worker, valid_from=valid[0], valid_to=valid[1])
    if not refused:
        assert create(assessor=first, second_assessor=second, assessed_on=DAY).pk
        return
    with pytest.raises(ValidationError) as error:
        create(assessor=first, second_assessor=second, assessed_on=DAY)
    assert set(error.value.message_dict) == refused
    for field in refused:
        [message] = error.value.message_dict[field]
        name = "评估员一" if field == "assessor" else "评估员二"
        assert name in message and DAY.isoformat() in message and "资格" in message


@pytest.mark.parametrize("counts", [True, False])
def test_a_social_worker_certificate_qualifies_where_the_policy_says_so(counts: bool) -> None:
    require_qualified(social_work_certificate=counts)
    first, second = build.worker(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE)
    qualified(first)
    Certificate.objects.create(
        social_worker=second, level="assistant", obtained_on=date(2020, 6, 1), number="Z2020001"
    )
    if counts:
        assert create(assessor=first, second_assessor=second).pk
    else:
        with pytest.raises(ValidationError) as error:
            create(assessor=first, second_assessor=second)
        assert set(error.value.message_dict) == {"second_assessor"}


def test_the_form_shows_the_refusal_in_chinese(users: dict[str, Any]) -> None:
    from tests.cases.test_records_pages_and_api import elderly_form_items

    require_qualified()
    data = {
        "recipient": build.recipient(CICHENG_VILLAGE, name="资格老人").pk,
        "assessed_on": "2026-03-01",
        "reason": "initial",
        "assessor": build.worker(CICHENG_VILLAGE, name="无证社工").pk,
        "second_assessor": qualified(build.worker(CICHENG_VILLAGE)).social_worker_id,
        "standard": "GB/T 42195-2022",
        **elderly_form_items(HEALTHY_ITEMS),
    }
    response = client_for(users[Role.STATION_MANAGER]).post(
        reverse("cases:elderlyassessment_add"), data
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["assessor"]
    assert "无证社工" in message and "没有" in message
    assert not ElderlyAssessment.objects.filter(recipient__name="资格老人").exists()


def test_the_report_names_each_assessors_qualification(users: dict[str, Any]) -> None:
    first, second = build.worker(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE)
    qualified(first, number="PG-88")
    assessment = create(assessor=first, second_assessor=second)
    report = client_for(users[Role.AUDITOR]).get(
        reverse("cases:elderlyassessment_report", args=[assessment.pk])
    )
    body = report.content.decode()
    assert "老年人能力评估师" in body and "PG-88" in body
    assert "未登记评估资格" in body  # the second one holds none


# --- a change of condition ----------------------------------------------------------------


def due_titles(actor: Any, on: date) -> dict[str, list[str]]:
    return {
        "due": [i.title for i in selectors.assessments_due(actor=actor, on=on).items()],
        "overdue": [i.title for i in selectors.assessments_overdue(actor=actor, on=on).items()],
    }


def test_a_change_of_condition_makes_the_latest_assessment_due_at_once(
    users: dict[str, Any],
) -> None:
    today = timezone.localdate()
    recipient = build.recipient(CICHENG_VILLAGE, name="状况老人")
    older = create(recipient=recipient, assessed_on=today - timedelta(days=60))
    latest = create(recipient=recipient, assessed_on=today - timedelta(days=30))
    assert latest.next_due > today + timedelta(days=14)  # not due: six months
    actor = users[Role.CITY_ADMIN]
    assert due_titles(actor, today) == {"due": [], "overdue": []}

    changed = assessment_services.elderly_condition_change_report(
        actor=actor, recipient=recipient, changed_on=today, note="跌倒后住院一周"
    )
    assert changed.pk == latest.pk and changed.next_due == today
    older.refresh_from_db()
    assert older.condition_changed_on is None
    [title] = due_titles(actor, today)["due"]
    assert "状况变化" in title and today.isoformat() in title
    assert "GB/T 42195-2022 · 0" in title  # the level it replaces, with its standard
    [item] = selectors.assessments_due(actor=actor, on=today).items()
    assert "reason=change" in item.action_url
    # The next day it is overdue.
    assert due_titles(actor, today + timedelta(days=1))["overdue"] == [title]
    # Recorded in the history with why.
    assert latest.history.first().history_change_reason.startswith("已报告状况变化")

    # A new assessment supersedes it: nothing due any more.
    create(recipient=recipient, assessed_on=today, reason="change")
    assert due_titles(actor, today) == {"due": [], "overdue": []}


def test_a_corrected_assessment_keeps_the_change_due() -> None:
    from swstation.cases.services import records as services

    today = timezone.localdate()
    recipient = build.recipient(CICHENG_VILLAGE)
    latest = create(recipient=recipient, assessed_on=today - timedelta(days=20))
    assessment_services.elderly_condition_change_report(
        actor=SYSTEM, recipient=recipient, changed_on=today - timedelta(days=2), note="摔倒"
    )
    latest.refresh_from_db()
    services.elderly_assessment_update(actor=SYSTEM, assessment=latest, place="家中")
    latest.refresh_from_db()
    assert latest.next_due == today - timedelta(days=2)


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("future", "condition_changed_on", "将来"),
        ("before", "condition_changed_on", "之后"),
        ("no note", "condition_change_note", "变化"),
        ("twice", "condition_changed_on", "已报告"),
    ],
)
def test_a_change_of_condition_is_refused_with_its_reason(
    case: str, field: str, words: str
) -> None:
    today = timezone.localdate()
    recipient = build.recipient(CICHENG_VILLAGE)
    create(recipient=recipient, assessed_on=today - timedelta(days=10))
    kwargs = {"changed_on": today, "note": "住院"}
    if case == "future":
        kwargs["changed_on"] = today + timedelta(days=1)
    elif case == "before":
        kwargs["changed_on"] = today - timedelta(days=11)
    elif case == "no note":
        kwargs["note"] = " "
    elif case == "twice":
        assessment_services.elderly_condition_change_report(
            actor=SYSTEM, recipient=recipient, **kwargs
        )
    with pytest.raises(ValidationError) as error:
        assessment_services.elderly_condition_change_report(
            actor=SYSTEM, recipient=recipient, **kwargs
        )
    assert words in " ".join(error.value.message_dict[field])


def test_a_person_without_an_assessment_needs_a_first_one() -> None:
    with pytest.raises(ValidationError, match="首次"):
        assessment_services.elderly_condition_change_report(
            actor=SYSTEM,
            recipient=build.recipient(CICHENG_VILLAGE, name="未评估"),
            changed_on=timezone.localdate(),
            note="跌倒",
        )


def test_the_page_and_the_api_report_a_change(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    assessment = create(assessed_on=today - timedelta(days=5))
    worker = client_for(users[Role.SOCIAL_WORKER])
    page = worker.get(assessment.get_absolute_url()).content.decode()
    assert 'id="condition-change-form"' in page
    auditor_page = client_for(users[Role.AUDITOR]).get(assessment.get_absolute_url())
    assert 'id="condition-change-form"' not in auditor_page.content.decode()
    url = reverse("cases:elderlyassessment_condition_change", args=[assessment.pk])
    assert client_for(users[Role.AUDITOR]).post(url, {}).status_code == 403
    response = worker.post(
        url, {"condition_changed_on": today.isoformat(), "condition_change_note": "走失一次"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.condition_changed_on, assessment.next_due) == (today, today)
    page = worker.get(assessment.get_absolute_url()).content.decode()
    assert 'id="condition-change"' in page and "走失一次" in page

    other = create(assessed_on=today - timedelta(days=5))
    api = api_client_for(users[Role.STATION_MANAGER])
    answer = api.post(
        reverse("api:elderlyassessment-condition-change", args=[other.pk]),
        {"changed_on": today.isoformat(), "note": ""},
        format="json",
    )
    assert answer.status_code == 400 and "note" in answer.json()
    answer = api.post(
        reverse("api:elderlyassessment-condition-change", args=[other.pk]),
        {"changed_on": today.isoformat(), "note": "住院"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["condition_changed_on"] == today.isoformat()
    assert answer.json()["next_due"] == today.isoformat()


# --- the qualifications' own pages and API -----------------------------------------------


class AssessorQualificationCases(ModelTestBase):
    model = AssessorQualification

    def make_object(self, code: str, n: int = 0) -> AssessorQualification:
        worker = build.worker(code, name=f"评估社工{n:03d}")
        return AssessorQualification.objects.create(
            social_worker=worker,
            kind="assessor",
            number=f"PG{n:05d}",
            valid_from=date(2025, 1, 1),
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "social_worker": build.worker(code).pk,
            "kind": "training",
            "number": "PX2026",
            "issued_by": "宁波市民政局",
            "valid_from": "2026-01-05",
            "valid_to": "2028-01-04",
        }

    def edit_data(self, obj: AssessorQualification) -> dict[str, Any]:
        return {
            "social_worker": obj.social_worker_id,
            "kind": obj.kind,
            "number": obj.number,
            "issued_by": "浙江省民政厅",
            "valid_from": obj.valid_from.isoformat(),
            "valid_to": "",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "social_worker": build.worker(code).pk,
            "kind": "medical",
            "valid_from": "2024-05-01",
        }

    def api_patch(self, obj: AssessorQualification) -> dict[str, Any]:
        return {"issued_by": "浙江省民政厅"}

    def object_label(self, obj: AssessorQualification) -> str:
        return str(obj.social_worker)


class TestAssessorQualificationViews(AssessorQualificationCases, ModelViewTests):
    pass


class TestAssessorQualificationAPI(AssessorQualificationCases, ModelAPITests):
    pass


def test_a_qualification_ends_no_earlier_than_it_starts() -> None:
    item = AssessorQualification(
        social_worker=build.worker(CICHENG_VILLAGE),
        kind="assessor",
        valid_from=date(2026, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "valid_to" in error.value.message_dict
