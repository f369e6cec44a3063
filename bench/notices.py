"""The public notice page under load (issue 17, point 10): p95 < 50 ms with 100 clients.

    python bench/notices.py --database-url URL [--connections 100] [--duration 10] [--rounds 3]

1. Makes the demo county in the database if it is empty (`load_demo`), then gives the demo
   login `community`'s community a busy month of notices (40, a third revised, so the page
   shows their history) and its township 40 more (made once).
2. Loads the community's public notice page (`/notice-board/<code>/`, no login: its own
   notices and its township's, each with its history) and its Atom feed through gunicorn
   with wrk and `--connections` clients (bench/server.py's harness, `bench.notice_settings`),
   beside bare Django's floor page, and prints p50/p95/p99, the gunicorn workers' CPU a
   request and the load average (the machine is shared).
"""

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import server  # noqa: E402

TARGET_P95_MS = 50
PER_AREA = 40


def seed():
    from django.db import transaction

    from fangkong.areas.models import Role, RoleKind
    from fangkong.demo.notices import write_notices
    from fangkong.notices.models import Notice
    from fangkong.scope import system_scope

    with system_scope(), transaction.atomic():
        role = (
            Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER, worker__user__username="community")
            .select_related("area__parent")
            .first()
        )
        community = role.area
        if Notice.objects.filter(area=community).count() < PER_AREA:
            rng = random.Random(17)
            write_notices(rng, community, PER_AREA)
            write_notices(rng, community.parent, PER_AREA, draft=False)
        return community.code, Notice.objects.filter(area__in=[community, community.parent]).count()


def load(args, env, code, notices):
    server.ensure_wrk()
    paths = {
        "notice page": f"/notice-board/{code}/",
        "atom feed": f"/notice-board/{code}/atom/",
        "bare": "/bench/bare/",
    }
    with (
        server.Server(args, env) as running,
        tempfile.NamedTemporaryFile("w", suffix=".lua") as lua,
    ):
        lua.write(server.WRK_REPORT)
        lua.flush()
        status, _final, body = server.fetch(running.base + paths["notice page"], None)
        if status != 200 or body.count(b'class="card mb-3 notice"') < 2:
            raise SystemExit(f"{paths['notice page']} answered {status} without its notices")
        print(f"{paths['notice page']}: {notices} notices of the community and its township")
        server.wrk(running, paths["notice page"], None, args, 2, lua.name)  # warm-up
        for name, target in paths.items():
            runs = [
                server.wrk(running, target, None, args, args.duration, lua.name)
                for _ in range(args.rounds)
            ]
            r = sorted(runs, key=lambda run: run["p95"])[len(runs) // 2]
            met = r["p95"] < TARGET_P95_MS and not r["bad"]
            load1, load5, _load15 = os.getloadavg()
            print(
                f"{name} {target}, gunicorn {args.workers} workers, wrk {args.connections} "
                f"connections, median of {args.rounds} rounds of {args.duration} s: "
                f"{r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
                f"p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms, CPU {r['cpu']:.2f} ms a request, "
                f"{r['kb']:.1f} KB, errors {r['bad']}, load {load1:.1f}/{load5:.1f} (p95 < "
                f"{TARGET_P95_MS} ms: {'met' if met else 'NOT met'})",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--static-root", default="/tmp/fangkong-bench-static")
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = {**server.bench_env(args), "DJANGO_SETTINGS_MODULE": "bench.notice_settings"}
    os.environ.update(env)
    import django

    django.setup()
    server.prepare(args, env)
    code, notices = seed()
    load(args, env, code, notices)
    print(f"load average {' '.join(f'{n:.1f}' for n in os.getloadavg())}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
