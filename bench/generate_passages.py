"""Passages at the gates of a generated county, written straight to the table (issue 14,
point 10: recording is measured with 10⁷ passages already stored).

    python bench/generate_passages.py --database-url URL [--passages 10000000] [--days 28]

Run it on a database made by `bench/generate.py` (after `manage.py migrate`). Every community
without a checkpoint in use gets one (东门卡点, pedestrians and vehicles) and one in three a
second (北门卡点, pedestrians); then, over the last `--days` days up to now, residents of each
community go out through one of its checkpoints and come back in through one (in/out pairs,
06:00–22:00, back after minutes to hours, about a fifth of them twice a day), visitors come
and go (4 % of the passages: a name, an encrypted ID number and phone from a pool of 5,000
visitors, a reason), a few cars with plates, about 1 in 2,000 a fever and 1 in 5,000 a
yellow code, each of those with its gate alert, dealt with (measured again: normal). No pass
exits and no alerts are left open: the gate's own figures stay as the demo makes them.

The rows are made as tuples in the database's own form (no model instances) and written in
chunks of 200,000: SQLite by `executemany` in one transaction with the journal off and a
2 GB page cache, PostgreSQL by COPY in text form. The passage table's indexes that can be
dropped are dropped first and made again at the end (sorting once is many times faster than
10⁷ random inserts into each), then the table is analysed (PostgreSQL: VACUUM ANALYZE).
Prints the seconds of each step and the rows per second.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 200_000
VISITOR_SHARE = 0.04
FEVER_EVERY = 2_000
YELLOW_EVERY = 5_000
REASONS = ["探亲", "送货", "维修", "看望老人", "快递", "家政服务", "走访"]


def say(text):
    print(text, flush=True)


class Table:
    """Rows in the database's own form, written by `executemany` or COPY."""

    def __init__(self, connection, model, columns):
        self.connection, self.model, self.columns = connection, model, columns
        self.table = model._meta.db_table
        quoted = ", ".join(f'"{c}"' for c in columns)
        if connection.vendor == "postgresql":
            self.sql = f'COPY "{self.table}" ({quoted}) FROM STDIN'
        else:
            marks = ", ".join(["%s"] * len(columns))
            self.sql = f'INSERT INTO "{self.table}" ({quoted}) VALUES ({marks})'

    def write(self, rows):
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                text = "".join(
                    "\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows
                )
                with cursor.cursor.copy(self.sql) as copy:
                    copy.write(text.encode())
            else:
                cursor.executemany(self.sql, rows)


