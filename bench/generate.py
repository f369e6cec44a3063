"""Generate a demo county of any size and time it: python bench/generate.py --residents 1000000

Runs `migrate`, then fangkong.demo.build into an empty database (the county, its people and
the health monitoring of the last 60 days up to today), and prints the counts,
the seconds and the rows per second. See bench/README.md.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="e.g. postgresql://postgres@127.0.0.1:5432/fk_bench")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fangkong.areas.models import Area, Building, Role, Worker
    from fangkong.demo import county as demo
    from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
    from fangkong.people.models import (
        DismissedSuggestion,
        Household,
        HouseholdAssignment,
        KeyGroup,
        Resident,
    )
    from fangkong.scope import system_scope

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    started = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    demo.build(residents=args.residents, seed=args.seed, stdout=sys.stdout)
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":  # what autovacuum does a while later: statistics
        vacuumed = time.perf_counter()  # for the planner, visibility for index-only scans
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE: {time.perf_counter() - vacuumed:.1f} s (not in the figures below)")
    models = (Area, Building, Household, Resident, Worker, Role, KeyGroup, DismissedSuggestion)
    models += (HouseholdAssignment, MonitoringPlan, HealthCheck, Alert)
    with system_scope():  # the bench counts every record it wrote, in nobody's scope
        counts = {model.__name__: model.objects.count() for model in models}
    rows = sum(counts.values())
    for name, count in counts.items():
        print(f"{name:>19} {count:>10,}")
    print(f"{'rows':>19} {rows:>10,}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s, {counts['Resident'] / seconds:,.0f} residents/s, "
        f"CPU {usage.ru_utime + usage.ru_stime - cpu:.1f} s, "
        f"peak memory {usage.ru_maxrss / 1024:,.0f} MB, load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
