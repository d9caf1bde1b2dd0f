"""The station and roster imports are mounted and offered on their list pages to the roles
that may add and change those records, and to no one else."""

from typing import Any

import pytest
from django.test import Client

from swstation.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("list_url", "import_url", "allowed"),
    [
        ("/stations/", "/stations/import/", {Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
        (
            "/workforce/social-workers/",
            "/workforce/social-workers/import/",
            {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STATION_MANAGER},
        ),
    ],
)
def test_import_is_offered_to_the_right_roles(
    list_url: str, import_url: str, allowed: set[str], users: dict[str, Any]
) -> None:
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        page = client.get(list_url).content.decode()
        start = client.get(import_url)
        template = client.get(import_url + "template.xlsx")
        if role in allowed:
            assert f'href="{import_url}"' in page
            assert start.status_code == 200
            assert template.status_code == 200
            assert template["Content-Type"].startswith("application/vnd.openxmlformats")
        else:
            assert f'href="{import_url}"' not in page
            assert start.status_code == 403
