"""Mark the checkpoints that are the door of a facility in use (`Checkpoint.entry_limited`),
so that an entry there is refused while the facility is full (facilities/door.py)."""

from django.db import migrations


def mark(apps, schema_editor):
    Facility = apps.get_model("facilities", "Facility")
    Checkpoint = apps.get_model("checkpoints", "Checkpoint")
    doors = Facility._base_manager.filter(is_active=True, checkpoint__isnull=False)
    Checkpoint._base_manager.filter(pk__in=doors.values("checkpoint_id")).update(
        entry_limited=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0003_disinfection_latest"),
        ("checkpoints", "0005_entry_limited"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
