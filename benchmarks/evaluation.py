"""The automatic indicators of a whole round, on a built demo (issue 15, "Performance":
computing them for all 156 stations of a round at demo scale 10 is one background task that
takes seconds, not minutes; opening a station's scorecard keeps a flat query count). Times are
measured here, not tested.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a demo database> \\
        .venv/bin/python benchmarks/evaluation.py [--repeat N]

Measured, for the township stations operating at the end of 2025 and the 2025 period with the
default indicator set: ``measures.measure_stations`` (every measure, each one separately too),
then ``services.evaluation_compute`` of a new round opened for them (measures, 37 scores per
station written, the events), inside a transaction rolled back: nothing stays. Then a
station's scorecard page as the city bureau: time and queries, for a station of the demo's
2025 round.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, setup_django, timed


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = setup_django()
    from django.core.signals import request_started
    from django.db import connection, reset_queries, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from swstation.accounts.models import User
    from swstation.evaluation import measures, services
    from swstation.evaluation.models import (
        DistrictAssessment,
        EvaluationRound,
        IndicatorSet,
        SetStatus,
        StationEvaluation,
    )
    from swstation.recipients.models import Recipient
    from swstation.stations.models import Station, StationKind
    from swstation.stations.selectors import operating_on_q

    setup_test_environment()
    # The test client's requests would clear the captured queries at their start.
    request_started.disconnect(reset_queries)
    admin = User.objects.get(username="city_admin")
    snapshot = date(2025, 12, 31)
    stations = list(
        Station.objects.filter(operating_on_q(day=snapshot), kind=StationKind.TOWNSHIP)
        .select_related("region")
        .order_by("pk")
    )
    period = measures.MeasurePeriod(
        start=date(2025, 1, 1),
        snapshot=snapshot,
        entered_by=timezone.make_aware(timezone.datetime(2026, 1, 7, 23, 59, 59)),
    )
    print(f"# {machine()}")
    print(f"# {url.rsplit('/', 1)[-1]}: {Recipient.objects.count():,} recipients")
    print(f"# {len(stations)} township stations operating on {snapshot}")
    print()
    print("| step | median | queries |")
    print("| --- | ---: | ---: |")
    with CaptureQueriesContext(connection) as queries:
        measures.measure_stations(stations, period)
    whole = timed(lambda: measures.measure_stations(stations, period), repeat=args.repeat)
    print(
        f"| measure_stations, all {len(measures.MEASURES)} measures | {whole / 1000:.2f} s "
        f"| {len(queries)} |"
    )
    for key in measures.MEASURES:
        with CaptureQueriesContext(connection) as queries:
            measures.measure_stations(stations, period, keys=[key])
        one = timed(
            lambda key=key: measures.measure_stations(stations, period, keys=[key]),
            repeat=args.repeat,
        )
        print(f"| · {key} | {one:.0f} ms | {len(queries)} |")

    standard = IndicatorSet.objects.filter(status=SetStatus.PUBLISHED).order_by("version").first()
    if standard is None:
        sys.exit("no published indicator set: migrate first")
    started = time.perf_counter()
    try:
        with transaction.atomic():
            round_ = services.round_create(
                actor=admin,
                name="基准测试轮次",
                kind="annual",
                indicator_set=standard,
                period_start=period.start,
                snapshot_date=snapshot,
            )
            services.round_open(actor=admin, round=round_, stations=stations)
            opened = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                computed = services.evaluation_compute(actor=admin, round=round_)
            done = time.perf_counter()
            raise Rollback
    except Rollback:
        pass
    print(f"| round_open ({len(stations)} stations × {standard}) | {opened - started:.2f} s | |")
    print(f"| evaluation_compute ({computed} stations) | {done - opened:.2f} s | {len(queries)} |")

    # The district assessment (spec §6): every county's figures of 2025, from a new draft,
    # rolled back too.
    annual = EvaluationRound.objects.filter(kind="annual", snapshot_date=snapshot).first()
    try:
        with transaction.atomic():
            DistrictAssessment.objects.filter(year=2025).delete()
            assessment = services.district_assessment_create(
                actor=admin, year=2025, snapshot_date=snapshot, evaluation_round=annual
            )
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                services.district_assessment_compute(actor=admin, assessment=assessment)
                assessed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print(f"| district_assessment_compute (2025) | {assessed:.2f} s | {len(queries)} |")

    evaluation = (
        StationEvaluation.objects.filter(round__name__startswith="2025").order_by("pk").first()
    )
    if evaluation is not None:
        page = Client()
        page.force_login(admin)
        with CaptureQueriesContext(connection) as queries:
            status = page.get(evaluation.get_absolute_url()).status_code
        ms = timed(lambda: page.get(evaluation.get_absolute_url()), repeat=args.repeat)
        print(
            f"| scorecard page ({evaluation.station}) | {ms:.0f} ms ({status}) | {len(queries)} |"
        )


if __name__ == "__main__":
    main()
