"""Serializers of the workforce API: people, certificates, training, supervision and talent
(people.py), reward and allowance rules, batches and payments (payments.py). Import from here:
``from swstation.workforce.api import serializers``."""

from swstation.workforce.api.serializers.payments import *  # noqa: F403
from swstation.workforce.api.serializers.people import *  # noqa: F403
