"""Demo step: the star rating (星级评定) of the stations that applied (spec §3 of
spec/station-evaluation.md).

The city runs a round of kind ``star`` with the published default star version (the 100-point
set plus the bonus dimension I 创新加分, up to 15 points): five stars from 85, four from 77 on
the total with the bonus; a station 不合格 in the latest annual round gets no star, whatever it
scores. It is the 12 months to 30 June of the mid-term round's year (31 March when the build
day is too close to the end of June for the round to be over), called in June, opened in the
first days after the snapshot for the stations that applied and finished before the build day:

- **The applicants**: about 36 stations, most 优秀 or 良好 in the annual round (招宝山街道 and
  慈城镇 among them), a few 合格 and two 不合格 (one by a veto): those two get no star, and the
  result says why (``star_note``).
- **The result**: about two fifths 五星 (the best of them 优秀 on the base too), a third
  四星 and the rest no star. The stars go by
  rank (mostly the annual total, and what the star period's records and site visit give:
  :func:`~swstation.demo.evaluation._natural`); within a star the totals with the bonus spread
  over its band in rank order. The bonus is the evaluator's and the records': I1 (品牌特色,
  0–5 in half points) and I2 (表彰与推广, whole points 0–4) drawn from how well the station is
  run (moved only where the total would leave its star's band), I3 (volunteer hours) and I4
  (social money) automatic; the base total is the rest, scored as in the other rounds
  (demo/evaluation.py's :func:`_plan_marks`).
- **The flow**: every station assesses itself, is scored after a site visit by an evaluator of
  the agencies or an independent expert (not ``city_evaluator``, whose work is the annual and
  the mid-term rounds), passed by its district, approved by the city in one batch; one 四星
  station objects to its I2 (rejected); all final after the objection window, the round
  closed. A star round proposes no rectification (the annual round does); the veto's item is
  answered (or not) as in the annual round.

Every step goes through ``evaluation.services`` on demo/evaluation.py's clock (:func:`_clock`),
with its helpers. Deterministic (``random.Random("demo-stars")``); once the round exists a
second run changes nothing.
"""

import dataclasses
import random
import time as clock_time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from swstation.demo.accounts import CICHENG, ZHAOBAOSHAN
from swstation.demo.evaluation import (
    GRADES,
    HALF,
    ZERO,
    Cast,
    Entries,
    Plan,
    _approve,
    _at,
    _cast,
    _clock,
    _finalise,
    _half,
    _mark,
    _natural,
    _open_round,
    _plan_marks,
    _plan_selves,
    _rectify_annual,
    _review,
    _self_submit,
    _submit,
    _weekday,
    _weekday_before,
    round_names,
)
from swstation.demo.history import demo_history
from swstation.demo.quality import station_quality
from swstation.evaluation import scoring, services
from swstation.evaluation.models import (
    EvaluationRound,
    EvaluationStatus,
    IndicatorSet,
    RoundKind,
    SetStatus,
    StationEvaluation,
)
from swstation.stations.models import Station, StationKind
from swstation.stations.selectors import operating_on_q

