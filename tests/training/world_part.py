"""What trainings add to each grid of the test world (tests/world.py): a training held by
the grid's community, with its materials and the grid's worker attending. Primary keys
18100 + …"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from fangkong.training.models import Attendance, Training
from tests.world import every

PDF = b"%PDF-1.4\n" + b"\x00" * 16


def make(world, code, tag, i):
    community = world.areas[code].parent
    worker = world.workers[code]
    training = Training(
        pk=18100 + i,
        area=community,
        kind=Training.Kind.TRAINING,
        category=Training.Category.PROTECTION,
        topic=f"{tag}防护培训",
        held_on=timezone.localdate() - datetime.timedelta(days=10),
        trainer=f"{tag}讲师",
    )
    training.materials.save(f"{tag}.pdf", ContentFile(PDF), save=False)
    training.save()
    every(Attendance).create(
        pk=18110 + i,
        training=training,
        worker=worker,
        area=worker.area,
        held_on=training.held_on,
    )
    return {"training": training}
