"""Time the gathering, meeting and sanitation lists (issue 17) on a generated county.

    python bench/gatherings.py --database-url sqlite:////tmp/fk_bench.sqlite3 \
        [--rows 100000] [--repeat 30] [--explain MS]

The database comes from `bench/generate.py` and is a throwaway copy: first, if it holds
fewer than `--rows` gatherings, this adds that many gatherings, meetings and sanitation
tasks spread over every grid (`fangkong.demo.gatherings.write_rows`). Then, as the demo
logins (grid, community, township, county), through Django's test client: the lists of
gatherings (all; to follow up; this week), meetings (all; refused), sanitation tasks (all;
overdue; mine), the area's roll-up page, and the API lists; median and p95 wall time,
median CPU time, queries and the slowest (`bench/visits_pages.py` measures alike).
"""

import argparse
import os
import random
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
    GatheringBench(args, connection).run()


if __name__ == "__main__":
    main()
