"""Tables of the case lists (cases.py: cases, goals, transfers) and of assessments, service
records and visit schedules (records.py), with their .csv/.xlsx exports."""

from swstation.cases.tables.assessments import *  # noqa: F403
from swstation.cases.tables.cases import *  # noqa: F403
from swstation.cases.tables.records import *  # noqa: F403