# The applicants by their grade in the annual round (the 不合格: ANNUAL_FAILS, one by a veto).
APPLICANTS = {"excellent": 9, "good": 17, "pass": 8}
ANNUAL_FAILS = 2
# The demo accounts' stations apply (招宝山街道 优秀, 慈城镇 良好 in the annual round).
DEMO_APPLICANTS = (ZHAOBAOSHAN, CICHENG)
# The share of all the applicants given each star (the rest: none).
STAR_SHARES = {5: 0.4, 4: 0.36}
# The totals with the bonus of each star (0: none by the score), from the best station's to
# the least's; the base totals are kept in BASE_RANGE.
WITH_BONUS = {5: (101.0, 85.5), 4: (84.5, 77.5), 0: (76.5, 66.0)}
BASE_RANGE = (62.5, 96.5)
# The bonus indicators scored by hand and their steps (I2 counts awards: whole points).
MANUAL_BONUS = {"I1": HALF, "I2": Decimal(1)}
# I2 as drawn for a station run very well, well, and the others (a county award is 1 point, a
# city's 2, a province's 4).
AWARDS = ((1, 2, 2, 3, 4), (0, 0, 1, 1, 2), (0, 0, 0, 1))
# The evaluator's note on a bonus indicator under its points (never a rectification item).
I1_FINDINGS = (
    "品牌项目已初步成形，服务模式的总结提炼不足。",
    "有特色服务，尚未形成可复制推广的服务模式。",
    "特色项目有媒体报道，模式手册尚未成文。",
)
I1_NONE = "评定周期内未形成品牌特色项目。"
I2_FINDINGS = {
    0: "评定周期内无县级以上表彰或经验推广。",
    1: "获县级表彰1项，计1分。",
    2: "获市级表彰1项，计2分。",
    3: "获市级表彰1项、县级表彰1项，计3分。",
}
# I3 and I4 scored by the evaluator where the platform holds no value (no automatic score).
UNMEASURED = {
    "I3": "平台未登记评定周期的志愿服务时数，现场未见佐证。",
    "I4": "平台未登记评定周期的社会资金和物资，现场未见佐证。",
}
BONUS_SELF_NOTES = {
    "I1": "本站品牌服务项目已形成服务模式手册，见项目总结和媒体报道。",
    "I2": "评定周期内获区级以上表彰，见表彰文件。",
}
OBJECTION = "对I2表彰与经验推广加分有异议：本站社工获市级表彰1项未计分，请求复核。"
OBJECTION_REJECTED = (
    "经核查，该表彰授予时间在评定周期之前，不计入本次评定，维持原评定结果（四星级）。"
)


def star_round_name(mid_year: int) -> str:
    return f"{mid_year}年度星级社会工作站评定"


def star_snapshot(mid_year: int, today: date) -> date:
    """30 June of ``mid_year``, or 31 March when the build day leaves the round too little time
    after 30 June to be over (the round takes about 70 days from its snapshot)."""
    june = date(mid_year, 6, 30)
    return june if today >= june + timedelta(days=80) else date(mid_year, 3, 31)


def build_star_round(log: Callable[[str], None]) -> None:
    started = clock_time.perf_counter()
    today = demo_history().end
    annual_year, mid_year, annual_name, _mid_name = round_names(today)
    name = star_round_name(mid_year)
    existing = EvaluationRound.objects.filter(name=name).first()
    if existing is not None:
        log(f"stars: already built ({existing.name})")
        return
    indicator_set = (
        IndicatorSet.objects.filter(status=SetStatus.PUBLISHED, bonus_points__gt=0)
        .order_by("version", "pk")
        .first()
    )
    annual = EvaluationRound.objects.filter(name=annual_name, kind=RoundKind.ANNUAL).first()
    if indicator_set is None or annual is None:
        log("stars: no published star version or no annual round: no star round built")
        return
    rng = random.Random("demo-stars")
    cast = _cast(date(annual_year, 11, 20))
    snapshot = star_snapshot(mid_year, today)
    stations = _applicants(rng, annual, snapshot)
    round_, plans, bases = _open_star_round(cast, indicator_set, name, snapshot, stations)
    # Each applicant's annual total (none for a 不合格: no star).
    totals = {
        station_id: total
        for station_id, total, grade in StationEvaluation.objects.filter(round=annual).values_list(
            "station_id", "total_score", "grade"
        )
        if grade != "fail" and total is not None
    }
    _plan_stars(rng, round_, plans, bases, totals)
    _run(rng, cast, round_, plans, bases, today)
    stars = Counter(round_.evaluations.values_list("star", flat=True))
    blocked = round_.evaluations.exclude(star_note="").count()
    log(
        f"stars: {round_.name}: {len(plans)} stations, 五星 {stars[5]}, 四星 {stars[4]}, "
        f"no star {stars[None]} ({blocked} 不合格 in the annual round); "
        f"{clock_time.perf_counter() - started:.1f} s"
    )


