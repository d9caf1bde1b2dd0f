"""Screenshots of pages as their users see them, for a person to look at (not a test).

    .venv/bin/python scripts/screenshots.py OUTDIR [--reuse] [--keep]

Builds the demo city in a scratch PostgreSQL database (``SHOTS_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/swstation_shots: dropped and recreated, never point it at
real data), serves it with ``runserver`` on a free port of 127.0.0.1 and drives Debian's
Chromium (/usr/bin/chromium, never a downloaded browser) through the pages, logged in as the
demo accounts, saving full-page PNGs at a phone's (390×844) and a desktop's (1440×900) size:
``OUTDIR/<viewport>/<nn>-<page>.png``. It also lists, in OUTDIR/report.txt, the texts a Chinese
page should not show (English words, ``None``, escaped HTML, raw msgids...) and the elements
wider than the phone's screen.

--reuse keeps the database of an earlier run (with --keep) instead of building the demo again
(the demo takes a few minutes on a busy machine); --keep leaves the database in place at the
end; --only phone|desktop takes one size; --homes takes the home pages only; --lists the big
lists (plain, filtered, filters open, a region searched by name); --person the person's page
only (as the town's social worker, first screen included, its manager and an
auditor, and the service form opened from it). The pages walked:
each role's home page (and on the phone its first screen), the password pages (own change
and its errors, the city bureau's reset, its errors and the temporary password, the forced
change after a reset), my account, a user's page and the user list, a recipient added with a
number recorded elsewhere, the duplicate-review queue and a review, a recipient's page as an
auditor (age band, masked phones) and as a social worker (the reveal buttons, a number
revealed), a served person of 招宝山街道 with cases, visit plans, services and assessments as
the town's social worker, manager and an auditor (issue 10, the person at the centre), the
recipient list as an auditor, the import page, preview and cancellation, a station edit page
after a stale save, a case after a conflicting step, and any detail page left to
core/object_detail.html's field list.

Needs Debian's chromium and a Chinese font (fonts-noto-cjk: without one every character is a
box); both are checked first.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = Path("/usr/bin/chromium")
# A Chinese browser, as the stations' staff use. (Headless Chromium still draws its own controls
# in English: the file input's "Choose File", a date field's "mm/dd/yyyy". Not the pages' text.)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--lang=zh-CN",
]
PASSWORD = os.environ.get("SWSTATION_DEMO_PASSWORD", "swstation-demo")
DATABASE_URL = os.environ.get(
    "SHOTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/swstation_shots"
)
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1440, "height": 900}},
}
# The reset's target: a demo account nobody else uses in these pages.
RESET_TARGET = "yuehu_worker"
SHOT_PREFIX = "截图"  # names of the records this script creates

os.environ.update(
    {
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "true",
        "BACKGROUND_TASKS": "immediate",
        "DJANGO_SETTINGS_MODULE": "swstation.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Playwright's sync API runs an asyncio loop; Django's ORM is used beside it.
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
)


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


# --- the scratch database ------------------------------------------------------------------------


def database_name() -> str:
    name = DATABASE_URL.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"not a scratch database name: {name}")
    return name


def server_sql(statement: str) -> None:
    import psycopg

    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(statement)


def build_database() -> None:
    name = database_name()
    step(f"scratch database {name}: migrate and build the demo city (a few minutes)")
    server_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    server_sql(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run(
            [PYTHON, "-m", "swstation", *command], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )


def drop_database() -> None:
    step(f"dropping {database_name()}")
    server_sql(f"DROP DATABASE IF EXISTS {database_name()} WITH (FORCE)")


# --- the records the pages show ------------------------------------------------------------------


@dataclass
class Records:
    reset_target: int = 0
    recipient: int = 0
    duplicate_number: str = ""
    cicheng_village: int = 0
    case_ids: list[int] = field(default_factory=list)
    station: int = 0
    person: int = 0  # a served person with the most to show on their page
    defaults: list[tuple[str, str]] = field(default_factory=list)  # (name, url)


def id_number(birth: date, serial: int, area: str) -> str:
    from swstation.recipients.identifiers import id_check_character

    first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_check_character(first17)


def prepare() -> Records:
    """Find the records the pages show, or make them through the services (the script's own
    records are named 截图…; a second run with --reuse finds them again)."""
    import django

    django.setup()
    from django.urls import get_resolver

    from swstation.accounts.models import User
    from swstation.cases.models import Case
    from swstation.core.crypto import decrypt
    from swstation.core.views.registry import _REGISTRY, DEFAULT_DETAIL_TEMPLATE
    from swstation.recipients.models import Recipient
    from swstation.recipients.services import recipient_create
    from swstation.regions.models import Region
    from swstation.stations.models import Station

    records = Records()
    records.reset_target = User.objects.get(username=RESET_TARGET).pk
    cicheng = Region.objects.get(code="330205103000")
    village = Region.objects.filter(parent=cicheng, level="village").order_by("code").first()
    assert village is not None
    records.cicheng_village = village.pk

    # A person of 慈城镇 with a guardian and an emergency contact (their phones masked),
    # recorded by the town's social worker.
    name = f"{SHOT_PREFIX}王阿婆"
    recipient = Recipient.objects.filter(name=name).first()
    if recipient is None:
        recipient = recipient_create(
            actor=User.objects.get(username="cicheng_worker"),
            name=name,
            region=village,
            document_number=id_number(date(1941, 5, 17), 202, "330205"),
            phone="13805741234",
            address="慈城镇民生路88号3幢2单元501室",
            guardian_name="王建国",
            guardian_relation="儿子",
            guardian_phone="13905748765",
            emergency_contact_name="李秀英（邻居，住隔壁502室）",
            emergency_contact_phone="057487654321",
            health_notes="高血压，每日服药；行动需扶助。",
            consent_given=True,
            consent_on=date(2025, 3, 1),
            allow_duplicates=True,
        )
    records.recipient = recipient.pk

    # The number of a person recorded elsewhere in 江北区 (outside 慈城镇): 慈城镇's worker
    # records it again, and the match goes to 江北区's officer.
    elsewhere = (
        Recipient.objects.filter(
            region__code__startswith="330205",
            document_type="resident_id",
            merged_into__isnull=True,
        )
        .exclude(region__code__startswith="330205103")
        .order_by("pk")
        .first()
    )
    assert elsewhere is not None
    records.duplicate_number = decrypt(elsewhere.id_number_encrypted)

    # Open cases of 慈城镇 that move on to a next stage without a goal (a conflicting "move
    # to the next stage"), one per viewport.
    records.case_ids = list(
        Case.objects.filter(
            station__region=cicheng,
            stage__in=["intake", "assessment", "intervention"],
            closure_requested_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:4]
    )
    station = Station.objects.get(region=cicheng, kind="township")
    records.station = station.pk

    # A person 招宝山街道's social worker visits on a plan, with the most open cases and
    # assessments (issue 10: the person's page as the place a worker works from).
    from django.db.models import Count, Q

    served = (
        Recipient.objects.filter(visit_schedules__worker__user__username="zhaobaoshan_worker")
        .annotate(
            open_cases=Count("cases", filter=~Q(cases__stage="closed"), distinct=True),
            assessed=Count("elderly_assessments", distinct=True),
        )
        .order_by("-open_cases", "-assessed", "pk")
        .first()
    )
    records.person = served.pk if served is not None else 0

    # Default detail pages: each model whose detail page is core/object_detail.html's list
    # (the registry fills as the URLconf is imported).
    get_resolver().url_patterns  # noqa: B018
    for pages in [p for registered in _REGISTRY.values() for p in registered]:
        if "detail" not in pages.actions:
            continue
        view: Any = pages.view("detail")
        if getattr(view, "template_name", "") != DEFAULT_DETAIL_TEMPLATE:
            continue
        obj = pages.model._default_manager.order_by("pk").first()
        if obj is not None and hasattr(obj, "get_absolute_url"):
            records.defaults.append((pages.model_name, obj.get_absolute_url()))
    return records


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(log: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "swstation", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(f"{url}/accounts/login/", timeout=5)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"the server did not start: see {log}")
                    time.sleep(1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


# --- what a Chinese page should not show ---------------------------------------------------------

# Run in the page: the visible text's suspicious bits, and elements wider than the viewport.
PAGE_CHECK = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const skip = new Set(["SCRIPT", "STYLE", "CODE", "NOSCRIPT", "TEMPLATE"]);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName)) continue;
    if (parent.closest("code, .font-monospace, [lang=en]")) continue;
    if (!parent.offsetParent && getComputedStyle(parent).position !== "fixed") continue;
    const text = node.textContent.trim();
    if (!text) continue;
    const words = text.match(/[A-Za-z][A-Za-z_']{2,}(\s+[A-Za-z][A-Za-z_']+)*/g) || [];
    for (const w of words) found.push("text: " + w);
    if (/&(amp|lt|gt|quot|#\d+);/.test(text)) found.push("escaped HTML: " + text);
  }
  for (const el of document.querySelectorAll("input[placeholder], [title], [aria-label]")) {
    for (const attr of ["placeholder", "title", "aria-label"]) {
      const value = el.getAttribute(attr) || "";
      if (/[A-Za-z]{3,}/.test(value)) found.push(attr + ": " + value);
    }
  }
  const width = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest(".table-responsive, pre")) continue;
    if (box.right > width + 1) {
      const classes = typeof el.className === "string" && el.className
        ? "." + el.className.split(" ").join(".") : "";
      found.push("overflow: <" + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        classes + "> right edge " + Math.round(box.right) + " > " + width);
    }
  }
  const scrolled = document.documentElement.scrollWidth;
  if (scrolled > width) found.push("page scrolls sideways: " + scrolled);
  return [...new Set(found)];
}"""

