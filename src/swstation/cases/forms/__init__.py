"""Forms of the case pages (cases.py: opening a case, the stage actions, goals) and of
assessments, service records and visit schedules (records.py, with the quick entry)."""

from swstation.cases.forms.assessments import *  # noqa: F403
from swstation.cases.forms.cases import *  # noqa: F403
from swstation.cases.forms.records import *  # noqa: F403
