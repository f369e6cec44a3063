"""Directives at a province's scale (issue 17, point 10):

    python bench/directives.py [--database-url URL] [--communities 20000] [--skip-server]

1. Makes (once) a province of only areas: 10 cities x 10 counties x 20 townships x 10
   communities = 20,000 communities (cheap: a directive reads areas, not people), and the
   login `province` (supervisor of the province).
2. Times the province's directive to every community (`services.issue_directive`: one read
   of the areas, bulk_create of the receipts). Target < 10 s.
3. Marks 60 % of the receipts acknowledged and 30 % reported with two figures each (half
   of those approved by the level above), then times the progress page of the province
   (`/directives/<pk>/`: totals, the cities' rows, the live sums, the first 50 receivers)
   in this process through Django's test client (median, p95 and CPU of 20), and through
   gunicorn + wrk logged in as `province`. Target p95 < 500 ms.
4. Times the progress page's workbook (`/directives/<pk>/progress.xlsx`: every one of the
   20,000 receivers with its figures), 3 runs.

A PostgreSQL URL names a database of its own: it is created and dropped by this script.
Prints wall and CPU time, and the load average (the machine is shared).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import server  # noqa: E402

TARGET_SEND_S = 10
TARGET_P95_MS = 500
PASSWORD = "bench-directives-1"


def postgres(url, action):
    """Create or drop the database the URL names, from the server's `postgres` database."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{name}"')


def make_province(communities, stdout=print):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from fangkong.areas.models import Area, Level, Role, RoleKind, Worker
    from fangkong.scope import system_scope

    with system_scope(), transaction.atomic():
        if Area.objects.filter(level=Level.PROVINCE).exists():
            return Area.objects.get(level=Level.PROVINCE)
        started = time.perf_counter()
        province = Area.objects.create(code="350000000000", name="福建省", level=Level.PROVINCE)
        townships_each = max(1, communities // (10 * 10 * 10))
        shape = [
            (Level.CITY, 10, 2, 4),
            (Level.COUNTY, 10, 4, 6),
            (Level.TOWNSHIP, townships_each, 6, 9),
            (Level.COMMUNITY, 10, 9, 12),
        ]
        parents = [province]
        for level, each, start, end in shape:
            rows = []
            for parent in parents:
                for i in range(1, each + 1):
                    own = str(i).zfill(end - start)
                    code = (parent.code[:start] + own).ljust(12, "0")
                    rows.append(
                        Area(
                            code=code,
                            name=f"{parent.name[:8]}{i}",
                            level=level,
                            parent_id=parent.pk,
                            path=f"{parent.path}{code}/",
                        )
                    )
            parents = Area.objects.bulk_create(rows, batch_size=2000)
        user = get_user_model().objects.create_user("province", password=PASSWORD)
        worker = Worker.objects.create(
            user=user, area=province, name="省防控办", affiliation=Worker.Affiliation.COMMUNITY
        )
        Role.objects.create(worker=worker, area=province, kind=RoleKind.SUPERVISOR)
        stdout(
            f"made {len(parents)} communities under one province in "
            f"{time.perf_counter() - started:.1f} s"
        )
        return province


def send(province):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fangkong.directives import services

    user = get_user_model().objects.get(username="province")
    now = timezone.now()
    started, cpu = time.perf_counter(), time.process_time()
    directive = services.issue_directive(
        actor=user,
        area=province,
        title="关于做好冬春季疫情防控工作的通知",
        doc_number="闽防〔2026〕1号",
        body="各地：请认真落实。",
        ack_due_at=now + datetime.timedelta(days=1),
        report_due_at=now + datetime.timedelta(days=3),
        figures=["directive_reports_due"],
        asked=["排查场所数"],
        level="community",
    )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    sent = directive.receipts.model.objects.visible_to(user, "directives.view_directivereceipt")
    n = sent.filter(directive=directive).count()
    print(
        f"send to {n} communities: {wall:.2f} s wall, {cpu:.2f} s CPU of this process "
        f"(target < {TARGET_SEND_S} s: {'met' if wall < TARGET_SEND_S else 'NOT met'})",
        flush=True,
    )
    return directive


def progress_made(directive):
    """60 % acknowledged, 30 % reported with their two figures (rows as the service makes)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.directives.models import (
        DirectiveReceipt,
        ImplementationFigure,
        ImplementationReport,
        ReportState,
    )
    from fangkong.scope import system_scope

    now = timezone.now()
    with system_scope(), transaction.atomic():
        receipts = list(
            DirectiveReceipt.objects.filter(directive=directive).values_list(
                "id", "area_id", "area_path"
            )
        )
        acknowledged = [pk for i, (pk, _a, _p) in enumerate(receipts) if i % 10 < 6]
        reported = [row for i, row in enumerate(receipts) if i % 10 < 3]
        for start in range(0, len(acknowledged), 2000):
            DirectiveReceipt.objects.filter(pk__in=acknowledged[start : start + 2000]).update(
                acknowledged_at=now
            )
        approved = {pk for i, (pk, _a, _p) in enumerate(reported) if i % 2 == 0}
        reports = ImplementationReport.objects.bulk_create(
            [
                ImplementationReport(
                    receipt_id=pk,
                    directive=directive,
                    area_id=area,
                    area_path=path,
                    typed={"asked-0": 3},
                    figures={"directive_reports_due": 1},
                    state=ReportState.APPROVED if pk in approved else ReportState.SENT,
                    reviewed_at=now if pk in approved else None,
                )
                for pk, area, path in reported
            ],
            batch_size=2000,
        )
        ImplementationFigure.objects.bulk_create(
            [
                ImplementationFigure(
                    report=report,
                    directive=directive,
                    area_id=report.area_id,
                    area_path=report.area_path,
                    key=key,
                    value=value,
                )
                for report in reports
                for key, value in (("asked-0", 3), ("directive_reports_due", 1))
            ],
            batch_size=2000,
        )
        for start in range(0, len(reported), 2000):
            DirectiveReceipt.objects.filter(
                pk__in=[pk for pk, _a, _p in reported[start : start + 2000]]
            ).update(reported_at=now)
        approved = sorted(approved)
        for start in range(0, len(approved), 2000):
            DirectiveReceipt.objects.filter(pk__in=approved[start : start + 2000]).update(
                approved_at=now
            )
    with connection.cursor() as cursor:  # as autovacuum would after such a load
        cursor.execute("ANALYZE")
    print(f"marked {len(acknowledged)} acknowledged, {len(reported)} reported", flush=True)


def time_page(directive):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="province"))
    url = f"/directives/{directive.pk}/"
    runs, cpu, database = [], [], []
    for _ in range(20):
        started, process = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST="127.0.0.1")
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - process) * 1000)
        database.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, response.status_code
    runs.sort()
    p95 = runs[int(len(runs) * 0.95) - 1]
    print(
        f"progress page {url} in this process, 20 requests: median "
        f"{statistics.median(runs):.0f} ms, p95 {p95:.0f} ms, CPU median "
        f"{statistics.median(cpu):.0f} ms, {len(queries.captured_queries)} queries taking "
        f"{statistics.median(database):.0f} ms (median) (target p95 < {TARGET_P95_MS} ms: "
        f"{'met' if p95 < TARGET_P95_MS else 'NOT met'})",
        flush=True,
    )
    return url


def time_export(directive):
    """The progress workbook of the whole province, 3 times, through the view."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="province"))
    url = f"/directives/{directive.pk}/progress.xlsx"
    runs, cpu = [], []
    for _ in range(3):
        started, process = time.perf_counter(), time.process_time()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - process)
        assert response.status_code == 200, response.status_code
    print(
        f"progress workbook {url}: median {statistics.median(runs):.1f} s wall, "
        f"{statistics.median(cpu):.1f} s CPU, {len(response.content) // 1024} KB",
        flush=True,
    )


