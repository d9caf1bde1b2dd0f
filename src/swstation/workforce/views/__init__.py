"""Pages of the workforce: people, certificates, training, supervision, talent and the
certification statistics (people.py), reward and allowance rules, batches, payments and the
payment workflow (payments.py). Import from here: ``from swstation.workforce import views``."""

from swstation.workforce.views.payments import *  # noqa: F403
from swstation.workforce.views.people import *  # noqa: F403
