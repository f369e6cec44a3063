"""Time the resident list, the resident search and the key-group roll-up on a generated database.

    python bench/people_pages.py --database-url sqlite:////tmp/fk_bench.sqlite3 [--repeat 20]
        [--only list|search|rollup] [--explain MS]

As the demo accounts of a county supervisor, a township supervisor, a community worker and a
grid worker: the resident list unfiltered, filtered by a key group and by age and sex, on its
first and on its last page (the pager, `fangkong.web.CappedPaginator`, counts at most `cap`
rows, so the last page it offers is at most page cap / 50 + 1); the search with real values of a resident of the grid (name prefix,
pinyin initials, whole ID number, its last 4 and 6 characters, whole phone, its last 4
digits); and `key_group_counts` for the county and a township.

Server time: when the page `resident_list` exists, requests through Django's test client
(no network, no template instrumentation); otherwise what the page does — ResidentFilter on
`Resident.objects.visible_to` (active residents unless a status is asked for), the capped
count and one page of 50 rows with household, building and area, their key groups — with a
fresh database connection per request where the settings close it after each (SQLite).
One warm-up, then `--repeat` runs; prints the median and p95 of the wall time and the median
CPU time of this process (on SQLite that includes the database; a busy machine inflates the
wall time, not the CPU time) in milliseconds, the number of queries and the slowest one.
`--explain MS` prints the plan of the slowest query of each case when it took MS ms or more.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROLES = ("county", "township", "community", "grid")
PER_PAGE = 50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", choices=["list", "search", "rollup"])
    parser.add_argument("--explain", type=float, metavar="MS")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from fangkong.areas.models import Area, Level
    from fangkong.people.models import Resident
    from fangkong.scope import system_scope

    # The bench's own reads (what to time, how much there is) see the whole database; the
    # pages and querysets it times run as the demo users, outside this scope.
    with system_scope():
        residents = Resident.objects.count()
        rollup_areas = (
            Area.objects.get(level=Level.COUNTY),
            Area.objects.filter(level=Level.TOWNSHIP).order_by("code").first(),
        )
    bench = Bench(args, rollup_areas)
    print(
        f"database: {bench.connection.vendor}, residents: {residents:,}, "
        f"through: {'the page' if bench.page_url else 'the queryset'}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.only in (None, "list"):
        bench.lists()
    if args.only in (None, "search"):
        bench.searches()
    if args.only in (None, "rollup"):
        bench.rollups()


class Bench:
    def __init__(self, args, rollup_areas):
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.urls import NoReverseMatch, reverse

        self.args = args
        self.rollup_areas = rollup_areas
        self.connection = connection
        self.users = {name: get_user_model().objects.get(username=name) for name in ROLES}
        self.clients = {}
        try:
            self.page_url = reverse("resident_list")
        except NoReverseMatch:
            self.page_url = None

    # --- the cases ----------------------------------------------------------------------
    def lists(self):
        cases = [
            ("all", {}),
            ("key group lone_elderly", {"key_group": "lone_elderly"}),
            ("key group disabled", {"key_group": "disabled"}),
            ("age 60–79, female", {"age_min": 60, "age_max": 79, "sex": "female"}),
        ]
        self.header("resident list")
        for role in ROLES:
            for name, params in cases:
                count = self.measure(role, name, params, page=1)
                last = -(-count // PER_PAGE)  # the count stops at cap + 1
                if last > 1:
                    self.measure(role, name, params, page=last)

    def searches(self):
        sample = self.sample()
        cases = [
            ("name prefix", sample.name[:2]),
            ("initials, 2 letters", sample.name_initials[:2]),
            ("initials, 3 letters", sample.name_initials[:3]),
            ("whole ID number", sample.id_number),
            ("ID number, last 4", sample.id_number[-4:]),
            ("ID number, last 6", sample.id_number[-6:]),
            ("whole phone", sample.phone),
            ("phone, last 4", sample.phone[-4:]),
        ]
        self.header(f"resident search (a resident of the grid: {sample.name})")
        for role in ROLES:
            for name, text in cases:
                self.measure(role, f"{name} {text}", {"q": text}, page=1)

    def rollups(self):
        from fangkong.people.selectors import key_group_counts

        print()
        print("key-group counts rolled up (key_group_counts(user, area))")
        print(f"{'area':<20} {'children':>8} {'tags':>8} {'median ms':>10} {'p95 ms':>8}")
        for role, area in zip(("county", "township"), self.rollup_areas, strict=True):
            user = self.users[role]  # the supervisor of that area, as on their page
            children = key_group_counts(user, area)
            times = []
            for _ in range(self.args.repeat):
                self.fresh_connection()
                started = time.perf_counter()
                key_group_counts(user, area)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"{area.name:<20} {len(children):>8} {area.key_group_total:>8,} "
                f"{statistics.median(times):>10.1f} {p95(times):>8.1f}"
            )

    def sample(self):
        """An active resident of the grid worker's grid with a phone (in every role's scope)."""
        from fangkong.people.models import Resident

        return (
            Resident.objects.visible_to(self.users["grid"], "people.view_resident")
            .filter(status=Resident.Status.ACTIVE)
            .exclude(phone_hash="")
            .order_by("id")[7]
        )

    # --- measuring ----------------------------------------------------------------------
    def header(self, title):
        print()
        print(title)
        print(
            f"{'account':<10} {'case':<34} {'page':>4} {'rows':>7} {'median ms':>10} "
            f"{'p95 ms':>8} {'CPU ms':>7} {'queries':>7} {'slowest ms':>10}"
        )

    def measure(self, role, name, params, page):
        from django.test.utils import CaptureQueriesContext

        run = self.through_page if self.page_url else self.through_queryset
        try:
            count = self.through_queryset(role, params, page)
            run(role, params, page)  # warm-up
        except Exception as error:  # a broken case must not hide the others
            print(f"{role:<10} {name:<34} {page:>4} FAILED: {type(error).__name__}: {error}")
            return 0
        times, cpu, slowest = [], [], None
        for _ in range(self.args.repeat):
            with CaptureQueriesContext(self.connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                run(role, params, page)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            query = max(queries.captured_queries, key=lambda q: float(q["time"]))
            if slowest is None or float(query["time"]) > float(slowest["time"]):
                slowest = query
        from fangkong.web import CappedPaginator

        cap = CappedPaginator.cap
        shown = f"{cap:,}+" if count > cap else f"{count:,}"
        print(
            f"{role:<10} {name:<34} {page:>4} {shown:>7} {statistics.median(times):>10.1f} "
            f"{p95(times):>8.1f} {statistics.median(cpu):>7.1f} {len(queries):>7} "
            f"{float(slowest['time']) * 1000:>10.0f}",
            flush=True,
        )
        if self.args.explain is not None and float(slowest["time"]) * 1000 >= self.args.explain:
            self.explain(slowest["sql"])
        return count

    def through_queryset(self, role, params, page):
        from fangkong.people.filters import ResidentFilter
        from fangkong.people.models import Resident
        from fangkong.people.selectors import with_current_key_groups
        from fangkong.web import CappedPaginator

        self.fresh_connection()
        user = self.users[role]
        user.__dict__.pop("_fangkong_roles", None)  # a request finds the roles again
        residents = Resident.objects.visible_to(user, "people.view_resident").select_related(
            "household__building", "area"
        )
        filterset = ResidentFilter(
            {"status": "active", **params}, queryset=residents, request=SimpleNamespace(user=user)
        )
        assert filterset.is_valid(), filterset.errors
        paginator = CappedPaginator(filterset.qs, PER_PAGE)
        rows = with_current_key_groups(paginator.get_page(page).object_list, user=user)
        shown = [(r.id_number_masked, r.phone_masked, r.area.name) for r in rows]
        assert len(shown) <= PER_PAGE
        return paginator.count

    def through_page(self, role, params, page):
        from django.test import Client

        client = self.clients.get(role)
        if client is None:
            client = self.clients[role] = Client(HTTP_HOST="localhost")
            client.force_login(self.users[role])
        response = client.get(f"{self.page_url}?{urlencode({**params, 'page': page})}")
        assert response.status_code == 200, response.status_code

    def fresh_connection(self):
        if self.connection.settings_dict["CONN_MAX_AGE"] == 0:
            self.connection.close()  # as at the end of each request

    def explain(self, sql):
        prefix = "EXPLAIN QUERY PLAN " if self.connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        with self.connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
        print(f"    {sql[:600]}")
        for row in rows:
            print(f"      {row[-1]}")


def p95(times):
    return statistics.quantiles(times, n=20)[-1]


if __name__ == "__main__":
    main()
