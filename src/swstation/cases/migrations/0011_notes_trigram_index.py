"""A service's notes searched by any part of them through a trigram index (PostgreSQL only;
core/trigram.py): the service records list's search reads the person's and the worker's names
through their own indexes and the notes through this one, so a name is found among millions
of services without reading them."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from swstation.core.trigram import trigram_index


class Migration(migrations.Migration):
    atomic = False  # the index is built CONCURRENTLY: the table stays writable

    dependencies = [("cases", "0010_elderly_health_data_and_assessors")]

    operations = [
        TrigramExtension(),
        trigram_index("cases_servicerecord", "notes", "servicerecord_notes_trgm"),
    ]
