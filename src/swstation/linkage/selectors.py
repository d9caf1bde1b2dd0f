"""Reads of the partners, resources and referrals (issue 13).

Every function starts from ``Model.objects.visible_to(actor)``. Besides the lists and the
choices of the forms, it gives:

- the home agenda's group of referrals waiting for a partner's answer
  (:func:`referral_agenda_group`, :func:`referrals_overdue_by_worker`), registered into
  ``cases.selectors.home`` from ``LinkageConfig.ready()``;
- the referrals of a case for its timeline (:func:`case_referral_events`);
- **per-region figures** for the cockpit (its wiring is a later step): :func:`linkage_figures`
  gives, for the regions directly below a region (the districts of the city, the towns of a
  district, the villages of a town) or for the region itself, the partners by kind, the
  resources (valid on a day) by kind, the referrals by state and by outcome, and the median
  number of days from sending to the partner's answer. Partners and resources count where
  they are registered; referrals where their station is.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from swstation.cases.models import Case
from swstation.cases.selectors.cases import TimelineEvent
from swstation.cases.selectors.home import AgendaGroup
from swstation.cases.selectors.records import DueItem
from swstation.core.actors import Actor
from swstation.core.roles import Role
from swstation.linkage.models import (
    ANSWERED_STATUSES,
    Partner,
    Referral,
    ReferralStatus,
    Resource,
)
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

# Referrals whose answer falls due within this many days are shown as coming on the agenda.
ANSWER_DUE_WINDOW_DAYS = 3


def partner_list(*, actor: Actor) -> QuerySet[Partner]:
    return Partner.objects.visible_to(actor).select_related("region", "station")


def resource_list(*, actor: Actor) -> QuerySet[Resource]:
    return Resource.objects.visible_to(actor).select_related("partner", "partner__region")


def referral_list(*, actor: Actor) -> QuerySet[Referral]:
    return Referral.objects.visible_to(actor).select_related(
        "recipient", "partner", "resource", "station", "worker", "case"
    )


def valid_on_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def serving_region_q(code: str, prefix: str = "") -> Q:
    """Partners (or, with ``prefix="partner__"``, resources) for a region: registered in it or
    above it (a district's 残联 serves its towns), or serving a village inside it."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        return Q(pk__in=[])
    serving = Partner.objects.filter(
        Q(region__code__in=[code, *region.ancestor_codes()])
        | Q(region__code__startswith=region.prefix)
        | Q(serves__code__startswith=region.prefix)
    ).values("pk")
    return Q(**{f"{prefix}pk__in" if prefix else "pk__in": serving})


def partner_resources(*, actor: Actor, partner: Partner) -> QuerySet[Resource]:
    return resource_list(actor=actor).filter(partner=partner)


def partner_referrals(*, actor: Actor, partner: Partner) -> QuerySet[Referral]:
    return referral_list(actor=actor).filter(partner=partner)


def recipient_referrals(*, actor: Actor, recipient: Recipient) -> QuerySet[Referral]:
    return referral_list(actor=actor).filter(recipient=recipient)


# --- choices of the forms ---------------------------------------------------------------------


def station_choices(*, actor: Actor) -> QuerySet[Station]:
    queryset: QuerySet[Station] = (
        Station.objects.visible_to(actor, for_write=True)
        .select_related("region")
        .order_by("region__code", "name")
    )
    return queryset


def partner_choices(*, actor: Actor) -> QuerySet[Partner]:
    return partner_list(actor=actor).filter(active=True).order_by("kind", "name")


def resource_choices(*, actor: Actor) -> QuerySet[Resource]:
    return resource_list(actor=actor).order_by("partner__name", "title")


def worker_choices(*, actor: Actor) -> QuerySet[SocialWorker]:
    queryset: QuerySet[SocialWorker] = (
        SocialWorker.objects.visible_to(actor, for_write=True)
        .filter(station__isnull=False)
        .select_related("station")
        .order_by("name")
    )
    return queryset


def actor_worker(*, actor: Actor) -> SocialWorker | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    found: SocialWorker | None = (
        SocialWorker.objects.filter(user_id=actor.pk, station__isnull=False)
        .select_related("station")
        .first()
    )
    return found


# --- the home agenda: referrals waiting for an answer -----------------------------------------


def _own_only(actor: Actor) -> bool:
    return getattr(actor, "role", None) == Role.SOCIAL_WORKER and not getattr(
        actor, "is_superuser", False
    )


def waiting_referrals(*, actor: Actor) -> QuerySet[Referral]:
    """Referrals sent and not yet answered: a worker's own, or the jurisdiction's."""
    waiting = referral_list(actor=actor).filter(status=ReferralStatus.SENT)
    if _own_only(actor):
        waiting = waiting.filter(worker__user_id=actor.pk)
    return waiting


def referral_agenda_group(actor: Actor, on: date, limit: int) -> AgendaGroup:
    """The agenda's group of referrals waiting for a partner's answer: overdue (no answer by
    the day due), due today, due within three days; the first ``limit``, the longest overdue
    first. Two queries."""
    window = on + timedelta(days=ANSWER_DUE_WINDOW_DAYS)
    waiting = waiting_referrals(actor=actor)
    counts = waiting.order_by().aggregate(
        overdue=Count("pk", filter=Q(answer_due_on__lt=on)),
        today=Count("pk", filter=Q(answer_due_on=on)),
        soon=Count("pk", filter=Q(answer_due_on__gt=on, answer_due_on__lte=window)),
    )
    first = waiting.filter(answer_due_on__lte=window).order_by("answer_due_on", "pk")[:limit]
    items = [
        DueItem(
            kind="referral",
            title=_("Referral to %(partner)s: %(service)s")
            % {"partner": referral.partner.name, "service": referral.service},
            recipient=referral.recipient,
            due_on=referral.answer_due_on,
            on=on,
            url=referral.get_absolute_url(),
            action_url=referral.get_absolute_url() + "#answer",
            worker=referral.worker.name,
            last_on=referral.sent_on,
            action_label=_("Record the answer"),
        )
        for referral in first
    ]
    return AgendaGroup(
        kind="referrals",
        label=_("Referrals awaiting an answer"),
        overdue=counts["overdue"] or 0,
        today=counts["today"] or 0,
        soon=counts["soon"] or 0,
        soon_days=ANSWER_DUE_WINDOW_DAYS,
        items=items,
        url=_referral_list_url(),
    )


def _referral_list_url() -> str:
    from django.urls import reverse

    return reverse("linkage:referral_list") + "?status=sent&overdue=true"


def referrals_overdue_by_worker(actor: Actor, on: date) -> dict[int, int]:
    """``{social worker pk: referrals unanswered past their due day}`` for the workload."""
    rows = (
        referral_list(actor=actor)
        .filter(status=ReferralStatus.SENT, answer_due_on__lt=on)
        .order_by()
        .values("worker")
        .annotate(n=Count("pk"))
    )
    return {row["worker"]: row["n"] for row in rows}


# --- a case's timeline ------------------------------------------------------------------------


def referral_moments(referral: Referral) -> list[tuple[date, str, str]]:
    """The moments of a referral as (day, title, detail): sent, answered, completed or
    withdrawn. The lines of a case's timeline and of the person's page."""
    names = {"partner": referral.partner.name, "service": referral.service}
    moments = [
        (
            referral.sent_on,
            _("Referred to %(partner)s: %(service)s") % names,
            referral.worker.name,
        )
    ]
    if referral.answered_on is not None:
        answer = (
            _("Referral declined by %(partner)s")
            if referral.status == ReferralStatus.DECLINED
            else _("Referral accepted by %(partner)s")
        )
        moments.append((referral.answered_on, answer % names, referral.decline_reason))
    if referral.completed_on is not None:
        completed = _("Referral completed: %(outcome)s") % {
            "outcome": referral.get_outcome_display()
        }
        moments.append((referral.completed_on, completed, referral.feedback))
    if referral.withdrawn_on is not None:
        moments.append((referral.withdrawn_on, _("Referral withdrawn"), referral.withdraw_reason))
    return moments


def case_referral_events(actor: Actor, case: Case) -> list[TimelineEvent]:
    """The referrals of ``case`` (those ``actor`` may read) as timeline lines: one when sent,
    one when answered, one when completed or withdrawn. One query."""
    events: list[TimelineEvent] = []
    for referral in referral_list(actor=actor).filter(case=case).order_by("sent_on", "pk"):
        url = referral.get_absolute_url()
        for day, title, detail in referral_moments(referral):
            events.append(
                TimelineEvent(
                    day=day, at=None, kind="referral", title=title, detail=detail, url=url, order=3
                )
            )
    return events


# --- figures per region (for the cockpit, later) ----------------------------------------------


@dataclass
class LinkageFigures:
    """One region's figures: partners by kind, resources valid on the day by kind, referrals
    by status and by outcome (of the completed), and the median days to an answer (None
    without any answered referral)."""

    region: Region
    partners: dict[str, int] = field(default_factory=dict)
    resources: dict[str, int] = field(default_factory=dict)
    referrals: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    median_days_to_answer: float | None = None

    @property
    def partner_total(self) -> int:
        return sum(self.partners.values())

    @property
    def resource_total(self) -> int:
        return sum(self.resources.values())

    @property
    def referral_total(self) -> int:
        return sum(self.referrals.values())


def _area_of(code: str, areas: list[Region]) -> Region | None:
    for area in areas:
        if code.startswith(area.prefix):
            return area
    return None


def linkage_figures(
    *,
    actor: Actor,
    region: Region,
    on: date,
    below: bool = True,
    since: date | None = None,
) -> list[LinkageFigures]:
    """The figures of ``region`` (``below=False``) or of each region directly below it, as
    ``actor`` may read them; referrals sent from ``since`` (all by default) to ``on``. Four
    queries whatever the number of records: counts grouped in SQL by the record's region
    code, the median in Python over the answered referrals' two dates."""
    areas = list(Region.objects.filter(parent=region).order_by("code")) if below else [region]
    figures = {area.pk: LinkageFigures(region=area) for area in areas}
    prefix = region.prefix

    def tally(rows: Any, code_key: str, value_key: str, target: str) -> None:
        for row in rows:
            area = _area_of(row[code_key] or "", areas)
            if area is not None:
                counts = getattr(figures[area.pk], target)
                counts[row[value_key]] = counts.get(row[value_key], 0) + row["n"]

    partners = (
        partner_list(actor=actor)
        .filter(region__code__startswith=prefix, active=True)
        .order_by()
        .values("region__code", "kind")
        .annotate(n=Count("pk"))
    )
    tally(partners, "region__code", "kind", "partners")
    resources = (
        resource_list(actor=actor)
        .filter(valid_on_q(on), partner__region__code__startswith=prefix)
        .order_by()
        .values("partner__region__code", "kind")
        .annotate(n=Count("pk"))
    )
    tally(resources, "partner__region__code", "kind", "resources")
    referrals = referral_list(actor=actor).filter(
        station__region__code__startswith=prefix, sent_on__lte=on
    )
    if since is not None:
        referrals = referrals.filter(sent_on__gte=since)
    by_status = (
        referrals.order_by().values("station__region__code", "status").annotate(n=Count("pk"))
    )
    tally(by_status, "station__region__code", "status", "referrals")
    answered = referrals.filter(status__in=ANSWERED_STATUSES, answered_on__isnull=False)
    by_outcome = (
        answered.filter(status=ReferralStatus.COMPLETED)
        .order_by()
        .values("station__region__code", "outcome")
        .annotate(n=Count("pk"))
    )
    tally(by_outcome, "station__region__code", "outcome", "outcomes")
    days: dict[int, list[int]] = defaultdict(list)
    for code, sent_on, answered_on in answered.order_by().values_list(
        "station__region__code", "sent_on", "answered_on"
    ):
        area = _area_of(code, areas)
        if area is not None and answered_on is not None:
            days[area.pk].append((answered_on - sent_on).days)
    for pk, values in days.items():
        figures[pk].median_days_to_answer = float(median(values))
    return [figures[area.pk] for area in areas]
