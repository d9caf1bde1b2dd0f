"""The form of an assessor qualification: the social worker among those of the user's
jurisdiction still working, the kind, the number, who issued it and its validity."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from swstation.cases.models import AssessorQualification
from swstation.core.forms import ScopedModelForm, date_input

__all__ = ["AssessorQualificationForm"]


class AssessorQualificationForm(ScopedModelForm):
    class Meta:
        model = AssessorQualification
        fields = ["social_worker", "kind", "number", "issued_by", "valid_from", "valid_to"]
        widgets = {"valid_from": date_input(), "valid_to": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["social_worker"]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        keep = self.instance.social_worker_id or 0
        today = timezone.localdate()
        field.queryset = field.queryset.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=today) | Q(pk=keep)
        ).order_by("name")
