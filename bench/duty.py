"""The duty roster's hot paths (issue 16, point 10) on a generated county:

    python bench/duty.py --database-url URL [--connections 100] [--duration 10] [--rounds 3]

1. Gives every community of the county a day and a night post and a roster for 31 days from
   yesterday (made once: about 3 shifts a community a day, 2 % of nights left uncovered).
2. Times the coverage check of the county's rosters for a month as the demo login `county`
   sees them (`selectors.gaps`, the roster page's and the API's call): median and max of 7.
3. Loads one community's public duty page (`/duty/<code>/`, no login) through gunicorn with
   wrk and `--connections` clients (bench/server.py's harness, `bench.duty_settings`).

Use a copy of a generated database (`bench/generate.py`): this adds rows to it.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import server  # noqa: E402

TARGET_COVERAGE_MS = 200
TARGET_PUBLIC_P95_MS = 50


def seed(stdout=print):
    from django.db import transaction
    from django.utils import timezone

    from fangkong.areas.models import Area, Level, Worker
    from fangkong.scope import system_scope
    from fangkong.workforce.models import DutyDesk, DutyPost, DutyRole, DutyShift

    rng = random.Random(16)
    today = timezone.localdate()
    first = today - datetime.timedelta(days=1)
    with system_scope(), transaction.atomic():
        started = time.perf_counter()
        # Communities with a roster of their own (the demo's) are left as they are: a second
        # run adds nothing.
        communities = list(
            Area.objects.filter(level=Level.COMMUNITY)
            .exclude(pk__in=DutyPost.objects.values("area"))
            .order_by("path")
        )
        staff = {}
        for path, pk in Worker.objects.filter(is_active=True).values_list("area_path", "pk"):
            for community in communities:
                if path.startswith(community.path):
                    staff.setdefault(community.pk, []).append(pk)
                    break
        shifts = []
        for community in communities:
            workers = staff.get(community.pk, [])
            if len(workers) < 3:
                continue
            day_post = DutyPost.objects.create(
                area=community,
                name="日班",
                starts=datetime.time(8),
                ends=datetime.time(20),
                needs={DutyRole.LEADER: 1, DutyRole.OFFICER: 1},
            )
            night_post = DutyPost.objects.create(
                area=community,
                name="夜班",
                starts=datetime.time(20),
                ends=datetime.time(8),
                needs={DutyRole.OFFICER: 1},
            )
            DutyDesk.objects.create(area=community, hotline="0595-22000000")
            n = len(workers)
            for i in range(31):
                start = timezone.make_aware(
                    datetime.datetime.combine(first + datetime.timedelta(days=i), datetime.time(8))
                )
                rows = [
                    (day_post, workers[0], DutyRole.LEADER, start),
                    (day_post, workers[1 + i % (n - 1)], DutyRole.OFFICER, start),
                ]
                if rng.random() >= 0.02:
                    night = start + datetime.timedelta(hours=12)
                    rows.append(
                        (night_post, workers[1 + (i + 1) % (n - 1)], DutyRole.OFFICER, night)
                    )
                for post, worker, role, begins in rows:
                    shifts.append(
                        DutyShift(
                            area=community,
                            area_path=community.path,
                            post=post,
                            worker_id=worker,
                            role=role,
                            starts_at=begins,
                            ends_at=begins + datetime.timedelta(hours=12),
                        )
                    )
        DutyShift.objects.bulk_create(shifts, batch_size=2000)
        stdout(
            f"seeded {len(communities)} communities, {len(shifts)} shifts "
            f"in {time.perf_counter() - started:.1f} s"
        )


def time_coverage():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fangkong.areas.models import Area, Level
    from fangkong.scope import system_scope
    from fangkong.workforce import selectors

    user = get_user_model().objects.get(username="county")
    with system_scope():
        county = Area.objects.get(level=Level.COUNTY)
    first = timezone.localdate()
    last = first + datetime.timedelta(days=29)
    runs, cpu = [], []
    selectors.gaps(user, county, first, last)  # warm-up
    server.settled()
    for _ in range(7):
        user._fangkong_roles = None
        with CaptureQueriesContext(connection) as queries:
            started, process = time.perf_counter(), time.process_time()
            gaps = selectors.gaps(user, county, first, last)
            runs.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - process) * 1000)
    median = statistics.median(runs)
    print(
        f"coverage check, county {county.name}, {first}..{last}: {len(gaps)} gaps, "
        f"{len(queries.captured_queries)} queries, median {median:.0f} ms, max {max(runs):.0f} ms, "
        f"CPU of this process median {statistics.median(cpu):.0f} ms "
        f"(target < {TARGET_COVERAGE_MS} ms: {'met' if median < TARGET_COVERAGE_MS else 'NOT met'}"
        f" in wall time; on a busy machine compare the CPU)"
    )


def public_page(args, env):
    from django.utils import timezone

    from fangkong.scope import system_scope
    from fangkong.workforce.models import DutyShift

    now = timezone.now()
    with system_scope():
        shift = (
            DutyShift.objects.filter(starts_at__lte=now, ends_at__gt=now)
            .select_related("area", "worker")
            .first()
        )
    path = f"/duty/{shift.area.code}/"
    server.ensure_wrk()
    server.manage(env, "collectstatic", "--no-input", "-v", "0")
    with (
        server.Server(args, env) as running,
        tempfile.NamedTemporaryFile("w", suffix=".lua") as lua,
    ):
        lua.write(server.WRK_REPORT)
        lua.flush()
        status, _final, body = server.fetch(running.base + path, None)
        if status != 200 or shift.worker.name.encode() not in body:
            raise SystemExit(f"{path} answered {status} without the worker on duty")
        server.wrk(running, path, None, args, 2, lua.name)  # warm-up
        # The duty page and bare Django (bench/server.py's floor of any page) take turns, at
        # `--connections` and at 8 connections: with wrk's closed loop, latency is the
        # connections over the throughput (Little's law), whatever the page.
        for connections in (args.connections, 8):
            args.connections = connections
            for name, target in (("duty page", path), ("bare", "/bench/bare/")):
                runs = [
                    server.wrk(running, target, None, args, args.duration, lua.name)
                    for _ in range(args.rounds)
                ]
                r = sorted(runs, key=lambda run: run["p95"])[len(runs) // 2]
                met = r["p95"] < TARGET_PUBLIC_P95_MS and not r["bad"]
                print(
                    f"{name} {target}, gunicorn {args.workers} workers, wrk {connections} "
                    f"connections, median of {args.rounds} rounds of {args.duration} s: "
                    f"{r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
                    f"p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms, CPU {r['cpu']:.2f} ms a "
                    f"request, {r['kb']:.1f} KB, errors {r['bad']} (p95 < "
                    f"{TARGET_PUBLIC_P95_MS} ms: {'met' if met else 'NOT met'})",
                    flush=True,
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--static-root", default="/tmp/fangkong-bench-static")
    parser.add_argument("--port", type=int, default=8136)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args()
    env = {**server.bench_env(args), "DJANGO_SETTINGS_MODULE": "bench.duty_settings"}
    os.environ.update(env)
    import django

    django.setup()
    server.manage(env, "migrate", "--no-input", "-v", "0")
    seed()
    time_coverage()
    if not args.skip_server:
        public_page(args, env)
    print(
        f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}"
    )


if __name__ == "__main__":
    main()
