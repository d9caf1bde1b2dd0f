"""Dated service (issue 18): a registration date, an exit with its date and reason, and the
periods of each category — through the services, the API and the edit page; existing records
migrate with their creation date."""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from swstation.accounts.models import User
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.recipients.models import CategoryPeriod, Recipient, RecipientStatus
from swstation.recipients.services import (
    recipient_exit,
    recipient_merge,
    recipient_update,
)
from tests.recipients.helpers import CICHENG_VILLAGE, category, make_recipient, region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def periods(person: Recipient) -> list[tuple[str, date, date | None]]:
    return list(
        CategoryPeriod.objects.filter(recipient=person)
        .order_by("category__code", "valid_from")
        .values_list("category__code", "valid_from", "valid_to")
    )


# --- registration --------------------------------------------------------------------------


def test_a_person_is_registered_today_unless_told_otherwise() -> None:
    assert make_recipient().registered_on == TODAY
    back = make_recipient(name="补录", registered_on=date(2022, 4, 1))
    assert back.registered_on == date(2022, 4, 1)
    assert back.in_service_on(date(2022, 4, 1)) and not back.in_service_on(date(2022, 3, 31))


def test_a_registration_in_the_future_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        make_recipient(registered_on=TODAY + timedelta(days=30))
    assert set(caught.value.message_dict) == {"registered_on"}
    assert not Recipient.objects.exists()


# --- exit ---------------------------------------------------------------------------------


def test_an_exit_sets_the_status_and_is_kept_in_the_history() -> None:
    person = make_recipient(registered_on=date(2022, 1, 1))
    recipient_exit(
        actor=SYSTEM, recipient=person, exited_on=date(2024, 6, 1), reason="deceased", note="病故"
    )
    person.refresh_from_db()
    assert (person.status, person.exited_on, person.exit_reason) == (
        RecipientStatus.DECEASED,
        date(2024, 6, 1),
        "deceased",
    )
    assert person.in_service_on(date(2024, 5, 31)) and not person.in_service_on(date(2024, 6, 1))
    latest = person.history.first()
    assert latest is not None and "病故" in (latest.history_change_reason or "")


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("moved_away", RecipientStatus.MOVED),
        ("ineligible", RecipientStatus.INACTIVE),
        ("declined", RecipientStatus.INACTIVE),
    ],
)
def test_each_reason_leaves_its_status(reason: str, status: str) -> None:
    person = recipient_exit(
        actor=SYSTEM, recipient=make_recipient(), exited_on=TODAY, reason=reason
    )
    assert person.status == status


def test_an_exit_is_recorded_once() -> None:
    person = make_recipient(registered_on=date(2022, 1, 1))
    recipient_exit(actor=SYSTEM, recipient=person, exited_on=date(2024, 1, 1), reason="declined")
    with pytest.raises(StateConflict):
        recipient_exit(
            actor=SYSTEM, recipient=person, exited_on=date(2024, 2, 1), reason="deceased"
        )
    person.refresh_from_db()
    assert person.exit_reason == "declined"


def test_an_exit_before_the_registration_or_without_a_reason_is_refused() -> None:
    person = make_recipient(registered_on=date(2023, 1, 1))
    with pytest.raises(ValidationError) as caught:
        recipient_exit(
            actor=SYSTEM, recipient=person, exited_on=date(2022, 1, 1), reason="moved_away"
        )
    assert set(caught.value.message_dict) == {"exited_on"}
    with pytest.raises(ValidationError) as caught:
        recipient_exit(actor=SYSTEM, recipient=person, exited_on=TODAY, reason="bored")
    assert set(caught.value.message_dict) == {"reason"}
    person.refresh_from_db()
    assert person.status == RecipientStatus.ACTIVE and person.exited_on is None


