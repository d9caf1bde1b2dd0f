"""The funds' rules (services.py), for every writer: shares never exceed the donation and the
remainder is visible; instalments never exceed the contract, the final one is held and released;
spending never exceeds what was granted without an override at the funder's level; who records
which tier's money."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from swstation.core.actors import SYSTEM
from swstation.core.transitions import StateConflict
from swstation.funds import selectors, services
from swstation.funds.models import Expense, Grant
from tests.funds import helpers as h

pytestmark = pytest.mark.django_db


def _donation(amount: str = "5000000.00") -> Grant:
    """雅戈尔's donation via the charity base, held at the city."""
    giver = h.funder(h.CITY, name="雅戈尔集团", kind="enterprise")
    return h.grant(h.CITY, amount, by=giver, to_station=False, programme="美好家园")


def test_shares_add_up_and_the_remainder_is_visible(users: dict[str, Any]) -> None:
    donation = _donation("100000.00")
    services.grant_create(
        actor=SYSTEM,
        funder=donation.funder,
        parent=donation,
        station=h.station(h.CICHENG),
        amount=Decimal("60000.00"),
        year=2024,
        granted_on=date(2024, 4, 1),
        purpose="美好家园 慈城",
    )
    assert selectors.grant_balance(donation).balance == Decimal("40000.00")
    with pytest.raises(ValidationError) as refused:
        services.grant_create(
            actor=SYSTEM,
            funder=donation.funder,
            parent=donation,
            station=h.station(h.YUEHU),
            amount=Decimal("40000.01"),
            year=2024,
            granted_on=date(2024, 4, 1),
            purpose="美好家园 月湖",
        )
    assert "剩余 40000.00 元" in str(refused.value.message_dict["amount"])
    # exactly the remainder is accepted
    services.grant_create(
        actor=SYSTEM,
        funder=donation.funder,
        parent=donation,
        station=h.station(h.YUEHU),
        amount=Decimal("40000.00"),
        year=2024,
        granted_on=date(2024, 4, 1),
        purpose="美好家园 月湖",
    )
    assert selectors.grant_balance(donation).balance == Decimal("0.00")


def test_a_share_keeps_its_donations_funder() -> None:
    donation = _donation()
    other = h.funder(h.CICHENG)
    with pytest.raises(ValidationError) as refused:
        services.grant_create(
            actor=SYSTEM,
            funder=other,
            parent=donation,
            station=h.station(),
            amount=Decimal("1.00"),
            year=2024,
            granted_on=date(2024, 4, 1),
            purpose="x",
        )
    assert "funder" in refused.value.message_dict


def test_a_donation_is_not_cut_below_its_shares() -> None:
    donation = _donation("1000.00")
    h.grant(h.CICHENG, "800.00", by=donation.funder, parent=donation)
    with pytest.raises(ValidationError) as refused:
        services.grant_update(actor=SYSTEM, grant=donation, amount=Decimal("700.00"))
    assert "800.00" in str(refused.value.message_dict["amount"])


@pytest.mark.parametrize(
    ("role", "tier", "allowed"),
    [
        ("station_manager", "city", False),
        ("station_manager", "county", False),
        ("station_manager", "township", True),
        ("station_manager", "social", True),
        ("district_officer", "county", True),
        ("district_officer", "city", False),
        ("city_admin", "city", True),
    ],
)
def test_who_records_which_tier(users: dict[str, Any], role: str, tier: str, allowed: bool) -> None:
    code = {"city": h.CITY, "county": h.JIANGBEI, "township": h.CICHENG, "social": h.CICHENG}[tier]
    giver = h.funder(code, tier=tier)
    fields = {
        "funder": giver,
        "station": h.station(h.CICHENG),
        "amount": Decimal("1000.00"),
        "year": 2024,
        "granted_on": date(2024, 4, 1),
        "purpose": "测试",
    }
    if allowed:
        assert services.grant_create(actor=users[role], **fields).tier == tier
    else:
        with pytest.raises(ValidationError) as refused:
            services.grant_create(actor=users[role], **fields)
        assert "不能登记" in str(refused.value.message_dict["funder"])


