"""Reads on the workforce: people, certificates and statistics (people.py), rewards and
allowances due (payments.py), the staff of stations and agencies for the stations app
(staffing.py), and what the home pages show (home.py). Import from here:
``from swstation.workforce import selectors``."""

from swstation.workforce.selectors.home import *  # noqa: F403
from swstation.workforce.selectors.payments import *  # noqa: F403
from swstation.workforce.selectors.people import *  # noqa: F403
from swstation.workforce.selectors.staffing import *  # noqa: F403
