"""Pages of people, certificates, training, supervision, talent, and the certification
statistics. Every read goes through the selectors, every rule through services or models."""

from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.export import export_table
from swstation.core.permissions import user_can
from swstation.core.views.generic import ModelPermissionMixin
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


class PrefillFromQueryMixin:
    """An add form opened with ``?social_worker=12`` starts with that choice (initial values,
    not a bound form, so that it does not show errors before the user has typed anything)."""

    request: HttpRequest
    form_class: ClassVar[Any]

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs) if "pk" in kwargs else None  # type: ignore[attr-defined]
        initial = {} if obj is not None else request.GET.dict()
        form = self.form_class(instance=obj, initial=initial, user=request.user)
        return self.render_form(form, obj)  # type: ignore[attr-defined]


# --- social workers ------------------------------------------------------------------------


class SocialWorkerMixin:
    model = SocialWorker
    request: Any

    def scoped_queryset(self) -> QuerySet[SocialWorker]:
        return selectors.social_worker_list(actor=self.request.user)


class SocialWorkerListView(SocialWorkerMixin, generic.ObjectListView):
    filterset_class = filtersets.SocialWorkerFilterSet
    table_class = tables.SocialWorkerTable


class SocialWorkerDetailView(SocialWorkerMixin, generic.ObjectDetailView):
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
        }


class SocialWorkerEditView(SocialWorkerMixin, generic.ObjectEditView):
    form_class = forms.SocialWorkerForm

    def save_form(self, form: Any) -> SocialWorker:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        if form.instance.pk:
            return services.social_worker_update(
                actor=self.request.user, social_worker=form.instance, **data
            )
        return services.social_worker_create(actor=self.request.user, **data)


class SocialWorkerDeleteView(SocialWorkerMixin, generic.ObjectDeleteView):
    pass


class SocialWorkerHistoryView(SocialWorkerMixin, generic.ObjectHistoryView):
    pass


# --- certificates --------------------------------------------------------------------------


class CertificateMixin:
    model = Certificate
    request: Any

    def scoped_queryset(self) -> QuerySet[Certificate]:
        return selectors.certificate_list(actor=self.request.user)


class CertificateListView(CertificateMixin, generic.ObjectListView):
    filterset_class = filtersets.CertificateFilterSet
    table_class = tables.CertificateTable


class CertificateDetailView(CertificateMixin, generic.ObjectDetailView):
    template_name = "workforce/certificate.html"


class CertificateEditView(CertificateMixin, PrefillFromQueryMixin, generic.ObjectEditView):
    form_class = forms.CertificateForm

    def save_form(self, form: Any) -> Certificate:
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        if form.instance.pk:
            return services.certificate_update(
                actor=self.request.user, certificate=form.instance, **data
            )
        return services.certificate_create(actor=self.request.user, **data)


class CertificateDeleteView(CertificateMixin, generic.ObjectDeleteView):
    pass


class CertificateHistoryView(CertificateMixin, generic.ObjectHistoryView):
    pass


# --- training ------------------------------------------------------------------------------


class TrainingClassMixin:
    model = TrainingClass
    request: Any

    def scoped_queryset(self) -> QuerySet[TrainingClass]:
        return selectors.training_class_list(actor=self.request.user)


class TrainingClassListView(TrainingClassMixin, generic.ObjectListView):
    filterset_class = filtersets.TrainingClassFilterSet
    table_class = tables.TrainingClassTable


class TrainingClassDetailView(TrainingClassMixin, generic.ObjectDetailView):
    template_name = "workforce/trainingclass.html"

    def get_extra_context(self, obj: TrainingClass) -> dict[str, Any]:
        user = self.request.user
        courses = selectors.training_class_courses(actor=user, training_class=obj)
        return {
            "courses": courses,
            "total_hours": sum((course.hours for course in courses), start=selectors.ZERO_HOURS),
            "can_add_course": user_can(user, "add", Course),
        }


class TrainingClassEditView(TrainingClassMixin, generic.ObjectEditView):
    form_class = forms.TrainingClassForm


class TrainingClassDeleteView(TrainingClassMixin, generic.ObjectDeleteView):
    pass


class TrainingClassHistoryView(TrainingClassMixin, generic.ObjectHistoryView):
    pass


class CourseMixin:
    model = Course
    request: Any

    def scoped_queryset(self) -> QuerySet[Course]:
        return selectors.course_list(actor=self.request.user)


class CourseListView(CourseMixin, generic.ObjectListView):
    filterset_class = filtersets.CourseFilterSet
    table_class = tables.CourseTable


class CourseDetailView(CourseMixin, generic.ObjectDetailView):
    template_name = "workforce/course.html"

    def get_extra_context(self, obj: Course) -> dict[str, Any]:
        user = self.request.user
        attendances, total = selectors.course_attendances(actor=user, course=obj)
        return {
            "attendances": attendances,
            "total_hours": total,
            "can_add_attendance": user_can(user, "add", Attendance),
        }