def test_a_status_written_directly_stands_for_an_exit_today_or_a_return() -> None:
    person = make_recipient(status="moved")
    assert (person.exit_reason, person.exited_on) == ("moved_away", TODAY)
    person = recipient_update(actor=SYSTEM, recipient=person, status="active")
    assert person.status == RecipientStatus.ACTIVE and person.exited_on is None
    person = recipient_update(
        actor=SYSTEM, recipient=person, exited_on=TODAY, exit_reason="deceased"
    )
    assert person.status == RecipientStatus.DECEASED
    with pytest.raises(ValidationError) as caught:
        recipient_update(actor=SYSTEM, recipient=person, status="active", exit_reason="moved_away")
    assert set(caught.value.message_dict) == {"status"}


# --- categories over time -------------------------------------------------------------------


def test_categories_are_held_from_registration_and_end_the_day_before_a_change() -> None:
    person = make_recipient(registered_on=date(2021, 5, 1), categories=("subsistence_allowance",))
    assert periods(person) == [("subsistence_allowance", date(2021, 5, 1), None)]
    recipient_update(
        actor=SYSTEM,
        recipient=person,
        categories=[category("elderly_living_alone")],
        categories_since=date(2023, 1, 1),
    )
    assert periods(person) == [
        ("elderly_living_alone", date(2023, 1, 1), None),
        ("subsistence_allowance", date(2021, 5, 1), date(2022, 12, 31)),
    ]
    # Back in 低保 a year later: a new period; back the next day: the period goes on.
    recipient_update(
        actor=SYSTEM,
        recipient=person,
        categories=[category("elderly_living_alone"), category("subsistence_allowance")],
        categories_since=date(2024, 1, 1),
    )
    assert periods(person)[1:] == [
        ("subsistence_allowance", date(2021, 5, 1), date(2022, 12, 31)),
        ("subsistence_allowance", date(2024, 1, 1), None),
    ]
    assert set(person.categories.values_list("code", flat=True)) == {
        "elderly_living_alone",
        "subsistence_allowance",
    }


def test_a_category_removed_the_day_it_started_leaves_no_period() -> None:
    person = make_recipient(categories=("disabled",))
    recipient_update(actor=SYSTEM, recipient=person, categories=[], categories_since=TODAY)
    assert periods(person) == []


