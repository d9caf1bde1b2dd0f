"""Who sees what of a recipient: numbers always masked in pages, lists, exports and the API;
birth date, address and contacts' phones masked for auditors; minors' records visible only to
SENSITIVE_READERS (not auditors) — in the list, the detail page, the API, the exports and the
history; health notes shown to them only on request, each view logged (test_reveal.py), and
never to auditors."""

import csv
import io
from datetime import date
from typing import Any

import pytest

from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.models import SENSITIVE_READERS, Recipient
from swstation.recipients.selectors import recipient_list, years_ago
from swstation.recipients.services import recipient_update
from tests.clients import api_for, client_for
from tests.recipients.helpers import id_number, make_household, make_recipient

pytestmark = pytest.mark.django_db

ROLES = sorted(ALL_ROLES)
HEALTH = "高血压，需定期随访"


@pytest.fixture
def adult() -> Recipient:
    return make_recipient(
        name="孙大爷",
        number=id_number(date(1941, 7, 9), serial=11),
        phone="13812345678",
        address="慈城镇解放路12号",
        health_notes=HEALTH,
        guardian_name="孙小明",
        guardian_phone="13700001111",
    )


@pytest.fixture
def minor() -> Recipient:
    today = date.today()
    return make_recipient(
        name="小明同学",
        number=id_number(date(today.year - 10, 3, 3), serial=13),
        guardian_name="孙大爷",
        categories=("child_in_difficulty",),
    )


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_masks_numbers_for_all_and_personal_data_for_auditors(
    role: str, users: dict[str, Any], adult: Recipient
) -> None:
    number = adult.id_number_masked
    body = client_for(users[role]).get(adult.get_absolute_url()).content.decode()
    assert number in body
    assert "13812345678" not in body
    assert "138****5678" in body
    full = id_number(date(1941, 7, 9), serial=11)
    assert full not in body
    masked_role = role == Role.AUDITOR
    assert ("慈城镇解放路12号" in body) != masked_role
    assert ("1941-07-09" in body) != masked_role
    assert "13700001111" not in body  # a guardian's phone: masked for every role (issue 16)
    assert "137****1111" in body
    # Health notes: behind a logged "show" for those who may read them, never for auditors.
    assert HEALTH not in body
    assert ('name="field" value="health_notes"' in body) == (role in SENSITIVE_READERS)


@pytest.mark.parametrize("role", ROLES)
def test_api_masks_numbers_for_all_and_never_returns_health_notes(
    role: str, users: dict[str, Any], adult: Recipient
) -> None:
    response = api_for(users[role]).get(f"/api/v1/recipients/{adult.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["id_number"] == adult.id_number_masked
    assert data["phone"] == "138****5678"
    assert "health_notes" not in data  # read through reveal-identity, logged
    if role == Role.AUDITOR:
        assert data["birth_date"] != "1941-07-09"
        assert data["address"] != "慈城镇解放路12号"
    else:
        assert data["birth_date"] == "1941-07-09"
    assert data["guardian_phone"] == "137****1111"  # masked for every role (issue 16)


@pytest.mark.parametrize("role", ROLES)
def test_minors_are_left_out_for_auditors_everywhere(
    role: str, users: dict[str, Any], adult: Recipient, minor: Recipient
) -> None:
    user = users[role]
    sees = role in SENSITIVE_READERS
    assert minor.is_minor and not adult.is_minor
    assert (minor in recipient_list(actor=user)) == sees
    client = client_for(user)
    listing = client.get("/recipients/", {"per_page": 250}).content.decode()
    assert "孙大爷" in listing
    assert ("小明同学" in listing) == sees
    assert client.get(minor.get_absolute_url()).status_code == (200 if sees else 404)
    assert client.get(f"/recipients/{minor.pk}/history/").status_code == (200 if sees else 404)
    export = client.get("/recipients/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    names = {row[0] for row in csv.reader(io.StringIO(text))}
    assert ("小明同学" in names) == sees
    api = api_for(user)
    ids = {row["id"] for row in api.get("/api/v1/recipients/").json()["results"]}
    assert (minor.pk in ids) == sees
    assert api.get(f"/api/v1/recipients/{minor.pk}/").status_code == (200 if sees else 404)


def test_a_household_page_leaves_minors_out_for_auditors(users: dict[str, Any]) -> None:
    household = make_household(head_name="孙大爷")
    make_recipient(name="孙大爷", household=household)
    today = date.today()
    make_recipient(name="孙小妹", household=household, number=id_number(date(today.year - 5, 1, 1)))
    auditor_page = client_for(users[Role.AUDITOR]).get(household.get_absolute_url())
    worker_page = client_for(users[Role.SOCIAL_WORKER]).get(household.get_absolute_url())
    assert "孙小妹" not in auditor_page.content.decode()
    assert "孙小妹" in worker_page.content.decode()


def test_exports_mask_birth_date_and_address_for_auditors_and_never_hold_numbers(
    users: dict[str, Any], adult: Recipient
) -> None:
    full = id_number(date(1941, 7, 9), serial=11)
    for role, masked in ((Role.AUDITOR, True), (Role.SOCIAL_WORKER, False)):
        response = client_for(users[role]).get("/recipients/", {"export": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert full not in text and "13812345678" not in text
        assert adult.id_number_masked in text
        assert ("1941-07-09" in text) != masked
        assert ("慈城镇解放路12号" in text) != masked
        assert HEALTH not in text  # never a column


def test_history_says_health_notes_changed_not_what_they_say(
    users: dict[str, Any], adult: Recipient
) -> None:
    """A history is not a way around the logged view: it says the notes changed (to those
    who may read them), never their text; auditors do not learn even that."""
    recipient_update(actor=users[Role.SOCIAL_WORKER], recipient=adult, health_notes="已好转")
    auditor = client_for(users[Role.AUDITOR]).get(f"/recipients/{adult.pk}/history/")
    worker = client_for(users[Role.SOCIAL_WORKER]).get(f"/recipients/{adult.pk}/history/")
    auditor_body, worker_body = auditor.content.decode(), worker.content.decode()
    assert "已好转" not in auditor_body and HEALTH not in auditor_body
    assert "健康状况" not in auditor_body
    assert "已好转" not in worker_body and HEALTH not in worker_body
    assert "健康状况" in worker_body and "已填写（详见记录页）" in worker_body
    for body in (auditor_body, worker_body):
        assert adult.id_number_encrypted not in body
        assert adult.id_number_hash not in body


def test_age_and_minor_filters(users: dict[str, Any], adult: Recipient, minor: Recipient) -> None:
    api = api_for(users[Role.SOCIAL_WORKER])

    def ids(**params: Any) -> set[int]:
        return {r["id"] for r in api.get("/api/v1/recipients/", params).json()["results"]}

    age = adult.age
    assert age is not None
    assert ids(is_minor="true") == {minor.pk}
    assert ids(is_minor="false") == {adult.pk}
    assert ids(age_min=age) == {adult.pk}
    assert ids(age_min=age + 1) == set()
    assert ids(age_max=age) == {adult.pk, minor.pk}
    assert ids(age_max=age - 1) == {minor.pk}
    assert ids(age_min=0, age_max=17) == {minor.pk}


def test_years_ago_handles_29_february() -> None:
    assert years_ago(18, today=date(2024, 2, 29)) == date(2006, 2, 28)
    assert years_ago(18, today=date(2026, 11, 22)) == date(2008, 11, 22)
