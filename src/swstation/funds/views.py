"""Pages of the funds (issue 12, "Funds"): funders, grants (with their shares and spending),
purchase contracts (with their instalments), instalments (pay, hold, release), spending, and
the funds summary of a year (the "four ones" by tier, per area). Reads go through
selectors.py, writes through services.py."""

from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import Action, user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.funds import filtersets, forms, selectors, services, tables
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    Funder,
    Grant,
    PurchaseContract,
    Tier,
)
from swstation.regions.selectors import region_list, user_home_region

# --- funders -----------------------------------------------------------------------------------

funder_pages = model_pages(
    Funder,
    prefix="funders/",
    queryset=selectors.funder_list,
    filterset=filtersets.FunderFilterSet,
    table=tables.FunderTable,
    form=forms.FunderForm,
    create=services.funder_create,
    update=services.funder_update,
    template="funds/funder.html",
)


@funder_pages.register("detail")
class FunderDetailView(generic.ObjectDetailView):
    template_name = "funds/funder.html"

    def get_extra_context(self, obj: Any) -> dict[str, Any]:
        grants = selectors.grant_list(actor=self.request.user).filter(funder=obj)
        return {"grants": list(grants[:50]), "grant_count": grants.count()}


# --- grants ------------------------------------------------------------------------------------

grant_pages = model_pages(
    Grant,
    prefix="grants/",
    queryset=selectors.grant_list,
    filterset=filtersets.GrantFilterSet,
    table=tables.GrantTable,
    form=forms.GrantForm,
    create=services.grant_create,
    update=services.grant_update,
    template="funds/grant.html",
)


@grant_pages.register("detail")
class GrantDetailView(generic.ObjectDetailView):
    template_name = "funds/grant.html"

    def get_extra_context(self, obj: Grant) -> dict[str, Any]:
        user = self.request.user
        roles = self.permissions_context()
        keeps = selectors.may_keep_tier(user, obj.tier)
        may_pay = roles["can_change"] and obj.paid_on is None and keeps
        return {
            # the city's money (a station's subsidy among it) is kept by the city bureau: a
            # district officer reads it, with no edit or delete button that would be refused
            "can_change": roles["can_change"] and keeps,
            "can_delete": roles["can_delete"] and keeps,
            "balance": selectors.grant_balance(obj),
            "shares": selectors.grant_allocations(actor=user, grant=obj),
            "expenses": list(selectors.grant_expenses(actor=user, grant=obj)[:100]),
            "may_pay": may_pay,
            "paid_form": forms.PaidOnForm() if may_pay else None,
            "can_split": obj.parent_id is None
            and obj.policy_id is None
            and user_can(user, "add", Grant),
            "can_spend": user_can(user, "add", Expense),
        }


@grant_pages.register("delete")
class GrantDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Grant) -> None:
        services.grant_delete(actor=self.request.user, grant=obj)


