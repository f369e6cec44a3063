"""Time the health-monitoring day pages' reads on a generated database.

    python bench/monitoring_pages.py --database-url sqlite:////tmp/fk_bench.sqlite3 [--repeat 30]
        [--only grid|community|counts] [--grids 4] [--explain MS]

What the pages will do (`fangkong.monitoring.selectors`), for today's date:
(a) the grid worker's day page: `day_board` of the plans the worker sees in their grid, and
    `status_counts` of its rows, for the grids of the demo logins `grid` and `grid2` and the
    `--grids` grids with the most plans open today;
(b) the community's status page: the same for a community worker over the whole community,
    then filtered by a grid, by a category and by a status (the status is derived, so the page
    filters the rows), for the demo login `community` and the community with the most plans
    open today;
(c) the township's counts of plans, due, done, missed and abnormal checks and open alerts per
    child (`area_day_counts`), for the communities of the demo login `township`'s street, of
    the street with the most communities, and for the county's streets; today and yesterday
    (a whole day of checks).

Grid and community workers without a login are stood in for by an unsaved user holding that
worker's roles (read from the database on every run, as a request would). The day page
`monitoring_board` (今日健康监测) is also requested through Django's test client, template
included, as the demo logins `grid`, `grid2` and `community`, and as the workers of the
busiest grids and community (a login is made for them in the database the first time).

Server time: one warm-up, then `--repeat` runs with a fresh database connection each where
the settings close it after each request (SQLite); median (p50) and p95 of the wall time,
median CPU time of this process (on SQLite that includes the database), the number of
queries and the slowest one. `--explain MS` prints the plan of a case's slowest query when it
took MS ms or more (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGETS = {"grid": 100, "community": 100, "counts": 200}  # p95, ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", choices=["grid", "community", "counts"])
    parser.add_argument(
        "--grids", type=int, default=4, help="busiest grids to time besides the demo ones"
    )
    parser.add_argument("--explain", type=float, metavar="MS")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from fangkong.areas.models import Area, Role
    from fangkong.monitoring.models import HealthCheck, MonitoringPlan
    from fangkong.monitoring.selectors import open_on
    from fangkong.people.models import Resident
    from fangkong.scope import system_scope

    today = timezone.localdate()
    # The bench picks its cases (logins, busiest areas) from the whole database: system code.
    # Querysets started here keep that scope wherever they run; the selectors and pages the
    # bench times are built later, outside it, as their users.
    with system_scope():
        system = SimpleNamespace(
            areas=Area.objects.all(), roles=Role.objects.all(), plans=MonitoringPlan.objects.all()
        )
        figures = (
            f"residents: {Resident.objects.count():,}, plans: {system.plans.count():,} "
            f"({open_on(system.plans, today).count():,} open on {today}), "
            f"checks: {HealthCheck.objects.count():,}"
        )
    bench = Bench(args, system)
    try:
        bench.page_url = reverse("monitoring_board")
    except NoReverseMatch:
        bench.page_url = None
    print(f"database: {bench.connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
    if bench.page_url is None:
        print("The page monitoring_board does not exist here: timing the selectors only.")
    if args.only in (None, "grid"):
        bench.grids(today)
    if args.only in (None, "community"):
        bench.communities(today)
    if args.only in (None, "counts"):
        bench.counts(today)


class Bench:
    def __init__(self, args, system):
        from django.contrib.auth import get_user_model
        from django.db import connection

        self.args = args
        self.system = system  # querysets of the whole database, for choosing the cases
        self.connection = connection
        self.user_model = get_user_model()
        self.page_url = None

    # --- who ------------------------------------------------------------------------------
    def worker_user(self, role):
        """The login of the role's worker, or an unsaved stand-in holding the worker's roles."""
        if role.worker.user_id:
            user = role.worker.user
            user.stand_in_worker = None
        else:
            user = self.user_model(username=f"({role.worker.name})", is_active=True)
            user.stand_in_worker = role.worker_id
        return user

    def login_of(self, role):
        """The login of the role's worker; one is made for a worker without one (the busiest
        community's), so that its page can be requested too. The data set is a throwaway."""
        worker = role.worker
        if not worker.user_id:
            worker.user = self.user_model.objects.create(username=f"bench-worker-{worker.pk}")
            worker.save(update_fields=["user"])
        user = worker.user
        user.stand_in_worker = None
        return user

    def fresh_request(self, user):
        """As at the start of a request: a new connection (SQLite), the roles read again."""
        if self.connection.settings_dict["CONN_MAX_AGE"] == 0:
            self.connection.close()
        user.__dict__.pop("_fangkong_roles", None)
        if user.stand_in_worker:  # what roles_of reads for a login
            user._fangkong_roles = tuple(
                self.system.roles.filter(worker=user.stand_in_worker, worker__is_active=True)
                .order_by("area_path")
                .values_list("area_path", "kind")
            )

    def busiest(self, level, today, n):
        """The `n` areas of a level with the most plans open today."""
        from django.db.models import Count

        from fangkong.monitoring.selectors import open_on

        plans = open_on(self.system.plans, today)
        if level == "grid":
            top = plans.values("area_id").annotate(n=Count("id")).order_by("-n", "area_id")[:n]
            return list(self.system.areas.filter(id__in=[row["area_id"] for row in top]))
        communities = self.system.areas.filter(level=level)
        from fangkong.areas.selectors import counts_by_child

        counts = counts_by_child(plans, list(communities))
        paths = sorted(counts, key=lambda p: -counts[p])[:n]
        return list(communities.filter(path__in=paths))

    def role(self, kind, area=None, username=None):
        roles = self.system.roles.filter(kind=kind).select_related("worker__user", "area")
        if username:
            return roles.filter(worker__user__username=username).first()
        return roles.filter(area=area).order_by("id").first()

    # --- the cases ------------------------------------------------------------------------
    def grids(self, today):
        from fangkong.areas.models import RoleKind
        from fangkong.monitoring.selectors import Records, day_board, status_counts

        roles = [self.role(RoleKind.GRID_WORKER, username=u) for u in ("grid", "grid2")]
        roles += [
            self.role(RoleKind.GRID_WORKER, area=area)
            for area in self.busiest("grid", today, self.args.grids)
        ]
        self.header("(a) grid worker's day page: day_board + status_counts", "grid")
        for role in roles:
            user, grid = self.worker_user(role), role.area

            def run(user=user, grid=grid):
                records = Records.visible_to(user)
                records.plans = records.plans.within(grid)
                rows = day_board(records, today)
                status_counts(rows)
                return len(rows)

            self.measure("grid", f"{user.username} {grid.name} {grid.code[-6:]}", user, run)
            if self.page_url:
                login = self.login_of(role)
                self.measure(
                    "grid",
                    f"page {self.page_url} as {login.username}",
                    login,
                    self.page(login, f"?within={grid.code}"),
                )

    def communities(self, today):
        from fangkong.areas.models import RoleKind
        from fangkong.monitoring.models import MonitoringCategory
        from fangkong.monitoring.selectors import Records, Status, day_board, status_counts

        roles = [self.role(RoleKind.COMMUNITY_WORKER, username="community")]
        roles += [
            self.role(RoleKind.COMMUNITY_WORKER, area=area)
            for area in self.busiest("community", today, 1)
        ]
        twice = MonitoringCategory.objects.filter(checks_per_day=2).order_by("position").first()
        self.header("(b) community status page: day_board + status_counts, filtered", "community")
        for role in roles:
            user, community = self.worker_user(role), role.area
            grid = self.system.areas.filter(parent=community).order_by("code").first()
            cases = [
                ("all", {}, None),
                (f"grid {grid.name}", {"area_path__under": grid.path}, None),
                (f"category {twice.code}", {"category": twice}, None),
                ("status missed", {}, Status.MISSED),
                ("status abnormal", {}, Status.ABNORMAL),
            ]
            for name, filters, status in cases:

                def run(user=user, filters=filters, status=status):
                    records = Records.visible_to(user)
                    records.plans = records.plans.filter(**filters)
                    rows = day_board(records, today)
                    status_counts(rows)  # the tabs count every status
                    if status:
                        rows = [r for r in rows if status in r.statuses]
                    return len(rows)

                self.measure("community", f"{community.name}: {name}", user, run)
            if self.page_url:
                user = self.login_of(role)
                for name, query in (
                    ("all", ""),
                    (f"grid {grid.name}", f"&grid={grid.code}"),
                    ("status missed", "&status=missed"),
                ):
                    self.measure(
                        "community",
                        f"page {community.name}: {name}",
                        user,
                        self.page(user, f"?within={community.code}{query}"),
                    )

    def counts(self, today):
        from django.db.models import Count

        from fangkong.areas.models import Area, Level, RoleKind
        from fangkong.monitoring.selectors import Records, area_day_counts

        county = self.role(RoleKind.SUPERVISOR, username="county")
        township = self.role(RoleKind.SUPERVISOR, username="township")
        widest = (
            self.system.areas.filter(level=Level.TOWNSHIP)
            .annotate(n=Count("children"))
            .order_by("-n", "code")
            .first()
        )
        roles = [township]
        if widest.pk != township.area_id:
            roles.append(self.role(RoleKind.SUPERVISOR, area=widest))
        roles.append(county)
        self.header(
            "(c) area_day_counts(children): plans, due, done, missed, abnormal, alerts", "counts"
        )
        for day, when in ((today, "today"), (today - datetime.timedelta(days=1), "yesterday")):
            for role in roles:
                user, area = self.worker_user(role), role.area

                def run(user=user, area=area, day=day):
                    children = list(
                        Area.objects.visible_to(user, "areas.view_area")
                        .filter(parent=area)
                        .order_by("code")
                    )
                    figures = area_day_counts(Records.visible_to(user), children, day)
                    return sum(f.plans for f in figures)

                self.measure("counts", f"{area.name} ({when})", user, run)

    def page(self, user, query=""):
        from django.test import Client

        client = Client(HTTP_HOST="localhost")
        client.force_login(user)

        def run():
            response = client.get(self.page_url + query)
            assert response.status_code == 200, response.status_code
            return 0

        return run

    # --- measuring ------------------------------------------------------------------------
    def header(self, title, kind):
        print()
        print(f"{title}; target p95 < {TARGETS[kind]} ms")
        print(
            f"{'case':<44} {'rows':>6} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} "
            f"{'queries':>7} {'slowest ms':>10}"
        )

    def measure(self, kind, name, user, run):
        from django.test.utils import CaptureQueriesContext

        try:
            self.fresh_request(user)
            rows = run()  # warm-up
        except Exception as error:  # a broken case must not hide the others
            print(f"{name:<44} FAILED: {type(error).__name__}: {error}")
            return
        times, cpu, slowest = [], [], None
        for _ in range(self.args.repeat):
            self.fresh_request(user)
            with CaptureQueriesContext(self.connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            query = max(queries.captured_queries, key=lambda q: float(q["time"]))
            if slowest is None or float(query["time"]) > float(slowest["time"]):
                slowest = query
        p95 = statistics.quantiles(times, n=20)[-1]
        flag = "" if p95 < TARGETS[kind] else "  OVER TARGET"
        print(
            f"{name:<44} {rows:>6,} {statistics.median(times):>7.1f} {p95:>7.1f} "
            f"{statistics.median(cpu):>7.1f} {len(queries):>7} "
            f"{float(slowest['time']) * 1000:>10.0f}{flag}",
            flush=True,
        )
        if self.args.explain is not None and float(slowest["time"]) * 1000 >= self.args.explain:
            self.explain(slowest["sql"])

    def explain(self, sql):
        prefix = "EXPLAIN QUERY PLAN " if self.connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        with self.connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
        print(f"    {sql[:800]}")
        for row in rows:
            print(f"      {row[-1]}")


if __name__ == "__main__":
    main()
