"""Time the area home pages (child areas with their counts) on a generated database.

    python bench/area_pages.py --database-url sqlite:////tmp/fk_bench.sqlite3 [--repeat 20]

Logs in as the demo accounts of each level (county, township, community, grid) and
requests their area page through Django's test client (server time, no network), after
one warm-up request. Prints the median and p95 in milliseconds and the query count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from fangkong.areas.selectors import home_areas
    from fangkong.people.models import Resident
    from fangkong.scope import system_scope

    setup_test_environment()
    with system_scope():  # the bench's own read; the pages below are requested as their users
        residents = Resident.objects.count()
    print(f"database: {connection.vendor}, residents: {residents:,}")
    print(
        f"{'account':<10} {'area':<12} {'children':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    )
    for username in ("county", "township", "community", "grid"):
        user = get_user_model().objects.get(username=username)
        area = home_areas(user)[0]
        client = Client()
        client.force_login(user)
        url = f"/areas/{area.code}/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        children = len(response.context["children"])
        print(
            f"{username:<10} {area.name:<12} {children:>8} {statistics.median(times):>10.1f} "
            f"{p95:>8.1f} {len(queries):>8}"
        )


if __name__ == "__main__":
    main()
