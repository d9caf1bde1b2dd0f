"""Service records: the service's rules, the quick entry form for phones, the recipient search
behind it, and the list filters (type, month, station, worker, recipient, category)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.cases.models import Case, ServiceRecord, VisitSchedule
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.recipients.models import Category
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, YUEHU_COMMUNITY
from tests.clients import client_for

pytestmark = pytest.mark.django_db

OTHER_CICHENG_VILLAGE = "330205103202"
KONGPU_VILLAGE = "330205003001"  # 孔浦街道, also in 江北区 but another township


# --- the service -------------------------------------------------------------------------


def test_the_station_defaults_to_the_workers() -> None:
    worker = build.worker(CICHENG_VILLAGE)
    record = services.service_record_create(
        actor=SYSTEM,
        recipient=build.recipient(CICHENG_VILLAGE),
        worker=worker,
        served_on=date(2026, 1, 5),
        service_type="phone",
        duration_minutes=10,
    )
    assert record.station == worker.station


def test_the_worker_must_belong_to_the_station() -> None:
    stranger = build.worker(KONGPU_VILLAGE)
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=SYSTEM,
            recipient=build.recipient(CICHENG_VILLAGE),
            worker=stranger,
            station=build.station(CICHENG_VILLAGE),
            served_on=date(2026, 1, 5),
            service_type="phone",
            duration_minutes=10,
        )
    message = caught.value.message_dict["worker"][0]
    assert stranger.name in message and build.station(CICHENG_VILLAGE).name in message


def test_a_worker_on_no_station_or_gone_before_the_day_is_refused() -> None:
    loose = build.workforce.person(build.CICHENG_VILLAGE[:9] + "000", name="无站社工")
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=SYSTEM,
            recipient=build.recipient(CICHENG_VILLAGE),
            worker=loose,
            served_on=date(2026, 1, 5),
            service_type="phone",
            duration_minutes=10,
        )
    assert "worker" in caught.value.error_dict
    gone = build.worker(CICHENG_VILLAGE, left_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=SYSTEM,
            recipient=build.recipient(CICHENG_VILLAGE),
            worker=gone,
            served_on=date(2026, 1, 5),
            service_type="phone",
            duration_minutes=10,
        )
    assert "2026-01-01" in caught.value.message_dict["worker"][0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"served_on": timezone.localdate() + timedelta(days=1)}, "served_on"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"service_type": "dancing"}, "service_type"),
    ],
)
def test_refusals_name_the_field(change: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {
        "actor": SYSTEM,
        "recipient": build.recipient(CICHENG_VILLAGE),
        "worker": build.worker(CICHENG_VILLAGE),
        "served_on": date(2026, 1, 5),
        "service_type": "phone",
        "duration_minutes": 10,
    }
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(**(fields | change))
    assert field in caught.value.error_dict


def test_the_recipient_must_be_visible_to_the_author(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=users[Role.SOCIAL_WORKER],
            recipient=build.recipient(YUEHU_COMMUNITY),
            worker=build.worker(CICHENG_VILLAGE),
            served_on=date(2026, 1, 5),
            service_type="phone",
            duration_minutes=10,
        )
    assert set(caught.value.error_dict) == {"recipient"}


def test_a_merged_recipient_gets_no_new_records() -> None:
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=SYSTEM,
            recipient=build.recipient(CICHENG_VILLAGE, status="merged"),
            worker=build.worker(CICHENG_VILLAGE),
            served_on=date(2026, 1, 5),
            service_type="phone",
            duration_minutes=10,
        )
    assert "recipient" in caught.value.error_dict


def test_a_schedule_ends_after_it_starts() -> None:
    with pytest.raises(ValidationError) as caught:
        services.visit_schedule_create(
            actor=SYSTEM,
            recipient=build.recipient(CICHENG_VILLAGE),
            worker=build.worker(CICHENG_VILLAGE),
            service_type="health_visit",
            times_per_month=2,
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 1, 1),
        )
    assert "ends_on" in caught.value.error_dict
    assert not VisitSchedule.objects.exists()


# --- quick entry -------------------------------------------------------------------------


@pytest.fixture
def linked(users: dict[str, Any]) -> Any:
    """The social worker user linked to a worker record on 慈城镇's station."""
    return build.worker(CICHENG_VILLAGE, name="我自己", user=users[Role.SOCIAL_WORKER])


