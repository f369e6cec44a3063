"""Time the daily report pages.

    # a county of 300 communities with a year of reports, into an empty database
    python bench/report_pages.py --database-url sqlite:////tmp/fk_reports.sqlite3 --shape county
    # a province of about 20,000 communities
    python bench/report_pages.py --database-url sqlite:////tmp/fk_province.sqlite3 --shape province
    # computing communities' reports from the records of a bench/generate.py database
    python bench/report_pages.py --database-url sqlite:////tmp/fk_bench.sqlite3 --live

`--shape` (with `--again`: on a database it built before) builds the tree (province → cities → counties → streets → communities) and the
reports straight into an empty database: every community reports on most days (3 % miss a
day, 6 % are late, a third send a zero report), with figures of the registered sections
(small random numbers, most of them zero); the streets send theirs too. Then it times, as a
supervisor of the top area (a login made for the run), the report page of the top area and of
one street for the last report date (whole request through Django's test client, template
included), the selector alone (`day_overview`), the trend JSON (30 days), the day's Excel
table and a 30-day export. `--live` times `registry.compute` (every registered section) for
today, for the communities with the most plans open, and their report page as their worker.

Server time: one warm-up, then `--repeat` runs, a fresh database connection each on SQLite;
median and p95 of the wall time, the number of queries.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGETS = {"county": 200, "province": 1000, "live": 100}  # p95 ms of the top area's page


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--shape", choices=["county", "province"])
    parser.add_argument("--live", action="store_true")
    parser.add_argument("--days", type=int, help="days of reports (county 365, province 30)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--again", action="store_true", help="time a database this script built before"
    )
    args = parser.parse_args()
    if not (args.shape or args.live):
        parser.error("say --shape county|province or --live")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from fangkong.areas.models import Area, Role
    from fangkong.monitoring.models import MonitoringPlan
    from fangkong.scope import system_scope

    random.seed(args.seed)
    if args.shape:
        call_command("migrate", verbosity=0)
    # The bench builds its data and picks its cases from the whole database: system code.
    # Querysets started here keep that scope wherever they run; the pages it times are
    # requested later, outside it, as their users.
    with system_scope():
        system = SimpleNamespace(
            areas=Area.objects.all(), roles=Role.objects.all(), plans=MonitoringPlan.objects.all()
        )
        if args.shape and args.again:
            top = system.areas.filter(level=args.shape).order_by("code").first()
        elif args.shape:
            top = build(system, args.shape, args.days or (365 if args.shape == "county" else 30))
    if args.shape:
        time_pages(args, system, top, args.shape)
    if args.live:
        time_live(args, system)


# --- building -------------------------------------------------------------------------------
# cities, counties per city, streets per county, communities per street
SHAPES = {"county": (1, 1, 10, 30), "province": (9, 10, 15, 15)}


def build(system, shape, days):
    from django.db import connection, transaction

    from fangkong.areas.models import Area, Level

    if system.areas.exists():
        sys.exit("The database already has areas: give an empty one.")
    cities, counties, streets, communities = SHAPES[shape]
    started = time.perf_counter()
    areas = []

    def add(code, name, level, parent):
        area = Area(code=code, name=name, level=level, parent=parent)
        area.path = (parent.path if parent else "/") + code + "/"
        areas.append(area)
        return area

    province = add("350000000000", "福建省", Level.PROVINCE, None)
    for c in range(1, cities + 1):
        city = add(f"35{c:02d}00000000", f"第{c}市", Level.CITY, province)
        for k in range(1, counties + 1):
            county = add(f"35{c:02d}{k:02d}000000", f"第{c}市{k}区", Level.COUNTY, city)
            for s in range(1, streets + 1):
                street = add(
                    f"{county.code[:6]}{s:03d}000", f"{county.name}{s}街道", Level.TOWNSHIP, county
                )
                for m in range(1, communities + 1):
                    add(
                        f"{street.code[:9]}{m:03d}",
                        f"{street.name}{m}社区",
                        Level.COMMUNITY,
                        street,
                    )
    with transaction.atomic():
        for level in ("province", "city", "county", "township", "community"):
            batch = [a for a in areas if a.level == level]
            for area in batch:
                area.parent_id = area.parent.pk if area.parent else None
            Area.objects.bulk_create(batch, batch_size=2000)
    top = province if shape == "province" else next(a for a in areas if a.level == "county")
    print(
        f"areas: {len(areas):,} ({sum(a.level == 'community' for a in areas):,} communities) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    write_reports(areas, days, connection)
    return top


def fake_figures(keys):
    """Most figures zero, a few small: what a day of a community looks like."""
    if random.random() < 0.33:
        return {key: 0 for key in keys}
    return {
        key: (random.choice((0, 0, 0, 1, 2, 5)) if random.random() < 0.4 else 0) for key in keys
    }


def write_reports(areas, days, connection):
    from django.utils import timezone

    from fangkong.reports import registry
    from fangkong.reports.deadlines import due_at

    started = time.perf_counter()
    keys = [figure.key for figure in registry.all_figures()]
    last = timezone.localdate() - datetime.timedelta(days=1)
    reporting = [a for a in areas if a.level in ("community", "township")]
    rows = 0
    sql = (
        "INSERT INTO reports_dailyreport (area_id, area_path, level, day, figures, zero_report, "
        "note, expected, submitted, on_time, version, late, submitted_at, amended_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, '', 0, 0, 0, 1, %s, %s, NULL)"
    )
    with connection.cursor() as cursor:
        for back in range(days):
            day = last - datetime.timedelta(days=back)
            deadline = {level: due_at(level, day) for level in ("community", "township")}
            batch = []
            for area in reporting:
                if random.random() < 0.03:
                    continue
                late = random.random() < 0.06
                sent = deadline[area.level] + datetime.timedelta(
                    minutes=random.randint(1, 300) if late else -random.randint(1, 600)
                )
                figures = fake_figures(keys)
                batch.append(
                    (
                        area.pk,
                        area.path,
                        area.level,
                        day,
                        json.dumps(figures),
                        not any(figures.values()),
                        late,
                        sent,
                    )
                )
            cursor.executemany(sql, batch)
            rows += len(batch)
    from fangkong.reports.sums import rebuild_sums

    for back in range(days):  # what sending them one by one would have kept
        rebuild_sums(last - datetime.timedelta(days=back))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_dailyreport")
            cursor.execute("VACUUM ANALYZE reports_reportsum")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"reports: {rows:,} over {days} days in {time.perf_counter() - started:.1f} s")


# --- timing ---------------------------------------------------------------------------------
def supervisor_of(area):
    from django.contrib.auth import get_user_model

    from fangkong.areas.models import Role, RoleKind, Worker

    username = f"bench-supervisor-{area.code}"
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        worker = Worker.objects.create(
            area=area, name="测试督导", affiliation="community", user=user
        )
        Role.objects.create(worker=worker, area=area, kind=RoleKind.SUPERVISOR)
    return user


def measure(args, name, run, target):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fresh():
        if connection.settings_dict["CONN_MAX_AGE"] == 0:
            connection.close()

    fresh()
    run()
    times = []
    for _ in range(args.repeat):
        fresh()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    flag = "" if target is None or p95 < target else "  OVER TARGET"
    print(
        f"{name:<58} {statistics.median(times):>8.1f} {p95:>8.1f} {len(queries):>7}{flag}",
        flush=True,
    )


def header(title):
    print()
    print(title)
    print(f"{'case':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}")


def get(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def time_pages(args, system, top, shape):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from fangkong.reports.selectors import day_overview

    day = timezone.localdate() - datetime.timedelta(days=1)
    street = system.areas.filter(level="township").within(top).order_by("code").first()
    supervisor = supervisor_of(top)
    client = Client(HTTP_HOST="localhost")
    client.force_login(supervisor)
    target = TARGETS[shape]
    header(
        f"{shape}: report pages for {day} as the supervisor of {top.name}; target p95 < {target} ms"
    )
    for area in (top, street):
        query = f"?day={day.isoformat()}"
        measure(
            args,
            f"page {area.name}",
            get(client, reverse("report_area", args=[area.code]) + query),
            target if area == top else None,
        )
        measure(
            args,
            f"day_overview {area.name}",
            lambda area=area: day_overview(area, day, user=supervisor),
            None,
        )
    measure(
        args,
        f"trend JSON (30 days) {top.name}",
        get(client, reverse("report_trend", args=[top.code]) + f"?day={day}"),
        None,
    )
    measure(
        args,
        f"Excel table {top.name}",
        get(client, reverse("report_workbook", args=[top.code]) + f"?day={day}"),
        None,
    )
    first = day - datetime.timedelta(days=29)
    export = reverse("report_export", args=[top.code]) + f"?first={first}&last={day}"
    measure(args, f"Excel export of 30 days {top.name}", get(client, export), None)


def time_live(args, system):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from fangkong.areas.models import RoleKind
    from fangkong.areas.selectors import counts_by_child
    from fangkong.monitoring.selectors import open_on
    from fangkong.reports import registry

    today = timezone.localdate()
    now = timezone.now()
    communities = list(system.areas.filter(level="community"))
    plans = open_on(system.plans, today)
    counts = counts_by_child(plans, communities)
    busiest = sorted(communities, key=lambda c: -counts.get(c.path, 0))[:3]
    demo = system.roles.filter(worker__user__username="community").select_related("area").first()
    if demo:
        busiest.insert(0, demo.area)
    header(
        f"live: a community's report computed from the records for {today}; target p95 < {TARGETS['live']} ms"
    )
    for community in busiest:
        name = f"{community.name} ({counts.get(community.path, 0)} plans open)"
        measure(
            args,
            f"compute {name}",
            lambda c=community: registry.compute(c, today, now),
            TARGETS["live"],
        )
        role = (
            system.roles.filter(area=community, kind=RoleKind.COMMUNITY_WORKER)
            .select_related("worker")
            .first()
        )
        if role:
            user = role.worker.user
            if user is None:
                from django.contrib.auth import get_user_model

                user = get_user_model().objects.create(username=f"bench-worker-{role.worker.pk}")
                role.worker.user = user
                role.worker.save(update_fields=["user"])
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            url = reverse("report_area", args=[community.code]) + f"?day={today}"
            measure(args, f"page {community.name} as its worker", get(client, url), None)


if __name__ == "__main__":
    main()
