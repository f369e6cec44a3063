"""Time the visit lists and the overdue list (issue 16, point 10) on a generated database.

    python bench/visits_pages.py --database-url sqlite:////tmp/fk_bench.sqlite3 \
        [--visits 1000000] [--requests 100000] [--repeat 30] [--explain MS] \
        [--roles county,township] [--only "visits made,coverage"]

First, if the database holds fewer than `--visits` household visits, adds them
(`fangkong.demo.visits.write_visits`: each assigned household visited by its responsible
worker over the last 180 days, so many are within the 30-day cycle and many overdue; then
each household's visit state), and the care plans of the key-group tags with their care
visits (`write_care`); with `--requests`, the service requests of `bench/care_pages.py` too
(issue 16 asks the lists with 10^6 residents, 10^5 requests and 10^6 visits). The database is
a throwaway copy: this writes to it.

Then, as the demo logins (grid, community, township, county), through Django's test client
(template included, no network): the overdue households (mine; of the area), the visits
made (all; mine; a month's), the missed care visits (mine; all), the visit coverage page
rolled up per child, and the API's visit and overdue lists. One warm-up, then `--repeat`
requests, a fresh database connection each where the settings close it after a request
(SQLite); median and p95 wall time, median CPU time of this process, the number of queries
and the slowest. `--explain MS` prints the plan of a case's slowest query over MS ms.
`--roles` and `--only` (substrings of the case names) choose what to time. The machine is
often shared: the load average is printed before and after, and CPU ms (this process; on
SQLite the database's work too) is the figure to compare between runs.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import settled

ROLES = ("grid", "community", "township", "county")
TARGET_MS = 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS")
    parser.add_argument("--requests", type=int, default=0)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--only", default="", help="comma-separated substrings of case names")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.db import connection, transaction

    from fangkong.demo.visits import write_care, write_visits
    from fangkong.demo.writer import Writer
    from fangkong.people.models import HouseholdAssignment, Resident
    from fangkong.scope import system_scope
    from fangkong.visits.models import CarePlan, CareVisit, Visit

    # The bench fills and counts the whole database; the pages it times run as their users.
    with system_scope():
        have = Visit.objects.count()
        if have < args.visits:
            households = HouseholdAssignment.objects.count()
            started = time.perf_counter()
            writer = Writer()
            with transaction.atomic():
                write_visits(
                    writer,
                    random.Random(1),
                    days=180,
                    per_household=(args.visits - have) / households,
                    stdout=sys.stdout if os.isatty(1) else None,
                )
                write_care(writer, random.Random(2))
            writer.finish()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for table in ("visit", "householdvisitstate", "careplan", "carevisit"):
                        cursor.execute(f"ANALYZE visits_{table}")
            print(f"written in {time.perf_counter() - started:.0f} s")
        if args.requests:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from care_pages import fill

            fill(args.requests, sys.stdout)
        figures = (
            f"residents {Resident.objects.count():,}, visits {Visit.objects.count():,}, "
            f"care plans {CarePlan.objects.filter(ended_on=None).count():,}, "
            f"care visits {CareVisit.objects.count():,}"
        )
    print(f"database: {connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
    count_coverage()
    Bench(args, connection).run()
    print(f"load average after: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")


def count_coverage():
    """Count every community's coverage (`CoverageCount`) as the morning loop does, timed."""
    try:
        from fangkong.visits.services import recount
    except ImportError:  # before the kept counts
        return
    from fangkong.areas.models import Area, Level
    from fangkong.scope import system_scope

    with system_scope():  # the bench counts every community, as the loop does
        communities = list(Area.objects.filter(level=Level.COMMUNITY))
    started, started_cpu = time.perf_counter(), time.process_time()
    for community in communities:
        recount(community)
    print(
        f"coverage of {len(communities)} communities counted in "
        f"{time.perf_counter() - started:.1f} s ({time.process_time() - started_cpu:.1f} s CPU)"
    )


class Bench:
    def __init__(self, args, connection):
        from django.contrib.auth import get_user_model

        self.args, self.connection = args, connection
        users = get_user_model().objects.select_related("worker")
        self.roles = [role for role in getattr(args, "roles", ",".join(ROLES)).split(",") if role]
        self.users = {name: users.get(username=name) for name in self.roles}
        self.only = [part for part in getattr(args, "only", "").split(",") if part]
        self.clients = {}

    def cases(self):
        from django.urls import reverse

        from fangkong.scope import role_areas

        month = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
        for role in self.roles:
            area = next(iter(role_areas(self.users[role]).values()))
            yield role, "overdue, mine", f"{reverse('visit_due')}?mine=1"
            yield role, "overdue, all I see", reverse("visit_due")
            yield role, "overdue, page 5", f"{reverse('visit_due')}?page=5"
            yield role, "visits made", reverse("visit_list")
            yield role, "visits made, mine", f"{reverse('visit_list')}?mine=true"
            yield role, "visits made, last 30 days", f"{reverse('visit_list')}?date_from={month}"
            yield role, "visits, page 10", f"{reverse('visit_list')}?page=10"
            yield role, "missed care, mine", f"{reverse('care_due')}?mine=1"
            yield role, "missed care, all", reverse("care_due")
            yield role, "care visits made", reverse("care_visit_list")
            yield role, "coverage page", reverse("visit_coverage", args=[area.code])
            yield role, "API visits", "/api/visits/"
            yield role, "API overdue, mine", "/api/overdue-households/?mine=true"

    def run(self):
        print()
        print(
            f"{'account':<10} {'case':<28} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} "
            f"{'queries':>7} {'slowest ms':>10}"
        )
        for role, name, url in self.cases():
            only = getattr(self, "only", None)  # bench/care_pages.py's bench has none
            if not only or any(part in name for part in only):
                self.measure(role, name, url)

    def get(self, role, url):
        from django.test import Client

        client = self.clients.get(role)
        if client is None:
            client = self.clients[role] = Client(HTTP_HOST="localhost")
            client.force_login(self.users[role])
        if self.connection.settings_dict["CONN_MAX_AGE"] == 0:
            self.connection.close()  # as at the end of each request
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def measure(self, role, name, url):
        from django.test.utils import CaptureQueriesContext

        try:
            self.get(role, url)  # warm-up
        except Exception as error:  # a broken case must not hide the others
            print(f"{role:<10} {name:<28} FAILED: {type(error).__name__}: {error}")
            return
        settled()
        times, cpu, slowest = [], [], None
        for _ in range(self.args.repeat):
            with CaptureQueriesContext(self.connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                self.get(role, url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            query = max(queries.captured_queries, key=lambda q: float(q["time"]))
            if slowest is None or float(query["time"]) > float(slowest["time"]):
                slowest = query
        high = p95(times)
        print(
            f"{role:<10} {name:<28} {statistics.median(times):>10.1f} {high:>8.1f} "
            f"{statistics.median(cpu):>7.1f} {len(queries):>7} "
            f"{float(slowest['time']) * 1000:>10.0f}{'  > target' if high > TARGET_MS else ''}",
            flush=True,
        )
        if self.args.explain is not None and float(slowest["time"]) * 1000 >= self.args.explain:
            prefix = "EXPLAIN QUERY PLAN " if self.connection.vendor == "sqlite" else "EXPLAIN "
            with self.connection.cursor() as cursor:
                cursor.execute(prefix + slowest["sql"])
                rows = cursor.fetchall()
            print(f"    {slowest['sql'][:700]}")
            for row in rows:
                print(f"      {row[-1]}")


def p95(times):
    return statistics.quantiles(times, n=20)[-1]


if __name__ == "__main__":
    main()
