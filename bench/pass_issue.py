"""Time issuing household passes to 10,000 households: python bench/pass_issue.py

Builds a throwaway test database (SQLite by default, or `--database-url`), the tests' world
(tests/world.py), and `--households` more households in a compound of its first community;
then, as that community's worker, times `passes_services.issue_household_passes` for the
whole community (bulk_create), and again (a retried issue: nothing new). Prints seconds and
the number of queries of each run.

`--existing` uses the database of `--database-url` as it is (a county of `bench/generate.py`,
10⁶ residents): the demo login `community`'s community gets households in a new compound up
to `--households` in all, and its passes are issued twice as above; everything is rolled
back at the end.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--database-url", help="e.g. postgres://…/fangkong (a test DB is made)")
    parser.add_argument("--existing", action="store_true", help="in the database as it is")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    os.environ["DJANGO_DEBUG"] = "0"

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from fangkong.checkpoints.passes_services import issue_household_passes
    from fangkong.people.models import Household
    from tests.checkpoints.helpers import COMMUNITY, GRID
    from tests.world import build_world, every

    if args.existing:
        return in_existing(args, issue_household_passes, CaptureQueriesContext)
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        world = build_world()
        building, grid = world.buildings[GRID], world.areas[GRID]
        every(Household).bulk_create(
            Household(building=building, number=f"B{n}", area=grid, area_path=grid.path)
            for n in range(args.households)
        )
        today = timezone.localdate()
        for run in ("first issue", "retried issue"):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                issued = issue_household_passes(
                    actor=world.users["community"],
                    area=world.areas[COMMUNITY],
                    valid_from=today,
                    valid_until=today + datetime.timedelta(days=13),
                    exits=1,
                    per_days=2,
                    return_minutes=120,
                )
                seconds = time.perf_counter() - start
            print(
                f"{connection.vendor} {run}: {issued} passes in {seconds:.2f} s, "
                f"{len(queries)} queries"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def in_existing(args, issue_household_passes, CaptureQueriesContext):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.areas.models import Area, Building, Level
    from fangkong.people.models import Household
    from fangkong.scope import system_scope

    user = get_user_model().objects.get(username="community")
    today = timezone.localdate()
    with system_scope(), transaction.atomic():
        community = user.worker.area
        assert community.level == Level.COMMUNITY, community
        grid = Area.objects.filter(parent=community).order_by("code").first()
        held = Household.objects.within(community).count()
        building = Building.objects.create(
            area=grid, area_path=grid.path, name="压测小区", kind=Building.Kind.COMPOUND
        )
        Household.objects.bulk_create(
            Household(building=building, number=f"B{n}", area=grid, area_path=grid.path)
            for n in range(max(args.households - held, 0))
        )
        households = Household.objects.within(community).count()
        print(f"{community.name}: {held} households, {households} with the compound added")
        for run in ("first issue", "retried issue"):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                issued = issue_household_passes(
                    actor=user,
                    area=community,
                    valid_from=today,
                    valid_until=today + datetime.timedelta(days=13),
                    exits=1,
                    per_days=2,
                    return_minutes=120,
                )
                seconds = time.perf_counter() - start
            print(
                f"{connection.vendor} {run}: {issued} passes in {seconds:.2f} s, "
                f"{len(queries)} queries"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
