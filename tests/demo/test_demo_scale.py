"""``demo --scale N`` (demo/scale.py): N times the people drawn city-wide and N times the
service records, with the exact places of 后大街社区 and 周巷镇 as they are.

Shown on the planners, at small scales and on a handful of made-up villages, so that no larger
demo is built (the package's one full build, tests/demo/conftest.py, stays at scale 1 and checks
that scale 1 is the usual demo). None of these tests needs that build.
"""

import random
from collections import Counter
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from swstation.demo import builder
from swstation.demo.cases import SERVICE_RECORDS, Person, record_weights, share_records
from swstation.demo.recipients import (
    HOUDAJIE_BEREAVED_FAMILIES,
    HOUDAJIE_EMPTY_NEST,
    HOUDAJIE_LIVING_ALONE,
    HOUDAJIE_NAME,
    RECIPIENTS_DRAWN,
    REFERENCE_DATE,
    ZHOUXIANG,
    ZHOUXIANG_CHILDREN,
    Plan,
    Village,
    _Identities,
    plan_recipients,
)
from swstation.demo.scale import check_scale, demo_scale, scaled
from swstation.recipients.identifiers import parse_18_character_number
from swstation.recipients.models import RecipientStatus

OPENED = date(2021, 3, 1)
HOUDAJIE = "330211001001"


def village(code: str, name: str, township_name: str) -> Village:
    return Village(code, name, f"{code[:9]}000", township_name, OPENED)


# Three counties: communities and villages of 月湖街道 and 古林镇 (海曙区), 后大街社区 and four
# other communities of 招宝山街道 (镇海区), villages and communities of 周巷镇 (慈溪市).
VILLAGES = [
    *(village(f"33020300400{n}", f"第{n}社区", "月湖街道") for n in range(1, 7)),
    *(village(f"33020310120{n}", f"第{n}村委会", "古林镇") for n in range(1, 7)),
    village(HOUDAJIE, HOUDAJIE_NAME, "招宝山街道"),
    *(village(f"33021100100{n}", f"第{n}社区", "招宝山街道") for n in range(2, 6)),
    *(village(f"33028212100{n}", f"第{n}社区", "周巷镇") for n in range(1, 3)),
    *(village(f"3302821212{n:02d}", f"第{n}村委会", "周巷镇") for n in range(1, 11)),
]
POPULATION = {"330203": 1_020_000, "330211": 550_000, "330282": 1_850_000}
SCALES = (1, 2)


@pytest.fixture(scope="module")
def plans() -> dict[int, Plan]:
    return {scale: plan_recipients(VILLAGES, POPULATION, scale) for scale in SCALES}


def exact_places(plan: Plan) -> dict[str, int]:
    """The published figures of 后大街社区 and 周巷镇 in a plan."""
    houdajie = [p for p in plan.recipients if p.village_code == HOUDAJIE]
    bereaved = {p.household for p in houdajie if "bereaved_only_child" in p.categories}
    return {
        "living alone": sum(
            {"advanced_age", "elderly_living_alone"} <= set(p.categories) for p in houdajie
        ),
        "empty nest": sum(
            {"advanced_age", "empty_nest_elderly"} <= set(p.categories) for p in houdajie
        ),
        "bereaved families": len(bereaved - {None}),
        "children": sum(
            p.village_code.startswith(ZHOUXIANG[:9]) and "child_in_difficulty" in p.categories
            for p in plan.recipients
        ),
    }


def drawn_elsewhere(plan: Plan) -> int:
    """Recipients outside the exact places (the people drawn and their spouses)."""
    return sum(
        p.village_code != HOUDAJIE and "child_in_difficulty" not in p.categories
        for p in plan.recipients
    )


@pytest.mark.parametrize("scale", SCALES)
def test_scale_n_draws_n_times_the_people_and_keeps_the_exact_places(
    plans: dict[int, Plan], scale: int
) -> None:
    plan = plans[scale]
    assert plan.drawn == RECIPIENTS_DRAWN * scale
    assert exact_places(plan) == {
        "living alone": HOUDAJIE_LIVING_ALONE,
        "empty nest": HOUDAJIE_EMPTY_NEST,
        "bereaved families": HOUDAJIE_BEREAVED_FAMILIES,
        "children": ZHOUXIANG_CHILDREN,
    }
    ratio = drawn_elsewhere(plan) / drawn_elsewhere(plans[1])
    assert scale * 0.97 < ratio < scale * 1.03
    # Every village still has people, in proportion to the county's population.
    by_county = Counter(p.village_code[:6] for p in plan.recipients)
    assert {p.village_code for p in plan.recipients} == {v.code for v in VILLAGES}
    assert by_county["330282"] > by_county["330203"] > by_county["330211"]


