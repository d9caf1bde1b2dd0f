"""Exports of the service records (issue 10): rows per second and peak memory of the file a
background export writes (core/export_jobs.py: the list page's table for its user, openpyxl's
write-only workbook or CSV, into the exports storage), city-wide as the city bureau and for
one district as its officer; and the time of a station's export answered in the request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sw_exports_bench \\
        .venv/bin/python benchmarks/exports.py [--scale N] [--skip-build] [--formats xlsx csv]

The database is built with ``demo --flush --scale N`` if it holds no service records. Each
case runs in a process of its own, so that its peak resident memory (``ru_maxrss``) is its
own; the figures are printed as a table (one run per case: a city-wide export takes minutes).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import DEFAULT_URL, machine, setup_django

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
LIST = "cases:servicerecord_list"
# (user, what they export): the city bureau city-wide, a district officer their district.
CASES = (("city_admin", "city-wide"), ("jiangbei_officer", "江北区"))
STATION_MANAGER = "cicheng_manager"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(username: str, fmt: str) -> dict[str, Any]:
    """One background export, as the worker runs it; in this process."""
    from django.contrib.auth import get_user_model

    from swstation.core.export_jobs import export_storage, run_export
    from swstation.core.export_models import ExportJob

    user = get_user_model().objects.get(username=username)
    job = ExportJob.objects.create(
        created_by=user, route=LIST, params={}, format=fmt, title="服务记录", language="zh-hans"
    )
    before = peak_rss_mb()
    started = time.perf_counter()
    status = run_export.call(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    size = job.file_size
    export_storage().delete(job.file)
    job.delete()
    return {
        "status": status,
        "rows": job.total_rows,
        "seconds": seconds,
        "rows_per_second": job.total_rows / seconds if seconds else 0,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_mb": before,
        "file_mb": size / 1024 / 1024,
    }


def run_station(username: str) -> dict[str, Any]:
    """A station's export of its last six months through the list page (answered in the
    request: fewer rows than EXPORT_IMMEDIATE_MAX_ROWS)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    started = time.perf_counter()
    since = timezone.localdate() - timedelta(days=182)
    query = {"export": "xlsx", "served_after": since.isoformat()}
    response = client.get(reverse(LIST), query, SERVER_NAME="localhost")
    if response.status_code != 200 or response.get("Content-Type", "").startswith("text/html"):
        return {"status": response.status_code, "rows": 0, "seconds": 0.0}
    body = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - started
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(body), read_only=True).worksheets[0]
    rows = sum(1 for _ in sheet.iter_rows()) - 1
    return {"status": response.status_code, "rows": rows, "seconds": seconds}


def child(args: argparse.Namespace) -> None:
    setup_django()
    if args.one == "station":
        result = run_station(STATION_MANAGER)
    else:
        username, fmt = args.one.split(":")
        result = run_one(username, fmt)
    print(json.dumps(result))


def ensure_demo(scale: int) -> None:
    setup_django()
    from swstation.cases.models import ServiceRecord

    if ServiceRecord.objects.exists():
        return
    log(f"building the demo at scale {scale}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    arguments = ["demo", "--flush"] + (["--scale", str(scale)] if scale != 1 else [])
    subprocess.run([sys.executable, "-m", "swstation", *arguments], cwd=REPO, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("BACKGROUND_TASKS", "immediate")
    if args.one:
        child(args)
        return
    if not args.skip_build:
        ensure_demo(args.scale)
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    print(f"# Exports of service records — database {database}, scale {args.scale}")
    print(f"# {machine()}")
    print("| who | rows | format | seconds | rows/s | peak RSS MB | file MB |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
    for username, what in CASES:
        for fmt in args.formats:
            out = subprocess.run(
                [sys.executable, str(SCRIPT), "--one", f"{username}:{fmt}"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"| {username} ({what}) | {r['rows']:,} | {fmt} | {r['seconds']:.1f} | "
                f"{r['rows_per_second']:,.0f} | {r['peak_rss_mb']:.0f} | {r['file_mb']:.1f} |",
                flush=True,
            )
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--one", "station"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"\n{STATION_MANAGER}: the station's {r['rows']:,} rows as .xlsx in the request: "
        f"{r['seconds']:.2f} s (HTTP {r['status']})"
    )


if __name__ == "__main__":
    main()
