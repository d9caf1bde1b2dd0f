"""Pages of the volunteers (issue 13, "Volunteers"): volunteers (with their hours by year and
source, their pairings and teams, the logged reveal of their numbers and the yearly hours
certificate), teams, pairings (with their next visit due and the visit entry) and the volunteers
named on service records. Reads go through selectors.py, writes through services.py."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.export import xlsx_response
from swstation.core.permissions import user_can
from swstation.core.scoping import get_object_for_user
from swstation.core.views.generic import ModelPermissionMixin, add_validation_error
from swstation.core.views.registry import model_pages
from swstation.volunteers import filtersets, forms, selectors, services, tables
from swstation.volunteers.certificate import certificate_workbook, volunteer_certificate
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam

# --- volunteers ------------------------------------------------------------------------------

volunteer_pages = model_pages(
    Volunteer,
    prefix="",
    queryset=selectors.volunteer_list,
    filterset=filtersets.VolunteerFilterSet,
    table=tables.VolunteerTable,
    form=forms.VolunteerForm,
    create=services.volunteer_create,
    update=services.volunteer_update,
    template="volunteers/volunteer.html",
)


def volunteer_page_context(request: HttpRequest, obj: Volunteer) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    years = selectors.volunteer_hours_by_year(obj, today)
    pairings = selectors.pairing_list_with_next_due(actor=user).filter(volunteer=obj)
    return {
        "years": years,
        "pairings": [
            (pairing, tables.DUE_LABELS[selectors.pairing_due_state(pairing, today)])
            for pairing in pairings.order_by("-active", "recipient__name")[:50]
        ],
        "teams": list(selectors.volunteer_team_list(actor=user).filter(members=obj)),
        "services": list(
            selectors.service_volunteer_list(actor=user)
            .filter(volunteer=obj)
            .order_by("-record__served_on", "-pk")[:10]
        ),
        "may_reveal": selectors.may_reveal_identity(user),
        "reveal_url": reverse("volunteers:volunteer_reveal_identity", args=[obj.pk]),
        "can_pair": user_can(user, "add", Pairing),
    }


@volunteer_pages.register("detail")
class VolunteerDetailView(generic.ObjectDetailView):
    template_name = "volunteers/volunteer.html"

    def get_extra_context(self, obj: Volunteer) -> dict[str, Any]:
        return volunteer_page_context(self.request, obj)


@volunteer_pages.register("edit")
class VolunteerEditView(generic.ObjectEditView):
    form_class = forms.VolunteerForm

    def service_data(self, form: Any) -> dict[str, Any]:
        return form.service_data()


@volunteer_pages.register("reveal_identity", route="<int:pk>/reveal-identity/")
class VolunteerRevealView(ModelPermissionMixin, View):
    """POST: the full identity or phone number, for the roles that need it, logged (as a
    recipient's: the recipients' number template and reveal answer are reused)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        obj = get_object_for_user(self.scoped_queryset(), request.user, pk=pk)
        form = forms.RevealIdentityForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied(_("Say which number to show."))
        field = form.cleaned_data["field"]
        try:
            value = services.volunteer_reveal_identity(
                actor=request.user, volunteer=obj, field=field, purpose=form.cleaned_data["purpose"]
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
            **volunteer_page_context(request, obj),
            "revealed": {field: value},
        }
        return render(request, "volunteers/volunteer.html", page)


