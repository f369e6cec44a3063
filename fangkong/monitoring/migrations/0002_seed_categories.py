from django.db import migrations

from fangkong.monitoring.defaults import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(
        apps.get_model("monitoring", "Symptom"), apps.get_model("monitoring", "MonitoringCategory")
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_plans_checks_alerts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
