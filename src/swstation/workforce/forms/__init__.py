"""Forms of the workforce pages: people, certificates, training, supervision, talent and the
statistics (people.py), reward and allowance rules and the payment workflow (payments.py).
Import from here: ``from swstation.workforce import forms``."""

from swstation.workforce.forms.payments import *  # noqa: F403
from swstation.workforce.forms.people import *  # noqa: F403
