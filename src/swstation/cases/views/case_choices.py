"""The case options of a person (the htmx part of the case selects, forms/case_choice.py)."""

from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views import View

from swstation.cases.forms.case_choice import case_options
from swstation.cases.selectors.cases import case_list
from swstation.cases.views.cases import case_pages
from swstation.core.views.generic import ModelPermissionMixin


@case_pages.register("choices", route="choices/")
class CaseChoicesView(ModelPermissionMixin, View):
    """``<option>``s of the cases of the person ``recipient`` (ID) the user may choose: the
    cases the case pages show them (a social worker their own), none without a person. A page
    of the case model (``cases:case_choices``), so declared through the registry, which checks
    the role may view cases."""

    def get(self, request: HttpRequest) -> HttpResponse:
        person = request.GET.get("recipient", "")
        cases = case_list(actor=request.user)
        cases = (
            cases.filter(recipient_id=int(person)).select_related("recipient")
            if person.isdigit()
            else cases.none()
        )
        options = case_options(cases, _("- Select an option -"))
        return HttpResponse(format_html_join("", '<option value="{}">{}</option>', options))
