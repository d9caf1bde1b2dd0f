"""The funds summary, a grant's page and the cockpit's funds figures on a built demo (issue 12,
"Funds", "Performance": the funds pages keep flat query counts as the records grow; the counts
are tested in tests/funds, the times are measured here).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a demo database> \\
        .venv/bin/python benchmarks/funds.py [--repeat N]

As the city bureau, a district officer (海曙区, whose stations share 美好家园's donation) and a
station manager (周巷镇, whose town buys its station's running): the funds summary of this year
and of last year (/funds/), the page of 美好家园's donation (the city's: its shares and its
remainder) and of the largest grant each reader sees, a purchase contract with its instalments,
the grants list, and ``GET /api/v1/stats/overview/`` (with ``funds_by_tier``). For each: the
median time. Nothing is written. (The query counts of the summary and the grant page are held
flat by tests/funds; here only the times.)
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
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from rest_framework.test import APIClient

    from swstation.accounts.models import User
    from swstation.funds.models import ContractInstalment, Expense, Grant, PurchaseContract

    setup_test_environment()  # the test client's host ("testserver") is allowed

    print(f"# {machine()} · {url.rsplit('/', 1)[-1]}")
    shares = Grant.objects.filter(parent__isnull=False).count()
    subsidies = Grant.objects.filter(policy__isnull=False).count()
    print(
        f"grants: {Grant.objects.count():,} (shares {shares:,}, subsidies {subsidies:,}), "
        f"contracts: {PurchaseContract.objects.count():,}, "
        f"instalments: {ContractInstalment.objects.count():,}, "
        f"spending lines: {Expense.objects.count():,}"
    )
    year = timezone.localdate().year
    donation = (
        Grant.objects.filter(allocations__isnull=False).distinct().order_by("-amount", "pk").first()
    )

    def measure(label: str, client: Client, path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        ms = timed(lambda: client.get(path), repeat=args.repeat)
        print(f"{label}: {ms:.0f} ms")

    for username, where in (
        ("city_admin", "宁波市"),
        ("haishu_officer", "海曙区"),
        ("zhouxiang_manager", "周巷镇"),
    ):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            print(f"(no {username} in this database)")
            continue
        client = Client()
        client.force_login(user)
        prefix = user.jurisdiction.prefix
        measure(f"funds summary {year} as {username} ({where})", client, f"/funds/?year={year}")
        measure(
            f"funds summary {year - 1} as {username} ({where})",
            client,
            f"/funds/?year={year - 1}",
        )
        if username == "city_admin" and donation is not None:
            measure(
                f"grant page: the donation {donation.programme} "
                f"({donation.allocations.count()} shares, "
                f"{donation.expenses.count()} spending lines)",
                client,
                donation.get_absolute_url(),
            )
        largest = (
            Grant.objects.filter(region__code__startswith=prefix, parent__isnull=True)
            .exclude(pk=getattr(donation, "pk", None))
            .order_by("-amount", "pk")
            .first()
        )
        if largest is not None:
            measure(
                f"grant page: the largest grant as {username} "
                f"({largest.expenses.count()} spending lines)",
                client,
                largest.get_absolute_url(),
            )
        contract = (
            PurchaseContract.objects.filter(region__code__startswith=prefix)
            .order_by("-amount", "pk")
            .first()
        )
        if contract is not None:
            measure(
                f"purchase contract page as {username} "
                f"({contract.instalments.count()} instalments)",
                client,
                contract.get_absolute_url(),
            )
        measure(f"grants list as {username}", client, "/funds/grants/")
        api = APIClient()
        api.force_authenticate(user)
        measure(
            f"stats overview as {username} (with funds_by_tier)", api, "/api/v1/stats/overview/"
        )


if __name__ == "__main__":
    main()
