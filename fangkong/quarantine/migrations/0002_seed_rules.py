from django.db import migrations

from fangkong.quarantine.defaults import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(
        apps.get_model("quarantine", "QuarantineRule"),
        apps.get_model("monitoring", "MonitoringCategory"),
        apps.get_model("monitoring", "Symptom"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quarantine", "0001_rules_sites_quarantines_transfers"),
        ("monitoring", "0002_seed_categories"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
