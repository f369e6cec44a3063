"""Time the API routes issue 15 added last (server time, through Django's test client).

    python bench/tracing_import_api.py --database-url sqlite:////tmp/fk-tracing-api.sqlite3
    createdb -h 127.0.0.1 -U postgres fk_tracing_api
    python bench/tracing_import_api.py --database-url postgresql://postgres@127.0.0.1:5432/fk_tracing_api

Migrates the database and (the first time) builds the test world (tests/world.py: two
townships, three grids, a persona per role). Then it times, as the community's medical
worker, median and p95 of --repeat runs after a warm-up, each rolled back:
- POST /api/case-imports/ of a list of --rows new persons, taken (every row a case, re-ranked);
- the same list with its last row faulty: the whole file checked, refused, nothing recorded;
- a list whose every row is faulty, refused, then GET of that import with its problems;
- POST /api/verification-tasks/<id>/quarantine/ (a person found here put in quarantine).
No target is set by the issue for these; the page does the same work (the same service).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(run, repeat):
    """Median and p95 of the wall time, and the median CPU time of this process (on a loaded
    machine the wall time waits for the CPU; on PostgreSQL the server's time is only in it)."""
    run()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    p95 = statistics.quantiles(walls, n=20)[-1] if len(walls) > 1 else walls[0]
    return statistics.median(walls), p95, statistics.median(cpus)


def id_number(rng):
    from stdnum.cn import ric

    body = f"350502{rng.randint(1950, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18 digits


def case_list(rows, rng, faulty=0):
    """A CSV of `rows` new persons of 新华第一网格; the last `faulty` of them without a name."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    lines = ["姓名,身份证号,联系电话,病例分类,报告日期,社区"]
    seen = set()
    for i in range(rows):
        number = id_number(rng)
        while number in seen:
            number = id_number(rng)
        seen.add(number)
        name = "" if i >= rows - faulty else f"导入{i}"
        lines.append(f"{name},{number},,确诊,{today},350502001001001")
    return SimpleUploadedFile("病例名单.csv", ("\n".join(lines) + "\n").encode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--profile", action="store_true", help="print where a list taken spends its time"
    )
    parser.add_argument(
        "--only-taken", action="store_true", help="time the list taken only (not the refusals)"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from fangkong.areas.models import Area
    from fangkong.scope import system_scope
    from fangkong.verification.models import VerificationTask
    from tests.world import build_world

    call_command("migrate", verbosity=0)
    with system_scope():
        if not Area.objects.filter(code="350502001001001").exists():
            build_world()
        task = VerificationTask.objects.get(area__code="350502001001001")
    setup_test_environment()
    rng = random.Random(args.seed)
    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(username="medical"))
    community = Client()
    community.force_login(users.get(username="community"))
    print(f"database: {connection.vendor}, list of {args.rows:,} rows")
    print("load average (1, 5, 15 min): " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))
    print(f"{'measure':<52} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}")

    def report(label, result):
        median, p95, cpu = result
        print(f"{label:<52} {median:>10.1f} {p95:>8.1f} {cpu:>8.1f}")

    def post_list(faulty, expect, then=None):
        upload = case_list(args.rows, rng, faulty)

        def run():
            upload.seek(0)
            body = {"area": "350502001001", "list_reference": "基准", "uuid": str(uuid.uuid4())}
            with transaction.atomic():
                answer = client.post("/api/case-imports/", {**body, "upload": upload})
                assert answer.status_code == 201, answer.content[:300]
                assert answer.json()["status"] == expect, answer.json()["problems"][:3]
                if then:
                    then(answer.json()["id"])
                transaction.set_rollback(True)

        return run

    report(f"case list taken ({args.rows:,} cases)", timed(post_list(0, "taken"), args.repeat))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(post_list(0, "taken"))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    if args.only_taken:
        print("load average (1, 5, 15 min): " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))
        return
    report("case list refused (last row faulty)", timed(post_list(1, "refused"), args.repeat))
    read = []

    def read_import(pk):
        started = time.perf_counter()
        answer = client.get(f"/api/case-imports/{pk}/")
        read.append((time.perf_counter() - started) * 1000)
        assert len(answer.json()["problems"]) == args.rows

    report(
        f"every row faulty, refused, then read ({args.rows:,} problems)",
        timed(post_list(args.rows, "refused", read_import), args.repeat),
    )
    print(f"  of which GET /api/case-imports/<id>/: median {statistics.median(read):.1f} ms")

    with system_scope():
        VerificationTask.objects.filter(pk=task.pk).update(result="monitored")

    def start():
        with transaction.atomic():
            answer = community.post(
                f"/api/verification-tasks/{task.pk}/quarantine/",
                {"kind": "home"},
                content_type="application/json",
            )
            assert answer.status_code == 201, answer.content[:300]
            transaction.set_rollback(True)

    report("quarantine started from a verification task", timed(start, args.repeat * 3))


if __name__ == "__main__":
    main()
