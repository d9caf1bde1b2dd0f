"""funds.0003 moves every station subsidy into the grants (issue 12: one ledger), with its
status, payment day, amount and history, and back again."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.concurrency import reference_data, restore_reference_data_afterwards

__all__ = ["reference_data", "restore_reference_data_afterwards"]  # fixtures used by the test

BEFORE = [("funds", "0002_grant_labels"), ("stations", "0003_portfolio_minimums")]
AFTER = [("funds", "0003_subsidies_from_stations"), ("stations", "0004_delete_stationsubsidy")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("parallel_db")
@pytest.mark.usefixtures("reference_data", "restore_reference_data_afterwards")
def test_station_subsidies_become_grants_with_their_history_and_back() -> None:
    try:
        apps = migrate(BEFORE)
        Region = apps.get_model("regions", "Region")
        Station = apps.get_model("stations", "Station")
        Policy = apps.get_model("stations", "SubsidyPolicy")
        Subsidy = apps.get_model("stations", "StationSubsidy")
        History = apps.get_model("stations", "HistoricalStationSubsidy")
        clerk = get_user_model().objects.create(username="migration-clerk")
        policy = Policy.objects.create(
            name="市级社工站建设一次性补助",
            source="city",
            amount=Decimal(50000),
            station_kinds=["township"],
            valid_from=date(2020, 1, 1),
        )
        made = []
        for code, opened in (
            ("330205103000", date(2021, 4, 1)),
            ("330203004000", date(2022, 5, 1)),
        ):
            station = Station.objects.create(
                name=f"站{code}",
                kind="township",
                region=Region.objects.get(code=code),
                status="operating",
                opened_on=opened,
            )
            made.append(station)
        paid = Subsidy.objects.create(
            station=made[0],
            policy=policy,
            amount=Decimal(50000),
            year=2021,
            status="paid",
            paid_on=date(2021, 9, 1),
            note="已拨付",
        )
        recorded = timezone.make_aware(datetime(2021, 4, 20, 10))
        for when, status, paid_on, kind in (
            (recorded, "payable", None, "+"),
            (timezone.make_aware(datetime(2021, 9, 2, 9)), "paid", date(2021, 9, 1), "~"),
        ):
            History.objects.create(
                id=paid.pk,
                station_id=made[0].pk,
                policy_id=policy.pk,
                amount=Decimal(50000),
                year=2021,
                status=status,
                paid_on=paid_on,
                note="已拨付",
                created_at=recorded,
                updated_at=when,
                history_date=when,
                history_type=kind,
                history_user_id=clerk.pk,
            )
        Subsidy.objects.create(
            station=made[1], policy=policy, amount=Decimal(50000), year=2022, note="待验收"
        )

        apps = migrate(AFTER)
        Grant = apps.get_model("funds", "Grant")
        HistoricalGrant = apps.get_model("funds", "HistoricalGrant")
        grants = {g.station_id: g for g in Grant.objects.select_related("funder", "region")}
        assert set(grants) == {made[0].pk, made[1].pk}
        first, second = grants[made[0].pk], grants[made[1].pk]
        assert (first.policy_id, first.amount, first.year, first.paid_on, first.note) == (
            policy.pk,
            Decimal("50000.00"),
            2021,
            date(2021, 9, 1),
            "已拨付",
        )
        assert (second.paid_on, second.note, second.year) == (None, "待验收", 2022)
        # Paid by the city's civil-affairs bureau (registered as a funder), the city's tier.
        assert {(g.funder.name, g.funder.region.code, g.tier) for g in grants.values()} == {
            ("宁波市民政局", "330200000000", "city")
        }
        assert first.region_id == made[0].region_id
        assert first.granted_on == date(2021, 4, 20)  # when the subsidy was recorded
        history = list(HistoricalGrant.objects.filter(id=first.pk).order_by("history_date"))
        assert [(h.history_type, h.paid_on, h.history_user_id) for h in history] == [
            ("+", None, clerk.pk),
            ("~", date(2021, 9, 1), clerk.pk),
            ("~", date(2021, 9, 1), None),
        ]
        assert "StationSubsidy" in history[-1].history_change_reason
        assert HistoricalGrant.objects.filter(id=second.pk).count() == 1

        apps = migrate(BEFORE)
        Subsidy = apps.get_model("stations", "StationSubsidy")
        back = {s.station_id: s for s in Subsidy.objects.all()}
        assert (back[made[0].pk].status, back[made[0].pk].paid_on) == ("paid", date(2021, 9, 1))
        assert (back[made[1].pk].status, back[made[1].pk].paid_on) == ("payable", None)
        assert not apps.get_model("funds", "Grant").objects.filter(policy__isnull=False).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
