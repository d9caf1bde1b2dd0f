"""The case options of a person (the htmx part of the case selects, forms/case_choice.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views import View

from swstation.cases.forms.case_choice import case_options
from swstation.cases.models import Case
from swstation.cases.selectors.cases import case_list
from swstation.core.permissions import user_can


class CaseChoicesView(LoginRequiredMixin, View):
    """``<option>``s of the cases of the person ``recipient`` (ID) the user may choose: the
    cases the case pages show them (a social worker their own), none without a person."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not user_can(request.user, "view", Case):
            raise PermissionDenied(_("Your role may not do this."))
        person = request.GET.get("recipient", "")
        cases = case_list(actor=request.user)
        cases = (
            cases.filter(recipient_id=int(person)).select_related("recipient")
            if person.isdigit()
            else cases.none()
        )
        options = case_options(cases, _("- Select an option -"))
        return HttpResponse(format_html_join("", '<option value="{}">{}</option>', options))
