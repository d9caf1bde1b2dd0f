"""Forms of the reward and allowance rules and of the payment workflow: what a batch pays (kind,
paying region, period), its note, and the date it was paid."""

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, date_input
from swstation.regions.forms import RegionChoiceField
from swstation.workforce.models import PaymentBatch, PaymentKind, RewardPolicy
from swstation.workforce.selectors.payments import payment_region_choices
from swstation.workforce.services.payments import (
    payment_batch_check_editable,
    validate_batch_request,
)

__all__ = [
    "PaidOnForm",
    "PaymentBatchForm",
    "PaymentBatchNoteForm",
    "PaymentBatchRequestForm",
    "RewardPolicyForm",
]

DATE = date_input()


class RewardPolicyForm(ScopedModelForm):
    class Meta:
        model = RewardPolicy
        fields = [
            "kind",
            "level",
            "amount",
            "valid_from",
            "valid_to",
            "excludes_civil_servants",
            "requires_exam_in_city",
            "requires_registration_in_city",
            "requires_community_worker",
            "note",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}


class PaymentBatchForm(ScopedModelForm):
    """The batch itself; its review, approval and payment are workflow actions."""

    class Meta:
        model = PaymentBatch
        fields = ["kind", "region", "period_start", "period_end", "note"]
        field_classes = {"region": RegionChoiceField}
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        payment_batch_check_editable(batch=self.instance)
        return cleaned


class PaymentBatchNoteForm(PaymentBatchForm):
    """Editing a batch: its kind, region and period decided its lines, so only the note."""

    class Meta(PaymentBatchForm.Meta):
        fields = ["note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ScopedModelForm.__init__(self, *args, **kwargs)


class PaymentBatchRequestForm(forms.Form):
    """What to pay: the kind, the paying region (the city or a county in the actor's
    jurisdiction) and the period; the service's rules check it before any preview."""

    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=PaymentKind.choices)
    region = RegionChoiceField(
        label=capfirst(_("paying region")),
        queryset=None,
        help_text=_("The people working in this region are paid."),
    )
    period_start = forms.DateField(label=capfirst(_("period start")), widget=DATE)
    period_end = forms.DateField(
        label=capfirst(_("period end")),
        widget=DATE,
        help_text=_(
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

    @staticmethod
    def initial_for(user: Any) -> dict[str, Any]:
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


class PaidOnForm(forms.Form):
    paid_on = forms.DateField(label=capfirst(_("paid on")))
