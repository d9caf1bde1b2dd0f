"""Pages of the employment aid (issue 14): job seekers (with the logged reveal of their numbers,
their placements and the posts that fit them), job posts (with the places filled and the
ranked seekers who fit, each score with its reasons: the match page) and placements (referred →
hired / not hired → at work → left, each step a POST through services.py that comes back with
the outcome as a message). Reads go through selectors.py, writes through services.py."""

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import user_can
from swstation.core.scoping import get_object_for_user
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.employment import filtersets, forms, selectors, services, tables
from swstation.employment.models import (
    NEXT_PLACEMENT_STATUS,
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    PlacementStatus,
)

# --- seekers -----------------------------------------------------------------------------------

seeker_pages = model_pages(
    JobSeeker,
    prefix="",
    queryset=selectors.job_seeker_list,
    filterset=filtersets.JobSeekerFilterSet,
    table=tables.JobSeekerTable,
    form=forms.JobSeekerForm,
    create=services.job_seeker_create,
    update=services.job_seeker_update,
    template="employment/jobseeker.html",
)


def seeker_page_context(request: HttpRequest, obj: JobSeeker) -> dict[str, Any]:
    user = request.user
    return {
        "placements": list(
            selectors.placement_list(actor=user).filter(seeker=obj).order_by("-referred_on")[:20]
        ),
        "matches": selectors.matches_for_seeker(actor=user, seeker=obj, limit=10),
        "trainings": list(selectors.job_seeker_trainings(actor=user, seeker=obj)[:50]),
        "may_reveal": selectors.may_reveal_identity(user),
        "reveal_url": reverse("employment:jobseeker_reveal_identity", args=[obj.pk]),
        "can_refer": user_can(user, "add", Placement) and obj.status == "seeking",
    }


@seeker_pages.register("detail")
class JobSeekerDetailView(generic.ObjectDetailView):
    template_name = "employment/jobseeker.html"

    def get_extra_context(self, obj: JobSeeker) -> dict[str, Any]:
        return seeker_page_context(self.request, obj)


@seeker_pages.register("edit")
class JobSeekerEditView(generic.ObjectEditView):
    form_class = forms.JobSeekerForm

    def service_data(self, form: Any) -> dict[str, Any]:
        return form.service_data()


@seeker_pages.register("delete")
class JobSeekerDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: JobSeeker) -> None:
        services.job_seeker_delete(actor=self.request.user, seeker=obj)


