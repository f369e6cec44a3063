"""Time the resident import (摸排表导入) of a large .xlsx: python bench/people_import.py --rows 100000

Builds 新华社区 with 20 grids in an empty database, writes a survey table of `--rows` people
(valid, unique ID numbers and realistic families from fangkong/demo's generator) and measures,
each in a fresh process so that each peak memory is its own:

  parse    reading the file alone (calamine), then reading and cleaning every row
  insert   a bulk insert of the same residents alone (households made beforehand, untimed;
           rolled back afterwards)
  import   the import as the service runs it: submit (store the file, check it: parse,
           clean, de-duplicate, compare with the registry) and commit (check again against
           the registry, write everything in one transaction); then the same file submitted
           again, which finds all 10⁵ people registered and unchanged

Peak memory is the peak resident set size of the process (getrusage ru_maxrss), Django
and the file included; the process forked to clean half of the rows is reported apart
(its CPU seconds are counted in the CPU column). The database is DATABASE_URL / --database-url, or a fresh SQLite file.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GRIDS = 20
COMMUNITY = "350502001001"
USERNAME = "bench-importer"
HEADER = ["网格", "小区/楼栋/自然村", "门牌号", "姓名", "身份证号", "联系电话", "性别", "出生日期"]
HEADER += ["与户主关系", "居住状态", "重点人群"]
KINDS = ["独居老人", "残疾人", "低保对象", "孕产妇", "留守儿童", "特困人员"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--phase", choices=["setup", "file", "parse", "insert", "import"])
    parser.add_argument("--file")
    parser.add_argument(
        "--processes",
        choices=["auto", "1", "2"],
        default="auto",
        help="clean the rows in one or two processes (auto: two where a core is idle)",
    )
    args = parser.parse_args()
    if args.phase:
        return run_phase(args)
    if not args.database_url:
        path = Path(f"/tmp/fk_import_bench_{args.rows}.sqlite3")
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        args.database_url = f"sqlite:///{path}"
    args.file = f"/tmp/fk_import_bench_{args.rows}_{args.seed}.xlsx"
    results = {}
    for phase in ("setup", "file", "parse", "insert", "import"):
        if phase == "file" and Path(args.file).exists():
            continue
        results[phase] = child(args, phase)
    report(args, results)
    return None


def child(args, phase):
    """Run one phase in a fresh interpreter; return what it printed as JSON."""
    env = {**os.environ, "DATABASE_URL": args.database_url, "FANGKONG_TASKS": "immediate"}
    env["DJANGO_DEBUG"] = "0"  # as in production: no query log
    env.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    command = [sys.executable, __file__, "--phase", phase, "--rows", str(args.rows)]
    command += ["--seed", str(args.seed), "--file", args.file, "--processes", args.processes]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    for line in done.stderr.splitlines():
        if "resident import" in line:
            print(f"    [{phase}] {line}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(args, results):
    rows = args.rows
    parse, insert, run = results["parse"], results["insert"], results["import"]
    total = [a + b for a, b in zip(run["submit"], run["commit"], strict=True)]
    print(f"database: {results['setup']['database']}, rows: {rows:,}, file: {args.file}")
    print(f"{'measure':<46} {'seconds':>8} {'CPU s':>7} {'rows/s':>8} {'peak RSS':>9}")

    def line(label, times, peak=None):
        memory = f"{peak:>6.0f} MB" if peak else ""
        print(f"{label:<46} {times[0]:>8.2f} {times[1]:>7.2f} {rows / times[0]:>8,.0f} {memory}")

    line("(a) parse the .xlsx alone (calamine)", parse["parse"], parse["peak_mb"])
    line("    parse and clean every row", parse["clean"])
    line("(b) bulk insert of the same residents alone", insert["insert"], insert["peak_mb"])
    line("(c) import end to end: submit + commit", total, run["import_peak_mb"])
    if run.get("children_peak_mb"):
        print(
            f"{'    the forked process cleaning rows, its peak':<72} {run['children_peak_mb']:>6.0f} MB"
        )
    line("    submit (store, parse, clean, check)", run["submit"])
    line("    commit (check again, write)", run["commit"])
    line("(d) the same file again: submit (all unchanged)", run["resubmit"], run["peak_mb"])
    print(f"counts: {run['counts']}")
    floor = parse["parse"][0] + insert["insert"][0]
    print(f"end to end / (parse alone + insert alone) = {total[0] / floor:.2f}")


class Timer:
    """Wall-clock and CPU seconds of this process and of the processes it forked to clean rows
    (PostgreSQL's own work is not in the CPU)."""

    def __enter__(self):
        self.started = (time.perf_counter(), cpu_seconds())
        return self

    def __exit__(self, *exc):
        wall, cpu = time.perf_counter(), cpu_seconds()
        self.times = (wall - self.started[0], cpu - self.started[1])


def cpu_seconds():
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb():
    """The peak resident set size of the largest process this one forked (0 if none)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_phase(args):
    if args.phase == "file":
        result = write_file(args)
    else:
        import django

        django.setup()
        if args.processes != "auto":
            from fangkong.people import import_workers

            import_workers.second_process_helps = lambda: args.processes == "2"
        from fangkong.areas.models import Area
        from fangkong.people.models import Household, Resident
        from fangkong.scope import system_scope

        # A phase sets up and checks its data in the whole database (system code): querysets
        # started here keep that scope wherever they run. The import it times runs as the
        # importer, outside it.
        with system_scope():
            system = SimpleNamespace(
                areas=Area.objects.all(),
                households=Household.objects.all(),
                residents=Resident.objects.all(),
            )
        result = globals()[f"phase_{args.phase}"](args, system)
    result["peak_mb"] = peak_mb()
    print(json.dumps(result, default=str))


# --- the phases (each in its own process) -----------------------------------------------------
def phase_setup(args, system):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from fangkong.areas.models import Area, Level, Role, RoleKind, Worker

    call_command("migrate", verbosity=0)
    if system.areas.exists():
        raise SystemExit("bench/people_import.py needs an empty database (areas already exist).")
    parent = None
    tree = [
        ("350000000000", "福建省", Level.PROVINCE),
        ("350500000000", "泉州市", Level.CITY),
        ("350502000000", "鲤城区", Level.COUNTY),
        ("350502001000", "海滨街道", Level.TOWNSHIP),
        (COMMUNITY, "新华社区", Level.COMMUNITY),
    ]
    for code, name, level in tree:
        parent = Area.objects.create(code=code, name=name, level=level, parent=parent)
    for number in range(1, GRIDS + 1):
        Area.objects.create(
            code=f"{COMMUNITY}{number:03d}", name=f"第{number}网格", level=Level.GRID, parent=parent
        )
    user = get_user_model().objects.create_user(USERNAME)
    worker = Worker.objects.create(
        user=user, area=parent, name="导入员", affiliation=Worker.Affiliation.COMMUNITY
    )
    Role.objects.create(worker=worker, area=parent, kind=RoleKind.COMMUNITY_WORKER)
    return {"database": f"{connection.vendor} {connection.settings_dict['NAME']}"}


def write_file(args):
    """The survey table of `--rows` people: families from the demo generator, 20 grids."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    import random

    import django

    django.setup()
    import xlsxwriter

    from fangkong.demo.generator import Generator
    from fangkong.people.models import Household

    rng = random.Random(args.seed)
    generator = Generator(rng)
    sizes, _counts = generator.plan(args.rows)
    labels = {"head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母"}
    labels |= {"grandchild": "孙子女", "grandparent": "祖父母", "sibling": "兄弟姐妹"}
    labels |= {"tenant": "租户", "other": "其他"}
    residence = {"registered_living": "户在人在", "registered_away": "户在人不在"}
    residence |= {"living_here": "人在户不在"}
    workbook = xlsxwriter.Workbook(args.file)  # shared strings, as Excel writes them
    sheet = workbook.add_worksheet("居民")
    sheet.write_row(0, 0, HEADER)
    household = Household(area_id=1, area_path="/")
    number = 0
    for index, size in enumerate(sizes):
        grid = index % GRIDS + 1
        building, house = divmod(index // GRIDS, 24)
        for person in generator.household_members(household, size):
            number += 1
            kind = rng.choice(KINDS) if rng.random() < 0.05 else ""
            sheet.write_row(
                number,
                0,
                [
                    f"第{grid}网格",
                    f"{building + 1}号楼",
                    f"{house // 4 + 1}0{house % 4 + 1}",
                    person.name,
                    person.id_number,
                    person.phone,
                    "男" if person.sex == "male" else "女",
                    person.birth_date.isoformat(),
                    labels[person.relation_to_head],
                    residence[person.residence],
                    kind,
                ],
            )
    assert number == args.rows, number
    workbook.close()
    return {"rows": number}


def phase_parse(args, system):
    from fangkong.people.imports import read_file
    from fangkong.spreadsheets import sheet_rows

    data = Path(args.file).read_bytes()
    area = system.areas.get(code=COMMUNITY)
    with Timer() as parsed:
        _count, rows = sheet_rows(args.file, data)
        for _row in rows:
            pass
    with Timer() as cleaned:
        reading = read_file(args.file, data, actor=community_user(), area=area)
    assert len(reading.rows) == args.rows, (len(reading.rows), reading.problems[:3])
    return {"parse": parsed.times, "clean": cleaned.times}


def phase_insert(args, system):
    from django.db import transaction
    from django.utils import timezone

    from fangkong.people import import_plan, import_writes
    from fangkong.people.imports import read_file

    community = system.areas.get(code=COMMUNITY)
    user = community_user()
    reading = read_file(args.file, Path(args.file).read_bytes(), actor=user, area=community)
    with transaction.atomic():
        plan = import_plan.check(actor=user, area=community, reading=reading)
        # The buildings and households, untimed: what follows is the residents alone.
        plan.new, plan.changes = [], []
        import_writes.write(plan, actor=user)
        household_ids = dict(
            ((b_grid, b_name, number), pk)
            for pk, b_grid, b_name, number in households_by_key(system, community)
        )
        with Timer() as inserted, import_writes.sqlite_cache(import_writes.SQLITE_CACHE_KIB):
            import_writes.insert_residents(reading.rows, household_ids, timezone.now())
        assert system.residents.count() == args.rows
        transaction.set_rollback(True)
    return {"insert": inserted.times}


def households_by_key(system, community):
    from fangkong.people.imports import fold

    for pk, grid_id, building, number in system.households.within(community).values_list(
        "pk", "area_id", "building__name", "number"
    ):
        yield pk, grid_id, fold(building), fold(number)


def community_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=USERNAME)


def phase_import(args, system):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fangkong.people import import_jobs
    from fangkong.people.models import ImportJob

    user = community_user()
    upload = SimpleUploadedFile(Path(args.file).name, Path(args.file).read_bytes())
    area = system.areas.get(code=COMMUNITY)
    with Timer() as submitted:
        job = import_jobs.submit(actor=user, area=area, upload=upload)
    assert job.state == ImportJob.State.READY, (job.state, job.message, job.problems[:3])
    with Timer() as committed:
        job = import_jobs.commit(actor=user, job=job)
    assert job.state == ImportJob.State.DONE, (job.state, job.message)
    assert system.residents.count() == args.rows
    counts, peak = job.counts, peak_mb()  # the import's peak, before the second file
    children_peak = children_peak_mb()
    again = SimpleUploadedFile(Path(args.file).name, Path(args.file).read_bytes())
    with Timer() as resubmitted:
        job = import_jobs.submit(actor=user, area=area, upload=again)
    assert job.counts["unchanged"] == args.rows, job.counts
    return {
        "resubmit": resubmitted.times,
        "submit": submitted.times,
        "commit": committed.times,
        "counts": counts,
        "import_peak_mb": peak,
        "children_peak_mb": children_peak,
        "date": datetime.date.today(),
    }


if __name__ == "__main__":
    main()
