"""The survey's arithmetic, as pure functions (spec/station-evaluation.md §5): no database. The
services read the records and pass numbers and keys in.

- ``allocate``: a sample of n shared among strata in proportion to their sizes, by largest
  remainder (广州 stratifies by service area and key / ordinary recipients the same way).
- ``draw``: the seeded random draw — per stratum its respondents and a reserve of 50 % of its
  share, then one random order over the whole sample; the same members and seed give the
  same draw.
- ``item_score``, ``respondent_index``, ``effectively_aware``, ``mean_index``, ``share``:
  H1 and H2 from the answers; ``form_score`` and ``stakeholder_index``: H3 from the forms.
- ``minimum_completed``: below min(30, ⌈N/2⌉) completed follow-ups H1/H2 stay manual.
- ``SurveyParameters``: the figures above as a round holds them (spec §7: "Survey: z, e, p,
  the minimum 60, home-visit share 1/6, reserve 50 %, attempt rule, minimum min(30, ⌈N/2⌉)
  completed … the stakeholder form and its ½ / ½ weighting" are data the city edits); the
  defaults are the spec's.

Choices the spec leaves open, made here:

- Ties of the largest remainder go to the larger stratum, then to the stratum's key in
  alphabetical order (deterministic).
- "A reserve of 50 % of n per stratum": ⌈share / 2⌉ of each stratum, as far as the stratum has
  people left; a stratum whose share is 0 has no reserve.
- The respondent's index and H1 are rounded half up to 0.01; a respondent who answered every
  satisfaction item 不适用 has no index and does not count in H1 (they still count in H2).
"""

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from swstation.evaluation.scoring import survey_sample_size

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# spec §5: ≥ 3 of the 5 awareness items known is effective awareness (广州).
AWARENESS_EFFECTIVE = 3
# spec §5: a reserve of 50 % of n.
RESERVE_SHARE = Fraction(1, 2)
# spec §5: a respondent mean ≥ 4 counts as satisfied ("share satisfied", reported beside H1).
SATISFIED_MEAN = Decimal(4)


