"""Time the recipients register import (issue 10): a valid register of 2,000 rows (and one of
50,000) checked and imported, in rows per second, and a file of 60,000 rows refused for its
size. On PostgreSQL, as the production site runs:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sw_imports_bench \\
        .venv/bin/python benchmarks/imports.py [--sizes 2000,50000] [--refuse 60000]

The database is created and migrated if needed (the division tree only: the import needs its
villages, the seeded categories and one district officer of 江北区, no demo city). Each size
imports a register of new people (check, then import: every row created), then the same
people again with a changed address (check, then import: every row updated). Every run uses
people the database has never seen, so the script can run again; the timings are those of the
import's own tasks (:func:`validate_import` and :func:`apply_import` called in this process,
as the worker calls them), one run each (a 50,000-row import is minutes, not a micro-timing).
The refused file is timed from the upload's check (what the request does) to the refusal.

The workbooks are written to /tmp/swstation-import-bench/ and reused.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))
from _harness import machine, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sw_imports_bench"
CACHE = Path("/tmp/swstation-import-bench")
JIANGBEI = "330205000000"
HEADERS = [
    "姓名",
    "证件类型",
    "证件号码",
    "性别",
    "出生日期",
    "手机号",
    "所在村(社区)",
    "住址",
    "类别",
    "是否同意",
    "同意日期",
    "登记日期",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "桂英秀兰建国志强丽华明辉海燕春梅国平永红玉珍德胜金凤晓东"
CATEGORIES = ["低保", "独居老人", "低保、残疾人", "特困", "低边"]


def _check_character(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def person(index: int) -> tuple[str, str, date, str]:
    """Person ``index``'s name, identity number, date of birth and sex: no two people share a
    number, nor a name, date of birth and village (the import would refuse them)."""
    birth = date(1930, 1, 1) + timedelta(days=index % 20_000)
    serial = index // 20_000 % 1000  # odd: male
    first17 = f"330205{birth:%Y%m%d}{serial:03d}"
    name = (
        SURNAMES[index // 20_000 % len(SURNAMES)]
        + GIVEN[index // 400_000 % len(GIVEN)]
        + GIVEN[index % 11]
    )
    sex = "男" if serial % 2 else "女"
    return name, first17 + _check_character(first17), birth, sex


def workbook(first: int, rows: int, villages: list[str], *, address: str = "") -> bytes:
    """A register of people ``first`` … ``first + rows - 1`` (cached on disk)."""
    path = CACHE / f"register-v2-{first}-{rows}-{len(villages)}{'-moved' if address else ''}.xlsx"
    if path.exists():
        return path.read_bytes()
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("服务对象台账")
    sheet.append(HEADERS)
    for index in range(first, first + rows):
        name, number, birth, sex = person(index)
        sheet.append(
            [
                name,
                "居民身份证",
                number,
                sex,
                birth.isoformat(),
                f"13{index % 1_000_000_000:09d}",
                villages[index % len(villages)],
                address or f"{villages[index % len(villages)]}{index % 300 + 1}号",
                CATEGORIES[index % len(CATEGORIES)],
                "是",
                "2025-06-01",
                "2025-07-01",
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def world() -> tuple[object, list[str]]:
    """A district officer of 江北区 and the names of its villages that name one village."""
    from collections import Counter

    from swstation.accounts.models import User
    from swstation.core.roles import Role
    from swstation.recipients.importers import village_names
    from swstation.regions.models import Region

    user = User.objects.filter(username="import-bench").first()
    if user is None:
        user = User(
            username="import-bench",
            role=Role.DISTRICT_OFFICER,
            jurisdiction=Region.objects.get(code=JIANGBEI),
        )
        user.set_unusable_password()
        user.save()
    villages = Region.objects.filter(level="village", code__startswith=JIANGBEI[:6])
    names = Counter(n for v in villages for n in village_names(v.name))
    unique = sorted({v.name for v in villages if names[v.name] == 1})
    return user, unique[:40]


def next_first() -> int:
    """The index of the first person no earlier file has held (each job's people are taken
    100,000 indexes apart)."""
    from swstation.core.import_models import ImportJob

    return (ImportJob.objects.count() + 1) * 100_000


def run_job(
    user: object, content: bytes, name: str
) -> tuple[object, tuple[float, float], tuple[float, float]]:
    """Upload, check and import ``content``: the job, and the seconds of the check and of the
    import, each as (wall time, this process's CPU time: the rest is the database's)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from swstation.core.import_models import ImportJob, ImportStatus
    from swstation.core.imports import apply_import, check_upload, start_import, validate_import
    from swstation.recipients.importers import RecipientImporter

    upload = SimpleUploadedFile(name, content)
    content = check_upload(RecipientImporter, upload)
    job = start_import(
        RecipientImporter,
        actor=user,
        file_name=name,
        content=content,
        route="recipients:recipient",
    )
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATING).update(
        status=ImportStatus.PENDING
    )
    started, cpu = time.perf_counter(), time.process_time()
    validate_import.call(job.pk)
    checked = (time.perf_counter() - started, time.process_time() - cpu)
    job.refresh_from_db()
    if job.status != ImportStatus.VALID:
        raise SystemExit(f"{name}: the check found {job.error_count} problems: {job.errors[:3]}")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    started, cpu = time.perf_counter(), time.process_time()
    apply_import.call(job.pk)
    applied = (time.perf_counter() - started, time.process_time() - cpu)
    job.refresh_from_db()
    if job.status != ImportStatus.DONE:
        raise SystemExit(f"{name}: the import failed: {job.message} {job.errors[:3]}")
    return job, checked, applied


