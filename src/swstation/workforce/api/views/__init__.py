"""Viewsets of the workforce API: people, certificates, training, supervision and talent
(people.py), reward and allowance rules, batches and payments (payments.py). Import from here:
``from swstation.workforce.api import views``."""

from swstation.workforce.api.views.payments import *  # noqa: F403
from swstation.workforce.api.views.people import *  # noqa: F403
