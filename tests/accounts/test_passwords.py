"""Passwords people can manage: one's own change, the city bureau's reset that must be
followed by a change, and expiry only where the policy setting asks for it."""

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.accounts.models import User
from swstation.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Cicheng-Harbour-2027"
CHANGE_URL = "/accounts/password/"


def login(username: str, password: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return client, response


def change(client: Client, old: str, new: str, again: str | None = None) -> Any:
    return client.post(
        CHANGE_URL,
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def reset_url(user: User) -> str:
    return f"/accounts/users/{user.pk}/password-reset/"


def token_client(user: User) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


# --- one's own password ------------------------------------------------------------------


def test_my_account_links_to_the_change_page(users: dict[str, Any]) -> None:
    client, _ = login(users[Role.SOCIAL_WORKER].username, PASSWORD)
    body = client.get("/accounts/profile/").content.decode()
    assert f'href="{CHANGE_URL}"' in body
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert "旧密码" in page.content.decode() and "新密码" in page.content.decode()


def test_a_user_changes_their_own_password(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    client, _ = login(worker.username, PASSWORD)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert "密码已修改" in client.get("/accounts/profile/").content.decode()
    # Still logged in, and the new password is the one that works.
    assert client.get("/").status_code == 200
    assert login(worker.username, NEW_PASSWORD)[1].status_code == 302
    assert login(worker.username, PASSWORD)[1].status_code == 200
    worker.refresh_from_db()
    assert worker.password_changed_at is not None
    assert timezone.now() - worker.password_changed_at < timedelta(minutes=1)


def test_the_change_applies_the_password_validators_in_chinese(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    client, _ = login(worker.username, PASSWORD)
    response = change(client, PASSWORD, "12345678")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "常见" in errors or "数字" in errors
    response = change(client, "wrong-old-password", NEW_PASSWORD)
    assert "旧密码" in " ".join(response.context["form"].errors["old_password"])
    response = change(client, PASSWORD, PASSWORD)
    assert "不能与当前密码相同" in " ".join(response.context["form"].errors["new_password1"])
    assert login(worker.username, PASSWORD)[1].status_code == 302


# --- the city bureau's reset ---------------------------------------------------------------


def test_a_reset_password_must_be_changed_at_the_next_login(users: dict[str, Any]) -> None:
    admin, worker = users[Role.CITY_ADMIN], users[Role.SOCIAL_WORKER]
    bureau = Client()
    bureau.force_login(admin)
    assert (
        f'href="{reset_url(worker)}"'
        in bureau.get(f"/accounts/users/{worker.pk}/").content.decode()
    )
    assert bureau.get(reset_url(worker)).status_code == 200
    response = bureau.post(reset_url(worker), {"password1": "", "password2": ""})
    assert response.status_code == 200
    temporary = response.context["password"]
    assert temporary and temporary in response.content.decode()
    assert 'id="temporary-password"' in response.content.decode()
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    worker.refresh_from_db()
    assert worker.must_change_password
    # The old password no longer works; the temporary one logs in, straight to the change page.
    assert login(worker.username, PASSWORD)[1].status_code == 200
    client, response = login(worker.username, temporary)
    assert response.status_code == 302
    for path in ("/", "/regions/", "/accounts/profile/"):
        page = client.get(path)
        assert page.status_code == 302 and page["Location"] == CHANGE_URL, path
    assert client.get("/regions/", HTTP_HX_REQUEST="true")["HX-Redirect"] == CHANGE_URL
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert 'id="password-change-reason"' in page.content.decode()
    assert client.get("/static/swstation/site.css").status_code == 200
    # The API refuses, in Chinese, with a session or a token.
    response = client.get("/api/v1/regions/")
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]
    api = token_client(worker)
    response = api.get("/api/v1/regions/")
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]
    # Once changed, everything opens again.
    assert change(client, temporary, NEW_PASSWORD).status_code == 302
    assert client.get("/regions/").status_code == 200
    assert api.get("/api/v1/regions/").status_code == 200
    worker.refresh_from_db()
    assert not worker.must_change_password


def test_logging_out_is_allowed_before_the_change(users: dict[str, Any]) -> None:
    admin, worker = users[Role.CITY_ADMIN], users[Role.SOCIAL_WORKER]
    bureau = Client()
    bureau.force_login(admin)
    bureau.post(reset_url(worker), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client, _ = login(worker.username, NEW_PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_bureau_may_type_the_temporary_password(users: dict[str, Any]) -> None:
    admin, worker = users[Role.CITY_ADMIN], users[Role.SOCIAL_WORKER]
    bureau = Client()
    bureau.force_login(admin)
    response = bureau.post(reset_url(worker), {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    response = bureau.post(
        reset_url(worker), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert NEW_PASSWORD not in response.content.decode()  # typed, so not shown back
    assert login(worker.username, NEW_PASSWORD)[1].status_code == 302
    worker.refresh_from_db()
    assert worker.must_change_password


def test_a_reset_unlocks_a_locked_account(users: dict[str, Any]) -> None:
    admin, worker = users[Role.CITY_ADMIN], users[Role.SOCIAL_WORKER]
    for _ in range(5):
        login(worker.username, "wrong")
    assert login(worker.username, PASSWORD)[1].status_code == 429
    bureau = Client()
    bureau.force_login(admin)
    bureau.post(reset_url(worker), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username=worker.username).exists()
    assert login(worker.username, NEW_PASSWORD)[1].status_code == 302


@pytest.mark.parametrize(
    "role",
    [Role.DISTRICT_OFFICER, Role.STATION_MANAGER, Role.SOCIAL_WORKER, Role.AUDITOR],
)
def test_only_the_city_bureau_resets_passwords(users: dict[str, Any], role: str) -> None:
    target = users[Role.SOCIAL_WORKER] if role != Role.SOCIAL_WORKER else users[Role.AUDITOR]
    client = Client()
    client.force_login(users[role])
    assert client.post(reset_url(target), {"password1": "", "password2": ""}).status_code == 403
    api = APIClient()
    api.force_authenticate(users[role])
    assert api.post(f"/api/v1/users/{target.pk}/reset-password/", {}).status_code in (403, 404)
    target.refresh_from_db()
    assert not target.must_change_password


def test_nobody_resets_their_own_password(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    client = Client()
    client.force_login(admin)
    response = client.post(reset_url(admin), {"password1": "", "password2": ""})
    assert response.status_code == 200
    assert "我的账号" in str(response.context["form"].errors) or "修改密码" in str(
        response.context["form"].errors
    )
    admin.refresh_from_db()
    assert not admin.must_change_password


def test_the_history_says_who_reset_whose_password_without_the_password(
    users: dict[str, Any],
) -> None:
    admin, worker = users[Role.CITY_ADMIN], users[Role.SOCIAL_WORKER]
    bureau = Client()
    bureau.force_login(admin)
    temporary = bureau.post(reset_url(worker), {"password1": "", "password2": ""}).context[
        "password"
    ]
    record = worker.history.latest()
    assert record.history_user == admin
    assert "重置" in record.history_change_reason
    body = bureau.get(f"/accounts/users/{worker.pk}/history/").content.decode()
    assert admin.username in body and "重置" in body
    assert temporary not in body and "md5$" not in body and "pbkdf2" not in body
    assert not any(temporary in str(value) for value in vars(record).values())


def test_the_api_resets_a_password(users: dict[str, Any]) -> None:
    admin, worker = users[Role.CITY_ADMIN], users[Role.SOCIAL_WORKER]
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(f"/api/v1/users/{worker.pk}/reset-password/", {}, format="json")
    assert response.status_code == 200
    temporary = response.json()["password"]
    assert response.json()["must_change_password"] is True
    assert login(worker.username, temporary)[1].status_code == 302
    response = api.post(
        f"/api/v1/users/{worker.pk}/reset-password/", {"password": "123"}, format="json"
    )
    assert response.status_code == 400 and "password" in response.json()
    response = api.post(
        f"/api/v1/users/{worker.pk}/reset-password/", {"password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["password"] is None
    assert api.get(f"/api/v1/users/{worker.pk}/").json()["must_change_password"] is True


# --- expiry ----------------------------------------------------------------------------------


def test_passwords_expire_only_where_the_policy_says_so(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    User.objects.filter(pk=worker.pk).update(
        password_changed_at=timezone.now() - timedelta(days=400)
    )
    client, _ = login(worker.username, PASSWORD)
    api = token_client(worker)
    # The default (PASSWORD_MAX_AGE_DAYS = 0): passwords never expire.
    assert client.get("/regions/").status_code == 200
    assert api.get("/api/v1/regions/").status_code == 200
    with override_settings(PASSWORD_MAX_AGE_DAYS=90):
        response = client.get("/regions/")
        assert response.status_code == 302 and response["Location"] == CHANGE_URL
        assert "90" in client.get(CHANGE_URL).content.decode()
        assert api.get("/api/v1/regions/").status_code == 403
        # Someone who changed theirs recently is not affected.
        fresh = Client()
        fresh.force_login(users[Role.AUDITOR])
        assert fresh.get("/regions/").status_code == 200
        assert change(client, PASSWORD, NEW_PASSWORD).status_code == 302
        assert client.get("/regions/").status_code == 200
        assert api.get("/api/v1/regions/").status_code == 200
