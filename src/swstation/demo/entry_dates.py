"""When the demo's records were entered (issue 15; spec/station-evaluation.md §2.1).

The steps before this one write the city's history in bulk, so every record's ``created_at``
is the moment the demo was built. An evaluation round counts only the records entered by its
cut-off (``snapshot_date + entry_grace_days``: no back-filling), so a 2025 round would find
nothing. This step gives each dated record of the stations' work the day it was entered: its
own date (a service's day, a session's, a grant's...) plus a lag of 0 to 3 days, and for about
one record in nineteen a lag of 9 to 12 days (entered late: the C4 indicator, "records entered
within 7 days", sees about 95 % on time). A record is never moved later than it was created
(what the demo dates today stays as it is). Output indicators of projects are dated two weeks
before their project starts (a design written before the start, indicator E2).

One UPDATE per table, in SQL (the ORM has no portable "date plus n days" into a timestamp);
both databases of the quick start and of production are written for. Rerunning it gives the
same dates (the lag comes from the row's id); a demo already dated is left as it is.
"""

from collections.abc import Callable

from django.db import connection
from django.utils import timezone

# table → SQL of the record's own date (a column, or a correlated subquery for a child row).
DATED: dict[str, str] = {
    "cases_servicerecord": "served_on",
    "cases_case": "opened_on",
    "cases_casegoal": "(SELECT c.opened_on FROM cases_case c WHERE c.id = cases_casegoal.case_id)",
    "community_group": "starts_on",
    "community_groupsession": "held_on",
    "community_sessionattendance": (
        "(SELECT s.held_on FROM community_groupsession s"
        " WHERE s.id = community_sessionattendance.session_id)"
    ),
    "community_communityactivity": "held_on",
    "community_proposal": "raised_on",
    "linkage_referral": "sent_on",
    "funds_grant": "granted_on",
    "funds_expense": "spent_on",
    "funds_purchasecontract": "signed_on",
    "funds_contractinstalment": (
        "(SELECT p.signed_on FROM funds_purchasecontract p"
        " WHERE p.id = funds_contractinstalment.contract_id)"
    ),
    "workforce_supervisionsession": "held_on",
    "workforce_course": "held_on",
    "workforce_attendance": (
        "(SELECT c.held_on FROM workforce_course c WHERE c.id = workforce_attendance.course_id)"
    ),
}
# Written before the project starts: (table, date expression, days before).
BEFORE: dict[str, tuple[str, int]] = {
    "projects_projectindicator": (
        "(SELECT p.starts_on FROM projects_project p"
        " WHERE p.id = projects_projectindicator.project_id)",
        14,
    ),
}
LAG = "(id % 4) + CASE WHEN id % 19 = 0 THEN 9 ELSE 0 END"


def _postgres(table: str, day: str, lag: str) -> str:
    # 10:00 UTC is 18:00 in Ningbo: entered at the end of the working day.
    return (
        f"UPDATE {table} SET created_at = LEAST(created_at, "
        f"(({day})::timestamp + interval '10 hours' + ({lag}) * interval '1 day') "
        f"AT TIME ZONE 'UTC') WHERE {day} IS NOT NULL"
    )


def _sqlite(table: str, day: str, lag: str) -> str:
    return (
        f"UPDATE {table} SET created_at = MIN(created_at, "
        f"datetime({day}, '+10 hours', ({lag}) || ' days')) WHERE {day} IS NOT NULL"
    )


def _dated_already() -> bool:
    """A demo built before has its records dated: its first service was entered years ago."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(created_at) FROM cases_servicerecord")
        (first,) = cursor.fetchone()
    if first is None:
        return False
    year = first.year if hasattr(first, "year") else int(str(first)[:4])
    return year < timezone.localdate().year - 1


def build_entry_dates(log: Callable[[str], None]) -> None:
    if _dated_already():
        log("entry dates: already dated")
        return
    statement = _postgres if connection.vendor == "postgresql" else _sqlite
    rows = 0
    with connection.cursor() as cursor:
        for table, day in DATED.items():
            cursor.execute(statement(table, day, LAG))
            rows += max(cursor.rowcount, 0)
        for table, (day, days_before) in BEFORE.items():
            cursor.execute(statement(table, day, f"-{days_before}"))
            rows += max(cursor.rowcount, 0)
    log(f"entry dates: {rows:,} records dated when they were entered")
