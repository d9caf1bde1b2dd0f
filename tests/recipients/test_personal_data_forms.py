"""A person's protected data on their edit page and in their history (issue 10, "Auditing"):
the edit page never holds the stored document number, phones or health notes (reading them is
the logged reveal of the person's page); a save that leaves those boxes empty keeps them, a
value typed replaces them; the history says what changed, masked, for every role."""

from datetime import date
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.crypto import decrypt
from swstation.core.roles import Role
from swstation.recipients.models import IdentityView, Recipient
from swstation.recipients.services import recipient_update
from tests.clients import client_for
from tests.recipients.helpers import id_number, make_recipient
from tests.recipients.test_pages_and_api import RecipientCases

pytestmark = pytest.mark.django_db

NUMBER = id_number(date(1948, 3, 9))
PHONE, GUARDIAN = "13812345678", "13698765432"
HEALTH = "高血压，每日服药"


@pytest.fixture
def person() -> Recipient:
    return make_recipient(
        name="钱奶奶",
        number=NUMBER,
        birth=date(1948, 3, 9),
        phone=PHONE,
        guardian_name="钱小明",
        guardian_phone=GUARDIAN,
        health_notes=HEALTH,
    )


def stored(person: Recipient) -> tuple[str, str, str, str]:
    person.refresh_from_db()
    return (
        decrypt(person.id_number_encrypted),
        decrypt(person.phone_encrypted),
        decrypt(person.guardian_phone_encrypted),
        person.health_notes,
    )


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.STATION_MANAGER])
def test_the_edit_page_holds_no_protected_value_and_an_untouched_save_keeps_them(
    role: str, users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[role])
    url = f"/recipients/{person.pk}/edit/"
    page = client.get(url).content.decode()
    for value in (NUMBER, PHONE, GUARDIAN, HEALTH):
        assert value not in page
    assert person.id_number_masked in page and person.phone_masked in page
    data = RecipientCases().edit_data(person) | {"guardian_name": "钱小明"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(person) == (NUMBER, PHONE, GUARDIAN, HEALTH)
    assert person.note == "已入户核实"
    assert not IdentityView.objects.exists()  # saving is no view


def test_values_typed_replace_the_stored_ones_and_a_wrong_one_is_refused_in_chinese(
    users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    url = f"/recipients/{person.pk}/edit/"
    data = RecipientCases().edit_data(person) | {"guardian_name": "钱小明"}
    typed = {"phone": "13900002222", "health_notes": "糖尿病"}
    assert client.post(url, data | typed).status_code == 302
    assert stored(person) == (NUMBER, "13900002222", GUARDIAN, "糖尿病")
    refused = client.post(url, data | {"phone": "12"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "手机" in body or "电话" in body
    assert stored(person)[1] == "13900002222"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DISTRICT_OFFICER, Role.AUDITOR])
def test_the_history_shows_protected_values_masked(
    role: str, users: dict[str, Any], person: Recipient
) -> None:
    recipient_update(
        actor=users[Role.SOCIAL_WORKER],
        recipient=person,
        phone="13900002222",
        health_notes="糖尿病",
    )
    response = client_for(users[role]).get(f"/recipients/{person.pk}/history/")
    assert response.status_code == 200
    body = response.content.decode()
    for value in (NUMBER, PHONE, GUARDIAN, HEALTH, "13900002222", "糖尿病"):
        assert value not in body
    assert "138****5678" in body
    # That the notes changed, never what they say (not even that, for an auditor).
    assert ("已填写（详见记录页）" in body) == (role != Role.AUDITOR)


def test_the_api_never_returns_the_protected_values_and_a_patch_keeps_them(
    users: dict[str, Any], person: Recipient
) -> None:
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.SOCIAL_WORKER])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = f"/api/v1/recipients/{person.pk}/"
    text = api.get(url).content.decode()
    for value in (NUMBER, PHONE, GUARDIAN, HEALTH):
        assert value not in text
    assert api.patch(url, {"note": "改备注"}, format="json").status_code == 200
    assert stored(person) == (NUMBER, PHONE, GUARDIAN, HEALTH)
