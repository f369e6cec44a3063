"""Time the gathering, meeting and sanitation lists (issue 17) on a generated county.

    python bench/gatherings.py --database-url sqlite:////tmp/fk_bench.sqlite3 \
        [--rows 100000] [--repeat 30] [--explain MS]

The database comes from `bench/generate.py` and is a throwaway copy: first, if it holds
fewer than `--rows` gatherings, this adds that many gatherings, meetings and sanitation
tasks spread over every grid (`fangkong.demo.gatherings.write_rows`). Then, as the demo
logins (grid, community, township, county), through Django's test client: the lists of
gatherings (all; to follow up; this week; families' reports waiting), meetings (all; refused), sanitation tasks (all;
overdue; mine), the area's roll-up page, and the API lists; median and p95 wall time,
median CPU time, queries and the slowest (`bench/visits_pages.py` measures alike); the
public page where families report their events, and a family's report sent through it
(POST, anonymous, stored with its advice and its workers told).
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

from bench.visits_pages import Bench


class GatheringBench(Bench):
    def cases(self):
        from django.urls import reverse

        from fangkong.scope import role_areas

        gatherings, meetings = reverse("gathering_list"), reverse("meeting_list")
        tasks = reverse("sanitation_tasks")
        for role in ("grid", "community", "township", "county"):
            area = next(iter(role_areas(self.users[role]).values()))
            yield role, "gatherings", gatherings
            yield role, "gatherings to follow up", f"{gatherings}?state=follow_up"
            yield role, "gatherings this week", f"{gatherings}?state=this_week"
            yield role, "families' reports waiting", f"{gatherings}?state=reported"
            yield role, "gatherings, page 10", f"{gatherings}?page=10"
            yield role, "meetings", meetings
            yield role, "meetings refused", f"{meetings}?status=refused"
            yield role, "sanitation tasks", tasks
            yield role, "sanitation overdue", f"{tasks}?state=overdue"
            yield role, "sanitation, mine", f"{tasks}?mine=1&state=open"
            yield role, "roll-up page", reverse("gatherings_summary", args=[area.code])
            yield role, "API gatherings", "/api/gatherings/"
            yield role, "API meetings", "/api/meetings/"
            yield role, "API sanitation tasks", "/api/sanitation-tasks/?state=overdue"
        community = next(iter(role_areas(self.users["community"]).values()))
        yield (
            "community",
            "family report page (public)",
            reverse("family_report", args=[community.code]),
        )

    def family_posts(self):
        """A family's report sent through the public page (anonymous, a new request id each
        time, the rate limit lifted): stored, advised, its workers told."""
        import uuid

        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from fangkong.gatherings import family_services
        from fangkong.scope import role_areas

        family_services.POSTS_PER_ADDRESS_PER_HOUR = 10**9
        community = next(iter(role_areas(self.users["community"]).values()))
        url = reverse("family_report", args=[community.code])
        client = Client(HTTP_HOST="localhost")
        day = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
        times, cpu = [], []
        for i in range(self.args.repeat + 1):
            body = {
                "client_uuid": str(uuid.uuid4()),
                "host": "李大伯",
                "phone": f"139{i:08d}",
                "kind": "wedding",
                "held_on": day,
                "place": "李家祠堂",
                "expected_headcount": "80",
            }
            with CaptureQueriesContext(self.connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.post(url, body)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, response.status_code
            if i:  # the first is the warm-up
                times.append(elapsed)
                cpu.append((time.process_time() - started_cpu) * 1000)
        times.sort()
        print(
            f"{'anonymous':<10} {'family report sent (POST)':<28} "
            f"{statistics.median(times):>10.1f} {times[int(len(times) * 0.95) - 1]:>8.1f} "
            f"{statistics.median(cpu):>7.1f} {len(queries):>7}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fangkong.demo.gatherings import write_rows
    from fangkong.demo.writer import Writer
    from fangkong.gatherings.models import Gathering, Meeting, SanitationTask
    from fangkong.scope import system_scope

    call_command("migrate", "gatherings", verbosity=0)
    # The bench fills and counts the whole database; the pages it times run as their users.
    with system_scope():
        have = Gathering.objects.count()
        if have < args.rows:
            started, cpu = time.perf_counter(), time.process_time()
            writer = Writer()
            with transaction.atomic():
                write_rows(writer, random.Random(1), n=args.rows - have)
            writer.finish()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for table in ("gathering", "meeting", "sanitationtask"):
                        cursor.execute(f"ANALYZE gatherings_{table}")
            print(
                f"written in {time.perf_counter() - started:.0f} s "
                f"({time.process_time() - cpu:.0f} s CPU)"
            )
        figures = (
            f"gatherings {Gathering.objects.count():,}, meetings {Meeting.objects.count():,}, "
            f"sanitation tasks {SanitationTask.objects.count():,}"
        )
    print(f"database: {connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
    bench = GatheringBench(args, connection)
    bench.run()
    bench.family_posts()


if __name__ == "__main__":
    main()
