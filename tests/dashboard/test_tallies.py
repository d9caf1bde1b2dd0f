"""The cockpit's aggregates stay equal to a full recount whatever is written, in any order."""

import random
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from swstation.cases.models import Case, ElderlyAssessment, ServiceRecord, VisitSchedule
from swstation.core.actors import SYSTEM
from swstation.dashboard.funds_figures import tallied_funds
from swstation.dashboard.models import Tally, TallyDirty
from swstation.dashboard.services import refresh_tallies, tally_rebuild, tally_refresh
from swstation.funds.models import ContractInstalment, Expense, Grant, PurchaseContract
from swstation.funds.selectors import funds_figures
from swstation.recipients.models import Category
from swstation.regions.models import Region
from swstation.workforce.models import Certificate, PaymentBatch
from tests.dashboard import helpers as h
from tests.dashboard.helpers import assert_matches_recount


@pytest.fixture
def world(db: Any) -> h.World:
    world = h.build_world()
    tally_rebuild()
    return world


def test_a_write_marks_its_partition_and_the_refresh_clears_it(world: h.World) -> None:
    person = world.recipients[0]
    h.make_record(world, person, date(2026, 4, 1))
    marked = set(TallyDirty.objects.values_list("family", "partition"))
    assert marked == {("services", person.region.code[:9]), ("visits", person.region.code[:9])}
    assert tally_refresh() == 2
    assert not TallyDirty.objects.exists()


