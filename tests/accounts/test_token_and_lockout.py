"""A locked or deactivated account is shut out everywhere: the login form, its API token and a
session it already had."""

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role

pytestmark = pytest.mark.django_db


def lock_out(username: str) -> None:
    for _ in range(5):
        Client().post("/accounts/login/", {"username": username, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=username).exists()


def token_client(user: Any) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_a_locked_accounts_token_is_refused_until_the_lockout_ends(
    users: dict[str, Any],
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    api = token_client(worker)
    assert api.get("/api/v1/regions/").status_code == 200
    lock_out(worker.username)
    response = api.get("/api/v1/regions/")
    assert response.status_code == 401
    assert "锁定" in response.json()["detail"]
    # Another account's token is not affected.
    assert token_client(users[Role.AUDITOR]).get("/api/v1/regions/").status_code == 200
    # Fifteen minutes later the lockout is over, and the token works again.
    AccessAttempt.objects.filter(username=worker.username).update(
        attempt_time=AccessAttempt.objects.get(username=worker.username).attempt_time
        - timedelta(minutes=16)
    )
    assert api.get("/api/v1/regions/").status_code == 200


def test_a_deactivated_accounts_token_is_refused_in_chinese(users: dict[str, Any]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    api = token_client(officer)
    officer.is_active = False
    officer.save()
    response = api.get("/api/v1/regions/")
    assert response.status_code == 401
    assert "停用" in response.json()["detail"]


def test_a_locked_users_session_ends_at_the_next_request(users: dict[str, Any]) -> None:
    """Decision: a lockout applies to a session opened before it, as to a token. The next page
    logs the user out and says why; the API sees no user."""
    manager = users[Role.STATION_MANAGER]
    browser = Client()
    browser.force_login(manager)
    assert browser.get("/").status_code == 200
    lock_out(manager.username)
    response = browser.get("/regions/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "锁定" in response.content.decode()
    assert browser.get("/api/v1/regions/").status_code in (401, 403)
    assert browser.get("/").status_code == 302


def test_a_locked_users_api_session_is_refused(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    browser = Client()
    browser.force_login(manager)
    assert browser.get("/api/v1/regions/").status_code == 200
    lock_out(manager.username)
    assert browser.get("/api/v1/regions/").status_code in (401, 403)


def test_a_deactivated_users_session_ends(users: dict[str, Any]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    browser = Client()
    browser.force_login(officer)
    assert browser.get("/regions/").status_code == 200
    officer.is_active = False
    officer.save()
    response = browser.get("/regions/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert browser.get("/api/v1/regions/").status_code in (401, 403)
