import re
from typing import Any

import pytest
from django.test import Client

from swstation.core.roles import Role

pytestmark = pytest.mark.django_db


def test_openapi_schema_documents_the_lists(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/regions/", "/api/v1/populations/", "/api/v1/users/"):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/regions/"]["get"]["parameters"]}
    assert {"level", "parent_code", "page", "page_size"} <= params


def test_api_docs_load_their_assets_locally(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    body = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    # No asset from a content delivery network (a random nonce may contain the letters "cdn").
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", body)
    assert "cdn." not in body.lower() and "unpkg" not in body.lower()


def test_api_root_lists_the_endpoints(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.AUDITOR])
    data = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert {"regions", "populations", "users"} <= data.keys()
