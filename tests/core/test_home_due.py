from typing import Any

import pytest
from django.test import Client

from swstation.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role.values))
def test_home_shows_due_and_overdue_to_those_who_visit(role: str, users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[role])
    body = client.get("/").content.decode()
    shown = role in (Role.SOCIAL_WORKER, Role.STATION_MANAGER)
    assert ('id="home-due"' in body) == shown
