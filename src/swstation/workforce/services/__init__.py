"""Writes on the workforce: people and certificates (people.py), rewards and allowances
(payments.py). Import from here: ``from swstation.workforce import services``."""

from swstation.workforce.services.payments import *  # noqa: F403
from swstation.workforce.services.people import *  # noqa: F403
