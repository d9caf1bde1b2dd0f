"""Matching on a built demo (issue 14, "Performance": matching a post against the 2,000+
seekers of a town answers in well under a second). Times are measured here, not tested.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a demo database> \\
        .venv/bin/python benchmarks/employment.py [--repeat N]

As 慈城镇's social worker (``cicheng_worker``): ``selectors.matches_for_post`` for the open post
with the most seekers free in its season (the SQL narrowing, then matching.py's scores), the
same through its page (``/employment/posts/<id>/matches/``) and the API
(``/api/v1/job-posts/<id>/matches/``), and a seeker's page (the posts that fit them). For each:
the median time (and the selector's queries, a page's status). Nothing is written. The demo's
慈城镇 has 2,100 seekers at every scale (the demo step does not scale them).
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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from rest_framework.test import APIClient

    from swstation.accounts.models import User
    from swstation.employment import selectors
    from swstation.employment.models import JobPost, JobSeeker

    setup_test_environment()  # the test client's host ("testserver") is allowed
    user = User.objects.get(username="cicheng_worker")
    posts = list(JobPost.objects.filter(status="open").select_related("region", "employer"))
    if not posts:
        sys.exit("no open job post: build the demo first")
    post = max(
        posts, key=lambda p: len(selectors.matches_for_post(actor=user, post=p, limit=10_000))
    )
    seeker = JobSeeker.objects.filter(
        station__region__code="330205103000", status="seeking"
    ).first()
    seekers = JobSeeker.objects.filter(region__code__startswith=post.region.code[:9]).count()
    fitting = len(selectors.matches_for_post(actor=user, post=post, limit=10_000))
    page, api = Client(), APIClient()
    page.force_login(user)
    api.force_authenticate(user)
    rows = [
        ("matches_for_post (selector)", lambda: selectors.matches_for_post(actor=user, post=post)),
        (
            "match page",
            lambda: page.get(reverse("employment:jobpost_matches", args=[post.pk])),
        ),
        ("match API", lambda: api.get(reverse("api:jobpost-matches", args=[post.pk]))),
        ("seeker page (posts that fit)", lambda: page.get(seeker.get_absolute_url())),
    ]
    print(f"# employment matching on {url.rsplit('/', 1)[-1]} ({machine()})")
    print(f"post #{post.pk} {post.title}: {seekers} seekers in the town, {fitting} fit")
    print(f"{'what':32} {'median ms':>10} {'answer':>8}")
    for name, call in rows:
        # A page's queries are not seen here (each request closes the connection's log): the
        # selector's are; a page's answer is its status code.
        with CaptureQueriesContext(connection) as queries:
            result = call()
        answer = getattr(result, "status_code", f"{len(queries)} q")
        print(f"{name:32} {timed(call, repeat=args.repeat):10.1f} {answer!s:>8}")


if __name__ == "__main__":
    main()
