"""Reads on elderly assessments beyond the lists (selectors/records.py): who is qualified to
assess on a day (spec/elderly-assessment-gbt42195.md §6, §9.8: the rule is the city's policy
data) and which assessment is a person's latest (the one a change of condition makes due)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from swstation.cases.models import (
    AssessorQualification,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
)
from swstation.core.actors import Actor
from swstation.workforce.models import Certificate, SocialWorker

__all__ = [
    "assessor_qualification_list",
    "assessor_qualifications_on",
    "is_latest_elderly_assessment",
    "unqualified_assessors",
]


def assessor_qualification_list(*, actor: Actor) -> QuerySet[AssessorQualification]:
    queryset: QuerySet[AssessorQualification] = AssessorQualification.objects.visible_to(actor)
    return queryset.select_related("social_worker", "social_worker__station")


def assessor_qualifications_on(
    day: date, *workers: SocialWorker, social_work_certificates: bool = True
) -> dict[int, list[str]]:
    """What qualifies each worker to assess on ``day``, in words ("老年人能力评估师证书 No. …"):
    their assessor qualifications valid that day and, unless ``social_work_certificates`` is
    off, their social worker certificates obtained by then. Two queries, whoever the workers."""
    ids = [w.pk for w in workers if w is not None and w.pk]
    found: dict[int, list[str]] = {pk: [] for pk in ids}
    qualifications = AssessorQualification.objects.filter(
        social_worker_id__in=ids, valid_from__lte=day
    ).order_by("valid_from", "pk")
    for q in qualifications:
        if q.valid_to is None or q.valid_to >= day:
            found[q.social_worker_id].append(_described(q.get_kind_display(), q.number))
    if social_work_certificates:
        certificates = Certificate.objects.filter(
            social_worker_id__in=ids, obtained_on__lte=day
        ).order_by("obtained_on", "pk")
        for c in certificates:
            found[c.social_worker_id].append(_described(c.get_level_display(), c.number))
    return found


def _described(kind: Any, number: str) -> str:
    return f"{kind} {number}".strip()


def unqualified_assessors(
    *, day: date, workers: list[SocialWorker], policy: ElderlyAssessmentPolicy | None
) -> list[SocialWorker]:
    """The workers not qualified to assess on ``day`` under ``policy`` (none when there is no
    policy or it does not require qualified assessors)."""
    if policy is None or not policy.qualified_assessors_only:
        return []
    held = assessor_qualifications_on(
        day, *workers, social_work_certificates=policy.social_work_certificate_qualifies
    )
    return [w for w in workers if w is not None and not held.get(w.pk)]


def is_latest_elderly_assessment(*, actor: Actor, assessment: ElderlyAssessment) -> bool:
    """Whether no newer assessment of the person (that the actor may see) supersedes it."""
    latest = (
        ElderlyAssessment.objects.visible_to(actor)
        .filter(recipient_id=assessment.recipient_id)
        .order_by("-assessed_on", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == assessment.pk
