"""Reads on cases (cases.py: lists, timeline) and on assessments, service records and visit
schedules (records.py: due and overdue lists)."""

from swstation.cases.selectors.cases import *  # noqa: F403
from swstation.cases.selectors.records import *  # noqa: F403