def test_a_recipient_who_moves_takes_their_services_to_the_new_township(world: h.World) -> None:
    person = world.recipients[0]  # in 慈城镇
    before = Tally.objects.get(
        metric="people_served", level="t", region_code=h.CICHENG, period=date(2026, 2, 1)
    ).count
    person.region = world.villages[h.YUEHU][0]
    person.save()
    tally_refresh()
    after = Tally.objects.filter(
        metric="people_served", level="t", region_code=h.CICHENG, period=date(2026, 2, 1)
    ).values_list("count", flat=True)
    assert list(after) == [before - 1] if before > 1 else list(after) == []
    assert_matches_recount()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_changes_keep_the_tallies_equal_to_a_full_recount(world: h.World, seed: int) -> None:
    rng = random.Random(seed)
    all_villages = [v for vs in world.villages.values() for v in vs]
    categories = list(Category.objects.values_list("pk", flat=True))
    today = date.today()

    def some_day() -> date:
        return date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))

    def add_record() -> None:
        person = rng.choice(world.recipients)
        world.records.append(
            h.make_record(world, person, some_day(), rng.choice(["phone", "home_visit"]))
        )

    def change_record() -> None:
        record = rng.choice(world.records)
        record.served_on = some_day()
        record.service_type = rng.choice(["counselling", "health_visit"])
        record.save()

    def delete_record() -> None:
        if len(world.records) > 1:
            world.records.pop(rng.randrange(len(world.records))).delete()

    def move_recipient() -> None:
        person = rng.choice(world.recipients)
        person.region = rng.choice(all_villages)
        person.save()

    def change_status() -> None:
        person = rng.choice(world.recipients)
        person.status = rng.choice(["active", "inactive", "deceased"])
        person.save()

    def change_categories() -> None:
        person = rng.choice(world.recipients)
        if rng.random() < 0.5:
            person.categories.add(rng.choice(categories))
        else:
            person.categories.clear()

    def add_recipient() -> None:
        world.recipients.append(h.make_recipient(rng.choice(all_villages), "disabled"))

    def change_case() -> None:
        case = rng.choice(world.cases)
        case.stage = rng.choice(["assessment", "intervention", "closed"])
        case.closed_on = date(2026, 5, 1) if case.stage == "closed" else None
        case.save()

    def add_case() -> None:
        person = rng.choice(world.recipients)
        township = rng.choice(h.TOWNSHIPS)
        world.cases.append(h.make_case(world, person, township, opened_on=some_day()))

    def add_certificate() -> None:
        person = rng.choice([w for ws in world.workers.values() for w in ws])
        level = rng.choice(["assistant", "intermediate", "senior"])
        if not person.certificates.filter(level=level).exists():
            h.make_certificate(person, level, some_day())

    def delete_certificate() -> None:
        certificate = Certificate.objects.filter(payments__isnull=True).order_by("?").first()
        if certificate is not None:
            certificate.delete()

    def move_worker() -> None:
        person = rng.choice([w for ws in world.workers.values() for w in ws])
        station = world.stations[rng.choice(h.TOWNSHIPS)]
        person.region, person.station = station.region, station
        person.save()

    def schedule() -> None:
        person = rng.choice(world.recipients)
        if person.region.code[:9].ljust(12, "0") in world.workers:
            world.schedules.append(h.make_schedule(world, person, some_day()))

    def stop_schedule() -> None:
        plan = rng.choice(world.schedules)
        plan.active = not plan.active
        plan.ends_on = today + timedelta(days=rng.randint(-30, 30))
        plan.save()

    def pay() -> None:
        certificate = Certificate.objects.filter(payments__isnull=True).order_by("?").first()
        if certificate is not None:
            h.make_paid_batch(certificate.social_worker, certificate, some_day())

    def unpay() -> None:
        batch = person_batch()
        if batch is not None:
            batch.status = "approved"
            batch.save()

    def subsidy() -> None:
        h.make_subsidy(world.stations[rng.choice(h.TOWNSHIPS)], rng.choice([None, some_day()]))

    def assess() -> None:
        standard = rng.choice(["GB/T 42195-2022", "MZ/T 039-2013"])
        level = rng.randint(0, 4 if standard == "GB/T 42195-2022" else 3)
        h.make_assessment(world, rng.choice(world.recipients), some_day(), standard, level)

    def change_assessment() -> None:
        assessment = ElderlyAssessment.objects.order_by("?").first()
        if assessment is not None:
            assessment.assessed_on = some_day()
            assessment.level = assessment.base_level = rng.randint(0, 3)
            assessment.save()

    def delete_assessment() -> None:
        assessment = ElderlyAssessment.objects.order_by("?").first()
        if assessment is not None:
            assessment.delete()

    # --- the "four ones": grants (and a donation's shares), contracts, instalments, spending
    def money_amount() -> Decimal:
        return Decimal(rng.randrange(1_000, 90_001, 500))

    def some_year() -> int:
        return rng.choice([2024, 2025, 2026])

    def add_grant() -> None:
        station = world.stations[rng.choice(h.TOWNSHIPS)]
        tier = rng.choice(["city", "county", "township", "social"])
        h.make_grant(
            station, tier, some_year(), money_amount(), paid_on=rng.choice([None, some_day()])
        )

    def add_donation_share() -> None:
        donation = Grant.objects.filter(station__isnull=True, parent__isnull=True).first()
        if donation is None or rng.random() < 0.2:
            donation = h.make_grant(None, "social", some_year(), Decimal(500_000))
        station = world.stations[rng.choice(h.TOWNSHIPS)]
        h.make_grant(station, "social", some_year(), money_amount(), parent=donation)

    def change_grant() -> None:
        grant = Grant.objects.order_by("?").first()
        if grant is not None:
            grant.amount = money_amount() + Decimal("0.35")
            grant.year = some_year()
            grant.paid_on = rng.choice([None, some_day()])
            if grant.parent_id and rng.random() < 0.5:  # a share moves to another station
                grant.station = world.stations[rng.choice(h.TOWNSHIPS)]
                grant.region = grant.station.region
            grant.save()

    def delete_grant() -> None:
        grant = (
            Grant.objects.filter(allocations__isnull=True, expenses__isnull=True)
            .order_by("?")
            .first()
        )
        if grant is not None:
            grant.delete()

    def add_contract() -> None:
        township = rng.choice(h.TOWNSHIPS)
        station = world.stations[township]
        purchaser = rng.choice([township, township[:6] + "000000"])
        contract = h.make_contract(station, purchaser, some_day(), Decimal(300_000))
        for _n in range(rng.randint(1, 3)):
            h.make_instalment(contract, some_day(), money_amount())

    def change_instalment() -> None:
        instalment = ContractInstalment.objects.order_by("?").first()
        if instalment is None:
            return
        choice = rng.random()
        if choice < 0.4:
            instalment.paid_on = None if instalment.paid_on else some_day()
            instalment.held = False
        elif choice < 0.6:
            instalment.is_final = instalment.held = instalment.paid_on is None
        else:
            instalment.due_on = some_day()
            instalment.amount = money_amount()
        instalment.save()

    def move_contract() -> None:
        """A district's contract goes to another of its stations (孔浦 and 慈城, 江北)."""
        contract = PurchaseContract.objects.filter(region__level="county").order_by("?").first()
        if contract is not None:
            codes = [t for t in h.TOWNSHIPS if t.startswith(contract.region.code[:6])]
            contract.station = world.stations[rng.choice(codes)]
            contract.save()

    def delete_instalment() -> None:
        instalment = ContractInstalment.objects.order_by("?").first()
        if instalment is not None:
            instalment.delete()

    def spend() -> None:
        sources: list[Any] = [
            *Grant.objects.order_by("?")[:1],
            *PurchaseContract.objects.order_by("?")[:1],
        ]
        if sources:
            h.make_expense(rng.choice(sources), some_day(), money_amount())

    def change_expense() -> None:
        expense = Expense.objects.order_by("?").first()
        if expense is None:
            return
        if rng.random() < 0.3:
            expense.delete()
        else:
            expense.spent_on = some_day()
            expense.amount = money_amount()
            expense.save()

    def person_batch() -> PaymentBatch | None:
        return PaymentBatch.objects.filter(status="paid").order_by("?").first()

    operations = [
        add_record,
        add_record,
        change_record,
        delete_record,
        move_recipient,
        change_status,
        change_categories,
        add_recipient,
        change_case,
        add_case,
        add_certificate,
        delete_certificate,
        move_worker,
        schedule,
        stop_schedule,
        pay,
        unpay,
        subsidy,
        assess,
        assess,
        change_assessment,
        delete_assessment,
        add_grant,
        add_grant,
        add_donation_share,
        change_grant,
        delete_grant,
        add_contract,
        change_instalment,
        move_contract,
        delete_instalment,
        spend,
        change_expense,
    ]
    for step in range(90):
        rng.choice(operations)()
        if step % 20 == 19:
            assert_matches_recount()
    assert_matches_recount()
    # The checks ran on real data (visit schedules may all have been stopped by then).
    families = set(Tally.objects.values_list("family", flat=True))
    assert families >= {"services", "recipients", "cases", "workforce", "funds"}
    assert ServiceRecord.objects.exists() and Case.objects.exists()
    assert VisitSchedule.objects.exists()
    # The funds were written too, and the cockpit's funds figures read from these tallies are
    # those the funds summary counts from the records, for the city, its districts and towns.
    assert Grant.objects.exists() and ContractInstalment.objects.exists()
    assert_funds_tallies_match_records()


