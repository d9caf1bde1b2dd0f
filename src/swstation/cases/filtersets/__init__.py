"""Filters of the case lists (cases.py: cases, goals, transfers) and of assessments, service
records and visit schedules (records.py); the pages and the API share them."""

from swstation.cases.filtersets.assessments import *  # noqa: F403
from swstation.cases.filtersets.cases import *  # noqa: F403
from swstation.cases.filtersets.records import *  # noqa: F403
