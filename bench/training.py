"""Time trainings' and workers' vaccination pages (issue 18) on a generated county.

    python bench/training.py --database-url sqlite:////tmp/fk_bench.sqlite3 \
        [--workers 3000] [--repeat 30] [--explain MS]

The database comes from `bench/generate.py` and is a throwaway copy: first, if the county
has fewer than `--workers` active workers, this adds community workers (with a grid role)
spread over its communities, and if it holds no training yet, a year of trainings, drills
and election staff trainings with their attendances and every worker's doses
(`fangkong.demo.training.write_rows`). Then, as the demo logins (community, township,
county), through Django's test client: the list of trainings, the coverage of training
and of vaccination per role and child area, the list of who is due for a dose, their API
routes and a worker's record; median and p95 wall time, median CPU time, queries and the
slowest (`bench/visits_pages.py` measures alike); and the daily report's figures of both
apps for every community of the county, timed whole.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.visits_pages import Bench


class TrainingBench(Bench):
    def cases(self):
        from django.urls import reverse

        from fangkong.scope import role_areas

        for role in ("community", "township", "county"):
            area = next(iter(role_areas(self.users[role]).values()))
            yield role, "trainings", reverse("training_list")
            yield role, "trainings, drills only", f"{reverse('training_list')}?kind=drill"
            yield role, "training coverage", reverse("training_coverage", args=[area.code])
            yield (
                role,
                "training coverage, affil.",
                f"{reverse('training_coverage', args=[area.code])}?by=affiliation",
            )
            yield role, "vaccination coverage", reverse("vaccination_coverage", args=[area.code])
            yield role, "due for a dose", reverse("vaccination_due", args=[area.code])
            yield (
                role,
                "due within 30 days",
                f"{reverse('vaccination_due', args=[area.code])}?days=30",
            )
            yield role, "API training coverage", f"/api/training-coverage/{area.code}/"
            yield role, "API vaccination due", f"/api/vaccination-due/{area.code}/"
            yield role, "API trainings", "/api/trainings/"
        worker = self.users["community"].worker
        yield "community", "a worker's trainings", reverse("worker_trainings", args=[worker.pk])
        yield (
            "community",
            "a worker's vaccination",
            reverse("worker_vaccination", args=[worker.pk]),
        )


def add_workers(writer, rng, wanted):
    """Community workers with a grid role, spread over the county's grids, up to `wanted`
    active workers in all."""
    from fangkong.areas.models import Area, Level, Role, Worker

    have = Worker.objects.filter(is_active=True).count()
    grids = list(Area.objects.filter(level=Level.GRID).select_related("parent"))
    if have >= wanted or not grids:
        return 0
    workers = []
    for i in range(wanted - have):
        grid = grids[i % len(grids)]
        workers.append(
            Worker(
                area=grid.parent,
                area_path=grid.parent.path,
                name=f"工作人员{i}",
                affiliation=rng.choice(["community", "community", "social_worker", "volunteer"]),
            )
        )
    writer.insert(Worker, workers)
    roles = [
        Role(
            worker=worker,
            area=grids[i % len(grids)],
            area_path=grids[i % len(grids)].path,
            kind=rng.choice(["grid_worker", "grid_worker", "volunteer", "building_head"]),
        )
        for i, worker in enumerate(workers)
    ]
    writer.insert(Role, roles)
    return len(workers)


def report_figures():
    """The daily report's training and vaccination figures of every community, timed."""
    from django.utils import timezone

    from fangkong.areas.models import Area, Level
    from fangkong.training.reporting import compute as training_figures
    from fangkong.vaccination.reporting import compute as vaccination_figures

    communities = list(Area.objects.filter(level=Level.COMMUNITY))
    today, now = timezone.localdate(), timezone.now()
    started, cpu = time.perf_counter(), time.process_time()
    for community in communities:
        training_figures(community, today, now)
        vaccination_figures(community, today, now)
    wall = (time.perf_counter() - started) * 1000
    print(
        f"daily report figures of {len(communities)} communities: {wall:.0f} ms "
        f"({(time.process_time() - cpu) * 1000:.0f} ms CPU), "
        f"{wall / max(len(communities), 1):.1f} ms a community"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from fangkong.areas.models import Worker
    from fangkong.demo.training import write_rows
    from fangkong.demo.writer import Writer
    from fangkong.scope import system_scope
    from fangkong.training.models import Attendance, Training
    from fangkong.vaccination.models import Vaccination

    call_command("migrate", "training", verbosity=0)
    call_command("migrate", "vaccination", verbosity=0)
    rng = random.Random(1)
    # The bench fills and counts the whole database; the pages it times run as their users.
    with system_scope():
        started, cpu = time.perf_counter(), time.process_time()
        writer = Writer()
        with transaction.atomic():
            added = add_workers(writer, rng, args.workers)
            if added:
                Training.objects.all().delete()
                Vaccination.objects.all().delete()
            if not Training.objects.exists():
                write_rows(writer, rng)
        writer.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in (
                    "areas_worker",
                    "areas_role",
                    "training_training",
                    "training_attendance",
                    "vaccination_vaccination",
                    "vaccination_vaccinationexemption",
                ):
                    cursor.execute(f"ANALYZE {table}")
        print(
            f"prepared in {time.perf_counter() - started:.0f} s "
            f"({time.process_time() - cpu:.0f} s CPU), {added} workers added"
        )
        figures = (
            f"active workers {Worker.objects.filter(is_active=True).count():,}, "
            f"trainings {Training.objects.count():,}, "
            f"attendances {Attendance.objects.count():,}, doses {Vaccination.objects.count():,}"
        )
        print(f"database: {connection.vendor}, {figures}, load average {os.getloadavg()[0]:.1f}")
        report_figures()
    bench = TrainingBench(args, connection)
    bench.run()


if __name__ == "__main__":
    main()
