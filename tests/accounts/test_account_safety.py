"""Nobody locks the city out: no deactivating or demoting oneself, and the last active city
administrator stays, whatever the page, the API or two requests racing each other."""

import importlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from swstation.accounts import services
from swstation.accounts.models import User
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.recipients.models import Category
from swstation.regions.models import Region
from swstation.regions.services import PACKAGED_DATA, population_import, region_import_divisions
from tests.conftest import CITY, JIANGBEI

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _restore_regions_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """The race test commits for real, and its flush empties every table: put the division
    tree and the categories seeded by a migration back for the tests that run after this
    module (as tests/browser/conftest.py does)."""
    yield
    with django_db_blocker.unblock():
        if not Region.objects.exists():
            region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
            population_import(path=PACKAGED_DATA / "population.csv", actor=SYSTEM)
        if not Category.objects.exists():
            seed = importlib.import_module("swstation.recipients.migrations.0002_seed_categories")
            seed.seed(apps, None)


def edit_data(user: User, **changes: Any) -> dict[str, Any]:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "jurisdiction": user.jurisdiction_id,
        "phone": user.phone,
        "email": user.email,
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def superuser() -> User:
    """Someone outside the roles (Django's superuser) who could otherwise remove the last one."""
    return User.objects.create(username="root", is_superuser=True)


def active_city_admins() -> int:
    return User.objects.filter(role=Role.CITY_ADMIN, is_active=True).count()


def test_a_city_admin_cannot_deactivate_themselves_on_the_page(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    client = Client()
    client.force_login(admin)
    response = client.post(f"/accounts/users/{admin.pk}/edit/", edit_data(admin, is_active=None))
    assert response.status_code == 200
    assert "不能停用自己的账号" in response.context["form"].errors["is_active"][0]
    admin.refresh_from_db()
    assert admin.is_active


def test_a_city_admin_cannot_demote_themselves_on_the_page(
    users: dict[str, Any], make_user: Any
) -> None:
    admin = users[Role.CITY_ADMIN]
    make_user(Role.CITY_ADMIN)  # another one exists: the refusal is about oneself
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/accounts/users/{admin.pk}/edit/", edit_data(admin, role=Role.SUPERVISOR)
    )
    assert response.status_code == 200
    assert "不能更改自己的角色" in response.context["form"].errors["role"][0]
    admin.refresh_from_db()
    assert admin.role == Role.CITY_ADMIN


