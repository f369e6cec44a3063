import itertools
import random

import pytest

from fangkong.demo.training import write_rows
from fangkong.demo.writer import Writer
from fangkong.scope import system_scope
from fangkong.training.models import Attendance, Training
from fangkong.vaccination.models import Vaccination

pytestmark = pytest.mark.django_db


def test_the_demo_writes_trainings_and_doses_in_order(world):
    with system_scope():
        Vaccination.objects.all().delete()  # the demo writes an empty county's
        writer = Writer()
        trainings, attendances, _doses = write_rows(writer, random.Random(1), quarters=2)
        writer.finish()
        assert trainings and Training.objects.filter(category="election_staff").exists()
        assert Attendance.objects.count() >= attendances
        for attendance in Attendance.objects.select_related("training", "worker")[:50]:
            assert attendance.worker.area_path.startswith(attendance.training.area_path)
        by_worker = {}
        for dose in Vaccination.objects.order_by("worker_id", "dose_number"):
            by_worker.setdefault(dose.worker_id, []).append(dose)
        for given in by_worker.values():
            assert [d.dose_number for d in given] == list(range(1, len(given) + 1))
            assert all(a.given_on < b.given_on for a, b in itertools.pairwise(given))
