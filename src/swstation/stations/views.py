from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import user_can
from swstation.core.scoping import get_object_for_user
from swstation.core.views.generic import ModelPermissionMixin
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


class ServiceAgencyMixin:
    model = ServiceAgency
    request: Any

    def scoped_queryset(self) -> QuerySet[ServiceAgency]:
        return selectors.service_agency_list(actor=self.request.user)


class ServiceAgencyListView(ServiceAgencyMixin, generic.ObjectListView):
    filterset_class = filtersets.ServiceAgencyFilterSet
    table_class = tables.ServiceAgencyTable


class ServiceAgencyDetailView(ServiceAgencyMixin, generic.ObjectDetailView):
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


class ServiceAgencyEditView(ServiceAgencyMixin, generic.ObjectEditView):
    form_class = forms.ServiceAgencyForm


class ServiceAgencyDeleteView(ServiceAgencyMixin, generic.ObjectDeleteView):
    pass


class ServiceAgencyHistoryView(ServiceAgencyMixin, generic.ObjectHistoryView):
    pass


# --- stations ------------------------------------------------------------------------------------


class StationMixin:
    model = Station
    request: Any

    def scoped_queryset(self) -> QuerySet[Station]:
        return selectors.station_list(actor=self.request.user)


class StationListView(StationMixin, generic.ObjectListView):
    filterset_class = filtersets.StationFilterSet
    table_class = tables.StationTable


class StationDetailView(StationMixin, generic.ObjectDetailView):
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


class StationEditView(StationMixin, generic.ObjectEditView):
    form_class = forms.StationForm

    def save_form(self, form: Any) -> Station:
        data = form.cleaned_data
        if form.instance.pk:
            return services.station_update(actor=self.request.user, station=form.instance, **data)
        return services.station_create(actor=self.request.user, **data)


class StationDeleteView(StationMixin, generic.ObjectDeleteView):
    pass


class StationHistoryView(StationMixin, generic.ObjectHistoryView):
    pass


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


class RoomMixin:
    model = Room
    request: Any

    def scoped_queryset(self) -> QuerySet[Room]:
        return selectors.room_list(actor=self.request.user)


class RoomListView(RoomMixin, generic.ObjectListView):
    filterset_class = filtersets.RoomFilterSet
    table_class = tables.RoomTable


class RoomDetailView(RoomMixin, generic.ObjectDetailView):
    template_name = "stations/room.html"


class RoomEditView(RoomMixin, generic.ObjectEditView):
    form_class = forms.RoomForm


class RoomDeleteView(RoomMixin, generic.ObjectDeleteView):
    pass


class RoomHistoryView(RoomMixin, generic.ObjectHistoryView):
    pass


# --- construction standards ----------------------------------------------------------------------


class ConstructionStandardMixin:
    model = ConstructionStandard
    request: Any

    def scoped_queryset(self) -> QuerySet[ConstructionStandard]:
        return selectors.construction_standard_list(actor=self.request.user)


class ConstructionStandardListView(ConstructionStandardMixin, generic.ObjectListView):
    filterset_class = filtersets.ConstructionStandardFilterSet
    table_class = tables.ConstructionStandardTable


class ConstructionStandardDetailView(ConstructionStandardMixin, generic.ObjectDetailView):
    template_name = "stations/constructionstandard.html"


class ConstructionStandardEditView(ConstructionStandardMixin, generic.ObjectEditView):
    form_class = forms.ConstructionStandardForm


class ConstructionStandardDeleteView(ConstructionStandardMixin, generic.ObjectDeleteView):
    pass


class ConstructionStandardHistoryView(ConstructionStandardMixin, generic.ObjectHistoryView):
    pass


# --- subsidy policies ----------------------------------------------------------------------------


class SubsidyPolicyMixin:
    model = SubsidyPolicy
    request: Any

    def scoped_queryset(self) -> QuerySet[SubsidyPolicy]:
        return selectors.subsidy_policy_list(actor=self.request.user)


class SubsidyPolicyListView(SubsidyPolicyMixin, generic.ObjectListView):
    filterset_class = filtersets.SubsidyPolicyFilterSet
    table_class = tables.SubsidyPolicyTable


class SubsidyPolicyDetailView(SubsidyPolicyMixin, generic.ObjectDetailView):
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


class SubsidyPolicyEditView(SubsidyPolicyMixin, generic.ObjectEditView):
    form_class = forms.SubsidyPolicyForm


class SubsidyPolicyDeleteView(SubsidyPolicyMixin, generic.ObjectDeleteView):
    pass


class SubsidyPolicyHistoryView(SubsidyPolicyMixin, generic.ObjectHistoryView):
    pass


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


class StationSubsidyMixin:
    model = StationSubsidy
    request: Any

    def scoped_queryset(self) -> QuerySet[StationSubsidy]:
        return selectors.station_subsidy_list(actor=self.request.user)


class StationSubsidyListView(StationSubsidyMixin, generic.ObjectListView):
    filterset_class = filtersets.StationSubsidyFilterSet
    table_class = tables.StationSubsidyTable


class StationSubsidyDetailView(StationSubsidyMixin, generic.ObjectDetailView):
    template_name = "stations/stationsubsidy.html"

    def get_extra_context(self, obj: StationSubsidy) -> dict[str, Any]:
        can_mark = (
            user_can(self.request.user, "change", StationSubsidy)
            and obj.status == SubsidyStatus.PAYABLE
        )
        return {"can_mark_paid": can_mark, "mark_paid_form": forms.SubsidyMarkPaidForm()}


class StationSubsidyEditView(StationSubsidyMixin, generic.ObjectEditView):
    form_class = forms.StationSubsidyForm


class StationSubsidyDeleteView(StationSubsidyMixin, generic.ObjectDeleteView):
    pass


class StationSubsidyHistoryView(StationSubsidyMixin, generic.ObjectHistoryView):
    pass


class StationSubsidyMarkPaidView(StationSubsidyMixin, ModelPermissionMixin, View):
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
