"""A person's health notes are read like their numbers (issue 10, "Auditing"; domain.md §4):
shown on request on their page or through the API's reveal-identity, to the roles that may read
them (not auditors, who see that notes are recorded, never what they say), and every view is a
line of the personal-data access log, which the auditors read at /recipients/access-log/."""

from typing import Any

import pytest
from django.test import Client

from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.forms import RecipientForm
from swstation.recipients.models import SENSITIVE_READERS, IdentityView, Recipient
from tests.clients import api_for, client_for
from tests.recipients.helpers import YUEHU_COMMUNITY, make_recipient
from tests.recipients.test_pages_and_api import RecipientCases

pytestmark = pytest.mark.django_db

ROLES = sorted(ALL_ROLES)
HEALTH = "糖尿病，每日注射胰岛素"


@pytest.fixture
def person() -> Recipient:
    return make_recipient(name="钱奶奶", health_notes=HEALTH)


def reveal(client: Client, person: Recipient, **extra: Any) -> Any:
    return client.post(
        f"/recipients/{person.pk}/reveal-identity/",
        {"field": "health_notes", "purpose": "家访前了解病情"},
        **extra,
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_page_shows_them_on_request_and_logs_each_view(
    role: str, users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[role])
    page = client.get(person.get_absolute_url()).content.decode()
    assert HEALTH not in page
    may_read = role in SENSITIVE_READERS
    assert ("显示健康状况" in page) == may_read
    assert ("已填写（您的角色不可查看）" in page) == (not may_read)
    response = reveal(client, person, HTTP_HX_REQUEST="true")
    if not may_read:
        assert response.status_code == 403
        assert not IdentityView.objects.exists()
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert HEALTH in body and "本次查看已记录" in body
    line = IdentityView.objects.get()
    assert (line.user, line.recipient, line.field, line.kind, line.purpose) == (
        users[role],
        person,
        "health_notes",
        "view",
        "家访前了解病情",
    )
    # Without htmx: the person's page with the notes in place.
    assert HEALTH in reveal(client, person).content.decode()
    assert IdentityView.objects.count() == 2


def test_the_auditor_reads_the_line_in_the_access_log(
    users: dict[str, Any], person: Recipient
) -> None:
    reveal(client_for(users[Role.SOCIAL_WORKER]), person, HTTP_HX_REQUEST="true")
    log = client_for(users[Role.AUDITOR]).get("/recipients/access-log/").content.decode()
    assert "钱奶奶" in log and "健康状况" in log and "家访前了解病情" in log
    assert HEALTH not in log


@pytest.mark.parametrize("role", ROLES)
def test_the_api_returns_them_through_reveal_identity_only(
    role: str, users: dict[str, Any], person: Recipient
) -> None:
    api = api_for(users[role])
    assert "health_notes" not in api.get(f"/api/v1/recipients/{person.pk}/").json()
    response = api.post(
        f"/api/v1/recipients/{person.pk}/reveal-identity/",
        {"field": "health_notes", "purpose": "转介医院"},
        format="json",
    )
    if role not in SENSITIVE_READERS:
        assert response.status_code == 403
        assert not IdentityView.objects.exists()
        return
    assert response.status_code == 200
    assert response.json() == {"id": person.pk, "field": "health_notes", "value": HEALTH}
    assert IdentityView.objects.get().field == "health_notes"


def test_none_recorded_is_a_clear_answer_and_out_of_scope_is_404(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    plain = make_recipient(name="吴爷爷")
    page = client_for(worker).get(plain.get_absolute_url()).content.decode()
    assert "显示健康状况" not in page
    response = api_for(worker).post(
        f"/api/v1/recipients/{plain.pk}/reveal-identity/", {"field": "health_notes"}
    )
    assert response.status_code == 400
    assert "没有记录健康状况" in response.content.decode()
    far = make_recipient(YUEHU_COMMUNITY, name="郑奶奶", health_notes=HEALTH)
    assert reveal(client_for(worker), far).status_code == 404
    assert not IdentityView.objects.exists()


def edit_form(person: Recipient, **changes: Any) -> dict[str, Any]:
    data = RecipientCases().edit_data(person)
    return data | changes


def test_the_edit_form_never_shows_the_stored_notes_and_an_empty_box_keeps_them(
    users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    url = f"/recipients/{person.pk}/edit/"
    page = client.get(url).content.decode()
    assert HEALTH not in page
    assert "删除已记录的健康状况" in page
    assert client.post(url, edit_form(person)).status_code == 302
    person.refresh_from_db()
    assert person.health_notes == HEALTH
    assert not IdentityView.objects.exists()


def test_typed_notes_replace_and_the_remove_box_removes(
    users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    url = f"/recipients/{person.pk}/edit/"
    assert client.post(url, edit_form(person, health_notes="高血压")).status_code == 302
    person.refresh_from_db()
    assert person.health_notes == "高血压"
    assert client.post(url, edit_form(person, clear_health_notes="on")).status_code == 302
    person.refresh_from_db()
    assert person.health_notes == ""
    assert "删除已记录的健康状况" not in client.get(url).content.decode()


def test_an_auditor_is_not_offered_the_notes_on_any_form(users: dict[str, Any]) -> None:
    form = RecipientForm(user=users[Role.AUDITOR])
    assert "health_notes" not in form.fields
    assert "clear_health_notes" not in form.fields
