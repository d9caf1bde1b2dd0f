"""The background task of the rounds (issue 15, "Performance": computing the automatic
indicators of every station of a round is one background task of the ``background`` queue,
worked by ``db_worker``; BACKGROUND_TASKS=immediate runs it in the request, as the tests do)."""

from django.tasks import task

from swstation.core.actors import SYSTEM, Actor
from swstation.evaluation import services
from swstation.evaluation.models import EvaluationRound


@task(backend="background")
def compute_round(round_id: int, actor_id: int | None, reason: str = "") -> int:
    """Compute the round's automatic values as the user who asked (the history names them);
    the round's ``computing_since`` is cleared whatever happens."""
    from swstation.accounts.models import User

    round_ = EvaluationRound.objects.get(pk=round_id)
    actor: Actor = User.objects.get(pk=actor_id) if actor_id else SYSTEM
    try:
        return services.evaluation_compute(actor=actor, round=round_, reason=reason)
    finally:
        EvaluationRound.objects.filter(pk=round_id).update(computing_since=None)
