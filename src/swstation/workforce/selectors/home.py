"""Reads for the home pages (issue 10): a supervisor's own supervision sessions and follow-ups,
the payment batches waiting for a bureau, and reward rules about to lapse."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.core.policies import NOTICE_DAYS, Ending, policies_ending
from swstation.workforce.models import (
    BatchStatus,
    PaymentBatch,
    RewardPolicy,
    SupervisionSession,
    Supervisor,
)
from swstation.workforce.selectors.payments import payment_batch_list
from swstation.workforce.selectors.people import supervision_session_list

__all__ = [
    "FOLLOW_UP_NOTICE_DAYS",
    "BatchesWaiting",
    "SupervisionAgenda",
    "payment_batches_waiting",
    "reward_policies_ending",
    "supervision_agenda",
]

# Follow-ups due within this many days are shown beside the overdue ones.
FOLLOW_UP_NOTICE_DAYS = 14
HOME_SESSIONS = 5


@dataclass
class SupervisionAgenda:
    """The actor's own supervision (as the supervisor of the sessions)."""

    upcoming: list[SupervisionSession] = field(default_factory=list)
    recent: list[SupervisionSession] = field(default_factory=list)
    follow_ups: list[SupervisionSession] = field(default_factory=list)
    follow_ups_overdue: int = 0
    follow_ups_due: int = 0
    sessions_this_year: int = 0
    hours_this_year: Decimal = Decimal(0)
    # Whether the actor's login is linked to a supervisor (else no session is theirs).
    linked: bool = False


def supervision_agenda(*, actor: Actor, on: date) -> SupervisionAgenda:
    """The sessions the actor leads (their login is linked to a supervisor): the next ones,
    the last ones, the follow-ups not done that are overdue or due within 14 days, and the
    sessions and hours of the year so far. Five queries."""
    mine = supervision_session_list(actor=actor).filter(supervisor__user_id=actor.pk)
    # Counted without the list's participant count (which joins the participants).
    own: QuerySet[SupervisionSession] = SupervisionSession.objects.visible_to(actor)
    own = own.filter(supervisor__user_id=actor.pk).order_by()
    soon = on + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    open_follow_ups = Q(follow_up_done=False, follow_up_due__isnull=False)
    this_year = Q(held_on__year=on.year, held_on__lte=on)
    figures = own.aggregate(
        overdue=Count("pk", filter=open_follow_ups & Q(follow_up_due__lt=on)),
        due=Count("pk", filter=open_follow_ups & Q(follow_up_due__gte=on, follow_up_due__lte=soon)),
        year=Count("pk", filter=this_year),
        hours=Sum("hours", filter=this_year),
    )
    return SupervisionAgenda(
        upcoming=list(mine.filter(held_on__gte=on).order_by("held_on", "pk")[:HOME_SESSIONS]),
        recent=list(mine.filter(held_on__lt=on).order_by("-held_on", "-pk")[:HOME_SESSIONS]),
        follow_ups=list(
            mine.filter(open_follow_ups & Q(follow_up_due__lte=soon)).order_by(
                "follow_up_due", "pk"
            )[:HOME_SESSIONS]
        ),
        follow_ups_overdue=figures["overdue"] or 0,
        follow_ups_due=figures["due"] or 0,
        sessions_this_year=figures["year"] or 0,
        hours_this_year=figures["hours"] or Decimal(0),
        linked=Supervisor.objects.filter(user_id=actor.pk).exists(),
    )


@dataclass(frozen=True)
class BatchesWaiting:
    """Payment batches of the actor's jurisdiction still to approve (drafts) or to pay."""

    to_approve: int
    to_pay: int

    @property
    def total(self) -> int:
        return self.to_approve + self.to_pay


def payment_batches_waiting(*, actor: Actor) -> BatchesWaiting | None:
    """For the roles that approve and pay batches (the bureaus); None for the others."""
    if not user_can(actor, "change", PaymentBatch):
        return None
    counts = (
        payment_batch_list(actor=actor)
        .order_by()
        .aggregate(
            draft=Count("pk", filter=Q(status=BatchStatus.DRAFT)),
            approved=Count("pk", filter=Q(status=BatchStatus.APPROVED)),
        )
    )
    return BatchesWaiting(to_approve=counts["draft"] or 0, to_pay=counts["approved"] or 0)


def reward_policies_ending(*, on: date, within_days: int = NOTICE_DAYS) -> list[Ending]:
    """Reward and allowance rules ending within ``within_days`` of ``on`` with no rule of the
    same kind and level to take over (core.policies). Policy data: the same for every reader."""
    return policies_ending(
        RewardPolicy.objects.all(), on=on, same=("kind", "level"), within_days=within_days
    )
