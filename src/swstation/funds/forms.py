"""Forms of the funds pages. Choices are limited to the user's jurisdiction (ScopedModelForm)
and narrowed by the selectors; the rules themselves live in services.py."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, date_input
from swstation.funds import selectors
from swstation.funds.models import ContractInstalment, Expense, Funder, Grant, PurchaseContract
from swstation.funds.services import (
    CONTRACT_FIELDS,
    EXPENSE_FIELDS,
    FUNDER_FIELDS,
    GRANT_FIELDS,
    INSTALMENT_FIELDS,
)
from swstation.regions.forms import RegionChoiceField

TEXT = forms.Textarea(attrs={"rows": 3})


class GrantChoiceField(forms.ModelChoiceField):
    """A grant labelled by its funder, target, year and amount."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} · ¥{obj.amount:,.2f}"


class FunderForm(ScopedModelForm):
    class Meta:
        model = Funder
        fields = list(FUNDER_FIELDS)
        field_classes = {"region": RegionChoiceField}
        widgets = {"note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")
        if self.instance.pk:
            self.fields["region"].disabled = True


class GrantForm(ScopedModelForm):
    class Meta:
        model = Grant
        fields = list(GRANT_FIELDS)
        field_classes = {"region": RegionChoiceField, "parent": GrantChoiceField}
        widgets = {
            "granted_on": date_input(),
            "paid_on": date_input(),
            "restrictions": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        fields = self.fields
        fields["funder"].queryset = selectors.funder_choices(actor=user)  # type: ignore[attr-defined]
        fields["station"].queryset = selectors.station_choices(actor=user)  # type: ignore[attr-defined]
        fields["project"].queryset = selectors.project_choices(actor=user)  # type: ignore[attr-defined]
        fields["parent"].queryset = selectors.donation_choices(actor=user)  # type: ignore[attr-defined]
        fields["policy"].queryset = selectors.subsidy_policy_choices()  # type: ignore[attr-defined]
        self.exclude_choices("region", level="village")
        fields["region"].required = False
        fields["region"].help_text = _(
            "Only for money that goes to no one station: the programme's or the district's."
        )
        if not self.instance.pk:
            fields["year"].initial = timezone.localdate().year
        else:
            for name in ("funder", "parent", "policy"):
                fields[name].disabled = True


class PurchaseContractForm(ScopedModelForm):
    class Meta:
        model = PurchaseContract
        fields = list(CONTRACT_FIELDS)
        field_classes = {"region": RegionChoiceField}
        widgets = {
            "signed_on": date_input(),
            "starts_on": date_input(),
            "ends_on": date_input(),
            "deliverables": TEXT,
            "note": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        fields = self.fields
        fields["region"].queryset = selectors.purchaser_choices(actor=user)  # type: ignore[attr-defined]
        fields["agency"].queryset = selectors.agency_choices(actor=user)  # type: ignore[attr-defined]
        fields["station"].queryset = selectors.station_choices(actor=user)  # type: ignore[attr-defined]
        fields["project"].queryset = selectors.project_choices(actor=user)  # type: ignore[attr-defined]
        fields["station"].required = True
        if self.instance.pk:
            fields["region"].disabled = True


class ContractInstalmentForm(ScopedModelForm):
    class Meta:
        model = ContractInstalment
        fields = list(INSTALMENT_FIELDS)
        widgets = {"due_on": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = selectors.contract_choices(actor=self.user)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["contract"].disabled = True


class ExpenseForm(ScopedModelForm):
    class Meta:
        model = Expense
        fields = list(EXPENSE_FIELDS)
        field_classes = {"grant": GrantChoiceField}
        widgets = {"spent_on": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        fields = self.fields
        fields["grant"].queryset = selectors.grant_spending_choices(actor=user)  # type: ignore[attr-defined]
        fields["contract"].queryset = selectors.contract_choices(actor=user)  # type: ignore[attr-defined]
        if self.instance.pk:
            fields["grant"].disabled = True
            fields["contract"].disabled = True


class PaidOnForm(forms.Form):
    """The day a grant or an instalment was paid (today by default)."""

    paid_on = forms.DateField(label=_("paid on"), widget=date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class SubsidyGenerateForm(forms.Form):
    """The year for which to grant the subsidies of a policy (on the policy's page)."""

    year = forms.IntegerField(label=_("budget year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("why it is held"), max_length=200)


class ReleaseForm(forms.Form):
    pass


class FundsSummaryForm(forms.Form):
    """The year (and region inside the user's jurisdiction) of the funds summary."""

    year = forms.IntegerField(label=_("budget year"), min_value=2000, max_value=2100)
    region = forms.CharField(label=_("region code"), max_length=12, required=False)
