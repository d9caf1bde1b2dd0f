"""The rounds' daily work (issue 15; spec/station-evaluation.md §4), run once a day (cron or a
systemd timer: ``python -m swstation evaluation_daily``): self-assessments past their due date
go to the scoring as they stand, and published results whose objection window has closed
become final (rectification issued, payment held for 不合格)."""

from typing import Any

from django.core.management.base import BaseCommand

from swstation.evaluation import services


class Command(BaseCommand):
    help = "Move the evaluations whose deadlines passed: self-assessment closed, results final."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.self_assessment_close_due()
        final = services.finalise_due()
        self.stdout.write(f"self-assessments closed: {closed}; results final: {final}")