def test_a_city_admin_cannot_deactivate_or_demote_themselves_through_the_api(
    users: dict[str, Any], make_user: Any
) -> None:
    admin = users[Role.CITY_ADMIN]
    make_user(Role.CITY_ADMIN)
    api = APIClient()
    api.force_authenticate(admin)
    response = api.patch(f"/api/v1/users/{admin.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400
    assert "不能停用自己的账号" in response.json()["is_active"][0]
    response = api.patch(
        f"/api/v1/users/{admin.pk}/",
        {"role": Role.DISTRICT_OFFICER, "jurisdiction_code": JIANGBEI},
        format="json",
    )
    assert response.status_code == 400
    assert "不能更改自己的角色" in response.json()["role"][0]
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.CITY_ADMIN
    # Changing one's own name is still fine.
    assert api.patch(f"/api/v1/users/{admin.pk}/", {"full_name": "王局"}).status_code == 200


def test_an_account_may_be_created_inactive_through_the_api(users: dict[str, Any]) -> None:
    """The API offers ``is_active`` on create too (the schema fuzzer sent it and got a 500)."""
    api = APIClient()
    api.force_authenticate(users[Role.CITY_ADMIN])
    response = api.post(
        "/api/v1/users/",
        {
            "username": "not_yet_started",
            "role": Role.DISTRICT_OFFICER,
            "jurisdiction_code": JIANGBEI,
            "password": "Ningbo-Station-2026",
            "is_active": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert User.objects.get(username="not_yet_started").is_active is False


def test_another_city_admin_may_be_deactivated_while_one_remains(
    users: dict[str, Any], make_user: Any
) -> None:
    admin = users[Role.CITY_ADMIN]
    other = make_user(Role.CITY_ADMIN)
    client = Client()
    client.force_login(admin)
    response = client.post(f"/accounts/users/{other.pk}/edit/", edit_data(other, is_active=None))
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_active


def test_the_last_active_city_admin_is_kept(users: dict[str, Any], make_user: Any) -> None:
    admin = users[Role.CITY_ADMIN]
    root = superuser()
    api = APIClient()
    api.force_authenticate(root)
    assert active_city_admins() == 1
    response = api.patch(f"/api/v1/users/{admin.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400
    assert "至少一位在用的市民政局管理员" in response.json()["is_active"][0]
    assert "宁波市" in response.json()["is_active"][0]
    response = api.patch(
        f"/api/v1/users/{admin.pk}/",
        {"role": Role.SUPERVISOR},
        format="json",
    )
    assert response.status_code == 400
    assert "至少一位在用的市民政局管理员" in response.json()["role"][0]
    # Deleting it is refused too, on the API and on the page.
    response = api.delete(f"/api/v1/users/{admin.pk}/")
    assert response.status_code == 400
    assert "至少一位在用的市民政局管理员" in str(response.json())
    client = Client()
    client.force_login(root)
    response = client.post(f"/accounts/users/{admin.pk}/delete/", follow=True)
    assert "至少一位在用的市民政局管理员" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active and admin.role == Role.CITY_ADMIN


def test_an_inactive_city_admin_does_not_count(users: dict[str, Any], make_user: Any) -> None:
    admin = users[Role.CITY_ADMIN]
    make_user(Role.CITY_ADMIN, is_active=False)
    root = superuser()
    with pytest.raises(ValidationError) as caught:
        services.user_update(actor=root, user=admin, is_active=False)
    assert "is_active" in caught.value.message_dict


def test_the_write_locks_the_city_admin_rows(users: dict[str, Any], make_user: Any) -> None:
    """Both demotions of a race read the rows FOR UPDATE (PostgreSQL; SQLite has no row lock
    and serialises writers as a whole)."""
    other = make_user(Role.CITY_ADMIN)
    root = superuser()
    with CaptureQueriesContext(connection) as queries:
        services.user_update(actor=root, user=other, is_active=False)
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two connections racing need PostgreSQL (the SQLite test database is in memory)",
)
def test_two_concurrent_demotions_cannot_both_pass() -> None:
    city = Region.objects.get(code=CITY)
    root = superuser()
    first = User.objects.create(username="admin_a", role=Role.CITY_ADMIN, jurisdiction=city)
    second = User.objects.create(username="admin_b", role=Role.CITY_ADMIN, jurisdiction=city)
    first_demoted = threading.Event()
    outcomes: dict[str, str] = {}

    def demote_first() -> None:
        try:
            with transaction.atomic():
                services.user_update(
                    actor=root, user=User.objects.get(pk=first.pk), is_active=False
                )
                first_demoted.set()
                # Hold the transaction open while the other demotion tries its luck.
                threading.Event().wait(1.0)
            outcomes["first"] = "ok"
        except ValidationError:
            outcomes["first"] = "refused"
        finally:
            first_demoted.set()
            close_old_connections()
            connection.close()

    def demote_second() -> None:
        first_demoted.wait(5)
        try:
            services.user_update(actor=root, user=User.objects.get(pk=second.pk), is_active=False)
            outcomes["second"] = "ok"
        except ValidationError as exc:
            outcomes["second"] = "refused: " + " ".join(exc.messages)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=demote_first), threading.Thread(target=demote_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert outcomes["first"] == "ok"
    assert outcomes["second"].startswith("refused")
    assert "至少一位在用的市民政局管理员" in outcomes["second"]
    assert active_city_admins() == 1
