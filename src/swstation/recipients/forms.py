"""Add/edit forms of the recipient pages. Choices of related records are limited to the
user's jurisdiction by ScopedModelForm; the rules live in the models and services (the form
only collects what services.recipient_create/recipient_update check)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, date_input
from swstation.recipients.models import (
    EXIT_STATUS,
    REVEALABLE_FIELDS,
    Household,
    Recipient,
    RecipientStatus,
)
from swstation.recipients.selectors import Duplicates, user_sees_sensitive_data

NOT_VILLAGES = ("city", "county", "township")


class VillageChoiceField(forms.ModelChoiceField):
    """A village or community, labelled with its full code (village names repeat)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class HouseholdForm(ScopedModelForm):
    class Meta:
        model = Household
        fields = ["head_name", "region", "address", "size", "note"]
        field_classes = {"region": VillageChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level__in=NOT_VILLAGES)


class RecipientForm(ScopedModelForm):
    """A person's record. The document and phone numbers are never shown back in full: on an
    existing record an empty box keeps the stored number."""

    document_number = forms.CharField(
        label=_("document number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "An 18-character identity number fills in the sex and date of birth by itself."
        ),
    )
    phone = forms.CharField(
        label=_("phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    clear_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)
    guardian_phone = forms.CharField(
        label=_("guardian's phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    clear_guardian_phone = forms.BooleanField(
        label=_("Remove the stored guardian's phone"), required=False
    )
    emergency_contact_phone = forms.CharField(
        label=_("emergency contact's phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    clear_emergency_contact_phone = forms.BooleanField(
        label=_("Remove the stored emergency contact's phone"), required=False
    )
    # Health notes are protected like the numbers (design: personal data): an edit never shows
    # the stored notes (reading them is a logged reveal on the person's page); an empty box
    # keeps them, typed text replaces them, the "remove" box removes them.
    health_notes = forms.CharField(
        label=_("health notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    clear_health_notes = forms.BooleanField(
        label=_("Remove the stored health notes"), required=False
    )
    confirm_duplicates = forms.BooleanField(
        label=_("I have checked: this is another person, save anyway"), required=False
    )
    categories_since = forms.DateField(
        label=_("categories changed on"),
        required=False,
        widget=date_input(),
        help_text=_(
            "The day the categories ticked or unticked here took effect. Empty: today (for a "
            "new person, the registration date)."
        ),
    )

    field_order = [
        "name",
        "document_type",
        "document_number",
        "no_document_reason",
        "sex",
        "birth_date",
        "phone",
        "clear_phone",
        "region",
        "address",
        "household",
        "relation_to_head",
        "station",
        "registered_on",
        "exit_reason",
        "exited_on",
        "categories",
        "categories_since",
        "disability_type",
        "disability_grade",
        "health_notes",
        "clear_health_notes",
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
        "clear_guardian_phone",
        "emergency_contact_name",
        "emergency_contact_phone",
        "clear_emergency_contact_phone",
    ]
    # The phones, never shown back in full: (field, its "remove" box).
    PHONES = (
        ("phone", "clear_phone"),
        ("guardian_phone", "clear_guardian_phone"),
        ("emergency_contact_phone", "clear_emergency_contact_phone"),
    )

    class Meta:
        model = Recipient
        fields = [
            "name",
            "document_type",
            "no_document_reason",
            "sex",
            "birth_date",
            "region",
            "address",
            "household",
            "relation_to_head",
            "station",
            "categories",
            "disability_type",
            "disability_grade",
            "guardian_name",
            "guardian_relation",
            "emergency_contact_name",
            "consent_given",
            "consent_on",
            "registered_on",
            "exit_reason",
            "exited_on",
            "note",
        ]
        field_classes = {"region": VillageChoiceField}
        widgets = {
            "birth_date": date_input(),
            "consent_on": date_input(),
            "registered_on": date_input(),
            "exited_on": date_input(),
            "categories": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: Duplicates | None = None
        self.exclude_choices("region", level__in=NOT_VILLAGES)
        # The registration date: empty keeps the stored one (today for a new person); the
        # status follows the exit (recorded here or with the exit action), never typed.
        self.fields["registered_on"].required = False
        if not self.instance.pk:
            del self.fields["exit_reason"], self.fields["exited_on"]
        if not user_sees_sensitive_data(self.user):
            del self.fields["health_notes"], self.fields["clear_health_notes"]
        elif not (self.instance.pk and self.instance.health_notes):
            del self.fields["clear_health_notes"]
        else:
            self.fields["health_notes"].help_text = _(
                "The stored notes are not shown here: read them on the person's page (each "
                "reading is logged). Leave empty to keep them; text typed here replaces them."
            )
        if self.instance.pk:
            if self.instance.id_number_masked:
                self.fields["document_number"].help_text = _(
                    "Stored: %(masked)s. Leave empty to keep it; type a number to replace it."
                ) % {"masked": self.instance.id_number_masked}
            for phone, clear in self.PHONES:
                masked = getattr(self.instance, f"{phone}_masked")
                if masked:
                    self.fields[phone].help_text = _(
                        "Stored: %(masked)s. Leave empty to keep it."
                    ) % {"masked": masked}
                else:
                    del self.fields[clear]
        else:
            for _phone, clear in self.PHONES:
                del self.fields[clear]
            self.fields["consent_given"].help_text = _(
                "Required for a new person: they (or their guardian) agreed that their data "
                "is recorded for the services of the station."
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        # The status follows the exit (services.recipient_prepare decides it again); set here
        # so that the model's own check, run on this form's instance, agrees.
        if "exit_reason" in self.fields and not self.instance.is_merged:
            reason = cleaned.get("exit_reason") or ""
            self.instance.status = EXIT_STATUS.get(reason, RecipientStatus.ACTIVE)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """What services.recipient_create / recipient_update are given: the plain fields, the
        document number (on an existing record an empty box keeps the stored one: None), the
        categories, the phones and whether possible duplicates were confirmed."""
        data = {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.fields and name != "categories"
        }
        if not data.get("registered_on"):
            data.pop("registered_on", None)
        data["categories_since"] = self.cleaned_data.get("categories_since")
        number = (self.cleaned_data.get("document_number") or "").strip()
        categories = self.cleaned_data.get("categories")
        if self.instance.pk:
            data |= {"document_number": number or None, "categories": categories}
        else:
            data |= {"document_number": number, "categories": categories or ()}
        data["allow_duplicates"] = bool(self.cleaned_data.get("confirm_duplicates"))
        data |= self.health_notes_data()
        return {**data, **self.phone_data()}

    def health_notes_data(self) -> dict[str, str]:
        """The health notes for the services: absent (kept) when the box is empty on an
        existing record, "" when removed, else the text typed."""
        if "health_notes" not in self.fields:
            return {}
        typed = (self.cleaned_data.get("health_notes") or "").strip()
        if self.cleaned_data.get("clear_health_notes"):
            return {"health_notes": ""}
        if typed or not self.instance.pk:
            return {"health_notes": typed}
        return {}

    def phone_data(self) -> dict[str, str | None]:
        """The phones for the services: on an existing record an empty box keeps the stored
        number (None) and the "remove" box removes it (""); on a new one empty is none."""
        data: dict[str, str | None] = {}
        for phone, clear in self.PHONES:
            typed = (self.cleaned_data.get(phone) or "").strip()
            if not self.instance.pk:
                data[phone] = typed
            elif self.cleaned_data.get(clear):
                data[phone] = ""
            else:
                data[phone] = typed or None
        return data


class RecipientMergeForm(forms.Form):
    merge = forms.IntegerField(
        label=_("Record to merge into this one (#)"),
        min_value=1,
        help_text=_("The number (#) of the duplicate record; it is kept, marked as merged."),
    )
    confirm = forms.BooleanField(
        label=_("Move its cases, services and assessments to this record"), required=True
    )


class RevealIdentityForm(forms.Form):
    field = forms.ChoiceField(choices=REVEALABLE_FIELDS)
    # Required for a third party's number: the service says so (with the field's name).
    purpose = forms.CharField(label=_("purpose"), required=False, max_length=200)


class DuplicateReviewMergeForm(forms.Form):
    keep = forms.ChoiceField(
        label=_("Record to keep"),
        choices=[("match", _("the record already kept")), ("recipient", _("the record entered"))],
        widget=forms.RadioSelect,
        help_text=_("The other record's cases, services and assessments move to it."),
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DuplicateReviewNoteForm(forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
