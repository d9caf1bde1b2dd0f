"""Writes on cases (cases.py: stages, closure, reopening, transfer, goals) and on assessments,
service records and visit schedules (records.py); an assessment's health data seen in full and
a change of condition reported (assessments.py)."""

from swstation.cases.services.assessments import *  # noqa: F403
from swstation.cases.services.cases import *  # noqa: F403
from swstation.cases.services.records import *  # noqa: F403
