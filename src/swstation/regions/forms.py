from typing import Any

from django import forms

from swstation.core.forms import ScopedModelForm
from swstation.regions.models import Population, Region


class RegionChoiceField(forms.ModelChoiceField):
    """A region choice labelled with its code, so that namesakes in two districts differ."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code[:9]} {obj.name}"


class RegionsChoiceField(forms.ModelMultipleChoiceField):
    """Several regions (the villages a project covers, a partner serves), labelled like
    :class:`RegionChoiceField`."""

    def label_from_instance(self, obj: Any) -> str:
        return RegionChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "is_development_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("parent", level="village")


class PopulationForm(ScopedModelForm):
    class Meta:
        model = Population
        fields = ["region", "year", "population", "status", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")
