"""Generate a demo county of any size and time it: python bench/generate.py --residents 1000000

Runs `migrate`, then fangkong.demo.build into an empty database, and prints the counts,
the seconds and the rows per second. See bench/README.md.
"""

import argparse
import os
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

    from fangkong import demo
    from fangkong.areas.models import Area, Building, Role, Worker
    from fangkong.people.models import Household, Resident

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    started = time.perf_counter()
    demo.build(residents=args.residents, seed=args.seed, stdout=sys.stdout)
    seconds = time.perf_counter() - started
    counts = {
        model.__name__: model.all_objects.count()
        for model in (Area, Building, Household, Resident, Worker, Role)
    }
    rows = sum(counts.values())
    for name, count in counts.items():
        print(f"{name:>10} {count:>10,}")
    print(f"{'rows':>10} {rows:>10,}")
    print(
        f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s, {counts['Resident'] / seconds:,.0f} residents/s"
    )


if __name__ == "__main__":
    main()
