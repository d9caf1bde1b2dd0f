"""Clear answers for every error a user can cause, in Chinese by default; English on request."""

from typing import Any

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.core.views import errors
from swstation.regions.models import Region
from tests.conftest import YUEHU

pytestmark = pytest.mark.django_db


def test_out_of_scope_page_is_a_chinese_404(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    response = client.get(Region.objects.get(code=YUEHU).get_absolute_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert "管辖范围" in body
    assert "Traceback" not in body


def test_refused_role_gets_a_chinese_403(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    response = client.get("/accounts/users/")
    assert response.status_code == 403
    assert "拒绝" in response.content.decode() or "无权" in response.content.decode()


def test_api_errors_are_json_with_the_field(users: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(users[Role.CITY_ADMIN])
    outside = api.get("/api/v1/regions/999999999/")
    assert outside.status_code == 404 and "detail" in outside.json()
    bad = api.post(
        "/api/v1/populations/", {"region_code": "330205000000", "year": "abc"}, format="json"
    )
    assert bad.status_code == 400
    assert "year" in bad.json() and "population" in bad.json()
    malformed = api.post("/api/v1/regions/", "{oops", content_type="application/json")
    assert malformed.status_code == 400 and "detail" in malformed.json()
    bad_filter = api.get("/api/v1/regions/", {"level": "planet"})
    assert bad_filter.status_code == 400 and "level" in bad_filter.json()


def test_server_error_page_hides_the_traceback() -> None:
    request = RequestFactory().get("/regions/")
    request.LANGUAGE_CODE = "zh-hans"
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    api_response = errors.server_error(RequestFactory().get("/api/v1/regions/"))
    assert api_response["Content-Type"] == "application/json"


def test_csrf_failure_gets_a_clear_page(users: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.CITY_ADMIN])
    response = client.post("/accounts/profile/")
    assert response.status_code == 403
    assert "Traceback" not in response.content.decode()


def test_language_switch_to_english_and_back(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    chinese = client.get("/").content.decode()
    assert 'lang="zh-hans"' in chinese and "我的辖区" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert 'lang="en"' in english and "My jurisdiction" in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "我的辖区" in client.get("/").content.decode()
