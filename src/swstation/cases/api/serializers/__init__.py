"""Serializers of the case API (cases.py: cases, goals, transfers, the stage actions' bodies)
and of assessments, service records and visit schedules (records.py)."""

from swstation.cases.api.serializers.assessments import *  # noqa: F403
from swstation.cases.api.serializers.cases import *  # noqa: F403
from swstation.cases.api.serializers.records import *  # noqa: F403
