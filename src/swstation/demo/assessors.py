"""Demo: the qualifications of the people who assess elders (issue 11; spec/elderly-assessment-
gbt42195.md §6: MZ/T 039-2013 asked for trained, certified assessors; Zhejiang certifies
老年人能力评估师). Every social worker who is an assessor of a demo assessment holds a
qualification from before their first one: most an elderly capability assessor certificate of
the city's bureau, some the province's assessment training certificate. The city's policy
leaves the check off (``qualified_assessors_only``), as the migration seeds it; the records are
there for the report and for a city that turns it on. Built once: a second run adds nothing.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import Min

from swstation.cases.models import (
    AssessorQualification,
    AssessorQualificationKind,
    ElderlyAssessment,
)
from swstation.demo.bulk import insert_objects

__all__ = ["build_assessor_qualifications", "first_assessments"]


def first_assessments() -> dict[int, date]:
    """Each assessor's first assessment day (as first or second assessor)."""
    firsts: dict[int, date] = {}
    for field in ("assessor", "second_assessor"):
        rows = ElderlyAssessment.objects.values(field).annotate(first=Min("assessed_on"))
        for row in rows:
            worker, day = row[field], row["first"]
            if worker not in firsts or day < firsts[worker]:
                firsts[worker] = day
    return firsts


def build_assessor_qualifications(log: Callable[[str], None]) -> None:
    held = set(AssessorQualification.objects.values_list("social_worker_id", flat=True))
    new = []
    for worker, first in sorted(first_assessments().items()):
        if worker in held:
            continue
        # Certified between one and about ten months before their first assessment.
        valid_from = first - timedelta(days=30 + worker * 37 % 270)
        if worker % 4:
            kind, issuer = AssessorQualificationKind.ASSESSOR, "宁波市民政局"
        else:
            kind, issuer = AssessorQualificationKind.TRAINING, "浙江省民政厅"
        new.append(
            AssessorQualification(
                social_worker_id=worker,
                kind=kind,
                number=f"PG{valid_from:%Y}{worker:06d}",
                issued_by=issuer,
                valid_from=valid_from,
            )
        )
    if new:
        insert_objects(AssessorQualification, new)
    log(f"assessor qualifications: {len(new)} added ({len(held)} already held)")
