"""Pages of exam rewards and job allowances (domain.md §2): the reward and allowance rules, the
batches and their payments, and the batches' workflow (pages of their own, registered on the
batches' pages): generate a batch after a preview of the lines due, review it, approve it, mark
it paid, export its payment list.

Rules live in services/selectors; this module only reads requests and renders answers.
"""

from datetime import date
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import Action
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.workforce import filtersets, forms, tables
from swstation.workforce.export import payment_list_response
from swstation.workforce.models import BatchStatus, Payment, PaymentBatch, PaymentKind, RewardPolicy
from swstation.workforce.selectors import payments as selectors
from swstation.workforce.selectors.payments import (
    payment_batch_lines,
    payment_batch_totals,
    totals_by_level,
    totals_by_month,
)
from swstation.workforce.services.payments import (
    batch_due_lines,
    payment_batch_approve,
    payment_batch_create,
    payment_batch_delete_draft,
    payment_batch_mark_paid,
    payment_roster_export,
    user_may_export_payment_details,
)

__all__ = [
    "PaymentBatchApproveView",
    "PaymentBatchDeleteView",
    "PaymentBatchDetailView",
    "PaymentBatchDiscardView",
    "PaymentBatchEditView",
    "PaymentBatchExportView",
    "PaymentBatchGenerateView",
    "PaymentBatchPayView",
    "PaymentBatchReviewView",
    "payment_batch_pages",
    "payment_pages",
    "reward_policy_pages",
]

# The preview lists this many lines at most; the totals always cover every line.
PREVIEW_ROWS = 500
REVIEW_PER_PAGE = 100


# --- reward and allowance rules ------------------------------------------------------------


reward_policy_pages = model_pages(
    RewardPolicy,
    prefix="reward-policies/",
    queryset=selectors.reward_policy_list,
    filterset=filtersets.RewardPolicyFilterSet,
    table=tables.RewardPolicyTable,
    form=forms.RewardPolicyForm,
    template="workforce/rewardpolicy.html",
)


# --- payment batches and payments ----------------------------------------------------------


payment_batch_pages = model_pages(
    PaymentBatch,
    prefix="payment-batches/",
    queryset=selectors.payment_batch_list,
    filterset=filtersets.PaymentBatchFilterSet,
    table=tables.PaymentBatchTable,
)


@payment_batch_pages.register("detail")
class PaymentBatchDetailView(generic.ObjectDetailView):
    template_name = "workforce/paymentbatch.html"

    def get_extra_context(self, obj: PaymentBatch) -> dict[str, Any]:
        user = self.request.user
        payments = tables.PaymentTable(
            selectors.batch_payments(actor=user, batch=obj), user=user, exclude=("batch",)
        )
        payments.paginate(page=self.request.GET.get("page", 1), per_page=100)
        return {"payments_table": payments}


@payment_batch_pages.register("edit")
class PaymentBatchEditView(generic.ObjectEditView):
    """A batch is created by the generate workflow (its lines are computed from the rules), so
    "add" leads there; afterwards only its note is edited here."""

    form_class = forms.PaymentBatchNoteForm

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if "pk" not in kwargs:
            return HttpResponseRedirect(reverse("workforce:paymentbatch_generate"))
        return super().get(request, **kwargs)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if "pk" not in kwargs:
            return HttpResponseRedirect(reverse("workforce:paymentbatch_generate"))
        return super().post(request, **kwargs)


@payment_batch_pages.register("delete")
class PaymentBatchDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: PaymentBatch) -> None:
        payment_batch_delete_draft(actor=self.request.user, batch=obj)


# Payments are written by the payment workflow only: no add, edit or delete pages.
payment_pages = model_pages(
    Payment,
    prefix="payments/",
    queryset=selectors.payment_list,
    filterset=filtersets.PaymentFilterSet,
    table=tables.PaymentTable,
    template="workforce/payment.html",
    actions=("list", "detail", "history"),
)


# --- the payment workflow ----------------------------------------------------------------


