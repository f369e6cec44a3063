"""Time the subsidy computation (issue 18, point 10): a county's 3,000 workers over a year.

    python bench/subsidies.py --database-url sqlite:////tmp/fk_subsidies.sqlite3
    python bench/subsidies.py --database-url postgresql://postgres@127.0.0.1:5432/fk_subsidies

The database is a throwaway: migrated, and, when it holds no county yet, filled with one
(15 townships of 20 communities, 10 workers each: 3,000 workers, each with a role on a grid
or their community), a year of risk-level history (some communities high for two to four
weeks, some townships medium for a month, the county medium for ten days) and the duty
roster of half of the communities (a day post and a night post manned every day of the
year by their workers: about 330,000 shifts); the other half pay by roles. Then, as the
county's supervisor, through the service the pages and the API call
(`fangkong.subsidies.services.compute`): the twelve months of the year computed once
(created) and again (brought up to date), then the four quarters under a quarterly rule;
wall and CPU time of each and in all, and the number of queries.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOWNSHIPS, COMMUNITIES, WORKERS = 15, 20, 10
COUNTY = "350599000000"


def fill(rng, today):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fangkong.areas.models import Area, Level, Role, RoleKind, Worker
    from fangkong.response.models import RiskLevelChange
    from fangkong.workforce.models import DutyPost, DutyRole, DutyShift

    def area(code, name, level, parent):
        return Area.objects.create(code=code, name=name, level=level, parent=parent)

    province = Area.objects.filter(code="350000000000").first() or area(
        "350000000000", "福建省", Level.PROVINCE, None
    )
    city = Area.objects.filter(code="350500000000").first() or area(
        "350500000000", "泉州市", Level.CITY, province
    )
    county = area(COUNTY, "测试县", Level.COUNTY, city)
    user = get_user_model().objects.create_user("bench-subsidies-county")
    boss = Worker.objects.create(area=county, name="县干部", affiliation="dispatched", user=user)
    Role.objects.create(worker=boss, area=county, kind=RoleKind.SUPERVISOR)
    first = today - datetime.timedelta(days=400)
    changes, shifts, roles = [], [], []
    townships = []
    for t in range(1, TOWNSHIPS + 1):
        township = area(f"350599{t:03d}000", f"第{t}镇", Level.TOWNSHIP, county)
        townships.append(township)
        for c in range(1, COMMUNITIES + 1):
            community = area(f"350599{t:03d}{c:03d}", f"{t}镇{c}村", Level.COMMUNITY, township)
            grids = [
                area(f"{community.code}{g:03d}", f"{community.name}{g}格", Level.GRID, community)
                for g in (1, 2)
            ]
            workers = Worker.objects.bulk_create(
                [
                    Worker(
                        area=community,
                        area_path=community.path,
                        name=f"{community.name}工作人员{w}",
                        affiliation="community",
                    )
                    for w in range(WORKERS)
                ]
            )
            for w, worker in enumerate(workers):
                place = community if w < 2 else grids[w % 2]
                kind = RoleKind.COMMUNITY_WORKER if w < 2 else RoleKind.GRID_WORKER
                roles.append(Role(worker=worker, area=place, area_path=place.path, kind=kind))
            if rng.random() < 0.15:  # a high-risk episode of two to four weeks
                start = first + datetime.timedelta(days=rng.randrange(30, 380))
                end = start + datetime.timedelta(days=rng.randrange(14, 29))
                changes += [(community, "high", start), (community, "low", end)]
            if c % 2:  # half of the communities keep a roster
                posts = [
                    DutyPost.objects.create(
                        area=community,
                        name=name,
                        starts=datetime.time(hour),
                        ends=datetime.time((hour + 12) % 24),
                        needs={DutyRole.OFFICER: 1},
                    )
                    for name, hour in (("日班", 8), ("夜班", 20))
                ]
                day = today - datetime.timedelta(days=366)
                while day <= today:
                    for post in posts:
                        for worker in rng.sample(workers, 2 if post.starts.hour == 8 else 1):
                            start = timezone.make_aware(datetime.datetime.combine(day, post.starts))
                            shifts.append(
                                DutyShift(
                                    area=community,
                                    area_path=community.path,
                                    post=post,
                                    worker=worker,
                                    role=DutyRole.OFFICER,
                                    starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=12),
                                )
                            )
                    day += datetime.timedelta(days=1)
        if t <= 3:
            start = first + datetime.timedelta(days=rng.randrange(60, 360))
            changes += [
                (township, "medium", start),
                (township, "low", start + datetime.timedelta(days=30)),
            ]
    start = today - datetime.timedelta(days=100)
    changes += [(county, "medium", start), (county, "low", start + datetime.timedelta(days=10))]
    Role.objects.bulk_create(roles, batch_size=2000)
    stamp = timezone.now() - datetime.timedelta(days=500)
    Role.objects.filter(area_path__under=county.path).update(granted_at=stamp)
    RiskLevelChange.objects.bulk_create(
        [
            RiskLevelChange(
                area=place, area_path=place.path, level=level, effective_on=day, reason="基准测试"
            )
            for place, level, day in changes
        ]
    )
    DutyShift.objects.bulk_create(shifts, batch_size=5000)
    return len(shifts), len(changes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    import decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fangkong.areas.models import Area, Worker
    from fangkong.scope import system_scope
    from fangkong.subsidies import periods, services
    from fangkong.subsidies.models import Subsidy, SubsidyRule

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    with system_scope():  # the bench fills and counts the whole database
        if not Area.objects.filter(code=COUNTY).exists():
            began = time.perf_counter()
            with transaction.atomic():
                shifts, changes = fill(random.Random(args.seed), today)
            print(
                f"filled: {shifts} shifts, {changes} level changes in {time.perf_counter() - began:.0f} s"
            )
        county = Area.objects.get(code=COUNTY)
        workers = Worker.objects.filter(area_path__under=county.path).count()
        Subsidy.objects.filter(area_path__under=county.path).delete()
        SubsidyRule.objects.filter(area=county).delete()
    with connection.cursor() as cursor:  # the planner's statistics, as a live database has
        cursor.execute("ANALYZE")
    actor = get_user_model().objects.get(username="bench-subsidies-county")
    print(f"{connection.vendor}, {workers} workers; load average {os.getloadavg()}")

    def rule(period):
        with system_scope():
            SubsidyRule.objects.filter(area=county).delete()
        services.set_rule(
            actor=actor,
            area=county,
            effective_from=today - datetime.timedelta(days=366),
            period=period,
            rate_medium=decimal.Decimal("50"),
            rate_high=decimal.Decimal("100"),
            min_days=3,
            cap=decimal.Decimal("3000"),
        )

    def year(period, label):
        starts = periods.recent(period, today, 12 if period == "month" else 4)
        wall = cpu = 0.0
        queries = 0
        made = []
        for start in reversed(starts):
            reset_queries()
            w, c = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as captured:
                computed = services.compute(actor=actor, area=county, day=start)
            wall += time.perf_counter() - w
            cpu += time.process_time() - c
            queries += len(captured)
            made.append(computed.created + computed.updated)
        print(
            f"{label}: {len(starts)} periods, {sum(made)} subsidies, wall {wall:.2f} s, "
            f"CPU {cpu:.2f} s, {queries} queries (per period {min(made)}–{max(made)} workers)"
        )
        return wall

    rule("month")
    first = year("month", "year by month, first computation")
    again = year("month", "year by month, computed again")
    with system_scope():
        Subsidy.objects.filter(area_path__under=county.path).delete()
    rule("quarter")
    quarters = year("quarter", "year by quarter, first computation")
    limit = 5.0
    verdict = "met" if max(first, again, quarters) < limit else "NOT met"
    print(f"target < {limit:.0f} s for the year: {verdict}")


if __name__ == "__main__":
    main()
