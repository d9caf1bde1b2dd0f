from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm
from swstation.regions.models import Population, Region


class RegionChoiceField(forms.ModelChoiceField):
    """A region choice labelled with its code, so that namesakes in two districts differ."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code[:9]} {obj.name}"


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "is_development_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("parent", level="village")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        code, parent, level = cleaned.get("code"), cleaned.get("parent"), cleaned.get("level")
        if level != "city" and parent is None and "parent" not in self.errors:
            self.add_error("parent", _("Every region below the city needs a parent region."))
        if isinstance(parent, Region) and isinstance(code, str) and not parent.contains(code):
            self.add_error(
                "code",
                _("Code %(code)s does not start with the parent's prefix %(prefix)s.")
                % {"code": code, "prefix": parent.prefix},
            )
        return cleaned


class PopulationForm(ScopedModelForm):
    class Meta:
        model = Population
        fields = ["region", "year", "population", "status", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")
