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

import random
import struct
import zlib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone, translation

from swstation.cases.models import ServiceRecord, VisitSchedule
from swstation.core.actors import SYSTEM
from swstation.core.history import save_with_history
from swstation.demo.bulk import analyze, insert_with_history
from swstation.demo.projects import HOUDAJIE_PROJECT, ZHAOBAOSHAN, ZHOUXIANG
from swstation.projects.models import (
    Project,
    ProjectAttachment,
    ProjectCategory,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.projects.selectors import _session_counts, elapsed_share, project_window_end
from swstation.projects.work import ProjectWindow, work_counts
from swstation.stations.models import ConstructionStandard

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
    station that served them; the history rows alike. Two statements, whatever the size (the
    history's through a join: a correlated subquery per history row is minutes at scale)."""
    enrolment = ProjectEnrolment.objects.filter(
        recipient_id=OuterRef("recipient_id"),
        project__station_id=OuterRef("station_id"),
        enrolled_on__lte=OuterRef("served_on"),
    ).exclude(exited_on__lt=OuterRef("served_on"))
    project = enrolment.order_by("project_id").values("project_id")[:1]
    linked = ServiceRecord.objects.filter(project__isnull=True).filter(Exists(enrolment))
    count = linked.update(project_id=Subquery(project))
    if not count:
        return 0
    analyze((ServiceRecord,))
    records = ServiceRecord._meta.db_table
    history = ServiceRecord.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {history} SET project_id = s.project_id FROM {records} s "
            f"WHERE s.id = {history}.id AND s.project_id IS NOT NULL "
            f"AND {history}.project_id IS NULL"
        )
    return count


def build_project_work(log: Callable[[str], None]) -> None:
    schedules = link_schedules()
    services = link_services()
    rule = portfolio_rule()
    if ProjectIndicator.objects.exists():
        log(
            f"project work: {schedules} visit plans and {services} service records linked; "
            "objectives already built"
        )
        return
    rng = random.Random("demo-project-work")
    with translation.override("zh-hans"):
        partners = add_partners(rng)
        indicators = build_objectives(rng)
        reports, files = build_reports(rng)
    log(
        f"project work: {schedules} visit plans and {services} service records linked; "
        f"{partners} projects with partners, {indicators} indicators, {reports} closing "
        f"reports with {files} photos and documents; portfolio rule {rule}"
    )


# --- the construction standard's portfolio rule ----------------------------------------------

CITY_RULE = {"vulnerable_groups": 1, "talent_support": 1}
REVISION_NAME = "宁波市乡镇(街道)社会工作站建设标准（{year}年修订）"


def portfolio_rule() -> str:
    """The city's construction standard checks the "1+X+1" portfolio (one vulnerable-groups
    and one talent-support project a year: data of the standard, stations.portfolio) from the
    year the demo's projects begin, last year: the 2020 standard is closed at the end of the
    year before, and a revision with the same rooms, sign and staff and the portfolio's minimums
    takes over (the projects were not recorded on the platform before, so earlier years are
    not judged on them)."""
    year = timezone.localdate().year - 1
    name = REVISION_NAME.format(year=year)
    if ConstructionStandard.objects.filter(name=name).exists():
        return "already set"
    old = (
        ConstructionStandard.objects.filter(requires_portfolio=True, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if old is None or old.valid_from.year >= year:
        return "no standard to revise"
    old.valid_to = date(year - 1, 12, 31)
    save_with_history(old, actor=SYSTEM, reason="由修订版建设标准取代")
    revision = ConstructionStandard(
        name=name,
        valid_from=date(year, 1, 1),
        station_kinds=old.station_kinds,
        required_rooms=old.required_rooms,
        requires_sign=old.requires_sign,
        min_fulltime_staff=old.min_fulltime_staff,
        requires_portfolio=True,
        portfolio_minimums=dict(CITY_RULE),
    )
    revision.full_clean()
    save_with_history(revision, actor=SYSTEM, reason="检查“1+X+1”项目组合")
    return f"{name} from {year}-01-01"


# --- partners, objectives and indicators ------------------------------------------------------

SEED_PARTNERS = {
    "幸福来敲门": ("后大街社区居委会", "招宝山街道社区卫生服务中心"),
    "幸福来敲门·助老": ("馨心志愿服务队", "集士港镇居家养老服务中心"),
    "慈缘驿站": ("慈城镇妇女联合会", "慈城镇24家合作企业"),
    "巷爱翼生·向阳飞翔": ("慈溪市慈善总会", "周巷镇中心学校"),
    "鼎秀营": ("鄞州区社会工作协会", "宁波大学社会工作系"),
    "东柳街道学校社会工作服务项目": ("东柳街道辖区8所中小学、幼儿园",),
    "塔峙大阿嫂结对帮扶": ("塔峙村“大阿嫂”志愿服务队",),
    "社工考证辅导": ("宁波市社会工作者协会",),
}
PARTNER_POOL = (
    "社区志愿服务队",
    "乡镇(街道)社区卫生服务中心",
    "辖区爱心企业",
    "区县慈善总会",
    "社区社会组织联合会",
    "新时代文明实践站",
    "乡镇(街道)妇联",
    "区县残疾人联合会",
)


def add_partners(rng: random.Random) -> int:
    """Partner organisations of the projects (the seeds' real partners, two or three of the
    township's usual ones for the others), on the project and its history rows alike."""
    rows = list(Project.objects.filter(partners="").values_list("pk", "name"))
    values: dict[str, list[int]] = {}
    for pk, name in rows:
        chosen = SEED_PARTNERS.get(name) or tuple(rng.sample(PARTNER_POOL, rng.randint(1, 3)))
        values.setdefault("\n".join(chosen), []).append(pk)
    history = Project.history.model
    for text, pks in values.items():
        Project.objects.filter(pk__in=pks).update(partners=text)
        history.objects.filter(id__in=pks).update(partners=text)
    return len(rows)


INDICATOR_COLUMNS = (
    "project_id",
    "objective",
    "name",
    "measure",
    "target",
    "unit",
    "service_type",
    "standard",
    "level",
    "manual_actual",
    "evidence",
    "evidence_note",
    "order",
)
MZT039 = "MZ/T 039-2013"


def _target(
    rng: random.Random, actual: Decimal, share: Decimal, floor: int, lagging: bool = False
) -> Decimal:
    """A target the project is on track for, or, for the one indicator of a lagging project,
    well above it (the actual scaled to the whole period by 1.35–1.6: behind schedule).

    On track means ahead of the calendar with room to spare (0.7–0.9 of the pace so far,
    the elapsed share taken as at least a quarter): the demo is built once and read for weeks,
    its records stop on the build day while the calendar goes on, and a project exactly on
    pace on the build day would fall behind within days (a young project within a week)."""
    whole = actual / max(share, Decimal("0.25"))
    factor = rng.uniform(1.35, 1.6) if lagging else rng.uniform(0.7, 0.9)
    return max(Decimal(floor), (whole * Decimal(str(factor))).quantize(Decimal("1")))


# Of the projects followed against the calendar, about this share has one indicator behind
# schedule (its services or its supervision sessions): most are on schedule, a few behind.
LAGGING_SHARE = 0.15


def build_objectives(rng: random.Random) -> int:
    """Objectives with indicators for every approved project: what its records count (services,
    people served, beneficiaries, planned visits done, elders assessed under MZ/T 039-2013 for
    幸福来敲门, supervision sessions for talent support) and a manual indicator where nothing
    can count it (placements of 慈缘驿站, exam candidates coached), with the reason."""
    today = timezone.localdate()
    projects = list(
        Project.objects.exclude(status=ProjectStatus.PROPOSED).select_related(
            "station", "station__region"
        )
    )
    windows = [
        ProjectWindow(p.pk, p.station.region.prefix, p.starts_on, project_window_end(p, today))
        for p in projects
    ]
    counts = work_counts(windows)
    enrolled = dict(
        ProjectEnrolment.objects.order_by()
        .values_list("project_id")
        .annotate(n=Count("recipient_id", distinct=True))
    )
    ends = {w.pk: w.end for w in windows}
    sessions = _session_counts(
        [p for p in projects if p.category == ProjectCategory.TALENT_SUPPORT], ends
    )
    rows: list[tuple[Any, ...]] = []
    moments = []
    for project in projects:
        share = elapsed_share(project, today)
        work = counts[project.pk]
        lagging = rng.random() < LAGGING_SHARE
        planned: list[tuple[str, str, str, Decimal, dict[str, Any]]] = []
        served = f"为{project.get_field_display()}领域服务对象提供专业服务"
        if project.category == ProjectCategory.TALENT_SUPPORT:
            held = Decimal(sessions.get(project.pk, 0))
            if held or lagging:
                planned.append(
                    (
                        "提升社会工作人才专业能力",
                        "督导场次",
                        "sessions",
                        _target(rng, held, share, 1, lagging),
                        {},
                    )
                )
            planned.append(
                (
                    "提升社会工作人才专业能力",
                    "参加培训与考证辅导人次",
                    "manual",
                    Decimal(rng.randint(30, 120)),
                    {"unit": "人次", "evidence_note": "培训签到表在线下保存，平台尚无培训出勤记录"},
                )
            )
        else:
            people = enrolled.get(project.pk, 0)
            # What the records count so far sets the pace; a project with nothing recorded
            # yet (a young one, or one whose services are not linked) reports its activities
            # by hand instead, unless it is one of the few lagging.
            if work.services or lagging:
                planned.append(
                    (
                        served,
                        "服务人次",
                        "services",
                        _target(rng, Decimal(work.services), share, 1, lagging),
                        {},
                    )
                )
            if work.people_served:
                planned.append(
                    (
                        served,
                        "服务人数",
                        "people_served",
                        _target(rng, Decimal(work.people_served), share, 1),
                        {},
                    )
                )
            if people:  # the people enrolled so far are the target: covered, not behind
                planned.append(
                    ("稳定覆盖目标人群", "受益对象人数", "enrolled", Decimal(people), {})
                )
            if work.hours:
                planned.append(
                    (served, "服务时长", "hours", _target(rng, work.hours, share, 1), {})
                )
            if not work.services and not lagging:
                planned.append(
                    (
                        served,
                        "开展服务活动场次",
                        "manual",
                        Decimal(rng.randint(8, 24)),
                        {"unit": "场", "evidence_note": "项目初期的活动记录在线下保存"},
                    )
                )
        if work.visits_planned:
            # A rate below what the plans achieve (0.75–0.9 of it): planned visits keep
            # falling due after the build day, with no visit recorded, and lower the rate.
            rate = Decimal(work.visits_done * 100) / work.visits_planned
            rate *= Decimal(str(rng.uniform(0.75, 0.9)))
            target = max(Decimal(1), min(Decimal(90), rate.quantize(Decimal("1"))))
            planned.append(("按计划开展定期探访", "计划探访完成率", "visit_rate", target, {}))
        if project.name == "幸福来敲门":
            planned.append(
                (
                    "掌握高龄老人能力状况",
                    "完成老年人能力评估人数",
                    "assessed",
                    Decimal(48),
                    {"standard": MZT039},
                )
            )
        if project.name == "慈缘驿站":
            planned.append(
                (
                    "帮助有季节性就业需求的农民就业",
                    "帮助妇女实现就业人数",
                    "manual",
                    Decimal(131),
                    {"unit": "人", "evidence_note": "就业由合作企业录用，录用名单为线下材料"},
                )
            )
        for order, (objective, name, measure, target, extra) in enumerate(planned):
            manual_actual = None
            evidence = ""
            if measure == "manual" and project.status == ProjectStatus.CLOSED:
                manual_actual = (target * Decimal(str(rng.uniform(0.85, 1.1)))).quantize(
                    Decimal("1")
                )
                evidence = _evidence_file(project.pk, order)
            rows.append(
                (
                    project.pk,
                    objective,
                    name,
                    measure,
                    target,
                    extra.get("unit", ""),
                    "",
                    extra.get("standard", ""),
                    None,
                    manual_actual,
                    evidence,
                    extra.get("evidence_note", ""),
                    order,
                )
            )
            moments.append(_moment(project.approved_on or project.starts_on))
    insert_with_history(ProjectIndicator, INDICATOR_COLUMNS, rows, moments)
    return len(rows)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


# A minimal PDF and a small PNG: what the evidence and the photos of the demo are (the files a
# station would upload), written through the default storage.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png(rgb: tuple[int, int, int], width: int = 160, height: int = 120) -> bytes:
    """A plain-coloured PNG (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _evidence_file(project_pk: int, order: int) -> str:
    name = f"projects/{project_pk}/evidence-{order}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(PDF))
    return name


# --- closing reports --------------------------------------------------------------------------

REPORT_COLUMNS = ("project_id", "outcomes", "stories", "lessons", "written_on")
STORIES = {
    "幸福来敲门": "92岁的王奶奶独居多年，社工每月两次上门测量血压、血糖，发现她血压异常后"
    "及时联系社区卫生服务中心上门诊治，现在王奶奶逢人便说“社工就像自家孩子”。",
    "巷爱翼生·向阳飞翔": "小宇父亲服刑、母亲离家，社工为他制定一人一案帮扶计划，链接学校老师结对"
    "辅导功课，一年后他的成绩从班级末尾进入中游，还当上了班级图书管理员。",
    "慈缘驿站": "张阿姨家中有患病的丈夫，只能在家附近做季节性工作。驿站为她对接了附近食品厂的"
    "季节性岗位，她说“挣钱顾家两不误”。",
}
PHOTO_COLOURS = ((214, 234, 248), (253, 235, 208), (212, 239, 223))


def build_reports(rng: random.Random) -> tuple[int, int]:
    """The closing report of every closed project, written three weeks after its end, with
    its figures in words; the seeds' with a story, and two photos and a document each."""
    closed = list(
        Project.objects.filter(status=ProjectStatus.CLOSED).select_related("station").order_by("pk")
    )
    rows = []
    moments = []
    for project in closed:
        day = min(project.closed_on or project.ends_on, timezone.localdate())
        outcomes = (
            f"{project.name}按计划完成{project.starts_on:%Y年%m月}至{project.ends_on:%Y年%m月}的服务，"
            "项目目标和指标完成情况见指标表；服务对象满意度良好。"
        )
        rows.append(
            (
                project.pk,
                outcomes,
                STORIES.get(project.name, ""),
                "下一周期将进一步扩大服务覆盖面，加强志愿者队伍培训。",
                day,
            )
        )
        moments.append(_moment(day))
    insert_with_history(ProjectReport, REPORT_COLUMNS, rows, moments)
    files = 0
    for project in closed:
        if project.name not in STORIES:
            continue
        for index, title in enumerate(("入户服务", "项目总结会")):
            _attach(project, f"{project.name}{title}", _png(PHOTO_COLOURS[index]), "png")
            files += 1
        _attach(project, f"{project.name}结项评估报告", PDF, "pdf")
        files += 1
    return len(rows), files


def _attach(project: Project, title: str, content: bytes, extension: str) -> None:
    attachment = ProjectAttachment(
        project=project,
        title=title,
        taken_on=min(project.ends_on, timezone.localdate()),
        in_report=True,
    )
    attachment.file.save(f"demo.{extension}", ContentFile(content), save=False)
    save_with_history(attachment, actor=SYSTEM, reason="结项材料")