# Words that are not a translation's miss: brand names, formats, user names (a_b).
ALLOWED = re.compile(
    r"^(text: )?(SWStation|API|Token|Excel|xlsx|csv|CSV|MZ/T|GB|ID|Authorization|English|"
    r"PNG|PDF|URL|OpenAPI|YYYY|[a-z0-9]+(_[a-z0-9]+)+)$"
)


@dataclass
class Shooter:
    out: Path
    viewport: str
    findings: list[str] = field(default_factory=list)
    count: int = 0

    def shot(self, page: Any, name: str, *, full_page: bool = True) -> None:
        self.count += 1
        page.wait_for_load_state("networkidle")
        path = self.out / self.viewport / f"{self.count:02d}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page)
        problems = [p for p in page.evaluate(PAGE_CHECK) if not ALLOWED.match(p)]
        if self.viewport == "desktop":
            problems = [p for p in problems if not p.startswith(("overflow", "page scrolls"))]
        for problem in problems:
            self.findings.append(f"{path.relative_to(self.out)} ({page.url}): {problem}")
        print(f"  {path.relative_to(self.out)}  {page.url}", flush=True)


# --- the pages -----------------------------------------------------------------------------------


def log_in(context: Any, base: str, username: str, password: str = PASSWORD) -> Any:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    return page


