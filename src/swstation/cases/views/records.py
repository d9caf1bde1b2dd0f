"""Pages of assessments, service records and visit schedules, the quick service entry for
phones, the recipient search behind it, and the due and overdue list. Reads go through
selectors/records.py, writes through services/records.py (which compute every score)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from swstation.cases.filtersets import records as filtersets
from swstation.cases.forms import records as forms
from swstation.cases.models import (
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.selectors import assessments as assessment_selectors
from swstation.cases.selectors import records as selectors
from swstation.cases.services import assessments as assessment_services
from swstation.cases.services import records as services
from swstation.cases.tables import records as tables
from swstation.core import views as generic
from swstation.core.permissions import user_can
from swstation.core.roles import Role
from swstation.core.scoping import ensure_visible
from swstation.core.views.generic import ModelPermissionMixin, add_validation_error
from swstation.core.views.registry import model_pages
from swstation.recipients.models import Recipient
from swstation.recipients.selectors import user_sees_sensitive_data

__all__ = [
    "ChildNeedsAssessmentDetailView",
    "ChildNeedsAssessmentEditView",
    "DueView",
    "ElderlyAssessmentDetailView",
    "ElderlyAssessmentEditView",
    "ElderlyAssessmentReportView",
    "RecipientSearchView",
    "ServiceRecordQuickView",
    "VisitScheduleDetailView",
    "child_needs_assessment_pages",
    "elderly_assessment_pages",
    "elderly_assessment_policy_pages",
    "service_record_pages",
    "visit_schedule_pages",
]

DUE_PAGE_ROWS = 100


def _model_data(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}


# --- elderly capability assessments -----------------------------------------------------


elderly_assessment_pages = model_pages(
    ElderlyAssessment,
    prefix="assessments/elderly/",
    queryset=selectors.elderly_assessment_list,
    filterset=filtersets.ElderlyAssessmentFilterSet,
    table=tables.ElderlyAssessmentTable,
)


@elderly_assessment_pages.register("detail")
class ElderlyAssessmentDetailView(generic.ObjectDetailView):
    """The assessment with its health data (diagnoses) hidden; the roles that may read health
    data show it with a button, each view logged (ElderlyAssessmentHealthDataView)."""

    template_name = "cases/elderlyassessment.html"
    health_data: dict[str, Any] | None = None

    def get_extra_context(self, obj: ElderlyAssessment) -> dict[str, Any]:
        user = self.request.user
        return {
            "breakdown": selectors.elderly_assessment_breakdown(
                assessment=obj, health_data=self.health_data
            ),
            "course": selectors.recipient_assessments(actor=user, assessment=obj)[:20],
            "today": timezone.localdate(),
            "may_reveal": user_sees_sensitive_data(user),
            "may_report_change": user_can(user, "change", ElderlyAssessment)
            and obj.condition_changed_on is None
            and assessment_selectors.is_latest_elderly_assessment(actor=user, assessment=obj),
            "change_form": forms.ConditionChangeForm(),
        }


@elderly_assessment_pages.register("health_data", route="<int:pk>/health-data/")
class ElderlyAssessmentHealthDataView(ElderlyAssessmentDetailView):
    """POST: the assessment's page with its health data shown, for the roles that may read it;
    the view is written in the personal-data access log (services.assessments)."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.get_object(**kwargs).get_absolute_url())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        self.health_data = assessment_services.elderly_assessment_reveal_health_data(
            actor=request.user, assessment=obj, purpose=request.POST.get("purpose", "")
        )
        return super().get(request, **kwargs)


