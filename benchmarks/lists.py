"""The big lists as the records grow (issue 10, "Lists fast at any size"): service records,
recipients, payments and certificates, on their pages and in the API — the first page, a deep
page (the cursor of page 500, where offset pages read and dropped 12,475 or 24,950 rows), a
search by a person's full name and by a surname, and the pickers' search — at demo size
(scale 1) and ten times that (scale 10), as the city bureau and a district officer; against
the framework's floor (a trivial view through the same middleware and authentication: a DRF
view answering a constant JSON, a page rendering ``base.html`` with nothing in it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sw_lists_bench \\
    DATABASE_URL_10=postgres://postgres@127.0.0.1:5432/sw_lists_bench10 \\
        .venv/bin/python benchmarks/lists.py [--skip-build] [--repeat N] [--json FILE]

The databases are built as ``benchmarks/cockpit.py`` builds them (``migrate``, then ``demo
--flush --scale N`` when the demo is missing or of another size); ``--skip-build`` measures
what is there (after ``migrate``). Each database is measured in a process of its own. Targets:
scale-10 / scale-1 ≤ 1.3 for each request, and a first page within 10× the floor.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import DEFAULT_URL, machine, setup_django, timed
from cockpit import database_name, ensure_demo, log, manage

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
USERS = ("city_admin", "jiangbei_officer")
API_FLOOR = "/bench-floor/api/"
PAGE_FLOOR = "/bench-floor/page/"
DEEP_PAGE = 500
COUNT_PROBE = 100_000  # more rows than page 500 of 50 holds


def run_worker(url: str, scale: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lists-bench-") as folder:
        result = Path(folder) / "result.json"
        command = [sys.executable, str(SCRIPT), "--worker", str(scale), "--result", str(result)]
        command += ["--repeat", str(args.repeat)]
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
        log(f"{database_name(url)}: measuring (scale {scale})")
        completed = subprocess.run(command, cwd=REPO, env=env)
        if completed.returncode:
            sys.exit(f"the measuring process for scale {scale} failed ({completed.returncode})")
        return dict(json.loads(result.read_text()))


# --- inside one database's process ---------------------------------------------------------------


def floor_urlconf() -> str:
    """The project's URLs plus the two trivial views of the floor."""
    import types

    from django.shortcuts import render
    from django.urls import include, path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Floor(APIView):
        def get(self, request: Any) -> Response:
            return Response({"count": 0, "next": None, "previous": None, "results": []})

    def page(request: Any) -> Any:
        return render(request, "base.html", {})

    urlconf = types.ModuleType("lists_bench_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path(API_FLOOR.lstrip("/"), Floor.as_view()),
        path(PAGE_FLOOR.lstrip("/"), page),
        path("", include("swstation.urls")),
    ]
    sys.modules[urlconf.__name__] = urlconf
    return urlconf.__name__