class CourseEditView(CourseMixin, PrefillFromQueryMixin, generic.ObjectEditView):
    form_class = forms.CourseForm


class CourseDeleteView(CourseMixin, generic.ObjectDeleteView):
    pass


class CourseHistoryView(CourseMixin, generic.ObjectHistoryView):
    pass


class AttendanceMixin:
    model = Attendance
    request: Any

    def scoped_queryset(self) -> QuerySet[Attendance]:
        return selectors.attendance_list(actor=self.request.user)


class AttendanceListView(AttendanceMixin, generic.ObjectListView):
    filterset_class = filtersets.AttendanceFilterSet
    table_class = tables.AttendanceTable


class AttendanceDetailView(AttendanceMixin, generic.ObjectDetailView):
    template_name = "workforce/attendance.html"


class AttendanceEditView(AttendanceMixin, PrefillFromQueryMixin, generic.ObjectEditView):
    form_class = forms.AttendanceForm


class AttendanceDeleteView(AttendanceMixin, generic.ObjectDeleteView):
    pass


class AttendanceHistoryView(AttendanceMixin, generic.ObjectHistoryView):
    pass


# --- supervision ---------------------------------------------------------------------------


class SupervisorMixin:
    model = Supervisor
    request: Any

    def scoped_queryset(self) -> QuerySet[Supervisor]:
        return selectors.supervisor_list(actor=self.request.user)


class SupervisorListView(SupervisorMixin, generic.ObjectListView):
    filterset_class = filtersets.SupervisorFilterSet
    table_class = tables.SupervisorTable


class SupervisorDetailView(SupervisorMixin, generic.ObjectDetailView):
    template_name = "workforce/supervisor.html"

    def get_extra_context(self, obj: Supervisor) -> dict[str, Any]:
        user = self.request.user
        sessions, total = selectors.supervisor_sessions(actor=user, supervisor=obj)
        return {
            "sessions": sessions,
            "total_hours": total,
            "can_view_account": user_can(user, "view", get_user_model()),
            "can_add_session": user_can(user, "add", SupervisionSession),
        }


class SupervisorEditView(SupervisorMixin, generic.ObjectEditView):
    form_class = forms.SupervisorForm


class SupervisorDeleteView(SupervisorMixin, generic.ObjectDeleteView):
    pass


class SupervisorHistoryView(SupervisorMixin, generic.ObjectHistoryView):
    pass


class SupervisionSessionMixin:
    model = SupervisionSession
    request: Any

    def scoped_queryset(self) -> QuerySet[SupervisionSession]:
        return selectors.supervision_session_list(actor=self.request.user)


class SupervisionSessionListView(SupervisionSessionMixin, generic.ObjectListView):
    filterset_class = filtersets.SupervisionSessionFilterSet
    table_class = tables.SupervisionSessionTable


class SupervisionSessionDetailView(SupervisionSessionMixin, generic.ObjectDetailView):
    template_name = "workforce/supervisionsession.html"

    def get_extra_context(self, obj: SupervisionSession) -> dict[str, Any]:
        return {
            "participants": selectors.session_participants(actor=self.request.user, session=obj)
        }


class SupervisionSessionEditView(
    SupervisionSessionMixin, PrefillFromQueryMixin, generic.ObjectEditView
):
    form_class = forms.SupervisionSessionForm


class SupervisionSessionDeleteView(SupervisionSessionMixin, generic.ObjectDeleteView):
    pass


class SupervisionSessionHistoryView(SupervisionSessionMixin, generic.ObjectHistoryView):
    pass


# --- talent catalogues ---------------------------------------------------------------------


class TalentEntryMixin:
    model = TalentEntry
    request: Any

    def scoped_queryset(self) -> QuerySet[TalentEntry]:
        return selectors.talent_entry_list(actor=self.request.user)


class TalentEntryListView(TalentEntryMixin, generic.ObjectListView):
    filterset_class = filtersets.TalentEntryFilterSet
    table_class = tables.TalentEntryTable


class TalentEntryDetailView(TalentEntryMixin, generic.ObjectDetailView):
    template_name = "workforce/talententry.html"


class TalentEntryEditView(TalentEntryMixin, PrefillFromQueryMixin, generic.ObjectEditView):
    form_class = forms.TalentEntryForm


class TalentEntryDeleteView(TalentEntryMixin, generic.ObjectDeleteView):
    pass


class TalentEntryHistoryView(TalentEntryMixin, generic.ObjectHistoryView):
    pass


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


STATISTICS_EXPORTS = {
    "level": (tables.CertifiedByLevelTable, _level_rows, "certified-by-level"),
    "area": (tables.CertifiedByAreaTable, _area_rows, "certified-by-region"),
    "year": (tables.NewlyCertifiedTable, _year_rows, "newly-certified"),
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
            table_class, rows, basename = STATISTICS_EXPORTS[export]
            table = table_class(rows(stats))
            return export_table(table, "xlsx", f"{basename}-{region.code[:9]}-{year}")

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