@volunteer_pages.register("certificate", route="<int:pk>/certificate/")
class VolunteerCertificateView(ModelPermissionMixin, View):
    """The hours certificate of a year (``?year=``, this year by default): the page, and with
    ``?format=xlsx`` the workbook (志愿服务时长证明-<name>-<year>.xlsx)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_for_user(self.scoped_queryset(), request.user, pk=pk)
        today = timezone.localdate()
        form = forms.CertificateYearForm(request.GET or {"year": today.year})
        if not form.is_valid():
            raise Http404(_("No such year."))
        year = form.cleaned_data["year"]
        certificate = volunteer_certificate(actor=request.user, volunteer=obj, year=year)
        if request.GET.get("format") == "xlsx":
            filename = f"{_('Volunteer service hours certificate')}-{obj.name}-{year}.xlsx"
            return xlsx_response(certificate_workbook(certificate), filename)
        context = {
            **self.model_context(),
            "object": obj,
            "certificate": certificate,
            "years": selectors.volunteer_years(obj, today),
        }
        return render(request, "volunteers/certificate.html", context)


# --- teams -----------------------------------------------------------------------------------

team_pages = model_pages(
    VolunteerTeam,
    prefix="teams/",
    queryset=selectors.volunteer_team_list,
    filterset=filtersets.VolunteerTeamFilterSet,
    table=tables.VolunteerTeamTable,
    form=forms.VolunteerTeamForm,
    create=services.volunteer_team_create,
    update=services.volunteer_team_update,
    template="volunteers/volunteerteam.html",
)


@team_pages.register("detail")
class VolunteerTeamDetailView(generic.ObjectDetailView):
    template_name = "volunteers/volunteerteam.html"

    def get_extra_context(self, obj: VolunteerTeam) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        pairings = selectors.pairing_list_with_next_due(actor=user).filter(team=obj)
        schedule = [selectors.pairing_due_state(p, today) for p in pairings]
        return {
            "members": list(
                selectors.volunteer_list(actor=user).filter(teams=obj).order_by("name")
            ),
            "pairing_count": len(schedule),
            "pairings_overdue": schedule.count("overdue"),
        }


@team_pages.register("edit")
class VolunteerTeamEditView(generic.ObjectEditView):
    form_class = forms.VolunteerTeamForm

    def service_data(self, form: Any) -> dict[str, Any]:
        return form.service_data()


# --- pairings --------------------------------------------------------------------------------

pairing_pages = model_pages(
    Pairing,
    prefix="pairings/",
    queryset=selectors.pairing_list_with_next_due,
    filterset=filtersets.PairingFilterSet,
    table=tables.PairingTable,
    form=forms.PairingForm,
    create=services.pairing_create,
    update=services.pairing_update,
    template="volunteers/pairing.html",
)


@pairing_pages.register("detail")
class PairingDetailView(generic.ObjectDetailView):
    template_name = "volunteers/pairing.html"

    def get_extra_context(self, obj: Pairing) -> dict[str, Any]:
        user = self.request.user
        visits = (
            selectors.service_volunteer_list(actor=user)
            .filter(
                volunteer_id=obj.volunteer_id,
                record__recipient_id=obj.recipient_id,
                record__served_on__gte=obj.starts_on,
            )
            .order_by("-record__served_on", "-pk")
        )
        return {
            "due_state": tables.DUE_LABELS[selectors.pairing_due_state(obj, timezone.localdate())],
            "due_key": selectors.pairing_due_state(obj, timezone.localdate()),
            "visits": list(visits[:24]),
            "visit_count": visits.count(),
            "can_visit": selectors.may_record_visit(user) and obj.active,
        }


@pairing_pages.register("visit", route="<int:pk>/visit/")
class PairingVisitView(ModelPermissionMixin, View):
    """Record a visit of the pairing: a service record naming the volunteer (services)."""

    action = "change"
    template_name = "volunteers/pairing_visit.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not selectors.may_record_visit(request.user):
            raise PermissionDenied(_("Your role may not do this."))
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: Any, obj: Pairing) -> HttpResponse:
        context = {**self.model_context(), "object": obj, "form": form}
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        return self.render_form(forms.PairingVisitForm(), obj)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        form = forms.PairingVisitForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, obj)
        data = form.cleaned_data
        try:
            row = services.pairing_visit_record(
                actor=request.user,
                pairing=obj,
                served_on=data["served_on"],
                duration_minutes=data["duration_minutes"],
                hours=data.get("hours"),
                notes=data.get("notes") or "",
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, obj)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_form(form, obj)
        messages.success(
            request,
            _("Visit of %(day)s recorded (%(hours)s hours for %(name)s).")
            % {
                "day": row.record.served_on.isoformat(),
                "hours": row.hours,
                "name": obj.volunteer.name,
            },
        )
        return HttpResponseRedirect(obj.get_absolute_url())


# --- volunteers on service records -------------------------------------------------------------

service_volunteer_pages = model_pages(
    ServiceVolunteer,
    prefix="service-hours/",
    queryset=selectors.service_volunteer_list,
    filterset=filtersets.ServiceVolunteerFilterSet,
    table=tables.ServiceVolunteerTable,
    form=forms.ServiceVolunteerForm,
    create=services.service_volunteer_create,
    update=services.service_volunteer_update,
    template="volunteers/servicevolunteer.html",
)


@service_volunteer_pages.register("detail")
class ServiceVolunteerDetailView(generic.ObjectDetailView):
    template_name = "volunteers/servicevolunteer.html"


@service_volunteer_pages.register("edit")
class ServiceVolunteerEditView(generic.ObjectEditView):
    """Saved from a service record's page, it goes back to the record."""

    form_class = forms.ServiceVolunteerForm
    saved: ServiceVolunteer | None = None

    def save_form(self, form: Any) -> Any:
        self.saved = super().save_form(form)
        return self.saved

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().post(request, **kwargs)
        if isinstance(response, HttpResponseRedirect) and self.saved is not None:
            return HttpResponseRedirect(self.saved.record.get_absolute_url() + "#volunteers")
        return response


@service_volunteer_pages.register("delete")
class ServiceVolunteerDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ServiceVolunteer) -> None:
        services.service_volunteer_delete(actor=self.request.user, service_volunteer=obj)
