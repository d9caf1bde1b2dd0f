"""The volunteers' rules: personal data kept as recipients' (masked for every role in pages and
the API, a full view only for the station's staff and logged), pairings' visits due following
the records, hours summed from the records and every registered source, the certificate, the
record page's panel, and the migration of the free text."""

import importlib
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from swstation.cases.models import ServiceRecord
from swstation.cases.selectors import home
from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.models import IdentityView
from swstation.volunteers import hours as hours_port
from swstation.volunteers import selectors, services
from swstation.volunteers.models import ServiceVolunteer, Volunteer, VolunteerTeam
from tests.clients import api_for as api_client
from tests.clients import client_for as page_client
from tests.volunteers import helpers as h

pytestmark = pytest.mark.django_db


# --- personal data -----------------------------------------------------------------------------


def test_numbers_are_stored_encrypted_and_read_masked_by_every_role(users: dict[str, Any]) -> None:
    volunteer = h.volunteer(name="王志愿", phone="13912345678")
    assert "13912345678" not in volunteer.phone_encrypted
    assert volunteer.phone_masked == "139****5678"
    for role in sorted(ALL_ROLES):
        data = api_client(users[role]).get(reverse("api:volunteer-list"), {"q": "王志愿"}).json()
        [row] = data["results"]
        assert row["phone"] == "139****5678"
        assert "*" in row["id_number"]
        assert row["region_code"] == volunteer.region.code
        body = page_client(users[role]).get(volunteer.get_absolute_url()).content.decode()
        assert "13912345678" not in body and "139****5678" in body


def test_found_by_exact_number_through_its_hash(users: dict[str, Any]) -> None:
    h.volunteer(name="李号码", phone="13800001234")
    data = api_client(users[Role.SOCIAL_WORKER]).get(
        reverse("api:volunteer-list"), {"q": "13800001234"}
    )
    assert [row["name"] for row in data.json()["results"]] == ["李号码"]


def test_auditor_may_not_reveal_and_nothing_is_logged(users: dict[str, Any]) -> None:
    volunteer = h.volunteer()
    for client in (page_client(users[Role.AUDITOR]),):
        response = client.post(
            reverse("volunteers:volunteer_reveal_identity", args=[volunteer.pk]),
            {"field": "id_number"},
        )
        assert response.status_code == 403
    response = api_client(users[Role.AUDITOR]).post(
        reverse("api:volunteer-reveal-identity", args=[volunteer.pk]), {"field": "phone"}
    )
    assert response.status_code == 403
    assert not IdentityView.objects.exists()


def test_social_worker_reveals_and_the_view_is_logged(users: dict[str, Any]) -> None:
    volunteer = h.volunteer(name="赵揭示", phone="13700007777")
    response = page_client(users[Role.SOCIAL_WORKER]).post(
        reverse("volunteers:volunteer_reveal_identity", args=[volunteer.pk]),
        {"field": "phone", "purpose": "联系探访"},
    )
    assert response.status_code == 200
    assert "13700007777" in response.content.decode()
    response = api_client(users[Role.STATION_MANAGER]).post(
        reverse("api:volunteer-reveal-identity", args=[volunteer.pk]), {"field": "id_number"}
    )
    assert response.status_code == 200 and len(response.json()["value"]) == 18
    lines = list(IdentityView.objects.order_by("pk"))
    assert [(line.field, line.user.role) for line in lines] == [
        ("phone", Role.SOCIAL_WORKER),
        ("id_number", Role.STATION_MANAGER),
    ]
    assert all("赵揭示" in line.whose and line.region_id == volunteer.region_id for line in lines)
    assert lines[0].purpose == "联系探访"


def test_reveal_out_of_scope_is_404(users: dict[str, Any]) -> None:
    volunteer = h.volunteer(h.YUEHU)
    response = page_client(users[Role.SOCIAL_WORKER]).post(
        reverse("volunteers:volunteer_reveal_identity", args=[volunteer.pk]), {"field": "phone"}
    )
    assert response.status_code == 404
    assert not IdentityView.objects.exists()


