"""Demo: the work done under the projects (issue 12), after the projects step.

- Visit plans named a project in free text (the cases step writes 幸福来敲门's health visits
  and 周巷镇's 一人一案 home visits): each now points to its project, as migration
  cases/0008 links an existing database — 幸福来敲门's plans at 招宝山街道 to the project of
  that name (the text, now the project's name, is cleared), the children's plans at 周巷镇 to
  巷爱翼生·向阳飞翔 (whose 35 children they are; "一人一案" stays as their note).
- Service records point to the project a person was enrolled in on the day, at the station that
  gave the service (the first such project by its id when a person is in two).
- Objectives with indicators (projects.models.ProjectObjective) for the current and the last
  cycle's projects, and the closing reports of the closed ones (see
  :func:`build_objectives` and :func:`build_reports`).

Rows are written in bulk with their history rows updated alike. The step is idempotent: once a
project has an objective, it is left alone.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Subquery

from swstation.cases.models import ServiceRecord, VisitSchedule
from swstation.demo.projects import HOUDAJIE_PROJECT, ZHAOBAOSHAN, ZHOUXIANG
from swstation.projects.models import Project, ProjectEnrolment

XIANGYANG_PROJECT = "巷爱翼生·向阳飞翔"


def link_schedules() -> int:
    """Point the visit plans of the seeds' projects to their projects (see the module)."""
    linked = 0
    houdajie = (
        Project.objects.filter(name=HOUDAJIE_PROJECT, station__region__code=ZHAOBAOSHAN)
        .order_by("starts_on")
        .first()
    )
    history = VisitSchedule.history.model
    if houdajie is not None:
        plans = VisitSchedule.objects.filter(
            project__isnull=True,
            project_text=HOUDAJIE_PROJECT,
            recipient__region__code__startswith=ZHAOBAOSHAN[:9],
        )
        ids = list(plans.values_list("pk", flat=True))
        linked += VisitSchedule.objects.filter(pk__in=ids).update(project=houdajie, project_text="")
        history.objects.filter(id__in=ids).update(project_id=houdajie.pk, project_text="")
    xiangyang = (
        Project.objects.filter(name=XIANGYANG_PROJECT, station__region__code=ZHOUXIANG)
        .order_by("starts_on")
        .first()
    )
    if xiangyang is not None:
        enrolled = ProjectEnrolment.objects.filter(project=xiangyang).values("recipient_id")
        plans = VisitSchedule.objects.filter(project__isnull=True, recipient_id__in=enrolled)
        ids = list(plans.values_list("pk", flat=True))
        linked += VisitSchedule.objects.filter(pk__in=ids).update(project=xiangyang)
        history.objects.filter(id__in=ids).update(project_id=xiangyang.pk)
    return linked


def link_services() -> int:
    """Point each service record to the project its person was enrolled in on the day, at the
    station that served them; the history rows alike. Two statements each, whatever the size."""
    enrolment = ProjectEnrolment.objects.filter(
        recipient_id=OuterRef("recipient_id"),
        project__station_id=OuterRef("station_id"),
        enrolled_on__lte=OuterRef("served_on"),
    ).exclude(exited_on__lt=OuterRef("served_on"))
    project = enrolment.order_by("project_id").values("project_id")[:1]
    linked = ServiceRecord.objects.filter(project__isnull=True).filter(Exists(enrolment))
    count = linked.update(project_id=Subquery(project))
    history = ServiceRecord.history.model
    history.objects.filter(
        project_id__isnull=True,
        id__in=ServiceRecord.objects.filter(project__isnull=False).values("pk"),
    ).update(
        project_id=Subquery(
            ServiceRecord.objects.filter(pk=OuterRef("id")).values("project_id")[:1]
        )
    )
    return count


def build_project_work(log: Callable[[str], None]) -> None:
    schedules = link_schedules()
    services = link_services()
    log(f"project work: {schedules} visit plans and {services} service records linked")