# Each role's home page (issue 10), as the demo account of that role sees it.
HOME_ACCOUNTS = [
    ("social-worker", "zhaobaoshan_worker"),
    ("station-manager", "cicheng_manager"),
    ("supervisor", "jiangbei_supervisor"),
    ("district-officer", "jiangbei_officer"),
    ("city-admin", "city_admin"),
    ("auditor", "city_auditor"),
]


def walk_homes(browser: Any, base: str, shooter: Shooter) -> None:
    """The home page of each role, whole, and on a phone also its first screen (what a
    worker sees without scrolling)."""
    options = {"base_url": base, "locale": "zh-CN", **VIEWPORTS[shooter.viewport]}
    for role, username in HOME_ACCOUNTS:
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        page = log_in(context, base, username)
        shooter.shot(page, f"home-{role}")
        if shooter.viewport == "phone":
            shooter.shot(page, f"home-{role}-first-screen", full_page=False)
        context.close()


def walk(browser: Any, base: str, shooter: Shooter, records: Records, round_: int) -> None:
    options = {"base_url": base, "locale": "zh-CN", **VIEWPORTS[shooter.viewport]}

    def context() -> Any:
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(20_000)
        return ctx

    # A social worker: own password, own account, a recipient with the reveal buttons.
    worker = context()
    page = log_in(worker, base, "cicheng_worker")
    page.goto("/accounts/password/")
    shooter.shot(page, "password-change")
    page.locator("input[name=old_password]").fill("wrong")
    page.locator("input[name=new_password1]").fill("abc")
    page.locator("input[name=new_password2]").fill("abd")
    page.locator("#change-password-submit").click()
    shooter.shot(page, "password-change-errors")
    page.goto("/accounts/profile/")
    shooter.shot(page, "profile")
    page.goto(f"/recipients/{records.recipient}/")
    shooter.shot(page, "recipient-as-worker")
    guardian = page.locator("#number-guardian_phone")
    guardian.locator("button").click()  # no purpose: refused, says so
    page.wait_for_timeout(300)
    guardian.locator("input[name=purpose]").fill("电话回访")
    guardian.locator("button").click()
    page.locator("#number-guardian_phone .revealed-number").wait_for()
    shooter.shot(page, "recipient-as-worker-revealed")
    if round_ == 0:
        # The same number as a record elsewhere in 江北区: saved like any, the match queued.
        page.goto("/recipients/add/")
        page.locator("input[name=name]").fill(f"{SHOT_PREFIX}新登记")
        page.locator("select[name=region]").select_option(str(records.cicheng_village))
        page.locator("input[name=document_number]").fill(records.duplicate_number)
        page.locator("input[name=consent_given]").check()
        page.locator("input[name=consent_on]").fill("2026-01-05")
        shooter.shot(page, "recipient-add")
        page.locator("form.card [type=submit]").click()
        page.wait_for_load_state()
        shooter.shot(page, "recipient-added")
    worker.close()

    # The city bureau: a user's page, the reset, its answer.
    admin = context()
    page = log_in(admin, base, "city_admin")
    page.goto(f"/accounts/users/{records.reset_target}/")
    shooter.shot(page, "user")
    page.goto(f"/accounts/users/{records.reset_target}/password-reset/")
    shooter.shot(page, "user-password-reset")
    page.locator("input[name=password1]").fill("short")
    page.locator("#reset-password-submit").click()
    shooter.shot(page, "user-password-reset-errors")
    page.locator("#reset-password-submit").click()
    temporary = page.locator("#temporary-password").inner_text()
    shooter.shot(page, "user-password-reset-done")
    page.goto(f"/accounts/users/{records.reset_target}/")
    shooter.shot(page, "user-after-reset")
    page.goto("/accounts/users/")
    shooter.shot(page, "user-list")
    for name, url in records.defaults:
        page.goto(url)
        shooter.shot(page, f"default-detail-{name}")
    admin.close()

    # The user whose password was reset logs in: sent to change it.
    target = context()
    page = log_in(target, base, RESET_TARGET, temporary)
    shooter.shot(page, "forced-change-landing")
    page.goto("/recipients/")
    shooter.shot(page, "forced-change-other-page")
    target.close()

    # An auditor: the same recipient, age band and masked phones, no buttons.
    auditor = context()
    page = log_in(auditor, base, "city_auditor")
    page.goto(f"/recipients/{records.recipient}/")
    shooter.shot(page, "recipient-as-auditor")
    page.goto(f"/recipients/?q={SHOT_PREFIX}")
    shooter.shot(page, "recipient-list-as-auditor")
    auditor.close()

    # 江北区's officer: the review queue and a review.
    officer = context()
    page = log_in(officer, base, "jiangbei_officer")
    page.goto("/recipients/duplicate-reviews/")
    shooter.shot(page, "duplicate-reviews")
    link = page.locator("table tbody a").first
    if link.count():
        link.click()
        page.wait_for_load_state()
        shooter.shot(page, "duplicate-review")
    officer.close()

    # A station manager: the import preview with its cancel button; a stale station edit.
    manager = context()
    page = log_in(manager, base, "cicheng_manager")
    workbook = shooter.out / f"服务对象台账{round_ + 1}.xlsx"
    recipients_workbook(workbook, round_)
    page.goto("/recipients/import/")
    shooter.shot(page, "import-start")
    page.locator("#import-upload input[type=file]").set_input_files(str(workbook))
    page.locator("#import-upload [type=submit]").click()
    page.locator(
        "#import-status[data-status=valid], #import-status[data-status=invalid]"
    ).wait_for()
    shooter.shot(page, "import-preview")
    if page.locator("#import-cancel").count():
        page.locator("#import-cancel").click()
        page.wait_for_load_state()
        shooter.shot(page, "import-cancelled")

    other = context()
    page_b = log_in(other, base, "cicheng_manager")
    edit = f"/stations/{records.station}/edit/"
    page.goto(edit)
    page_b.goto(edit)
    shooter.shot(page, "station-edit")
    note = page.locator("textarea[name=note]")
    note.fill(f"{SHOT_PREFIX}：第一位保存 {time.time():.0f}")
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    page_b.locator("textarea[name=note]").fill(f"{SHOT_PREFIX}：第二位保存")
    page_b.locator("main form [type=submit]").first.click()
    page_b.wait_for_load_state()
    shooter.shot(page_b, "station-edit-stale")
    other.close()
    manager.close()

    # A case moved on by someone else meanwhile: the second "move to assessment" is refused.
    if len(records.case_ids) > round_:
        case = records.case_ids[round_]
        first, second = context(), context()
        page = log_in(first, base, "cicheng_manager")
        page_b = log_in(second, base, "cicheng_manager")
        for p in (page, page_b):
            p.goto(f"/cases/{case}/")
        shooter.shot(page_b, "case")
        for p in (page, page_b):
            text = p.locator("#advance-form textarea")
            if text.count():
                text.first.fill("老人独居，近期跌倒一次，需评估居家安全。")
        page.locator("#advance-button").click()
        page.wait_for_load_state()
        page_b.locator("#advance-button").click()
        page_b.wait_for_load_state()
        shooter.shot(page_b, "case-conflict")
        first.close()
        second.close()


