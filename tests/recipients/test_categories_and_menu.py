"""The seeded vulnerable-group categories (migration 0002, reversible) and the menu."""

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from swstation.core.navigation import menu_for
from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.models import REVIEWERS, Category

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("swstation.recipients.migrations.0002_seed_categories")

EXPECTED = {
    "difficult_family": ("困难家庭", "family"),
    "extreme_poverty": ("特困", "family"),
    "subsistence_allowance": ("低保", "family"),
    "marginal_subsistence": ("低边", "family"),
    "elderly_alone": ("孤寡老人", "elderly"),
    "elderly_living_alone": ("独居老人", "elderly"),
    "empty_nest_elderly": ("空巢老人", "elderly"),
    "bereaved_only_child": ("失独家庭", "family"),
    "advanced_age": ("高龄老人", "elderly"),
    "child_in_difficulty": ("困境儿童", "child"),
    "de_facto_unsupported_child": ("事实无人抚养儿童", "child"),
    "left_behind_child": ("留守儿童", "child"),
    "disabled": ("残疾人", "disability"),
    "migrant": ("流动人口", "other"),
    "at_risk_youth": ("问题青少年", "child"),
    "other": ("其他", "other"),
}


def test_the_categories_are_seeded() -> None:
    found = {c.code: (c.name, c.group) for c in Category.objects.all()}
    assert found == EXPECTED


def test_the_seed_is_reversible_and_idempotent() -> None:
    seed_migration.unseed(apps, None)
    assert not Category.objects.exists()
    seed_migration.seed(apps, None)
    seed_migration.seed(apps, None)
    assert Category.objects.count() == len(EXPECTED)
    assert list(Category.objects.values_list("code", flat=True)[:2]) == [
        "difficult_family",
        "extreme_poverty",
    ]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_role_finds_recipients_and_households_in_the_menu(
    role: str, users: dict[str, Any]
) -> None:
    groups = [[item["url"] for item in group["items"]] for group in menu_for(users[role])]
    # The duplicate reviews are the district officers' and the city bureau's only.
    reviews = ["/recipients/duplicate-reviews/"] if role in REVIEWERS else []
    # The personal-data access log: the auditors' work and the two bureaus' (issue 10).
    readers = {Role.AUDITOR, Role.CITY_ADMIN, Role.DISTRICT_OFFICER}
    access_log = ["/recipients/access-log/"] if role in readers else []
    assert [urls for urls in groups if "/recipients/" in urls] == [
        ["/recipients/", "/recipients/households/", *reviews, *access_log]
    ]
    client = Client()
    client.force_login(users[role])
    assert client.get("/recipients/households/").status_code == 200
