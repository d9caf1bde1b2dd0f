"""The recipients API as clients use it: paginated with ``count``; each record with
``region_code``, ``categories`` (codes) and a masked ``id_number``; the filters of the brief;
writes through the services (consent, documents, duplicates)."""

from datetime import date
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from tests.recipients.helpers import (
    CICHENG_VILLAGE,
    CICHENG_VILLAGE_2,
    id_number,
    make_household,
    make_recipient,
)
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users: dict[str, Any]) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.SOCIAL_WORKER])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(api: APIClient, **params: Any) -> set[int]:
    response = api.get("/api/v1/recipients/", params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_the_list_shape(api: APIClient) -> None:
    number = id_number(date(1945, 9, 9), serial=21)  # odd: male, whatever ran before
    person = make_recipient(
        name="冯爷爷", number=number, categories=("elderly_living_alone", "advanced_age")
    )
    data = api.get("/api/v1/recipients/").json()
    assert {"count", "next", "previous", "results"} <= data.keys()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["id"] == person.pk
    assert row["region_code"] == CICHENG_VILLAGE
    assert sorted(row["categories"]) == ["advanced_age", "elderly_living_alone"]
    assert row["id_number"] == person.id_number_masked and row["id_number"] != number
    assert "*" in row["id_number"]
    assert row["sex"] == "male" and row["birth_date"] == "1945-09-09"
    assert row["age"] == person.age and row["is_minor"] is False
    assert "confirm_duplicates" not in row


def test_filters(api: APIClient) -> None:
    the_station = station(CICHENG)
    alone = make_recipient(name="甲", categories=("elderly_living_alone",), station=the_station)
    poor = make_recipient(CICHENG_VILLAGE_2, name="乙", categories=("subsistence_allowance",))
    moved = make_recipient(name="丙", status="moved")
    number = id_number(date(1960, 6, 6))
    by_number = make_recipient(name="丁", number=number)
    assert ids(api, category="elderly_living_alone") == {alone.pk}
    assert ids(api, region_code=CICHENG_VILLAGE_2) == {poor.pk}
    assert ids(api, region_code="330205103") == {alone.pk, poor.pk, moved.pk, by_number.pk}
    assert ids(api, status="moved") == {moved.pk}
    assert ids(api, station=the_station.pk) == {alone.pk}
    assert ids(api, q="乙") == {poor.pk}
    assert ids(api, q=number) == {by_number.pk}
    assert ids(api, q=number.lower()) == {by_number.pk}
    assert ids(api, q=number[:10]) == set()  # numbers match exactly, never by part


def test_create_derives_sex_and_birth_date_and_returns_the_masked_number(api: APIClient) -> None:
    number = id_number(date(1939, 10, 1), serial=42)
    household = make_household()
    response = api.post(
        "/api/v1/recipients/",
        {
            "name": "褚奶奶",
            "region_code": CICHENG_VILLAGE,
            "id_number": number,
            "phone": "13866667777",
            "household": household.pk,
            "categories": ["elderly_alone"],
            "consent_given": True,
            "consent_on": "2026-02-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["sex"] == "female" and data["birth_date"] == "1939-10-01"
    assert data["id_number"] != number and data["id_number"].endswith(number[-4:])
    assert data["phone"] == "138****7777"
    assert data["categories"] == ["elderly_alone"]
    recipient = Recipient.objects.get(pk=data["id"])
    assert recipient.household == household


def test_create_errors_name_their_fields(api: APIClient) -> None:
    response = api.post(
        "/api/v1/recipients/",
        {"name": "卫某", "region_code": CICHENG_VILLAGE, "id_number": "330205193910010001"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "id_number" in errors
    assert "consent_given" in errors
    response = api.post(
        "/api/v1/recipients/",
        {
            "name": "卫某",
            "region_code": CICHENG,
            "consent_given": True,
            "consent_on": "2026-01-01",
            "document_type": "none",
            "no_document_reason": "无",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "region_code" in response.json()
    assert not Recipient.objects.exists()


def test_duplicates_need_confirmation_through_the_api(api: APIClient) -> None:
    first = make_recipient(name="同名人", number=id_number(date(1950, 5, 5)))
    payload = {
        "name": "同名人",
        "birth_date": "1950-05-05",
        "region_code": CICHENG_VILLAGE,
        "document_type": "none",
        "no_document_reason": "未带证件",
        "consent_given": True,
        "consent_on": "2026-02-01",
    }
    response = api.post("/api/v1/recipients/", payload, format="json")
    assert response.status_code == 400
    assert f"#{first.pk}" in response.json()["confirm_duplicates"][0]
    response = api.post(
        "/api/v1/recipients/", {**payload, "confirm_duplicates": True}, format="json"
    )
    assert response.status_code == 201


def test_the_same_number_is_refused_even_confirmed(api: APIClient) -> None:
    number = id_number(date(1950, 5, 5))
    first = make_recipient(number=number)
    payload = {
        "name": "另一人",
        "region_code": CICHENG_VILLAGE,
        "id_number": number,
        "consent_given": True,
        "consent_on": "2026-02-01",
        "confirm_duplicates": True,
    }
    response = api.post("/api/v1/recipients/", payload, format="json")
    assert response.status_code == 400
    assert f"#{first.pk}" in response.json()["id_number"][0]
    assert "证件号码" in response.json()["id_number"][0]
    assert Recipient.objects.count() == 1


def test_patch_keeps_the_number_and_cannot_mark_merged(api: APIClient) -> None:
    person = make_recipient()
    token = person.id_number_encrypted
    response = api.patch(f"/api/v1/recipients/{person.pk}/", {"note": "新"}, format="json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.id_number_encrypted == token and person.note == "新"
    response = api.patch(f"/api/v1/recipients/{person.pk}/", {"status": "merged"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
