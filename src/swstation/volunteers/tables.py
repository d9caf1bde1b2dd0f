"""Tables of the volunteers lists (and of their .csv/.xlsx exports). Numbers are shown masked
to every role, as recipients' are; a full number is only the logged reveal on the page."""

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.volunteers.selectors import pairing_due_state

DUE_LABELS = {
    "overdue": _("Overdue"),
    "due": _("Due soon"),
    "ok": _("On schedule"),
    "ended": _("Pairing ended"),
}


class VolunteerTable(BaseTable):
    name = tables.Column(linkify=True)
    station = tables.Column(order_by=("station__name",))
    region = tables.Column(order_by=("region__code",))
    phone_masked = tables.Column(verbose_name=_("phone"))
    registered_on = tables.DateColumn(format="Y-m-d")
    status = tables.Column(verbose_name=_("status"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Volunteer
        fields = (
            "name",
            "station",
            "region",
            "phone_masked",
            "skills",
            "availability",
            "registered_on",
            "status",
        )

    def render_status(self, record: Volunteer) -> Any:
        return _("Volunteering") if record.is_active else _("Left")

    def value_status(self, record: Volunteer) -> str:
        return str(self.render_status(record))


class VolunteerTeamTable(BaseTable):
    name = tables.Column(linkify=True)
    station = tables.Column(order_by=("station__name",))
    region = tables.Column(order_by=("region__code",))
    leader = tables.Column()
    member_count = tables.Column(verbose_name=_("members"), orderable=False)
    founded_on = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = VolunteerTeam
        fields = ("name", "station", "region", "project", "leader", "member_count", "founded_on")


class PairingTable(BaseTable):
    recipient = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("recipient__name",)
    )
    volunteer = tables.Column(order_by=("volunteer__name",))
    last_visit_on = tables.DateColumn(verbose_name=_("last visit"), format="Y-m-d", orderable=False)
    next_due_on = tables.DateColumn(verbose_name=_("next visit"), format="Y-m-d", orderable=False)
    starts_on = tables.DateColumn(format="Y-m-d")
    due = tables.Column(verbose_name=_("schedule"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Pairing
        fields = (
            "recipient",
            "volunteer",
            "team",
            "worker",
            "times_per_month",
            "starts_on",
            "last_visit_on",
            "next_due_on",
            "due",
        )

    def render_due(self, record: Pairing) -> Any:
        return DUE_LABELS[pairing_due_state(record, timezone.localdate())]

    def value_due(self, record: Pairing) -> str:
        return str(self.render_due(record))


class ServiceVolunteerTable(BaseTable):
    volunteer = tables.Column(linkify=lambda record: record.volunteer.get_absolute_url())
    record = tables.Column(linkify=lambda record: record.get_absolute_url(), orderable=False)
    served_on = tables.DateColumn(
        accessor="record__served_on", verbose_name=_("date"), format="Y-m-d"
    )
    hours = tables.Column()

    class Meta(BaseTable.Meta):
        model = ServiceVolunteer
        fields = ("volunteer", "served_on", "record", "hours")
