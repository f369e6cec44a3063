# Workers' phones stored as Fernet tokens are encrypted again with AES-256-GCM under the
# newest key (fangkong.pii); going back writes Fernet tokens of the newest key. Later key
# changes: `manage.py rotate_field_key`.

from django.db import migrations

from fangkong.pii import reencrypt


def rewrap(legacy):
    def run(apps, schema_editor):
        workers = apps.get_model("areas", "Worker")._default_manager
        reencrypt(workers.using(schema_editor.connection.alias).all(), legacy=legacy)

    return run


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_scoped_default_manager")]

    operations = [migrations.RunPython(rewrap(False), rewrap(True), elidable=True)]