def refuse(user: object, rows: int, villages: list[str]) -> tuple[float, str]:
    """Seconds from the upload's check to the refusal of a file of ``rows`` rows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from swstation.core.import_models import ImportStatus
    from swstation.core.imports import ImportFileError, check_upload, start_import, validate_import
    from swstation.recipients.importers import RecipientImporter

    content = workbook(9_000_000, rows, villages)
    started = time.perf_counter()
    try:
        checked = check_upload(RecipientImporter, SimpleUploadedFile("big.xlsx", content))
    except ImportFileError as exc:
        return time.perf_counter() - started, f"at the upload: {exc.message}"
    job = start_import(
        RecipientImporter, actor=user, file_name="big.xlsx", content=checked, route="x"
    )
    validate_import.call(job.pk)
    job.refresh_from_db()
    elapsed = time.perf_counter() - started
    if job.status != ImportStatus.INVALID:
        return elapsed, f"NOT refused: {job.status}"
    return elapsed, f"by the check: {job.message}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,50000")
    parser.add_argument(
        "--update-sizes",
        default="2000",
        help="the sizes whose people are also imported again, changed (default 2000)",
    )
    parser.add_argument("--refuse", type=int, default=60_000)
    args = parser.parse_args()
    url = setup_django(DEFAULT_URL if "DATABASE_URL" not in os.environ else None)
    from django.core.management import call_command
    from django.db import connection

    from swstation.core.actors import SYSTEM
    from swstation.regions.models import Region
    from swstation.regions.services import PACKAGED_DATA, region_import_divisions

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
    user, villages = world()
    print(f"# recipients register import — {machine()}, {connection.vendor}")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"# database {url.rsplit('/', 1)[-1]}, {len(villages)} villages of 江北区, load {load}")
    print(f"{'rows':>7}  {'step':<18}{'seconds':>9}{'rows/s':>9}{'cpu s':>8}")
    for size in (int(s) for s in args.sizes.split(",") if s):
        first = next_first()
        new = workbook(first, size, villages)
        job, checked, applied = run_job(user, new, f"new-{size}.xlsx")
        created = job.result.get("created")
        for step, (seconds, cpu) in (("check (new)", checked), ("import (create)", applied)):
            print(
                f"{size:>7}  {step:<18}{seconds:>9.1f}{size / seconds:>9.0f}{cpu:>8.1f}", flush=True
            )
        if str(size) not in args.update_sizes.split(","):
            print(f"{'':>7}  ({created} created)")
            continue
        moved = workbook(first, size, villages, address="新地址1号")
        job, checked, applied = run_job(user, moved, f"moved-{size}.xlsx")
        updated = job.result.get("updated")
        for step, (seconds, cpu) in (("check (existing)", checked), ("import (update)", applied)):
            print(
                f"{size:>7}  {step:<18}{seconds:>9.1f}{size / seconds:>9.0f}{cpu:>8.1f}", flush=True
            )
        print(f"{'':>7}  ({created} created, {updated} updated)")
    if args.refuse:
        seconds, how = refuse(user, args.refuse, villages)
        print(f"{args.refuse:>7}  {'refused':<18}{seconds:>9.1f}   {how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