def test_quick_entry_records_for_the_linked_worker_today(
    users: dict[str, Any], linked: Any
) -> None:
    person = build.recipient(CICHENG_VILLAGE, name="快速录入对象")
    client = client_for(users[Role.SOCIAL_WORKER])
    page = client.get(reverse("cases:servicerecord_quick"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="worker"' not in body  # the worker is the user's own record
    assert timezone.localdate().isoformat() in body  # the date starts at today
    assert 'inputmode="numeric"' in body and "btn-check" in body
    response = client.post(
        reverse("cases:servicerecord_quick"),
        {
            "recipient": person.pk,
            "served_on": timezone.localdate().isoformat(),
            "service_type": "health_visit",
            "duration_minutes": 25,
            "notes": "测血压",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:servicerecord_quick"))
    record = ServiceRecord.objects.get(recipient=person)
    assert (record.worker, record.station) == (linked, linked.station)
    assert (record.service_type, record.duration_minutes, record.notes) == (
        "health_visit",
        25,
        "测血压",
    )
    assert record.history.first().history_user == users[Role.SOCIAL_WORKER]
    # The next visit is one tap away: the recipient just served is offered at once.
    assert f'value="{person.pk}"' in client.get(response["Location"]).content.decode()


def test_quick_entry_offers_only_the_workers_station_recipients(
    users: dict[str, Any], linked: Any
) -> None:
    other_township = build.recipient(KONGPU_VILLAGE, name="别镇对象")
    client = client_for(users[Role.SOCIAL_WORKER])
    response = client.post(
        reverse("cases:servicerecord_quick"),
        {
            "recipient": other_township.pk,
            "served_on": "2026-01-05",
            "service_type": "phone",
            "duration_minutes": 5,
        },
    )
    assert response.status_code == 200
    assert "recipient" in response.context["form"].errors
    assert not ServiceRecord.objects.exists()


def test_quick_entry_shows_missing_fields(users: dict[str, Any], linked: Any) -> None:
    response = client_for(users[Role.SOCIAL_WORKER]).post(reverse("cases:servicerecord_quick"), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "recipient",
        "served_on",
        "service_type",
        "duration_minutes",
    }
    assert "该字段是必填项" in response.content.decode()


def test_quick_entry_refuses_a_future_day(users: dict[str, Any], linked: Any) -> None:
    response = client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("cases:servicerecord_quick"),
        {
            "recipient": build.recipient(CICHENG_VILLAGE).pk,
            "served_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "service_type": "phone",
            "duration_minutes": 5,
        },
    )
    assert response.status_code == 200
    assert "served_on" in response.context["form"].errors


def test_a_manager_without_a_worker_record_picks_the_worker(users: dict[str, Any]) -> None:
    worker = build.worker(CICHENG_VILLAGE, name="被选社工")
    person = build.recipient(CICHENG_VILLAGE)
    client = client_for(users[Role.STATION_MANAGER])
    assert 'name="worker"' in client.get(reverse("cases:servicerecord_quick")).content.decode()
    response = client.post(
        reverse("cases:servicerecord_quick"),
        {
            "recipient": person.pk,
            "worker": worker.pk,
            "served_on": "2026-01-05",
            "service_type": "assistance",
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.get(recipient=person).worker == worker


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
def test_quick_entry_is_for_roles_that_record(role: str, users: dict[str, Any]) -> None:
    assert client_for(users[role]).get(reverse("cases:servicerecord_quick")).status_code == 403


def test_quick_entry_prefills_from_the_due_list(users: dict[str, Any], linked: Any) -> None:
    person = build.recipient(CICHENG_VILLAGE, name="待探访对象")
    body = (
        client_for(users[Role.SOCIAL_WORKER])
        .get(
            reverse("cases:servicerecord_quick"),
            {"recipient": person.pk, "service_type": "health_visit"},
        )
        .content.decode()
    )
    assert f'value="{person.pk}" checked' in body
    assert 'value="health_visit" autocomplete="off" checked' in body


# --- recipient search --------------------------------------------------------------------


def test_recipient_search_by_name_within_scope_and_station(users: dict[str, Any]) -> None:
    here = build.recipient(CICHENG_VILLAGE, name="王阿婆")
    other_village = build.recipient(OTHER_CICHENG_VILLAGE, name="王阿公")
    other_township = build.recipient(KONGPU_VILLAGE, name="王大爷")
    outside = build.recipient(YUEHU_COMMUNITY, name="王奶奶")
    build.recipient(CICHENG_VILLAGE, name="王故去", status="deceased")
    url = reverse("cases:recipient_search")

    body = client_for(users[Role.DISTRICT_OFFICER]).get(url, {"q": "王"}).content.decode()
    for person in (here, other_village, other_township):
        assert f'value="{person.pk}"' in body
    assert "王奶奶" not in body and "王故去" not in body
    assert f'name="recipient" value="{here.pk}"' in body

    station = build.station(CICHENG_VILLAGE)
    body = (
        client_for(users[Role.DISTRICT_OFFICER])
        .get(url, {"q": "王", "station": station.pk, "name": "recipient"})
        .content.decode()
    )
    assert "王阿婆" in body and "王阿公" in body and "王大爷" not in body

    assert "王" not in client_for(users[Role.SOCIAL_WORKER]).get(url).content.decode()
    assert (
        outside.name
        not in client_for(users[Role.SOCIAL_WORKER]).get(url, {"q": "王奶"}).content.decode()
    )


# --- list filters ------------------------------------------------------------------------


def test_list_filters(users: dict[str, Any]) -> None:
    worker, colleague = build.worker(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE)
    elder = build.recipient(CICHENG_VILLAGE, name="甲对象")
    child = build.recipient(CICHENG_VILLAGE, name="乙对象")
    alone, _ = Category.objects.get_or_create(code="test-alone", defaults={"name": "测试独居"})
    elder.categories.add(alone)
    a = build.record(elder, worker, date(2026, 1, 5), "home_visit")
    b = build.record(elder, colleague, date(2026, 2, 5), "phone")
    c = build.record(child, worker, date(2026, 1, 31), "counselling")
    d = build.record(
        build.recipient(KONGPU_VILLAGE, name="丙对象"),
        build.worker(KONGPU_VILLAGE),
        date(2026, 1, 6),
    )
    client = client_for(users[Role.DISTRICT_OFFICER])

    def found(**params: Any) -> set[int]:
        response = client.get(reverse("api:servicerecord-list"), params)
        assert response.status_code == 200, response.content
        page = client.get(reverse("cases:servicerecord_list"), params)
        assert page.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert found() == {a.pk, b.pk, c.pk, d.pk}
    assert found(service_type="phone") == {b.pk}
    assert found(month="2026-01") == {a.pk, c.pk, d.pk}
    assert found(month="2026-02") == {b.pk}
    assert found(station=worker.station_id) == {a.pk, b.pk, c.pk}
    assert found(worker=worker.pk) == {a.pk, c.pk}
    assert found(recipient=elder.pk) == {a.pk, b.pk}
    assert found(category=alone.pk) == {a.pk, b.pk}
    assert found(q="乙对象") == {c.pk}
    assert found(region_code="330205003") == {d.pk}
    assert found(served_after="2026-01-06", served_before="2026-01-31") == {c.pk, d.pk}


def test_auditors_do_not_see_minors_records(users: dict[str, Any]) -> None:
    worker = build.worker(CICHENG_VILLAGE)
    minor = build.recipient(CICHENG_VILLAGE, name="未成年对象", birth_date=date(2015, 1, 1))
    adult = build.recipient(CICHENG_VILLAGE, name="成年对象", birth_date=date(1950, 1, 1))
    build.record(minor, worker, date(2026, 1, 5))
    build.record(adult, worker, date(2026, 1, 5))
    body = client_for(users[Role.AUDITOR]).get(reverse("cases:servicerecord_list")).content.decode()
    assert "成年对象" in body and "未成年对象" not in body
    body = (
        client_for(users[Role.SUPERVISOR]).get(reverse("cases:servicerecord_list")).content.decode()
    )
    assert "成年对象" in body and "未成年对象" in body


# --- linking a case ----------------------------------------------------------------------


def make_case(person: Any, worker: Any, number: str) -> Case:
    return Case.objects.create(
        number=number,
        recipient=person,
        station=worker.station,
        worker=worker,
        opened_on=date(2026, 1, 2),
        presenting_problem="独居，行动不便",
    )


def test_a_record_names_a_case_of_its_recipient(users: dict[str, Any], linked: Any) -> None:
    person, other = build.recipient(CICHENG_VILLAGE), build.recipient(CICHENG_VILLAGE)
    own = make_case(person, linked, "TEST-REC-1")
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=users[Role.SOCIAL_WORKER],
            recipient=other,
            worker=linked,
            case=own,
            served_on=date(2026, 1, 5),
            service_type="counselling",
            duration_minutes=50,
        )
    assert "TEST-REC-1" in caught.value.message_dict["case"][0]
    record = services.service_record_create(
        actor=users[Role.SOCIAL_WORKER],
        recipient=person,
        worker=linked,
        case=own,
        served_on=date(2026, 1, 5),
        service_type="counselling",
        duration_minutes=50,
    )
    assert record.case == own


def test_case_choices_are_the_social_workers_own(users: dict[str, Any], linked: Any) -> None:
    own = make_case(build.recipient(CICHENG_VILLAGE), linked, "TEST-OWN-1")
    theirs = make_case(
        build.recipient(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE), "TEST-THEIRS-1"
    )
    # The choices are the chosen person's cases (tests/cases/test_case_choice.py), of those
    # the user may choose.
    add = reverse("cases:servicerecord_add")
    worker = client_for(users[Role.SOCIAL_WORKER])
    assert "TEST-OWN-1" in worker.get(add, {"recipient": own.recipient_id}).content.decode()
    body = worker.get(add, {"recipient": theirs.recipient_id}).content.decode()
    assert "TEST-THEIRS-1" not in body
    body = client_for(users[Role.STATION_MANAGER]).get(add, {"recipient": theirs.recipient_id})
    assert "TEST-THEIRS-1" in body.content.decode()
    assert own.pk != theirs.pk
