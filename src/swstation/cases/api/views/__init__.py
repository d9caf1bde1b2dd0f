"""API viewsets of casework (cases.py: cases with their stage actions, goals, transfers) and of
assessments, service records and visit schedules (records.py)."""

from swstation.cases.api.views.assessments import *  # noqa: F403
from swstation.cases.api.views.cases import *  # noqa: F403
from swstation.cases.api.views.records import *  # noqa: F403
