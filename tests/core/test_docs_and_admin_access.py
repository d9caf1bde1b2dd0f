"""The API schema and its Swagger page need a login unless API_DOCS_PUBLIC; the Django admin
is not routed at all unless ADMIN_ENABLED."""

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_get_no_schema() -> None:
    for accept in ("application/json", "application/vnd.oai.openapi", "*/*"):
        response = APIClient().get("/api/schema/", HTTP_ACCEPT=accept)
        assert response.status_code == 401, accept
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()
        assert response["WWW-Authenticate"].startswith("Token")


def test_anonymous_visitors_of_the_docs_are_sent_to_the_login_page() -> None:
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"


def test_any_signed_in_user_reads_the_schema_and_the_docs(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.AUDITOR])
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/", {"format": "json"}).json()["openapi"].startswith("3.")
    token = Token.objects.create(user=users[Role.SOCIAL_WORKER])
    response = APIClient().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@override_settings(API_DOCS_PUBLIC=True)
def test_api_docs_public_opens_both() -> None:
    assert Client().get("/api/docs/").status_code == 200
    assert Client().get("/api/schema/", {"format": "json"}).status_code == 200


@pytest.fixture
def reload_urls() -> Iterator[Any]:
    """Rebuild the URLconf under the current settings (the admin is routed at import)."""

    def reload() -> None:
        import swstation.urls

        importlib.reload(swstation.urls)
        clear_url_caches()

    yield reload
    reload()  # back to the test settings' URLs


def test_the_admin_is_not_routed_by_default(reload_urls: Any, users: dict[str, Any]) -> None:
    reload_urls()
    client = Client()
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    superuser = users[Role.CITY_ADMIN]
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 404


def test_admin_enabled_routes_it_at_admin_url(reload_urls: Any, users: dict[str, Any]) -> None:
    with override_settings(ADMIN_ENABLED=True, ADMIN_URL="back-office/"):
        reload_urls()
        client = Client()
        assert client.get("/admin/").status_code == 404
        assert client.get("/back-office/").status_code == 302  # to the admin's login
        superuser = users[Role.CITY_ADMIN]
        superuser.is_superuser = superuser.is_staff = True
        superuser.save()
        client.force_login(superuser)
        assert client.get("/back-office/").status_code == 200
