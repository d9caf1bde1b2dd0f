"""The volunteers panel of a service record's page (registered with cases' port
``cases.record_panels.register_service_record_panel`` in apps.py): the volunteers named on the
record with their hours, what the old free text still says when it could not be turned into
volunteers (migration 0002: a team's name, or a name several volunteers of the station share),
and, for those who write the record, the way to name one more or take one off."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from swstation.cases.models import ServiceRecord
from swstation.core.permissions import user_can
from swstation.volunteers.models import ServiceVolunteer
from swstation.volunteers.selectors import record_volunteers


def service_record_volunteers_panel(request: HttpRequest, record: Any) -> str:
    user = request.user
    if not user_can(user, "view", ServiceVolunteer):
        return ""
    writable = ServiceRecord.objects.visible_to(user, for_write=True).filter(pk=record.pk).exists()
    context = {
        "record": record,
        "rows": record_volunteers(actor=user, record=record),
        "as_written": getattr(record, "volunteers", ""),
        "can_add": writable and user_can(user, "add", ServiceVolunteer),
        "can_delete": writable and user_can(user, "delete", ServiceVolunteer),
    }
    return render_to_string("volunteers/inc/record_volunteers.html", context, request=request)


def recipient_pairings_overview(actor: Any, recipient: Any, on: Any) -> Any:
    """The person's page (recipients.overview's port): who is paired with them and when the
    next visit is due (one query). A pairing is made from the volunteer's page."""
    from swstation.recipients.overview import Fact, OverviewPart
    from swstation.volunteers.selectors import pairing_list, running_pairings, with_next_due

    part = OverviewPart()
    pairings = list(
        with_next_due(running_pairings(pairing_list(actor=actor), on), on=on)
        .filter(recipient=recipient)
        .order_by("starts_on", "pk")[:3]
    )
    for pairing in pairings:
        due = getattr(pairing, "next_due_on", None)
        part.facts.append(
            Fact(
                key=f"pairing-{pairing.pk}",
                label=_("Paired volunteer"),
                value=pairing.volunteer.name,
                url=pairing.get_absolute_url(),
                tone="danger" if due is not None and due < on else "",
                note=_("next visit %(day)s") % {"day": due.isoformat()} if due else "",
                order=80,
            )
        )
    return part