def _applicants(rng: random.Random, annual: EvaluationRound, snapshot: date) -> list[Station]:
    """The stations that applied: by their annual grade (APPLICANTS), the better of each grade
    more likely, the demo accounts' stations, and ANNUAL_FAILS 不合格 (the vetoed one with the
    highest total, and the best by total); all operating on the snapshot."""
    operating = set(
        Station.objects.filter(operating_on_q(day=snapshot), kind=StationKind.TOWNSHIP).values_list(
            "pk", flat=True
        )
    )
    results = [
        e
        for e in annual.evaluations.filter(status=EvaluationStatus.FINAL)
        .select_related("station__region")
        .order_by("-total_score", "region_code")
        if e.station_id in operating
    ]
    chosen = [e for e in results if e.region_code in DEMO_APPLICANTS]
    for grade, count in APPLICANTS.items():
        pool = [e for e in results if e.grade == grade and e not in chosen and not e.veto]
        count -= sum(1 for e in chosen if e.grade == grade)
        # The upper part of the grade applies (the rest would not earn a star).
        upper = pool[: max(count, round(len(pool) * (1.0 if grade == "excellent" else 0.6)))]
        chosen += rng.sample(upper, min(count, len(upper)))
    failed = [e for e in results if e.grade == "fail"]
    vetoed = [e for e in failed if e.veto][:1]
    by_total = [e for e in failed if not e.veto][: ANNUAL_FAILS - len(vetoed)]
    chosen += vetoed + by_total
    return sorted((e.station for e in chosen), key=lambda s: (s.region.code, s.pk))


def _open_star_round(
    cast: Cast,
    indicator_set: IndicatorSet,
    name: str,
    snapshot: date,
    stations: list[Station],
) -> tuple[EvaluationRound, list[Plan], list[Plan]]:
    """The round called before the snapshot, opened for the applicants after it with their
    evaluators assigned, its automatic values computed once the entry grace period is over
    (demo/evaluation.py's ``_open_round``, for the applicants only). Returns the plans with
    every indicator and the same plans on the 100-point base only."""
    period_start = date(snapshot.year - 1, snapshot.month, snapshot.day) + timedelta(days=1)
    grace = EvaluationRound._meta.get_field("entry_grace_days").get_default()
    # city_evaluator's work is the annual and the mid-term rounds: the star round's panel is
    # the other evaluators.
    panel = dataclasses.replace(
        cast, evaluators=[u for u in cast.evaluators if u.username != "city_evaluator"]
    )
    round_, plans = _open_round(
        panel,
        indicator_set,
        {
            "name": name,
            "kind": RoundKind.STAR,
            "period_start": period_start,
            "snapshot_date": snapshot,
            "note": "星级社会工作站评定：站点自愿申报，第三方机构和专家实地评定，区县审核，"
            "市民政局审定公示。最近一次年度评估不合格的站点不评星。",
        },
        created=_weekday_before(snapshot - timedelta(days=20)),
        opened=_weekday(snapshot + timedelta(days=3)),
        computed=_weekday(snapshot + timedelta(days=grace + 1)),
        rotate=2,
        stations=stations,
    )
    # The base plans share the marks and self-scores of their plan (a shallow copy).
    bases = [
        dataclasses.replace(
            plan, scores=[s for s in plan.scores if not s.indicator.dimension.is_bonus]
        )
        for plan in plans
    ]
    return round_, plans, bases