def walk_person(browser: Any, base: str, shooter: Shooter, records: Records) -> None:
    """A served person's page as the town's social worker (on a phone also its first screen,
    and the service form its 登记服务 button opens, preset), as the station manager and as the
    city's auditor (masked, no actions)."""
    if not records.person:
        return
    options = {"base_url": base, "locale": "zh-CN", **VIEWPORTS[shooter.viewport]}
    accounts = {
        "worker": "zhaobaoshan_worker",
        "manager": "zhaobaoshan_manager",
        "auditor": "city_auditor",
    }
    for role, username in accounts.items():
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        page = log_in(context, base, username)
        page.goto(f"/recipients/{records.person}/")
        shooter.shot(page, f"person-as-{role}")
        if shooter.viewport == "phone":
            shooter.shot(page, f"person-as-{role}-first-screen", full_page=False)
            folded = page.locator(".overview-toggle.collapsed")
            while folded.count():
                folded.first.click()
            page.wait_for_timeout(500)
            shooter.shot(page, f"person-as-{role}-unfolded")
        action = page.locator("#action-record_service")
        if role == "worker" and action.count():
            action.click()
            page.wait_for_load_state()
            shooter.shot(page, "person-record-service-preset")
        context.close()


# The big lists (issue 10: cards on a phone, filters by name, applied filters as chips), each
# plain and filtered, as the account whose work it is.
LISTS = [
    ("recipients", "zhaobaoshan_worker", "/recipients/", {"region_code": "330211001000"}),
    ("service-records", "cicheng_worker", "/cases/services/", {"service_type": "home_visit"}),
    ("cases", "jiangbei_officer", "/cases/", {"region_code": "330205103000"}),
    ("payments", "city_admin", "/workforce/payments/", {"region_code": "330205000000"}),
]


