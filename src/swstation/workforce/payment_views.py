"""Pages of the exam-reward and job-allowance workflow (domain.md §2): generate a batch after a
preview of the lines due, review it, approve it, mark it paid, export its payment list.

The plain list/detail/history pages of the batches are the generic ones (views.py); these are
the workflow's own pages. ``urlpatterns`` is appended to the app's urls.py, so the names live
in the ``workforce`` namespace. Rules live in services/selectors; this module only reads
requests and renders answers.
"""

from datetime import date, timedelta
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from swstation.core.export import safe_row, xlsx_response
from swstation.core.masking import mask_phone
from swstation.core.permissions import Action
from swstation.core.views.generic import ModelPermissionMixin
from swstation.regions.forms import RegionChoiceField
from swstation.workforce.models import BatchStatus, PaymentBatch, PaymentKind
from swstation.workforce.selectors.payments import (
    payment_batch_lines,
    payment_batch_totals,
    payment_region_choices,
    totals_by_level,
    totals_by_month,
)
from swstation.workforce.services.payments import (
    batch_due_lines,
    payment_batch_approve,
    payment_batch_create,
    payment_batch_delete_draft,
    payment_batch_mark_paid,
    validate_batch_request,
)

# The preview lists this many lines at most; the totals always cover every line.
PREVIEW_ROWS = 500
REVIEW_PER_PAGE = 100


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaymentBatchRequestForm(forms.Form):
    """What to pay: the kind, the paying region (the city or a county in the actor's
    jurisdiction) and the period; the service's rules check it before any preview."""

    kind = forms.ChoiceField(label=capfirst(gettext_lazy("kind")), choices=PaymentKind.choices)
    region = RegionChoiceField(
        label=capfirst(gettext_lazy("paying region")),
        queryset=None,
        help_text=gettext_lazy("The people working in this region are paid."),
    )
    period_start = forms.DateField(
        label=capfirst(gettext_lazy("period start")), widget=_date_widget()
    )
    period_end = forms.DateField(
        label=capfirst(gettext_lazy("period end")),
        widget=_date_widget(),
        help_text=gettext_lazy(
            "Exam rewards: certificates obtained in the period. "
            "Job allowances: every month of the period (whole months)."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = payment_region_choices(actor=user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(name) for name in ("kind", "region", "period_start", "period_end")):
            try:
                validate_batch_request(actor=self.user, **self.request_arguments(data))
            except ValidationError as exc:
                self.add_error(None, exc)
        return data

    @staticmethod
    def request_arguments(data: dict[str, Any]) -> dict[str, Any]:
        return {name: data[name] for name in ("kind", "region", "period_start", "period_end")}


def _initial(user: Any) -> dict[str, Any]:
    """Last month, paid by the user's own region when it can pay."""
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    initial: dict[str, Any] = {
        "kind": PaymentKind.EXAM_REWARD,
        "period_start": last_month_end.replace(day=1),
        "period_end": last_month_end,
    }
    home = getattr(user, "jurisdiction", None)
    if home is not None and payment_region_choices(actor=user).filter(pk=home.pk).exists():
        initial["region"] = home
    return initial


class PaymentBatchGenerateView(ModelPermissionMixin, View):
    """GET without a request: the form. GET with one: the form and a preview of the lines
    due with totals by level (and by month). POST: create the draft batch, then review it."""

    model = PaymentBatch
    action = "add"
    template_name = "workforce/payments/generate.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "kind" in request.GET:
            form = PaymentBatchRequestForm(request.GET, user=request.user)
        else:
            form = PaymentBatchRequestForm(initial=_initial(request.user), user=request.user)
        return self.render_page(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PaymentBatchRequestForm(request.POST, user=request.user)
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

    def render_page(self, form: PaymentBatchRequestForm) -> HttpResponse:
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


class PaymentBatchReviewView(ModelPermissionMixin, View):
    """A batch's lines with totals, status and the approve / pay / export / delete actions."""

    model = PaymentBatch
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
        }
        return render(request, self.template_name, context)


class _BatchActionView(ModelPermissionMixin, View):
    """A POST that moves a batch on; refusals come back as a message on the review page (a
    StateConflict too: the batch is no longer in a status that allows the step, e.g. the
    second of two approvals)."""

    model = PaymentBatch
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


class PaymentBatchApproveView(_BatchActionView):
    def perform(self, batch: PaymentBatch) -> str:
        batch = payment_batch_approve(actor=self.request.user, batch=batch)
        return _("Batch “%(batch)s” approved.") % {"batch": batch}


class PaidOnForm(forms.Form):
    paid_on = forms.DateField(label=capfirst(gettext_lazy("paid on")))


class PaymentBatchPayView(_BatchActionView):
    def perform(self, batch: PaymentBatch) -> str:
        form = PaidOnForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Enter the date the batch was paid (paid on)."))
        paid_on: date = form.cleaned_data["paid_on"]
        batch = payment_batch_mark_paid(actor=self.request.user, batch=batch, paid_on=paid_on)
        return _("Batch “%(batch)s” marked as paid on %(date)s.") % {
            "batch": batch,
            "date": paid_on.isoformat(),
        }


class PaymentBatchDiscardView(_BatchActionView):
    """Delete a draft batch: its lines become due again."""

    action = "delete"

    def perform(self, batch: PaymentBatch) -> str:
        label = str(batch)
        payment_batch_delete_draft(actor=self.request.user, batch=batch)
        return _("Draft batch “%(batch)s” deleted; its lines are due again.") % {"batch": label}

    def done_url(self, batch: PaymentBatch) -> str:
        return reverse("workforce:paymentbatch_list")


EXPORT_COLUMNS = (
    gettext_lazy("No."),
    gettext_lazy("name"),
    gettext_lazy("mobile phone"),
    gettext_lazy("station"),
    gettext_lazy("works in"),
    gettext_lazy("certificate level"),
    gettext_lazy("certificate number"),
    gettext_lazy("obtained on"),
    gettext_lazy("month"),
    gettext_lazy("amount (yuan)"),
)
EXPORT_WIDTHS = (6, 12, 14, 28, 14, 22, 22, 12, 10, 14)


class PaymentBatchExportView(ModelPermissionMixin, View):
    """The reviewable payment list of a batch as .xlsx: a title block, one row per line with
    the phone masked whoever asks (the list is printed and passed on), then the total."""

    model = PaymentBatch
    action = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.get_object(pk=pk)
        lines = payment_batch_lines(actor=request.user, batch=batch)
        _totals, count, amount = payment_batch_totals(actor=request.user, batch=batch)

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Payment list"))
        for index, width in enumerate(EXPORT_WIDTHS):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        bold = Font(bold=True)

        def strong(value: Any) -> WriteOnlyCell:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            return cell

        def money(value: Any, *, total: bool = False) -> WriteOnlyCell:
            cell = strong(value) if total else WriteOnlyCell(sheet, value=value)
            cell.number_format = "#,##0.00"
            return cell

        sheet.append(safe_row([strong(_("Payment list: %(batch)s") % {"batch": batch})]))
        status = batch.get_status_display()
        if batch.approved_by is not None and batch.approved_at is not None:
            status += " · " + _("approved by %(user)s on %(date)s") % {
                "user": batch.approved_by,
                "date": timezone.localdate(batch.approved_at).isoformat(),
            }
        if batch.paid_on:
            status += " · " + _("paid on %(date)s") % {"date": batch.paid_on.isoformat()}
        sheet.append(safe_row([_("Paying region"), batch.region.name, _("Status"), status]))
        sheet.append([])
        sheet.append(safe_row([strong(str(column)) for column in EXPORT_COLUMNS]))
        for number, line in enumerate(lines.iterator(chunk_size=1000), start=1):
            person = line.social_worker
            sheet.append(
                safe_row(
                    [
                        number,
                        person.name,
                        mask_phone(person.phone),
                        person.station.name if person.station else "",
                        person.region.name,
                        line.certificate.get_level_display(),
                        line.certificate.number,
                        line.certificate.obtained_on,
                        line.month.strftime("%Y-%m") if line.month else "",
                        money(line.amount),
                    ]
                )
            )
        sheet.append(
            safe_row(
                [strong(_("Total")), "", "", "", "", "", "", "", count, money(amount, total=True)]
            )
        )

        return xlsx_response(
            workbook, f"payment-batch-{batch.pk}-{timezone.localdate():%Y%m%d}.xlsx"
        )


urlpatterns = [
    path(
        "payment-batches/generate/",
        PaymentBatchGenerateView.as_view(),
        name="paymentbatch_generate",
    ),
    path(
        "payment-batches/<int:pk>/review/",
        PaymentBatchReviewView.as_view(),
        name="paymentbatch_review",
    ),
    path(
        "payment-batches/<int:pk>/approve/",
        PaymentBatchApproveView.as_view(),
        name="paymentbatch_approve",
    ),
    path(
        "payment-batches/<int:pk>/pay/",
        PaymentBatchPayView.as_view(),
        name="paymentbatch_pay",
    ),
    path(
        "payment-batches/<int:pk>/discard/",
        PaymentBatchDiscardView.as_view(),
        name="paymentbatch_discard",
    ),
    path(
        "payment-batches/<int:pk>/export/",
        PaymentBatchExportView.as_view(),
        name="paymentbatch_export",
    ),
]
