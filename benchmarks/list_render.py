"""Where a list page's time goes (issue 10, "Lists fast at any size"): the first page of the
service records, recipients, payments and certificates lists, as the city bureau and a
district officer, against the page floor (a page rendering ``base.html`` with its menu, as
``benchmarks/lists.py`` defines it), split into SQL, the filter form, the table and the rest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sw_lists_bench \\
        .venv/bin/python benchmarks/list_render.py [--repeat N] [--profile LABEL] [--json FILE]

In-process test client, DEBUG on (SQL times from the query log). The database is only read:
the connection is opened read-only (``default_transaction_read_only``), the sessions live in
signed cookies and the login signals (last login, access log) are not sent, so that the
script can run against a database another benchmark is measuring. ``--profile`` prints the
cProfile of one request (a label of the table, e.g. "page payments") by cumulative time.
"""

import argparse
import contextlib
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, setup_django

USERS = ("city_admin", "jiangbei_officer")
TARGETS = (
    ("floor: page", "/bench-floor/page/"),
    ("page services", "/cases/services/"),
    ("page recipients", "/recipients/"),
    ("page payments", "/workforce/payments/"),
    ("page certificates", "/workforce/certificates/"),
)


class Split:
    """Seconds spent, per request, in a few layers (each timed by wrapping its entry point;
    a layer inside another counts in both: the SQL of the table is in the table too)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def timing(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)
        split = self

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with split.timing(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, wrapped)


def read_only() -> None:
    """Every connection of this process refuses to write."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def refuse_writes(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")

    connection_created.connect(refuse_writes, weak=False)
    connection.close()


def login_client(username: str) -> Any:
    from django.contrib.auth import user_logged_in
    from django.test import Client

    from swstation.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    receivers = user_logged_in.receivers
    user_logged_in.receivers = []  # no last login, no access log: nothing written
    try:
        client.force_login(User.objects.get(username=username))
    finally:
        user_logged_in.receivers = receivers
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", help="print the cProfile of this request (a label)")
    parser.add_argument("--profile-user", default="city_admin")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()

    setup_django()
    read_only()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings
    from lists import floor_urlconf

    split = Split()
    _instrument_layers(split)
    results: list[dict[str, Any]] = []
    cookies = "django.contrib.sessions.backends.signed_cookies"
    with override_settings(ROOT_URLCONF=floor_urlconf(), SESSION_ENGINE=cookies):
        assert settings.DEBUG, "DEBUG must be on (the SQL times come from the query log)"
        for username in USERS:
            client = login_client(username)
            for label, url in TARGETS:
                response = client.get(url)  # the warm-up
                assert response.status_code == 200, (label, username, response.status_code)
                if args.profile and args.profile == label and username == args.profile_user:
                    _profile(lambda: client.get(url), args.lines)  # noqa: B023
            # Round by round, each request once (the floor three times: it is short), so that
            # a change of the machine's load falls on every request alike.
            samples: dict[str, list[dict[str, float]]] = {label: [] for label, _ in TARGETS}
            queries: dict[str, int] = {}
            for _ in range(args.repeat):
                for label, url in TARGETS:
                    for _ in range(3 if label.startswith("floor") else 1):
                        reset_queries()
                        split.seconds.clear()
                        with CaptureQueriesContext(connection) as captured:
                            started = time.perf_counter()
                            client.get(url)
                            ms = (time.perf_counter() - started) * 1000
                        sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
                        sample = {"ms": ms, "sql ms": sql}
                        sample |= {
                            f"{name} ms": split.seconds.get(name, 0.0) * 1000 for name in LAYERS
                        }
                        samples[label].append(sample)
                        queries[label] = len(captured)
            for label, _url in TARGETS:
                row: dict[str, Any] = {"user": username, "label": label, "queries": queries[label]}
                for key in ("ms", "sql ms", *(f"{name} ms" for name in LAYERS)):
                    row[key] = statistics.median(sample[key] for sample in samples[label])
                results.append(row)
    _report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


LAYERS = ("menu", "filter form", "table")


def _instrument_layers(split: Split) -> None:
    import django_tables2.templatetags.django_tables2 as table_tags
    from django.template.library import SimpleNode

    from swstation.core import context_processors

    # The menu: the context processor (settings name it by path: wrap the module's function).
    split.wrap(context_processors, "navigation", "menu")
    # The table: {% render_table %}.
    split.wrap(table_tags.RenderTableNode, "render", "table")
    # The filter form: each {% bootstrap_field %} of the filter panel.
    original = SimpleNode.render

    def render(self: Any, context: Any) -> Any:
        if getattr(self.func, "__name__", "") == "bootstrap_field":
            with split.timing("filter form"):
                return original(self, context)
        return original(self, context)

    SimpleNode.render = render  # type: ignore[method-assign]


def _profile(request: Callable[[], Any], lines: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        request()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)
    print(out.getvalue())


def _report(results: list[dict[str, Any]]) -> None:
    print(f"\nList pages, first page ({machine()}), medians in ms")
    header = f"{'user':<17} {'request':<18} {'ms':>7} {'×floor':>7} {'q':>3} {'sql':>6}"
    header += "".join(f" {name:>11}" for name in LAYERS)
    print(header)
    floors = {r["user"]: r["ms"] for r in results if r["label"].startswith("floor")}
    for r in results:
        ratio = "" if r["label"].startswith("floor") else f"{r['ms'] / floors[r['user']]:.1f}"
        line = f"{r['user']:<17} {r['label']:<18} {r['ms']:7.1f} {ratio:>7} {r['queries']:3d}"
        line += f" {r['sql ms']:6.1f}" + "".join(f" {r[f'{n} ms']:11.1f}" for n in LAYERS)
        print(line)


if __name__ == "__main__":
    main()
