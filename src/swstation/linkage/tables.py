"""Tables of the partner, resource (the catalogue) and referral lists, and of their .csv/.xlsx
exports."""

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable
from swstation.linkage.models import Partner, Referral, ReferralStatus, Resource


class PartnerTable(BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__code",))

    class Meta(BaseTable.Meta):
        model = Partner
        fields = ("name", "kind", "department", "region", "station", "contact_name", "active")

    def render_region(self, value: Any) -> str:
        return str(value.name)

    def value_region(self, value: Any) -> str:
        return str(value.name)


class ResourceTable(BaseTable):
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    partner = tables.Column(linkify=True)
    capacity = tables.Column(verbose_name=_("capacity"), empty_values=(), order_by=("capacity",))
    valid = tables.Column(verbose_name=_("valid"), empty_values=(), order_by=("valid_to",))

    class Meta(BaseTable.Meta):
        model = Resource
        fields = ("title", "kind", "partner", "capacity", "valid_from", "valid_to", "valid")

    def value_capacity(self, record: Resource) -> str:
        if record.capacity is None:
            return str(_("not limited"))
        return f"{record.capacity}{record.capacity_unit}"

    def render_capacity(self, record: Resource) -> str:
        return self.value_capacity(record)

    def value_valid(self, record: Resource) -> str:
        return str(_("Yes") if record.is_valid_on(timezone.localdate()) else _("No"))

    def render_valid(self, record: Resource) -> str:
        return self.value_valid(record)


class ReferralTable(BaseTable):
    recipient = tables.Column(linkify=lambda record: record.get_absolute_url())
    partner = tables.Column(linkify=True)
    status = tables.Column(verbose_name=_("status"), order_by=("status",))

    class Meta(BaseTable.Meta):
        model = Referral
        fields = (
            "recipient",
            "partner",
            "service",
            "worker",
            "sent_on",
            "answer_due_on",
            "status",
            "outcome",
        )

    def render_status(self, record: Referral) -> Any:
        label = record.get_status_display()
        if record.status == ReferralStatus.SENT and record.answer_due_on < timezone.localdate():
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', label, _("overdue")
            )
        return label

    def value_status(self, record: Referral) -> str:
        return str(record.get_status_display())
