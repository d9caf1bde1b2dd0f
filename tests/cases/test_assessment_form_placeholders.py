"""The selects an assessment form builds itself read like every other select (issue 10:
no "---------" placeholder)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("standard", ["", "?standard=MZ/T 039-2013"])
def test_the_elderly_assessment_form_has_no_dashes_placeholder(
    users: dict[str, Any], standard: str
) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    page = client.get(reverse("cases:elderlyassessment_add") + standard)
    assert page.status_code == 200
    html = page.content.decode()
    assert "---------" not in html
    assert "- 请选择 -" in html
