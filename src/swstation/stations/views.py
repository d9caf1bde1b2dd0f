from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import user_can
from swstation.core.scoping import get_object_for_user
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.stations import filtersets, forms, selectors, services, staffing, tables
from swstation.stations.export import rollout_workbook_response
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
    StationSubsidy,
    SubsidyPolicy,
    SubsidyStatus,
)


def _form_errors_as_messages(request: HttpRequest, form: Any) -> None:
    """The errors of a small action form (no page of its own), as messages naming the field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(str(error) for error in errors)}")


# --- service agencies ----------------------------------------------------------------------------


agency_pages = model_pages(
    ServiceAgency,
    prefix="agencies/",
    queryset=selectors.service_agency_list,
    filterset=filtersets.ServiceAgencyFilterSet,
    table=tables.ServiceAgencyTable,
    form=forms.ServiceAgencyForm,
)


@agency_pages.register("detail")
class ServiceAgencyDetailView(generic.ObjectDetailView):
    template_name = "stations/serviceagency.html"

    def get_extra_context(self, obj: ServiceAgency) -> dict[str, Any]:
        user = self.request.user
        stations = tables.StationTable(
            selectors.agency_stations(actor=user, agency=obj),
            user=user,
            exclude=("agency", "contact_name", "contact_phone", "special_kind"),
            orderable=False,
        )
        return {"stations_table": stations}


# --- stations ------------------------------------------------------------------------------------


station_pages = model_pages(
    Station,
    prefix="",
    queryset=selectors.station_list,
    filterset=filtersets.StationFilterSet,
    table=tables.StationTable,
    form=forms.StationForm,
    create=services.station_create,
    update=services.station_update,
)


@station_pages.register("detail")
class StationDetailView(generic.ObjectDetailView):
    template_name = "stations/station.html"

    def get_extra_context(self, obj: Station) -> dict[str, Any]:
        user = self.request.user
        rooms = list(selectors.station_rooms(actor=user, station=obj))
        return {
            "rooms": rooms,
            "room_area": sum((room.area_m2 for room in rooms), start=0),
            "panels": staffing.station_panels(actor=user, station=obj),
            "compliance": selectors.station_compliance(station=obj),
            "subsidies": selectors.station_subsidies(actor=user, station=obj),
            "outposts": selectors.station_outposts(actor=user, station=obj),
            "can_add_room": user_can(user, "add", Room),
        }


class RolloutView(ModelPermissionMixin, View):
    """Township stations built per year and district, and coverage of towns and streets."""

    model = Station

    def get(self, request: HttpRequest) -> HttpResponse:
        rollout = selectors.station_rollout(actor=request.user)
        if request.GET.get("export") == "xlsx":
            return rollout_workbook_response(rollout)
        rows = [
            {"row": row, "cells": rollout.year_cells(row)} for row in [*rollout.rows, rollout.total]
        ]
        return render(request, "stations/rollout.html", {"rollout": rollout, "rows": rows})


# --- rooms ---------------------------------------------------------------------------------------


room_pages = model_pages(
    Room,
    prefix="rooms/",
    queryset=selectors.room_list,
    filterset=filtersets.RoomFilterSet,
    table=tables.RoomTable,
    form=forms.RoomForm,
    template="stations/room.html",
)


# --- construction standards ----------------------------------------------------------------------


standard_pages = model_pages(
    ConstructionStandard,
    prefix="standards/",
    queryset=selectors.construction_standard_list,
    filterset=filtersets.ConstructionStandardFilterSet,
    table=tables.ConstructionStandardTable,
    form=forms.ConstructionStandardForm,
    template="stations/constructionstandard.html",
)


# --- subsidy policies ----------------------------------------------------------------------------


policy_pages = model_pages(
    SubsidyPolicy,
    prefix="subsidy-policies/",
    queryset=selectors.subsidy_policy_list,
    filterset=filtersets.SubsidyPolicyFilterSet,
    table=tables.SubsidyPolicyTable,
    form=forms.SubsidyPolicyForm,
)


@policy_pages.register("detail")
class SubsidyPolicyDetailView(generic.ObjectDetailView):
    template_name = "stations/subsidypolicy.html"

    def get_extra_context(self, obj: SubsidyPolicy) -> dict[str, Any]:
        user = self.request.user
        subsidies = selectors.station_subsidy_list(actor=user).filter(policy=obj)
        return {
            "can_generate": user_can(user, "add", StationSubsidy),
            "generate_form": forms.SubsidyGenerateForm(),
            "totals": selectors.station_subsidy_totals(subsidies),
            "subsidy_count": subsidies.count(),
        }


@policy_pages.register("generate", route="<int:pk>/generate/")
class SubsidyPolicyGenerateView(ModelPermissionMixin, View):
    """POST: create the payable subsidies of a policy for a year (the city bureau only)."""

    model = StationSubsidy
    action = "add"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = get_object_for_user(
            selectors.subsidy_policy_list(actor=request.user), request.user, pk=pk
        )
        form = forms.SubsidyGenerateForm(request.POST)
        if not form.is_valid():
            _form_errors_as_messages(request, form)
            return HttpResponseRedirect(policy.get_absolute_url())
        year = form.cleaned_data["year"]
        try:
            created = services.station_subsidies_generate(
                actor=request.user, policy=policy, year=year
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return HttpResponseRedirect(policy.get_absolute_url())
        messages.success(
            request,
            _("%(count)s subsidies created for %(year)s; stations that already had one were left.")
            % {"count": created, "year": year},
        )
        return HttpResponseRedirect(policy.get_absolute_url())


# --- station subsidies ---------------------------------------------------------------------------


subsidy_pages = model_pages(
    StationSubsidy,
    prefix="subsidies/",
    queryset=selectors.station_subsidy_list,
    filterset=filtersets.StationSubsidyFilterSet,
    table=tables.StationSubsidyTable,
    form=forms.StationSubsidyForm,
)


@subsidy_pages.register("detail")
class StationSubsidyDetailView(generic.ObjectDetailView):
    template_name = "stations/stationsubsidy.html"

    def get_extra_context(self, obj: StationSubsidy) -> dict[str, Any]:
        can_mark = (
            user_can(self.request.user, "change", StationSubsidy)
            and obj.status == SubsidyStatus.PAYABLE
        )
        return {"can_mark_paid": can_mark, "mark_paid_form": forms.SubsidyMarkPaidForm()}


@subsidy_pages.register("mark_paid", route="<int:pk>/mark-paid/")
class StationSubsidyMarkPaidView(ModelPermissionMixin, View):
    """POST: record the payment of a payable subsidy."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subsidy = self.get_object(pk=pk)
        form = forms.SubsidyMarkPaidForm(request.POST)
        if not form.is_valid():
            _form_errors_as_messages(request, form)
            return HttpResponseRedirect(subsidy.get_absolute_url())
        try:
            services.station_subsidy_mark_paid(
                actor=request.user, subsidy=subsidy, paid_on=form.cleaned_data["paid_on"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return HttpResponseRedirect(subsidy.get_absolute_url())
        messages.success(request, _("The subsidy is marked paid."))
        return HttpResponseRedirect(subsidy.get_absolute_url())
