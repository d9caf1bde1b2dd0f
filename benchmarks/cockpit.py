"""The cockpit (数据驾驶舱) as the records grow: the page, the district report and the stats API
at demo size (scale 1: about 30,000 recipients, 300,000 service records) and at ten times that
(scale 10), as the city bureau and a district officer, for several years (``--years``, default
2021, 2023 and this year: a past year must cost no more than the current one, issue 18); the
same page's template rendered with a constant context (the framework's floor); and requests per
second of the main list APIs under concurrent load through gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/swstation_bench \
        .venv/bin/python benchmarks/cockpit.py [--skip-build] [--skip-load] [--repeat N] \
        [--json FILE]

``DATABASE_URL`` names the scale-1 database (default ``swstation_bench``), ``DATABASE_URL_10``
the scale-10 one (default: ``swstation_bench10`` on the same server). A database whose demo is
missing or of another size is built with ``migrate`` and ``demo --flush --scale N`` (scale 10
takes several minutes); ``--skip-build`` measures whatever is there. Each database is measured
in a process of its own (the settings bind one database per process), both kept alive and
driven request by request: after one warm-up request each (whose queries are counted: they must
be the same at every scale), ``--repeat`` rounds time each request once at scale 1 and once at
scale 10 in turn, so that load from other work on the machine falls on both scales alike; the
report gives each scale's median and the ratio of the medians. The load test starts
gunicorn (2 workers, DEBUG off) on a free loopback port and drives it with ``wrk`` for
``--duration`` seconds per endpoint (``wrk`` is installed with apt-get if missing, as root);
only 127.0.0.1 is ever contacted. ``--profile`` prints cProfile's top costs of the cockpit page.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import Request, urlopen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import DEFAULT_URL, _create_database, machine, setup_django, timed

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
RECORDS_PER_SCALE = 300_000  # service records of the demo's last 12 months at scale 1
RECIPIENTS_PER_SCALE = 30_000
USERS = ("city_admin", "jiangbei_officer")
TOKEN_USER = "city_admin"
STATS = ("overview", "breakdown", "regions", "stations")
LOAD_ENDPOINTS = (
    "/api/v1/stats/overview/?year={year}",
    "/api/v1/recipients/",
    "/api/v1/cases/",
    "/api/v1/service-records/",
    "/api/v1/stations/",
    "/api/v1/social-workers/",
)
FLOOR_PATH = "/bench-floor/"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the databases -------------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def inspect_database(url: str) -> dict[str, Any]:
    """Counts of what the demo leaves, without Django (it binds one database per process)."""
    import psycopg

    _create_database(url)
    with psycopg.connect(url, autocommit=True) as conn:

        def table(name: str) -> bool:
            return conn.execute("SELECT to_regclass(%s)", [name]).fetchone()[0] is not None

        def count(sql: str, *params: Any) -> int:
            return int(conn.execute(sql, list(params)).fetchone()[0])

        state: dict[str, Any] = {"records": 0, "recipients": 0, "accounts": 0, "tallies": None}
        if table("cases_servicerecord") and table("recipients_recipient"):
            # The demo's size is its last 12 months (its earlier years are history: issue 18).
            state["records"] = count(
                "SELECT count(*) FROM cases_servicerecord "
                "WHERE served_on > CURRENT_DATE - INTERVAL '365 days'"
            )
            state["all_records"] = count("SELECT count(*) FROM cases_servicerecord")
            state["recipients"] = count("SELECT count(*) FROM recipients_recipient")
        if table("accounts_user"):
            state["accounts"] = count(
                "SELECT count(*) FROM accounts_user WHERE username = ANY(%s)", list(USERS)
            )
        if table("dashboard_tally"):
            state["tallies"] = count("SELECT count(*) FROM dashboard_tally")
        return state


def demo_complete(state: dict[str, Any], scale: int) -> bool:
    records, recipients = state["records"], state["recipients"]
    return (
        0.9 * RECORDS_PER_SCALE * scale <= records <= 1.5 * RECORDS_PER_SCALE * scale
        and 0.8 * RECIPIENTS_PER_SCALE * scale <= recipients <= 1.5 * RECIPIENTS_PER_SCALE * scale
        and state["accounts"] == len(USERS)
    )


def manage(url: str, *arguments: str) -> None:
    """``python -m swstation ...`` against ``url`` with DEBUG on, its output shown as it comes."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    started = time.perf_counter()
    log(f"  $ python -m swstation {' '.join(arguments)}")
    with subprocess.Popen(
        [sys.executable, "-m", "swstation", *arguments],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log(f"  [{time.perf_counter() - started:6.0f} s] {line.rstrip()}")
    if process.returncode:
        sys.exit(f"python -m swstation {arguments[0]} failed ({process.returncode})")


def demo_supports_scale() -> bool:
    help_text = subprocess.run(
        [sys.executable, "-m", "swstation", "demo", "--help"],
        cwd=REPO,
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
    ).stdout
    return "--scale" in help_text


def ensure_demo(url: str, scale: int) -> float:
    """Build the demo at ``scale`` into ``url`` unless it holds it already; seconds spent."""
    started = time.perf_counter()
    name = database_name(url)
    state = inspect_database(url)
    log(
        f"{name}: {state['recipients']:,} recipients, {state['records']:,} service records in "
        f"the last 12 months ({state.get('all_records', 0):,} in all), tallies: {state['tallies']}"
    )
    manage(url, "migrate", "--verbosity", "1")  # a no-op when up to date
    if demo_complete(state, scale):
        log(f"{name}: the demo at scale {scale} is there")
        return time.perf_counter() - started
    arguments = ["demo", "--flush"]
    if scale != 1:
        if not demo_supports_scale():
            sys.exit("`python -m swstation demo` has no --scale yet: cannot build scale 10")
        arguments += ["--scale", str(scale)]
    log(f"{name}: building the demo at scale {scale} (scale 10 takes several minutes)")
    manage(url, *arguments)
    state = inspect_database(url)
    if not demo_complete(state, scale):
        sys.exit(f"{name}: the demo is still incomplete after building it: {state}")
    return time.perf_counter() - started


class Measurer:
    """A measuring process bound to one database (the settings bind one database per
    process), kept alive for the whole run and driven line by line over its stdin/stdout, so
    that the parent can interleave the scales request by request."""

    def __init__(self, url: str, scale: int, args: argparse.Namespace) -> None:
        self.scale = scale
        self.name = database_name(url)
        command = [sys.executable, str(SCRIPT), "--worker", str(scale), "--years", args.years]
        command += ["--repeat", str(args.repeat), "--year", str(args.year)]
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
        log(f"{self.name}: starting the measuring process (scale {scale})")
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            sys.exit(f"the measuring process for scale {self.scale} failed ({code})")
        return dict(json.loads(line))

    def ask(self, op: str, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op, **command}) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.ask("quit")
            self.process.wait(timeout=60)


