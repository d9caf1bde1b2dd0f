"""People and certificates: the services' rules (shared by the pages and the API), the person's
page, and masking of personal data for auditors."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from swstation.core.roles import Role
from swstation.workforce.models import (
    Attendance,
    Certificate,
    SocialWorker,
    SupervisionSession,
    TalentEntry,
)
from swstation.workforce.services import people as services
from tests.clients import api_for, client_for
from tests.workforce import helpers

pytestmark = pytest.mark.django_db


# --- social_worker_create / social_worker_update ------------------------------------------


def test_a_person_on_a_station_works_in_the_stations_region(users: dict[str, Any]) -> None:
    station = helpers.station(helpers.CICHENG)
    worker = services.social_worker_create(
        actor=users[Role.STATION_MANAGER],
        name="王芳",
        station=station,
        region=helpers.region(helpers.JIANGBEI),  # overridden: the station decides
    )
    assert worker.region == station.region
    assert worker.history.first().history_user == users[Role.STATION_MANAGER]


def test_moving_to_another_station_moves_the_region(users: dict[str, Any]) -> None:
    worker = services.social_worker_create(
        actor=users[Role.CITY_ADMIN], name="李强", station=helpers.station(helpers.CICHENG)
    )
    elsewhere = helpers.station(helpers.YUEHU)
    services.social_worker_update(
        actor=users[Role.CITY_ADMIN], social_worker=worker, station=elsewhere
    )
    worker.refresh_from_db()
    assert worker.region.code == helpers.YUEHU
    assert worker.history.count() == 2


def test_a_person_without_station_needs_a_region(users: dict[str, Any]) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.social_worker_create(actor=users[Role.CITY_ADMIN], name="赵敏")
    assert "region" in caught.value.message_dict
    assert not SocialWorker.objects.exists()


def test_person_dates_are_checked(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.social_worker_create(
            actor=users[Role.CITY_ADMIN],
            name="周杰",
            region=helpers.region(helpers.CICHENG),
            hired_on=date(2022, 5, 1),
            left_on=date(2021, 5, 1),
        )
    assert "left_on" in caught.value.message_dict


def test_update_refuses_unknown_fields(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    with pytest.raises(TypeError):
        services.social_worker_update(actor=users[Role.CITY_ADMIN], social_worker=worker, pk=9)


def test_add_page_sets_the_region_from_the_station(users: dict[str, Any]) -> None:
    station = helpers.station(helpers.CICHENG)
    response = client_for(users[Role.STATION_MANAGER]).post(
        "/workforce/social-workers/add/",
        {"name": "陈静", "station": station.pk, "post": "social_worker", "is_fulltime": "on"},
    )
    assert response.status_code == 302
    assert SocialWorker.objects.get(name="陈静").region == station.region


def test_add_page_without_station_or_region_says_which_field(users: dict[str, Any]) -> None:
    response = client_for(users[Role.CITY_ADMIN]).post(
        "/workforce/social-workers/add/", {"name": "陈静", "post": "social_worker"}
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not SocialWorker.objects.exists()


def test_api_create_with_station_only(users: dict[str, Any]) -> None:
    station = helpers.station(helpers.CICHENG)
    response = api_for(users[Role.STATION_MANAGER]).post(
        "/api/v1/social-workers/", {"name": "接口社工", "station": station.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["region_code"] == helpers.CICHENG


def test_api_cannot_name_a_station_outside_the_jurisdiction(users: dict[str, Any]) -> None:
    response = api_for(users[Role.STATION_MANAGER]).post(
        "/api/v1/social-workers/",
        {"name": "接口社工", "station": helpers.station(helpers.YUEHU).pk},
        format="json",
    )
    assert response.status_code == 400
    assert "station" in response.json()
    assert not SocialWorker.objects.exists()


# --- certificate_create -------------------------------------------------------------------


def test_certificate_create_records_the_author(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    certificate = services.certificate_create(
        actor=users[Role.STATION_MANAGER],
        social_worker=worker,
        level="assistant",
        number="  A-001 ",
        obtained_on=date(2021, 6, 1),
    )
    assert certificate.number == "A-001"
    assert certificate.history.first().history_user == users[Role.STATION_MANAGER]


def test_the_same_level_twice_is_a_clean_error(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG, name="孙丽")
    helpers.certificate(worker, "assistant", date(2020, 6, 1))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.certificate_create(
            actor=users[Role.CITY_ADMIN],
            social_worker=worker,
            level="assistant",
            number="A-002",
            obtained_on=date(2021, 6, 1),
        )
    message = caught.value.message_dict["level"][0]
    assert "孙丽" in message and "Assistant social worker" in message
    assert worker.certificates.count() == 1


def test_a_higher_level_is_fine(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    helpers.certificate(worker, "assistant", date(2020, 6, 1))
    services.certificate_create(
        actor=users[Role.CITY_ADMIN],
        social_worker=worker,
        level="intermediate",
        number="B-001",
        obtained_on=date(2022, 6, 1),
    )
    assert worker.certificates.count() == 2


def test_certificate_numbers_are_unique(users: dict[str, Any]) -> None:
    helpers.certificate(helpers.person(helpers.CICHENG), "assistant", date(2020, 6, 1), "N-1")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.certificate_create(
            actor=users[Role.CITY_ADMIN],
            social_worker=helpers.person(helpers.CICHENG, name="另一人"),
            level="assistant",
            number="N-1",
            obtained_on=date(2021, 6, 1),
        )
    assert "N-1" in caught.value.message_dict["number"][0]


def test_a_certificate_is_not_dated_in_the_future(users: dict[str, Any]) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.certificate_create(
            actor=users[Role.CITY_ADMIN],
            social_worker=helpers.person(helpers.CICHENG),
            level="assistant",
            number="F-1",
            obtained_on=tomorrow,
        )
    assert "obtained_on" in caught.value.message_dict
    assert not Certificate.objects.exists()


def test_certificate_update_keeps_the_rules(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    helpers.certificate(worker, "assistant", date(2020, 6, 1))
    second = helpers.certificate(worker, "intermediate", date(2022, 6, 1))
    with pytest.raises(ValidationError) as caught:
        services.certificate_update(
            actor=users[Role.CITY_ADMIN], certificate=second, level="assistant"
        )
    assert "level" in caught.value.message_dict
    services.certificate_update(actor=users[Role.CITY_ADMIN], certificate=second, level="senior")
    second.refresh_from_db()
    assert second.level == "senior"


def test_the_page_shows_the_duplicate_level_on_the_level_field(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG, name="孙丽")
    helpers.certificate(worker, "assistant", date(2020, 6, 1))
    response = client_for(users[Role.STATION_MANAGER]).post(
        "/workforce/certificates/add/",
        {
            "social_worker": worker.pk,
            "level": "assistant",
            "number": "A-9",
            "obtained_on": "2021-06-01",
            "method": "exam",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "孙丽" in errors["level"][0]
    assert worker.certificates.count() == 1


def test_the_api_answers_a_duplicate_level_with_400(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG, name="孙丽")
    helpers.certificate(worker, "assistant", date(2020, 6, 1), "A-1")
    client = api_for(users[Role.DISTRICT_OFFICER])
    data = {
        "social_worker": worker.pk,
        "level": "assistant",
        "number": "A-2",
        "obtained_on": "2021-06-01",
    }
    response = client.post("/api/v1/certificates/", data, format="json")
    assert response.status_code == 400
    assert "孙丽" in response.json()["level"][0]
    response = client.post(
        "/api/v1/certificates/", {**data, "level": "senior", "number": "A-1"}, format="json"
    )
    assert response.status_code == 400
    assert "A-1" in response.json()["number"][0]
    assert worker.certificates.count() == 1


def test_add_certificate_link_prefills_the_person(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    response = client_for(users[Role.STATION_MANAGER]).get(
        "/workforce/certificates/add/", {"social_worker": worker.pk}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and str(form["social_worker"].value()) == str(worker.pk)


# --- the person's page --------------------------------------------------------------------


def test_the_person_page_shows_the_whole_picture(users: dict[str, Any], make_user: Any) -> None:
    station = helpers.station(helpers.CICHENG)
    account = make_user(Role.SOCIAL_WORKER)
    worker = helpers.person(helpers.CICHENG, name="钱多多", station=station, user=account)
    helpers.certificate(worker, "assistant", date(2019, 6, 1), "HIST-1")
    helpers.certificate(worker, "intermediate", date(2022, 6, 1), "HIST-2")
    for title, hours in (("个案工作", "3"), ("小组工作", "2.5")):
        Attendance.objects.create(
            course=helpers.course(helpers.CICHENG, title=title, hours="4"),
            social_worker=worker,
            hours=Decimal(hours),
        )
    session = SupervisionSession.objects.create(
        supervisor=helpers.supervisor(helpers.JIANGBEI, name="吴督导"),
        station=station,
        held_on=date(2024, 3, 1),
        hours=Decimal("2"),
        topic="个案督导",
    )
    session.participants.add(worker)
    TalentEntry.objects.create(
        social_worker=worker, catalogue="leading", listed_on=date(2023, 1, 1)
    )

    response = client_for(users[Role.DISTRICT_OFFICER]).get(worker.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("HIST-1") < body.index("HIST-2")  # history in the order obtained
    assert response.context["level"] == "intermediate"
    assert response.context["training_hours"] == Decimal("5.5")
    assert "5.5" in body and "个案督导" in body and "吴督导" in body
    assert station.name in body and station.get_absolute_url() in body
    assert account.get_absolute_url() in body  # district officers may open accounts
    assert list(response.context["talent_entries"]) == list(worker.talent_entries.all())

    manager_page = client_for(users[Role.STATION_MANAGER]).get(worker.get_absolute_url())
    assert account.username in manager_page.content.decode()
    assert account.get_absolute_url() not in manager_page.content.decode()


def test_the_person_page_says_when_there_is_no_certificate(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG)
    response = client_for(users[Role.SOCIAL_WORKER]).get(worker.get_absolute_url())
    assert response.status_code == 200
    assert response.context["level"] is None
    assert response.context["training_hours"] == Decimal("0")


# --- masking ------------------------------------------------------------------------------


def test_auditors_see_phone_and_birth_date_masked_everywhere(users: dict[str, Any]) -> None:
    worker = helpers.person(
        helpers.CICHENG, name="郑伟", phone="13812345678", birth_date=date(1990, 5, 17)
    )
    auditor, manager = users[Role.AUDITOR], users[Role.DISTRICT_OFFICER]

    page = client_for(auditor).get(worker.get_absolute_url()).content.decode()
    assert "13812345678" not in page and "138****5678" in page
    assert "1990-05-17" not in page
    # Masked for the officer too: shown in full on request, logged (test_staff_phone_reveal.py).
    officer_page = client_for(manager).get(worker.get_absolute_url()).content.decode()
    assert "13812345678" not in officer_page and "138****5678" in officer_page

    listing = client_for(auditor).get("/workforce/social-workers/", {"q": "郑伟"})
    assert "138****5678" in listing.content.decode()
    assert "13812345678" not in listing.content.decode()

    export = client_for(auditor).get("/workforce/social-workers/", {"q": "郑伟", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert "13812345678" not in cells and "1990-05-17" not in cells
    assert "138****5678" in cells

    row = api_for(auditor).get(f"/api/v1/social-workers/{worker.pk}/").json()
    assert row["phone"] == "138****5678"
    assert row["birth_date"] != "1990-05-17"
    row = api_for(manager).get(f"/api/v1/social-workers/{worker.pk}/").json()
    assert row["phone"] == "138****5678" and row["birth_date"] == "1990-05-17"

    history = client_for(auditor).get(f"/workforce/social-workers/{worker.pk}/history/")
    assert "13812345678" not in history.content.decode()


def test_auditors_see_supervisor_phones_masked(users: dict[str, Any]) -> None:
    supervisor = helpers.supervisor(helpers.JIANGBEI, name="冯督导", phone="13712345678")
    page = client_for(users[Role.AUDITOR]).get(supervisor.get_absolute_url()).content.decode()
    assert "13712345678" not in page and "137****5678" in page
    row = api_for(users[Role.AUDITOR]).get(f"/api/v1/supervisors/{supervisor.pk}/").json()
    assert row["phone"] == "137****5678"


def test_a_station_manager_edit_keeps_the_login_account(
    users: dict[str, Any], make_user: Any
) -> None:
    """Station managers may not see accounts: their form has no account field to blank out."""
    account = make_user(Role.SOCIAL_WORKER)
    worker = helpers.person(helpers.CICHENG, name="林娜", user=account)
    client = client_for(users[Role.STATION_MANAGER])
    form = client.get(f"/workforce/social-workers/{worker.pk}/edit/").context["form"]
    assert "user" not in form.fields
    response = client.post(
        f"/workforce/social-workers/{worker.pk}/edit/",
        {"name": "林娜", "region": worker.region_id, "post": "assistant", "is_fulltime": "on"},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.user == account and worker.post == "assistant"
    city_form = client_for(users[Role.CITY_ADMIN]).get(
        f"/workforce/social-workers/{worker.pk}/edit/"
    )
    assert "user" in city_form.context["form"].fields