class _ActionView(ModelPermissionMixin, View):
    """A POST that acts on one record through a service, then back to its page with the
    outcome as a message (done, or why not, naming the field)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]
    form_class: ClassVar[type[django_forms.Form]]

    def perform(self, obj: Any, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
            return HttpResponseRedirect(obj.get_absolute_url())
        try:
            message = self.perform(obj, form.cleaned_data)
        except ValidationError as exc:  # StateConflict included
            messages.error(request, " ".join(_labelled(exc, obj)))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(obj.get_absolute_url())


def _labelled(error: ValidationError, obj: Any) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, errors in error.error_dict.items():
        try:
            label = f"{obj._meta.get_field(name).verbose_name}: "
        except Exception:
            label = ""
        lines += [f"{label}{message}" for e in errors for message in e.messages]
    return lines


@grant_pages.register("mark_paid", route="<int:pk>/mark-paid/")
class GrantMarkPaidView(_ActionView):
    form_class = forms.PaidOnForm

    def perform(self, obj: Grant, data: dict[str, Any]) -> str:
        services.grant_mark_paid(actor=self.request.user, grant=obj, paid_on=data["paid_on"])
        return _("The grant is marked paid.")


class SubsidiesGenerateView(ModelPermissionMixin, View):
    """POST: grant the payable subsidies of a policy for a year (the keepers of its tier: the
    city bureau for the city's subsidy), then back to the policy's page."""

    model = Grant
    action = "add"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        policy = selectors.subsidy_policy_choices().filter(pk=pk).first()
        if policy is None:
            raise Http404
        if not selectors.may_keep_tier(request.user, policy.source):
            raise PermissionDenied(_("Your role may not do this."))
        form = forms.SubsidyGenerateForm(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
            return HttpResponseRedirect(policy.get_absolute_url())
        year = form.cleaned_data["year"]
        try:
            created = services.subsidies_generate(actor=request.user, policy=policy, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(_labelled(exc, Grant())))
            return HttpResponseRedirect(policy.get_absolute_url())
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(policy.get_absolute_url())
        messages.success(
            request,
            _("%(count)s subsidies created for %(year)s; stations that already had one were left.")
            % {"count": created, "year": year},
        )
        return HttpResponseRedirect(policy.get_absolute_url())


# --- purchase contracts ----------------------------------------------------------------------

contract_pages = model_pages(
    PurchaseContract,
    prefix="contracts/",
    queryset=selectors.purchase_contract_list,
    filterset=filtersets.PurchaseContractFilterSet,
    table=tables.PurchaseContractTable,
    form=forms.PurchaseContractForm,
    create=services.purchase_contract_create,
    update=services.purchase_contract_update,
    template="funds/purchasecontract.html",
)


@contract_pages.register("detail")
class PurchaseContractDetailView(generic.ObjectDetailView):
    template_name = "funds/purchasecontract.html"

    def get_extra_context(self, obj: PurchaseContract) -> dict[str, Any]:
        user = self.request.user
        roles = self.permissions_context()
        may_act = roles["can_change"] and selectors.may_keep_tier(user, obj.tier)
        return {
            "balance": selectors.contract_balance(obj),
            "instalments": selectors.contract_instalments(actor=user, contract=obj),
            "expenses": list(selectors.contract_expenses(actor=user, contract=obj)[:100]),
            "may_act": may_act,
            "paid_form": forms.PaidOnForm(),
            "can_add_instalment": user_can(user, "add", ContractInstalment),
            "can_spend": user_can(user, "add", Expense),
            "today": timezone.localdate(),
        }


# --- instalments ------------------------------------------------------------------------------

instalment_pages = model_pages(
    ContractInstalment,
    prefix="instalments/",
    queryset=selectors.contract_instalment_list,
    filterset=filtersets.ContractInstalmentFilterSet,
    table=tables.ContractInstalmentTable,
    form=forms.ContractInstalmentForm,
    create=services.instalment_create,
    update=services.instalment_update,
    template="funds/contractinstalment.html",
)


@instalment_pages.register("detail")
class ContractInstalmentDetailView(generic.ObjectDetailView):
    template_name = "funds/contractinstalment.html"

    def get_extra_context(self, obj: ContractInstalment) -> dict[str, Any]:
        roles = self.permissions_context()
        may_act = roles["can_change"] and selectors.may_keep_tier(
            self.request.user, obj.contract.tier
        )
        return {
            "may_act": may_act,
            "paid_form": forms.PaidOnForm(),
            "hold_form": forms.HoldForm(),
            # A paid instalment is a record.
            "can_change": roles["can_change"] and obj.paid_on is None,
            "can_delete": roles["can_delete"] and obj.paid_on is None,
        }


@instalment_pages.register("mark_paid", route="<int:pk>/mark-paid/")
class ContractInstalmentMarkPaidView(_ActionView):
    form_class = forms.PaidOnForm

    def perform(self, obj: ContractInstalment, data: dict[str, Any]) -> str:
        services.instalment_mark_paid(
            actor=self.request.user, instalment=obj, paid_on=data["paid_on"]
        )
        return _("The instalment is marked paid.")


@instalment_pages.register("hold", route="<int:pk>/hold/")
class ContractInstalmentHoldView(_ActionView):
    form_class = forms.HoldForm

    def perform(self, obj: ContractInstalment, data: dict[str, Any]) -> str:
        services.instalment_hold(actor=self.request.user, instalment=obj, reason=data["reason"])
        return _("The final payment is held pending evaluation.")


@instalment_pages.register("release", route="<int:pk>/release/")
class ContractInstalmentReleaseView(_ActionView):
    form_class = forms.ReleaseForm

    def perform(self, obj: ContractInstalment, data: dict[str, Any]) -> str:
        services.instalment_release(actor=self.request.user, instalment=obj)
        return _("The final payment is released: it may be paid.")


# --- spending --------------------------------------------------------------------------------

expense_pages = model_pages(
    Expense,
    prefix="spending/",
    queryset=selectors.expense_list,
    filterset=filtersets.ExpenseFilterSet,
    table=tables.ExpenseTable,
    form=forms.ExpenseForm,
    create=services.expense_create,
    update=services.expense_update,
)


@expense_pages.register("delete")
class ExpenseDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Expense) -> None:
        services.expense_delete(actor=self.request.user, expense=obj)


# --- the summary -----------------------------------------------------------------------------


class FundsSummaryView(LoginRequiredMixin, View):
    """The "four ones" of a year for the user's jurisdiction (or a region inside it): money by
    tier, spending and its rate, open instalments, and the same per district, town or
    station, each figure linking to its records."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not selectors.may_see_funds(user):
            raise PermissionDenied(_("Your role may not do this."))
        form = forms.FundsSummaryForm(request.GET or None)
        year = timezone.localdate().year
        region = user_home_region(actor=user)
        if region is None:
            raise PermissionDenied(_("Your role may not do this."))
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
            code = form.cleaned_data.get("region")
            if code:
                found = region_list(actor=user).filter(code=code).first()
                if found is None:
                    raise Http404(_("No such record in your jurisdiction."))
                region = found
        figures = selectors.funds_figures(actor=user, region=region, year=year)
        return render(
            request,
            "funds/summary.html",
            {
                "figures": figures,
                "year": year,
                "years": selectors.funds_years(actor=user),
                "tiers": Tier.choices,
                "region": region,
            },
        )
