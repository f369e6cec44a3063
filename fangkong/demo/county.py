"""Builds the demo county (see the package's docstring): `build`, `accounts`."""

import random

from django.db import connection, reset_queries, transaction

from fangkong.areas.models import Area, Role
from fangkong.demo import care as demo_care
from fangkong.demo import checkpoints, monitoring, reports, response
from fangkong.demo import commendations as demo_commendations
from fangkong.demo import directives as demo_directives
from fangkong.demo import elections as demo_elections
from fangkong.demo import facilities as demo_facilities
from fangkong.demo import gatherings as demo_gatherings
from fangkong.demo import notices as demo_notices
from fangkong.demo import quarantine as demo_quarantine
from fangkong.demo import subsidies as demo_subsidies
from fangkong.demo import supplies as demo_supplies
from fangkong.demo import tracing as demo_tracing
from fangkong.demo import training as demo_training
from fangkong.demo import visits as demo_visits
from fangkong.demo import workforce as demo_workforce
from fangkong.demo.data import ACCOUNTS, PASSWORD

__all__ = ["PASSWORD", "accounts", "add_monitoring", "build"]
from fangkong.demo.generator import Generator
from fangkong.scope import system_scope

TRANSACTION_HOUSEHOLDS = 15_000  # ≈ 50,000 residents: big transactions write each page once


def build(*, residents=5000, seed=1, stdout=None):
    """Fill an empty database; return [(username, role label, area name)] of the demo logins."""
    # The demo is system code: it writes and reads the whole county, in nobody's scope.
    with system_scope():
        _build(residents, seed, stdout)
    return accounts()


def _build(residents, seed, stdout):
    if Area.objects.exists():
        raise RuntimeError("demo.build needs an empty database (areas already exist).")
    say = stdout.write if stdout else (lambda text: None)
    if connection.vendor == "sqlite":  # random digests hit index pages all over the file
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB for this connection
    gen = Generator(random.Random(seed))
    sizes, counts = gen.plan(residents)
    with transaction.atomic():
        communities = gen.areas(counts)
        grid_workers = gen.workers(communities)
    say(f"areas, workers and roles: done ({len(communities)} communities)\n")
    sizes = iter(sizes)
    done = number = 0
    for group in _groups(communities, TRANSACTION_HOUSEHOLDS):
        with transaction.atomic():
            for community, grids in group:
                done += gen.people(community, grids, grid_workers, sizes)
        reset_queries()  # with DEBUG on, Django keeps the last 9,000 (huge) insert statements
        number += len(group)
        say(f"communities {number}/{len(communities)}, residents {done}\n")
    add_monitoring(gen.writer, residents, seed, stdout)
    gen.writer.finish()
    reports.build(random.Random(f"reports-{seed}"), stdout)
    checkpoints.build(stdout)
    response.build(stdout)
    demo_tracing.build(random.Random(f"tracing-{seed}"), stdout)
    demo_visits.build(random.Random(f"visits-{seed}"), stdout)
    demo_workforce.build(random.Random(f"workforce-{seed}"), stdout)
    demo_notices.build(random.Random(f"notices-{seed}"), stdout)
    demo_care.build(random.Random(f"care-{seed}"), stdout)
    demo_quarantine.build(random.Random(f"quarantine-{seed}"), stdout)
    demo_gatherings.build(random.Random(f"gatherings-{seed}"), stdout)
    demo_facilities.build(random.Random(f"facilities-{seed}"), stdout)
    demo_training.build(random.Random(f"training-{seed}"), stdout)
    demo_subsidies.build(random.Random(f"subsidies-{seed}"), stdout)
    demo_commendations.build(random.Random(f"commendations-{seed}"), stdout)
    demo_elections.build(random.Random(f"elections-{seed}"), stdout)
    demo_supplies.build(random.Random(f"supplies-{seed}"), stdout)
    demo_directives.build(random.Random(f"directives-{seed}"), stdout)


def add_monitoring(writer, residents, seed, stdout=None):
    """Plans, checks and alerts of the last 60 days up to today, with their own random numbers
    (the same seed gives the same people whether they are written together or apart)."""
    return monitoring.build(writer, random.Random(f"monitoring-{seed}"), residents, stdout=stdout)


def accounts():
    """[(username, role label, area name)] of the demo logins present in the database."""
    # System code: the logins are listed for whoever runs the command, whatever their areas.
    with system_scope():
        roles = Role.objects.filter(worker__user__username__in=ACCOUNTS).select_related(
            "worker__user", "area"
        )
    found = {role.worker.user.username: (role.get_kind_display(), role.area.name) for role in roles}
    return [(username, *found[username]) for username in ACCOUNTS if username in found]


def _groups(communities, households):
    """Consecutive communities with about `households` households in all: one transaction each."""
    group, count = [], 0
    for community, grids in communities:
        group.append((community, grids))
        count += sum(sum(buildings) for _grid, buildings in grids)
        if count >= households:
            yield group
            group, count = [], 0
    if group:
        yield group