def measure_interleaved(
    urls: dict[int, str], scales: list[int], args: argparse.Namespace
) -> dict[int, dict[str, Any]]:
    """Every request at every scale: one warm-up request each (its queries counted), then
    ``--repeat`` rounds in which each request is timed once at each scale in turn (scale 1,
    then scale 10, request after request), so that both scales see the same load; the
    medians per scale and their ratio come from those samples."""
    measurers = {scale: Measurer(urls[scale], scale, args) for scale in scales}
    try:
        results = {scale: measurer.read() for scale, measurer in measurers.items()}
        requests = results[scales[0]]["requests"]
        for scale in scales[1:]:
            assert [r["path"] for r in results[scale]["requests"]] == [r["path"] for r in requests]
        for index, request in enumerate(requests):
            for scale in scales:
                results[scale]["requests"][index].update(measurers[scale].ask("warm", i=index))
            log(
                f"  warm-up {request['user']:<17} {request['year']} {request['label']:<22} "
                + " ".join(
                    f"s{scale}: {results[scale]['requests'][index]['status']}, "
                    f"{results[scale]['requests'][index].get('queries', '-')} q"
                    for scale in scales
                )
            )
        timed_requests = [
            index
            for index in range(len(requests))
            if all(results[scale]["requests"][index]["status"] == "ok" for scale in scales)
        ]
        for scale in scales:
            for row in results[scale]["requests"]:
                row["samples"] = []
        started = time.perf_counter()
        for round_number in range(args.repeat):
            for index in timed_requests:
                for scale in scales:
                    sample = measurers[scale].ask("time", i=index)
                    results[scale]["requests"][index]["samples"].append(sample["ms"])
            log(
                f"  round {round_number + 1}/{args.repeat} done "
                f"({time.perf_counter() - started:.0f} s, load average "
                f"{os.getloadavg()[0]:.1f})"
            )
        for scale in scales:
            for row in results[scale]["requests"]:
                if row["samples"]:
                    row["ms"] = statistics.median(row["samples"])
        first = measurers[scales[0]]
        results[scales[0]]["floor"] = first.ask("floor")["floor"]
        results[scales[0]]["token"] = first.ask("token")["token"]
        if args.profile:
            for scale in scales:
                measurers[scale].ask("profile")
    finally:
        for measurer in measurers.values():
            try:
                measurer.close()
            except (OSError, subprocess.TimeoutExpired, SystemExit):
                measurer.process.kill()
    return results


