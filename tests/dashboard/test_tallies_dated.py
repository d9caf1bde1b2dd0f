"""Back-dated and corrected records keep every past period right (issue 18): random writes of
the dates the figures read — registrations, exits, category periods, stage changes, visits,
hiring and certificates — through the services where there is one, each followed by the
incremental refresh, equal a full recount; and a past year's figures follow a back-dated write."""

import random
from datetime import date, timedelta
from typing import Any

import pytest

from swstation.cases.models import CaseStageChange
from swstation.core.actors import SYSTEM
from swstation.dashboard.selectors import Period, cockpit
from swstation.dashboard.services import tally_rebuild
from swstation.recipients.models import Category, Recipient
from swstation.recipients.services import recipient_exit, recipient_update
from swstation.regions.models import Region
from tests.conftest import CITY
from tests.dashboard import test_as_of as years
from tests.dashboard.helpers import assert_matches_recount


@pytest.fixture
def world(db: Any) -> years.World:
    built = years.build()
    tally_rebuild()
    return built


@pytest.mark.parametrize("seed", [11, 12])
def test_random_back_dated_writes_keep_the_tallies_equal_to_a_recount(
    world: years.World, seed: int
) -> None:
    rng = random.Random(seed)
    categories = list(Category.objects.filter(code__in=["disabled", "subsistence_allowance"]))

    def some_day(after: date = date(2021, 1, 1)) -> date:
        return after + timedelta(days=rng.randint(0, max(0, (years.TODAY - after).days)))

    def registration() -> None:
        person = rng.choice(world.recipients)
        if person.exited_on is None:
            recipient_update(actor=SYSTEM, recipient=person, registered_on=some_day())

    def leave() -> None:
        person = rng.choice(world.recipients)
        person.refresh_from_db()
        if person.exited_on is None:
            reason = rng.choice(["deceased", "moved_away", "ineligible"])
            recipient_exit(
                actor=SYSTEM,
                recipient=person,
                exited_on=some_day(person.registered_on),
                reason=reason,
            )

    def come_back() -> None:
        person = rng.choice(world.recipients)
        person.refresh_from_db()
        if person.exited_on is not None:
            recipient_update(actor=SYSTEM, recipient=person, status="active")

    def recategorise() -> None:
        person = rng.choice(world.recipients)
        person.refresh_from_db()
        chosen = [c for c in categories if rng.random() < 0.5]
        since = some_day(max(person.registered_on, date(2021, 1, 1)))
        latest = person.category_periods.order_by("-valid_from").first()
        if latest is None or latest.valid_from < since:
            recipient_update(
                actor=SYSTEM, recipient=person, categories=chosen, categories_since=since
            )

    def move_a_stage_change() -> None:
        change = CaseStageChange.objects.exclude(from_stage="").order_by("?").first()
        if change is not None:
            change.changed_on = some_day(change.case.opened_on)
            change.save()

    def visit() -> None:
        person = rng.choice(world.recipients)
        station = rng.choice([world.s1, world.s2])
        years._service(person, station, some_day(date(2022, 9, 1)), "health_visit")

    def hire() -> None:
        years._staff(rng.choice([world.s1, world.s2]), some_day())

    def certify() -> None:
        from swstation.workforce.models import SocialWorker
        from tests.dashboard import helpers as h

        person = SocialWorker.objects.order_by("?").first()
        assert person is not None
        level = rng.choice(["assistant", "intermediate", "senior"])
        if not person.certificates.filter(level=level).exists():
            h.make_certificate(person, level, some_day())

    operations = [
        registration,
        leave,
        come_back,
        recategorise,
        move_a_stage_change,
        visit,
        hire,
        certify,
    ]
    for step in range(40):
        rng.choice(operations)()
        if step % 10 == 9:
            assert_matches_recount()
    assert_matches_recount()
    assert Recipient.objects.exists()


def test_a_back_dated_registration_changes_the_past_years_only(
    world: years.World, users: dict[str, Any]
) -> None:
    city = Region.objects.get(code=CITY)

    def recipients(year: int) -> int:
        return cockpit(
            actor=users["city_admin"], region=city, period=Period.year(year)
        ).totals.recipients

    before = {year: recipients(year) for year in years.YEARS}
    newcomer = world.recipients[3]  # registered today
    recipient_update(actor=SYSTEM, recipient=newcomer, registered_on=date(2022, 7, 1))
    after = {year: recipients(year) for year in years.YEARS}
    assert after == {
        2021: before[2021],
        2022: before[2022] + 1,
        2023: before[2023] + 1,
        years.THIS: before[years.THIS],
    }
