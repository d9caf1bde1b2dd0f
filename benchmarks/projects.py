"""A project's page, the projects list and the project figures of the cockpit, on a built demo
(issue 12, "Performance": the project pages keep flat query counts as the records grow).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a demo database> \\
        .venv/bin/python benchmarks/projects.py [--repeat N]

For the projects with the fewest and the most service records (and 招宝山街道's 幸福来敲门), as
the station's manager and the district officer: the page's median time and its number of
queries; then the projects list filtered to those behind schedule (a district), the closing
report and its .xlsx, and ``GET /api/v1/stats/overview/`` of the city (with its
``projects_by_category``). Nothing is written.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    url = setup_django()
    from contextlib import contextmanager

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from rest_framework.test import APIClient

    from swstation.accounts.models import User
    from swstation.cases.models import ServiceRecord
    from swstation.projects.models import Project, ProjectReport

    @contextmanager
    def CaptureQueriesContext(conn):
        seen: list[str] = []

        def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            seen.append(sql)
            return execute(sql, params, many, context)

        with conn.execute_wrapper(wrapper):
            yield seen

    print(f"# {machine()} · {url.rsplit('/', 1)[-1]}")
    print(
        f"service records: {ServiceRecord.objects.count():,}, under a project: "
        f"{ServiceRecord.objects.filter(project__isnull=False).count():,}, projects: "
        f"{Project.objects.count():,}"
    )
    # A service record names its project; the project has no reverse name (cases sits above).
    services = dict(
        ServiceRecord.objects.filter(project__isnull=False)
        .order_by()
        .values_list("project_id")
        .annotate(Count("pk"))
    )
    ranked = sorted(services, key=lambda pk: (services[pk], pk))
    seed = Project.objects.filter(name="幸福来敲门", station__region__code="330211001000").first()
    picked = [ranked[0], ranked[-1]] + ([seed.pk] if seed is not None else [])
    chosen = []
    for pk in picked:
        project = Project.objects.get(pk=pk)
        project.n = services.get(pk, 0)  # type: ignore[attr-defined]
        chosen.append(project)
    admin = User.objects.filter(role="city_admin", is_active=True).order_by("pk").first()

    def client_for(project: Project) -> list[tuple[str, Client]]:
        out = []
        for role, code in (
            ("station_manager", project.station.region.code),
            ("district_officer", project.station.region.code[:6] + "000000"),
        ):
            user = User.objects.filter(role=role, jurisdiction__code=code, is_active=True).first()
            if user is not None:
                client = Client(SERVER_NAME="127.0.0.1")
                client.force_login(user)
                out.append((role, client))
        return out

    for project in chosen:
        if project is None:
            continue
        for role, client in client_for(project):
            url_ = project.get_absolute_url()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url_).status_code == 200
            ms = timed(lambda c=client, u=url_: c.get(u), repeat=args.repeat)
            print(
                f"project page {project.name} ({project.station.name}, {project.n:,} services)"
                f" as {role}: {ms:.0f} ms, {len(queries)} queries"
            )
    if admin is not None:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(admin)
        for label, path in (
            ("projects behind schedule (city)", "/projects/?behind=true"),
            ("projects list (city)", "/projects/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            ms = timed(lambda p=path: client.get(p), repeat=args.repeat)
            print(f"{label}: {ms:.0f} ms, {len(queries)} queries")
        report = ProjectReport.objects.order_by("pk").first()
        if report is not None:
            for label, path in (
                ("closing report", report.get_absolute_url()),
                ("closing report .xlsx", report.get_absolute_url() + "?export=xlsx"),
            ):
                ms = timed(lambda p=path: client.get(p), repeat=args.repeat)
                print(f"{label}: {ms:.0f} ms")
        api = APIClient(SERVER_NAME="127.0.0.1")
        api.force_authenticate(admin)
        path = "/api/v1/stats/overview/"
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        ms = timed(lambda: api.get(path), repeat=args.repeat)
        print(
            f"stats overview (city, with projects_by_category): {ms:.0f} ms, {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
