"""Reads on cases (cases.py: lists, timeline), on assessments, service records and visit
schedules (records.py: due and overdue lists), and what the home pages show (home.py: the
agenda by kind of work, next steps, workload, closures to approve)."""

from swstation.cases.selectors.assessments import *  # noqa: F403
from swstation.cases.selectors.cases import *  # noqa: F403
from swstation.cases.selectors.home import *  # noqa: F403
from swstation.cases.selectors.records import *  # noqa: F403
