from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from swstation.core.masking import mask_phone, user_sees_personal_data
from swstation.core.tables import BaseTable
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)


class MaskedContactPhoneMixin:
    """``contact_phone`` in full or masked, on the page and in exports alike."""

    user: Any

    def render_contact_phone(self, value: str) -> str:
        return value if user_sees_personal_data(self.user) else mask_phone(value)

    def value_contact_phone(self, value: str) -> str:
        return self.render_contact_phone(value)


class ServiceAgencyTable(MaskedContactPhoneMixin, BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column()
    station_count = tables.Column(verbose_name=_("stations run"))
    staff_count = tables.Column(verbose_name=_("staff"))

    class Meta(BaseTable.Meta):
        model = ServiceAgency
        fields = (
            "name",
            "credit_code",
            "region",
            "contact_name",
            "contact_phone",
            "station_count",
            "staff_count",
        )


class ComplianceColumn(tables.Column):
    """True / False / None (no construction standard applies: not assessed)."""

    def render(self, value: Any) -> str:
        if value is None:
            return format_html('<span class="text-muted">{}</span>', _("not assessed"))
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("compliant"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("not compliant"))

    def value(self, value: Any) -> str:
        if value is None:
            return str(_("not assessed"))
        return str(_("compliant") if value else _("not compliant"))


class StationTable(MaskedContactPhoneMixin, BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__code",))
    agency = tables.Column()
    fulltime_staff_count = tables.Column(verbose_name=_("full-time staff"))
    compliant = ComplianceColumn(verbose_name=_("compliance"), empty_values=())
    has_sign = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = Station
        fields = (
            "name",
            "region",
            "kind",
            "special_kind",
            "status",
            "operating_model",
            "agency",
            "opened_on",
            "contact_name",
            "contact_phone",
            "has_sign",
            "fulltime_staff_count",
            "compliant",
        )


class RoomTable(BaseTable):
    station = tables.Column(linkify=True)
    region = tables.Column(
        accessor="station__region", verbose_name=_("region"), order_by=("station__region__code",)
    )
    name = tables.Column(linkify=lambda record: record.get_absolute_url())
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = Room
        fields = ("station", "region", "kind", "name", "area_m2", "shared_with")


class ConstructionStandardTable(BaseTable):
    name = tables.Column(linkify=True)
    station_kinds = tables.Column(orderable=False)
    required_rooms = tables.Column(orderable=False)
    requires_sign = tables.BooleanColumn()
    requires_portfolio = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = ConstructionStandard
        fields = (
            "name",
            "valid_from",
            "valid_to",
            "station_kinds",
            "required_rooms",
            "requires_sign",
            "min_fulltime_staff",
            "requires_portfolio",
        )

    def render_station_kinds(self, record: Any) -> str:
        return "、".join(record.get_station_kinds_display())

    def value_station_kinds(self, record: Any) -> str:
        return self.render_station_kinds(record)

    def render_required_rooms(self, record: Any) -> str:
        return "、".join(record.get_required_rooms_display())

    def value_required_rooms(self, record: Any) -> str:
        return self.render_required_rooms(record)


class SubsidyPolicyTable(BaseTable):
    name = tables.Column(linkify=True)
    station_kinds = tables.Column(orderable=False)
    one_time = tables.BooleanColumn()
    subsidy_count = tables.Column(verbose_name=_("subsidies"))

    class Meta(BaseTable.Meta):
        model = SubsidyPolicy
        fields = (
            "name",
            "source",
            "amount",
            "station_kinds",
            "one_time",
            "valid_from",
            "valid_to",
            "subsidy_count",
        )

    def render_station_kinds(self, record: Any) -> str:
        return "、".join(record.get_station_kinds_display())

    def value_station_kinds(self, record: Any) -> str:
        return self.render_station_kinds(record)
