"""Shared fixtures: the real Ningbo division tree is loaded once per test database."""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from swstation.accounts.models import User
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.regions.models import Region
from swstation.regions.services import PACKAGED_DATA, population_import, region_import_divisions

# Fixtures of the tests that race two threads on PostgreSQL (transactional database).
pytest_plugins = ["tests.concurrency"]

CITY = "330200000000"
JIANGBEI = "330205000000"  # 江北区
CICHENG = "330205103000"  # 慈城镇, in 江北区
CICHENG_VILLAGE = "330205103201"
HAISHU = "330203000000"  # 海曙区: outside 江北区
YUEHU = "330203004000"  # 月湖街道, in 海曙区
YUEHU_COMMUNITY = "330203004001"

# Each role at the jurisdiction a test user of that role gets: all inside 江北区 but the city.
ROLE_REGIONS: dict[str, str] = {
    Role.CITY_ADMIN: CITY,
    Role.DISTRICT_OFFICER: JIANGBEI,
    Role.STATION_MANAGER: CICHENG,
    Role.SOCIAL_WORKER: CICHENG,
    Role.SUPERVISOR: JIANGBEI,
    Role.AUDITOR: JIANGBEI,
    # A third-party evaluator works for the city's rounds, narrowed to their assignments.
    Role.EVALUATOR: CITY,
}
PASSWORD = "Test-password-2026"


@pytest.fixture(autouse=True)
def default_language() -> Any:
    """Each test starts in the site's language (Chinese): a request served in English
    leaves English active in the thread (LocaleMiddleware activates, nothing deactivates),
    and a later test reading labels outside a request would depend on the order of tests."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        if not Region.objects.exists():
            region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
            population_import(path=PACKAGED_DATA / "population.csv", actor=SYSTEM)


@pytest.fixture
def region() -> Callable[[str], Region]:
    def get(code: str) -> Region:
        return Region.objects.get(code=code)

    return get


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: str, code: str | None = None, **extra: Any) -> User:
        user = User(
            username=f"{role}_{next(counter)}",
            role=role,
            jurisdiction=Region.objects.get(code=code or ROLE_REGIONS[role]),
            **extra,
        )
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User]:
    """One user per role, each at its usual jurisdiction (see ROLE_REGIONS)."""
    return {role: make_user(role) for role in Role.values}


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