def deep_cursor(queryset: Any, per_page: int) -> str | None:
    """The cursor of page ``DEEP_PAGE`` of ``queryset`` (the row ending page 499), as the
    "next" link of page 499 carries it; of its last full page if the list is shorter (a
    district's recipients at scale 1: 62 pages); None for a list of one page."""
    from swstation.core.keyset import Position, encode_cursor, ordering_keys

    keys = ordering_keys(queryset)
    assert keys is not None
    paths = [key.path for key in keys]
    row = queryset.order_by(*(key.order_by() for key in keys)).values_list(*paths)
    size = row.count() if (DEEP_PAGE - 1) * per_page > row[:COUNT_PROBE].count() else None
    if size is None:
        values = row[(DEEP_PAGE - 1) * per_page - 1]
    elif size > per_page:
        values = row[(size - 1) // per_page * per_page - 1]
    else:
        return None
    return encode_cursor(keys, Position("next", tuple(values)))


def worker(args: argparse.Namespace) -> None:
    setup_django()
    from urllib.parse import quote

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from swstation.accounts.models import User
    from swstation.cases.models import ServiceRecord
    from swstation.recipients.models import Recipient
    from swstation.recipients.selectors import recipient_list

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out: dict[str, Any] = {
        "scale": args.worker,
        "rows": {
            "recipients": Recipient.objects.count(),
            "service records": ServiceRecord.objects.count(),
        },
        "requests": [],
    }

    def measure(client: Client, target: str) -> dict[str, Any]:
        response = client.get(target)  # also the warm-up
        if response.status_code != 200:
            return {"status": f"HTTP {response.status_code}", "ms": None}
        reset_queries()  # the log keeps 9,000 queries: a full one would count 0
        with CaptureQueriesContext(connection) as queries:
            client.get(target)
        ms = timed(lambda: client.get(target), repeat=args.repeat, warmup=0)
        return {"status": "ok", "ms": ms, "queries": len(queries)}

    with override_settings(ROOT_URLCONF=floor_urlconf()):
        for username in USERS:
            user = User.objects.get(username=username)
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(user)
            # A full name of three characters borne by few people in the user's jurisdiction,
            # chosen the same way at every scale; and the commonest surname alone.
            visible = recipient_list(actor=user)
            full_name = (
                visible.filter(name__regex=r"^.{3}$").order_by("pk").values_list("name", flat=True)
            )[100]
            surname = "王"
            records = ServiceRecord.objects.visible_to(user)
            deep = {
                "api services": deep_cursor(records, 50),
                "api recipients": deep_cursor(visible, 50),
                "page services": deep_cursor(records, 25),
                "page recipients": deep_cursor(visible, 25),
            }
            targets = [
                ("floor: API", API_FLOOR),
                ("floor: page", PAGE_FLOOR),
                ("API services, first page", "/api/v1/service-records/"),
                (
                    "API services, page 500",
                    f"/api/v1/service-records/?cursor={deep['api services']}",
                ),
                ("API services, full name", f"/api/v1/service-records/?q={quote(full_name)}"),
                ("API recipients, first page", "/api/v1/recipients/"),
                (
                    "API recipients, page 500",
                    f"/api/v1/recipients/?cursor={deep['api recipients']}",
                ),
                ("API recipients, full name", f"/api/v1/recipients/?q={quote(full_name)}"),
                ("API payments, first page", "/api/v1/payments/"),
                ("API certificates, first page", "/api/v1/certificates/"),
                ("page services, first", "/cases/services/"),
                (
                    "page services, page 500",
                    f"/cases/services/?page=500&cursor={deep['page services']}",
                ),
                ("page services, full name", f"/cases/services/?q={quote(full_name)}"),
                ("page services, surname", f"/cases/services/?q={quote(surname)}"),
                ("page recipients, first", "/recipients/"),
                (
                    "page recipients, page 500",
                    f"/recipients/?page=500&cursor={deep['page recipients']}",
                ),
                ("page recipients, full name", f"/recipients/?q={quote(full_name)}"),
                ("page recipients, surname", f"/recipients/?q={quote(surname)}"),
                ("page payments, first", "/workforce/payments/"),
                ("page certificates, first", "/workforce/certificates/"),
                ("picker: person by name", f"/choices/recipients/recipient/?q={quote(full_name)}"),
            ]
            for label, target in targets:
                if "cursor=None" in target:
                    out["requests"].append(
                        {
                            "user": username,
                            "label": label,
                            "ms": None,
                            "status": "list shorter than 500 pages",
                        }
                    )
                    continue
                figures = measure(client, target)
                out["requests"].append({"user": username, "label": label, **figures})
                log(
                    f"  {username:<17} {label:<30} {figures.get('ms') or 0:8.1f} ms "
                    f"{figures.get('queries', '-'):>3} q {figures['status']}"
                )
    Path(args.result).write_text(json.dumps(out))


# --- the report ----------------------------------------------------------------------------------


def report(results: dict[int, dict[str, Any]]) -> None:
    scales = sorted(results)
    print(f"\nLists as the records grow ({machine()})")
    for scale in scales:
        rows = results[scale]["rows"]
        print(
            f"  scale {scale}: {rows['recipients']:,} recipients, "
            f"{rows['service records']:,} service records"
        )
    by = {
        scale: {(r["user"], r["label"]): r for r in results[scale]["requests"]} for scale in scales
    }
    header = f"{'user':<17} {'request':<30}" + "".join(
        f" {'s' + str(s) + ' ms':>9}" for s in scales
    )
    if len(scales) > 1:
        header += f" {'s10/s1':>7}"
    header += f" {'/floor':>7}"
    print(header)
    for key in by[scales[0]]:
        user, label = key
        cells = []
        values = []
        for scale in scales:
            ms = by[scale].get(key, {}).get("ms")
            values.append(ms)
            cells.append(f" {ms:9.1f}" if ms else f" {'-':>9}")
        line = f"{user:<17} {label:<30}" + "".join(cells)
        if len(scales) > 1:
            ratio = values[-1] / values[0] if values[0] and values[-1] else None
            line += f" {ratio:7.2f}" if ratio else f" {'-':>7}"
        floor_label = "floor: API" if label.startswith("API") else "floor: page"
        floor = by[scales[-1]].get((user, floor_label), {}).get("ms")
        last = values[-1]
        line += f" {last / floor:7.1f}" if floor and last and not label.startswith("floor") else ""
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args)
        return
    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    urls = {
        1: base,
        10: os.environ.get("DATABASE_URL_10")
        or base.rsplit("/", 1)[0] + "/" + database_name(base) + "10",
    }
    results = {}
    for scale in [int(s) for s in args.scales.split(",")]:
        if args.skip_build:
            manage(urls[scale], "migrate", "--verbosity", "1")
        else:
            ensure_demo(urls[scale], scale)
        results[scale] = run_worker(urls[scale], scale, args)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
