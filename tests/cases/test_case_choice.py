"""The case of a service record or an assessment is one of the chosen person's cases (issue 10):
the add forms list only that person's cases (none before a person is chosen), a person chosen
in the form asks for theirs (htmx), and a case of someone else is refused with a Chinese message
naming the case and the person, nothing saved."""

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from swstation.cases.models import ServiceRecord
from swstation.core.roles import Role
from tests.cases import case_builders as build
from tests.clients import client_for
from tests.conftest import CICHENG, YUEHU

pytestmark = pytest.mark.django_db

ADD_PAGES = ("cases:servicerecord_add", "cases:childneedsassessment_add")


def case_options(body: str) -> list[str]:
    select = re.search(r'<select name="case".*?</select>', body, re.S)
    assert select is not None, "no case select"
    return re.findall(r'<option value="(\d+)"', select[0])


@pytest.fixture
def two_people(users: dict[str, Any]) -> Any:
    """A social worker's own cases for two people in 慈城镇."""
    me = build.worker_of(users[Role.SOCIAL_WORKER])
    first = build.make_case(CICHENG, case_worker=me)
    second = build.make_case(CICHENG, case_worker=me)
    return me, first, second


@pytest.mark.parametrize("page", ADD_PAGES)
def test_the_add_form_lists_the_chosen_persons_cases(
    page: str, users: dict[str, Any], two_people: Any
) -> None:
    _me, first, _second = two_people
    client = client_for(users[Role.SOCIAL_WORKER])
    url = reverse(page)
    assert case_options(client.get(url).content.decode()) == []  # no person yet
    body = client.get(url, {"recipient": first.recipient_id}).content.decode()
    assert case_options(body) == [str(first.pk)]
    assert "只列出上面所选服务对象的个案" in body
    assert f'hx-get="{reverse("cases:case_choices")}"' in body
    assert "change from:#id_recipient-picker" in body


def test_a_person_chosen_in_the_form_asks_for_their_cases(
    users: dict[str, Any], two_people: Any
) -> None:
    _me, _first, second = two_people
    url = reverse("cases:case_choices")
    worker = client_for(users[Role.SOCIAL_WORKER])
    body = worker.get(url, {"recipient": second.recipient_id}).content.decode()
    assert re.findall(r'value="(\d*)"', body) == ["", str(second.pk)]
    assert second.number in body and "- 请选择 -" in body
    assert re.findall(r'value="(\d+)"', worker.get(url).content.decode()) == []
    # a colleague's case of the same person is not the worker's to choose; the manager's it is
    colleague = build.make_case(
        CICHENG, recipient=second.recipient, case_worker=build.worker(CICHENG, name="同事社工")
    )
    body = worker.get(url, {"recipient": second.recipient_id}).content.decode()
    assert colleague.number not in body
    body = client_for(users[Role.STATION_MANAGER]).get(url, {"recipient": second.recipient_id})
    assert colleague.number in body.content.decode()
    # outside the jurisdiction: nothing
    outside = build.make_case(YUEHU)
    body = client_for(users[Role.DISTRICT_OFFICER]).get(url, {"recipient": outside.recipient_id})
    assert re.findall(r'value="(\d+)"', body.content.decode()) == []


def test_a_case_of_someone_else_is_refused_in_chinese(
    users: dict[str, Any], two_people: Any
) -> None:
    me, first, second = two_people
    response = client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("cases:servicerecord_add"),
        {
            "recipient": first.recipient_id,
            "case": second.pk,
            "station": me.station_id,
            "worker": me.pk,
            "served_on": date(2026, 2, 1).isoformat(),
            "service_type": "home_visit",
            "duration_minutes": 30,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"个案{second.number}不是{first.recipient.name}的个案" in body
    assert not ServiceRecord.objects.exists()
    # the form shown again lists the chosen person's cases only
    assert case_options(body) == [str(first.pk)]


def test_an_edited_record_keeps_its_persons_cases(users: dict[str, Any], two_people: Any) -> None:
    _me, first, _second = two_people
    record = build.service_record(first, date(2026, 1, 10))
    body = client_for(users[Role.SOCIAL_WORKER]).get(
        reverse("cases:servicerecord_edit", args=[record.pk])
    )
    assert case_options(body.content.decode()) == [str(first.pk)]
