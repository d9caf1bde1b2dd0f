"""Pages of casework (cases.py: cases with their stage actions, timeline and printable file,
goals, transfers) and of assessments, service records, visit schedules, the quick entry and the
due list (records.py)."""

from swstation.cases.views.assessments import *  # noqa: F403
from swstation.cases.views.case_choices import CaseChoicesView  # noqa: F401
from swstation.cases.views.cases import *  # noqa: F403
from swstation.cases.views.records import *  # noqa: F403
