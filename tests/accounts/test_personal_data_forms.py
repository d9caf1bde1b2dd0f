"""An account's phone is masked outright, for every role (issue 10, "Auditing";
``User.protected_fields``): on the account's page, the list and its export, the API and the
history; no role's work on an account needs the number in full, so no reveal shows it. Sent
back masked (a PUT of the record as read), the number is kept; a number typed replaces it."""

from typing import Any

import pytest
from django.urls import reverse

from swstation.accounts.models import User
from swstation.core.history import record_author
from swstation.core.roles import Role
from tests.accounts.test_user_pages_and_api import UserCases
from tests.clients import api_for, client_for
from tests.workforce import helpers

pytestmark = pytest.mark.django_db

PHONE, MASKED = "13812345678", "138****5678"
NEW_PHONE, NEW_MASKED = "13900002222", "139****2222"


def _change_phone(record: Any, actor: Any) -> None:
    record.phone = NEW_PHONE
    record_author(record, actor)
    record.save()


@pytest.fixture
def account() -> User:
    return UserCases().make_object(helpers.CICHENG)


@pytest.mark.parametrize("role", [Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.AUDITOR])
def test_an_accounts_phone_is_masked_for_every_role(
    role: str, users: dict[str, Any], account: User
) -> None:
    client = client_for(users[role])
    page = client.get(reverse("accounts:user", args=[account.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert PHONE not in body and MASKED in body
    assert "/reveal-phone/" not in body
    listing = client.get(reverse("accounts:user_list"), {"q": "tester"}).content.decode()
    assert PHONE not in listing and MASKED in listing
    export = client.get(reverse("accounts:user_list"), {"q": "tester", "export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert PHONE not in text and MASKED in text
    api = api_for(users[role])
    assert api.get(f"/api/v1/users/{account.pk}/").json()["phone"] == MASKED
    assert PHONE not in api.get("/api/v1/users/").content.decode()


@pytest.mark.parametrize("role", [Role.CITY_ADMIN, Role.DISTRICT_OFFICER])
def test_an_accounts_history_shows_the_phone_masked(
    role: str, users: dict[str, Any], account: User
) -> None:
    _change_phone(account, users[Role.CITY_ADMIN])
    response = client_for(users[role]).get(reverse("accounts:user_history", args=[account.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert PHONE not in body and NEW_PHONE not in body
    assert MASKED in body and NEW_MASKED in body


def test_a_put_of_an_account_as_read_keeps_the_number(users: dict[str, Any], account: User) -> None:
    api = api_for(users[Role.CITY_ADMIN])
    url = f"/api/v1/users/{account.pk}/"
    row = api.get(url).json()
    assert row["phone"] == MASKED
    row["full_name"] = "改名"
    row.pop("password", None)
    response = api.put(url, row, format="json")
    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert (account.phone, account.full_name) == (PHONE, "改名")
    assert api.patch(url, {"phone": NEW_PHONE}, format="json").status_code == 200
    account.refresh_from_db()
    assert account.phone == NEW_PHONE
    refused = api.patch(url, {"phone": "12345"}, format="json")
    assert refused.status_code == 400
    account.refresh_from_db()
    assert account.phone == NEW_PHONE
