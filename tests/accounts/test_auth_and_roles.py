"""Login, lockout, expired sessions, role/jurisdiction rules, masking, tokens, history."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from swstation.accounts.models import User
from swstation.accounts.services import user_create, validate_role_jurisdiction
from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.conftest import CICHENG, JIANGBEI, PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_chinese_by_default() -> None:
    body = Client().get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in body
    assert "用户名" in body


def test_login_lands_on_home_with_the_jurisdiction(users: dict[str, Any]) -> None:
    client = Client()
    response = login(client, users[Role.DISTRICT_OFFICER].username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    body = client.get("/").content.decode()
    assert "江北区" in body
    assert 'id="my-jurisdiction"' in body


def test_wrong_password_gets_a_chinese_message(users: dict[str, Any]) -> None:
    response = login(Client(), users[Role.SOCIAL_WORKER].username, "wrong")
    assert response.status_code == 200
    assert 'id="login-error"' in response.content.decode()


def test_five_wrong_passwords_lock_the_account(users: dict[str, Any]) -> None:
    username = users[Role.SOCIAL_WORKER].username
    for _ in range(4):
        assert login(Client(), username, "wrong").status_code == 200
    locked = login(Client(), username, "wrong")
    assert locked.status_code == 429
    assert 'id="locked-message"' in locked.content.decode()
    # Even the right password is refused while locked; another account is not affected.
    assert login(Client(), username, PASSWORD).status_code == 429
    assert login(Client(), users[Role.AUDITOR].username, PASSWORD).status_code == 302


def test_expired_session_is_explained(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    client.session.flush()  # what expiry does on the server side
    client.cookies["sessionid"] = "expired-session-key"
    response = client.get("/regions/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "expired" in response.content.decode() or "过期" in response.content.decode()


def test_htmx_request_with_expired_session_redirects_the_page(users: dict[str, Any]) -> None:
    client = Client()
    client.cookies["sessionid"] = "expired-session-key"
    response = client.get("/regions/", HTTP_HX_REQUEST="true")
    assert response.status_code == 302
    assert response["HX-Redirect"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "code", "ok"),
    [
        (Role.CITY_ADMIN, "330200000000", True),
        (Role.CITY_ADMIN, JIANGBEI, False),
        (Role.DISTRICT_OFFICER, JIANGBEI, True),
        (Role.DISTRICT_OFFICER, CICHENG, False),
        (Role.STATION_MANAGER, CICHENG, True),
        (Role.STATION_MANAGER, JIANGBEI, False),
        (Role.SOCIAL_WORKER, CICHENG, True),
        (Role.SUPERVISOR, JIANGBEI, True),
        (Role.SUPERVISOR, CICHENG, True),
        (Role.AUDITOR, JIANGBEI, True),
        (Role.AUDITOR, CICHENG, False),
    ],
)
def test_role_works_at_its_level(role: str, code: str, ok: bool) -> None:
    region = Region.objects.get(code=code)
    if ok:
        validate_role_jurisdiction(role=role, jurisdiction=region)
    else:
        with pytest.raises(ValidationError) as caught:
            validate_role_jurisdiction(role=role, jurisdiction=region)
        assert "jurisdiction" in caught.value.message_dict


def test_user_form_explains_a_wrong_level_in_chinese(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    response = client.post(
        "/accounts/users/add/",
        {
            "username": "wrong_level",
            "role": "station_manager",
            "jurisdiction": Region.objects.get(code=JIANGBEI).pk,
            "password1": "Ningbo-Station-2026",
            "password2": "Ningbo-Station-2026",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="wrong_level").exists()
    assert "江北区" in response.content.decode()


def test_user_without_jurisdiction_sees_nothing(make_user: Any) -> None:
    user = make_user(Role.DISTRICT_OFFICER)
    user.jurisdiction = None
    user.save()
    assert Region.objects.visible_to(user).count() == 0
    client = Client()
    client.force_login(user)
    assert "江北区" not in client.get("/regions/").content.decode()


def test_inactive_or_anonymous_users_see_nothing(users: dict[str, Any]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    officer.is_active = False
    assert Region.objects.visible_to(officer).count() == 0


def test_auditor_sees_phone_numbers_masked(users: dict[str, Any], make_user: Any) -> None:
    target = make_user(Role.STATION_MANAGER, phone="13812345678")
    auditor, officer = Client(), Client()
    auditor.force_login(users[Role.AUDITOR])
    officer.force_login(users[Role.DISTRICT_OFFICER])
    assert "138****5678" in auditor.get(target.get_absolute_url()).content.decode()
    assert "13812345678" not in auditor.get(target.get_absolute_url()).content.decode()
    assert (
        "13812345678"
        not in auditor.get("/accounts/users/", {"q": target.username}).content.decode()
    )
    # An account's phone is masked for every role (User.protected_fields), the officer too.
    assert "13812345678" not in officer.get(target.get_absolute_url()).content.decode()
    api = APIClient()
    api.force_authenticate(users[Role.AUDITOR])
    assert api.get(f"/api/v1/users/{target.pk}/").json()["phone"] == "138****5678"


def test_token_from_the_profile_page_authenticates_the_api(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    client.post("/accounts/profile/")
    first = client.get("/accounts/profile/").context["token"].key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/v1/regions/").status_code == 200
    client.post("/accounts/profile/")  # replace it: the old one stops working
    assert api.get("/api/v1/regions/").status_code == 401


def test_a_city_admin_cannot_delete_themselves(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    client = Client()
    client.force_login(admin)
    assert client.post(f"/accounts/users/{admin.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=admin.pk).exists()


def test_history_says_who_changed_what_and_hides_passwords(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    target = user_create(
        actor=admin,
        username="history_target",
        password="Ningbo-Station-2026",
        role=Role.SOCIAL_WORKER,
        jurisdiction=Region.objects.get(code=CICHENG),
        full_name="张三",
    )
    client = Client()
    client.force_login(admin)
    client.post(
        f"/accounts/users/{target.pk}/edit/",
        {
            "username": target.username,
            "full_name": "李四",
            "role": target.role,
            "jurisdiction": target.jurisdiction_id,
            "is_active": "on",
        },
    )
    body = client.get(f"/accounts/users/{target.pk}/history/").content.decode()
    assert "张三" in body and "李四" in body
    assert admin.username in body
    assert "pbkdf2" not in body and "md5$" not in body
    # A district officer may read it too; a social worker may not even open users.
    officer = Client()
    officer.force_login(users[Role.DISTRICT_OFFICER])
    assert officer.get(f"/accounts/users/{target.pk}/history/").status_code == 200
    worker = Client()
    worker.force_login(users[Role.SOCIAL_WORKER])
    assert worker.get(f"/accounts/users/{target.pk}/history/").status_code == 403
