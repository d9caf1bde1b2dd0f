"""Pages of people, certificates, training, supervision, talent, and the certification
statistics. Every read goes through the selectors, every rule through services or models."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from swstation.core import views as generic
from swstation.core.export import export_table
from swstation.core.masking import user_sees_personal_data
from swstation.core.permissions import user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.workforce import filtersets, forms, tables
from swstation.workforce.models import (
    Attendance,
    Certificate,
    CertificateLevel,
    Course,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)
from swstation.workforce.selectors import people as selectors
from swstation.workforce.services import people as services

__all__ = [
    "CertificationStatisticsView",
    "CourseDetailView",
    "SocialWorkerDetailView",
    "SocialWorkerRevealPhoneView",
    "SupervisionSessionDetailView",
    "SupervisorDetailView",
    "SupervisorRevealPhoneView",
    "TrainingClassDetailView",
    "attendance_pages",
    "certificate_pages",
    "course_pages",
    "social_worker_pages",
    "supervision_session_pages",
    "supervisor_pages",
    "talent_entry_pages",
    "training_class_pages",
]


# --- social workers ------------------------------------------------------------------------


social_worker_pages = model_pages(
    SocialWorker,
    prefix="social-workers/",
    queryset=selectors.social_worker_list,
    filterset=filtersets.SocialWorkerFilterSet,
    table=tables.SocialWorkerTable,
    form=forms.SocialWorkerForm,
    create=services.social_worker_create,
    update=services.social_worker_update,
)


@social_worker_pages.register("detail")
class SocialWorkerDetailView(generic.ObjectDetailView):
    template_name = "workforce/socialworker.html"

    def get_extra_context(self, obj: SocialWorker) -> dict[str, Any]:
        user = self.request.user
        attendances = selectors.social_worker_attendances(actor=user, social_worker=obj)
        level = selectors.social_worker_level(social_worker=obj)
        return {
            "level": level,
            "level_label": CertificateLevel(level).label if level else None,
            "certificates": selectors.social_worker_certificates(actor=user, social_worker=obj),
            "attendances": attendances,
            "training_hours": selectors.training_hours(actor=user, social_worker=obj),
            "sessions": selectors.social_worker_sessions(actor=user, social_worker=obj),
            "talent_entries": selectors.social_worker_talent_entries(actor=user, social_worker=obj),
            "can_view_account": user_can(user, "view", get_user_model()),
            "can_add_certificate": user_can(user, "add", Certificate),
            "can_add_attendance": user_can(user, "add", Attendance),
            "can_add_talent": user_can(user, "add", TalentEntry),
            "may_reveal_phone": user_sees_personal_data(user),
            "reveal_phone_url": reverse("workforce:socialworker_reveal_phone", args=[obj.pk]),
        }


class RevealPhonePageMixin:
    """POST: a person's mobile phone in full (the services' ``*_reveal_phone``: not for
    auditors, logged with its purpose). An htmx request gets the number in place of the
    masked one; otherwise the person's page with it. A view names its service in
    ``reveal_phone_of``."""

    http_method_names: Sequence[str] = ["post"]

    def reveal_phone_of(self, actor: Any, record: Any, purpose: str) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        view: Any = self
        obj = view.get_object(pk=pk)
        message = ""
        try:
            value = self.reveal_phone_of(request.user, obj, request.POST.get("purpose", "")[:200])
        except ValidationError as exc:
            value, message = "", " ".join(exc.messages)
        if getattr(request, "htmx", False):
            context = {"object": obj, "field": "phone", "value": value, "message": message}
            return render(request, "workforce/inc/revealed_phone.html", context)
        context = {
            **view.model_context(),
            "object": obj,
            **view.get_extra_context(obj),
            "revealed_phone": value,
            "reveal_message": message,
        }
        return render(request, view.template_name, context)


@social_worker_pages.register("reveal_phone", route="<int:pk>/reveal-phone/")
class SocialWorkerRevealPhoneView(RevealPhonePageMixin, SocialWorkerDetailView):
    def reveal_phone_of(self, actor: Any, record: Any, purpose: str) -> str:
        return services.social_worker_reveal_phone(
            actor=actor, social_worker=record, purpose=purpose
        )


# --- certificates --------------------------------------------------------------------------


certificate_pages = model_pages(
    Certificate,
    prefix="certificates/",
    queryset=selectors.certificate_list,
    filterset=filtersets.CertificateFilterSet,
    table=tables.CertificateTable,
    form=forms.CertificateForm,
    template="workforce/certificate.html",
    create=services.certificate_create,
    update=services.certificate_update,
)


# --- training ------------------------------------------------------------------------------


training_class_pages = model_pages(
    TrainingClass,
    prefix="training-classes/",
    queryset=selectors.training_class_list,
    filterset=filtersets.TrainingClassFilterSet,
    table=tables.TrainingClassTable,
    form=forms.TrainingClassForm,
)


@training_class_pages.register("detail")
class TrainingClassDetailView(generic.ObjectDetailView):
    template_name = "workforce/trainingclass.html"

    def get_extra_context(self, obj: TrainingClass) -> dict[str, Any]:
        user = self.request.user
        courses = selectors.training_class_courses(actor=user, training_class=obj)
        return {
            "courses": courses,
            "total_hours": sum((course.hours for course in courses), start=selectors.ZERO_HOURS),
            "can_add_course": user_can(user, "add", Course),
        }


course_pages = model_pages(
    Course,
    prefix="courses/",
    queryset=selectors.course_list,
    filterset=filtersets.CourseFilterSet,
    form=forms.CourseForm,
    table=tables.CourseTable,
)


@course_pages.register("detail")
class CourseDetailView(generic.ObjectDetailView):
    template_name = "workforce/course.html"

    def get_extra_context(self, obj: Course) -> dict[str, Any]:
        user = self.request.user
        attendances, total = selectors.course_attendances(actor=user, course=obj)
        return {
            "attendances": attendances,
            "total_hours": total,
            "can_add_attendance": user_can(user, "add", Attendance),
        }


attendance_pages = model_pages(
    Attendance,
    prefix="attendance/",
    queryset=selectors.attendance_list,
    filterset=filtersets.AttendanceFilterSet,
    form=forms.AttendanceForm,
    table=tables.AttendanceTable,
    template="workforce/attendance.html",
)


# --- supervision ---------------------------------------------------------------------------


supervisor_pages = model_pages(
    Supervisor,
    prefix="supervisors/",
    queryset=selectors.supervisor_list,
    filterset=filtersets.SupervisorFilterSet,
    table=tables.SupervisorTable,
    form=forms.SupervisorForm,
)


@supervisor_pages.register("detail")
class SupervisorDetailView(generic.ObjectDetailView):
    template_name = "workforce/supervisor.html"

    def get_extra_context(self, obj: Supervisor) -> dict[str, Any]:
        user = self.request.user
        sessions, total = selectors.supervisor_sessions(actor=user, supervisor=obj)
        return {
            "sessions": sessions,
            "total_hours": total,
            "can_view_account": user_can(user, "view", get_user_model()),
            "can_add_session": user_can(user, "add", SupervisionSession),
            "may_reveal_phone": user_sees_personal_data(user),
            "reveal_phone_url": reverse("workforce:supervisor_reveal_phone", args=[obj.pk]),
        }


@supervisor_pages.register("reveal_phone", route="<int:pk>/reveal-phone/")
class SupervisorRevealPhoneView(RevealPhonePageMixin, SupervisorDetailView):
    def reveal_phone_of(self, actor: Any, record: Any, purpose: str) -> str:
        return services.supervisor_reveal_phone(actor=actor, supervisor=record, purpose=purpose)


supervision_session_pages = model_pages(
    SupervisionSession,
    prefix="supervision-sessions/",
    queryset=selectors.supervision_session_list,
    filterset=filtersets.SupervisionSessionFilterSet,
    form=forms.SupervisionSessionForm,
    table=tables.SupervisionSessionTable,
)


@supervision_session_pages.register("detail")
class SupervisionSessionDetailView(generic.ObjectDetailView):
    template_name = "workforce/supervisionsession.html"

    def get_extra_context(self, obj: SupervisionSession) -> dict[str, Any]:
        return {
            "participants": selectors.session_participants(actor=self.request.user, session=obj)
        }


# --- talent catalogues ---------------------------------------------------------------------


talent_entry_pages = model_pages(
    TalentEntry,
    prefix="talent/",
    queryset=selectors.talent_entry_list,
    filterset=filtersets.TalentEntryFilterSet,
    form=forms.TalentEntryForm,
    table=tables.TalentEntryTable,
    template="workforce/talententry.html",
)


# --- certification statistics --------------------------------------------------------------


def _level_rows(stats: selectors.CertificationStatistics) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"label": row.label, "count": row.count, "share": row.share} for row in stats.by_level
    ]
    rows.append({"label": _("Total"), "count": stats.total, "share": 100 if stats.total else None})
    return rows


def _area_rows(stats: selectors.CertificationStatistics) -> list[dict[str, Any]]:
    def row(label: str, code: str, total: int, by_level: dict[str, int], area: Any) -> dict:
        population = area.population
        return {
            "label": label,
            "code": code,
            "total": total,
            **by_level,
            "population": population.population if population else None,
            "population_year": population.year if population else None,
            "per_10k": area.per_10k,
        }

    rows = [
        row(
            area.label
            if area.region is not None
            else _("%(region)s (directly)") % {"region": area.label},
            area.code,
            area.total,
            area.by_level,
            area,
        )
        for area in stats.by_area
    ]
    totals = {row.level: row.count for row in stats.by_level}
    rows.append(row(_("Total"), stats.region.code, stats.total, totals, stats))
    return rows


def _year_rows(stats: selectors.CertificationStatistics) -> list[dict[str, Any]]:
    return [
        {
            "year": row.year,
            "newly": row.newly,
            "growth": row.growth,
            "cumulative": row.cumulative,
        }
        for row in stats.by_year
    ]


# Each export: its table, its rows and its title (the file's and sheet's name).
STATISTICS_EXPORTS = {
    "level": (
        tables.CertifiedByLevelTable,
        _level_rows,
        gettext_lazy("Certified social workers by highest level"),
    ),
    "area": (
        tables.CertifiedByAreaTable,
        _area_rows,
        gettext_lazy("Certified social workers per 10,000 residents"),
    ),
    "year": (tables.NewlyCertifiedTable, _year_rows, gettext_lazy("Newly certified per year")),
}


class CertificationStatisticsView(ModelPermissionMixin, View):
    """Certified social workers by level and region, per 10,000 residents, and newly
    certified per year (domain.md §5), for a region of the user's jurisdiction and a year."""

    model = Certificate
    template_name = "workforce/statistics.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        years = selectors.certification_year_choices()
        form = forms.StatisticsForm(
            request.GET or None,
            regions=selectors.statistics_regions(actor=user),
            years=years,
        )
        region = selectors.statistics_default_region(actor=user)
        year = years[0]
        if form.is_bound:
            if "region" in form.errors:
                # A region outside the jurisdiction: as for any record, there is no such thing.
                raise Http404(_("No such region in your jurisdiction."))
            if form.is_valid():
                region = form.cleaned_data["region"] or region
                year = form.cleaned_data["year"] or year
        if region is None:
            raise Http404(_("Your account has no jurisdiction region."))
        stats = selectors.certification_statistics(actor=user, region=region, year=year)

        export = request.GET.get("export")
        if export in STATISTICS_EXPORTS:
            table_class, rows, title = STATISTICS_EXPORTS[export]
            table = table_class(rows(stats))
            return export_table(table, "xlsx", f"{title}-{region.name}-{year}")

        context = {
            **self.model_context(),
            "form": form,
            "stats": stats,
            "region": region,
            "year": year,
            "level_table": tables.CertifiedByLevelTable(_level_rows(stats)),
            "area_table": tables.CertifiedByAreaTable(_area_rows(stats)),
            "year_table": tables.NewlyCertifiedTable(_year_rows(stats)),
            "chart": {
                "years": [row.year for row in stats.by_year],
                "newly": [row.newly for row in stats.by_year],
                "cumulative": [row.cumulative for row in stats.by_year],
                "newly_label": str(_("Newly certified")),
                "cumulative_label": str(_("Certified at year end")),
            },
        }
        return render(request, self.template_name, context)