def assert_funds_tallies_match_records() -> None:
    codes = [h.CITY, h.JIANGBEI, h.HAISHU, *h.TOWNSHIPS]
    for code in codes:
        area = Region.objects.get(code=code)
        for year in (2024, 2025, 2026):
            tallied = tallied_funds(region=area, year=year)
            counted = funds_figures(actor=SYSTEM, region=area, year=year)
            assert tallied is not None
            assert (code, year, tallied.by_tier, tallied.spent, tallied.grants) == (
                code,
                year,
                counted.by_tier,
                counted.spent,
                counted.grants,
            )
            assert (
                tallied.open_instalments,
                tallied.open_instalments_amount,
                tallied.held_instalments,
                tallied.overdue_instalments,
            ) == (
                counted.open_instalments,
                counted.open_instalments_amount,
                counted.held_instalments,
                counted.overdue_instalments,
            ), code


def test_one_refresh_is_queued_per_transaction_and_the_worker_runs_it(
    world: h.World, django_capture_on_commit_callbacks: Any
) -> None:
    """The refresh leaves the request: the commit queues one task in the database for the
    background worker (``db_worker --backend background``, which closes the database connection
    between tasks and so cannot run inside a test's transaction: the task's function is called
    as the worker would)."""
    person = world.recipients[0]
    # The fixture's writes left their refresh queued in the test's transaction, which never
    # commits; start from an empty queue as a fresh request would.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        h.make_record(world, person, date(2026, 4, 1))
        h.make_record(world, person, date(2026, 4, 2))
        person.categories.clear()
    assert len(callbacks) == 1
    queued = DBTaskResult.objects.filter(task_path=refresh_tallies.module_path)
    assert queued.count() == 1
    assert TallyDirty.objects.exists()  # nothing was recounted in the request

    assert queued.get().status == "READY"
    assert refresh_tallies.call() == 3  # services, visits and recipients of their town
    assert not TallyDirty.objects.exists()
    april = Tally.objects.get(
        metric="services", level="c", key="home_visit", period=date(2026, 4, 1)
    )
    assert april.count == 2


def test_rebuild_command_recounts_what_a_bulk_load_bypassed(world: h.World) -> None:
    person = world.recipients[0]
    ServiceRecord.objects.bulk_create(  # a bulk load: no signals, nothing marked
        [
            ServiceRecord(
                recipient=person,
                station=world.stations[h.CICHENG],
                worker=world.workers[h.CICHENG][0],
                served_on=date(2026, 9, 9),
                service_type="referral",
                duration_minutes=20,
            )
        ]
    )
    assert not Tally.objects.filter(key="referral").exists()
    out = StringIO()
    call_command("rebuild_tallies", "--family", "services", stdout=out)
    assert "Recounted" in out.getvalue()
    assert Tally.objects.get(key="referral", level="c").count == 1
