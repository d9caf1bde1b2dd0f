"""Full views of a document or phone number: only station managers and social workers, each
view logged with its purpose; refused (and not logged) for everyone else; 404 outside the
jurisdiction; the log is listed to managers on the person's page."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.models import FULL_ID_READERS, IdentityView, Recipient
from swstation.recipients.services import recipient_reveal_identity
from tests.clients import api_for, client_for
from tests.recipients.helpers import YUEHU_COMMUNITY, id_number, make_recipient

pytestmark = pytest.mark.django_db

ROLES = sorted(ALL_ROLES)
NUMBER = id_number(date(1938, 8, 8), serial=21)


@pytest.fixture
def person() -> Recipient:
    return make_recipient(name="周奶奶", number=NUMBER, phone="13955556666")


@pytest.mark.parametrize("role", ROLES)
def test_the_api_reveals_to_the_roles_that_need_it_and_logs(
    role: str, users: dict[str, Any], person: Recipient
) -> None:
    response = api_for(users[role]).post(
        f"/api/v1/recipients/{person.pk}/reveal-identity/",
        {"field": "id_number", "purpose": "低保申请表"},
        format="json",
    )
    if role in FULL_ID_READERS:
        assert response.status_code == 200
        assert response.json() == {"id": person.pk, "field": "id_number", "value": NUMBER}
        view = IdentityView.objects.get()
        assert (view.user, view.field, view.purpose) == (users[role], "id_number", "低保申请表")
    else:
        assert response.status_code == 403
        assert not IdentityView.objects.exists()


def test_phone_is_revealed_the_same_way(users: dict[str, Any], person: Recipient) -> None:
    response = api_for(users[Role.STATION_MANAGER]).post(
        f"/api/v1/recipients/{person.pk}/reveal-identity/", {"field": "phone"}, format="json"
    )
    assert response.json()["value"] == "13955556666"
    assert IdentityView.objects.get().field == "phone"


def test_reveal_out_of_scope_is_404_and_not_logged(users: dict[str, Any]) -> None:
    outside = make_recipient(YUEHU_COMMUNITY, number=id_number())
    response = api_for(users[Role.SOCIAL_WORKER]).post(
        f"/api/v1/recipients/{outside.pk}/reveal-identity/", {}, format="json"
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        recipient_reveal_identity(
            actor=users[Role.SOCIAL_WORKER], recipient=outside, field="id_number"
        )
    assert not IdentityView.objects.exists()


def test_a_missing_number_is_a_clear_400(users: dict[str, Any]) -> None:
    nobody = make_recipient(
        name="无证件", number="", document_type="none", no_document_reason="遗失"
    )
    response = api_for(users[Role.SOCIAL_WORKER]).post(
        f"/api/v1/recipients/{nobody.pk}/reveal-identity/", {"field": "phone"}, format="json"
    )
    assert response.status_code == 400
    assert "field" in response.json()
    assert not IdentityView.objects.exists()


def test_the_page_button_reveals_in_place_with_htmx_and_logs(
    users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    page = client.get(person.get_absolute_url()).content.decode()
    assert "reveal-identity" in page and NUMBER not in page
    response = client.post(
        f"/recipients/{person.pk}/reveal-identity/",
        {"field": "id_number", "purpose": "救助申请"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert NUMBER in body and 'id="number-id_number"' in body
    assert "<html" not in body  # a fragment
    assert IdentityView.objects.get().purpose == "救助申请"
    # Without htmx: the person's page with the number shown.
    response = client.post(f"/recipients/{person.pk}/reveal-identity/", {"field": "phone"})
    assert "13955556666" in response.content.decode()
    assert IdentityView.objects.count() == 2


@pytest.mark.parametrize(
    "role", [Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.SUPERVISOR, Role.AUDITOR]
)
def test_the_page_offers_no_button_and_refuses_other_roles(
    role: str, users: dict[str, Any], person: Recipient
) -> None:
    client = client_for(users[role])
    page = client.get(person.get_absolute_url()).content.decode()
    assert "reveal-identity" not in page
    response = client.post(f"/recipients/{person.pk}/reveal-identity/", {"field": "id_number"})
    assert response.status_code == 403
    assert NUMBER not in response.content.decode()
    assert not IdentityView.objects.exists()


def test_managers_see_the_log_on_the_page_and_workers_do_not(
    users: dict[str, Any], person: Recipient
) -> None:
    recipient_reveal_identity(
        actor=users[Role.SOCIAL_WORKER], recipient=person, field="id_number", purpose="核对身份"
    )
    manager_page = client_for(users[Role.STATION_MANAGER]).get(person.get_absolute_url())
    worker_page = client_for(users[Role.SOCIAL_WORKER]).get(person.get_absolute_url())
    assert 'id="identity-views"' in manager_page.content.decode()
    assert "核对身份" in manager_page.content.decode()
    assert 'id="identity-views"' not in worker_page.content.decode()


def test_a_viewed_record_keeps_its_log_it_cannot_be_deleted(
    users: dict[str, Any], person: Recipient
) -> None:
    recipient_reveal_identity(actor=users[Role.SOCIAL_WORKER], recipient=person, field="phone")
    with pytest.raises(ProtectedError):
        person.delete()
    response = client_for(users[Role.STATION_MANAGER]).post(f"/recipients/{person.pk}/delete/")
    assert response.status_code == 302
    assert Recipient.objects.filter(pk=person.pk).exists()
