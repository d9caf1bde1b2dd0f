"""Forms of the volunteers pages. Choices are limited to the user's jurisdiction
(ScopedModelForm) and narrowed by the selectors; the rules live in services.py."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.cases.forms.records import RecipientSearchWidget
from swstation.cases.models import ServiceRecord
from swstation.core.forms import ScopedModelForm, date_input
from swstation.regions.forms import RegionChoiceField
from swstation.volunteers import selectors
from swstation.volunteers.models import (
    HOURS_MAX,
    HOURS_MIN,
    Pairing,
    ServiceVolunteer,
    Volunteer,
    VolunteerTeam,
)
from swstation.volunteers.services import (
    PAIRING_FIELDS,
    SERVICE_VOLUNTEER_FIELDS,
    TEAM_FIELDS,
    VOLUNTEER_FIELDS,
)

TEXT = forms.Textarea(attrs={"rows": 3})


def _today(form: forms.BaseForm, name: str) -> None:
    if not getattr(getattr(form, "instance", None), "pk", None):
        form.fields[name].initial = timezone.localdate()


class VolunteerForm(ScopedModelForm):
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

    field_order = ["name", "document_number", "phone", "clear_phone", *VOLUNTEER_FIELDS[1:]]

    class Meta:
        model = Volunteer
        fields = list(VOLUNTEER_FIELDS)
        field_classes = {"region": RegionChoiceField}
        widgets = {"registered_on": date_input(), "left_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level__in=("city", "county"))
        self.fields["station"].queryset = selectors.station_choices(actor=self.user)  # type: ignore[attr-defined]
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

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in VOLUNTEER_FIELDS}
        number = self.cleaned_data.get("document_number", "")
        phone = self.cleaned_data.get("phone", "")
        if self.instance.pk:
            data["document_number"] = number or None
            data["phone"] = "" if self.cleaned_data.get("clear_phone") else (phone or None)
        else:
            data["document_number"] = number
            data["phone"] = phone
        return data


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.station.name}"


class VolunteerTeamForm(ScopedModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("members"),
        queryset=Volunteer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Volunteers of the team's station."),
    )

    class Meta:
        model = VolunteerTeam
        fields = list(TEAM_FIELDS)
        field_classes = {"region": RegionChoiceField, "leader": VolunteerChoiceField}
        widgets = {"founded_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level__in=("city", "county"))
        self.fields["station"].queryset = selectors.station_choices(actor=self.user)  # type: ignore[attr-defined]
        volunteers = selectors.volunteer_list(actor=self.user).order_by("station__name", "name")
        if self.instance.pk:
            volunteers = volunteers.filter(station_id=self.instance.station_id)
            self.fields["members"].initial = list(
                self.instance.members.values_list("pk", flat=True)
            )
        self.fields["leader"].queryset = volunteers  # type: ignore[attr-defined]
        self.fields["members"].queryset = volunteers  # type: ignore[attr-defined]
        self.fields["members"].label_from_instance = lambda obj: obj.name  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in TEAM_FIELDS}
        data["members"] = list(self.cleaned_data.get("members") or [])
        return data


class PairingForm(ScopedModelForm):
    class Meta:
        model = Pairing
        fields = list(PAIRING_FIELDS)
        field_classes = {"volunteer": VolunteerChoiceField}
        widgets = {"starts_on": date_input(), "ends_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recipient = self.fields["recipient"]
        widget = RecipientSearchWidget()
        widget.queryset = recipient.queryset  # type: ignore[attr-defined]
        recipient.widget = widget
        self.fields["volunteer"].queryset = (  # type: ignore[attr-defined]
            selectors.volunteer_list(actor=self.user).order_by("station__name", "name")
        )
        self.fields["worker"].queryset = selectors.worker_choices(actor=self.user)  # type: ignore[attr-defined]
        _today(self, "starts_on")


class ServiceVolunteerForm(ScopedModelForm):
    """A volunteer named on a service record, with their hours. Opened from the record's page
    (``?record=<id>``), it offers the volunteers of the record's station."""

    class Meta:
        model = ServiceVolunteer
        fields = list(SERVICE_VOLUNTEER_FIELDS)
        field_classes = {"volunteer": VolunteerChoiceField}
        widgets = {"record": forms.HiddenInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update(
            {"step": "0.25", "min": str(HOURS_MIN), "max": str(HOURS_MAX), "inputmode": "decimal"}
        )
        record = self._record()
        volunteers = selectors.volunteer_list(actor=self.user).order_by("name")
        if record is not None:
            volunteers = selectors.record_volunteer_choices(actor=self.user, record=record)
            if self.instance.pk:
                volunteers = volunteers | selectors.volunteer_list(actor=self.user).filter(
                    pk=self.instance.volunteer_id
                )
            if not self.instance.pk and not self.initial.get("hours"):
                self.fields[
                    "hours"
                ].initial = f"{min(record.duration_minutes / 60, float(HOURS_MAX)):.2f}"
        self.fields["volunteer"].queryset = volunteers  # type: ignore[attr-defined]
        self.record = record

    def _record(self) -> ServiceRecord | None:
        if self.instance.pk:
            return self.instance.record
        raw = (self.data or {}).get("record") or (self.initial or {}).get("record")
        try:
            pk = int(str(raw))
        except (TypeError, ValueError):
            return None
        found: ServiceRecord | None = (
            ServiceRecord.objects.visible_to(self.user).filter(pk=pk).first()
        )
        return found


class PairingVisitForm(forms.Form):
    served_on = forms.DateField(label=_("date"), widget=date_input())
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=1, max_value=24 * 60, initial=60
    )
    hours = forms.DecimalField(
        label=_("volunteer hours"),
        required=False,
        min_value=HOURS_MIN,
        max_value=HOURS_MAX,
        decimal_places=2,
        help_text=_("Empty: the whole visit."),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=TEXT, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["served_on"].initial = timezone.localdate()


class RevealIdentityForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", "id_number"), ("phone", "phone")])
    purpose = forms.CharField(required=False, max_length=200)


class CertificateYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
