"""Filters of the workforce lists: people, certificates, training, supervision and talent
(people.py), reward and allowance rules, batches and payments (payments.py). Import from here:
``from swstation.workforce import filtersets``."""

from swstation.workforce.filtersets.payments import *  # noqa: F403
from swstation.workforce.filtersets.people import *  # noqa: F403
