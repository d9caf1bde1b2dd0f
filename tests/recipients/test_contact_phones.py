"""Guardians' and emergency contacts' phones are personal data of third parties (issue 16):
like the person's own phone they are stored encrypted with a lookup hash and a masked copy,
shown masked to every role (pages, API, exports, history), and shown in full only to the roles
that may reveal numbers, each view logged with its purpose — which is required for them.
Before, they were stored in clear and shown in full to every role but auditors."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from swstation.core.crypto import decrypt, lookup_hash
from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.models import FULL_ID_READERS, IdentityView, Recipient
from swstation.recipients.services import (
    recipient_merge,
    recipient_reveal_identity,
    recipient_update,
)
from tests.clients import api_for, client_for
from tests.recipients.helpers import CICHENG_VILLAGE, id_number, make_recipient

pytestmark = pytest.mark.django_db

ROLES = sorted(ALL_ROLES)
GUARDIAN = "13700001111"
CONTACT = "13900002222"
NEW_GUARDIAN = "13600003333"
CLEAR = (GUARDIAN, CONTACT, NEW_GUARDIAN)


@pytest.fixture
def child() -> Recipient:
    return make_recipient(
        name="小林",
        guardian_name="林妈妈",
        guardian_relation="母亲",
        guardian_phone=GUARDIAN,
        emergency_contact_name="林外婆",
        emergency_contact_phone=CONTACT,
    )


def stored_values(table: str, pk: int, column: str = "id") -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [pk])
        return [str(value) for row in cursor.fetchall() for value in row]


def assert_no_clear_phone(text: str) -> None:
    for number in CLEAR:
        assert number not in text, number


def test_contact_phones_are_stored_encrypted_hashed_and_masked(child: Recipient) -> None:
    child.refresh_from_db()
    assert decrypt(child.guardian_phone_encrypted) == GUARDIAN
    assert child.guardian_phone_hash == lookup_hash(GUARDIAN)
    assert child.guardian_phone_masked == "137****1111"
    assert decrypt(child.emergency_contact_phone_encrypted) == CONTACT
    assert child.emergency_contact_phone_hash == lookup_hash(CONTACT)
    assert child.emergency_contact_phone_masked == "139****2222"
    assert_no_clear_phone(" ".join(stored_values("recipients_recipient", child.pk)))
    history = stored_values("recipients_historicalrecipient", child.pk)
    assert history and GUARDIAN not in " ".join(history) and CONTACT not in " ".join(history)


def test_a_bad_contact_phone_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        make_recipient(name="错号", guardian_phone="12345")
    assert "guardian_phone" in caught.value.message_dict


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_contact_phones_masked_on_pages_and_in_the_api(
    role: str, users: dict[str, Any], child: Recipient
) -> None:
    body = client_for(users[role]).get(child.get_absolute_url()).content.decode()
    assert_no_clear_phone(body)
    assert "137****1111" in body and "139****2222" in body
    data = api_for(users[role]).get(f"/api/v1/recipients/{child.pk}/").json()
    assert data["guardian_phone"] == "137****1111"
    assert data["emergency_contact_phone"] == "139****2222"
    assert_no_clear_phone(str(data))


def test_the_api_writes_clear_keeps_when_left_out_and_removes_with_an_empty_string(
    users: dict[str, Any],
) -> None:
    api = api_for(users[Role.SOCIAL_WORKER])
    created = api.post(
        "/api/v1/recipients/",
        {
            "name": "接口小孩",
            "id_number": id_number(),
            "region_code": CICHENG_VILLAGE,
            "consent_given": True,
            "consent_on": "2025-03-01",
            "guardian_phone": GUARDIAN,
            "emergency_contact_phone": CONTACT,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["guardian_phone"] == "137****1111"
    person = Recipient.objects.get(pk=created.json()["id"])
    assert decrypt(person.guardian_phone_encrypted) == GUARDIAN
    url = f"/api/v1/recipients/{person.pk}/"

    kept = api.patch(url, {"note": "改备注"}, format="json")
    assert kept.status_code == 200 and kept.json()["guardian_phone"] == "137****1111"
    changed = api.patch(url, {"guardian_phone": NEW_GUARDIAN}, format="json")
    assert changed.json()["guardian_phone"] == "136****3333"
    removed = api.patch(url, {"emergency_contact_phone": ""}, format="json")
    assert removed.json()["emergency_contact_phone"] == ""
    person.refresh_from_db()
    assert decrypt(person.guardian_phone_encrypted) == NEW_GUARDIAN
    assert person.emergency_contact_phone_encrypted == person.emergency_contact_phone_hash == ""
    bad = api.patch(url, {"guardian_phone": "12345"}, format="json")
    assert bad.status_code == 400 and "guardian_phone" in bad.json()


def test_the_edit_form_keeps_replaces_or_removes_without_showing_them(
    users: dict[str, Any], child: Recipient
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    page = client.get(f"/recipients/{child.pk}/edit/").content.decode()
    assert_no_clear_phone(page)
    assert "137****1111" in page  # said in the help text

    base = {
        "name": child.name,
        "document_type": child.document_type,
        "document_number": "",
        "sex": child.sex,
        "birth_date": child.birth_date.isoformat() if child.birth_date else "",
        "region": child.region_id,
        "status": child.status,
        "consent_given": "on",
        "consent_on": child.consent_on.isoformat() if child.consent_on else "",
        "guardian_name": child.guardian_name,
        "emergency_contact_name": child.emergency_contact_name,
    }
    response = client.post(
        f"/recipients/{child.pk}/edit/",
        {**base, "guardian_phone": "", "emergency_contact_phone": "", "note": "改"},
    )
    assert response.status_code == 302, response.context["form"].errors
    child.refresh_from_db()
    assert child.note == "改"
    assert decrypt(child.guardian_phone_encrypted) == GUARDIAN  # an empty box keeps it
    assert decrypt(child.emergency_contact_phone_encrypted) == CONTACT

    response = client.post(
        f"/recipients/{child.pk}/edit/",
        {**base, "guardian_phone": NEW_GUARDIAN, "clear_emergency_contact_phone": "on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    child.refresh_from_db()
    assert decrypt(child.guardian_phone_encrypted) == NEW_GUARDIAN
    assert child.emergency_contact_phone_masked == ""
    assert child.emergency_contact_phone_encrypted == ""


def test_history_and_exports_never_hold_them_in_clear(
    users: dict[str, Any], child: Recipient
) -> None:
    recipient_update(actor=users[Role.SOCIAL_WORKER], recipient=child, guardian_phone=NEW_GUARDIAN)
    for role in ROLES:
        client = client_for(users[role])
        history = client.get(f"/recipients/{child.pk}/history/").content.decode()
        assert_no_clear_phone(history)
        assert "137****1111" in history  # the masked copy, as recorded
        for fmt in ("csv", "xlsx"):
            response = client.get("/recipients/", {"export": fmt})
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if fmt == "csv":
                text = content.decode("utf-8-sig")
                assert_no_clear_phone(text)
                assert list(csv.reader(io.StringIO(text)))
            else:
                assert all(number.encode() not in content for number in CLEAR)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("field", ["guardian_phone", "emergency_contact_phone"])
def test_only_the_revealing_roles_see_them_in_full_with_a_logged_purpose(
    role: str, field: str, users: dict[str, Any], child: Recipient
) -> None:
    clear = GUARDIAN if field == "guardian_phone" else CONTACT
    api = api_for(users[role])
    url = f"/api/v1/recipients/{child.pk}/reveal-identity/"
    if role not in FULL_ID_READERS:
        assert api.post(url, {"field": field, "purpose": "联系"}, format="json").status_code == 403
        assert not IdentityView.objects.exists()
        return
    without = api.post(url, {"field": field}, format="json")
    assert without.status_code == 400 and "purpose" in without.json()
    assert not IdentityView.objects.exists()
    response = api.post(url, {"field": field, "purpose": "联系监护人"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": child.pk, "field": field, "value": clear}
    view = IdentityView.objects.get()
    assert (view.user, view.field, view.purpose) == (users[role], field, "联系监护人")


def test_the_page_reveals_them_in_place_asking_for_a_purpose(
    users: dict[str, Any], child: Recipient
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    page = client.get(child.get_absolute_url()).content.decode()
    assert 'id="number-guardian_phone"' in page and 'id="number-emergency_contact_phone"' in page
    refused = client.post(
        f"/recipients/{child.pk}/reveal-identity/",
        {"field": "guardian_phone", "purpose": " "},
        HTTP_HX_REQUEST="true",
    )
    assert GUARDIAN not in refused.content.decode()
    assert "用途" in refused.content.decode()
    assert not IdentityView.objects.exists()
    shown = client.post(
        f"/recipients/{child.pk}/reveal-identity/",
        {"field": "guardian_phone", "purpose": "通知监护人"},
        HTTP_HX_REQUEST="true",
    )
    assert GUARDIAN in shown.content.decode()
    assert IdentityView.objects.get().field == "guardian_phone"
    with pytest.raises(ValidationError):  # the service refuses a blank purpose too
        recipient_reveal_identity(
            actor=users[Role.SOCIAL_WORKER], recipient=child, field="emergency_contact_phone"
        )


def test_a_merge_keeps_the_phones_the_record_kept_lacks(users: dict[str, Any]) -> None:
    keep = make_recipient(name="合并甲", number=id_number(serial=301))
    merge = make_recipient(
        name="合并甲",
        number="",
        document_type="none",
        no_document_reason="遗失",
        guardian_phone=GUARDIAN,
    )
    kept = recipient_merge(actor=users[Role.STATION_MANAGER], keep=keep, merge=merge)
    assert decrypt(kept.guardian_phone_encrypted) == GUARDIAN
    assert kept.guardian_phone_masked == "137****1111"


MIGRATION_SCRIPT = r"""
import django, os, sys
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from swstation.core.crypto import decrypt

