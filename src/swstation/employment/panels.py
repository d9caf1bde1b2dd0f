"""The employment aid on a recipient's page (recipients.overview's port): a recipient who is a
job seeker shows their status, and each placement's steps join the person's timeline. The
start of work that wrote the person's 就业帮扶 service record stands for that record's line
too (``Event.covers``): one line, naming the post and the employer, not two."""

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from swstation.employment.models import PlacementStatus


def recipient_employment_overview(actor: Any, recipient: Any, on: date) -> Any:
    """Two queries: the person's job seeker records, and their placements."""
    from swstation.employment.selectors import job_seeker_list, placement_list
    from swstation.recipients.overview import Event, Fact, OverviewPart

    part = OverviewPart()
    seekers = list(job_seeker_list(actor=actor).filter(recipient=recipient).order_by("pk")[:2])
    for seeker in seekers:
        part.facts.append(
            Fact(
                key=f"job-seeker-{seeker.pk}",
                label=_("Job seeker"),
                value=seeker.get_status_display(),
                url=seeker.get_absolute_url(),
                tone="success" if seeker.status == "placed" else "",
                order=85,
            )
        )
    if not seekers:
        return part
    placements = (
        placement_list(actor=actor).filter(seeker__in=seekers).order_by("-referred_on", "-pk")[:20]
    )
    for placement in placements:
        where = f"{placement.post.title}（{placement.post.employer.name}）"
        url = placement.get_absolute_url()
        moments = [(placement.referred_on, _("Referred to the employer"), 1, where, "")]
        if placement.answered_on and placement.status == PlacementStatus.REJECTED:
            moments.append((placement.answered_on, _("Not hired"), 2, where, ""))
        elif placement.answered_on:
            moments.append((placement.answered_on, _("Hired"), 2, where, ""))
        if placement.starts_on and placement.status in (
            PlacementStatus.WORKING,
            PlacementStatus.LEFT,
        ):
            detail, covers = where, ""
            if placement.service_record_id is not None:
                detail = f"{where} · {_('counted as a service')}"
                covers = reverse("cases:servicerecord", args=[placement.service_record_id])
            moments.append((placement.starts_on, _("At work"), 3, detail, covers))
        if placement.ends_on:
            moments.append((placement.ends_on, _("Left the job"), 4, where, ""))
        for day, title, order, detail, covers in moments:
            part.events.append(
                Event(
                    day=day,
                    kind="placement",
                    title=title,
                    detail=detail,
                    url=url,
                    icon="briefcase",
                    order=order,
                    covers=covers,
                )
            )
    return part