def _plan_stars(
    rng: random.Random,
    round_: EvaluationRound,
    plans: list[Plan],
    bases: list[Plan],
    annual: dict[int, Decimal],
) -> None:
    """Each station's star, its total with the bonus, its base total and grade, the
    evaluator's marks and the station's self-scores. The stars go by rank (what the star
    period's records and site visit give, :func:`_natural`, and mostly the annual total, give
    or take a little); within a star the totals with the bonus spread over its band in rank
    order; the bonus is drawn from how well the station is run and the base total is the rest."""
    n = len(plans)
    natural = {
        plan.evaluation.pk: _natural(base) * Decimal("0.3")
        + annual.get(plan.evaluation.station_id, _natural(base)) * Decimal("0.7")
        + Decimal(str(round(rng.gauss(0, 1.5), 2)))
        for plan, base in zip(plans, bases, strict=True)
    }
    fails = {p.evaluation.pk for p in plans if annual.get(p.evaluation.station_id) is None}
    ranked = sorted(
        (p for p in plans if p.evaluation.pk not in fails), key=lambda p: -natural[p.evaluation.pk]
    )
    pool = [5] * round(n * STAR_SHARES[5]) + [4] * round(n * STAR_SHARES[4])
    outcome: dict[int, int | None] = {pk: None for pk in fails}
    for plan in ranked:
        outcome[plan.evaluation.pk] = pool.pop(0) if pool else 0
    wanted: dict[int, Decimal] = {}
    for level, (top, bottom) in WITH_BONUS.items():
        group = [p for p in ranked if outcome[p.evaluation.pk] == level]
        for index, plan in enumerate(group):
            position = (index + rng.uniform(0.15, 0.85)) / len(group)
            wanted[plan.evaluation.pk] = Decimal(str(round(top - (top - bottom) * position, 2)))
    for plan, base in zip(plans, bases, strict=True):
        star = outcome[plan.evaluation.pk]
        values = _draw_bonus(rng, plan, star)
        autos = _bonus_autos(plan)
        bonus = min(autos + sum(values.values(), ZERO), round_.indicator_set.bonus_cap)
        # A station blocked by the annual round: where its records put it (a star it would
        # have had is the point of the rule).
        with_bonus = wanted.get(plan.evaluation.pk, natural[plan.evaluation.pk] + bonus)
        low, high = (Decimal(str(v)) for v in BASE_RANGE)
        target = min(high, max(low, with_bonus - bonus)).quantize(Decimal("0.01"))
        base.grade = plan.grade = scoring.grade_for(target)
        assert base.grade in GRADES
        _plan_marks(rng, base, target)
        _plan_selves(rng, base)
        total = sum((base.marks.get(s.pk, (s.auto_score or ZERO,))[0] for s in base.scores), ZERO)
        _plan_bonus(rng, round_, plan, values, total, star)


def _bonus_autos(plan: Plan) -> Decimal:
    """The automatic bonus scores (I3, I4; none where the platform holds no value)."""
    return sum(
        (
            s.auto_score or ZERO
            for s in plan.scores
            if s.indicator.dimension.is_bonus and s.indicator.code not in MANUAL_BONUS
        ),
        ZERO,
    )


def _draw_bonus(rng: random.Random, plan: Plan, star: int | None) -> dict[str, Decimal]:
    """I1 and I2 as the evaluator finds them: I1 from how well the station is run, I2 (awards
    and the spread of its practice) more often at a station of the better stars."""
    points = {s.indicator.code: s.indicator.points for s in plan.scores}
    quality = station_quality(plan.evaluation.region_code)
    share = min(1.0, max(0.0, quality * 0.9 - 0.1 + rng.gauss(0, 0.15)))
    awards = AWARDS[{5: 0, 4: 1}.get(star or 0, 2)]
    return {
        "I1": _half(points["I1"] * Decimal(str(share))),
        "I2": min(points["I2"], Decimal(rng.choice(awards))),
    }


def _plan_bonus(
    rng: random.Random,
    round_: EvaluationRound,
    plan: Plan,
    values: dict[str, Decimal],
    base_total: Decimal,
    star: int | None,
) -> None:
    """I1 and I2 as drawn, moved (I1 by half points, I2 by whole points) only where the total
    with the bonus would leave the band of ``star`` (0: none; None: no star whatever the
    score, left as drawn); I3 and I4 automatic (0 by the evaluator where the platform holds
    nothing); the station's self-scores a little above."""
    bonus = {s.indicator.code: s for s in plan.scores if s.indicator.dimension.is_bonus}
    autos = _bonus_autos(plan)

    def total() -> Decimal:
        return base_total + min(autos + sum(values.values(), ZERO), round_.indicator_set.bonus_cap)

    def move(up: bool) -> bool:
        """One step on I1 or I2 (the one with more room that way); False when neither can."""
        room = {
            code: (bonus[code].indicator.points - values[code]) if up else values[code]
            for code in values
        }
        code = max(room, key=lambda c: (room[c], c == "I1"))
        if room[code] <= 0:
            return False
        step = min(MANUAL_BONUS[code], room[code])
        values[code] += step if up else -step
        return True

    five, four = round_.star_five_from, round_.star_four_from
    if star == 5:
        while total() < five and move(up=True):
            pass
    elif star == 4:
        while total() >= five and move(up=False):
            pass
        while total() < four and move(up=True):
            pass
    elif star == 0:
        while total() >= four and move(up=False):
            pass
    for code, score in bonus.items():
        points = score.indicator.points
        if code in values:
            value = values[code]
            if code == "I1":
                finding = rng.choice(I1_FINDINGS) if value else I1_NONE
            else:
                finding = I2_FINDINGS.get(int(value), "")
            plan.marks[score.pk] = (value, "", finding if value < points else "")
            steps = (ZERO, HALF, Decimal(1), Decimal(1))
            if code == "I2":
                steps = (ZERO, ZERO, Decimal(1), Decimal(2))
            claimed = min(points, value + rng.choice(steps))
            note = BONUS_SELF_NOTES[code] if claimed > 0 and rng.random() < 0.7 else ""
            plan.selves[score.pk] = (claimed, note)
        elif score.auto_score is None:
            plan.marks[score.pk] = (ZERO, "", UNMEASURED.get(code, ""))
            plan.selves[score.pk] = (ZERO, "")
        else:
            plan.selves[score.pk] = (score.auto_score, "")


