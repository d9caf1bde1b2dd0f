"""Merging duplicates (services.recipient_merge): managers only; every related row of the
merged record — in any app, found through the reverse relations — moves to the record kept;
categories are united and empty fields filled; the merged record is kept, marked merged, and
both histories stay readable."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.cases.models import Case, ServiceRecord
from swstation.core.roles import Role
from swstation.recipients.models import IdentityView, Recipient
from swstation.recipients.services import (
    merge_relations,
    recipient_merge,
    recipient_reveal_identity,
    recipient_update,
)
from tests.clients import client_for
from tests.recipients.helpers import id_number, make_household, make_recipient
from tests.workforce.helpers import CICHENG, person, station

pytestmark = pytest.mark.django_db

NUMBER = id_number(date(1944, 4, 4), serial=31)


@pytest.fixture
def pair() -> tuple[Recipient, Recipient]:
    keep = make_recipient(name="吴奶奶", number=NUMBER, categories=("elderly_living_alone",))
    household = make_household(head_name="吴爷爷")
    merge = make_recipient(
        name="吴奶奶",
        number="",
        document_type="none",
        no_document_reason="录入时未带证件",
        birth=date(1944, 4, 4),
        birth_date=date(1944, 4, 4),
        phone="13811112222",
        household=household,
        guardian_name="吴小华",
        categories=("subsistence_allowance", "elderly_living_alone"),
    )
    return keep, merge


def related_rows(merge: Recipient) -> tuple[Case, ServiceRecord]:
    the_station = station(CICHENG)
    worker = person(CICHENG, station=the_station)
    case = Case.objects.create(
        number="CC-2026-001",
        recipient=merge,
        station=the_station,
        worker=worker,
        opened_on=date(2026, 1, 10),
        presenting_problem="独居，行动不便",
    )
    service = ServiceRecord.objects.create(
        recipient=merge,
        case=case,
        station=the_station,
        worker=worker,
        served_on=date(2026, 1, 12),
        service_type="home_visit",
        duration_minutes=45,
    )
    return case, service


def test_merge_moves_everything_and_keeps_both_records_and_histories(
    users: dict[str, Any], pair: tuple[Recipient, Recipient]
) -> None:
    keep, merge = pair
    manager = users[Role.STATION_MANAGER]
    case, service = related_rows(merge)
    earlier = make_recipient(
        name="吴奶奶（旧）", number="", document_type="none", no_document_reason="旧档"
    )
    earlier.status, earlier.merged_into = "merged", merge
    earlier.save()
    recipient_reveal_identity(actor=users[Role.SOCIAL_WORKER], recipient=merge, field="phone")

    kept = recipient_merge(actor=manager, keep=keep, merge=merge)

    case.refresh_from_db()
    service.refresh_from_db()
    earlier.refresh_from_db()
    merge.refresh_from_db()
    assert case.recipient == kept and service.recipient == kept
    assert case.history.first().history_user == manager  # type: ignore[attr-defined]
    assert earlier.merged_into == kept
    assert {c.code for c in kept.categories.all()} == {
        "elderly_living_alone",
        "subsistence_allowance",
    }
    assert kept.phone_masked == "138****2222"  # filled from the merged record
    assert kept.household == merge.household and kept.guardian_name == "吴小华"
    assert kept.id_number_masked == keep.id_number_masked  # its own number stays
    assert (merge.status, merge.merged_into) == ("merged", kept)
    assert Recipient.objects.filter(pk=merge.pk).exists()
    # The log of full views stays with the record that was viewed.
    assert IdentityView.objects.get().recipient == merge
    latest = kept.history.first()  # type: ignore[attr-defined]
    assert latest.history_user == manager and f"#{merge.pk}" in latest.history_change_reason
    merged_history = merge.history.all()  # type: ignore[attr-defined]
    assert merged_history.first().status == "merged"
    assert merged_history.count() >= 2  # its own history before the merge is still there


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR])
def test_only_managers_may_merge(
    role: str, users: dict[str, Any], pair: tuple[Recipient, Recipient]
) -> None:
    keep, merge = pair
    with pytest.raises(PermissionDenied):
        recipient_merge(actor=users[role], keep=keep, merge=merge)
    response = client_for(users[role]).post(
        f"/recipients/{keep.pk}/merge/", {"merge": merge.pk, "confirm": "on"}
    )
    assert response.status_code == 403
    merge.refresh_from_db()
    assert merge.status == "active"


def test_two_different_numbers_are_two_people(users: dict[str, Any]) -> None:
    keep = make_recipient(name="郑一", number=id_number(date(1950, 1, 1)))
    other = make_recipient(name="郑一", number=id_number(date(1950, 1, 1)))
    with pytest.raises(ValidationError) as exc:
        recipient_merge(actor=users[Role.STATION_MANAGER], keep=keep, merge=other)
    assert "merge" in exc.value.message_dict


def test_a_record_cannot_be_merged_twice_or_into_itself(
    users: dict[str, Any], pair: tuple[Recipient, Recipient]
) -> None:
    keep, merge = pair
    manager = users[Role.STATION_MANAGER]
    with pytest.raises(ValidationError):
        recipient_merge(actor=manager, keep=keep, merge=keep)
    recipient_merge(actor=manager, keep=keep, merge=merge)
    with pytest.raises(ValidationError):
        recipient_merge(actor=manager, keep=keep, merge=merge)
    with pytest.raises(ValidationError):
        recipient_merge(actor=manager, keep=merge, merge=keep)


def test_a_merged_record_is_read_only_history(
    users: dict[str, Any], pair: tuple[Recipient, Recipient]
) -> None:
    keep, merge = pair
    recipient_merge(actor=users[Role.STATION_MANAGER], keep=keep, merge=merge)
    merge.refresh_from_db()
    with pytest.raises(ValidationError):
        recipient_update(actor=users[Role.SOCIAL_WORKER], recipient=merge, note="改")
    client = client_for(users[Role.SOCIAL_WORKER])
    response = client.get(f"/recipients/{merge.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == merge.get_absolute_url()
    page = client.get(merge.get_absolute_url()).content.decode()
    assert 'id="merged-banner"' in page and keep.get_absolute_url() in page
    keep_page = client.get(keep.get_absolute_url()).content.decode()
    assert 'id="merged-records"' in keep_page and merge.get_absolute_url() in keep_page


def test_the_merge_page_lists_duplicates_and_merges(
    users: dict[str, Any], pair: tuple[Recipient, Recipient]
) -> None:
    keep, merge = pair
    client = client_for(users[Role.STATION_MANAGER])
    person_page = client.get(keep.get_absolute_url()).content.decode()
    assert f"?merge={merge.pk}" in person_page  # flagged as a possible duplicate
    page = client.get(f"/recipients/{keep.pk}/merge/", {"merge": merge.pk}).content.decode()
    assert merge.get_absolute_url() in page
    response = client.post(f"/recipients/{keep.pk}/merge/", {"merge": merge.pk})
    assert response.status_code == 200  # the confirmation box is required
    merge.refresh_from_db()
    assert merge.status == "active"
    response = client.post(f"/recipients/{keep.pk}/merge/", {"merge": 999999, "confirm": "on"})
    assert "999999" in response.content.decode()
    response = client.post(f"/recipients/{keep.pk}/merge/", {"merge": merge.pk, "confirm": "on"})
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.merged_into == keep


def test_the_api_merges_for_managers(
    users: dict[str, Any], pair: tuple[Recipient, Recipient]
) -> None:
    keep, merge = pair
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.DISTRICT_OFFICER])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(f"/api/v1/recipients/{keep.pk}/merge/", {"merge": 999999}, format="json")
    assert response.status_code == 400 and "merge" in response.json()
    response = client.post(
        f"/api/v1/recipients/{keep.pk}/merge/", {"merge": merge.pk}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()["categories"]) == {"elderly_living_alone", "subsistence_allowance"}
    assert Recipient.objects.get(pk=merge.pk).merged_into_id == keep.pk


def test_the_merge_finds_the_relations_of_other_apps_by_itself() -> None:
    names = {relation.get_accessor_name() for relation in merge_relations()}
    assert {"cases", "services", "visit_schedules", "merged_records"} <= names
    assert "identity_views" not in names
