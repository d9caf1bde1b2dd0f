"""A person's name searched by any part of it through a trigram index (PostgreSQL only;
core/trigram.py): the recipients list, its API and the pickers of a person by name."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from swstation.core.trigram import trigram_index


class Migration(migrations.Migration):
    atomic = False  # the index is built CONCURRENTLY: the table stays writable

    dependencies = [("recipients", "0007_access_log")]

    operations = [
        TrigramExtension(),
        trigram_index("recipients_recipient", "name", "recipient_name_trgm"),
    ]
