"""Time the matching of a verification list (协查名单): python bench/verification_match.py

Needs a county made by bench/generate.py (10⁵ or 10⁶ residents). Writes a list of `--rows`
people taken from the registry (`/tmp/fk_verify_bench_<rows>_<seed>.xlsx`, kept): 70 % named
by ID number, 15 % by phone only, 10 % by name and community only, 5 % people the registry
does not hold; 2 % of the rows name a person a second time. Then, as the demo account
`county`, times `services.upload_list` (read the file, check every row, match every row with
the registry in bulk, make the tasks and entries), each run in a transaction rolled back
afterwards, and once more after a first upload was kept (every person then already has an
open task: all rows merged). Prints wall and CPU seconds, the number of queries, and the
time of each step (read, match, write) from a separate run of the steps.
"""

import argparse
import datetime
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu():
    """CPU seconds of this connection's PostgreSQL backend (on the same machine), else 0."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="e.g. sqlite:////tmp/bench_verify_1e6.sqlite3")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    os.environ["DJANGO_DEBUG"] = "0"

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from fangkong.areas.models import Area
    from fangkong.people.models import Resident
    from fangkong.scope import system_scope
    from fangkong.verification import services
    from fangkong.verification.matching import match_rows
    from fangkong.verification.reading import read_list

    call_command("migrate", verbosity=0)
    # The bench reads the registry to write its list (system code); the upload and the
    # matching it times run as the county supervisor, outside this scope.
    with system_scope():
        residents = Resident.objects.count()
        county = Area.objects.get(code="350502000000")
        path = Path(f"/tmp/fk_verify_bench_{args.rows}_{args.seed}_{residents}.xlsx")
        if not path.exists():
            write_list(path, args.rows, args.seed)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, {residents:,} residents"
    )
    actor = get_user_model().objects.get(username="county")
    data = path.read_bytes()
    deadline = datetime.date.today() + datetime.timedelta(days=3)

    def upload():
        return services.upload_list(
            actor=actor,
            area=county,
            name="bench",
            deadline=deadline,
            upload=SimpleUploadedFile(path.name, data),
        )

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -65536")  # as the resident import's commit
    # The steps alone: read and clean, match.
    started, used = time.perf_counter(), cpu()
    reading = read_list(path.name, data)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    matches = match_rows(county, reading.rows, actor=actor)
    match_s = time.perf_counter() - started
    matched = sum(1 for m in matches.values() if m.resident)
    print(
        f"steps: read+clean {read_s:.2f} s ({len(reading.rows):,} rows, {len(reading.problems)} problems), "
        f"match {match_s:.2f} s ({matched:,} matched), CPU {cpu() - used:.2f} s"
    )
    for run in range(args.repeat):
        with transaction.atomic():
            started, used, served = time.perf_counter(), cpu(), server_cpu()
            with CaptureQueriesContext(connection) as queries:
                vlist = upload()
            report(f"upload {run + 1}", started, used, queries, vlist, served)
            transaction.set_rollback(True)
    with transaction.atomic():
        upload()
        started, used, served = time.perf_counter(), cpu(), server_cpu()
        with CaptureQueriesContext(connection) as queries:
            vlist = upload()
        report("again (all open)", started, used, queries, vlist, served)
        transaction.set_rollback(True)


def report(label, started, used, queries, vlist, served=0.0):
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    server = f" + server {server_cpu() - served:.2f} s" if served else ""
    print(
        f"{label}: {seconds:.2f} s wall, CPU {cpu() - used:.2f} s{server}, {len(queries)} queries; "
        f"rows {vlist.rows_total:,}: matched {vlist.rows_matched:,}, unmatched "
        f"{vlist.rows_unmatched:,}, merged {vlist.rows_merged:,}, refused {vlist.rows_invalid}; "
        f"peak memory {usage.ru_maxrss / 1024:,.0f} MB, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def write_list(path, rows, seed):
    """A list of `rows` people of the registry (and a few it does not hold), as an .xlsx."""
    import xlsxwriter
    from stdnum.cn import ric

    from fangkong.areas.models import Area
    from fangkong.people.models import Resident

    rng = random.Random(seed)
    bounds = Resident.objects.order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bounds.last()
    picked = []
    wanted = set(rng.sample(range(low, high + 1), min(rows * 2, high - low + 1)))
    ids = sorted(wanted)
    for start in range(0, len(ids), 2000):
        picked += list(
            Resident.objects.filter(pk__in=ids[start : start + 2000])
            .exclude(id_number="")
            .select_related("area__parent")
        )
        if len(picked) >= rows:
            break
    rng.shuffle(picked)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("协查名单")
    text = workbook.add_format({"num_format": "@"})
    for col, header in enumerate(["姓名", "身份证号", "联系电话", "协查原因", "社区/村"]):
        sheet.write_string(0, col, header)
    communities = {a.pk: a.name for a in Area.objects.filter(level="community")}
    line = 1
    for n in range(rows):
        kind = rng.random()
        if kind < 0.05:  # nobody the registry holds
            body = f"{rng.choice(['110101', '440106', '310104'])}19{rng.randint(50, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(100, 999)}"
            number = body + ric.calc_check_digit(body + "0")
            cells = [f"外来{n}", number, "", "自风险地区返回", ""]
        else:
            person = picked[max(n - 1, 0) if kind < 0.07 else n]  # 2 % name someone twice
            community = communities.get(person.area.parent_id, "")
            if kind < 0.75:
                cells = [person.name, person.id_number, "", "11月20日自广州返乡", ""]
            elif kind < 0.90:
                cells = [person.name, "", person.phone, "同航班人员", ""]
            else:
                cells = [person.name, "", "", "密接的同住人", community]
        for col, value in enumerate(cells):
            sheet.write_string(line, col, value, text)
        line += 1
    workbook.close()
    path.write_bytes(buffer.getvalue())
    print(f"wrote {path} ({rows:,} rows)")


if __name__ == "__main__":
    main()
