"""The filters of the project and enrolment lists, the same in the page and the API."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.projects.models import ProjectStatus
from tests.conftest import CICHENG
from tests.projects import helpers as build

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(users: dict[str, Any]) -> tuple[APIClient, Client]:
    user = users[Role.DISTRICT_OFFICER]
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    page = Client()
    page.force_login(user)
    return api, page


def found(clients: tuple[APIClient, Client], name: str, params: dict[str, Any]) -> set[int]:
    """The ids the API lists for ``params``, checked against the page's rows."""
    api, page = clients
    response = api.get(reverse(f"api:{name}-list"), {"page_size": 1000, **params})
    assert response.status_code == 200, response.json()
    ids = {row["id"] for row in response.json()["results"]}
    listing = page.get(reverse(f"projects:{name}_list"), {"per_page": 250, **params})
    assert listing.status_code == 200
    assert {row.record.pk for row in listing.context["table"].rows} == ids
    return ids


def test_project_filters(clients: tuple[APIClient, Client]) -> None:
    elderly = build.project(
        CICHENG,
        name="幸福来敲门",
        category="vulnerable_groups",
        field="elderly",
        status=ProjectStatus.RUNNING,
        starts_on=date(2023, 3, 1),
        ends_on=date(2024, 2, 28),
    )
    elderly.target_groups.set([build.category("advanced_age")])
    youth = build.project(
        build.KONGPU,
        name="青春驿站",
        field="youth",
        funding_level="district",
        starts_on=date(2024, 6, 1),
        ends_on=date(2025, 5, 31),
    )
    talent = build.project(
        CICHENG,
        name="鼎秀营",
        category="talent_support",
        field="talent",
        status=ProjectStatus.CLOSED,
    )
    every = {elderly.pk, youth.pk, talent.pk}
    assert found(clients, "project", {}) == every
    assert found(clients, "project", {"category": "vulnerable_groups"}) == {elderly.pk}
    assert found(clients, "project", {"field": "youth"}) == {youth.pk}
    assert found(clients, "project", {"status": ["running", "closed"]}) == {elderly.pk, talent.pk}
    assert found(clients, "project", {"funding_level": "district"}) == {youth.pk}
    assert found(clients, "project", {"station": youth.station_id}) == {youth.pk}
    assert found(clients, "project", {"region_code": CICHENG[:9]}) == {elderly.pk, talent.pk}
    assert found(clients, "project", {"target_group": "advanced_age"}) == {elderly.pk}
    assert found(clients, "project", {"year": 2023}) == {elderly.pk}
    assert found(clients, "project", {"year": 2025}) == {youth.pk, talent.pk}
    assert found(clients, "project", {"active_on": "2023-10-01"}) == {elderly.pk}
    assert found(clients, "project", {"q": "鼎秀"}) == {talent.pk}


def test_enrolment_filters(clients: tuple[APIClient, Client]) -> None:
    first = build.project(CICHENG, status=ProjectStatus.RUNNING, name="慈缘驿站")
    second = build.project(build.KONGPU, status=ProjectStatus.RUNNING, category="vulnerable_groups")
    staying = build.enrolment(first, build.recipient(CICHENG, name="陈阿姨"))
    gone = build.enrolment(
        first, enrolled_on=date(2025, 1, 2), exited_on=date(2025, 3, 1), exit_reason="就业"
    )
    other = build.enrolment(second)
    assert found(clients, "projectenrolment", {}) == {staying.pk, gone.pk, other.pk}
    assert found(clients, "projectenrolment", {"project": first.pk}) == {staying.pk, gone.pk}
    assert found(clients, "projectenrolment", {"current": "true"}) == {staying.pk, other.pk}
    assert found(clients, "projectenrolment", {"current": "false"}) == {gone.pk}
    assert found(clients, "projectenrolment", {"enrolled_year": 2025}) == {gone.pk}
    assert found(clients, "projectenrolment", {"category": "vulnerable_groups"}) == {other.pk}
    assert found(clients, "projectenrolment", {"region_code": CICHENG[:9]}) == {
        staying.pk,
        gone.pk,
    }
    assert found(clients, "projectenrolment", {"q": "陈阿姨"}) == {staying.pk}