def test_bad_numbers_are_refused_in_chinese(users: dict[str, Any]) -> None:
    response = api_client(users[Role.SOCIAL_WORKER]).post(
        reverse("api:volunteer-list"),
        {
            "name": "错号",
            "id_number": "330205199001011234",
            "phone": "12",
            "region_code": h.village().code,
            "station": h.station().pk,
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "document_number" in errors or "id_number" in errors
    assert "phone" in errors
    assert Volunteer.objects.count() == 0


# --- pairings due ------------------------------------------------------------------------------


def test_pairing_due_follows_the_records_naming_the_volunteer(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    worker = h.worker(user=users[Role.SOCIAL_WORKER])
    pairing = h.pairing(worker_=worker, starts_on=today - timedelta(days=40), times_per_month=2)
    actor = users[Role.SOCIAL_WORKER]
    group = selectors.pairing_agenda_group(actor, today, 5)
    assert (group.overdue, group.kind) == (1, "pairings")
    assert group.items[0].recipient == pairing.recipient
    assert selectors.pairing_overdue_by_worker(actor, today) == {worker.pk: 1}
    # A service to the person without the volunteer does not count...
    record = h.record(pairing.recipient, worker, today - timedelta(days=3))
    assert selectors.pairing_agenda_group(actor, today, 5).overdue == 1
    # ...one naming the volunteer does: next visit in 12 days.
    h.named(record, pairing.volunteer)
    group = selectors.pairing_agenda_group(actor, today, 5)
    assert (group.overdue, group.today, group.soon) == (0, 0, 0)
    assert selectors.pairings_on_schedule(actor=actor, region=h.region(h.CICHENG), on=today) == (
        selectors.PairingSchedule(1, 1)
    )


def test_pairing_visit_records_a_service_naming_the_volunteer(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    worker = h.worker(user=users[Role.SOCIAL_WORKER])
    pairing = h.pairing(worker_=worker, starts_on=today - timedelta(days=40))
    client = page_client(users[Role.SOCIAL_WORKER])
    url = reverse("volunteers:pairing_visit", args=[pairing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"served_on": today.isoformat(), "duration_minutes": 45})
    assert response.status_code == 302
    row = ServiceVolunteer.objects.get()
    assert (row.volunteer, row.hours, row.record.recipient) == (
        pairing.volunteer,
        Decimal("0.75"),
        pairing.recipient,
    )
    assert row.record.worker == worker
    assert selectors.pairing_agenda_group(users[Role.SOCIAL_WORKER], today, 5).overdue == 0
    # An auditor may not record one.
    assert (
        page_client(users[Role.AUDITOR]).post(url, {"served_on": today.isoformat()}).status_code
        == 403
    )


def test_home_agenda_shows_the_pairings_group(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    worker = h.worker(user=users[Role.SOCIAL_WORKER])
    h.pairing(worker_=worker, starts_on=today - timedelta(days=40))
    agenda = home.worker_agenda(actor=users[Role.SOCIAL_WORKER], on=today)
    group = next(g for g in agenda.groups if g.kind == "pairings")
    assert group.overdue == 1 and group.label == "结对探访"


# --- hours ---------------------------------------------------------------------------------------


def test_hours_are_summed_from_the_records_and_the_registered_sources(
    users: dict[str, Any],
) -> None:
    volunteer = h.volunteer()
    worker = h.worker()
    person = h.recipient()
    h.named(h.record(person, worker, date(2025, 3, 1), minutes=120), volunteer, "2.00")
    h.named(h.record(person, worker, date(2025, 6, 1), minutes=90), volunteer, "1.50")
    h.named(h.record(person, worker, date(2024, 6, 1), minutes=60), volunteer, "1.00")

    def activities(ids: Any, period: Any) -> dict[int, Decimal]:
        return {volunteer.pk: Decimal("4.25")} if period[0].year == 2025 else {}

    hours_port.register_hours_source("test_activities", "社区活动", activities, order=50)
    try:
        years = {
            y.year: y for y in selectors.volunteer_hours_by_year(volunteer, date(2025, 12, 31))
        }
        assert years[2025].total == Decimal("7.75")
        by_source = dict(years[2025].by_source)
        assert (by_source["服务记录"], by_source["社区活动"]) == (Decimal("3.50"), Decimal("4.25"))
        assert years[2024].total == Decimal("1.00")
        figures = selectors.hours_by_area(
            actor=users[Role.CITY_ADMIN],
            region=h.region(h.CICHENG),
            period=(date(2025, 1, 1), date(2025, 12, 31)),
        )
        assert figures.total == Decimal("7.75")
        # The certificate: the page and the workbook say the same total.
        client = page_client(users[Role.STATION_MANAGER])
        url = reverse("volunteers:volunteer_certificate", args=[volunteer.pk])
        page = client.get(url, {"year": 2025})
        assert page.status_code == 200 and "7.75" in page.content.decode()
        response = client.get(url, {"year": 2025, "format": "xlsx"})
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert sheet["A1"].value == "志愿服务时长证明"
        total_row = next(row for row in values if row[0] == "合计时长")
        assert total_row[3] == pytest.approx(7.75)
        assert volunteer.name in sheet["A3"].value
        assert person.name not in str(values)  # the people served never leave on a certificate
    finally:
        hours_port._sources.pop("test_activities", None)


def test_hours_no_longer_than_the_service_and_station_checked(users: dict[str, Any]) -> None:
    record = h.record(h.recipient(), h.worker(), date(2025, 3, 1), minutes=30)
    client = api_client(users[Role.SOCIAL_WORKER])
    response = client.post(
        reverse("api:servicevolunteer-list"),
        {"record": record.pk, "volunteer": h.volunteer().pk, "hours": "2.00"},
        format="json",
    )
    assert response.status_code == 400 and "hours" in response.json()
    other_station = h.volunteer(h.YUEHU)
    response = page_client(users[Role.CITY_ADMIN]).post(
        reverse("volunteers:servicevolunteer_add"),
        {"record": record.pk, "volunteer": other_station.pk, "hours": "0.50"},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not ServiceVolunteer.objects.exists()


def test_record_page_shows_its_volunteers_and_the_form_no_longer_offers_text(
    users: dict[str, Any],
) -> None:
    volunteer = h.volunteer(name="孙帮忙")
    record = h.record(h.recipient(), h.worker(), date(2025, 3, 1), volunteers="红色帮帮团")
    h.named(record, volunteer, "0.50")
    client = page_client(users[Role.SOCIAL_WORKER])
    body = client.get(record.get_absolute_url()).content.decode()
    assert "孙帮忙" in body and "红色帮帮团" in body
    assert reverse("volunteers:servicevolunteer_add") + f"?record={record.pk}" in body
    form = client.get(reverse("cases:servicerecord_add")).content.decode()
    assert 'name="volunteers"' not in form
    data = (
        api_client(users[Role.SOCIAL_WORKER])
        .get(reverse("api:servicerecord-detail", args=[record.pk]))
        .json()
    )
    assert "volunteers" not in data


# --- the migration of the free text ---------------------------------------------------------


def test_free_text_becomes_volunteers_and_ambiguity_is_left_as_written() -> None:
    migration = importlib.import_module(
        "swstation.volunteers.migrations.0002_service_record_volunteers"
    )
    station = h.station()
    h.volunteer(name="王芳")
    h.volunteer(name="王芳")  # two of one name at the station: ambiguous
    known = h.volunteer(name="陈已有")
    worker, person = h.worker(), h.recipient()
    ambiguous = h.record(person, worker, date(2025, 3, 1), volunteers="王芳、李明 2人")
    team = h.record(person, worker, date(2025, 3, 2), volunteers="益相伴志愿服务队 3人")
    clean = h.record(person, worker, date(2025, 3, 3), minutes=50, volunteers="张三,陈已有")
    migration.forward(django_apps, None)
    new = Volunteer.objects.get(name="李明")
    assert (new.station, new.registered_on) == (station, date(2025, 3, 1))
    rows = ServiceVolunteer.objects.filter(record=ambiguous)
    assert [r.volunteer.name for r in rows] == ["李明"]
    assert ServiceRecord.objects.get(pk=ambiguous.pk).volunteers == "王芳、李明 2人"
    assert VolunteerTeam.objects.filter(station=station, name="益相伴志愿服务队").exists()
    assert not ServiceVolunteer.objects.filter(record=team).exists()
    assert ServiceRecord.objects.get(pk=team.pk).volunteers == "益相伴志愿服务队 3人"
    names = sorted(r.volunteer.name for r in ServiceVolunteer.objects.filter(record=clean))
    assert names == ["张三", "陈已有"]
    assert {r.hours for r in ServiceVolunteer.objects.filter(record=clean)} == {Decimal("0.83")}
    assert ServiceRecord.objects.get(pk=clean.pk).volunteers == ""
    assert known.service_hours.count() == 1


def test_services_deactivation_is_dated(users: dict[str, Any]) -> None:
    pairing = h.pairing()
    updated = services.pairing_update(
        actor=users[Role.STATION_MANAGER], pairing=pairing, active=False
    )
    assert updated.deactivated_on == timezone.localdate()


def test_the_person_page_names_their_paired_volunteer(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    pairing = h.pairing(by=h.volunteer(name="周结对"), starts_on=today - timedelta(days=40))
    body = page_client(users[Role.SOCIAL_WORKER]).get(pairing.recipient.get_absolute_url())
    text = body.content.decode()
    assert "结对志愿者" in text and "周结对" in text


def test_pairing_visit_through_the_api_and_the_due_filter(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    worker = h.worker(user=users[Role.SOCIAL_WORKER])
    late = h.pairing(worker_=worker, starts_on=today - timedelta(days=40))
    fresh = h.pairing(worker_=worker, starts_on=today - timedelta(days=1))
    client = api_client(users[Role.SOCIAL_WORKER])
    overdue = client.get(reverse("api:pairing-list"), {"due": "overdue"}).json()["results"]
    assert [row["id"] for row in overdue] == [late.pk]
    assert overdue[0]["next_due_on"] == (late.starts_on + timedelta(days=15)).isoformat()
    page = page_client(users[Role.SOCIAL_WORKER]).get(
        reverse("volunteers:pairing_list"), {"due": "overdue"}
    )
    assert late.recipient.name in page.content.decode()
    assert fresh.recipient.name not in page.content.decode()
    response = client.post(
        reverse("api:pairing-visit", args=[late.pk]),
        {"served_on": today.isoformat(), "duration_minutes": 30},
        format="json",
    )
    assert response.status_code == 201 and response.json()["hours"] == "0.50"
    assert client.get(reverse("api:pairing-list"), {"due": "overdue"}).json()["results"] == []
    auditor = api_client(users[Role.AUDITOR]).post(
        reverse("api:pairing-visit", args=[late.pk]),
        {"served_on": today.isoformat(), "duration_minutes": 30},
        format="json",
    )
    assert auditor.status_code == 403


def test_history_never_shows_ciphertexts_nor_hashes(users: dict[str, Any]) -> None:
    volunteer = h.volunteer(name="钱历史", phone="13612340000")
    services.volunteer_update(
        actor=users[Role.STATION_MANAGER], volunteer=volunteer, phone="13612349999"
    )
    url = reverse("volunteers:volunteer_history", args=[volunteer.pk])
    body = page_client(users[Role.STATION_MANAGER]).get(url).content.decode()
    assert "136****0000" in body  # the creation, masked (a change lists editable fields)
    assert volunteer.phone_encrypted[:20] not in body and volunteer.phone_hash not in body
    assert "gAAAA" not in body  # no Fernet token
