"""Time quarantine (issue 15 point 10) on a copy of a generated database.

    cp /tmp/fk-1m.sqlite3 /tmp/fk-quarantine.sqlite3          # never the shared file itself
    python bench/quarantine.py --database-url sqlite:////tmp/fk-quarantine.sqlite3
    createdb -h 127.0.0.1 -U postgres -T fk_bench_1m fk_bench_quarantine
    python bench/quarantine.py --database-url postgresql://postgres@127.0.0.1:5432/fk_bench_quarantine

Migrates the copy, then (the first time) makes --persons residents traced persons and puts
them under quarantine across the county: 10 central sites of 10 floors x 40 single rooms, 2,700
people in 9 of them (a batch a floor), the rest in home quarantine, a fifth already
released; and 200 close contacts waiting for a room. Then it times (median and p95 of
--repeat runs, one warm-up):
- allocating rooms for the 200 by the rules (`rooms.allocate`: the site read once, the rules
  in memory, one bulk update), rolled back after each run — target < 1 s;
- the occupancy board of every site (county), one site's board (400 rooms), the quarantine
  lists (county: under way, due for release; a community's) and their API, through Django's
  test client (server time) — target p95 < 100 ms.
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

from bench.server import settled


def timed(run, repeat):
    """Median and p95 of the wall time, and the median CPU time of this process (the server's
    work; on a loaded machine the wall time waits for the CPU)."""
    run()  # warm-up
    settled()
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    p95 = statistics.quantiles(walls, n=20)[-1] if len(walls) > 1 else walls[0]
    return statistics.median(walls), p95, statistics.median(cpus)


def seed(persons, rng):
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.areas.models import Area, Level
    from fangkong.quarantine.models import Floor, QuarantineRule, QuarantineSite, Room
    from fangkong.quarantine.quarantines import Quarantine
    from fangkong.scope import system_scope
    from fangkong.tracing.models import TracedPerson

    with system_scope():
        # The generated county has the demo story's site: the bench's are known by their batch.
        if Quarantine.objects.filter(batch="BENCH").exists():
            return
        county = Area.objects.filter(level=Level.COUNTY).order_by("pk").first()
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute('SELECT max("id") FROM "tracing_tracedperson"')
        offset = cursor.fetchone()[0] or 0
        cursor.execute(
            'INSERT INTO "tracing_tracedperson" ("id", "area_id", "area_path", "resident_id", '
            '"name", "id_number", "id_number_hash", "phone", "phone_hash", "address", '
            '"category", "created_at") SELECT "id" + %s, "area_id", "area_path", "id", "name", '
            '"id_number", "id_number_hash", "phone", "phone_hash", \'\', %s, %s '
            'FROM "people_resident" WHERE "id" NOT IN (SELECT "resident_id" FROM '
            '"tracing_tracedperson" WHERE "resident_id" IS NOT NULL) ORDER BY "id" LIMIT %s',
            [offset, "secondary_contact", now, persons],
        )
    with system_scope():
        people = list(
            TracedPerson.objects.filter(pk__gt=offset).values_list("pk", "area_id", "area_path")
        )
        rules = {r.category: r for r in QuarantineRule.objects.all()}
        with transaction.atomic():
            sites, rooms = [], []
            for s in range(10):
                site = QuarantineSite.objects.create(area=county, name=f"隔离点{s + 1:02d}")
                sites.append(site)
                for f in range(1, 11):
                    floor = Floor.objects.create(site=site, area=county, number=f)
                    rooms += [
                        Room(
                            site=site,
                            floor=floor,
                            area=county,
                            area_path=county.path,
                            number=f"{f}{n:02d}",
                            capacity=1,
                        )
                        for n in range(1, 41)
                    ]
            Room.objects.bulk_create(rooms, batch_size=2000)
            rooms = list(Room.objects.order_by("site", "floor__number", "number"))
            rng.shuffle(people)
            central, waiting, home = people[:2700], people[2700:2900], people[2900:]
            rows = []
            # 300 people in each of the first 9 sites, one batch a floor; the last site empty.
            for i, (pk, area, path) in enumerate(central):
                room = rooms[(i // 300) * 400 + i % 300]
                starts = today - datetime.timedelta(days=rng.randrange(0, 7))
                rows.append(
                    Quarantine(
                        person_id=pk,
                        area_id=area,
                        area_path=path,
                        kind="central",
                        category="close_contact",
                        rule=rules["close_contact"],
                        source="contact",
                        status="active",
                        starts_on=starts,
                        ends_on=starts + datetime.timedelta(days=6),
                        site_id=room.site_id,
                        room=room,
                        batch=f"B{i // 300}-{i % 300 // 40}",
                    )
                )
                room.state = "occupied"
            for pk, area, path in waiting:
                rows.append(
                    Quarantine(
                        person_id=pk,
                        area_id=area,
                        area_path=path,
                        kind="central",
                        category="close_contact",
                        rule=rules["close_contact"],
                        source="contact",
                        status="waiting",
                        starts_on=today,
                        ends_on=today + datetime.timedelta(days=6),
                        batch="BENCH",
                    )
                )
            for i, (pk, area, path) in enumerate(home):
                starts = today - datetime.timedelta(days=rng.randrange(0, 14))
                released = i % 5 == 0
                rows.append(
                    Quarantine(
                        person_id=pk,
                        area_id=area,
                        area_path=path,
                        kind="home",
                        category="secondary_contact",
                        rule=rules["secondary_contact"],
                        source="contact",
                        status="released" if released else "active",
                        starts_on=starts,
                        ends_on=starts + datetime.timedelta(days=6),
                        released_on=starts + datetime.timedelta(days=7) if released else None,
                    )
                )
            Quarantine.objects.bulk_create(rows, batch_size=2000)
            Room.objects.bulk_update(rooms, ["state"], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {len(rows):,} quarantines, {len(rooms):,} rooms in {time.perf_counter() - started:.1f} s"
    )


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--persons", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
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

    from fangkong.areas.models import Role
    from fangkong.quarantine import rooms
    from fangkong.quarantine.models import QuarantineSite
    from fangkong.quarantine.quarantines import Quarantine
    from fangkong.scope import system_scope

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    seed(args.persons, rng)
    setup_test_environment()
    with system_scope():
        total = Quarantine.objects.count()
        waiting = list(
            Quarantine.objects.filter(status="waiting", batch="BENCH").select_related(
                "person__resident"
            )
        )
        site = QuarantineSite.objects.order_by("pk").last()
    print(f"database: {connection.vendor}, quarantines: {total:,}, waiting: {len(waiting)}")
    print(f"{'measure':<50} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7}  target")

    def report(label, result, target):
        median, p95, cpu = result
        verdict = "met" if p95 < target else "MISSED"
        print(f"{label:<50} {median:>10.1f} {p95:>8.1f} {cpu:>7.1f}  < {target} ms {verdict}")

    users = get_user_model().objects
    county = users.get(username="county")

    def allocate():
        try:
            with transaction.atomic():
                placed = rooms.allocate(actor=county, site=site, quarantines=waiting)
                assert len(placed) == len(waiting)
                raise Rollback
        except Rollback:
            pass

    report(
        f"allocate rooms for a batch of {len(waiting)}",
        timed(allocate, max(3, args.repeat // 4)),
        1000,
    )
    client = Client()
    client.force_login(county)
    pages = [
        ("occupancy board, every site (county)", "/quarantine-sites/"),
        ("one site's board (400 rooms)", f"/quarantine-sites/{site.pk}/"),
        ("quarantine list, under way (county)", "/quarantine/?open=true"),
        ("quarantine list, due for release (county)", "/quarantine/?due=true"),
        ("API sites with occupancy (county)", "/api/quarantine-sites/"),
        ("API quarantines under way (county)", "/api/quarantines/?open=true"),
    ]
    for label, url in pages:
        assert client.get(url).status_code == 200, url
        report(label, timed(lambda url=url: client.get(url), args.repeat), 100)
    with system_scope():
        role = Role.objects.filter(
            kind="community_worker", worker__user__username="community"
        ).first()
    community = users.get(username="community")
    client.force_login(community)
    url = f"/quarantine/?within={role.area.code}" if role else "/quarantine/"
    assert client.get(url).status_code == 200
    report(
        "quarantine list (a community's worker)", timed(lambda: client.get(url), args.repeat), 100
    )
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
