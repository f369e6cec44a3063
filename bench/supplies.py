"""Time a county's supplies roll-up (issue 18, point 10: p95 < 200 ms) on SQLite and PostgreSQL.

    python bench/supplies.py --database-url sqlite:////tmp/fk_supplies.sqlite3 \
        [--residents 1000000] [--days 365] [--repeat 30] [--explain MS]

On an empty database it makes the areas of a county of `--residents` people
(`fangkong.demo.generator`: 1,000,000 people make ~500 communities in ~20 streets, ~2,000
grids; no people are written, the roll-up reads none) and a supervisor, township, community
and grid login. A database from `bench/generate.py` is used as it is. Then, if it holds no
movements, `fangkong.demo.supplies.write_movements` writes `--days` days of every item of
the catalogue (12) in the county, every township and every community: allocations,
transfers down, issues on about a third of days, a monthly stocktake.

Then, as each login, through Django's test client: the roll-up page of the login's area
(the county's is the figure of the issue), the roll-up API, the stock table (all; below the
minimum), a stock's page, the movements and the home page (`--only roll-up`: those cases
only); median and p95 wall time, median CPU, queries and the slowest query.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import visits_pages
from bench.visits_pages import Bench

TARGET_MS = 200


class SuppliesBench(Bench):
    def cases(self):
        for role, name, url in self.all_cases():
            if not self.args.only or self.args.only in name:
                yield role, name, url

    def all_cases(self):
        from django.urls import reverse

        from fangkong.scope import role_areas, system_scope
        from fangkong.supplies.models import Stock

        for role in ("county", "township", "community", "grid"):
            area = next(iter(role_areas(self.users[role]).values()))
            yield role, "roll-up page", reverse("supplies_summary", args=[area.code])
            yield role, "roll-up API", f"/api/stocks/rollup/?within={area.code}"
            yield role, "stock table", reverse("stock_list")
            yield role, "stock table, below minimum", f"{reverse('stock_list')}?state=low"
            yield role, "API stocks", "/api/stocks/"
            yield role, "movements", reverse("movement_list")
            with system_scope():
                stock = Stock.objects.filter(area_path__startswith=area.path).first()
            if stock is not None:
                yield role, "a stock's page", reverse("stock_detail", args=[stock.pk])
            yield role, "home page", reverse("home")


def make_county(residents, seed):
    """The areas of a county and one login per level, when the database has no areas."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from fangkong.areas.models import Area, Level, Role, RoleKind, Worker
    from fangkong.demo.generator import Generator

    gen = Generator(random.Random(seed))
    _sizes, counts = gen.plan(residents)
    with transaction.atomic():
        gen.areas(counts)
        gen.writer.finish()
        county = Area.objects.get(level=Level.COUNTY)
        township = Area.objects.filter(parent=county).order_by("code").first()
        community = Area.objects.filter(parent=township).order_by("code").first()
        grid = Area.objects.filter(parent=community).order_by("code").first()
        logins = {
            "county": (RoleKind.SUPERVISOR, county),
            "township": (RoleKind.SUPERVISOR, township),
            "community": (RoleKind.COMMUNITY_WORKER, community),
            "grid": (RoleKind.GRID_WORKER, grid),
        }
        for username, (kind, area) in logins.items():
            user = get_user_model().objects.create_user(username, password="bench-only-1")
            worker = Worker.objects.create(
                user=user, area=area if area.level != Level.GRID else community, name=username
            )
            Role.objects.create(worker=worker, area=area, kind=kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS")
    parser.add_argument("--only", help="the cases whose name holds this text (e.g. roll-up)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fangkong.areas.models import Area, Level
    from fangkong.demo.supplies import write_movements
    from fangkong.demo.writer import Writer
    from fangkong.scope import system_scope
    from fangkong.supplies.models import Stock, StockMovement

    call_command("migrate", verbosity=0)
    visits_pages.TARGET_MS = TARGET_MS
    # The bench fills and counts the whole database; the pages it times run as their users.
    with system_scope():
        if not Area.objects.exists():
            started = time.perf_counter()
            make_county(args.residents, 1)
            print(f"areas written in {time.perf_counter() - started:.0f} s")
        if not StockMovement.objects.exists():
            started, cpu = time.perf_counter(), time.process_time()
            writer = Writer()
            with transaction.atomic():
                stocks, moves = write_movements(writer, random.Random(1), days=args.days)
            writer.finish()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE supplies_stock")
                    cursor.execute("VACUUM ANALYZE supplies_stockmovement")
            else:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(
                f"{stocks:,} stocks and {moves:,} movements written in "
                f"{time.perf_counter() - started:.0f} s ({time.process_time() - cpu:.0f} s CPU)"
            )
        figures = (
            f"communities {Area.objects.filter(level=Level.COMMUNITY).count():,}, "
            f"stocks {Stock.objects.count():,}, movements {StockMovement.objects.count():,}"
        )
    print(f"database: {connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
    print(f"target: p95 < {TARGET_MS} ms")
    SuppliesBench(args, connection).run()


if __name__ == "__main__":
    main()