def walk_lists(browser: Any, base: str, shooter: Shooter) -> None:
    """Each big list plain, filtered (the chips), with its filter panel opened, and a region
    picker opened and searched by name."""
    options = {"base_url": base, "locale": "zh-CN", **VIEWPORTS[shooter.viewport]}
    for name, username, url, params in LISTS:
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        page = log_in(context, base, username)
        page.goto(url)
        shooter.shot(page, f"list-{name}", full_page=shooter.viewport == "desktop")
        page.goto(url + "?" + "&".join(f"{k}={v}" for k, v in params.items()))
        shooter.shot(page, f"list-{name}-filtered", full_page=shooter.viewport == "desktop")
        page.locator("#filter-panel > summary").click()
        shooter.shot(page, f"list-{name}-filters-open", full_page=False)
        picker = page.locator("#filter-form .ts-wrapper").first
        if name == "cases" and picker.count():
            page.locator("#filter-form select[name=region_code] + .ts-wrapper").click()
            page.keyboard.type("慈城")
            page.wait_for_timeout(800)
            shooter.shot(page, f"list-{name}-region-search", full_page=False)
        context.close()


def recipients_workbook(path: Path, round_: int) -> None:
    from openpyxl import Workbook

    from swstation.recipients.importers import RecipientImporter

    headers = [column.header for column in RecipientImporter.columns]
    values = {
        "姓名": f"{SHOT_PREFIX}导入{round_}",
        "证件号码": id_number(date(1950, 1, 1), 400 + round_, "330205"),
        "手机号": "13800000000",
        "所在村(社区)": "330205103201",
        "住址": "慈城镇解放路1号",
        "类别": "独居老人",
        "是否同意": "是",
        "同意日期": "2025-06-01",
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    sheet.append([values.get(header, "") for header in headers])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of a run with --keep"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--only", choices=sorted(VIEWPORTS), help="one viewport")
    parser.add_argument("--homes", action="store_true", help="the home pages only")
    parser.add_argument("--person", action="store_true", help="the person's page only")
    parser.add_argument("--lists", action="store_true", help="the big lists only")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install chromium (never a downloaded browser)")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip():
        sys.exit("no Chinese font: apt-get install fonts-noto-cjk (else every character is a box)")
    out: Path = args.outdir
    for viewport in VIEWPORTS:
        shutil.rmtree(out / viewport, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)

    if not args.reuse:
        build_database()
    try:
        records = Records() if args.homes or args.lists else prepare()
        from playwright.sync_api import sync_playwright

        with server(out / "server.log") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            findings: list[str] = []
            viewports = [args.only] if args.only else list(VIEWPORTS)
            for round_, viewport in enumerate(viewports):
                step(f"{viewport} ({VIEWPORTS[viewport]['viewport']})")
                shooter = Shooter(out, viewport)
                if args.person:
                    walk_person(browser, base, shooter, records)
                    findings += shooter.findings
                    continue
                if args.lists:
                    walk_lists(browser, base, shooter)
                    findings += shooter.findings
                    continue
                walk_homes(browser, base, shooter)
                if not args.homes:
                    walk(browser, base, shooter, records, round_)
                    walk_person(browser, base, shooter, records)
                    walk_lists(browser, base, shooter)
                findings += shooter.findings
            browser.close()
        report = out / "report.txt"
        report.write_text("\n".join(findings) + "\n", encoding="utf-8")
        step(f"{len(findings)} findings in {report}; screenshots in {out}/*/")
    finally:
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
