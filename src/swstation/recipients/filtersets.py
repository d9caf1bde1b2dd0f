"""Filters of the recipient and household lists; the pages and the API share them."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet, IntegerFilter
from swstation.core.masking import age_band_bounds, user_sees_personal_data
from swstation.core.roles import Role
from swstation.recipients.identifiers import DocumentType
from swstation.recipients.models import (
    AccessKind,
    Category,
    CategoryPeriod,
    DuplicateReview,
    Household,
    IdentityView,
    PersonalData,
    Recipient,
    RecipientStatus,
    ReviewStatus,
)
from swstation.recipients.selectors import (
    held_on_q,
    in_service_q,
    minors_q,
    recipient_search_q,
    years_ago,
)
from swstation.stations.models import Station


def _visible_stations(request: Any) -> QuerySet[Station]:
    user = getattr(request, "user", None)
    queryset: QuerySet[Station] = Station.objects.visible_to(user).order_by("region__code", "name")
    return queryset


class RecipientFilterSet(BaseFilterSet):
    """``q`` is a name (or part of it), or an exact document or phone number, looked up through
    its keyed hash (the numbers are stored encrypted)."""

    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="code",
        method="filter_category",
        label=_("category"),
    )
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    status = django_filters.ChoiceFilter(choices=RecipientStatus.choices, label=_("status"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    household = django_filters.NumberFilter(field_name="household_id", label=_("household (ID)"))
    document_type = django_filters.ChoiceFilter(
        choices=DocumentType.choices, label=_("document type")
    )
    age_min = IntegerFilter(
        method="filter_age_min", min_value=0, max_value=150, label=_("aged at least")
    )
    age_max = IntegerFilter(
        method="filter_age_max", min_value=0, max_value=150, label=_("aged at most")
    )
    is_minor = django_filters.BooleanFilter(method="filter_is_minor", label=_("under 18"))
    in_service_on = django_filters.DateFilter(
        method="filter_in_service_on",
        label=_("in service on"),
        help_text=_("Registered by that day and not left; with a category, held that day."),
    )

    class Meta:
        model = Recipient
        fields = [
            "q",
            "in_service_on",
            "category",
            "region_code",
            "status",
            "station",
            "household",
            "document_type",
            "age_min",
            "age_max",
            "is_minor",
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value.strip():
            return queryset
        return queryset.filter(recipient_search_q(value))

    def filter_category(
        self, queryset: QuerySet[Any], name: str, value: Category | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        day = self.form.cleaned_data.get("in_service_on")
        if day is not None:  # the category held that day (issue 18)
            return queryset.filter(held_on_q(category=value, day=day))
        # EXISTS rather than a join, so that a person is listed once whatever else they are.
        tagged = Recipient.categories.through.objects.filter(
            recipient_id=OuterRef("pk"), category=value
        )
        return queryset.filter(Exists(tagged))

    def filter_in_service_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(in_service_q(day=value))

    def _age_bound(self, value: int, *, upper: bool) -> int:
        """For roles that read dates of birth masked (as age bands), a bound widens to the
        whole band: filters of single years would give the exact age away."""
        request = getattr(self, "request", None)
        if request is None or user_sees_personal_data(getattr(request, "user", None)):
            return value
        low, high = age_band_bounds(value)
        return (high if high is not None else 200) if upper else low

    def filter_age_min(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(birth_date__lte=years_ago(self._age_bound(int(value), upper=False)))

    def filter_age_max(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        bound = self._age_bound(int(value), upper=True)
        return queryset.filter(birth_date__gt=years_ago(bound + 1))

    def filter_is_minor(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(minors_q()) if value else queryset.exclude(minors_q())


class HouseholdFilterSet(BaseFilterSet):
    search_fields = ("head_name", "address")

    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    has_members = django_filters.BooleanFilter(
        method="filter_has_members", label=_("has recipients")
    )

    class Meta:
        model = Household
        fields = ["q", "region_code", "has_members"]

    def filter_has_members(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        members = Recipient.objects.filter(household=OuterRef("pk")).exclude(
            status=RecipientStatus.MERGED
        )
        return queryset.filter(Exists(members)) if value else queryset.filter(~Exists(members))


class DuplicateReviewFilterSet(BaseFilterSet):
    """Matches across jurisdictions: ``status``, ``region_code`` (the jurisdiction that settles
    them, by prefix), ``q`` (either person's name)."""

    search_fields = ("recipient__name", "match__name")

    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("status"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = DuplicateReview
        fields = ["q", "status", "region_code"]


class CategoryPeriodFilterSet(BaseFilterSet):
    """The times people held a category (read-only, kept by the recipients services):
    ``recipient`` (ID), ``category`` (code), ``region_code`` (the person's, by prefix),
    ``held_on`` (periods covering that day), ``current`` (still open), the start and the end by
    date range, ``q`` (the person's name)."""

    search_fields = ("recipient__name",)

    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="code", label=_("category")
    )
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code", lookup_expr="startswith", label=_("region code")
    )
    held_on = django_filters.DateFilter(method="filter_held_on", label=_("category held on"))
    current = django_filters.BooleanFilter(
        field_name="valid_to", lookup_expr="isnull", label=_("still in this category")
    )
    valid_from_after = django_filters.DateFilter(
        field_name="valid_from", lookup_expr="gte", label=_("valid from on or after")
    )
    valid_from_before = django_filters.DateFilter(
        field_name="valid_from", lookup_expr="lte", label=_("valid from on or before")
    )
    valid_to_after = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="gte", label=_("valid to on or after")
    )
    valid_to_before = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="lte", label=_("valid to on or before")
    )

    class Meta:
        model = CategoryPeriod
        fields = [
            "q",
            "recipient",
            "category",
            "region_code",
            "held_on",
            "current",
            "valid_from_after",
            "valid_from_before",
            "valid_to_after",
            "valid_to_before",
        ]

    def filter_held_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        return queryset.filter(valid_from__lte=value).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=value)
        )


class IdentityViewFilterSet(BaseFilterSet):
    """The personal-data access log (issue 10, "Auditing"): ``viewed_after``/``viewed_before``
    (days, both included), ``user`` (ID), ``role`` (the user's), ``recipient`` (ID),
    ``station`` (the person's station, ID), ``region_code`` (the line's region, by prefix),
    ``field`` (what data), ``kind`` (viewed in full or exported), ``q`` (the purpose, the
    user's or the person's name, whose data)."""

    search_fields = ("purpose", "user__username", "user__full_name", "recipient__name", "subject")

    viewed_after = django_filters.DateFilter(
        field_name="viewed_at", lookup_expr="date__gte", label=_("on or after")
    )
    viewed_before = django_filters.DateFilter(
        field_name="viewed_at", lookup_expr="date__lte", label=_("on or before")
    )
    user = django_filters.NumberFilter(field_name="user_id", label=_("user (ID)"))
    role = django_filters.ChoiceFilter(
        field_name="user__role", choices=Role.choices, label=_("role")
    )
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    station = django_filters.ModelChoiceFilter(
        field_name="recipient__station", queryset=_visible_stations, label=_("station")
    )
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    field = django_filters.ChoiceFilter(choices=PersonalData.choices, label=_("data"))
    kind = django_filters.ChoiceFilter(choices=AccessKind.choices, label=_("access"))

    class Meta:
        model = IdentityView
        fields = [
            "q",
            "viewed_after",
            "viewed_before",
            "user",
            "role",
            "recipient",
            "station",
            "region_code",
            "field",
            "kind",
        ]
