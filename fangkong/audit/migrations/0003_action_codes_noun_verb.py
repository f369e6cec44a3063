"""The areas app's action codes follow the `<noun>.<verb>` style of every other app."""

from django.db import migrations

RENAMED = {
    "add_worker": "worker.add",
    "change_worker": "worker.change",
    "grant_role": "role.grant",
    "revoke_role": "role.revoke",
}


def rename(apps, schema_editor, mapping):
    event = apps.get_model("audit", "AuditEvent")
    for old, new in mapping.items():
        event._base_manager.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_scoped_default_manager")]

    operations = [migrations.RunPython(forwards, backwards)]
