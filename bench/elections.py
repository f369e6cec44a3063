"""Time the allotment of an election's voters to voting slots (issue 18, point 10: 20,000
voters in under 2 s), on SQLite and PostgreSQL.

    python bench/elections.py --database-url sqlite:////tmp/fk_elections.sqlite3 \
        [--voters 20000] [--repeat 5]
    python bench/elections.py --database-url postgresql://postgres@127.0.0.1:5432/fk_elections

The database is a throwaway: migrated, then given one community with `--voters` adult
registered residents (written in bulk), an election with ten polling stations whose slots
over the voting hours hold them all, and the community worker who runs it. Then, `--repeat`
times: every slot emptied (on PostgreSQL the voters' table then vacuumed) and
`voter_services.allot` (the service the page and the API call: the permission, the lock,
the one UPDATE … FROM, the audit row) timed, wall and CPU. The roll (`register_voters`: one
INSERT … SELECT) is timed once.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(voters):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker
    from fangkong.elections import services
    from fangkong.people.models import Household, Resident

    tree = [
        ("350000000000", "福建省", Level.PROVINCE),
        ("350500000000", "泉州市", Level.CITY),
        ("350599000000", "基准县", Level.COUNTY),
        ("350599001000", "基准街道", Level.TOWNSHIP),
        ("350599001001", "基准社区", Level.COMMUNITY),
        ("350599001001001", "基准网格", Level.GRID),
    ]
    parent = None
    for code, name, level in tree:
        parent = Area.objects.filter(code=code).first() or Area.objects.create(
            code=code, name=name, level=level, parent=parent
        )
    grid, community = parent, parent.parent
    # Run again on the same database, the community keeps the residents it has.
    have = Resident.objects.filter(area=grid).count()
    if have < voters:
        building = Building.objects.create(area=grid, name=f"基准楼{have}")
        households = Household.objects.bulk_create(
            Household(area=grid, area_path=grid.path, building=building, number=f"{n}号")
            for n in range((voters - have) // 4 + 1)
        )
        Resident.objects.bulk_create(
            (
                Resident(
                    area=grid,
                    area_path=grid.path,
                    household=households[n // 4],
                    name=f"选民{have + n}",
                    birth_date=datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
                )
                for n in range(voters - have)
            ),
            batch_size=2000,
        )
    user = get_user_model().objects.create_user(f"bench-{time.time_ns()}")
    worker = Worker.objects.create(user=user, area=community, name="基准社区工作者")
    Role.objects.create(worker=worker, area=community, kind=RoleKind.COMMUNITY_WORKER)
    user = get_user_model().objects.get(pk=user.pk)
    election = services.create_election(
        actor=user,
        area=community,
        term=f"基准换届 {time.time_ns()}",
        voting_day=timezone.localdate() + datetime.timedelta(days=20),
        plan="基准",
        opens_at=datetime.time(7, 0),
        closes_at=datetime.time(21, 0),
        slot_minutes=30,
    )
    # Ten stations, 28 slots each: room for every voter, the last slots partly filled.
    per_slot = -(-voters // 280)
    for n in range(10):
        station = services.add_station(
            actor=user, election=election, name=f"第{n + 1}投票站", place="基准", capacity=per_slot
        )
        services.make_slots(actor=user, station=station, capacity=per_slot)
    return user, election


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--voters", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, F

    from fangkong.elections import voter_services
    from fangkong.elections.models import Voter, VotingSlot
    from fangkong.scope import system_scope

    call_command("migrate", verbosity=0)
    with system_scope():  # the bench builds its community; the allotment runs as its worker
        user, election = build(args.voters)
    started = time.perf_counter()
    added = voter_services.register_voters(actor=user, election=election)
    roll_seconds = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(args.repeat):
        with system_scope():
            Voter.objects.filter(election=election).update(slot=None)
        if connection.vendor == "postgresql":
            # Emptying 20,000 slots leaves as many dead rows: vacuumed, each run meets the
            # table a fresh roll leaves (written and analysed), not the bench's own churn.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Voter._meta.db_table}")
        started, cpu = time.perf_counter(), time.process_time()
        allotted, left = voter_services.allot(actor=user, election=election)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    with system_scope():
        over = (
            VotingSlot.objects.filter(election=election)
            .annotate(n=Count("voters"))
            .filter(n__gt=F("capacity"))
            .count()
        )
    print(
        f"{connection.vendor}: roll of {added} voters {roll_seconds:.2f} s; "
        f"allotment of {allotted} (left {left}) median {statistics.median(walls):.3f} s, "
        f"max {max(walls):.3f} s, CPU median {statistics.median(cpus):.3f} s over {args.repeat} "
        f"runs; slots over capacity: {over}; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