def _run(
    rng: random.Random,
    cast: Cast,
    round_: EvaluationRound,
    plans: list[Plan],
    bases: list[Plan],
    today: date,
) -> None:
    """The flow: self-assessments, site visits and scoring, the districts' passes, the city's
    approval in one batch, one objection (rejected), final, the rectification items answered
    or not, the round closed."""
    computed = _weekday(round_.snapshot_date + timedelta(days=round_.entry_grace_days + 1))
    for plan, base in zip(plans, bases, strict=True):
        plan.self_on = _weekday_before(computed + timedelta(days=rng.randint(3, 12)))
        plan.visit_on = _weekday(plan.self_on + timedelta(days=rng.randint(4, 14)))
        plan.scored_on = _weekday(plan.visit_on + timedelta(days=rng.randint(1, 4)))
        plan.reviewed_on = _weekday(plan.scored_on + timedelta(days=rng.randint(1, 5)))
        base.self_on, base.visit_on = plan.self_on, plan.visit_on
        base.scored_on, base.reviewed_on = plan.scored_on, plan.reviewed_on
    entries = Entries()
    submitted = {}
    for plan in plans:
        assert plan.self_on is not None
        submitted[plan.evaluation.pk] = _at(plan.self_on, rng.randint(14, 17), rng.randint(0, 59))
        entries.enter(
            plan, plan.scores, submitted[plan.evaluation.pk] - timedelta(hours=1), own=True
        )
    entries.write()
    _self_submit(plans, submitted)
    for plan in plans:
        assert plan.scored_on is not None
        _mark(rng, entries, plan, plan.scored_on)
    entries.write()
    for plan in plans:
        _submit(rng, plan)
    for base in bases:
        # The district comments a base indicator only (a bonus one never is an item).
        _review(rng, base)
    reviewed = max(p.reviewed_on for p in plans if p.reviewed_on is not None)
    published = _weekday(reviewed + timedelta(days=4))
    until = _approve(cast, plans, published)
    # A four-star station near five objects to its I2; the city rejects it.
    fours = [p for p in plans if p.evaluation.star == 4]
    objecting = max(
        fours,
        key=lambda p: (p.evaluation.total_score or ZERO) + (p.evaluation.bonus_score or ZERO),
        default=None,
    )
    if objecting is not None:
        with _clock(_at(_weekday(published + timedelta(days=2)), 16)):
            services.objection_file(
                actor=objecting.manager, evaluation=objecting.evaluation, objection=OBJECTION
            )
    _finalise(until + timedelta(days=1))
    decided = _weekday(until + timedelta(days=2))
    if objecting is not None:
        with _clock(_at(decided, 10)):
            services.objection_decide(
                actor=cast.admin,
                evaluation=objecting.evaluation,
                upheld=False,
                reason=OBJECTION_REJECTED,
            )
    _rectify_annual(rng, plans, today)
    with _clock(_at(_weekday(decided + timedelta(days=3)), 16)):
        services.round_close(actor=cast.admin, round=round_)
