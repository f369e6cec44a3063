"""Demo and benchmark data: a realistic 鲤城区 (Quanzhou, Fujian) written straight to the database.

`build(residents=N)` fills an EMPTY database with 福建省 → 泉州市 → 鲤城区 → streets →
communities and villages → grids → buildings → households → residents, plus workers,
their roles and one login per role (see ACCOUNTS). It is deterministic for a given seed.

Where the names come from:
- the province, city, county and the eight streets (街道) and their 12-digit codes are the
  real ones (统计用区划代码, 350502001–350502008);
- the community and village names are plausible local names, partly taken from public
  descriptions of the streets (e.g. 金龙街道's 金柄、玉霞、赤土…, 常泰街道's 华星、锦田…);
  whether each is a 社区 or a 村 and their code suffixes are NOT verified: codes are
  numbered in order (社区 from 001, 村 from 201) except 开元社区 = 350502004011, which is
  real. When more are needed than listed, further names are invented from common
  place-name characters; every code stays unique and well formed.
- workers: a supervisor per street and on the county, a community worker and a medical
  worker per community, a grid worker per grid (responsible for the grid's buildings), a
  system administrator on the province. Workers holding a role on a grid belong to (have
  `area` =) the grid's community, as in tests/world.py; the role itself is on the grid.
- people are invented: Chinese names from common local surnames, ID numbers valid per
  GB 11643 (birth place codes valid for the birth year, so `stdnum.cn.ric` accepts them),
  mobile numbers for most people aged 14 and over.

It writes rows straight to the tables (`fangkong/demo/writer.py`; no per-row services) so
that 10⁶ residents take minutes; it sets the area paths, the lookup digests and tails, the
pinyin initials, sex and birth date itself. What a grid worker would have recorded since —
statuses, key-group tags, dismissed suggestions, responsible workers — is described in
`fangkong/demo/registry.py`; the health monitoring of the last 60 days (plans, checks,
alerts) in `fangkong/demo/monitoring.py`.
"""

import random

from django.db import connection, reset_queries, transaction

from fangkong.areas.models import Area, Role
from fangkong.demo import monitoring, reports
from fangkong.demo.data import ACCOUNTS, PASSWORD
from fangkong.demo.generator import Generator

__all__ = ["PASSWORD", "accounts", "build"]

TRANSACTION_HOUSEHOLDS = 15_000  # ≈ 50,000 residents: big transactions write each page once


def build(*, residents=5000, seed=1, stdout=None):
    """Fill an empty database; return [(username, role label, area name)] of the demo logins."""
    if Area.all_objects.exists():
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
    return accounts()


def add_monitoring(writer, residents, seed, stdout=None):
    """Plans, checks and alerts of the last 60 days up to today, with their own random numbers
    (the same seed gives the same people whether they are written together or apart)."""
    return monitoring.build(writer, random.Random(f"monitoring-{seed}"), residents, stdout=stdout)


def accounts():
    """[(username, role label, area name)] of the demo logins present in the database."""
    roles = Role.all_objects.filter(worker__user__username__in=ACCOUNTS).select_related(
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
