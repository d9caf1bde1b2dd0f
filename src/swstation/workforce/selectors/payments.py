"""Reads on exam rewards and job allowances: who is due what for a period (domain.md §2).

"Exam reward: one-time 1,500 yuan (assistant), 3,000 (intermediate), 5,000 (senior) for a person
who first obtains that level, is not a civil servant, sat the exam in Ningbo and registered the
certificate in Ningbo. Job allowance: 200–600 yuan a month for certified full-time community
workers, by level." The amounts and conditions are :class:`RewardPolicy` rows with validity
dates; nothing here holds an amount.

"Never pays the same reward twice": a line is due only while no :class:`Payment` exists for it,
whatever its batch's status and whoever may see that payment (a person who moved district keeps
their history), so the check reads every payment, unscoped. The database constraints on
``Payment`` are the last guard.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum

from swstation.core.actors import Actor
from swstation.core.dates import month_end
from swstation.core.permissions import user_can
from swstation.regions.models import Region, RegionLevel
from swstation.workforce.models import (
    Certificate,
    CertificateLevel,
    Payment,
    PaymentBatch,
    PaymentKind,
    RewardPolicy,
    SocialWorker,
)

__all__ = [
    "BATCH_REGION_LEVELS",
    "DueLine",
    "LevelTotal",
    "allowances_due",
    "batch_payments",
    "level_rank",
    "months_in_period",
    "payment_batch_lines",
    "payment_batch_list",
    "payment_batch_totals",
    "payment_list",
    "payment_region_choices",
    "policy_admits",
    "reward_policy_list",
    "rewards_due",
    "totals_by_level",
    "totals_by_month",
]

# A batch is paid by the city bureau or a district bureau (domain.md §4).
BATCH_REGION_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY)

CENT = Decimal("0.01")
_LEVEL_RANK = {level: rank for rank, level in enumerate(CertificateLevel.values)}


def level_rank(level: str) -> int:
    """assistant < intermediate < senior."""
    return _LEVEL_RANK[level]


def months_in_period(period_start: date, period_end: date) -> list[date]:
    """The first day of every month the period touches, in order."""
    months = []
    current = period_start.replace(day=1)
    while current <= period_end:
        months.append(current)
        current = (
            current.replace(year=current.year + 1, month=1)
            if current.month == 12
            else current.replace(month=current.month + 1)
        )
    return months


@dataclass(frozen=True)
class DueLine:
    """One payment due: who, for which certificate, under which rule, how much (and for an
    allowance, which month)."""

    kind: str
    social_worker: SocialWorker
    certificate: Certificate
    policy: RewardPolicy
    amount: Decimal
    month: date | None = None


@dataclass(frozen=True)
class LevelTotal:
    level: str
    label: str
    count: int
    amount: Decimal


def policy_admits(policy: RewardPolicy, person: SocialWorker, certificate: Certificate) -> bool:
    """Whether ``person`` holding ``certificate`` meets the conditions ``policy`` sets (the
    city's notices: not a civil servant, exam sat and certificate registered in the city;
    full-time community workers only for allowances)."""
    if policy.level != certificate.level:
        return False
    if policy.excludes_civil_servants and person.is_civil_servant:
        return False
    if policy.requires_exam_in_city and not certificate.exam_in_city:
        return False
    if policy.requires_registration_in_city and not certificate.registered_in_city:
        return False
    return not (
        policy.requires_community_worker and not (person.is_community_worker and person.is_fulltime)
    )


def _policies(
    *, actor: Actor, kind: str, period_start: date, period_end: date
) -> list[RewardPolicy]:
    """The rules of ``kind`` in force at some time in the period, newest first."""
    queryset = (
        RewardPolicy.objects.visible_to(actor)
        .filter(kind=kind, valid_from__lte=period_end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period_start))
        .order_by("-valid_from", "-pk")
    )
    return list(queryset)


def _may_read_payments(actor: Actor) -> bool:
    return user_can(actor, "view", PaymentBatch)


def _people_in(*, actor: Actor, region: Region) -> QuerySet[SocialWorker]:
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor)
    return queryset.filter(region__code__startswith=region.prefix)


def rewards_due(
    *, actor: Actor, region: Region, period_start: date, period_end: date
) -> list[DueLine]:
    """Exam rewards due for the certificates obtained within the period by people working in
    ``region`` (and in the actor's jurisdiction).

    A certificate is due when the exam-reward rule for its level valid on the day it was
    obtained admits it (:func:`policy_admits`), its holder had not left social work before
    that day, and no exam-reward payment exists for it yet. "First obtains that level" holds
    by construction: a person has one certificate per level (``one_certificate_per_level``).
    """
    if not _may_read_payments(actor):
        return []
    policies = _policies(
        actor=actor, kind=PaymentKind.EXAM_REWARD, period_start=period_start, period_end=period_end
    )
    if not policies:
        return []
    already_paid = Payment.objects.filter(kind=PaymentKind.EXAM_REWARD, certificate=OuterRef("pk"))
    certificates = (
        Certificate.objects.visible_to(actor)
        .filter(
            social_worker__in=_people_in(actor=actor, region=region),
            obtained_on__gte=period_start,
            obtained_on__lte=period_end,
        )
        .filter(
            Q(social_worker__left_on__isnull=True) | Q(social_worker__left_on__gte=F("obtained_on"))
        )
        .exclude(Exists(already_paid))
        .select_related("social_worker__station", "social_worker__region")
        .order_by("social_worker__region__code", "social_worker__name", "obtained_on", "pk")
    )
    lines = []
    for certificate in certificates:
        person = certificate.social_worker
        policy = next(
            (
                p
                for p in policies
                if p.level == certificate.level and p.is_valid_on(certificate.obtained_on)
            ),
            None,
        )
        if policy is None or not policy_admits(policy, person, certificate):
            continue
        lines.append(
            DueLine(
                kind=PaymentKind.EXAM_REWARD,
                social_worker=person,
                certificate=certificate,
                policy=policy,
                amount=policy.amount,
            )
        )
    return lines


def allowances_due(*, actor: Actor, region: Region, month: date) -> list[DueLine]:
    """Job allowances due for ``month`` to people working in ``region`` (and in the actor's
    jurisdiction).

    Due to every full-time community worker (``is_fulltime`` and ``is_community_worker``) hired
    by and not leaving before the month's end, holding a certificate obtained on or before the
    month's end, with no allowance paid for that month yet. The amount is that of the
    job-allowance rule for the highest level among the person's certificates that the rule
    admits; when rules change within the month, the one in force last in the month applies.
    """
    if not _may_read_payments(actor):
        return []
    first = month.replace(day=1)
    last = month_end(first)
    policies = _policies(
        actor=actor, kind=PaymentKind.JOB_ALLOWANCE, period_start=first, period_end=last
    )
    if not policies:
        return []
    policy_for_level: dict[str, RewardPolicy] = {}
    for policy in policies:  # newest first: the first rule met for a level is the latest
        policy_for_level.setdefault(policy.level, policy)

    held = Certificate.objects.filter(obtained_on__lte=last).order_by("pk")
    already_paid = Payment.objects.filter(
        kind=PaymentKind.JOB_ALLOWANCE, social_worker=OuterRef("pk"), month=first
    )
    people = (
        _people_in(actor=actor, region=region)
        .filter(is_community_worker=True, is_fulltime=True)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=last))
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=last))
        .filter(Exists(held.filter(social_worker=OuterRef("pk"))))
        .exclude(Exists(already_paid))
        .select_related("station", "region")
        .prefetch_related(Prefetch("certificates", queryset=held, to_attr="held_certificates"))
        .order_by("region__code", "name", "pk")
    )
    lines = []
    for person in people:
        admitted = [
            (certificate, policy_for_level[certificate.level])
            for certificate in person.held_certificates
            if certificate.level in policy_for_level
            and policy_admits(policy_for_level[certificate.level], person, certificate)
        ]
        if not admitted:
            continue
        certificate, policy = max(admitted, key=lambda pair: level_rank(pair[0].level))
        lines.append(
            DueLine(
                kind=PaymentKind.JOB_ALLOWANCE,
                social_worker=person,
                certificate=certificate,
                policy=policy,
                amount=policy.amount,
                month=first,
            )
        )
    return lines


def totals_by_level(lines: Iterable[Any]) -> tuple[list[LevelTotal], int, Decimal]:
    """Count and amount per certificate level (assistant → senior), then the grand totals.
    ``lines`` are :class:`DueLine` or :class:`Payment` (both have ``certificate``/``amount``)."""
    counts: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for line in lines:
        level = line.certificate.level
        counts[level] = counts.get(level, 0) + 1
        amounts[level] = amounts.get(level, Decimal(0)) + line.amount
    totals = [
        LevelTotal(level, str(CertificateLevel(level).label), counts[level], amounts[level])
        for level in sorted(counts, key=level_rank)
    ]
    return totals, sum(counts.values()), sum(amounts.values(), Decimal(0))


def totals_by_month(lines: Iterable[Any]) -> list[tuple[date, int, Decimal]]:
    """Count and amount per allowance month, in order (exam-reward lines have no month)."""
    counts: dict[date, int] = {}
    amounts: dict[date, Decimal] = {}
    for line in lines:
        if line.month is None:
            continue
        counts[line.month] = counts.get(line.month, 0) + 1
        amounts[line.month] = amounts.get(line.month, Decimal(0)) + line.amount
    return [(month, counts[month], amounts[month]) for month in sorted(counts)]


def payment_batch_totals(
    *, actor: Actor, batch: PaymentBatch
) -> tuple[list[LevelTotal], int, Decimal]:
    """:func:`totals_by_level` of a batch's visible lines, counted by the database."""
    rows = (
        payment_batch_lines(actor=actor, batch=batch)
        .order_by()
        .values("certificate__level")
        .annotate(count=Count("pk"), amount=Sum("amount"))
    )
    by_level = {row["certificate__level"]: row for row in rows}
    totals = [
        LevelTotal(
            level,
            str(CertificateLevel(level).label),
            by_level[level]["count"],
            Decimal(by_level[level]["amount"] or 0).quantize(CENT),
        )
        for level in sorted(by_level, key=level_rank)
    ]
    return (
        totals,
        sum(total.count for total in totals),
        sum((total.amount for total in totals), Decimal(0)),
    )


def payment_batch_lines(*, actor: Actor, batch: PaymentBatch) -> QuerySet[Payment]:
    """The payments of ``batch`` the actor may see, for the review page and the export."""
    queryset: QuerySet[Payment] = Payment.objects.visible_to(actor)
    return (
        queryset.filter(batch=batch)
        .select_related("social_worker__station", "social_worker__region", "certificate", "policy")
        .order_by("social_worker__region__code", "social_worker__name", "month", "pk")
    )


def payment_region_choices(*, actor: Actor) -> QuerySet[Region]:
    """Regions a batch may be paid by for the actor: the city or counties in their scope."""
    queryset: QuerySet[Region] = Region.objects.visible_to(actor)
    return queryset.filter(level__in=BATCH_REGION_LEVELS).order_by("code")


def reward_policy_list(*, actor: Actor) -> QuerySet[RewardPolicy]:
    queryset: QuerySet[RewardPolicy] = RewardPolicy.objects.visible_to(actor)
    return queryset


def payment_batch_list(*, actor: Actor) -> QuerySet[PaymentBatch]:
    queryset: QuerySet[PaymentBatch] = PaymentBatch.objects.visible_to(actor)
    return queryset.select_related("region", "approved_by")


# The payments list's order: the newest batch first, each batch's lines in the order they
# were generated (month, village or community, name: ``batch_due_lines``), which the index
# ``payment_newest_batch`` serves, so that a page reads its 25 rows, not all the payments
# sorted through their batch and worker (issue 10). The model's order (a batch's period,
# then the worker's name) is on other tables: the city's first page sorted 49,285 rows.
PAYMENT_LIST_ORDER = ("-batch_id", "id")


def payment_list(*, actor: Actor) -> QuerySet[Payment]:
    queryset: QuerySet[Payment] = Payment.objects.visible_to(actor)
    return queryset.select_related(
        "batch", "social_worker", "social_worker__region", "certificate", "policy"
    ).order_by(*PAYMENT_LIST_ORDER)


def batch_payments(*, actor: Actor, batch: PaymentBatch) -> QuerySet[Payment]:
    """A batch's payments (its page), by the worker's name (the model's order)."""
    return payment_list(actor=actor).filter(batch=batch).order_by("batch", "social_worker__name")
