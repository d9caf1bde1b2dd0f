import django_filters
from django.utils.translation import gettext_lazy as _

from swstation.accounts.models import User
from swstation.core.filtersets import BaseFilterSet
from swstation.core.roles import Role


class UserFilterSet(BaseFilterSet):
    search_fields = ("username", "full_name")

    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    jurisdiction_code = django_filters.CharFilter(
        field_name="jurisdiction__code", lookup_expr="startswith", label=_("jurisdiction code")
    )
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "jurisdiction_code", "is_active"]
