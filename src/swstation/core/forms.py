"""Base forms: choices of related records are limited to the user's jurisdiction."""

from typing import Any

from django import forms
from django.core import validators
from django.utils.translation import gettext as _

from swstation.core.import_models import ImportSynonym
from swstation.core.masking import mask_phone
from swstation.core.scoping import ScopedQuerySet
from swstation.core.versions import STALE_MESSAGE, version_token

# Text without a limit of its own (a model's TextField: notes, summaries) takes at most this many
# characters, in the forms and in the API (core/api/viewsets.py).
TEXT_MAX_LENGTH = 10_000


def bound_text_fields(fields: dict[str, Any]) -> None:
    """Give every text field without a maximum length :data:`TEXT_MAX_LENGTH`."""
    for field in fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(validators.MaxLengthValidator(TEXT_MAX_LENGTH))
            field.widget.attrs.update(field.widget_attrs(field.widget))


def limit_choices_to_user(fields: dict[str, Any], user: Any) -> None:
    """Restrict every choice of a scoped related model to the records ``user`` may see."""
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if isinstance(queryset, ScopedQuerySet):
            field.queryset = queryset.visible_to(user)


VERSION_FIELD = "row_version"


class ScopedModelForm(forms.ModelForm):
    """A record's form: related choices within the user's jurisdiction, and the version the
    user opened carried in a hidden field, so that saving over someone else's change is
    refused (core.versions)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit_choices_to_user(self.fields, user)
        bound_text_fields(self.fields)
        if self.instance.pk is not None and version_token(self.instance):
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version_token(self.instance)
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        sent = cleaned.get(VERSION_FIELD)
        if sent and sent != version_token(self.instance):
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    def exclude_choices(self, field_name: str, **lookups: Any) -> None:
        """Narrow a related-record field's choices further (after the jurisdiction limit)."""
        field = self.fields[field_name]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        field.queryset = field.queryset.exclude(**lookups)


class StoredPhonesMixin:
    """A person's phone is personal data (shared/design/architecture.md, "Personal data"): an
    edit form never shows a stored number in full, where anyone looking at the screen reads it
    and no access log sees it. The box starts empty with the masked number beside it; left
    empty it keeps the stored number, a number typed replaces it, and a "remove" box (offered
    only when a number is stored) removes it. Reading the number in full is the logged
    reveal of the person's page. Call :meth:`protect_stored_phones` at the end of
    ``__init__``; ``clean`` puts the kept number back before the model sees the form's data."""

    stored_phone_fields: tuple[str, ...] = ("phone",)

    def protect_stored_phones(self: Any) -> None:
        for name in self.stored_phone_fields:
            stored = getattr(self.instance, name, "") if self.instance.pk else ""
            if name not in self.fields or not stored:
                continue
            self.initial[name] = ""
            self.fields[name].help_text = _("Recorded: %(number)s. Leave empty to keep it.") % {
                "number": mask_phone(stored)
            }
            remove = forms.BooleanField(label=_("Remove the stored phone number"), required=False)
            fields = {}
            for key, field in self.fields.items():
                fields[key] = field
                if key == name:  # the "remove" box right below its number
                    fields[f"clear_{name}"] = remove
            self.fields = fields

    def keep_stored_phones(self: Any, cleaned: dict[str, Any]) -> None:
        for name in self.stored_phone_fields:
            if f"clear_{name}" not in self.fields or cleaned.get(name):
                continue
            cleaned[name] = "" if cleaned.get(f"clear_{name}") else getattr(self.instance, name)


def date_input() -> forms.DateInput:
    """The browser's own date picker, with the ISO value it expects (YYYY-MM-DD)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- core's own model: the synonyms imports accept ----------------------------------------


class ImportSynonymForm(ScopedModelForm):
    """A synonym: the list is chosen among those the importers use."""

    class Meta:
        model = ImportSynonym
        fields = ["vocabulary", "text", "means", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from swstation.core.imports.vocabularies import vocabulary_choices

        super().__init__(*args, user=user, **kwargs)
        self.fields["vocabulary"] = forms.ChoiceField(
            label=self.fields["vocabulary"].label, choices=vocabulary_choices()
        )