def test_overlapping_periods_of_one_category_are_refused() -> None:
    person = make_recipient(registered_on=date(2021, 1, 1), categories=("disabled",))
    period = CategoryPeriod(
        recipient=person, category=category("disabled"), valid_from=date(2022, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        period.full_clean()
    assert "valid_from" in caught.value.message_dict


def test_a_merge_joins_periods_and_keeps_the_earliest_registration(
    users: dict[str, User],
) -> None:
    undocumented = {"number": "", "document_type": "none", "no_document_reason": "未提供"}
    keep = make_recipient(
        name="甲",
        registered_on=date(2023, 1, 1),
        categories=("subsistence_allowance",),
        **undocumented,
    )
    merge = make_recipient(
        name="甲",
        registered_on=date(2021, 1, 1),
        categories=("subsistence_allowance", "disabled"),
        **undocumented,
    )
    recipient_merge(actor=users[Role.STATION_MANAGER], keep=keep, merge=merge)
    keep.refresh_from_db()
    assert keep.registered_on == date(2021, 1, 1)
    assert periods(keep) == [
        ("disabled", date(2021, 1, 1), None),
        ("subsistence_allowance", date(2021, 1, 1), None),
    ]
    assert periods(merge) == []


# --- the API and the edit page --------------------------------------------------------------


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_takes_the_dates_and_the_exit_action(users: dict[str, User]) -> None:
    client = _api(users[Role.STATION_MANAGER])
    created = client.post(
        "/api/v1/recipients/",
        {
            "name": "王登记",
            "region_code": CICHENG_VILLAGE,
            "document_type": "none",
            "no_document_reason": "未提供",
            "consent_given": True,
            "consent_on": "2022-03-01",
            "registered_on": "2022-03-01",
            "categories": ["subsistence_allowance"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["registered_on"] == "2022-03-01" and body["status"] == "active"
    assert body["category_periods"] == [
        {"category": "subsistence_allowance", "valid_from": "2022-03-01", "valid_to": None}
    ]
    url = f"/api/v1/recipients/{body['id']}/"
    changed = client.patch(url, {"categories": [], "categories_since": "2024-01-01"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["category_periods"][0]["valid_to"] == "2023-12-31"
    exited = client.post(f"{url}exit/", {"exited_on": "2025-01-02", "reason": "moved_away"})
    assert exited.status_code == 200, exited.content
    assert exited.json()["status"] == "moved" and exited.json()["exited_on"] == "2025-01-02"
    again = client.post(f"{url}exit/", {"exited_on": "2025-02-02", "reason": "deceased"})
    assert again.status_code == 409
    wrong = _api(users[Role.STATION_MANAGER]).post(
        f"{url}exit/", {"exited_on": "2025-02-02", "reason": "nope"}
    )
    assert wrong.status_code in (400, 409)


def test_roles_that_may_not_change_recipients_cannot_record_an_exit(
    users: dict[str, User],
) -> None:
    person = make_recipient()
    response = _api(users[Role.AUDITOR]).post(
        f"/api/v1/recipients/{person.pk}/exit/", {"exited_on": str(TODAY), "reason": "declined"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.exited_on is None


def test_the_edit_page_takes_the_registration_date_and_the_exit(users: dict[str, User]) -> None:
    person = make_recipient(registered_on=date(2023, 1, 1))
    client = Client()
    client.force_login(users[Role.STATION_MANAGER])
    page = client.get(f"/recipients/{person.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="registered_on"' in html and 'name="exit_reason"' in html
    form = {
        "name": person.name,
        "document_type": person.document_type,
        "region": region(CICHENG_VILLAGE).pk,
        "consent_given": "on",
        "consent_on": "2025-03-01",
        "registered_on": "2022-06-01",
        "exit_reason": "declined",
        "exited_on": "2024-06-01",
    }
    response = client.post(f"/recipients/{person.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.registered_on == date(2022, 6, 1)
    assert (person.status, person.exited_on) == (RecipientStatus.INACTIVE, date(2024, 6, 1))
    assert 'name="exit_reason"' not in client.get("/recipients/add/").content.decode()


# --- migration of existing records -----------------------------------------------------------


def test_existing_records_migrate_with_their_creation_date() -> None:
    migration = importlib.import_module("swstation.recipients.migrations.0006_dated_service")
    created = timezone.make_aware(datetime(2022, 8, 9, 23, 30))  # Shanghai time
    person = Recipient.objects.create(name="旧记录", region=region(CICHENG_VILLAGE))
    gone = Recipient.objects.create(name="旧记录乙", region=region(CICHENG_VILLAGE), status="moved")
    person.categories.add(category("disabled"))
    Recipient.objects.filter(pk__in=(person.pk, gone.pk)).update(
        created_at=created, updated_at=created + timedelta(days=400)
    )
    CategoryPeriod.objects.all().delete()
    migration.fill_dates(apps, None)
    migration.open_category_periods(apps, None)
    person.refresh_from_db()
    gone.refresh_from_db()
    assert person.registered_on == date(2022, 8, 9) and person.exited_on is None
    assert (gone.exit_reason, gone.exited_on) == ("moved_away", date(2023, 9, 13))
    assert periods(person) == [("disabled", date(2022, 8, 9), None)]


def test_existing_cases_get_their_log_from_their_history(users: dict[str, User]) -> None:
    from swstation.cases.models import Case, CaseStageChange
    from tests.cases import case_builders as build

    migration = importlib.import_module("swstation.cases.migrations.0005_stage_changes")
    case = build.make_case("330205103000", 1)
    case.opened_on = date(2023, 2, 1)
    case.save()
    for stage in ("assessment", "planning"):
        case.stage = stage
        case.save()
    Case.history.filter(id=case.pk).update(
        history_date=timezone.make_aware(datetime(2023, 5, 6, 10))
    )
    CaseStageChange.objects.all().delete()
    migration.build_logs(apps, None)
    assert list(
        CaseStageChange.objects.filter(case=case)
        .order_by("pk")
        .values_list("from_stage", "to_stage", "changed_on")
    ) == [
        ("", "intake", date(2023, 2, 1)),
        ("intake", "assessment", date(2023, 5, 6)),
        ("assessment", "planning", date(2023, 5, 6)),
    ]
