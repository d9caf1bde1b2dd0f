"""Plain pages and API of payments: read-only for every role (the payment workflow writes
them), scoped by the paid person's region, personal data of nobody exposed to other roles."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from swstation.core.roles import Role
from swstation.workforce.models import Payment, RewardPolicy
from tests.base import ROLES, ModelTestBase
from tests.workforce import helpers

pytestmark = pytest.mark.django_db

READERS = {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.AUDITOR}


class PaymentCases(ModelTestBase):
    model = Payment
    list_params = {"q": "受奖人"}

    def make_object(self, code: str, n: int = 0) -> Payment:
        policy, _ = RewardPolicy.objects.get_or_create(
            kind="exam_reward",
            level="assistant",
            valid_from=date(2022, 1, 1),
            defaults={"amount": Decimal("1500")},
        )
        worker = helpers.person(code, name=f"受奖人{n:03d}")
        return helpers.exam_reward(
            helpers.exam_reward_batch(2023), worker, policy, date(2023, 5, 1)
        )

    def object_label(self, obj: Payment) -> str:
        return obj.social_worker.name


class TestPaymentPages(PaymentCases):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_detail_history_by_role(self, role: str, users: dict[str, Any]) -> None:
        inside = self.make_object(helpers.CICHENG, 1)
        outside = self.make_object(helpers.YUEHU, 2)
        client = self.client_for(users[role])
        listing = client.get(self.url("_list"), self.list_params)
        detail = client.get(inside.get_absolute_url())
        history = client.get(self.url("_history", inside.pk))
        if role not in READERS:
            assert {listing.status_code, detail.status_code, history.status_code} == {403}
            return
        assert listing.status_code == detail.status_code == history.status_code == 200
        body = listing.content.decode()
        assert "受奖人001" in body
        assert ("受奖人002" in body) == (role == Role.CITY_ADMIN)
        expected = 200 if role == Role.CITY_ADMIN else 404
        assert client.get(outside.get_absolute_url()).status_code == expected

    def test_no_page_writes_a_payment(self, users: dict[str, Any]) -> None:
        payment = self.make_object(helpers.CICHENG, 1)
        for suffix, args in (("_add", []), ("_edit", [payment.pk]), ("_delete", [payment.pk])):
            with pytest.raises(NoReverseMatch):
                reverse(f"workforce:payment{suffix}", args=args)
        client = self.client_for(users[Role.CITY_ADMIN])
        assert client.post(f"/workforce/payments/{payment.pk}/delete/").status_code == 404
        assert client.post(f"/workforce/payments/{payment.pk}/edit/").status_code == 404
        assert Payment.objects.filter(pk=payment.pk).exists()
        detail = client.get(payment.get_absolute_url()).content.decode()
        assert f"/workforce/payments/{payment.pk}/edit/" not in detail

    def test_export_is_scoped(self, users: dict[str, Any]) -> None:
        self.make_object(helpers.CICHENG, 1)
        self.make_object(helpers.YUEHU, 2)
        response = self.client_for(users[Role.DISTRICT_OFFICER]).get(
            self.url("_list"), {"export": "csv"}
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "受奖人001" in text and "受奖人002" not in text

    def test_list_query_count_is_flat(self, users: dict[str, Any]) -> None:
        client = self.client_for(users[Role.CITY_ADMIN])
        self.make_object(helpers.CICHENG, 100)
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.url("_list"), {"per_page": 250}).status_code == 200
        for n in range(8):
            self.make_object(helpers.CICHENG, 200 + n)
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.url("_list"), {"per_page": 250}).status_code == 200
        assert len(many) == len(few)

    def test_batch_page_lists_its_payments(self, users: dict[str, Any]) -> None:
        payment = self.make_object(helpers.CICHENG, 1)
        response = self.client_for(users[Role.CITY_ADMIN]).get(payment.batch.get_absolute_url())
        assert response.status_code == 200
        assert "受奖人001" in response.content.decode()


class TestPaymentAPI(PaymentCases):
    @pytest.mark.parametrize("role", ROLES)
    def test_read_by_role(self, role: str, users: dict[str, Any]) -> None:
        inside = self.make_object(helpers.CICHENG, 1)
        outside = self.make_object(helpers.YUEHU, 2)
        client = self.api_client_for(users[role])
        response = client.get(self.api_url(), {"page_size": 1000})
        if role not in READERS:
            assert response.status_code == 403
            return
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        assert inside.pk in ids
        assert (outside.pk in ids) == (role == Role.CITY_ADMIN)
        row = client.get(self.api_url(inside.pk)).json()
        assert row["amount"] == "1500.00" and row["social_worker_name"] == "受奖人001"

    @pytest.mark.parametrize("role", ROLES)
    def test_no_role_writes(self, role: str, users: dict[str, Any]) -> None:
        payment = self.make_object(helpers.CICHENG, 1)
        client = self.api_client_for(users[role])
        data = {
            "batch": payment.batch_id,
            "kind": "exam_reward",
            "social_worker": payment.social_worker_id,
            "certificate": payment.certificate_id,
            "policy": payment.policy_id,
            "amount": "1.00",
        }
        assert client.post(self.api_url(), data, format="json").status_code == 403
        response = client.patch(self.api_url(payment.pk), {"amount": "1.00"}, format="json")
        assert response.status_code == 403
        assert client.delete(self.api_url(payment.pk)).status_code == 403
        payment.refresh_from_db()
        assert payment.amount == Decimal("1500.00")
        assert Payment.objects.count() == 1

    def test_not_even_a_superuser_writes_through_the_api(self, make_user: Any) -> None:
        admin = make_user(Role.CITY_ADMIN, is_superuser=True)
        payment = self.make_object(helpers.CICHENG, 1)
        client = self.api_client_for(admin)
        response = client.patch(self.api_url(payment.pk), {"amount": "1.00"}, format="json")
        assert response.status_code == 405
        assert client.delete(self.api_url(payment.pk)).status_code == 405

    def test_list_query_count_is_flat(self, users: dict[str, Any]) -> None:
        client = self.api_client_for(users[Role.CITY_ADMIN])
        self.make_object(helpers.CICHENG, 100)
        with CaptureQueriesContext(connection) as few:
            assert client.get(self.api_url(), {"page_size": 1000}).status_code == 200
        for n in range(8):
            self.make_object(helpers.CICHENG, 200 + n)
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.api_url(), {"page_size": 1000}).status_code == 200
        assert len(many) == len(few)