@seeker_pages.register("reveal_identity", route="<int:pk>/reveal-identity/")
class JobSeekerRevealView(ModelPermissionMixin, View):
    """POST: the full identity or phone number, for the roles that need it, logged (the
    recipients' number template and reveal answer are reused)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        obj = get_object_for_user(self.scoped_queryset(), request.user, pk=pk)
        form = forms.RevealIdentityForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied(_("Say which number to show."))
        field = form.cleaned_data["field"]
        try:
            value = services.job_seeker_reveal_identity(
                actor=request.user, seeker=obj, field=field, purpose=form.cleaned_data["purpose"]
            )
        except ValidationError as exc:
            value, message = "", " ".join(exc.messages)
        else:
            message = ""
        context = {"object": obj, "field": field, "value": value, "message": message}
        if getattr(request, "htmx", False):
            return render(request, "recipients/inc/revealed.html", context)
        if message:
            messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())
        page = {
            **self.model_context(),
            "object": obj,
            **seeker_page_context(request, obj),
            "revealed": {field: value},
        }
        return render(request, "employment/jobseeker.html", page)


# --- posts -------------------------------------------------------------------------------------

post_pages = model_pages(
    JobPost,
    prefix="posts/",
    queryset=selectors.job_post_list,
    filterset=filtersets.JobPostFilterSet,
    table=tables.JobPostTable,
    form=forms.JobPostForm,
    create=services.job_post_create,
    update=services.job_post_update,
    template="employment/jobpost.html",
)


@post_pages.register("detail")
class JobPostDetailView(generic.ObjectDetailView):
    template_name = "employment/jobpost.html"

    def get_extra_context(self, obj: JobPost) -> dict[str, Any]:
        placements = selectors.placement_list(actor=self.request.user).filter(post=obj)
        return {
            "placements": list(placements.order_by("status", "seeker__name")[:100]),
            "placement_count": placements.count(),
            "places_left": max(0, obj.places - obj.places_filled),  # type: ignore[attr-defined]
        }


@post_pages.register("delete")
class JobPostDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: JobPost) -> None:
        services.job_post_delete(actor=self.request.user, post=obj)


MATCHES_SHOWN = 20


@post_pages.register("matches", route="<int:pk>/matches/")
class JobPostMatchesView(ModelPermissionMixin, View):
    """The seekers who fit the post, best first, each score with its reasons; a station's staff
    refer one in a tap (the placement form, filled in)."""

    template_name = "employment/jobpost_matches.html"

    def scoped_queryset(self) -> Any:
        return selectors.job_post_list(actor=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        matches = selectors.matches_for_post(actor=request.user, post=obj)
        # The best first, a phone's few screens; the rest (up to the selector's limit) on
        # request: scoring them all costs the same.
        shown = matches if request.GET.get("all") == "1" else matches[:MATCHES_SHOWN]
        context = {
            **self.model_context(),
            "object": obj,
            "matches": shown,
            "more": len(matches) - len(shown),
            "match_count": len(matches),
            "places_left": max(0, obj.places - obj.places_filled),
            "can_refer": user_can(request.user, "add", Placement) and obj.status == "open",
        }
        return render(request, self.template_name, context)


# --- placements --------------------------------------------------------------------------------

placement_pages = model_pages(
    Placement,
    prefix="placements/",
    queryset=selectors.placement_list,
    filterset=filtersets.PlacementFilterSet,
    table=tables.PlacementTable,
    form=forms.PlacementForm,
    create=services.placement_create,
    update=services.placement_update,
    template="employment/placement.html",
)


@placement_pages.register("detail")
class PlacementDetailView(generic.ObjectDetailView):
    template_name = "employment/placement.html"

    def get_extra_context(self, obj: Placement) -> dict[str, Any]:
        may_act = self.permissions_context()["can_change"]
        steps = NEXT_PLACEMENT_STATUS.get(obj.status, ())
        return {
            "may_act": may_act,
            "hire_form": forms.HireForm(initial={"pay": obj.post.pay})
            if PlacementStatus.HIRED in steps
            else None,
            "reject_form": forms.RejectForm() if PlacementStatus.REJECTED in steps else None,
            "start_form": forms.StartForm(initial={"starts_on": obj.starts_on})
            if PlacementStatus.WORKING in steps
            else None,
            "leave_form": forms.LeaveForm() if PlacementStatus.LEFT in steps else None,
        }


@placement_pages.register("delete")
class PlacementDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Placement) -> None:
        services.placement_delete(actor=self.request.user, placement=obj)


class _StepView(generic.TransitionView):
    field_labels: ClassVar[dict[str, Any]] = {
        "post": gettext_lazy("job post"),
        "seeker": gettext_lazy("job seeker"),
    }


@placement_pages.register("hire", route="<int:pk>/hire/")
class PlacementHireView(_StepView):
    form_class = forms.HireForm

    def perform(self, obj: Placement, data: dict[str, Any]) -> str:
        services.placement_hire(
            actor=self.request.user,
            placement=obj,
            starts_on=data.get("starts_on"),
            pay=data.get("pay"),
            answered_on=data.get("answered_on"),
        )
        return _("The hiring is recorded.")


@placement_pages.register("reject", route="<int:pk>/reject/")
class PlacementRejectView(_StepView):
    form_class = forms.RejectForm

    def perform(self, obj: Placement, data: dict[str, Any]) -> str:
        services.placement_reject(
            actor=self.request.user,
            placement=obj,
            reason=data["reason"],
            answered_on=data.get("answered_on"),
        )
        return _("The employer's refusal is recorded.")


@placement_pages.register("start", route="<int:pk>/start/")
class PlacementStartView(_StepView):
    form_class = forms.StartForm

    def perform(self, obj: Placement, data: dict[str, Any]) -> str:
        services.placement_start(
            actor=self.request.user, placement=obj, starts_on=data.get("starts_on")
        )
        return _("The seeker is recorded at work.")


@placement_pages.register("leave", route="<int:pk>/leave/")
class PlacementLeaveView(_StepView):
    form_class = forms.LeaveForm

    def perform(self, obj: Placement, data: dict[str, Any]) -> str:
        services.placement_leave(
            actor=self.request.user,
            placement=obj,
            ends_on=data.get("ends_on"),
            reason=data.get("reason") or "",
        )
        return _("The end of the job is recorded.")


# --- income follow-up ---------------------------------------------------------------------------

follow_up_pages = model_pages(
    IncomeFollowUp,
    prefix="income/",
    queryset=selectors.income_follow_up_list,
    filterset=filtersets.IncomeFollowUpFilterSet,
    table=tables.IncomeFollowUpTable,
    form=forms.IncomeFollowUpForm,
    create=services.income_follow_up_create,
    update=services.income_follow_up_update,
    template="employment/incomefollowup.html",
)


@follow_up_pages.register("detail")
class IncomeFollowUpDetailView(generic.ObjectDetailView):
    """The household's income as a series: the baseline, then each check with its change."""

    template_name = "employment/incomefollowup.html"

    def get_extra_context(self, obj: IncomeFollowUp) -> dict[str, Any]:
        user = self.request.user
        checks = selectors.follow_up_checks(actor=user, follow_up=obj)
        series = selectors.income_series(obj, checks)
        writable = selectors.writable_follow_ups(actor=user).filter(pk=obj.pk).exists()
        return {
            "series": series,
            "checks": checks,
            "next_due": obj.next_due(checks[-1].checked_on if checks else None),
            "can_add_check": writable and user_can(user, "add", IncomeCheck),
            "can_delete": self.permissions_context()["can_delete"] and not checks,
        }


@follow_up_pages.register("delete")
class IncomeFollowUpDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: IncomeFollowUp) -> None:
        services.income_follow_up_delete(actor=self.request.user, follow_up=obj)


check_pages = model_pages(
    IncomeCheck,
    prefix="income/checks/",
    queryset=selectors.income_check_list,
    filterset=filtersets.IncomeCheckFilterSet,
    table=tables.IncomeCheckTable,
    form=forms.IncomeCheckForm,
    create=services.income_check_create,
    update=services.income_check_update,
)


@check_pages.register("delete")
class IncomeCheckDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: IncomeCheck) -> None:
        services.income_check_delete(actor=self.request.user, check=obj)