# --- measuring, inside one database's process ----------------------------------------------------


def worker(args: argparse.Namespace) -> None:
    """Answer the parent's commands, one JSON line each way. The protocol has stdout to
    itself: whatever else would print there goes to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    setup_django()

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from swstation.accounts.models import User
    from swstation.cases.models import ServiceRecord
    from swstation.dashboard.models import Tally
    from swstation.dashboard.services import tally_rebuild, tally_refresh
    from swstation.recipients.models import Recipient

    out: dict[str, Any] = {"scale": args.worker, "database": connection.settings_dict["NAME"]}
    if not Tally.objects.exists():
        # Until the demo rebuilds the tallies itself: the cockpit reads nothing but them.
        log("  no tallies: tally_rebuild()")
        started = time.perf_counter()
        tally_rebuild()
        out["tally_rebuild_s"] = time.perf_counter() - started
        log(f"  tally_rebuild(): {out['tally_rebuild_s']:.1f} s")
    tally_refresh()
    # Planner statistics as autovacuum would leave them: a freshly built demo has none for
    # the tables it does not ANALYZE itself (regions, stations, tallies...), and PostgreSQL
    # then plans some joins as if those tables were empty.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out["analyze_s"] = time.perf_counter() - started
    log(f"  {out['database']}: ANALYZE {out['analyze_s']:.1f} s")
    out["rows"] = {
        "recipients": Recipient.objects.count(),
        "service records": ServiceRecord.objects.count(),
        "tallies": Tally.objects.count(),
    }

    def get(client: Client, target: str) -> Any:
        response = client.get(target)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    def warm(client: Client, target: str) -> dict[str, Any]:
        try:
            response = get(client, target)  # the warm-up
        except Exception as error:  # a page being written may raise: report it, don't crash
            return {"status": f"error: {type(error).__name__}: {error}"}
        if response.status_code != 200:
            return {"status": f"HTTP {response.status_code}"}
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = get(client, target)
        return {"status": "ok", "queries": len(queries), "bytes": len(response.content)}

    def once(client: Client, target: str) -> float:
        started = time.perf_counter()
        get(client, target)
        return (time.perf_counter() - started) * 1000

    def measure(client: Client, target: str) -> dict[str, Any]:
        """Warm-up and median of ``--repeat`` in a row (the floor's comparison, one scale)."""
        figures = warm(client, target)
        if figures["status"] == "ok":
            figures["ms"] = timed(lambda: get(client, target), repeat=args.repeat, warmup=0)
        return figures

    clients = {}
    out["requests"] = []
    for username in USERS:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        clients[username] = client
        for measured_year in years(args):
            for label, target in targets(measured_year):
                out["requests"].append(
                    {"user": username, "label": label, "year": measured_year, "path": target}
                )
    send(out)
    cockpit = f"/cockpit/?year={args.year}"
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op in ("warm", "time"):
            request = out["requests"][command["i"]]
            client = clients[request["user"]]
            if op == "warm":
                send(warm(client, request["path"]))
            else:
                send({"ms": once(client, request["path"])})
        elif op == "floor":
            send({"floor": floor_figures(clients, cockpit, measure)})
        elif op == "token":
            from rest_framework.authtoken.models import Token

            token, _created = Token.objects.get_or_create(
                user=User.objects.get(username=TOKEN_USER)
            )
            send({"token": token.key})
        elif op == "profile":
            for username, client in clients.items():
                profile(client, username, cockpit, args.worker)
            send({})
        elif op == "quit":
            send({})
            return


def years(args: argparse.Namespace) -> list[int]:
    return [int(year) for year in args.years.split(",") if year.strip()]


def targets(year: int) -> list[tuple[str, str]]:
    found = [("cockpit page", f"/cockpit/?year={year}")]
    found += [("district report page", f"/cockpit/report/?year={year}")]
    found += [(f"stats/{name} API", f"/api/v1/stats/{name}/?year={year}") for name in STATS]
    return found


def floor_figures(clients: dict[str, Any], cockpit: str, measure: Any) -> list[dict[str, Any]]:
    """The cockpit page against a view that renders the same template with the context the
    cockpit computed once, both through the same URL conf and middleware."""
    import types

    from django.shortcuts import render
    from django.test.utils import override_settings
    from django.urls import include, path

    rows = []
    for username, client in clients.items():
        context = capture_context(client, cockpit)

        def floor(request: Any, context: Any = context) -> Any:
            return render(request, "dashboard/cockpit.html", context)

        urlconf = types.ModuleType(f"cockpit_bench_urls_{username}")
        urlconf.urlpatterns = [  # type: ignore[attr-defined]
            path(FLOOR_PATH.strip("/") + "/", floor),
            path("", include("swstation.urls")),
        ]
        sys.modules[urlconf.__name__] = urlconf
        with override_settings(ROOT_URLCONF=urlconf.__name__):
            rows.append(
                {
                    "user": username,
                    "cockpit": measure(client, cockpit),
                    "floor": measure(client, FLOOR_PATH),
                }
            )
    return rows


def capture_context(client: Any, cockpit: str) -> dict[str, Any]:
    """The context CockpitView hands to ``render`` for ``cockpit``, captured from one request."""
    from unittest import mock

    from swstation.dashboard import views

    captured: dict[str, Any] = {}
    real_render = views.render

    def capture(request: Any, template: str, context: Any = None, **kwargs: Any) -> Any:
        assert template == "dashboard/cockpit.html", template
        captured["context"] = context
        return real_render(request, template, context, **kwargs)

    with mock.patch.object(views, "render", capture):
        response = client.get(cockpit)
    assert response.status_code == 200 and "context" in captured, response.status_code
    return dict(captured["context"])


def profile(client: Any, username: str, target: str, scale: int) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(target)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(r"src/swstation/", 25)  # the project's functions
    stats.sort_stats("tottime").print_stats(20)  # where the time is spent, whoever spends it
    log(f"cProfile of 5 × GET {target} as {username} at scale {scale}:")
    log(stream.getvalue())


# --- load through gunicorn -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    log("wrk is missing: apt-get install wrk")
    if subprocess.run(install, env=env, capture_output=True).returncode:
        log("  apt-get update first")
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(install, env=env, capture_output=True)
    return shutil.which("wrk")


def fetch(url: str, token: str | None = None, timeout: float = 30) -> tuple[int, int]:
    """(status, bytes) of a GET on the loopback server."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        with urlopen(Request(url, headers=headers), timeout=timeout) as response:
            return int(response.status), len(response.read())
    except HTTPError as error:
        return int(error.code), 0


def milliseconds(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figures["rps"] = float(match.group(1))
    if match := re.search(r"Latency\s+([\d.]+)(us|ms|s)\s", output):
        figures["avg_ms"] = milliseconds(*match.groups())
    for name in ("50", "99"):
        if match := re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)", output, re.M):
            figures[f"p{name}_ms"] = milliseconds(*match.groups())
    if match := re.search(r"(\d+) requests in", output):
        figures["requests"] = int(match.group(1))
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: (.*)", output)
    figures["socket_errors"] = match.group(1).strip() if match else ""
    return figures


def load(url: str, token: str, args: argparse.Namespace) -> dict[str, Any]:
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="cockpit-bench-static-") as static_root:
        return serve_and_load(url, token, args, wrk, static_root)


def serve_and_load(
    url: str, token: str, args: argparse.Namespace, wrk: str | None, static_root: str
) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,  # an empty one: the APIs serve no static file
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "swstation.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    command += ["--log-level", "warning", "--timeout", "60"]
    log(f"gunicorn: {args.workers} workers on {base}, DEBUG off, {database_name(url)}")
    server = subprocess.Popen(command, cwd=REPO, env=env)
    out: dict[str, Any] = {"port": port, "wrk": wrk, "endpoints": []}
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                sys.exit(f"gunicorn exited ({server.returncode}) before answering")
            try:
                if fetch(f"{base}/healthz", timeout=2)[0] == 200:
                    break
            except (URLError, OSError):
                pass
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.5)
        for endpoint in LOAD_ENDPOINTS:
            target = endpoint.format(year=args.year)
            row: dict[str, Any] = {"path": target}
            out["endpoints"].append(row)
            status, size = fetch(base + target, token)
            row.update(status=status, bytes=size)
            if status != 200 or wrk is None:
                continue
            run = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
            run += ["--timeout", "10s", "--latency", "-H", "Accept: application/json"]
            run += ["-H", f"Authorization: Token {token}", base + target]
            log(f"  wrk {args.duration} s, {args.connections} connections: {target}")
            result = subprocess.run(run, capture_output=True, text=True, timeout=args.duration + 60)
            row.update(parse_wrk(result.stdout))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log("gunicorn stopped")
    return out


# --- the report ----------------------------------------------------------------------------------


def fmt_ms(figures: dict[str, Any]) -> str:
    return f"{figures['ms']:.1f}" if "ms" in figures else figures["status"]


def fmt_queries(figures: dict[str, Any]) -> str:
    return str(figures["queries"]) if "queries" in figures else "-"


def report(results: dict[int, dict[str, Any]], loaded: dict[str, Any] | None) -> None:
    for scale, result in sorted(results.items()):
        rows = ", ".join(f"{n:,} {what}" for what, n in result["rows"].items())
        extra = f"; ANALYZE {result['analyze_s']:.1f} s"
        if "tally_rebuild_s" in result:
            extra += f"; tally_rebuild() {result['tally_rebuild_s']:.1f} s"
        print(f"scale {scale:>2}: {result['database']}: {rows}{extra}")

    scales = sorted(results)
    repeat = max((len(r.get("samples", [])) for r in results[scales[0]]["requests"]), default=0)
    print()
    print(
        f"median ms of {repeat} requests per scale (queries per request), test client, DEBUG "
        "on; the scales interleaved request by request after a warm-up, the ratio is that of "
        "the medians"
    )
    header = f"{'request':<24} {'user':<17} {'year':>4}"
    for scale in scales:
        header += f" {f'scale {scale} ms':>13} {'q':>4}"
    if len(scales) == 2:
        header += f" {f'{scales[1]}/{scales[0]}':>7}"
    print(header)
    by_key = {
        scale: {(r["user"], r["label"], r.get("year")): r for r in result["requests"]}
        for scale, result in results.items()
    }
    ratios = []
    for row in results[scales[0]]["requests"]:
        key = (row["user"], row["label"], row.get("year"))
        line = f"{row['label']:<24} {row['user']:<17} {row.get('year') or '':>4}"
        for scale in scales:
            figures = by_key[scale].get(key, {"status": "missing"})
            line += f" {fmt_ms(figures):>13} {fmt_queries(figures):>4}"
        if len(scales) == 2:
            small, large = (by_key[scale].get(key, {}) for scale in scales)
            if "ms" in small and "ms" in large:
                ratio = large["ms"] / small["ms"]
                ratios.append((key, ratio))
                line += f" {ratio:>7.2f}"
        print(line)
    unequal = [
        f"{row['label']} ({row['user']}, {row.get('year')}): "
        + ", ".join(f"{by_key[scale].get(key, {}).get('queries', '-')}" for scale in scales)
        for row in results[scales[0]]["requests"]
        for key in [(row["user"], row["label"], row.get("year"))]
        if len({by_key[scale].get(key, {}).get("queries") for scale in scales}) != 1
    ]
    print()
    if unequal:
        print("queries per request differ between the scales (they must not):")
        for line in unequal:
            print(f"  {line}")
    else:
        print(f"queries per request: the same at every scale ({', '.join(map(str, scales))})")
    if ratios:
        print()
        print(f"scale {scales[1]}/{scales[0]} by year (target ≤ 1.3 for every year):")
        for year in sorted({key[2] for key, _ratio in ratios}, key=lambda y: y or 0):
            of_year = [(key, ratio) for key, ratio in ratios if key[2] == year]
            worst = max(of_year, key=lambda item: item[1])
            print(
                f"  {year}: worst {worst[1]:.2f} ({worst[0][1]}, {worst[0][0]}); "
                f"{sum(ratio <= 1.3 for _key, ratio in of_year)} of {len(of_year)} within "
                "target"
            )

    floor = results[scales[0]].get("floor")
    if floor:
        print()
        print(
            f"framework floor (scale {scales[0]}): {FLOOR_PATH} renders dashboard/cockpit.html "
            "with the context the cockpit computed once; same URL conf and middleware"
        )
        print(
            f"{'user':<17} {'cockpit ms':>10} {'q':>4} {'floor ms':>9} {'q':>4} "
            f"{'bytes':>15} {'cockpit/floor (target ≤ 3)':>27}"
        )
        for row in floor:
            page, base = row["cockpit"], row["floor"]
            line = f"{row['user']:<17} {fmt_ms(page):>10} {fmt_queries(page):>4}"
            line += f" {fmt_ms(base):>9} {fmt_queries(base):>4}"
            if "ms" in page and "ms" in base:
                sizes = f"{page['bytes']:,}/{base['bytes']:,}"
                line += f" {sizes:>15} {page['ms'] / base['ms']:>27.2f}"
            print(line)

    if loaded:
        print()
        if loaded["wrk"] is None:
            print("load: wrk is not available (not root, or apt-get failed): not measured")
        print(
            f"load (scale {scales[0]}): gunicorn {loaded['workers']} sync workers on 127.0.0.1, "
            f"DEBUG off; wrk -t{loaded['threads']} -c{loaded['connections']} "
            f"-d{loaded['duration']}s per endpoint, token of {TOKEN_USER}"
        )
        print(
            f"{'endpoint':<36} {'req/s':>8} {'avg ms':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'requests':>9} {'non-2xx':>8} {'bytes':>8}"
        )
        for row in loaded["endpoints"]:
            line = f"{row['path']:<36}"
            if "rps" not in row:
                line += f" HTTP {row['status']}, not loaded" if row["status"] != 200 else ""
                print(line)
                continue
            line += (
                f" {row['rps']:>8.1f} {row.get('avg_ms', 0):>8.1f} {row.get('p50_ms', 0):>8.1f}"
                f" {row.get('p99_ms', 0):>8.1f} {row.get('requests', 0):>9,}"
                f" {row['non_2xx']:>8} {row['bytes']:>8,}"
            )
            if row["socket_errors"]:
                line += f"  socket errors: {row['socket_errors']}"
            print(line)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true", help="measure what is there")
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn/wrk load test")
    parser.add_argument("--scales", default="1,10", help="scales to measure (default 1,10)")
    parser.add_argument(
        "--repeat", type=int, default=7, help="timed requests per scale (median), interleaved"
    )
    this_year = time.localtime().tm_year
    parser.add_argument(
        "--year", type=int, default=this_year, help="the year the load test asks for"
    )
    parser.add_argument(
        "--years",
        default=f"2021,2023,{this_year}",
        help="the years whose cockpit is measured (default 2021, 2023 and this year)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--profile", action="store_true", help="cProfile the cockpit page")
    parser.add_argument("--json", help="write every sample and figure to this file")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.worker is not None:
        worker(args)
        return
    started = time.perf_counter()
    url1 = os.environ.get("DATABASE_URL") or DEFAULT_URL
    url10 = (
        os.environ.get("DATABASE_URL_10")
        or urlparse(url1)._replace(path=f"/{database_name(url1)}10").geturl()
    )
    urls = {1: url1, 10: url10}
    scales = [int(scale) for scale in args.scales.split(",")]
    builds = {}
    if not args.skip_build:
        for scale in scales:
            builds[scale] = ensure_demo(urls[scale], scale)
    load_before = os.getloadavg()
    results = measure_interleaved(urls, scales, args)
    load_after = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1))
    loaded = None
    token = results[scales[0]].get("token")
    if not args.skip_load and token:
        loaded = load(urls[scales[0]], token, args)
        loaded.update(
            workers=args.workers,
            threads=args.threads,
            connections=args.connections,
            duration=args.duration,
        )

    print()
    print(f"machine: {machine()}; PostgreSQL")
    print(
        "load average (1, 5, 15 min) before measuring: "
        + ", ".join(f"{value:.1f}" for value in load_before)
        + "; after: "
        + ", ".join(f"{value:.1f}" for value in load_after)
    )
    for scale, seconds in builds.items():
        print(f"scale {scale:>2}: migrate + demo check/build: {seconds:.0f} s")
    report(results, loaded)
    print()
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
