"""Time the service request lists (issue 16, point 10) on a generated database.

    python bench/care_pages.py --database-url sqlite:////tmp/fk-care.sqlite3 \
        [--requests 100000] [--repeat 30] [--explain MS]

First, if the database holds fewer than `--requests` service requests, adds them: households
drawn at random across the database, types and statuses mixed (a third open, some past their
deadline), created over the last 90 days; and a volunteer provider (the demo login
`volunteer`) serving its community, given that community's open medicine deliveries. The
database is a throwaway copy: this writes to it.

Then, as the demo logins, through Django's test client (template included, no network): the
request list (all; open; overdue; one type; page 10), the volunteer's own list, the home page
(its cards count open and overdue requests) and the API list. One warm-up, then `--repeat`
requests; median and p95 wall time, median CPU time, queries, the slowest query.
"""

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from visits_pages import Bench as VisitsBench

ROLES = ("grid", "community", "township", "county", "volunteer")
TYPES = [
    "supplies",
    "medicine_delivery",
    "care",
    "emergency_vehicle",
    "government_service",
    "other",
]
HOURS = {"supplies": 24, "medicine_delivery": 24, "care": 48, "emergency_vehicle": 1}


def fill(target, stdout):
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.areas.models import Role, RoleKind
    from fangkong.care.models import Provider, ServiceRequest
    from fangkong.demo.writer import Writer
    from fangkong.people.models import Household

    have = ServiceRequest.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    rng = random.Random(16)
    households = list(Household.objects.values_list("id", "area_id", "area_path"))
    role = Role.objects.filter(kind=RoleKind.VOLUNTEER, worker__user__username="volunteer").first()
    community_path = (
        "/".join(role.area.path.split("/")[:-2]) + "/"
        if role.area.level == "grid"
        else role.area.path
    )
    provider = Provider.objects.filter(name="志愿者（压测）").first()
    if provider is None:
        community = role.area.parent if role.area.level == "grid" else role.area
        provider = Provider.objects.create(
            area=community,
            name="志愿者（压测）",
            kind=Provider.Kind.VOLUNTEER,
            worker=role.worker,
            service_types=["medicine_delivery", "supplies"],
        )
        provider.service_areas.add(community)
    now = timezone.now()
    rows = []
    for _n in range(target - have):
        household, area, path = rng.choice(households)
        kind = rng.choice(TYPES)
        created = now - datetime.timedelta(minutes=rng.randrange(90 * 24 * 60))
        due = created + datetime.timedelta(hours=HOURS.get(kind, 72))
        status = rng.choices(
            ["new", "dispatched", "in_progress", "done", "cancelled"], [8, 15, 10, 62, 5]
        )[0]
        if due > now and status == "done":
            status = "dispatched"
        mine = path.startswith(community_path) and kind == "medicine_delivery"
        rows.append(
            {
                "area_id": area,
                "area_path": path,
                "client_uuid": uuid.UUID(int=rng.getrandbits(128)),
                "household_id": household,
                "resident_id": None,
                "service_type": kind,
                "details": f"压测需求 {kind}",
                "contact_name": "",
                "contact_phone": "",
                "channel": rng.choice(["online", "phone", "visit"]),
                "created_by_id": None,
                "created_at": created,
                "due_at": due,
                "status": status,
                "provider_id": provider.pk if mine and status != "new" else None,
                "dispatched_at": created if status != "new" else None,
                "started_at": None,
                "done_at": due - datetime.timedelta(hours=1) if status == "done" else None,
                "delivered": "已送达" if status == "done" else "",
                "cancelled_reason": "重复提交" if status == "cancelled" else "",
                "escalation": 0,
                "confirmed_at": None,
                "confirmed_by_id": None,
                "rating": None,
                "comment": "",
            }
        )
    writer = Writer()
    with transaction.atomic():
        writer.insert_rows(ServiceRequest, rows)
    writer.finish()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE care_servicerequest")
    stdout.write(f"{len(rows):,} requests written in {time.perf_counter() - started:.0f} s\n")


class Bench(VisitsBench):
    def __init__(self, args, connection):
        from django.contrib.auth import get_user_model

        self.args, self.connection = args, connection
        users = get_user_model().objects.select_related("worker")
        self.users = {name: users.get(username=name) for name in ROLES}
        self.clients = {}

    def cases(self):
        from django.urls import reverse

        requests = reverse("care_requests")
        for role in self.args.roles.split(","):
            if role == "volunteer":
                yield role, "my deliveries", f"{requests}?mine=1"
                yield role, "home page", "/"
                continue
            yield role, "requests, all", requests
            yield role, "requests, open", f"{requests}?open=true"
            yield role, "requests, overdue", f"{requests}?overdue=true"
            yield role, "requests, medicine", f"{requests}?service_type=medicine_delivery"
            yield role, "requests, page 10", f"{requests}?page=10"
            yield role, "home page", "/"
            yield role, "API requests", "/api/service-requests/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS")
    parser.add_argument(
        "--roles", default=",".join(ROLES), help="the logins to time, comma-separated"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.db import connection

    from fangkong.care.models import ServiceRequest
    from fangkong.people.models import Resident
    from fangkong.scope import system_scope

    with system_scope():  # the bench fills and counts the whole database
        fill(args.requests, sys.stdout)
        figures = (
            f"residents {Resident.objects.count():,}, "
            f"service requests {ServiceRequest.objects.count():,}"
        )
    print(f"database: {connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
    Bench(args, connection).run()


if __name__ == "__main__":
    main()
