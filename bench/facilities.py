"""Time the facility pages, the door counter and the disinfection logs (issue 18) on a
generated county.

    python bench/facilities.py --database-url sqlite:////tmp/fk_bench.sqlite3 \
        [--facilities 5000] [--repeat 30] [--explain MS]

The database comes from `bench/generate.py` and is a throwaway copy: first, if it holds
fewer than `--facilities` facilities, this adds facilities spread over every community with
their door counts of today, a week of disinfection and one in eight suspended by hand
(`fangkong.demo.facilities.write_rows`). Then, as the demo logins (grid, community,
township, county), through Django's test client: the facility list (all; suspended now; open
now), a facility's page, the disinfection logs and the API lists; median and p95 wall time,
median CPU time and queries (`bench/visits_pages.py` measures alike); and the door counter:
taps +1/-1 through the page (POST and the redirect) and through the API, each with a new
client uuid, and a retried tap.
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

from bench.visits_pages import Bench, p95


class FacilityBench(Bench):
    def cases(self):
        from django.urls import reverse

        facilities, logs = reverse("facility_list"), reverse("disinfection_list")
        for role in ("grid", "community", "township", "county"):
            yield role, "facilities", facilities
            yield role, "facilities suspended now", f"{facilities}?state=suspended"
            yield role, "facilities open now", f"{facilities}?state=open"
            yield role, "facilities, page 10", f"{facilities}?page=10"
            yield role, "disinfection logs", logs
            yield role, "API facilities", "/api/facilities/"
            yield role, "API facilities suspended", "/api/facilities/?state=suspended"
            yield role, "API disinfection logs", "/api/disinfection-logs/"
        room = self.door()
        yield "community", "a facility's page", reverse("facility_detail", args=[room.pk])
        yield "community", "its door counter", reverse("facility_door", args=[room.pk])

    def door(self):
        """An open facility the community login counts at, nobody inside. The demo puts that
        login's community at medium risk (its facilities suspended): then the login is also
        given a community worker's role on the community of an open one (a throwaway
        database)."""
        from django.utils import timezone

        from fangkong.areas.models import Role, RoleKind
        from fangkong.facilities import selectors
        from fangkong.facilities.models import Facility
        from fangkong.scope import system_scope

        user = self.users["community"]
        with system_scope():  # the bench looks for an open door anywhere and empties it
            room = (
                selectors.open_now(Facility.objects.filter(checkpoint=None)).order_by("pk").first()
            )
            if not user.has_perm("facilities.add_doortap", room):
                Role.objects.create(
                    worker=user.worker, area=room.area, kind=RoleKind.COMMUNITY_WORKER
                )
                user._fangkong_roles = user._fangkong_role_areas = None
            Facility.objects.filter(pk=room.pk).update(
                occupancy=0, occupancy_on=timezone.localdate()
            )
        return room

    def taps(self):
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from rest_framework.test import APIClient

        room = self.door()
        page = Client(HTTP_HOST="localhost")
        page.force_login(self.users["community"])
        api = APIClient(HTTP_HOST="localhost")
        api.force_authenticate(self.users["community"])
        url = reverse("facility_door", args=[room.pk])

        def by_page(change, key):
            answer = page.post(url, {"change": str(change), "client_uuid": key})
            assert answer.status_code == 302, answer.status_code

        def by_api(change, key):
            answer = api.post(
                f"/api/facilities/{room.pk}/tap/",
                {"change": change, "client_uuid": key},
                format="json",
            )
            assert answer.status_code in (200, 201), (answer.status_code, answer.content)

        for name, send, same in (
            ("tap through the page (POST)", by_page, False),
            ("tap through the API", by_api, False),
            ("tap retried (API)", by_api, True),
        ):
            key = str(uuid.uuid4())
            if same:
                by_api(1, key)
            times, cpu = [], []
            for i in range(self.args.repeat + 1):
                with CaptureQueriesContext(self.connection) as queries:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    send(1 if same or i % 2 == 0 else -1, key if same else str(uuid.uuid4()))
                    elapsed = (time.perf_counter() - started) * 1000
                if i:  # the first is the warm-up
                    times.append(elapsed)
                    cpu.append((time.process_time() - started_cpu) * 1000)
            print(
                f"{'community':<10} {name:<28} {statistics.median(times):>10.1f} "
                f"{p95(times):>8.1f} {statistics.median(cpu):>7.1f} {len(queries):>7}",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--facilities", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fangkong.demo.facilities import KINDS, communities, write_rows
    from fangkong.demo.writer import Writer
    from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility
    from fangkong.scope import system_scope

    call_command("migrate", "facilities", verbosity=0)
    # The bench fills and counts the whole database; the pages it times run as their users.
    with system_scope():
        have = Facility.objects.count()
        if have < args.facilities:
            started, cpu = time.perf_counter(), time.process_time()
            places = communities()
            per_place = -(-(args.facilities - have) // len(places))
            kinds = [KINDS[n % len(KINDS)] for n in range(per_place)]
            writer = Writer()
            with transaction.atomic():
                # Numbered names ("文体活动室12") beside the demo's own.
                write_rows(writer, random.Random(1), places=places, kinds=kinds, numbered=True)
            writer.finish()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for table in ("facility", "doortap", "disinfectionlog", "facilitystatuschange"):
                        cursor.execute(f"ANALYZE facilities_{table}")
            print(
                f"written in {time.perf_counter() - started:.0f} s "
                f"({time.process_time() - cpu:.0f} s CPU)"
            )
        figures = (
            f"facilities {Facility.objects.count():,}, door taps {DoorTap.objects.count():,}, "
            f"disinfection logs {DisinfectionLog.objects.count():,}"
        )
    print(f"database: {connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
    bench = FacilityBench(args, connection)
    bench.run()
    bench.taps()


if __name__ == "__main__":
    main()
