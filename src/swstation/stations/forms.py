from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm
from swstation.regions.forms import RegionChoiceField
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    RoomKind,
    ServiceAgency,
    Station,
    StationKind,
    SubsidyPolicy,
)
from swstation.stations.portfolio import portfolio_categories


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StationChoiceField(forms.ModelChoiceField):
    """A station labelled with its region, so that stations of the same name differ."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class ServiceAgencyForm(ScopedModelForm):
    class Meta:
        model = ServiceAgency
        fields = [
            "name",
            "credit_code",
            "region",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "address",
            "founded_on",
            "note",
        ]
        field_classes = {"region": RegionChoiceField}
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")


class StationForm(ScopedModelForm):
    class Meta:
        model = Station
        fields = [
            "name",
            "kind",
            "special_kind",
            "region",
            "parent_station",
            "address",
            "opened_on",
            "status",
            "suspended_on",
            "operating_model",
            "agency",
            "contract_start",
            "contract_end",
            "contact_name",
            "contact_phone",
            "has_sign",
            "sign_installed_on",
            "sign_removed_on",
            "note",
        ]
        field_classes = {"region": RegionChoiceField, "parent_station": StationChoiceField}
        widgets = {
            "opened_on": DateInput(),
            "suspended_on": DateInput(),
            "contract_start": DateInput(),
            "contract_end": DateInput(),
            "sign_installed_on": DateInput(),
            "sign_removed_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Outposts belong to township stations; the placement rules themselves are in
        # Station.clean(), shared with the API.
        self.exclude_choices(
            "parent_station", kind__in=[k for k in StationKind.values if k != StationKind.TOWNSHIP]
        )
        parent = self.fields["parent_station"]
        assert isinstance(parent, forms.ModelChoiceField) and parent.queryset is not None
        parent.queryset = parent.queryset.select_related("region")
        if self.instance.pk:
            self.exclude_choices("parent_station", pk=self.instance.pk)


class RoomForm(ScopedModelForm):
    class Meta:
        model = Room
        fields = ["station", "kind", "name", "area_m2", "shared_with", "in_use_from", "in_use_to"]
        widgets = {"in_use_from": DateInput(), "in_use_to": DateInput()}
        field_classes = {"station": StationChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        station = self.fields["station"]
        assert isinstance(station, forms.ModelChoiceField) and station.queryset is not None
        station.queryset = station.queryset.select_related("region")


def station_kinds_field() -> forms.MultipleChoiceField:
    """The station kinds a policy applies to, as checkboxes stored as a JSON list."""
    return forms.MultipleChoiceField(
        label=_("applies to station kinds"),
        choices=StationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class ConstructionStandardForm(ScopedModelForm):
    station_kinds = station_kinds_field()
    required_rooms = forms.MultipleChoiceField(
        label=_("required rooms"),
        choices=RoomKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ConstructionStandard
        fields = [
            "name",
            "valid_from",
            "valid_to",
            "station_kinds",
            "required_rooms",
            "requires_sign",
            "min_fulltime_staff",
            "requires_portfolio",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """One whole-number field per project category (the projects app's, through
        stations.portfolio): the "1+X+1" rule as the standard's data."""
        super().__init__(*args, **kwargs)
        current = self.instance.portfolio_minimums or {}
        for code, label in portfolio_categories():
            self.fields[f"portfolio__{code}"] = forms.IntegerField(
                label=_("Projects required: %(category)s") % {"category": label},
                min_value=0,
                max_value=20,
                required=False,
                initial=current.get(code, 0),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        minimums = {
            code: cleaned.get(f"portfolio__{code}") or 0 for code, _label in portfolio_categories()
        }
        self.instance.portfolio_minimums = {code: n for code, n in minimums.items() if n}
        return cleaned


class SubsidyPolicyForm(ScopedModelForm):
    station_kinds = station_kinds_field()

    class Meta:
        model = SubsidyPolicy
        fields = ["name", "source", "amount", "station_kinds", "one_time", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
