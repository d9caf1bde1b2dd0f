"""Recipients and casework figures: the full demo build step by step, then recipient search
(by name and by an exact identity number), the case list, a recipient's page, a case's
timeline and the service record list, as pages and through the API, at demo size (about
30,000 recipients, 3,000 cases, 300,000 service records), as the city bureau, a district
officer and a station manager.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/swstation_bench \
        .venv/bin/python benchmarks/recipients_cases.py [--keep]

``--keep`` reuses a database that already holds the demo instead of rebuilding it. A URL that
answers 404 (not wired yet) or fails is reported as such instead of timed.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, setup_django, timed

url = setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from swstation.accounts.models import User  # noqa: E402
from swstation.cases.models import Case, CaseStage, ServiceRecord  # noqa: E402
from swstation.demo.builder import STEPS  # noqa: E402
from swstation.recipients.crypto import decrypt  # noqa: E402
from swstation.recipients.models import Recipient  # noqa: E402

ZHAOBAOSHAN = "330211001000"
USERS = (
    ("city_admin", "city"),
    ("zhenhai_officer", "镇海区"),
    ("zhaobaoshan_manager", "招宝山街道 station"),
)


def path(name: str, fallback: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def measure(client: Client, target: str) -> tuple[str, float | None, int | None]:
    """(status, median ms, queries of one request); ms and queries None when not timed."""

    def get() -> int:
        response = client.get(target)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return int(response.status_code)

    reset_queries()  # the log keeps the last 9,000 queries only: start from empty
    try:
        with CaptureQueriesContext(connection) as queries:
            status = get()
    except Exception as error:  # a page still being written may raise; report, don't crash
        return f"error: {type(error).__name__}", None, None
    if status == 404:
        return "not available", None, None
    if status != 200:
        return f"HTTP {status}", None, None
    return "ok", timed(get, repeat=5), len(queries)


def build() -> tuple[float, list[tuple[str, float]], list[str]]:
    """``demo --flush`` step by step, in one transaction as the command does."""
    lines: list[str] = []
    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    steps = []
    with transaction.atomic():
        for name, step in STEPS:
            begun = time.perf_counter()
            step(lines.append)
            steps.append((name, time.perf_counter() - begun))
    return time.perf_counter() - started, steps, lines


def main() -> None:
    call_command("migrate", verbosity=0)
    keep = "--keep" in sys.argv and ServiceRecord.objects.exists()
    total, steps, lines = (0.0, [], []) if keep else build()

    # The targets: an elder of 后大街社区 with a closed case at 招宝山街道 if there is one.
    case = (
        Case.objects.filter(station__region__code=ZHAOBAOSHAN, stage=CaseStage.CLOSED)
        .order_by("id")
        .first()
        or Case.objects.order_by("id").first()
    )
    assert case is not None, "no demo cases: build the demo first"
    recipient = Recipient.objects.get(pk=case.recipient_id)
    number = decrypt(recipient.id_number_encrypted)
    recipients_page = path("recipients:recipient_list", "/recipients/")
    recipients_api = path("api:recipient-list", "/api/v1/recipients/")
    records_page = path("cases:servicerecord_list", "/cases/services/")
    records_api = path("api:servicerecord-list", "/api/v1/service-records/")
    requests = (
        ("recipient search by name, page", f"{recipients_page}?q={recipient.name}"),
        ("recipient search by name, API", f"{recipients_api}?q={recipient.name}"),
        ("recipient search by identity number, page", f"{recipients_page}?q={number}"),
        ("recipient search by identity number, API", f"{recipients_api}?q={number}"),
        (
            "recipient page",
            path("recipients:recipient", f"/recipients/{recipient.pk}/", recipient.pk),
        ),
        ("case list page", path("cases:case_list", "/cases/")),
        ("cases API", path("api:case-list", "/api/v1/cases/")),
        ("case timeline page", path("cases:case_timeline", f"/cases/{case.pk}/timeline/", case.pk)),
        ("service record list page", records_page),
        ("service records API", records_api),
    )

    rows = []
    for username, who in USERS:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        for label, target in requests:
            status, ms, count = measure(client, target)
            rows.append((f"{label} ({who})", target, status, ms, count))

    print(f"machine: {machine()}; database: {connection.vendor}")
    if keep:
        print("demo build: skipped (--keep)")
    else:
        print(f"demo build (demo --flush, every step): {total:.1f} s")
        for name, seconds in steps:
            print(f"  {name:<12} {seconds:6.1f} s")
        for line in lines:
            if line.startswith(("recipients:", "cases:")):
                print(f"  {line}")
    print(
        f"rows: {Recipient.objects.count()} recipients, {Case.objects.count()} cases, "
        f"{ServiceRecord.objects.count()} service records"
    )
    print(f"searched: “{recipient.name}” and the identity number of that recipient")
    print(f"{'request':<62} {'median ms':>10} {'queries':>8}  path")
    for label, target, status, ms, count in rows:
        shown = target.replace(number, number[:4] + "…")
        if ms is None:
            print(f"{label:<62} {status:>19}  {shown}")
        else:
            print(f"{label:<62} {ms:>10.1f} {count:>8}  {shown}")


if __name__ == "__main__":
    main()
