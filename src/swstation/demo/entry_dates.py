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
same dates (the lag comes from the row's id); a demo already dated is left as it is. The
largest tables (service records, cases: :data:`AT_INSERT`) are dated as they are inserted
(demo/bulk.py, :func:`entered_at`, the same reckoning): the UPDATE then only writes their
rows inserted otherwise (the visits of the visit plans).
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

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
# The tables whose rows demo/bulk.py dates as it inserts them (:func:`entered_at`): the
# UPDATE below finds them dated and rewrites none of them (it used to rewrite the 600,000
# service records, half a minute of the build).
AT_INSERT: dict[str, str] = {"cases_servicerecord": "served_on", "cases_case": "opened_on"}


def entered_at(pk: int, day: date) -> datetime:
    """When the record ``pk`` of the day ``day`` was entered, as the UPDATE below reckons it
    (``LAG``): 10:00 UTC (18:00 in Ningbo) of its day plus its lag."""
    lag = pk % 4 + (9 if pk % 19 == 0 else 0)
    return datetime.combine(day, time(10), tzinfo=UTC) + timedelta(days=lag)


def _postgres(table: str, day: str, lag: str) -> str:
    # 10:00 UTC is 18:00 in Ningbo: entered at the end of the working day. Only the rows
    # entered later than that are written (the others would keep their date).
    entered = (
        f"((({day})::timestamp + interval '10 hours' + ({lag}) * interval '1 day') "
        "AT TIME ZONE 'UTC')"
    )
    return (
        f"UPDATE {table} SET created_at = {entered} "
        f"WHERE {day} IS NOT NULL AND created_at > {entered}"
    )


def _sqlite(table: str, day: str, lag: str) -> str:
    entered = f"datetime({day}, '+10 hours', ({lag}) || ' days')"
    return (
        f"UPDATE {table} SET created_at = {entered} "
        f"WHERE {day} IS NOT NULL AND created_at > {entered}"
    )


def build_entry_dates(log: Callable[[str], None]) -> None:
    # A demo dated before finds nothing to write (a scan of each table).
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