before, after = sys.argv[1], sys.argv[2]
call_command("migrate", verbosity=0)
call_command("migrate", "recipients", before, verbosity=0)
state = MigrationExecutor(connection).loader.project_state(("recipients", before))
Region = state.apps.get_model("regions", "Region")
Recipient = state.apps.get_model("recipients", "Recipient")
HistoricalRecipient = state.apps.get_model("recipients", "HistoricalRecipient")
city = Region.objects.create(code="330200000000", name="宁波市", level="city")
village = Region.objects.create(code="330205103201", name="村", level="village", parent=city)
person = Recipient.objects.create(
    name="旧记录",
    region=village,
    guardian_phone="13700001111",
    emergency_contact_phone="13900002222",
)
HistoricalRecipient.objects.create(
    id=person.pk, name="旧记录", region=village, guardian_phone="13700001111",
    history_date="2025-01-01T00:00:00Z", history_type="+",
    created_at="2025-01-01T00:00:00Z", updated_at="2025-01-01T00:00:00Z",
)
call_command("migrate", "recipients", after, verbosity=0)
with connection.cursor() as cursor:
    for table in ("recipients_recipient", "recipients_historicalrecipient"):
        cursor.execute(f"SELECT * FROM {table}")
        text = " ".join(str(v) for row in cursor.fetchall() for v in row)
        assert "13700001111" not in text and "13900002222" not in text, table
    cursor.execute(
        "SELECT guardian_phone_encrypted, guardian_phone_masked, emergency_contact_phone_masked"
        " FROM recipients_recipient"
    )
    token, masked, contact = cursor.fetchone()
    assert decrypt(token) == "13700001111" and masked == "137****1111", masked
    assert contact == "139****2222", contact
call_command("migrate", "recipients", before, verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT guardian_phone, emergency_contact_phone FROM recipients_recipient")
    assert cursor.fetchone() == ("13700001111", "13900002222")
    cursor.execute("SELECT guardian_phone FROM recipients_historicalrecipient")
    assert cursor.fetchone() == ("13700001111",)
print("ok")
"""


def test_the_migration_encrypts_stored_phones_and_decrypts_them_back(tmp_path: Path) -> None:
    """On a database of its own (SQLite), migrated to just before, given a record with clear
    phones (and its history), then forward and back."""
    migrations = sorted(
        path.stem
        for path in (Path(__file__).parents[2] / "src/swstation/recipients/migrations").glob(
            "0*.py"
        )
    )
    after = next(name for name in migrations if "contact_phones" in name)
    before = migrations[migrations.index(after) - 1]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migration.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", MIGRATION_SCRIPT, before, after],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
