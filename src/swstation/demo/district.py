"""Demo step: the city's assessment of its districts (市对区县考核; issue 15,
spec/station-evaluation.md §6), with the default scheme (K1–K9).

- **Last year's assessment**, at 31 December, scored with the annual round of that year
  (demo/evaluation.py) once its results are final: computed and published by ``city_admin``
  two weeks after the round closed, frozen since.
- **This year's assessment**, a draft computed as of the end of last month (no annual round
  of this year yet: its evaluation items are empty), for the city bureau to compute again and
  publish.

Both go through ``evaluation.services`` as ``city_admin``, on the clock of the day they were
made (demo/evaluation.py's ``_clock``), after the cockpit's aggregates are counted: the
coverage, compliance, village and certification figures are the cockpit's. A second run
changes nothing.
"""

from collections.abc import Callable
from datetime import date, timedelta

from swstation.accounts.models import User
from swstation.demo.evaluation import _at, _clock
from swstation.demo.history import demo_history
from swstation.evaluation import services
from swstation.evaluation.models import (
    DistrictAssessment,
    EvaluationRound,
    RoundKind,
    RoundStatus,
)


def build_district_assessment(log: Callable[[str], None]) -> None:
    today = demo_history().end
    if DistrictAssessment.objects.exists():
        log(f"district assessment: already built ({DistrictAssessment.objects.count()})")
        return
    admin = User.objects.get(username="city_admin")
    annual = (
        EvaluationRound.objects.filter(kind=RoundKind.ANNUAL, status=RoundStatus.CLOSED)
        .order_by("-snapshot_date")
        .first()
    )
    made = []
    if annual is not None and annual.closed_on is not None:
        year = annual.snapshot_date.year
        published_on = min(annual.closed_on + timedelta(days=14), today - timedelta(days=1))
        with _clock(_at(published_on, 9)):
            last_year = services.district_assessment_create(
                actor=admin,
                year=year,
                snapshot_date=date(year, 12, 31),
                evaluation_round=annual,
                note=f"{year}年度市对区县(市)社会工作站建设考核，以{annual.name}最终结果计分。",
            )
            services.district_assessment_compute(actor=admin, assessment=last_year)
        with _clock(_at(published_on, 15)):
            services.district_assessment_publish(actor=admin, assessment=last_year)
        made.append(last_year)
    month_end = today.replace(day=1) - timedelta(days=1)
    if month_end.year == today.year:
        with _clock(_at(today - timedelta(days=1), 10)):
            this_year = services.district_assessment_create(
                actor=admin,
                year=today.year,
                snapshot_date=month_end,
                note=f"{today.year}年度考核（试算）：年度评估尚未开展，评估类指标暂不计分。",
            )
            services.district_assessment_compute(actor=admin, assessment=this_year)
        made.append(this_year)
    for assessment in made:
        best = assessment.results.order_by("rank").select_related("region").first()
        log(
            f"district assessment {assessment.year}: {assessment.get_status_display()}, "
            f"{assessment.results.count()} counties, first {best.region.name if best else '—'} "
            f"{best.total_score if best else ''}"
        )
