from typing import Any

from django.core.management.base import BaseCommand

from swstation.core.imports import expire_abandoned_jobs, expiry_hours


class Command(BaseCommand):
    help = (
        "Delete the files of import jobs left unimported for IMPORT_JOB_EXPIRY_HOURS (default "
        "24) and cancel those jobs (run it from cron; every upload also queues it)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ended = expire_abandoned_jobs()
        self.stdout.write(
            f"Expired {ended} import jobs untouched for more than {expiry_hours()} hours."
        )
