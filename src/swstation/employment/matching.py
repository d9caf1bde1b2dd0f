"""Matching job seekers and job posts (issue 14, "Matching"): plain functions over plain facts,
so that every score is explained by its reasons and every rule is tested on its own.

A pair is scored rule by rule; each rule gives points (possibly negative) and a reason, and some
rules rule the pair out (``fits=False``): the seeker is then not offered for the post at all.

=============== =================================================================== ==========
rule            points                                                              rules out
=============== =================================================================== ==========
skills          +10 for each skill the post wants that the seeker has (at most 30);
                +5 when the work the seeker wants is named in the post
months          up to +20, in proportion to the post's months the seeker is free    no month
                                                                                    in common
distance        +20 same village, +10 same township, 0 same district (by codes)     beyond
                                                                                    their range
hours           +10 when the post's hours a day are within the seeker's; −5 for     over by
                each hour beyond                                                    more than 2
constraints     −10 child care and more than 6 hours a day; −10 no transport and    health vs
                work outside the village                                            heavy work
pay             +5 when the post pays what the seeker wants; −5 when it pays less
training        0, said only: how many skills trainings the seeker attended (community
                activities of kind training), and the post's skills named in a
                training's name
=============== =================================================================== ==========

A training gives no points: the skills rule already counts what the seeker can do, and having
attended a course does not prove the skill; the reasons let the station weigh it.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from swstation.employment.models import TRAVEL_ORDER, TravelRange, mask_months, months_label

SKILL_POINTS = 10
SKILL_CAP = 30
WORK_WANTED_POINTS = 5
MONTH_POINTS = 20
DISTANCE_POINTS = {"village": 20, "township": 10, "district": 0}
HOURS_FIT_POINTS = 10
HOURS_OVER_PENALTY = 5
HOURS_TOLERANCE = 2
CHILD_CARE_HOURS = 6
CONSTRAINT_PENALTY = 10
PAY_POINTS = 5

SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class SeekerFacts:
    region_code: str
    skills: str = ""
    work_wanted: str = ""
    months: int = (1 << 12) - 1
    hours_per_day: int = 8
    child_care: bool = False
    no_transport: bool = False
    health_limits: bool = False
    travel_range: str = TravelRange.TOWNSHIP
    wanted_pay: Decimal | None = None
    # The names of the skills trainings attended (selectors.job_seeker_trainings).
    trainings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostFacts:
    region_code: str
    title: str = ""
    skills: str = ""
    months: int = (1 << 12) - 1
    hours_per_day: int = 8
    heavy_work: bool = False
    pay: Decimal = Decimal("0")


@dataclass(frozen=True)
class Reason:
    """A rule's points and why; the text is translated and formatted only when read (a post is
    scored against thousands of seekers, and most reasons are never shown)."""

    rule: str
    points: int
    message: Any
    params: dict[str, Any] = field(default_factory=dict)
    fits: bool = True

    @property
    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass
class Match:
    score: int
    fits: bool
    reasons: list[Reason] = field(default_factory=list)
    subject: Any = None  # the seeker or the post the match is about


@functools.lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    return tuple(word for word in SEPARATORS.split(text or "") if word)


def distance(seeker_code: str, post_code: str) -> str:
    """``village``, ``township``, ``district`` or ``farther``: the smallest area of the region
    tree (12-digit codes) holding both places. A place known only to its town is never in the
    same village."""
    if seeker_code == post_code and not seeker_code.endswith("000"):
        return "village"
    if seeker_code[:9] == post_code[:9]:
        return "township"
    if seeker_code[:6] == post_code[:6]:
        return "district"
    return "farther"


# The reasons' texts, made once (lazy: translated when a reason is read).
SAYS_SKILLS = _("Skills in common: %(skills)s")
SAYS_NO_SKILL = _("No skill the post asks for")
SAYS_WORK_WANTED = _("Wants this kind of work: %(work)s")
SAYS_NOT_FREE = _("Not free during the season (free: %(months)s)")
SAYS_FREE = _("Free %(free)d of the season's %(months)d months")
SAYS_TOO_FAR = _("Too far: travels %(range)s")
SAYS_HOURS_FIT = _("%(hours)d hours a day, within their %(own)d")
SAYS_HOURS_OVER = _("%(hours)d hours a day, %(over)d more than their %(own)d")
SAYS_HEAVY_WORK = _("Heavy physical work, against their health")
SAYS_CHILD_CARE = _("Long days for someone caring for children")
SAYS_NO_TRANSPORT = _("No transport, and the work is outside their village")
SAYS_PAY_FITS = _("Pays what they ask (%(pay)s yuan a day)")
SAYS_PAY_LOW = _("Pays %(pay)s yuan a day, less than the %(wanted)s they ask")
SAYS_TRAINED = _("Skills trainings attended: %(count)d")
SAYS_TRAINED_IN = _("Trained in a skill the post wants: %(skills)s")


def skills_rule(seeker: SeekerFacts, post: PostFacts) -> list[Reason]:
    wanted = words(post.skills)
    has = set(words(seeker.skills))
    common = [skill for skill in wanted if skill in has]
    reasons = []
    if common:
        points = min(SKILL_CAP, SKILL_POINTS * len(common))
        reasons.append(Reason("skills", points, SAYS_SKILLS, {"skills": "、".join(common)}))
    elif wanted:
        reasons.append(Reason("skills", 0, SAYS_NO_SKILL))
    named = [w for w in words(seeker.work_wanted) if w in post.title or w in post.skills]
    if named:
        reasons.append(
            Reason(
                "work_wanted",
                WORK_WANTED_POINTS,
                SAYS_WORK_WANTED,
                {"work": "、".join(named)},
            )
        )
    return reasons


lazy_months_label = lazy(months_label, str)


def months_rule(seeker: SeekerFacts, post: PostFacts) -> list[Reason]:
    season = mask_months(post.months)
    common = seeker.months & post.months
    if not season:
        return []
    if not common:
        return [
            Reason(
                "months",
                0,
                SAYS_NOT_FREE,
                {"months": lazy_months_label(seeker.months)},
                fits=False,
            )
        ]
    free = len(mask_months(common))
    points = round(MONTH_POINTS * free / len(season))
    return [
        Reason(
            "months",
            points,
            SAYS_FREE,
            {"free": free, "months": len(season)},
        )
    ]


DISTANCE_LABELS = {
    "village": _("Works in their own village"),
    "township": _("Works in their township"),
    "district": _("Works in their district"),
}
DISTANCE_ORDER = {"village": 0, "township": 1, "district": 2}


def distance_rule(seeker: SeekerFacts, post: PostFacts) -> tuple[list[Reason], str]:
    how_far = distance(seeker.region_code, post.region_code)
    reach = TRAVEL_ORDER.get(seeker.travel_range, 1)  # type: ignore[call-overload]
    if DISTANCE_ORDER.get(how_far, 3) > reach:
        label = TravelRange(seeker.travel_range).label
        reason = Reason("distance", 0, SAYS_TOO_FAR, {"range": label}, fits=False)
        return [reason], how_far
    return [Reason("distance", DISTANCE_POINTS[how_far], DISTANCE_LABELS[how_far])], how_far


def hours_rule(seeker: SeekerFacts, post: PostFacts) -> list[Reason]:
    over = post.hours_per_day - seeker.hours_per_day
    if over <= 0:
        return [
            Reason(
                "hours",
                HOURS_FIT_POINTS,
                SAYS_HOURS_FIT,
                {"hours": post.hours_per_day, "own": seeker.hours_per_day},
            )
        ]
    return [
        Reason(
            "hours",
            -HOURS_OVER_PENALTY * over,
            SAYS_HOURS_OVER,
            {"hours": post.hours_per_day, "over": over, "own": seeker.hours_per_day},
            fits=over <= HOURS_TOLERANCE,
        )
    ]


def constraints_rule(seeker: SeekerFacts, post: PostFacts, how_far: str) -> list[Reason]:
    reasons = []
    if seeker.health_limits and post.heavy_work:
        reasons.append(Reason("constraints", 0, SAYS_HEAVY_WORK, fits=False))
    if seeker.child_care and post.hours_per_day > CHILD_CARE_HOURS:
        reasons.append(
            Reason(
                "constraints",
                -CONSTRAINT_PENALTY,
                SAYS_CHILD_CARE,
            )
        )
    if seeker.no_transport and how_far != "village":
        reasons.append(
            Reason(
                "constraints",
                -CONSTRAINT_PENALTY,
                SAYS_NO_TRANSPORT,
            )
        )
    return reasons


def pay_rule(seeker: SeekerFacts, post: PostFacts) -> list[Reason]:
    if seeker.wanted_pay is None:
        return []
    if post.pay >= seeker.wanted_pay:
        return [Reason("pay", PAY_POINTS, SAYS_PAY_FITS, {"pay": post.pay})]
    return [
        Reason(
            "pay",
            -PAY_POINTS,
            SAYS_PAY_LOW,
            {"pay": post.pay, "wanted": seeker.wanted_pay},
        )
    ]


def training_rule(seeker: SeekerFacts, post: PostFacts) -> list[Reason]:
    if not seeker.trainings:
        return []
    reasons = [Reason("training", 0, SAYS_TRAINED, {"count": len(seeker.trainings)})]
    named = [
        skill for skill in words(post.skills) if any(skill in name for name in seeker.trainings)
    ]
    if named:
        reasons.append(Reason("training", 0, SAYS_TRAINED_IN, {"skills": "、".join(named)}))
    return reasons


def score(seeker: SeekerFacts, post: PostFacts, subject: Any = None) -> Match:
    """The score of a seeker for a post, with every reason; ``fits`` is False when one rule rules
    the pair out."""
    reasons = [*skills_rule(seeker, post), *months_rule(seeker, post)]
    near, how_far = distance_rule(seeker, post)
    reasons += near
    reasons += hours_rule(seeker, post)
    reasons += constraints_rule(seeker, post, how_far)
    reasons += pay_rule(seeker, post)
    reasons += training_rule(seeker, post)
    return Match(
        score=sum(r.points for r in reasons),
        fits=all(r.fits for r in reasons),
        reasons=reasons,
        subject=subject,
    )


def rank(matches: list[Match], key: Any = None) -> list[Match]:
    """The fitting matches, best first (ties by ``key`` of the subject, for a stable order)."""
    fitting = [m for m in matches if m.fits]
    return sorted(fitting, key=lambda m: (-m.score, key(m.subject) if key else 0))


def seeker_facts(seeker: Any, trainings: tuple[str, ...] = ()) -> SeekerFacts:
    """``trainings``: the names of the skills trainings the seeker attended."""
    return SeekerFacts(
        region_code=seeker.region.code,
        skills=seeker.skills,
        work_wanted=seeker.work_wanted,
        months=seeker.available_months,
        hours_per_day=seeker.hours_per_day,
        child_care=seeker.child_care,
        no_transport=seeker.no_transport,
        health_limits=seeker.health_limits,
        travel_range=seeker.travel_range,
        wanted_pay=seeker.wanted_pay,
        trainings=tuple(trainings),
    )


def post_facts(post: Any) -> PostFacts:
    return PostFacts(
        region_code=post.region.code,
        title=post.title,
        skills=post.skills,
        months=post.months,
        hours_per_day=post.hours_per_day,
        heavy_work=post.heavy_work,
        pay=post.pay,
    )


def season_over(post: Any, today: date) -> bool:
    return bool(post.season_to and post.season_to < today)
