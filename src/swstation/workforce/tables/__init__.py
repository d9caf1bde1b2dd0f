"""Tables of the workforce lists and statistics: people, certificates, training, supervision and
talent (people.py), reward and allowance rules, batches and payments (payments.py). Import from
here: ``from swstation.workforce import tables``."""

from swstation.workforce.tables.payments import *  # noqa: F403
from swstation.workforce.tables.people import *  # noqa: F403