def droppable_indexes(connection, table):
    """(drop, create) statements of the table's indexes but its primary key: unique
    constraints on PostgreSQL are dropped and added back as constraints."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), "
                "c.conname, pg_get_constraintdef(c.oid) FROM pg_index i "
                "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                [table],
            )
            found = []
            for name, definition, constraint, constraint_sql in cursor.fetchall():
                if constraint:
                    found.append(
                        (
                            f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"',
                            f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_sql}',
                        )
                    )
                else:
                    found.append((f"DROP INDEX {name}", definition))
            # Django's foreign keys are checked at commit: 5 lookups a row, row by row, for
            # 10⁷ rows (that COMMIT took longer than the load); added back, each is checked
            # by one join.
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for constraint, constraint_sql in cursor.fetchall():
                found.append(
                    (
                        f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"',
                        f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_sql}',
                    )
                )
            return found
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
        return [(f'DROP INDEX "{name}"', sql) for name, sql in cursor.fetchall()]


def checkpoints_per_community(connection, writer_now):
    """{community path: [(checkpoint id, area id, area path, kind)]}, adding gates to the
    communities that have none in use."""
    from fangkong.areas.models import Area, Level
    from fangkong.checkpoints.models import Checkpoint
    from fangkong.demo.writer import Writer
    from fangkong.scope import system_scope

    with system_scope():
        communities = list(Area.objects.filter(level=Level.COMMUNITY).order_by("path"))
        have = set(Checkpoint.objects.filter(is_active=True).values_list("area__path", flat=True))
        new = []
        for number, community in enumerate(communities):
            if community.path in have:
                continue
            new.append(
                Checkpoint(
                    area=community,
                    area_path=community.path,
                    name="东门卡点",
                    kind=Checkpoint.Kind.BOTH,
                    place=f"{community.name}东门",
                    hours="06:00–22:00",
                    mode_since=writer_now,
                )
            )
            if number % 3 == 0:
                new.append(
                    Checkpoint(
                        area=community,
                        area_path=community.path,
                        name="北门卡点",
                        kind=Checkpoint.Kind.PEDESTRIAN,
                        place=f"{community.name}北门",
                        hours="06:00–22:00",
                        mode_since=writer_now,
                    )
                )
        writer = Writer()
        writer.insert(Checkpoint, new)
        writer.finish()
        gates = {}
        for gate in Checkpoint.objects.filter(is_active=True).order_by("pk"):
            community = next(
                (c.path for c in communities if gate.area_path.startswith(c.path)), None
            )
            if community:
                gates.setdefault(community, []).append(
                    (gate.pk, gate.area_id, gate.area_path, gate.kind)
                )
    return gates, len(new)


def residents_by_community(connection, communities):
    """{community path: [resident id]} of the active residents."""
    by_area, found = {}, {path: [] for path in communities}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, area_path FROM people_resident WHERE status = 'active'")
        for pk, path in cursor.fetchall():
            community = by_area.get(path)
            if community is None:
                parts = path.strip("/").split("/")
                community = next(
                    (
                        p
                        for p in ("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1))
                        if p in found
                    ),
                    "",
                )
                by_area[path] = community
            if community:
                found[community].append(pk)
    return found


def make_visitors(count, rng):
    """(name, encrypted ID number, its digest, encrypted phone) of `count` visitors."""
    from fangkong.pii import bulk_encryptor, lookup_digest

    encrypt = bulk_encryptor()
    surnames, given = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗",
        "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚",
    )
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    visitors = []
    for _ in range(count):
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
        body = f"350502{birth:%Y%m%d}{rng.randrange(1000):03d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
        id_number = body + check
        phone = f"13{rng.randrange(10**9):09d}"
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        visitors.append((name, encrypt(id_number), lookup_digest(id_number), encrypt(phone)))
    return visitors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--passages", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    import django

    django.setup()
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from fangkong.checkpoints.models import GateAlert, Passage

    rng = random.Random(args.seed)
    started, cpu = time.perf_counter(), time.process_time()
    now = timezone.now().replace(microsecond=0)
    pg = connection.vendor == "postgresql"

    gates, added = checkpoints_per_community(connection, now)
    residents = residents_by_community(connection, list(gates))
    communities = [c for c in gates if residents[c]]
    weights = [len(residents[c]) for c in communities]
    say(
        f"{sum(map(len, gates.values()))} checkpoints in {len(gates)} communities "
        f"({added} added), {sum(weights)} active residents"
    )
    visitors = make_visitors(5_000, rng)
    with connection.cursor() as cursor:
        cursor.execute('SELECT id FROM "auth_user" WHERE username = %s', ["checkpoint"])
        row = cursor.fetchone()
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{Passage._meta.db_table}"')
        first_id = cursor.fetchone()[0] + 1
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{GateAlert._meta.db_table}"')
        first_alert = cursor.fetchone()[0] + 1
    recorder = row[0] if row else None

    # Times in the database's text form, by the minute from the first day's 00:00 local.
    tz = timezone.get_current_timezone()
    first_day = timezone.localdate(now) - datetime.timedelta(days=args.days - 1)
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=tz)
    suffix = "+00" if pg else ""
    minutes = [
        (start + datetime.timedelta(minutes=m)).astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")
        for m in range(args.days * 1440)
    ]
    last_minute = int((now - start).total_seconds() // 60) - 1

    passage_columns = [
        "id", "area_id", "area_path", "client_uuid", "checkpoint_id", "direction",
        "resident_id", "visitor_name", "visitor_id_number", "visitor_id_hash", "visitor_phone",
        "reason", "visited_household_id", "temperature", "health_code", "code_source", "plate",
        "recorded_at", "received_at", "recorded_by_id",
    ]  # fmt: skip
    alert_columns = [
        "id", "area_id", "area_path", "passage_id", "reasons", "worker_id", "opened_at",
        "disposition", "disposition_note", "closed_at", "closed_by_id",
    ]  # fmt: skip
    passages = Table(connection, Passage, passage_columns)
    alerts = Table(connection, GateAlert, alert_columns)
    dropped = droppable_indexes(connection, Passage._meta.db_table)

    if not pg:
        # SQLite looks each foreign key up as a row is written (a third of the load's time);
        # the rows reference ids just read from their tables.
        connection.disable_constraint_checking()
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET synchronous_commit = off")
        else:
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -2000000")
        for drop, _create in dropped:
            cursor.execute(drop)
    say(f"dropped {len(dropped)} indexes and constraints of the passage table")

    def stamp(minute, second):
        return f"{minutes[minute]}:{second:02d}{suffix}"

    def uuid_hex():
        return f"{rng.getrandbits(128):032x}"

    normal = [f"36.{d % 10}" for d in range(90)] + [f"35.{d}" for d in range(5, 10)] * 2
    fevers = [f"{degree}.{d}" for degree in (37, 38) for d in range(3, 10)]
    made, alert_rows, next_id, next_alert = 0, [], first_id, first_alert
    write_seconds = 0.0
    choice, randrange, rand = rng.choices, rng.randrange, rng.random
    with transaction.atomic():
        while made < args.passages:
            rows = []
            size = min(CHUNK, args.passages - made)
            picked = choice(communities, weights, k=size // 2 + 1)
            for community in picked:
                if len(rows) >= size:
                    break
                gate_list = gates[community]
                day = randrange(args.days)
                out_minute = day * 1440 + 360 + randrange(16 * 60)
                back = out_minute + int(rng.expovariate(1 / 120)) + 5
                if back > last_minute or out_minute > last_minute:
                    out_minute = randrange(max(last_minute - 600, 1))
                    back = min(out_minute + 30, last_minute)
                gate_out, gate_in = rng.choice(gate_list), rng.choice(gate_list)
                if rand() < VISITOR_SHARE:
                    resident, visitor = None, rng.choice(visitors)
                    first, second = ("in", gate_in, out_minute), ("out", gate_out, back)
                    reason = rng.choice(REASONS)
                else:
                    resident = rng.choice(residents[community])
                    visitor, reason = None, ""
                    first, second = ("out", gate_out, out_minute), ("in", gate_in, back)
                plate = ""
                if gate_out[3] == "both" and rand() < 0.05:
                    plate = f"闽C{randrange(10**5):05d}"
                for direction, gate, minute in (first, second):
                    second_of = randrange(60)
                    temperature, code, reasons = normal[randrange(100)], "green", ()
                    odd = randrange(FEVER_EVERY * YELLOW_EVERY)
                    if odd < YELLOW_EVERY:  # one in FEVER_EVERY
                        temperature, reasons = rng.choice(fevers), ("fever",)
                    if odd % YELLOW_EVERY == 1:  # one in YELLOW_EVERY
                        code, reasons = "yellow", (*reasons, "code")
                    rows.append(
                        (
                            next_id, gate[1], gate[2], uuid_hex(), gate[0], direction, resident,
                            visitor[0] if visitor else "", visitor[1] if visitor else "",
                            visitor[2] if visitor else "", visitor[3] if visitor else "",
                            reason, None, temperature, code, "attested", plate,
                            stamp(minute, second_of), stamp(minute, min(second_of + 2, 59)),
                            recorder,
                        )
                    )  # fmt: skip
                    if reasons:
                        handled = min(minute + 20, last_minute)
                        alert_rows.append(
                            (
                                next_alert, gate[1], gate[2], next_id,
                                '["' + '", "'.join(reasons) + '"]', None,
                                stamp(minute, min(second_of + 2, 59)), "remeasured_normal", "",
                                stamp(handled, 0), recorder,
                            )
                        )  # fmt: skip
                        next_alert += 1
                    next_id += 1
            rows = rows[:size]
            next_id = first_id + made + len(rows)
            alert_rows = [a for a in alert_rows if a[3] < next_id]
            began = time.perf_counter()
            passages.write(rows)
            write_seconds += time.perf_counter() - began
            made += len(rows)
            say(f"passages {made:,} ({time.perf_counter() - started:.0f} s)")
        alerts.write(alert_rows)
    loaded = time.perf_counter() - started
    say(
        f"loaded {made:,} passages and {len(alert_rows):,} gate alerts in {loaded:.0f} s "
        f"({write_seconds:.0f} s of it writing)"
    )

    indexing = time.perf_counter()
    with connection.cursor() as cursor:
        for _drop, create in dropped:
            began = time.perf_counter()
            cursor.execute(create)
            say(f"  {create[:90]}: {time.perf_counter() - began:.0f} s")
        for sql in connection.ops.sequence_reset_sql(no_style(), [Passage, GateAlert]):
            cursor.execute(sql)
    indexed = time.perf_counter() - indexing
    analysing = time.perf_counter()
    with connection.cursor() as cursor:
        if pg:
            cursor.execute(f'VACUUM ANALYZE "{Passage._meta.db_table}"')
            cursor.execute(f'VACUUM ANALYZE "{GateAlert._meta.db_table}"')
        else:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute(f'ANALYZE "{Passage._meta.db_table}"')
            cursor.execute(f'ANALYZE "{GateAlert._meta.db_table}"')
            cursor.execute("PRAGMA journal_mode = WAL")
    analysed = time.perf_counter() - analysing
    total = time.perf_counter() - started
    load = os.getloadavg()
    say(
        f"\n{made:,} passages, {len(alert_rows):,} alerts: {total:.0f} s in all "
        f"({made / total:,.0f} passages/s): load {loaded:.0f} s ({made / loaded:,.0f}/s), "
        f"indexes {indexed:.0f} s, analyse {analysed:.0f} s; CPU of this process "
        f"{time.process_time() - cpu:.0f} s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )


if __name__ == "__main__":
    main()
