"""Category periods (issue 18) read as their own list: every role that sees the person sees
their periods (an auditor no minor's), nobody writes them but the recipients services, and the
page and the API filter them alike (the person, the category, a day held, the dates)."""

from datetime import date
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.recipients.models import CategoryPeriod
from swstation.recipients.services import recipient_update
from tests.base import ROLES, ModelTestBase
from tests.recipients.helpers import (
    CICHENG_VILLAGE,
    YUEHU_COMMUNITY,
    category,
    make_recipient,
)

pytestmark = pytest.mark.django_db


class CategoryPeriodCases(ModelTestBase):
    model = CategoryPeriod
    in_scope_code = CICHENG_VILLAGE
    out_of_scope_code = YUEHU_COMMUNITY
    list_params = {"q": "类别对象"}

    def make_object(self, code: str, n: int = 0) -> CategoryPeriod:
        person = make_recipient(
            code,
            name=f"类别对象{n:03d}",
            birth=date(1950, 1, 1 + n % 28),
            categories=("subsistence_allowance",),
        )
        return person.category_periods.get()

    def object_label(self, obj: CategoryPeriod) -> str:
        return obj.recipient.name


class TestCategoryPeriodPages(CategoryPeriodCases):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_detail_history_and_api_by_role(self, role: str, users: dict[str, Any]) -> None:
        inside = self.make_object(self.in_scope_code, 1)
        outside = self.make_object(self.out_of_scope_code, 2)
        client = self.client_for(users[role])
        page = client.get(self.url("_list"), {"per_page": 250, **self.list_params})
        api = self.api_client_for(users[role]).get(self.api_url(), {"page_size": 1000})
        assert page.status_code == api.status_code == 200  # everyone reads people
        body = page.content.decode()
        assert "类别对象001" in body
        assert ("类别对象002" in body) == (role == Role.CITY_ADMIN)
        ids = {row["id"] for row in api.json()["results"]}
        assert inside.pk in ids
        assert (outside.pk in ids) == (role == Role.CITY_ADMIN)
        detail = client.get(inside.get_absolute_url())
        assert detail.status_code == 200
        assert inside.recipient.get_absolute_url() in detail.content.decode()
        assert client.get(self.url("_history", inside.pk)).status_code == 200
        expected = 200 if role == Role.CITY_ADMIN else 404
        assert client.get(outside.get_absolute_url()).status_code == expected
        row = self.api_client_for(users[role]).get(self.api_url(inside.pk)).json()
        assert (row["recipient"], row["category"]) == (inside.recipient_id, "subsistence_allowance")
        assert row["valid_to"] is None

    def test_a_minor_s_periods_are_not_the_auditor_s(self, users: dict[str, Any]) -> None:
        child = make_recipient(
            name="类别儿童",
            birth=date.today().replace(year=date.today().year - 8, day=1),
            categories=("subsistence_allowance",),
        )
        period = child.category_periods.get()
        for role, seen in ((Role.AUDITOR, False), (Role.STATION_MANAGER, True)):
            client = self.client_for(users[role])
            assert ("类别儿童" in client.get(self.url("_list")).content.decode()) == seen
            assert client.get(period.get_absolute_url()).status_code == (200 if seen else 404)

    @pytest.mark.parametrize("role", ROLES)
    def test_nobody_writes_a_period_directly(self, role: str, users: dict[str, Any]) -> None:
        period = self.make_object(self.in_scope_code, 1)
        api = self.api_client_for(users[role])
        row = {"recipient": period.recipient_id, "valid_from": "2020-01-01"}
        assert api.post(self.api_url(), row, format="json").status_code in (403, 405)
        assert api.patch(self.api_url(period.pk), row, format="json").status_code in (403, 405)
        assert api.delete(self.api_url(period.pk)).status_code in (403, 405)
        for suffix, args in (("_add", []), ("_edit", [period.pk]), ("_delete", [period.pk])):
            with pytest.raises(NoReverseMatch):
                reverse(f"recipients:categoryperiod{suffix}", args=args)
        assert CategoryPeriod.objects.get(pk=period.pk).valid_from == period.valid_from
        assert not any(self.allowed(role, action) for action in ("add", "change", "delete"))

    def test_the_person_s_page_links_to_their_periods(self, users: dict[str, Any]) -> None:
        period = self.make_object(self.in_scope_code, 1)
        body = (
            self.client_for(users[Role.STATION_MANAGER])
            .get(period.recipient.get_absolute_url())
            .content.decode()
        )
        assert f"{self.url('_list')}?recipient={period.recipient_id}" in body


class TestCategoryPeriodFilters(CategoryPeriodCases):
    """Each filter lists the same periods on the page (its detail links) and in the API."""

    @pytest.fixture
    def periods(self) -> dict[str, CategoryPeriod]:
        person = make_recipient(
            name="类别对象甲", categories=("subsistence_allowance",), registered_on=date(2020, 1, 1)
        )
        # 低保 until the end of 2022, 特困 from 2023
        recipient_update(
            actor=SYSTEM,
            recipient=person,
            categories=[category("extreme_poverty")],
            categories_since=date(2023, 1, 1),
        )
        other = make_recipient(name="类别对象乙", categories=("elderly_living_alone",))
        return {
            "ended": person.category_periods.get(category__code="subsistence_allowance"),
            "current": person.category_periods.get(category__code="extreme_poverty"),
            "other": other.category_periods.get(),
        }

    def listed(self, client: Any, api: Any, params: dict[str, Any]) -> set[int]:
        body = client.get(self.url("_list"), {"per_page": 250, **params}).content.decode()
        on_page = {
            pk
            for pk in CategoryPeriod.objects.values_list("pk", flat=True)
            if f'href="{self.url("", pk)}"' in body
        }
        rows = api.get(self.api_url(), {"page_size": 1000, **params}).json()["results"]
        assert on_page == {row["id"] for row in rows}, params
        return on_page

    def test_filters(self, periods: dict[str, CategoryPeriod], users: dict[str, Any]) -> None:
        user = users[Role.DISTRICT_OFFICER]
        client, api = self.client_for(user), self.api_client_for(user)
        ended, current, other = periods["ended"], periods["current"], periods["other"]
        assert ended.valid_to == date(2022, 12, 31) and current.valid_from == date(2023, 1, 1)
        cases: list[tuple[dict[str, Any], set[int]]] = [
            ({}, {ended.pk, current.pk, other.pk}),
            ({"recipient": ended.recipient_id}, {ended.pk, current.pk}),
            ({"category": "subsistence_allowance"}, {ended.pk}),
            ({"held_on": "2022-06-30"}, {ended.pk}),
            ({"held_on": "2023-01-01"}, {current.pk}),
            ({"current": "true"}, {current.pk, other.pk}),
            ({"current": "false"}, {ended.pk}),
            ({"valid_from_before": "2022-12-31"}, {ended.pk}),
            ({"valid_from_after": "2023-01-01"}, {current.pk, other.pk}),
            ({"valid_to_after": "2022-01-01", "valid_to_before": "2022-12-31"}, {ended.pk}),
            ({"q": "类别对象乙"}, {other.pk}),
        ]
        for params, expected in cases:
            assert self.listed(client, api, {"q": "类别对象", **params}) == expected, params
