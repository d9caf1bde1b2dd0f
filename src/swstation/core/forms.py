"""Base forms: choices of related records are limited to the user's jurisdiction."""

from typing import Any

from django import forms

from swstation.core.scoping import ScopedQuerySet


def limit_choices_to_user(fields: dict[str, Any], user: Any) -> None:
    """Restrict every choice of a scoped related model to the records ``user`` may see."""
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if isinstance(queryset, ScopedQuerySet):
            field.queryset = queryset.visible_to(user)


class ScopedModelForm(forms.ModelForm):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit_choices_to_user(self.fields, user)

    def exclude_choices(self, field_name: str, **lookups: Any) -> None:
        """Narrow a related-record field's choices further (after the jurisdiction limit)."""
        field = self.fields[field_name]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        field.queryset = field.queryset.exclude(**lookups)
