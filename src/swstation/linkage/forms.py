"""Forms of the partner, resource and referral pages, and of the referral's transitions.
Choices are limited to the user's jurisdiction (ScopedModelForm) and narrowed by the
selectors; the rules themselves live in services.py."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, date_input
from swstation.linkage import selectors
from swstation.linkage.models import Partner, Referral, ReferralOutcome, Resource
from swstation.linkage.services import PARTNER_FIELDS, REFERRAL_FIELDS, RESOURCE_FIELDS
from swstation.regions.forms import RegionChoiceField, RegionsChoiceField
from swstation.workforce.forms.fields import WorkerChoiceField

TEXT = forms.Textarea(attrs={"rows": 3})


class PartnerForm(ScopedModelForm):
    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
        field_classes = {"region": RegionChoiceField, "serves": RegionsChoiceField}
        widgets = {
            "description": TEXT,
            "serves": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        self.exclude_choices("region", level="village")
        fields["station"].queryset = selectors.station_choices(actor=self.user)  # type: ignore[attr-defined]
        serves = fields["serves"]
        assert isinstance(serves, forms.ModelMultipleChoiceField) and serves.queryset is not None
        serves.queryset = serves.queryset.filter(level="village").order_by("code")
        if self.instance.pk and self.instance.agency_id:
            for name in ("name", "kind", "region"):
                fields[name].disabled = True
            fields["name"].help_text = _("A service agency's partner follows the agency.")


class ResourceForm(ScopedModelForm):
    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)
        widgets = {
            "valid_from": date_input(),
            "valid_to": date_input(),
            "description": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = selectors.partner_choices(actor=self.user)  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.fields["valid_from"].initial = timezone.localdate()


class ReferralForm(ScopedModelForm):
    class Meta:
        model = Referral
        fields = list(REFERRAL_FIELDS)
        field_classes = {"worker": WorkerChoiceField}
        widgets = {
            "sent_on": date_input(),
            "answer_due_on": date_input(),
            "reason": TEXT,
            "note_for_partner": TEXT,
            "internal_note": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        fields = self.fields
        fields["partner"].queryset = selectors.partner_choices(actor=user)  # type: ignore[attr-defined]
        fields["resource"].queryset = selectors.resource_choices(actor=user)  # type: ignore[attr-defined]
        fields["station"].queryset = selectors.station_choices(actor=user)  # type: ignore[attr-defined]
        fields["worker"].queryset = selectors.worker_choices(actor=user)  # type: ignore[attr-defined]
        if not self.instance.pk:
            today = timezone.localdate()
            own = selectors.actor_worker(actor=user)
            fields["sent_on"].initial = today
            fields["answer_due_on"].initial = today + timedelta(days=7)
            if own is not None:
                fields["worker"].initial = own.pk
                fields["station"].initial = own.station_id


# --- the transitions -------------------------------------------------------------------------


def _day_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=capfirst(label),
        required=False,
        widget=date_input(),
        help_text=_("Empty: today."),
    )


class ReferralAcceptForm(forms.Form):
    answered_on = _day_field(_("answered on"))


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(label=capfirst(_("why declined")), widget=TEXT, max_length=1000)
    answered_on = _day_field(_("answered on"))


class ReferralStartForm(forms.Form):
    started_on = _day_field(_("service started on"))


class ReferralCompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=capfirst(_("outcome")), choices=ReferralOutcome.choices)
    feedback = forms.CharField(
        label=capfirst(_("partner's feedback")), widget=TEXT, max_length=2000
    )
    completed_on = _day_field(_("completed on"))


class ReferralWithdrawForm(forms.Form):
    reason = forms.CharField(label=capfirst(_("why withdrawn")), widget=TEXT, max_length=1000)
    withdrawn_on = _day_field(_("withdrawn on"))