def through_server(args, env, url):
    server.ensure_wrk()
    with (
        server.Server(args, env) as running,
        tempfile.NamedTemporaryFile("w", suffix=".lua") as lua,
    ):
        lua.write(server.WRK_REPORT)
        lua.flush()
        cookie = server.log_in(running.base, "province", PASSWORD)
        status, _final, _body = server.fetch(running.base + url, cookie)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        server.wrk(running, url, cookie, args, 2, lua.name)  # warm-up
        for connections in (args.workers, args.connections):
            args.connections = connections
            runs = [
                server.wrk(running, url, cookie, args, args.duration, lua.name)
                for _ in range(args.rounds)
            ]
            r = sorted(runs, key=lambda run: run["p95"])[len(runs) // 2]
            met = r["p95"] < TARGET_P95_MS and not r["bad"]
            print(
                f"progress page through gunicorn ({args.workers} workers), wrk {connections} "
                f"connections, median of {args.rounds} rounds of {args.duration} s: "
                f"{r['rps']:.1f} req/s, p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, "
                f"p99 {r['p99']:.0f} ms, CPU {r['cpu']:.0f} ms a request, {r['kb']:.0f} KB, "
                f"errors {r['bad']} (p95 < {TARGET_P95_MS} ms: {'met' if met else 'NOT met'})",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/fangkong-bench-directives.db")
    parser.add_argument("--communities", type=int, default=20000)
    parser.add_argument("--static-root", default="/tmp/fangkong-bench-static")
    parser.add_argument("--port", type=int, default=8137)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep a PostgreSQL database")
    args = parser.parse_args()
    is_postgres = args.database_url.startswith("postgres")
    if is_postgres:
        postgres(args.database_url, "create")
    else:
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    env = server.bench_env(args)
    os.environ.update(env)
    import django

    django.setup()
    try:
        server.manage(env, "migrate", "--no-input", "-v", "0")
        # The pages name their static files through the manifest, in process too.
        server.manage(env, "collectstatic", "--no-input", "-v", "0")
        province = make_province(args.communities)
        directive = send(province)
        progress_made(directive)
        url = time_page(directive)
        time_export(directive)
        if not args.skip_server:
            through_server(args, env, url)
        load = os.getloadavg()
        print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        if is_postgres and not args.keep:
            from django.db import connections

            connections.close_all()
            postgres(args.database_url, "drop")


if __name__ == "__main__":
    main()