@elderly_assessment_pages.register("condition_change", route="<int:pk>/condition-change/")
class ElderlyAssessmentConditionChangeView(ModelPermissionMixin, View):
    """POST: report a change in the person's condition; their latest assessment is due again
    at once (an immediate reassessment in the due lists)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        form = forms.ConditionChangeForm(request.POST)
        if form.is_valid():
            try:
                assessment_services.elderly_condition_change_report(
                    actor=request.user,
                    recipient=obj.recipient,
                    changed_on=form.cleaned_data["condition_changed_on"],
                    note=form.cleaned_data["condition_change_note"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Change of condition recorded: %(name)s is due for reassessment at once.")
                    % {"name": obj.recipient.name},
                )
        else:
            messages.error(
                request, " ".join(str(m) for errors in form.errors.values() for m in errors)
            )
        return HttpResponseRedirect(obj.get_absolute_url())


@elderly_assessment_pages.register("edit")
class ElderlyAssessmentEditView(generic.ObjectEditView):
    """Add or correct an assessment. A new one is made under the standard the city's policy
    sets (``?standard=MZ/T 039-2013`` switches where the policy still allows it); an existing
    one keeps its own."""

    form_class = forms.ElderlyAssessmentForm
    template_name = "cases/records/elderlyassessment_form.html"

    def get_form(
        self, obj: Any | None, data: Any = None, files: Any = None, initial: Any = None
    ) -> Any:
        standard = (data if data is not None else initial or {}).get("standard")
        health_data = None
        if obj is not None and data is None and obj.health_data_encrypted:
            # The form shows the diagnoses to correct them: a logged view.
            health_data = assessment_services.elderly_assessment_reveal_health_data(
                actor=self.request.user, assessment=obj, purpose=_("to correct the assessment")
            )
        return self.form_class(
            data=data,
            files=files,
            initial=initial,
            instance=obj,
            user=self.request.user,
            standard=standard,
            health_data=health_data,
        )

    def save_form(self, form: Any) -> ElderlyAssessment:
        data = _model_data(form)
        data.update(items=form.items(), adjustments=form.adjustments())
        if form.instance.pk:
            return services.elderly_assessment_update(
                actor=self.request.user, assessment=form.instance, **data
            )
        return services.elderly_assessment_create(
            actor=self.request.user, standard=form.assessment_standard, **data
        )


@elderly_assessment_pages.register("report", route="<int:pk>/report/")
class ElderlyAssessmentReportView(ModelPermissionMixin, View):
    """The assessment report (评估报告, GB/T 42195-2022 Annex C; the same layout for an MZ/T
    039-2013 record with its dimension grades): the person, the reason for the assessment,
    the results, why the level changed, and the signature block with both assessors' names,
    on one printable page without the site's navigation."""

    template_name = "cases/elderlyassessment_report.html"

    def get(self, request: HttpRequest, pk: int, health_data: Any = None) -> HttpResponse:
        assessment = self.get_object(pk=pk)
        context = {
            **self.model_context(),
            "object": assessment,
            "breakdown": selectors.elderly_assessment_breakdown(
                assessment=assessment, health_data=health_data
            ),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
            "may_reveal": user_sees_sensitive_data(request.user),
            "assessors": _assessors_with_qualifications(assessment),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The report with the health data (diagnoses), for the file: a logged view."""
        assessment = self.get_object(pk=pk)
        health_data = assessment_services.elderly_assessment_reveal_health_data(
            actor=request.user, assessment=assessment, purpose=_("printed report")
        )
        return self.get(request, pk, health_data=health_data)


def _assessors_with_qualifications(assessment: ElderlyAssessment) -> list[dict[str, Any]]:
    """Both assessors with what qualified them on the assessment's day (for the report)."""
    workers = [assessment.assessor, assessment.second_assessor]
    held = assessment_selectors.assessor_qualifications_on(assessment.assessed_on, *workers)
    return [{"name": w.name, "qualifications": held.get(w.pk, [])} for w in workers]


elderly_assessment_policy_pages = model_pages(
    ElderlyAssessmentPolicy,
    prefix="assessments/policies/",
    queryset=selectors.elderly_assessment_policy_list,
    filterset=filtersets.ElderlyAssessmentPolicyFilterSet,
    table=tables.ElderlyAssessmentPolicyTable,
    form=forms.ElderlyAssessmentPolicyForm,
)


# --- child needs assessments ------------------------------------------------------------


child_needs_assessment_pages = model_pages(
    ChildNeedsAssessment,
    prefix="assessments/children/",
    queryset=selectors.child_needs_assessment_list,
    filterset=filtersets.ChildNeedsAssessmentFilterSet,
    table=tables.ChildNeedsAssessmentTable,
)


@child_needs_assessment_pages.register("detail")
class ChildNeedsAssessmentDetailView(generic.ObjectDetailView):
    template_name = "cases/childneedsassessment.html"

    def get_extra_context(self, obj: ChildNeedsAssessment) -> dict[str, Any]:
        return {
            "breakdown": selectors.child_needs_breakdown(assessment=obj),
            "course": selectors.recipient_assessments(actor=self.request.user, assessment=obj)[:20],
            "today": timezone.localdate(),
        }


@child_needs_assessment_pages.register("edit")
class ChildNeedsAssessmentEditView(generic.ObjectEditView):
    form_class = forms.ChildNeedsAssessmentForm
    template_name = "cases/records/childneedsassessment_form.html"

    def save_form(self, form: Any) -> ChildNeedsAssessment:
        data = _model_data(form)
        data["needs"] = form.needs()
        if form.instance.pk:
            return services.child_needs_assessment_update(
                actor=self.request.user, assessment=form.instance, **data
            )
        return services.child_needs_assessment_create(actor=self.request.user, **data)


# --- service records --------------------------------------------------------------------


service_record_pages = model_pages(
    ServiceRecord,
    prefix="services/",
    queryset=selectors.service_record_list,
    filterset=filtersets.ServiceRecordFilterSet,
    table=tables.ServiceRecordTable,
    form=forms.ServiceRecordForm,
    template="cases/servicerecord.html",
    create=services.service_record_create,
    update=services.service_record_update,
)


@service_record_pages.register("quick", route="quick/")
class ServiceRecordQuickView(ModelPermissionMixin, View):
    """The short form for a phone: recipient (found by name among the worker's station's
    recipients), date (today), type, duration and notes. Saving returns to an empty form, so
    that the next visit is recorded at once."""

    action = "add"
    template_name = "cases/records/servicerecord_quick.html"

    def get_form(self, data: Any = None, initial: dict[str, Any] | None = None) -> Any:
        worker = selectors.actor_social_worker(actor=self.request.user)
        return forms.QuickServiceRecordForm(
            data=data, initial=initial or {}, user=self.request.user, worker=worker
        )

    def render_form(self, form: Any, saved: ServiceRecord | None = None) -> HttpResponse:
        context = {
            **self.model_context(),
            "form": form,
            "saved": saved,
            "worker": form.linked_worker,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {
            key: value
            for key, value in request.GET.items()
            if key in ("recipient", "service_type", "served_on", "duration_minutes")
        }
        return self.render_form(self.get_form(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_form(form)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                record = services.service_record_create(
                    actor=request.user,
                    recipient=data["recipient"],
                    worker=form.chosen_worker(),
                    served_on=data["served_on"],
                    service_type=data["service_type"],
                    duration_minutes=data["duration_minutes"],
                    notes=data.get("notes", ""),
                )
                ensure_visible(request.user, record)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_form(form)
        except ValidationError as exc:
            _add_quick_errors(form, exc)
            return self.render_form(form)
        messages.success(
            request,
            _("Saved: %(record)s.") % {"record": record},
        )
        return HttpResponseRedirect(f"{reverse('cases:servicerecord_quick')}?saved={record.pk}")


def _add_quick_errors(form: Any, error: ValidationError) -> None:
    if (
        hasattr(error, "error_dict")
        and "worker" in error.error_dict
        and "worker" not in form.fields
    ):
        # The worker is the user's own record: say so without pointing at a hidden field.
        messages_ = [m for e in error.error_dict.pop("worker") for m in e.messages]
        form.add_error(None, messages_)
    add_validation_error(form, error)


class RecipientSearchView(LoginRequiredMixin, View):
    """Radio options of recipients whose name contains ``q`` (the htmx part of the recipient
    pickers): up to 20, visible to the user, optionally only a station's."""

    template_name = "cases/records/recipient_options.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not user_can(request.user, "view", Recipient):
            raise PermissionDenied(_("Your role may not do this."))
        name = request.GET.get("name", "recipient")
        if not name.replace("_", "").isalnum():
            name = "recipient"
        station = None
        station_id = request.GET.get("station", "")
        if station_id.isdigit():
            station = selectors.visible_station(actor=request.user, pk=int(station_id))
        query = request.GET.get("q", "")
        results = (
            selectors.recipient_search(actor=request.user, query=query, station=station)
            if query.strip()
            else []
        )
        return render(
            request,
            self.template_name,
            {"results": results, "name": name, "query": query, "searched": bool(query.strip())},
        )


# --- visit schedules --------------------------------------------------------------------


visit_schedule_pages = model_pages(
    VisitSchedule,
    prefix="visits/",
    queryset=selectors.visit_schedule_list_with_next_due,
    filterset=filtersets.VisitScheduleFilterSet,
    table=tables.VisitScheduleTable,
    form=forms.VisitScheduleForm,
    create=services.visit_schedule_create,
    update=services.visit_schedule_update,
)


@visit_schedule_pages.register("detail")
class VisitScheduleDetailView(generic.ObjectDetailView):
    template_name = "cases/visitschedule.html"

    def get_extra_context(self, obj: VisitSchedule) -> dict[str, Any]:
        today = timezone.localdate()
        with_due = (
            selectors.visit_schedules_with_next_due(
                actor=self.request.user, on=today, everyone=True
            )
            .filter(pk=obj.pk)
            .first()
        )
        recent = (
            selectors.service_record_list(actor=self.request.user)
            .filter(recipient_id=obj.recipient_id, service_type=obj.service_type)
            .order_by("-served_on", "-pk")[:10]
        )
        return {
            "due": with_due,
            "today": today,
            "interval_days": selectors.visit_interval_days(obj.times_per_month),
            "recent_services": recent,
            "can_record": user_can(self.request.user, "add", ServiceRecord),
        }


# --- due and overdue --------------------------------------------------------------------


class DueView(LoginRequiredMixin, View):
    """Visits and reassessments due and overdue for the user: a social worker's own, the
    others' whole jurisdiction. ``?on=2026-03-01`` looks at another day."""

    template_name = "cases/records/due.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (user_can(user, "view", VisitSchedule) or user_can(user, "view", ElderlyAssessment)):
            raise PermissionDenied(_("Your role may not do this."))
        on = _day(request.GET.get("on"))
        visits_overdue = selectors.visits_overdue(actor=user, on=on)
        visits_due = selectors.visits_due(actor=user, on=on)
        assessments_overdue = selectors.assessments_overdue(actor=user, on=on)
        assessments_due = selectors.assessments_due(actor=user, on=on)
        # The cockpit's drill-down narrows the (already scoped) lists to one region.
        region_code = request.GET.get("region_code", "").strip()
        if region_code.isdigit():
            visits_overdue, visits_due, assessments_overdue, assessments_due = (
                selectors.due_in_region(
                    region_code, visits_overdue, visits_due, assessments_overdue, assessments_due
                )
            )
        sections = [
            {
                "id": "visits-overdue",
                "title": _("Overdue visits"),
                "count": visits_overdue.count(),
                "items": selectors.due_items_for_visits(visits_overdue[:DUE_PAGE_ROWS], on),
                "overdue": True,
            },
            {
                "id": "visits-due",
                "title": _("Visits due in the next 2 days"),
                "count": visits_due.count(),
                "items": selectors.due_items_for_visits(visits_due[:DUE_PAGE_ROWS], on),
                "overdue": False,
            },
            {
                "id": "assessments-overdue",
                "title": _("Overdue reassessments"),
                "count": assessments_overdue.count(),
                "items": assessments_overdue.items(DUE_PAGE_ROWS),
                "overdue": True,
            },
            {
                "id": "assessments-due",
                "title": _("Reassessments due within 14 days"),
                "count": assessments_due.count(),
                "items": assessments_due.items(DUE_PAGE_ROWS),
                "overdue": False,
            },
        ]
        context = {
            "on": on,
            "region_code": region_code,
            "today": timezone.localdate(),
            "sections": sections,
            "rows": DUE_PAGE_ROWS,
            "own_only": _own_only(user),
            "unlinked": _own_only(user) and selectors.actor_social_worker(actor=user) is None,
            "can_record": user_can(user, "add", ServiceRecord),
            "can_assess": user_can(user, "add", ElderlyAssessment),
        }
        return render(request, self.template_name, context)


def _own_only(user: Any) -> bool:
    return getattr(user, "role", None) == Role.SOCIAL_WORKER and not user.is_superuser


def _day(value: str | None) -> date:
    try:
        parsed = parse_date(value) if value else None
    except ValueError:  # well formed but not a date, such as 2026-02-30
        parsed = None
    return parsed or timezone.localdate()
