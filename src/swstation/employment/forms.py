"""Forms of the employment pages. Choices are limited to the user's jurisdiction
(ScopedModelForm) and narrowed by the selectors; the rules live in services.py."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.cases.forms.records import RecipientSearchWidget
from swstation.core.forms import ScopedModelForm, date_input
from swstation.employment import selectors
from swstation.employment.filtersets import MONTHS
from swstation.employment.models import (
    ALL_MONTHS,
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    mask_months,
    month_mask,
)
from swstation.employment.services import (
    CHECK_FIELDS,
    FOLLOW_UP_FIELDS,
    PLACEMENT_FIELDS,
    POST_FIELDS,
    SEEKER_FIELDS,
)
from swstation.regions.forms import RegionChoiceField

TEXT = forms.Textarea(attrs={"rows": 3})


def _today(form: forms.BaseForm, name: str) -> None:
    if not getattr(getattr(form, "instance", None), "pk", None):
        form.fields[name].initial = timezone.localdate()


class MonthsField(forms.TypedMultipleChoiceField):
    """The months as boxes to tick; the model keeps them as a bit set."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        kwargs.pop("step_size", None)
        super().__init__(choices=MONTHS, coerce=int, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return mask_months(value)
        return value

    def clean(self, value: Any) -> int:
        months = super().clean(value)
        return month_mask(months) if months else 0


class JobSeekerForm(ScopedModelForm):
    """The numbers are never shown back in full: on an existing record an empty box keeps the
    stored number."""

    document_number = forms.CharField(
        label=_("identity card number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    clear_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)

    field_order = [
        "recipient",
        "name",
        "document_number",
        "phone",
        "clear_phone",
        *SEEKER_FIELDS[2:],
    ]

    class Meta:
        model = JobSeeker
        fields = list(SEEKER_FIELDS)
        field_classes = {"region": RegionChoiceField, "available_months": MonthsField}
        widgets = {"registered_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level__in=("city", "county"))
        self.fields["station"].queryset = selectors.station_choices(actor=self.user)  # type: ignore[attr-defined]
        recipient = self.fields["recipient"]
        widget = RecipientSearchWidget()
        widget.queryset = recipient.queryset  # type: ignore[attr-defined]
        recipient.widget = widget
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Taken from the recipient when one is chosen.")
        self.fields["region"].required = False
        self.fields["region"].help_text = _("Taken from the recipient when one is chosen.")
        if not self.instance.pk:
            self.fields["available_months"].initial = mask_months(ALL_MONTHS)
        _today(self, "registered_on")
        if self.instance.pk:
            if self.instance.id_number_masked:
                self.fields["document_number"].help_text = _(
                    "Stored: %(masked)s. Leave empty to keep it; type a number to replace it."
                ) % {"masked": self.instance.id_number_masked}
            if self.instance.phone_masked:
                self.fields["phone"].help_text = _(
                    "Stored: %(masked)s. Leave empty to keep it."
                ) % {"masked": self.instance.phone_masked}
        else:
            del self.fields["clear_phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("recipient"):
            if not data.get("name") and "name" not in self.errors:
                self.add_error("name", _("Enter the name, or choose a recipient."))
            if not data.get("region") and "region" not in self.errors:
                self.add_error("region", _("Choose the home village, or choose a recipient."))
        return data

    def _post_clean(self) -> None:
        # The recipient's name and village are filled in by the service, before the model's
        # own checks: the form's validation of the instance would refuse them as missing.
        if self.cleaned_data.get("recipient"):
            recipient = self.cleaned_data["recipient"]
            self.cleaned_data["name"] = self.cleaned_data.get("name") or recipient.name
            self.cleaned_data["region"] = recipient.region
        super()._post_clean()  # type: ignore[misc]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in SEEKER_FIELDS}
        number = self.cleaned_data.get("document_number", "")
        phone = self.cleaned_data.get("phone", "")
        if self.instance.pk:
            data["document_number"] = number or None
            data["phone"] = "" if self.cleaned_data.get("clear_phone") else (phone or None)
        else:
            data["document_number"] = number
            data["phone"] = phone
        return data


class JobPostForm(ScopedModelForm):
    class Meta:
        model = JobPost
        fields = list(POST_FIELDS)
        field_classes = {"region": RegionChoiceField}
        widgets = {
            "season_from": date_input(),
            "season_to": date_input(),
            "posted_on": date_input(),
            "requirements": TEXT,
            "note": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level__in=("city", "county"))
        self.fields["station"].queryset = selectors.station_choices(actor=self.user)  # type: ignore[attr-defined]
        self.fields["employer"].queryset = selectors.employer_choices(actor=self.user)  # type: ignore[attr-defined]
        _today(self, "posted_on")


class SeekerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.region.name}"


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.employer.name}"


class PlacementForm(ScopedModelForm):
    """A referral of a seeker to a post (推荐); opened from a match page with ``?post=`` and
    ``?seeker=``. The post and the seeker no longer change afterwards."""

    class Meta:
        model = Placement
        fields = list(PLACEMENT_FIELDS)
        field_classes = {"post": PostChoiceField, "seeker": SeekerChoiceField}
        widgets = {"referred_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = JobPost.objects.visible_to(self.user, for_write=True).select_related("employer")
        seekers = selectors.job_seeker_list(actor=self.user).order_by("name")
        if self.instance.pk:
            for name in ("post", "seeker"):
                self.fields[name].disabled = True
        else:
            posts = posts.filter(status="open")
            seekers = seekers.filter(status="seeking")
        self.fields["post"].queryset = posts.order_by("-season_from", "title")  # type: ignore[attr-defined]
        self.fields["seeker"].queryset = seekers  # type: ignore[attr-defined]
        _today(self, "referred_on")


class HireForm(forms.Form):
    answered_on = forms.DateField(label=_("answered on"), required=False, widget=date_input())
    starts_on = forms.DateField(label=_("work starts on"), required=False, widget=date_input())
    pay = forms.DecimalField(
        label=_("agreed pay (yuan a day)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )


class RejectForm(forms.Form):
    answered_on = forms.DateField(label=_("answered on"), required=False, widget=date_input())
    reason = forms.CharField(label=_("why not hired"), widget=TEXT, max_length=2000)


class StartForm(forms.Form):
    starts_on = forms.DateField(label=_("work starts on"), required=False, widget=date_input())


class LeaveForm(forms.Form):
    ends_on = forms.DateField(label=_("work ended on"), required=False, widget=date_input())
    reason = forms.CharField(label=_("why left"), widget=TEXT, required=False, max_length=2000)


class RevealIdentityForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", "id_number"), ("phone", "phone")])
    purpose = forms.CharField(required=False, max_length=200)


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} · {obj.region.name}"


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.station.name}"


def _money_inputs(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget.attrs["inputmode"] = "decimal"


class IncomeFollowUpForm(ScopedModelForm):
    """A household followed by a livelihood project, with its income before (the baseline);
    opened from a household's page with ``?household=``. The household and the project no
    longer change afterwards."""

    class Meta:
        model = IncomeFollowUp
        fields = list(FOLLOW_UP_FIELDS)
        field_classes = {"household": HouseholdChoiceField, "project": ProjectChoiceField}
        widgets = {"started_on": date_input(), "ended_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["household"].queryset = selectors.household_choices(actor=self.user)  # type: ignore[attr-defined]
        fields["project"].queryset = selectors.livelihood_project_choices(actor=self.user)  # type: ignore[attr-defined]
        _money_inputs(self, "baseline_earned", "baseline_given")
        if self.instance.pk:
            for name in ("household", "project"):
                fields[name].disabled = True
        else:
            del fields["ended_on"]
            _today(self, "started_on")


class IncomeCheckForm(ScopedModelForm):
    """A household's income on a day after the baseline; opened from the follow-up's page with
    ``?follow_up=``."""

    class Meta:
        model = IncomeCheck
        fields = list(CHECK_FIELDS)
        widgets = {"checked_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        follow_ups = self.fields["follow_up"]
        follow_ups.queryset = selectors.writable_follow_ups(actor=self.user)  # type: ignore[attr-defined]
        _money_inputs(self, "earned", "given")
        if self.instance.pk:
            follow_ups.disabled = True
        _today(self, "checked_on")