@payment_batch_pages.register("generate", route="generate/")
class PaymentBatchGenerateView(ModelPermissionMixin, View):
    """GET without a request: the form. GET with one: the form and a preview of the lines
    due with totals by level (and by month). POST: create the draft batch, then review it."""

    action = "add"
    template_name = "workforce/payments/generate.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "kind" in request.GET:
            form = forms.PaymentBatchRequestForm(request.GET, user=request.user)
        else:
            form = forms.PaymentBatchRequestForm(
                initial=forms.PaymentBatchRequestForm.initial_for(request.user), user=request.user
            )
        return self.render_page(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.PaymentBatchRequestForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_page(form)
        try:
            batch = payment_batch_create(
                actor=request.user, **form.request_arguments(form.cleaned_data)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_page(form)
        messages.success(
            request,
            _("Draft batch “%(batch)s” created with %(count)d lines: review it, then approve it.")
            % {"batch": batch, "count": batch.payments.count()},
        )
        return HttpResponseRedirect(reverse("workforce:paymentbatch_review", args=[batch.pk]))

    def render_page(self, form: forms.PaymentBatchRequestForm) -> HttpResponse:
        context: dict[str, Any] = {"form": form, "preview": None}
        if form.is_bound and form.is_valid():
            arguments = form.request_arguments(form.cleaned_data)
            lines = batch_due_lines(actor=self.request.user, **arguments)
            level_totals, count, amount = totals_by_level(lines)
            context["preview"] = {
                "lines": lines[:PREVIEW_ROWS],
                "truncated": len(lines) > PREVIEW_ROWS,
                "level_totals": level_totals,
                "month_totals": totals_by_month(lines),
                "count": count,
                "amount": amount,
                "is_allowance": arguments["kind"] == PaymentKind.JOB_ALLOWANCE,
            }
        return render(self.request, self.template_name, context)


@payment_batch_pages.register("review", route="<int:pk>/review/")
class PaymentBatchReviewView(ModelPermissionMixin, View):
    """A batch's lines with totals, status and the approve / pay / export / delete actions."""

    action = "view"
    template_name = "workforce/payments/review.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.get_object(pk=pk)
        lines = payment_batch_lines(actor=request.user, batch=batch)
        level_totals, count, amount = payment_batch_totals(actor=request.user, batch=batch)
        context = {
            **self.permissions_context(),
            "batch": batch,
            "page": Paginator(lines, REVIEW_PER_PAGE).get_page(request.GET.get("page")),
            "level_totals": level_totals,
            "count": count,
            "amount": amount,
            "is_allowance": batch.kind == PaymentKind.JOB_ALLOWANCE,
            "is_draft": batch.status == BatchStatus.DRAFT,
            "is_approved": batch.status == BatchStatus.APPROVED,
            "today": timezone.localdate(),
            "can_export_details": user_may_export_payment_details(request.user),
        }
        return render(request, self.template_name, context)


class _BatchActionView(ModelPermissionMixin, View):
    """A POST that moves a batch on; refusals come back as a message on the review page (a
    StateConflict too: the batch is no longer in a status that allows the step, e.g. the
    second of two approvals)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]

    def perform(self, batch: PaymentBatch) -> str:
        raise NotImplementedError

    def done_url(self, batch: PaymentBatch) -> str:
        return reverse("workforce:paymentbatch_review", args=[batch.pk])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.get_object(pk=pk)
        try:
            message = self.perform(batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("workforce:paymentbatch_review", args=[pk]))
        messages.success(request, message)
        return HttpResponseRedirect(self.done_url(batch))


@payment_batch_pages.register("approve", route="<int:pk>/approve/")
class PaymentBatchApproveView(_BatchActionView):
    def perform(self, batch: PaymentBatch) -> str:
        batch = payment_batch_approve(actor=self.request.user, batch=batch)
        return _("Batch “%(batch)s” approved.") % {"batch": batch}


@payment_batch_pages.register("pay", route="<int:pk>/pay/")
class PaymentBatchPayView(_BatchActionView):
    def perform(self, batch: PaymentBatch) -> str:
        form = forms.PaidOnForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Enter the date the batch was paid (paid on)."))
        paid_on: date = form.cleaned_data["paid_on"]
        batch = payment_batch_mark_paid(actor=self.request.user, batch=batch, paid_on=paid_on)
        return _("Batch “%(batch)s” marked as paid on %(date)s.") % {
            "batch": batch,
            "date": paid_on.isoformat(),
        }


@payment_batch_pages.register("discard", route="<int:pk>/discard/")
class PaymentBatchDiscardView(_BatchActionView):
    """Delete a draft batch: its lines become due again."""

    action = "delete"

    def perform(self, batch: PaymentBatch) -> str:
        label = str(batch)
        payment_batch_delete_draft(actor=self.request.user, batch=batch)
        return _("Draft batch “%(batch)s” deleted; its lines are due again.") % {"batch": label}

    def done_url(self, batch: PaymentBatch) -> str:
        return reverse("workforce:paymentbatch_list")


@payment_batch_pages.register("export", route="<int:pk>/export/")
class PaymentBatchExportView(ModelPermissionMixin, View):
    """The reviewable payment list of a batch as .xlsx (built in export.py)."""

    action = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.get_object(pk=pk)
        lines = payment_batch_lines(actor=request.user, batch=batch)
        _totals, count, amount = payment_batch_totals(actor=request.user, batch=batch)
        details = request.GET.get("details") == "1"
        if details:
            # The roster with ID and bank account numbers: the roles that pay, logged.
            payment_roster_export(actor=request.user, batch=batch, count=count)
        return payment_list_response(batch, lines, count, amount, payment_details=details)