@pytest.mark.parametrize("scale", SCALES)
def test_identity_numbers_stay_valid_and_unique_at_scale(
    plans: dict[int, Plan], scale: int
) -> None:
    people = [p for p in plans[scale].recipients if p.id_number]
    assert len(people) > 0.99 * len(plans[scale].recipients)
    assert len({p.id_number for p in people}) == len(people)
    for person in people:
        parsed = parse_18_character_number(person.id_number, today=REFERENCE_DATE)
        assert parsed.address_code == person.village_code[:6]
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)


def test_identity_numbers_of_one_birth_day_run_out_loudly_not_forever() -> None:
    ids = _Identities(random.Random(7))
    born = date(1940, 2, 29)
    numbers = {ids.number("330211", born, "female") for _ in range(_Identities.SEQUENCES)}
    assert len(numbers) == _Identities.SEQUENCES
    assert all(int(n[16]) % 2 == 0 for n in numbers)
    assert ids.number("330211", born, "male")  # the other sex has its own 500
    with pytest.raises(ValueError, match="No identity number left"):
        ids.number("330211", born, "female")


def people_served() -> tuple[list[Person], set[str], set[int]]:
    """3,000 made-up recipients in 20 villages (two without services), a few merged into
    another record, one in seven with a case."""
    mixes = (
        ["advanced_age", "elderly_living_alone"],
        ["empty_nest_elderly"],
        ["subsistence_allowance"],
        ["disabled"],
        ["child_in_difficulty"],
        ["migrant"],
        [],
    )
    people = []
    for n in range(3_000):
        status = RecipientStatus.ACTIVE.value if n % 37 else RecipientStatus.MERGED.value
        people.append(
            Person(
                id=n + 1,
                name=f"居民{n}",
                region_id=n % 20,
                village_code=f"3302030041{n % 20:02d}",
                station_id=1,
                birth_date=date(1950, 1, 1),
                status=status,
                address="",
                note="",
                categories=list(mixes[n % len(mixes)]),
            )
        )
    uncovered = {"330203004103", "330203004117"}
    open_cases = {p.id for p in people if p.id % 7 == 0}
    return people, uncovered, open_cases


def test_scale_n_shares_out_n_times_the_service_records_among_the_same_people() -> None:
    """The last 12 months' records, shared by need and by the days each person was in service
    in them: N times as many at scale N, to the same people."""
    people, uncovered, with_case = people_served()
    weights = record_weights(random.Random("demo-cases"), people, uncovered, with_case)
    exposure = [365.0 if p.id % 5 else 120.0 for p in people]  # some registered lately
    counts = {
        scale: share_records(weights, exposure, SERVICE_RECORDS * scale) for scale in (1, 2, 3, 10)
    }
    served = {
        p.id
        for p in people
        if p.status != RecipientStatus.MERGED and p.village_code not in uncovered
    }
    for scale, shares in counts.items():
        assert sum(shares) == SERVICE_RECORDS * scale
        assert {p.id for p, n in zip(people, shares, strict=True) if n} == served
        # Each person's share grows with the scale (largest remainder: within one record).
        for one, many in zip(counts[1], shares, strict=True):
            assert abs(many - scale * one) <= scale
    # More for the very old living alone than for others, at every scale; fewer for the days
    # not in service.
    shares = [(p, n) for p, n in zip(people, counts[10], strict=True) if p.id in served]
    alone = [n for p, n in shares if "elderly_living_alone" in p.categories and p.id % 5]
    migrants = [n for p, n in shares if p.categories == ["migrant"] and p.id % 5]
    assert sum(alone) / len(alone) > 2 * sum(migrants) / len(migrants)
    late = [n for p, n in shares if "elderly_living_alone" in p.categories and not p.id % 5]
    assert sum(late) / len(late) < 0.5 * sum(alone) / len(alone)


def test_scaled_sets_the_scale_for_the_block_only() -> None:
    assert demo_scale() == 1
    with scaled(4):
        assert demo_scale() == 4
        with scaled(2):
            assert demo_scale() == 2
        assert demo_scale() == 4
    with pytest.raises(RuntimeError), scaled(5):
        raise RuntimeError
    assert demo_scale() == 1
    for bad in (0, -1, True, 1.5, "2", None):
        with pytest.raises(ValueError):
            check_scale(bad)


@pytest.mark.django_db
def test_the_command_runs_every_step_at_the_scale_given(monkeypatch: Any, settings: Any) -> None:
    settings.DEBUG = True
    seen: list[int] = []
    monkeypatch.setattr(builder, "STEPS", [("probe", lambda log: seen.append(demo_scale()))])
    call_command("demo", "--scale", "3", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    assert seen == [3, 1]
    assert demo_scale() == 1
    for bad in ("0", "-2", "ten"):
        with pytest.raises(CommandError, match="--scale"):
            call_command("demo", "--scale", bad, stdout=StringIO())
    with pytest.raises(CommandError, match="whole number"):
        call_command("demo", scale=0, stdout=StringIO())
    assert seen == [3, 1]
