"""Time the home pages (今日: what today needs of each role) on a generated database.

    python bench/home_pages.py --database-url sqlite:////tmp/fk_bench.sqlite3 [--repeat 30]

Logs in as the demo accounts of a bench/generate.py database (grid worker `grid`, community
worker `community`, township `township`, county `county`), then as the grid worker of the grid
and the community worker of the community with the most plans open today (a login is made for
them the first time: the data set is a throwaway), and requests `/` through Django's test
client (server time, template included, no network): one warm-up (then what is loaded is
frozen out of the garbage collector, as in the server's workers), then `--repeat` runs. Prints per account the cards and the child areas shown, the median and p95 of the wall
time, the median CPU time of the process (on SQLite that includes the database's work), the
number of queries and the slowest one. Target: p95 under 100 ms for each account.

Run it the day the data was generated: the monitoring figures are those of that day.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import settled

ACCOUNTS = ("grid", "community", "township", "county")
TARGET_MS = 100


def busiest_workers():
    """(label, login) of the grid worker of the grid and the community worker of the community
    with the most plans open today, a login made for each the first time."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone

    from fangkong.areas.models import Area, Role, RoleKind
    from fangkong.areas.selectors import counts_by_child
    from fangkong.monitoring.models import MonitoringPlan
    from fangkong.monitoring.selectors import open_on
    from fangkong.scope import system_scope

    found = []
    with system_scope():  # the bench chooses its cases from the whole database
        plans = open_on(MonitoringPlan.objects.all(), timezone.localdate())
        top = plans.values("area_id").annotate(n=Count("id")).order_by("-n", "area_id").first()
        grid = Area.objects.get(pk=top["area_id"])
        communities = list(Area.objects.filter(level="community"))
        counts = counts_by_child(plans, communities)
        community = max(communities, key=lambda c: counts.get(c.path, 0))
        for label, kind, area in (
            ("busy-grid", RoleKind.GRID_WORKER, grid),
            ("busy-comm", RoleKind.COMMUNITY_WORKER, community),
        ):
            worker = Role.objects.filter(kind=kind, area=area).order_by("id").first().worker
            if not worker.user_id:
                worker.user = get_user_model().objects.create(username=f"bench-worker-{worker.pk}")
                worker.save(update_fields=["user"])
            found.append((label, worker.user))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--accounts", nargs="*", default=list(ACCOUNTS))
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from fangkong.people.models import Resident
    from fangkong.scope import system_scope

    setup_test_environment()
    with system_scope():  # the bench's own read; the pages below are requested as their users
        residents = Resident.objects.count()
    print(f"database: {connection.vendor}, residents: {residents:,}, repeat: {args.repeat}")
    print(
        f"{'account':<10} {'area':<14} {'cards':>5} {'children':>8} {'median ms':>10} "
        f"{'p95 ms':>7} {'cpu ms':>7} {'queries':>7} {'slowest ms':>10}  target"
    )
    users = [(name, get_user_model().objects.get(username=name)) for name in args.accounts]
    users += busiest_workers()
    for username, user in users:
        client = Client()
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, response.status_code
        sections = response.context["sections"]
        settled()
        walls, cpus = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                answer = client.get("/")
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            assert answer.status_code == 200
        p95 = statistics.quantiles(walls, n=20)[-1]
        slowest = max(float(q["time"]) for q in queries.captured_queries) * 1000
        cards = sum(len(s.cards) for s in sections)
        children = sum(len(s.rows) for s in sections)
        area = sections[0].area.name if sections else "—"
        print(
            f"{username:<10} {area:<14} {cards:>5} {children:>8} {statistics.median(walls):>10.1f} "
            f"{p95:>7.1f} {statistics.median(cpus):>7.1f} {len(queries):>7} {slowest:>10.1f}  "
            f"{'met' if p95 < TARGET_MS else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
