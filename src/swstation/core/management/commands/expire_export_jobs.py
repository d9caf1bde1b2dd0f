from typing import Any

from django.core.management.base import BaseCommand

from swstation.core.export_jobs import expire_jobs, expiry_hours


class Command(BaseCommand):
    help = (
        "Delete the files of background exports older than EXPORT_JOB_EXPIRY_HOURS (default "
        "24) and mark exports that died with their worker as failed (run it from cron; every "
        "new export also queues it)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_jobs()
        self.stdout.write(f"Deleted {expired} export files older than {expiry_hours()} hours.")