@dataclass(frozen=True)
class SurveyParameters:
    """A round's survey parameters (``EvaluationRound``'s fields of the same names), with the
    spec's defaults (§5): n = min(N, max(``survey_minimum_sample``, ⌈N·z²p(1−p) / ((N−1)e² +
    z²p(1−p))⌉)), z = 1.96, p = 50 %, e = 10 %, minimum 60; home visits for the first
    ⌈n / 6⌉; a reserve of 50 % of each stratum's share; unreachable after 3 attempts on ≥ 2
    different days; H1/H2 need min(30, ⌈N × 50 %⌉) completed follow-ups; effective awareness
    = ≥ 3 of W1–W5 known; 5 village committees for H3, the township's form weighing 50 %."""

    survey_z: Decimal = Decimal("1.96")
    survey_margin_percent: int = 10
    survey_proportion_percent: int = 50
    survey_minimum_sample: int = 60
    survey_home_visit_every: int = 6
    survey_reserve_percent: int = 50
    survey_attempts: int = 3
    survey_attempt_days: int = 2
    survey_minimum_completed: int = 30
    survey_minimum_completed_percent: int = 50
    awareness_effective_items: int = AWARENESS_EFFECTIVE
    stakeholder_villages: int = 5
    stakeholder_township_percent: int = 50

    @classmethod
    def of(cls, source: Any) -> "SurveyParameters":
        """The parameters held by ``source``: a round (its fields), or a mapping of the same
        names (a ``values()`` row, its keys possibly prefixed ``evaluation__round__``)."""
        values: dict[str, Any] = {}
        for item in fields(cls):
            if isinstance(source, Mapping):
                value = source.get(item.name, source.get(f"evaluation__round__{item.name}"))
            else:
                value = getattr(source, item.name, None)
            if value is not None:
                values[item.name] = value
        return cls(**values)

    def sample_size(self, population: int) -> int:
        """n for a station that served ``population`` recipients (the module's formula)."""
        return survey_sample_size(
            population,
            z=Decimal(self.survey_z),
            p=Decimal(self.survey_proportion_percent) / HUNDRED,
            e=Decimal(self.survey_margin_percent) / HUNDRED,
            minimum=self.survey_minimum_sample,
        )

    def home_visits(self, sample: int) -> int:
        """The first ⌈n / every⌉ of the random order are visited at home (广州's 10 of 60)."""
        if sample < 0:
            raise ValueError(f"sample must be 0 or more, not {sample}")
        return -(-sample // max(1, self.survey_home_visit_every))

    @property
    def reserve_share(self) -> Fraction:
        return Fraction(self.survey_reserve_percent, 100)

    def minimum_completed(self, population: int) -> int:
        return minimum_completed(
            population,
            cap=self.survey_minimum_completed,
            percent=self.survey_minimum_completed_percent,
        )

    def gives_up(self, failed_days: Sequence[Any]) -> bool:
        """Whether the failed attempts (their days) make a respondent unreachable: at least
        ``survey_attempts`` of them on at least ``survey_attempt_days`` different days."""
        return (
            len(failed_days) >= self.survey_attempts
            and len(set(failed_days)) >= self.survey_attempt_days
        )


DEFAULT_PARAMETERS = SurveyParameters()


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """``n`` respondents shared among strata of ``sizes`` people in proportion to their sizes,
    by largest remainder: each stratum gets the whole part of n·Nₛ/N, and the places left go
    one each to the largest remainders (ties: the larger stratum, then the key). Never more
    than a stratum holds; the shares add up to ``n`` (``n`` ≤ the total)."""
    total = sum(sizes.values())
    if n < 0 or n > total:
        raise ValueError(f"cannot draw {n} of {total}")
    if total == 0:
        return dict.fromkeys(sizes, 0)
    exact = {key: Fraction(n * size, total) for key, size in sizes.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = n - sum(shares.values())
    ranked = sorted(sizes, key=lambda key: (-(exact[key] - shares[key]), -sizes[key], key))
    for key in ranked[:left]:
        shares[key] += 1
    return shares


def reserve_size(share: int, available: int, reserve: Fraction = RESERVE_SHARE) -> int:
    """A stratum's reserve: ⌈share × ``reserve`` (50 %)⌉, at most the ``available`` people
    not drawn."""
    wanted = -(-share * reserve.numerator // reserve.denominator)
    return max(0, min(wanted, available))


@dataclass(frozen=True)
class Drawn:
    """One person drawn: their key, stratum, place in the random order (1…), reserve or not."""

    member: int
    stratum: str
    order: int
    is_reserve: bool


def draw(
    strata: Mapping[str, Iterable[int]], n: int, seed: int, reserve: Fraction = RESERVE_SHARE
) -> list[Drawn]:
    """The seeded draw of ``n`` of the members of ``strata`` (stratum → member keys): each
    stratum's members are shuffled and its share (``allocate``) taken, then its reserve; the
    respondents are then put in one random order (1…n) and the reserves after them (n+1…),
    so that the first of the order (the home visits) come from every stratum. The result
    depends only on the members (not on their order given) and the seed."""
    rng = random.Random(seed)
    members = {key: sorted(set(values)) for key, values in sorted(strata.items())}
    shares = allocate({key: len(values) for key, values in members.items()}, n)
    chosen: list[tuple[int, str]] = []
    reserves: list[tuple[int, str]] = []
    for key, values in members.items():
        rng.shuffle(values)
        share = shares[key]
        extra = reserve_size(share, len(values) - share, reserve)
        chosen.extend((member, key) for member in values[:share])
        reserves.extend((member, key) for member in values[share : share + extra])
    rng.shuffle(chosen)
    rng.shuffle(reserves)
    drawn = [
        Drawn(member, key, order, False) for order, (member, key) in enumerate(chosen, start=1)
    ]
    drawn += [
        Drawn(member, key, order, True)
        for order, (member, key) in enumerate(reserves, start=len(chosen) + 1)
    ]
    return drawn


def sample_villages(villages: Iterable[str], seed: int, count: int = 5) -> list[str]:
    """Up to ``count`` of the township's ``villages`` (division codes) for the stakeholders'
    forms (spec §5: "up to 5 village committees chosen at random"), drawn with the seed."""
    pool = sorted(set(villages))
    rng = random.Random(f"villages-{seed}")
    return sorted(rng.sample(pool, min(count, len(pool))))


def item_score(answer: int) -> Decimal:
    """A 5-point answer on 0–100: (x − 1) / 4 × 100 (5 → 100, 3 → 50, 1 → 0)."""
    if answer not in (1, 2, 3, 4, 5):
        raise ValueError(f"a 5-point answer is 1 to 5, not {answer!r}")
    return Decimal(answer - 1) * 25


def respondent_index(answers: Sequence[int | None]) -> Decimal | None:
    """The mean of the answered items' scores (None: 不适用), or None when none was answered."""
    scores = [item_score(answer) for answer in answers if answer is not None]
    if not scores:
        return None
    return _rounded(sum(scores, Decimal(0)) / len(scores))


def respondent_mean(answers: Sequence[int | None]) -> Decimal | None:
    """The mean 5-point answer of the answered items (for "satisfied": ≥ 4)."""
    given = [answer for answer in answers if answer is not None]
    if not given:
        return None
    return Decimal(sum(given)) / len(given)


def effectively_aware(known: Sequence[bool], threshold: int = AWARENESS_EFFECTIVE) -> bool:
    """≥ ``threshold`` (3) of the 5 awareness items known (广州)."""
    return sum(1 for item in known if item) >= threshold


def mean_index(indices: Iterable[Decimal | None]) -> Decimal | None:
    """H1: the mean of the respondents' indices (those with one), half up to 0.01."""
    values = [value for value in indices if value is not None]
    if not values:
        return None
    return _rounded(sum(values, Decimal(0)) / len(values))


def share(numerator: int, denominator: int) -> Decimal | None:
    """A percent 0–100, half up to 0.01; None for an empty denominator."""
    if not denominator:
        return None
    return _rounded(Decimal(numerator) * HUNDRED / denominator)


def minimum_completed(population: int, cap: int = 30, percent: int = 50) -> int:
    """The completed follow-ups H1/H2 need to be computed: min(30, ⌈N × 50 %⌉) (spec §5;
    ``cap`` and ``percent`` are the round's)."""
    return min(cap, -(-population * percent // 100))


def form_score(items: Sequence[int]) -> Decimal:
    """A stakeholders' form on 0–100: the mean of its 5-point items, each (x − 1) / 4 × 100."""
    index = respondent_index(list(items))
    if index is None:
        raise ValueError("a form has at least one item")
    return index


def stakeholder_index(
    township: Decimal | None, villages: Sequence[Decimal], township_percent: int = 50
) -> Decimal | None:
    """H3: the township government's form (½, ``township_percent``) and the mean of the
    village committees' (the rest); None while either is missing."""
    if township is None or not villages:
        return None
    village_mean = sum(villages, Decimal(0)) / len(villages)
    weight = Decimal(township_percent) / HUNDRED
    return _rounded(township * weight + village_mean * (1 - weight))