def test_spending_never_exceeds_the_grant_without_an_override(users: dict[str, Any]) -> None:
    county = h.funder(h.JIANGBEI, tier="county", kind="civil_affairs", name="江北区民政局")
    grant = h.grant(h.CICHENG, "1000.00", by=county)
    h.expense(grant, "900.00")
    line = {
        "grant": grant,
        "spent_on": date(2024, 7, 1),
        "category": "materials",
        "amount": Decimal("200.00"),
        "voucher_number": "PZ-OVER",
    }
    manager = users["station_manager"]
    with pytest.raises(ValidationError) as refused:
        services.expense_create(actor=manager, **line)
    assert "剩余 100.00 元" in str(refused.value.message_dict["amount"])
    # the station manager is not at the county's level: a reason is not enough
    with pytest.raises(ValidationError) as refused:
        services.expense_create(actor=manager, override_reason="活动追加", **line)
    assert "override_reason" in refused.value.message_dict
    assert not Expense.objects.filter(voucher_number="PZ-OVER").exists()
    # the district officer (the funder's level) allows it, by name
    officer = users["district_officer"]
    allowed = services.expense_create(actor=officer, override_reason="活动追加", **line)
    assert allowed.override_by == officer
    assert selectors.grant_balance(grant).balance == Decimal("-100.00")


def test_spending_within_the_grant_needs_no_override(users: dict[str, Any]) -> None:
    grant = h.grant(h.CICHENG, "1000.00")
    line = services.expense_create(
        actor=users["station_manager"],
        grant=grant,
        spent_on=date(2024, 7, 1),
        category="staff",
        amount=Decimal("1000.00"),
        voucher_number="PZ-ALL",
        override_reason="不需要",
    )
    assert line.override_by is None and line.override_reason == ""


def test_instalments_add_up_and_the_final_one_is_held_then_released(
    users: dict[str, Any],
) -> None:
    contract = h.contract(h.CICHENG, "300000.00")
    manager = users["station_manager"]
    first = services.instalment_create(
        actor=manager,
        contract=contract,
        sequence=1,
        due_on=date(2024, 3, 1),
        amount=Decimal("200000.00"),
    )
    with pytest.raises(ValidationError) as refused:
        services.instalment_create(
            actor=manager,
            contract=contract,
            sequence=2,
            due_on=date(2024, 12, 1),
            amount=Decimal("100000.01"),
            is_final=True,
        )
    assert "剩余 100000.00 元" in str(refused.value.message_dict["amount"])
    final = services.instalment_create(
        actor=manager,
        contract=contract,
        sequence=2,
        due_on=date(2024, 12, 1),
        amount=Decimal("100000.00"),
        is_final=True,
    )
    with pytest.raises(ValidationError):
        services.instalment_hold(actor=manager, instalment=first, reason="评估未完成")
    services.instalment_hold(actor=manager, instalment=final, reason="待年度评估")
    with pytest.raises(StateConflict):
        services.instalment_mark_paid(actor=manager, instalment=final, paid_on=date(2024, 12, 5))
    services.instalment_release(actor=manager, instalment=final)
    paid = services.instalment_mark_paid(actor=manager, instalment=final, paid_on=date(2024, 12, 5))
    assert paid.paid_on == date(2024, 12, 5)
    with pytest.raises(StateConflict):
        services.instalment_mark_paid(actor=manager, instalment=final, paid_on=date(2024, 12, 6))
    assert [e.history_type for e in final.history.all()].count("~") == 3


def test_the_contract_is_not_cut_below_its_instalments() -> None:
    contract = h.contract(h.CICHENG, "300000.00")
    h.instalment(contract, 1, "250000.00")
    with pytest.raises(ValidationError) as refused:
        services.purchase_contract_update(
            actor=SYSTEM, contract=contract, amount=Decimal("200000.00")
        )
    assert "250000.00" in str(refused.value.message_dict["amount"])


def test_a_grant_is_marked_paid_once(users: dict[str, Any]) -> None:
    grant = h.grant(h.CICHENG)
    manager = users["station_manager"]
    services.grant_mark_paid(actor=manager, grant=grant, paid_on=date(2024, 5, 1))
    with pytest.raises(StateConflict):
        services.grant_mark_paid(actor=manager, grant=grant, paid_on=date(2024, 5, 2))


def test_pages_show_refusals_in_chinese(users: dict[str, Any]) -> None:
    from django.test import Client

    grant = h.grant(h.CICHENG, "100.00")
    client = Client()
    client.force_login(users["station_manager"])
    response = client.post(
        "/funds/spending/add/",
        {
            "grant": grant.pk,
            "spent_on": "2024-07-01",
            "category": "staff",
            "amount": "150.00",
            "voucher_number": "PZ-PAGE",
        },
    )
    assert response.status_code == 200
    assert "本笔支出将超出资助额" in response.content.decode()
    assert not Expense.objects.filter(voucher_number="PZ-PAGE").exists()
