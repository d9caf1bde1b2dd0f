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
    """Three queries at most: the household's income follow-ups, the person's job seeker
    records, and their placements."""
    from swstation.employment.selectors import job_seeker_list, placement_list
    from swstation.recipients.overview import Event, Fact, OverviewPart

    part = OverviewPart()
    _income_facts(actor, recipient, part, Fact)
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


def _income_facts(actor: Any, recipient: Any, part: Any, fact: Any) -> None:
    """The income follow-up of the person's household, if a livelihood project follows it: its
    latest monthly income against the baseline (one query with its latest check)."""
    from django.db.models import OuterRef, Subquery

    from swstation.core.numbers import format_number
    from swstation.employment.models import IncomeCheck
    from swstation.employment.selectors import income_follow_up_list

    if not recipient.household_id:
        return
    latest = IncomeCheck.objects.filter(follow_up=OuterRef("pk")).order_by("-checked_on", "-pk")
    follow_ups = (
        income_follow_up_list(actor=actor)
        .filter(household_id=recipient.household_id)
        .annotate(
            latest_earned=Subquery(latest.values("earned")[:1]),
            latest_given=Subquery(latest.values("given")[:1]),
        )
        .order_by("-started_on", "-pk")[:2]
    )
    for follow_up in follow_ups:
        if follow_up.latest_earned is None:
            value = _("baseline %(total)s yuan a month, not checked yet") % {
                "total": format_number(follow_up.baseline_total)
            }
            tone = ""
        else:
            change = follow_up.latest_earned + follow_up.latest_given - follow_up.baseline_total
            sign = "+" if change > 0 else ""
            value = _("%(before)s → %(after)s yuan a month (%(change)s)") % {
                "before": format_number(follow_up.baseline_total),
                "after": format_number(follow_up.latest_earned + follow_up.latest_given),
                "change": f"{sign}{format_number(change)}",
            }
            tone = "success" if change > 0 else ""
        part.facts.append(
            fact(
                key=f"income-follow-up-{follow_up.pk}",
                label=_("Household income"),
                value=value,
                url=follow_up.get_absolute_url(),
                tone=tone,
                note=follow_up.project.name,
                order=86,
            )
        )
