"""Training (classes, courses, attendance and its hours) and supervision (sessions,
participants, a supervisor's hours, follow-ups due)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from swstation.core.roles import Role
from swstation.workforce.models import Attendance, SupervisionSession, TalentEntry
from tests.clients import api_for, client_for
from tests.workforce import helpers

pytestmark = pytest.mark.django_db


# --- training -----------------------------------------------------------------------------


def test_attendance_hours_cannot_exceed_the_course(users: dict[str, Any]) -> None:
    course = helpers.course(helpers.CICHENG, hours="3")
    worker = helpers.person(helpers.CICHENG)
    attendance = Attendance(course=course, social_worker=worker, hours=Decimal("3.5"))
    with pytest.raises(ValidationError) as caught:
        attendance.full_clean()
    assert "hours" in caught.value.message_dict
    attendance.hours = Decimal("3")
    attendance.full_clean()


def test_the_page_and_the_api_refuse_too_many_hours(users: dict[str, Any]) -> None:
    course = helpers.course(helpers.CICHENG, hours="2")
    worker = helpers.person(helpers.CICHENG)
    data = {"course": course.pk, "social_worker": worker.pk, "hours": "2.5"}
    response = client_for(users[Role.STATION_MANAGER]).post("/workforce/attendance/add/", data)
    assert response.status_code == 200
    assert "hours" in response.context["form"].errors
    response = api_for(users[Role.STATION_MANAGER]).post("/api/v1/attendance/", data, format="json")
    assert response.status_code == 400
    assert "hours" in response.json()
    assert not Attendance.objects.exists()


def test_one_attendance_per_person_and_course(users: dict[str, Any]) -> None:
    course = helpers.course(helpers.CICHENG)
    worker = helpers.person(helpers.CICHENG)
    Attendance.objects.create(course=course, social_worker=worker, hours=Decimal("1"))
    data = {"course": course.pk, "social_worker": worker.pk, "hours": "1"}
    response = client_for(users[Role.STATION_MANAGER]).post("/workforce/attendance/add/", data)
    assert response.status_code == 200
    assert Attendance.objects.count() == 1


def test_the_class_page_lists_its_courses(users: dict[str, Any]) -> None:
    klass = helpers.training_class(helpers.CICHENG, name="文鼎班2024")
    helpers.course(helpers.CICHENG, title="个案工作实务", hours="3", training_class=klass)
    helpers.course(helpers.CICHENG, title="小组工作方法", hours="2.5", training_class=klass)
    helpers.course(helpers.CICHENG, title="别的课", hours="1")
    response = client_for(users[Role.SOCIAL_WORKER]).get(klass.get_absolute_url())
    body = response.content.decode()
    assert "个案工作实务" in body and "小组工作方法" in body and "别的课" not in body
    assert response.context["total_hours"] == Decimal("5.5")


def test_the_course_page_lists_attendance_with_total_hours(users: dict[str, Any]) -> None:
    course = helpers.course(helpers.CICHENG, title="督导技巧", hours="4")
    for name, hours in (("甲", "4"), ("乙", "2.5")):
        Attendance.objects.create(
            course=course,
            social_worker=helpers.person(helpers.CICHENG, name=name),
            hours=Decimal(hours),
        )
    response = client_for(users[Role.DISTRICT_OFFICER]).get(course.get_absolute_url())
    assert response.status_code == 200
    assert response.context["total_hours"] == Decimal("6.5")
    body = response.content.decode()
    assert "甲" in body and "乙" in body and "6.5" in body


# --- supervision --------------------------------------------------------------------------


def _session(code: str, topic: str, **extra: Any) -> SupervisionSession:
    return SupervisionSession.objects.create(
        supervisor=extra.pop("supervisor", None) or helpers.supervisor(code),
        station=helpers.station(code),
        held_on=extra.pop("held_on", date(2024, 3, 1)),
        hours=Decimal(extra.pop("hours", "2")),
        topic=topic,
        **extra,
    )


def test_the_session_page_lists_participants(users: dict[str, Any]) -> None:
    session = _session(helpers.CICHENG, "个案研讨")
    session.participants.add(
        helpers.person(helpers.CICHENG, name="参与甲"),
        helpers.person(helpers.CICHENG, name="参与乙"),
    )
    response = client_for(users[Role.SUPERVISOR]).get(session.get_absolute_url())
    body = response.content.decode()
    assert "参与甲" in body and "参与乙" in body
    assert len(response.context["participants"]) == 2


def test_the_supervisor_page_lists_sessions_and_total_hours(users: dict[str, Any]) -> None:
    supervisor = helpers.supervisor(helpers.JIANGBEI, name="褚督导")
    _session(helpers.CICHENG, "第一次", supervisor=supervisor, hours="2")
    _session(helpers.CICHENG, "第二次", supervisor=supervisor, hours="1.5")
    _session(helpers.CICHENG, "别人的", hours="3")
    response = client_for(users[Role.DISTRICT_OFFICER]).get(supervisor.get_absolute_url())
    body = response.content.decode()
    assert "第一次" in body and "第二次" in body and "别人的" not in body
    assert response.context["total_hours"] == Decimal("3.5")


def test_follow_up_filters(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    _session(helpers.CICHENG, "逾期未办", follow_up_due=today - timedelta(days=3))
    _session(helpers.CICHENG, "待办未到期", follow_up_due=today + timedelta(days=3))
    _session(helpers.CICHENG, "已办", follow_up_due=today - timedelta(days=3), follow_up_done=True)
    _session(helpers.CICHENG, "无跟进")
    client = api_for(users[Role.SUPERVISOR])

    def topics(value: str) -> set[str]:
        response = client.get("/api/v1/supervision-sessions/", {"follow_up": value})
        assert response.status_code == 200
        return {row["topic"] for row in response.json()["results"]}

    assert topics("pending") == {"逾期未办", "待办未到期"}
    assert topics("overdue") == {"逾期未办"}
    assert topics("done") == {"已办"}
    page = client_for(users[Role.SUPERVISOR]).get(
        "/workforce/supervision-sessions/", {"follow_up": "pending"}
    )
    body = page.content.decode()
    assert "逾期未办" in body and "已办" not in body and "无跟进" not in body


def test_supervisors_record_sessions_but_do_not_delete_them(users: dict[str, Any]) -> None:
    session = _session(helpers.CICHENG, "记录")
    client = client_for(users[Role.SUPERVISOR])
    assert client.get("/workforce/supervision-sessions/add/").status_code == 200
    assert client.post(f"/workforce/supervision-sessions/{session.pk}/delete/").status_code == 403
    assert SupervisionSession.objects.filter(pk=session.pk).exists()


def test_talent_entry_validity_is_checked(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    response = client_for(users[Role.DISTRICT_OFFICER]).post(
        "/workforce/talent/add/",
        {
            "social_worker": worker.pk,
            "catalogue": "leading",
            "listed_on": "2024-01-01",
            "valid_until": "2023-01-01",
        },
    )
    assert response.status_code == 200
    assert "valid_until" in response.context["form"].errors
    assert not TalentEntry.objects.exists()
