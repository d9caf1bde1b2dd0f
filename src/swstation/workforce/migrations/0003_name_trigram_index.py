"""A social worker's name searched by any part of it through a trigram index (PostgreSQL
only; core/trigram.py): the social workers, certificates and payments lists, their API and the
pickers of a worker by name."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from swstation.core.trigram import trigram_index


class Migration(migrations.Migration):
    atomic = False  # the index is built CONCURRENTLY: the table stays writable

    dependencies = [("workforce", "0002_social_worker_payment_details")]

    operations = [
        TrigramExtension(),
        trigram_index("workforce_socialworker", "name", "socialworker_name_trgm"),
    ]
